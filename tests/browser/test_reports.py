"""Issue 9 in the browser: the dashboard with its charts, drilled down to a village, an Excel
download, and the public status check without signing in."""

import datetime as dt
import io
import json

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.enrolment.models import Enrolment
from lindungi.programmes.services import programme_create
from lindungi.registry.services import worker_create, worker_verify_many
from lindungi.reporting.maps import boundary_upload

from ..conftest import PASSWORD
from ..enrolment.conftest import PROGRAMME, person
from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_dashboard_drill_down_download_and_public_check(page, tmp_path, settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "PUBLIC_CHECK_MIN_SECONDS": 0}
    admin = user_create(
        actor=None, username="admin.kukar", password=PASSWORD,
        role=Role.REGENCY_ADMIN, region_code="64.02",
    )  # fmt: skip
    workers = [worker_create(actor=admin, data=person(n)) for n in range(1, 6)]
    worker_verify_many(actor=admin, worker_ids=[w.pk for w in workers])
    programme = programme_create(actor=admin, data=PROGRAMME)
    today = dt.date.today()
    for worker in workers:
        Enrolment.objects.create(
            worker=worker, programme=programme, region_code=worker.village_id,
            status="active", benefit_jkk=True, benefit_jkm=True, reported_income=1_000_000,
            start_date=today.replace(day=1), end_date=today + dt.timedelta(days=90),
            covered_from=today.replace(day=1),
        )  # fmt: skip

    ring = [[116.9, -0.5], [117.1, -0.5], [117.1, -0.3], [116.9, -0.3], [116.9, -0.5]]
    boundary_upload(actor=admin, region_code="64.02", file=io.BytesIO(json.dumps({
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"code": "64.02.06"},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}}],
    }).encode()))  # fmt: skip

    sign_in(page, "admin.kukar", PASSWORD)
    page.locator("aside.app-sidebar a[href='/laporan/dasbor/']").click()
    expect(page.get_by_test_id("dashboard-path")).to_contain_text("Kutai Kartanegara")
    expect(page.locator("[data-chart-ready='1']").first).to_be_visible()
    expect(page.get_by_test_id("panel-map").locator("[data-chart-ready='1']")).to_be_visible()
    page.get_by_test_id("panel-regions").get_by_role("link", name="Tenggarong", exact=True).click()
    page.get_by_test_id("panel-regions").get_by_role("link", name="Loa Ipuh", exact=True).click()
    expect(page.get_by_test_id("dashboard-path")).to_contain_text("Loa Ipuh")
    expect(page.get_by_test_id("panel-sex")).to_contain_text("5")
    with page.expect_download() as info:
        page.get_by_test_id("xlsx-sex").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert rows[1][1] == 5
    assert page.console_errors == []

    # The public status check, signed out.
    page.context.clear_cookies()
    page.goto(page.base_url + "/cek/")
    page.fill("#id_nik", workers[0].nik)
    page.fill("#id_birth_date", workers[0].birth_date.isoformat())
    page.locator("[data-testid=status-form] button[type=submit]").click()
    expect(page.get_by_test_id("status-result")).to_contain_text("Terlindungi")
    expect(page.get_by_test_id("status-name")).to_have_text("B*** S******")
    expect(page.locator("#id_nik")).to_have_value("")
