"""Coverage against targets (issue 9): Kutai Kartanegara's figures uploaded from a CSV give the
77.0% and 47.9% the issue names; a bad row refuses the file and writes nothing; scope holds;
the Excel download and the page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from python_calamine import CalamineWorkbook

from lindungi.core.errors import DomainError, NotFound
from lindungi.reporting.figures import figures_import
from lindungi.reporting.models import RegionFigure
from lindungi.reporting.selectors import coverage, percent

from ..conftest import client_for

pytestmark = pytest.mark.django_db

KUKAR = (
    "Angka ketenagakerjaan Kutai Kartanegara\n"
    "\n"
    "KODE WILAYAH;TAHUN;SEGMEN;POPULASI;PESERTA;SUMBER\n"
    "64.02;2025;angkatan kerja;358.441;;BPS Sakernas Agustus 2025\n"
    "64.02;2025;formal;136.100;104.769;BPJS Ketenagakerjaan Kukar\n"
    "64.02;2025;informal;119.971;57.466;BPJS Ketenagakerjaan Kukar\n"
)


def _upload(actor, text, name="angka.csv"):
    return figures_import(actor=actor, file=io.BytesIO(text.encode()), file_name=name)


def test_the_kukar_figures_give_77_0_and_47_9_percent(world):
    assert _upload(world.regency_admin, KUKAR) == {"rows": 3, "created": 3, "updated": 0}
    report = coverage(actor=world.regency_admin, region_code="64.02", year=2025)
    by_segment = {s.segment: s for s in report.segments}
    assert by_segment["formal"].percent == 77.0
    assert by_segment["informal"].percent == 47.9
    assert by_segment["labour_force"].population == 358_441
    assert by_segment["labour_force"].percent is None
    assert percent(104_769, 136_100) == 77.0 and percent(57_466, 119_971) == 47.9
    # The same file again updates, never duplicates.
    assert _upload(world.regency_admin, KUKAR) == {"rows": 3, "created": 0, "updated": 3}
    assert RegionFigure.objects.count() == 3


def test_a_bad_row_refuses_the_file_and_writes_nothing(world):
    bad = KUKAR + "64.71;2025;formal;10;5;x\n64.02;2025;formal;10;50;x\n64.02;2025;PNS;1;1;x\n"
    with pytest.raises(DomainError) as excinfo:
        _upload(world.regency_admin, bad)
    assert excinfo.value.code == "REPORT_FIGURES_ROWS"
    rows = excinfo.value.details["rows"]
    assert len(rows) == 3
    assert "di luar wilayah" in rows[0] and "lebih banyak" in rows[1] and "PNS" in rows[2]
    assert not RegionFigure.objects.exists()
    with pytest.raises(DomainError) as excinfo:
        _upload(world.regency_admin, "NAMA;ALAMAT\nx;y\n")
    assert excinfo.value.code == "REPORT_FIGURES_COLUMNS"


def test_scope_the_api_the_page_and_the_excel_file(world, api_token):
    _upload(world.regency_admin, KUKAR)
    with pytest.raises(NotFound):
        coverage(actor=world.balikpapan_admin, region_code="64.02")
    client = Client()
    body = client.get("/api/v1/reports/coverage?region=64.02", **api_token(world.auditor)).json()
    assert body["year"] == 2025
    assert {s["segment"]: s["percent"] for s in body["segments"]} == {
        "labour_force": None, "formal": 77.0, "informal": 47.9,
    }  # fmt: skip
    assert body["lindungi_active"] == 0
    refused = client.post(
        "/api/v1/reports/figures", {"file": SimpleUploadedFile("a.csv", KUKAR.encode())},
        **api_token(world.auditor),
    )  # fmt: skip
    assert refused.status_code == 403
    page = client_for(world.regency_admin).get("/laporan/cakupan/?region=64.02")
    html = page.content.decode()
    assert page.status_code == 200 and "77,0%" in html and "47,9%" in html  # Indonesian digits
    download = client_for(world.auditor).get("/laporan/cakupan/?region=64.02&format=xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0][:3] == ["Wilayah", "Tahun", "Segmen"]
    assert [r[5] or None for r in rows[1:]] == [None, 77.0, 47.9]
