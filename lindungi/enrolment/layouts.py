"""BPJS file layouts, held as data (ExchangeLayout rows). The defaults shipped here follow the
collective BPU registration sheet a Pemda sends to its BPJS branch, and the answer it returns.

An export layout is a list of {"header": text, "field": one of EXPORT_FIELDS}; a branch that
wants other headings or another order gets a new layout row, not new code.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# What an export column may hold.
EXPORT_FIELDS: dict[str, Any] = {
    "row_number": _("Nomor urut"),
    "nik": _("NIK"),
    "kk_number": _("Nomor KK"),
    "full_name": _("Nama lengkap"),
    "birth_place": _("Tempat lahir"),
    "birth_date": _("Tanggal lahir (DD-MM-YYYY)"),
    "sex": _("Jenis kelamin (L/P)"),
    "address": _("Alamat"),
    "rt_rw": _("RT/RW"),
    "village_code": _("Kode wilayah desa/kelurahan"),
    "village_name": _("Desa/kelurahan"),
    "district_name": _("Kecamatan"),
    "regency_name": _("Kabupaten/kota"),
    "occupation": _("Pekerjaan"),
    "reported_income": _("Penghasilan dilaporkan (Rp)"),
    "phone": _("Nomor HP"),
    "programmes": _("Program (JKK, JKM, JHT)"),
    "start_date": _("Tanggal mulai kepesertaan (DD-MM-YYYY)"),
    "bpjs_group": _("Kode wadah BPJS"),
    "funder_name": _("Pemberi dana"),
    "enrolment_id": _("Nomor kepesertaan Lindungi"),
}

DEFAULT_EXPORT = [
    {"header": "NO", "field": "row_number"},
    {"header": "NIK", "field": "nik"},
    {"header": "NAMA LENGKAP", "field": "full_name"},
    {"header": "TEMPAT LAHIR", "field": "birth_place"},
    {"header": "TANGGAL LAHIR", "field": "birth_date"},
    {"header": "JENIS KELAMIN", "field": "sex"},
    {"header": "ALAMAT", "field": "address"},
    {"header": "RT/RW", "field": "rt_rw"},
    {"header": "KODE WILAYAH", "field": "village_code"},
    {"header": "DESA/KELURAHAN", "field": "village_name"},
    {"header": "KECAMATAN", "field": "district_name"},
    {"header": "KABUPATEN/KOTA", "field": "regency_name"},
    {"header": "PEKERJAAN", "field": "occupation"},
    {"header": "PENGHASILAN", "field": "reported_income"},
    {"header": "NO HP", "field": "phone"},
    {"header": "PROGRAM", "field": "programmes"},
    {"header": "TANGGAL MULAI", "field": "start_date"},
    {"header": "KODE WADAH", "field": "bpjs_group"},
    {"header": "ID LINDUNGI", "field": "enrolment_id"},
]

# The answer: which header names mean which field (matched like worker-list headers).
RETURN_SYNONYMS: dict[str, list[str]] = {
    "nik": ["NIK", "NO KTP", "NOMOR KTP", "NIK KTP", "NOMOR INDUK KEPENDUDUKAN", "NO NIK"],
    "kpj": ["KPJ", "NO KPJ", "NOMOR KPJ", "NOMOR PESERTA", "NO PESERTA", "NO KARTU", "NOMOR KARTU", "NOMOR KARTU PESERTA", "KPJ BARU"],
    "status": ["STATUS", "HASIL", "STATUS PENDAFTARAN", "HASIL VERIFIKASI", "STATUS KEPESERTAAN", "STATUS VALIDASI"],
    "reason": ["ALASAN", "KETERANGAN", "ALASAN PENOLAKAN", "CATATAN", "KETERANGAN PENOLAKAN", "PESAN"],
    "start_date": ["TANGGAL MULAI", "TGL MULAI", "TMT", "TMT KEPESERTAAN", "TANGGAL KEPESERTAAN", "TGL KEPESERTAAN", "MULAI PERLINDUNGAN"],
    "full_name": ["NAMA", "NAMA LENGKAP", "NAMA PESERTA", "NAMA TENAGA KERJA"],
}  # fmt: skip
RETURN_REQUIRED = ("nik",)

DEFAULT_RETURN = [
    {"header": "NIK", "field": "nik"},
    {"header": "NAMA", "field": "full_name"},
    {"header": "KPJ", "field": "kpj"},
    {"header": "STATUS", "field": "status"},
    {"header": "ALASAN", "field": "reason"},
    {"header": "TANGGAL MULAI", "field": "start_date"},
]


def seed(layout_model: Any) -> None:
    """Create the default layouts when missing (idempotent)."""
    layout_model.objects.get_or_create(
        direction="export",
        is_default=True,
        defaults={
            "name": "Pendaftaran kolektif BPU (default)",
            "columns": DEFAULT_EXPORT,
            "note": "NIK, nama, tempat/tanggal lahir, jenis kelamin, alamat, kode wilayah, "
            "pekerjaan, penghasilan, HP, program, tanggal mulai",
        },
    )
    layout_model.objects.get_or_create(
        direction="return",
        is_default=True,
        defaults={
            "name": "Jawaban BPJS: NIK, KPJ, status, alasan (default)",
            "columns": DEFAULT_RETURN,
        },
    )
