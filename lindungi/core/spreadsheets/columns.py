"""Recognising the columns of a spreadsheet people wrote: the header row anywhere in the first
rows, under any of the names a kind of file uses (`ColumnSpec`: a worker list, a BPJS answer, a
billing statement, target figures)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The headers that name a person in any file people keep (worker lists, BPJS's answers and
# statements): normalised, as `normalise_header` writes them.
PERSON_SYNONYMS: dict[str, list[str]] = {
    "nik": ["NIK", "NO KTP", "NOMOR KTP", "NO NIK", "NIK KTP", "NOMOR INDUK KEPENDUDUKAN", "NO INDUK KEPENDUDUKAN", "NOMOR NIK", "KTP", "NIK E KTP"],
    "full_name": ["NAMA", "NAMA LENGKAP", "NAMA PEKERJA", "NAMA PESERTA", "NAMA TENAGA KERJA", "NAMA SESUAI KTP", "NAMA ANGGOTA"],
}  # fmt: skip
# How a header cell is compared: upper case, anything but letters and digits a single space.
_NON_WORD = re.compile(r"[^0-9A-Z]+")


def normalise_header(text: object) -> str:
    return _NON_WORD.sub(" ", str(text or "").upper()).strip()


@dataclass(frozen=True)
class Header:
    row_index: int  # 0-based index of the header row among the sheet's rows
    columns: dict[str, int]  # field → 0-based column index
    labels: dict[str, str]  # field → the header text as written


@dataclass(frozen=True)
class ColumnSpec:
    """The columns a kind of file has: field → header names, and the fields it must have (the
    first of them is the key, e.g. the NIK, whose Excel number cells are flagged)."""

    synonyms: dict[str, list[str]]
    required: tuple[str, ...]
    lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Normalised header text → field, computed once per kind of file.
        table = {normalise_header(s): f for f, syns in self.synonyms.items() for s in syns}
        object.__setattr__(self, "lookup", table)


def match_field(text: object, lookup: dict[str, str]) -> str | None:
    table = lookup
    key = normalise_header(text)
    if not key:
        return None
    if key in table:
        return table[key]
    # "NAMA LENGKAP (SESUAI KTP)", "NIK (16 DIGIT)": the words before a bracket or a number
    trimmed = re.sub(r"\b(SESUAI|16|DIGIT|WAJIB|DD|MM|YYYY|CONTOH)\b.*$", "", key).strip()
    return table.get(trimmed)


def find_header(
    rows: list[list[object]], *, spec: ColumnSpec, search_rows: int = 20
) -> Header | None:
    """The first row (of the first `search_rows`) that names every required column."""
    best: Header | None = None
    lookup = spec.lookup
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
