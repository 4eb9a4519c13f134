import datetime as dt

import pytest
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.enrolment.models import Enrolment
from lindungi.programmes.models import Programme
from lindungi.registry.services import worker_create, worker_verify_many

from ..conftest import PASSWORD
from ..enrolment.conftest import person
from .conftest import sign_in, wait_for_htmx

pytestmark = pytest.mark.browser


def test_create_a_programme_and_download_its_batch_file(page, tmp_path):
    operator = user_create(
        actor=None, username="op.loaipuh", password=PASSWORD,
        role=Role.VILLAGE_OPERATOR, region_code="64.02.06.1002",
    )  # fmt: skip
    admin = user_create(
        actor=None, username="admin.kukar", password=PASSWORD,
        role=Role.REGENCY_ADMIN, region_code="64.02",
    )  # fmt: skip
    workers = [worker_create(actor=operator, data=person(n)) for n in (1, 2, 3)]
    worker_verify_many(actor=admin, worker_ids=[w.pk for w in workers])

    sign_in(page, "admin.kukar", PASSWORD)
    page.locator("aside.app-sidebar a[href='/program/']").click()
    page.get_by_test_id("programme-new").click()
    year = dt.date.today().year + 1
    page.fill("#id_name", f"Perlindungan Pekerja Rentan Kukar {year}")
    page.select_option("#id_funder", "APBD_KABKOTA")
    page.fill("#id_funder_name", "Pemkab Kutai Kartanegara")
    page.fill("#id_legal_basis", "Perbup Kukar No. 12/2025")
    page.fill("#id_budget_amount", "3000000000")
    page.fill("#id_targets", "64.02.06 5000")
    page.locator("[data-testid=programme-form] button[type=submit]").click()

    expect(page.get_by_test_id("programme-name")).to_contain_text("Kukar")
    expect(page.get_by_test_id("monthly")).to_contain_text("Rp16.800")
    wait_for_htmx(page)
    expect(page.get_by_test_id("proposed")).to_have_text("3")
    page.get_by_test_id("batch-create").click()

    expect(page.get_by_test_id("batch-status")).to_have_text("Draf")
    expect(page.get_by_test_id("enrolment-table").locator("tbody tr")).to_have_count(3)
    page.get_by_test_id("batch-submit").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("Dikirim ke BPJS")
    with page.expect_download() as info:
        page.get_by_test_id("download-xlsx").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)

    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["NO", "NIK", "NAMA LENGKAP"]
    assert sorted(r[1] for r in rows[1:]) == sorted(w.nik for w in workers)
    programme = Programme.objects.get()
    assert Enrolment.objects.filter(programme=programme, status="submitted").count() == 3
    assert page.console_errors == []
