"""The columns of the worker lists villages keep, under the names operators use (domain.md §4:
Imports); recognised by the spreadsheet kit (`core.spreadsheets`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lindungi.core.spreadsheets.columns import PERSON_SYNONYMS, ColumnSpec

# Field → the header texts that mean it, normalised (upper case, punctuation as single spaces).
SYNONYMS: dict[str, list[str]] = {
    "nik": PERSON_SYNONYMS["nik"],
    "full_name": PERSON_SYNONYMS["full_name"],
    "birth_place_date": ["TEMPAT TGL LAHIR", "TEMPAT TANGGAL LAHIR", "TTL", "TEMPAT DAN TANGGAL LAHIR", "TEMPAT TGL LHR", "TMP TGL LAHIR", "TEMPAT TANGGAL LHR"],
    "birth_place": ["TEMPAT LAHIR", "TMP LAHIR", "TEMPAT LHR", "TPT LAHIR"],
    "birth_date": ["TANGGAL LAHIR", "TGL LAHIR", "TGL LHR", "TANGGAL LHR", "TANGGAL LAHIR DD MM YYYY", "TGL LAHIR DD MM YYYY"],
    "sex": ["L P", "JENIS KELAMIN", "JK", "KELAMIN", "SEX", "GENDER", "L PR", "LK PR"],
    "village": ["DESA", "KELURAHAN", "DESA KELURAHAN", "DESA KEL", "KEL DESA", "KELURAHAN DESA", "NAMA DESA", "KODE DESA", "DESA KELURAHAN DOMISILI", "DOMISILI DESA", "DESA DOMISILI"],
    "address": ["ALAMAT", "ALAMAT LENGKAP", "ALAMAT DOMISILI", "JALAN", "DUSUN", "ALAMAT RUMAH"],
    "rt_rw": ["RT RW", "RT RW DOMISILI"],
    "rt": ["RT"],
    "rw": ["RW"],
    "phone": ["NO HP", "NOMOR HP", "NO HP WA", "NO TELP", "NO TELEPON", "TELEPON", "TELP", "HP", "WA", "NO WA", "WHATSAPP", "NOMOR TELEPON", "NO HANDPHONE", "HANDPHONE"],
    "occupation": ["PEKERJAAN", "JENIS PEKERJAAN", "PROFESI", "MATA PENCAHARIAN", "JENIS USAHA", "USAHA", "PEKERJAAN UTAMA"],
    "reported_income": ["PENGHASILAN", "PENDAPATAN", "UPAH", "GAJI", "PENGHASILAN PER BULAN", "PENGHASILAN BULANAN", "PENDAPATAN PER BULAN", "PENGHASILAN RP"],
    "kk_number": ["NO KK", "NOMOR KK", "KK", "NO KARTU KELUARGA", "NOMOR KARTU KELUARGA"],
    "status": ["KETERANGAN", "KET", "STATUS", "STATUS PEKERJA", "KETERANGAN STATUS"],
    "event_date": ["TANGGAL MENINGGAL", "TGL MENINGGAL", "TANGGAL WAFAT", "TANGGAL PERISTIWA", "TGL PERISTIWA", "TANGGAL KETERANGAN"],
}  # fmt: skip
REQUIRED = ("nik", "full_name")
FIELD_LABELS = {
    "nik": _("NIK"),
    "full_name": _("Nama lengkap"),
    "birth_place_date": _("Tempat, tanggal lahir"),
    "birth_place": _("Tempat lahir"),
    "birth_date": _("Tanggal lahir"),
    "sex": _("Jenis kelamin"),
    "village": _("Desa/kelurahan"),
    "address": _("Alamat"),
    "rt_rw": _("RT/RW"),
    "rt": _("RT"),
    "rw": _("RW"),
    "phone": _("Nomor HP/WA"),
    "occupation": _("Pekerjaan"),
    "reported_income": _("Penghasilan"),
    "kk_number": _("Nomor KK"),
    "status": _("Keterangan (peristiwa)"),
    "event_date": _("Tanggal peristiwa"),
}

WORKER_LIST = ColumnSpec(SYNONYMS, REQUIRED)
