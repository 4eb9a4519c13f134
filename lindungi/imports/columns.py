"""Recognising the columns of the lists villages keep: header row anywhere in the first rows,
under any of the names operators use (domain.md §4: Imports)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Field → the header texts that mean it, normalised (upper case, punctuation as single spaces).
SYNONYMS: dict[str, list[str]] = {
    "nik": ["NIK", "NO KTP", "NOMOR KTP", "NO NIK", "NIK KTP", "NOMOR INDUK KEPENDUDUKAN", "NO INDUK KEPENDUDUKAN", "NOMOR NIK", "KTP", "NIK E KTP"],
    "full_name": ["NAMA", "NAMA LENGKAP", "NAMA PEKERJA", "NAMA PESERTA", "NAMA TENAGA KERJA", "NAMA SESUAI KTP", "NAMA ANGGOTA"],
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
# How a header cell is compared: upper case, anything but letters and digits a single space.
_NON_WORD = re.compile(r"[^0-9A-Z]+")
_LOOKUP = {syn: field for field, syns in SYNONYMS.items() for syn in syns}


def normalise_header(text: object) -> str:
    return _NON_WORD.sub(" ", str(text or "").upper()).strip()


@dataclass(frozen=True)
class Header:
    row_index: int  # 0-based index of the header row among the sheet's rows
    columns: dict[str, int]  # field → 0-based column index
    labels: dict[str, str]  # field → the header text as written


@dataclass(frozen=True)
class ColumnSpec:
    """The columns a kind of file has: field → header names, and the fields it must have."""

    synonyms: dict[str, list[str]]
    required: tuple[str, ...]

    @property
    def lookup(self) -> dict[str, str]:
        return {normalise_header(s): f for f, syns in self.synonyms.items() for s in syns}


WORKER_LIST = ColumnSpec(SYNONYMS, REQUIRED)


def match_field(text: object, lookup: dict[str, str] | None = None) -> str | None:
    table = _LOOKUP if lookup is None else lookup
    key = normalise_header(text)
    if not key:
        return None
    if key in table:
        return table[key]
    # "NAMA LENGKAP (SESUAI KTP)", "NIK (16 DIGIT)": the words before a bracket or a number
    trimmed = re.sub(r"\b(SESUAI|16|DIGIT|WAJIB|DD|MM|YYYY|CONTOH)\b.*$", "", key).strip()
    return table.get(trimmed)


def find_header(
    rows: list[list[object]], *, search_rows: int = 20, spec: ColumnSpec = WORKER_LIST
) -> Header | None:
    """The first row (of the first `search_rows`) that names every required column."""
    best: Header | None = None
    lookup = _LOOKUP if spec is WORKER_LIST else spec.lookup
    for index, row in enumerate(rows[:search_rows]):
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        for position, cell in enumerate(row):
            field = match_field(cell, lookup)
            if field and field not in columns:
                columns[field] = position
                labels[field] = " ".join(str(cell).split())
        if all(f in columns for f in spec.required):
            candidate = Header(row_index=index, columns=columns, labels=labels)
            if best is None or len(columns) > len(best.columns):
                best = candidate
            if len(columns) >= 3:
                return candidate
    return best
