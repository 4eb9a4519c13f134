"""Messy worker lists as villages keep them, built in the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter

HEADER = [
    "NO",
    "NIK",
    "NAMA LENGKAP",
    "TEMPAT/TGL LAHIR",
    "L/P",
    "ALAMAT",
    "RT/RW",
    "DESA/KELURAHAN",
    "NO. HP / WA",
    "PEKERJAAN",
    "KETERANGAN",
]


def messy_xlsx(path: Path, rows: list[list[Any]], *, footer: bool = True) -> Path:
    """Title rows, the header on row 5, the data, a total row and signature lines."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "DAFTAR PEKERJA RENTAN DESA LOA IPUH")
    sheet.write_string(1, 0, "KECAMATAN TENGGARONG - TAHUN 2026")
    sheet.write_string(2, 0, "")
    for c, title in enumerate(HEADER):
        sheet.write_string(4, c, title)
    r = 5
    for values in rows:
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)  # a NIK typed into a number cell
            else:
                sheet.write_string(r, c, value)
        r += 1
    if footer:
        sheet.write_string(r, 2, "JUMLAH")
        sheet.write_number(r, 3, len(rows))
        sheet.write_string(r + 2, 8, "Mengetahui,")
        sheet.write_string(r + 3, 8, "Kepala Desa Loa Ipuh")
        sheet.write_string(r + 6, 8, "( H. ABDUL RAHMAN )")
    workbook.close()
    return path


def csv_bytes(
    rows: list[list[str]], *, separator: str = ",", encoding: str = "utf-8", bom: bool = False
) -> bytes:
    """A CSV as a spreadsheet writes it (cells with the separator are quoted)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator)
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
