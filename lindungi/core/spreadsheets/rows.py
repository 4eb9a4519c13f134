"""Rows of a spreadsheet that are not data: blank rows, totals, signature lines and headers
repeated on a later page. Every kind of upload skips them the same way."""

from __future__ import annotations

import re

import polars as pl

from .readers import ROW

# Rows that are not data: totals, signatures, repeated headers (matched on any cell).
_FOOTER = re.compile(
    r"(?i)\b(jumlah|total|sub ?total|mengetahui|menyetujui|kepala desa|kades|lurah|camat|"
    r"tertanda|ttd|nip\b|dibuat oleh|sekretaris|tanda tangan|petugas|operator desa)\b"
)


def non_data_rows(frame: pl.DataFrame) -> pl.Series:
    """Blank rows, totals and signature lines: rows without a NIK that are not worker data."""
    fields = [c for c in frame.columns if c not in {ROW, "nik_is_number"}]
    filled = pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in fields])
    nik = pl.col("nik")
    header_again = nik.str.to_uppercase().str.contains(r"^\s*(NIK|NO\.? ?KTP)\s*$").fill_null(False)
    flags = frame.select(
        ((filled == 0) | header_again | (nik.is_null() & (filled <= 1))).alias("skip"),
        nik.is_null().alias("no_nik"),
    )
    # The footer words are looked for only in rows without a NIK (joining every cell of a
    # million data rows to search them cost a second).
    without_nik = flags.get_column("no_nik").arg_true()
    if without_nik.len() == 0:
        return flags.get_column("skip")
    text = pl.concat_str([pl.col(c).fill_null("") for c in fields], separator=" ")
    footer = frame[without_nik].select(text.str.contains(_FOOTER.pattern)).to_series()
    return flags.get_column("skip").scatter(
        without_nik, flags.get_column("skip")[without_nik] | footer
    )
