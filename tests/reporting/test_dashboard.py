"""The region dashboard of issue 9 against hand-computed values on the small Kukar world: five
men born 12 May 1980 in Loa Ipuh (two farmers, a fisher, a trader, an ojek driver), covered from
1 January 2026 by a regency programme; one JKM claim paid 20 days after the death."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from python_calamine import CalamineWorkbook

from lindungi.claims.models import ClaimCase
from lindungi.core.errors import NotFound
from lindungi.programmes.models import Funder
from lindungi.registry.models import OccupationCategory
from lindungi.reporting.dashboard import dashboard
from lindungi.reporting.models import RiskKind

from ..billing.helpers import co_funded, enrol_all
from ..conftest import client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def covered(kukar):
    programme = co_funded(kukar)
    enrol_all(kukar, programme)
    worker = kukar.workers[0]
    ClaimCase.objects.create(
        number="KLM-T-1", worker=worker, region_code=worker.village_id, kind="JKM",
        event_date=dt.date(2026, 6, 1), status="paid", paid_on=dt.date(2026, 6, 21),
        amount_paid=42_000_000, entitlement=42_000_000, eligible=True,
    )  # fmt: skip
    return programme


def _rows(board, key):
    return {row[0]: row[1:] for row in board.panel(key).rows}


def test_every_panel_for_the_regency(kukar, covered):
    board = dashboard(actor=kukar.world.regency_admin, region_code="64.02", today=TODAY)
    assert [r.code for r in board.path] == ["64", "64.02"]
    regions = board.panel("regions")
    tenggarong = regions.links.index("64.02.06")
    assert regions.rows[tenggarong][1] == 5
    assert sum(r[1] for r in regions.rows) == 5
    occupations = dict(OccupationCategory.objects.values_list("code", "name"))
    assert _rows(board, "occupation") == {
        occupations["petani"]: [2], occupations["nelayan"]: [1],
        occupations["pedagang"]: [1], occupations["ojek_pengemudi"]: [1],
    }  # fmt: skip
    assert list(_rows(board, "sex").values()) == [[5]]
    ages = _rows(board, "age")
    assert ages["45–54"] == [5] and sum(v[0] for v in ages.values()) == 5
    assert _rows(board, "funder") == {str(Funder.APBD_KABKOTA.label): [5]}
    trend = _rows(board, "trend")
    assert list(trend) == ["12/2025"] + [f"{m:02d}/2026" for m in range(1, 12)]
    assert trend["12/2025"] == [0] and trend["01/2026"] == [5] and trend["11/2026"] == [5]
    # The programme ends on 31 December with no successor: all five are at risk within 60 days.
    assert _rows(board, "risk") == {
        str(RiskKind.ARREARS.label): [0], str(RiskKind.ENDING.label): [5],
        str(RiskKind.LAPSED.label): [0],
    }  # fmt: skip
    money = _rows(board, "money")
    assert money[covered.name][0] == 1_000_000  # the ceiling, split by share: 600k + 400k
    claims = _rows(board, "claims")
    assert claims["Klaim dibayar"] == [1] and claims["Jumlah dibayar (Rp)"] == [42_000_000]
    assert claims["Hari dari kejadian sampai dibayar (median)"] == [20]
    assert claims["Keluarga terbantu (klaim kematian dibayar)"] == [1]


def test_small_groups_are_hidden_from_auditors_and_scope_holds(kukar, covered):
    board = dashboard(actor=kukar.world.auditor, region_code="64.02", today=TODAY)
    assert all(v == [None] for v in _rows(board, "occupation").values())  # groups of 1–2
    assert list(_rows(board, "sex").values()) == [[5]]  # five: shown
    assert _rows(board, "claims")["Klaim dibayar"] == [None]
    with pytest.raises(NotFound):
        dashboard(actor=kukar.world.balikpapan_admin, region_code="64.02")
    with pytest.raises(NotFound):
        dashboard(actor=kukar.world.regency_admin, region_code="")  # not national


def test_the_page_drills_down_and_downloads(kukar, covered):
    client = client_for(kukar.world.regency_admin)
    page = client.get("/laporan/dasbor/")
    html = page.content.decode()
    assert page.status_code == 200 and "?region=64.02.06" in html
    village = client.get("/laporan/dasbor/?region=64.02.06.1002")
    assert village.status_code == 200 and "Loa Ipuh" in village.content.decode()
    download = client.get("/laporan/dasbor/?region=64.02&panel=sex&format=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_index(0)
    assert rows.to_python()[1][1] == 5
    assert client.get("/laporan/dasbor/?region=64.71").status_code == 404


def test_unpaid_contributions_show_as_lapse_risk(kukar, covered):
    from lindungi.billing.services import contribution_run

    contribution_run(actor=kukar.world.regency_admin, programme_id=covered.pk,
                     period="2026-01", today=dt.date(2026, 1, 2))  # fmt: skip
    board = dashboard(actor=kukar.world.regency_admin, region_code="64.02.06", today=TODAY)
    assert _rows(board, "risk")[str(RiskKind.ARREARS.label)] == [5]
