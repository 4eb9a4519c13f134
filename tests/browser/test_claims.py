"""Issue 8 in the browser: record a worker's death, and take the claim that opens to paid."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.claims.models import ClaimCase
from lindungi.enrolment.models import Enrolment
from lindungi.programmes.services import programme_create
from lindungi.registry.services import heir_add, worker_create, worker_verify_many

from ..conftest import PASSWORD
from ..enrolment.conftest import PROGRAMME, person
from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_death_becomes_a_claim_that_is_paid(page):
    admin = user_create(
        actor=None, username="admin.kukar", password=PASSWORD,
        role=Role.REGENCY_ADMIN, region_code="64.02",
    )  # fmt: skip
    worker = worker_create(actor=admin, data=person(1))
    worker_verify_many(actor=admin, worker_ids=[worker.pk])
    programme = programme_create(actor=admin, data=PROGRAMME)
    Enrolment.objects.create(
        worker=worker, programme=programme, region_code=worker.village_id, status="active",
        benefit_jkk=True, benefit_jkm=True, reported_income=1_000_000,
        start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31),
        covered_from=dt.date(2026, 1, 1),
    )  # fmt: skip
    heir_add(actor=admin, worker_id=worker.pk,
             data={"full_name": "Sri Wahyuni", "relationship": "spouse"})  # fmt: skip
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, "admin.kukar", PASSWORD)
    page.goto(f"{page.base_url}/pekerja/{worker.pk}/")
    form = page.get_by_test_id("event-form")
    form.locator("#id_ev-kind").select_option("deceased")
    form.locator("#id_ev-event_date").fill("2026-03-02")
    form.locator("#id_ev-reason").fill("Meninggal karena sakit")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("event-list")).to_contain_text("Meninggal")

    # The death opened a JKM case: find it in the claims list.
    page.locator("aside.app-sidebar a[href='/klaim/']").click()
    page.get_by_test_id("claim-table").locator("tbody a, tr a").first.click()
    expect(page.get_by_test_id("claim-status")).to_have_text("Dilaporkan")
    expect(page.get_by_test_id("entitlement")).to_have_text("42.000.000")

    heirs = page.get_by_test_id("heir-form")
    heirs.locator("input[type=radio]").first.check()
    heirs.locator("button[type=submit]").click()
    rows = page.get_by_test_id("checklist").locator("tr")
    expect(rows).to_have_count(8)  # the spouse receives: the marriage book is required
    kinds = page.get_by_test_id("document-form").locator("select[name=kind] option")
    for value in [kinds.nth(i).get_attribute("value") for i in range(kinds.count())]:
        documents = page.get_by_test_id("document-form")
        documents.locator("select[name=kind]").select_option(value)
        documents.locator("input[type=file]").set_input_files(
            {"name": f"{value}.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
        )
        documents.locator("button[type=submit]").click()
        expect(page.locator("[role=alert]")).to_contain_text("Dokumen diunggah")
    expect(page.get_by_test_id("checklist")).not_to_contain_text("✘")

    for status, extra in [("submitted", {}), ("approved", {"#st-ref": "JKM-2026-1"}),
                          ("paid", {"#st-amount": "42000000"})]:  # fmt: skip
        step = page.get_by_test_id("status-form")
        step.locator("#st-status").select_option(status)
        for selector, value in extra.items():
            step.locator(selector).fill(value)
        step.locator("button[type=submit]").click()
        expect(page.locator("[role=alert]")).to_contain_text("Status klaim diperbarui")
    expect(page.get_by_test_id("claim-status")).to_have_text("Dibayar")
    expect(page.get_by_test_id("amount-paid")).to_contain_text("42.000.000")
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(4)
    case = ClaimCase.objects.get(worker=worker)
    assert (case.status, case.amount_paid, case.heir.full_name) == ("paid", 42_000_000,
                                                                    "Sri Wahyuni")  # fmt: skip
    assert page.console_errors == []
