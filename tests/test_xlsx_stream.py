"""The streaming .xlsx writer of large exports: types, dates, escaping, formula neutralising."""

from __future__ import annotations

import datetime as dt

from python_calamine import CalamineWorkbook

from lindungi.core.exports import XlsxStream


def test_cells_round_trip_through_a_spreadsheet_reader(tmp_path):
    path = tmp_path / "t.xlsx"
    sheet = XlsxStream(path, "Peserta")
    sheet.write(["NIK", "Jumlah", "Tanggal"])
    sheet.write(["6402**********01", 16_800, dt.date(2026, 1, 31)])
    sheet.write(['=HYPERLINK("http://x")', 2.5, None, "a<b & c\x01", True])
    sheet.close()
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Peserta"]
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0] == ["NIK", "Jumlah", "Tanggal", "", ""]
    assert rows[1][:3] == ["6402**********01", 16_800, dt.date(2026, 1, 31)]
    assert rows[2] == ['\'=HYPERLINK("http://x")', 2.5, "", "a<b & c", "TRUE"]
    assert sheet.rows == 3
