"""Paritrana readiness (issue 9): the raw indicators of a province's regencies side by side —
coverage from uploaded figures, regulations, APBD allocation, innovations — and no score."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from lindungi.core.errors import FieldErrors, Forbidden, NotFound
from lindungi.reporting.figures import figures_import
from lindungi.reporting.readiness import readiness, readiness_record

from ..conftest import client_for

pytestmark = pytest.mark.django_db
FIGURES = (
    "KODE WILAYAH;TAHUN;SEGMEN;POPULASI;PESERTA\n"
    "64.02;2025;PU;136.100;104.769\n"
    "64.02;2025;BPU;119.971;57.466\n"
    "64.02;2025;pekerja rentan;40.000;10.000\n"
)


@pytest.fixture
def kukar_figures(world):
    figures_import(actor=world.province_admin, file=io.BytesIO(FIGURES.encode()),
                   file_name="angka.csv")  # fmt: skip


def test_indicators_side_by_side_without_a_score(world, kukar_figures):
    readiness_record(actor=world.regency_admin, data={
        "region_code": "64.02", "year": "2025", "apbd_allocation": "3.000.000.000",
        "regulations": "Perbup Kukar 12/2025", "innovations": "Desa Sadar Jamsostek",
    })  # fmt: skip
    report = readiness(actor=world.province_admin, province_code="64", year=2025)
    rows = {r.region_code: r for r in report["rows"]}
    assert report["rows"][0].region_code == "64" and len(rows) > 2  # the province, its regencies
    kukar = rows["64.02"]
    assert kukar.coverage == {"PU": 77.0, "BPU": 47.9, "pekerja_rentan": 25.0}
    assert (kukar.apbd_allocation, kukar.regulations) == (3_000_000_000, "Perbup Kukar 12/2025")
    assert not hasattr(kukar, "score")
    assert rows["64.71"].coverage == {"PU": None, "BPU": None, "pekerja_rentan": None}
    # A regency admin sees the province row and its own regency only.
    own = readiness(actor=world.regency_admin, province_code="64", year=2025)
    assert [r.region_code for r in own["rows"]] == ["64", "64.02"]


def test_refusals(world):
    with pytest.raises(FieldErrors) as excinfo:
        readiness_record(actor=world.regency_admin, data={"region_code": "64.02", "year": "20x5"})
    assert excinfo.value.fields["year"][0]["code"] == "REPORT_YEAR_INVALID"
    with pytest.raises(FieldErrors) as excinfo:
        readiness_record(actor=world.regency_admin, data={"region_code": "64.02", "year": "2025",
                                                          "apbd_allocation": "tiga miliar"})  # fmt: skip
    assert excinfo.value.fields["apbd_allocation"][0]["code"] == "REPORT_AMOUNT_INVALID"
    with pytest.raises(NotFound):
        readiness_record(actor=world.regency_admin, data={"region_code": "64.71", "year": "2025"})
    with pytest.raises(Forbidden):
        readiness_record(actor=world.auditor, data={"region_code": "64.02", "year": "2025"})
    with pytest.raises(NotFound):
        readiness(actor=world.regency_admin, province_code="63")


def test_api_page_and_excel(world, kukar_figures, api_token):
    client = Client()
    made = client.post("/api/v1/reports/paritrana",
                       {"region_code": "64.02", "year": 2025, "apbd_allocation": 3_000_000_000},
                       content_type="application/json", **api_token(world.regency_admin))  # fmt: skip
    assert made.status_code == 201 and made.json()["coverage"]["PU"] == 77.0
    body = client.get("/api/v1/reports/paritrana?province=64&year=2025",
                      **api_token(world.auditor)).json()  # fmt: skip
    assert [r["region_code"] for r in body["rows"]] == ["64", "64.02"]
    page = client_for(world.regency_admin).get("/laporan/paritrana/?province=64&year=2025")
    assert page.status_code == 200 and "77,0%" in page.content.decode()
    download = client_for(world.regency_admin).get(
        "/laporan/paritrana/?province=64&year=2025&format=xlsx"
    )
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_index(0)
    table = rows.to_python()
    assert table[2][:4] == ["64.02 Kabupaten Kutai Kartanegara", 77.0, 47.9, 25.0]
    assert table[2][5] == 3_000_000_000
