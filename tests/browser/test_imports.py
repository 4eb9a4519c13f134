import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.registry.models import Worker

from ..conftest import PASSWORD
from ..imports.files import messy_xlsx
from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_upload_a_messy_xlsx_and_download_the_rows_to_fix(page, tmp_path):
    user_create(
        actor=None,
        username="op.loaipuh",
        password=PASSWORD,
        role=Role.VILLAGE_OPERATOR,
        region_code="64.02.06.1002",
    )
    path = messy_xlsx(
        tmp_path / "daftar-loa-ipuh.xlsx",
        [
            [
                "1",
                "6402061205800001",
                "BUDI SANTOSO",
                "Tenggarong, 12 Mei 1980",
                "LK",
                "Jl. A",
                "3/5",
                "Desa Loa Ipuh",
                "0812-3456-7890",
                "Petani",
                "",
            ],
            [
                "2",
                "6402 0652 0580 0002",
                "Siti Aminah",
                "Tenggarong, 12-05-1980",
                "Perempuan",
                "",
                "",
                "Kel. Loa Ipuh",
                "",
                "PKL",
                "",
            ],
            [
                "3",
                "640206120580003",
                "Nik Pendek",
                "Tenggarong, 12-05-1980",
                "L",
                "",
                "",
                "Loa Ipuh",
                "",
                "",
                "",
            ],
            [
                "4",
                6402061205800000,
                "Nik Angka",
                "Tenggarong, 12-05-1980",
                "L",
                "",
                "",
                "Loa Ipuh",
                "",
                "",
                "",
            ],
        ],
    )
    sign_in(page, "op.loaipuh", PASSWORD)
    page.get_by_role("link", name="Impor").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Unggah dan proses").click()
    summary = page.get_by_test_id("import-summary")
    expect(summary).to_be_visible(timeout=30_000)
    expect(summary.locator("[data-count=created]")).to_have_text("2")
    expect(summary.locator("[data-count=rejected]")).to_have_text("2")
    expect(summary.locator("[data-count=skipped]")).to_have_text("7")  # total, signatures, blanks
    assert Worker.objects.count() == 2

    with page.expect_download() as download_info:
        page.get_by_test_id("download-rejected").click()
    download = download_info.value
    assert download.suggested_filename.endswith("perlu-diperbaiki.xlsx")
    saved = tmp_path / "perbaiki.xlsx"
    download.save_as(saved)
    rows = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    assert rows[0][-1] == "Keterangan perbaikan"
    fixes = {row[2]: row[-1] for row in rows[1:]}
    assert fixes["640206120580003"] == "NIK harus 16 digit (tertulis 15 digit)."
    assert "Format kolom NIK sebagai Teks" in fixes["6402061205800000"]
    assert page.console_errors == []
