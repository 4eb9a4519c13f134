import pytest
from playwright.sync_api import expect

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.dedup.models import CandidatePair, Decision, DedupRun
from lindungi.dedup.services import dedup_run_execute
from lindungi.registry.models import Heir, Worker
from lindungi.registry.services import heir_add, worker_create

from ..conftest import PASSWORD
from ..dedup.test_merge_and_queue import HJ_SITI, SITI
from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_review_a_pair_side_by_side_and_merge_it(page):
    operator = user_create(
        actor=None,
        username="op.loaipuh",
        password=PASSWORD,
        role=Role.VILLAGE_OPERATOR,
        region_code="64.02.06.1002",
    )
    user_create(
        actor=None,
        username="admin.kukar",
        password=PASSWORD,
        role=Role.REGENCY_ADMIN,
        region_code="64.02",
    )
    a = worker_create(actor=operator, data=SITI)
    b = worker_create(actor=operator, data={**HJ_SITI, "phone": "0813 2222 3333"})
    heir = heir_add(
        actor=operator, worker_id=b.pk, data={"full_name": "Budi", "relationship": "spouse"}
    )
    dedup_run_execute(DedupRun.objects.create(kind="registry", region_code="64.02"))
    pair = CandidatePair.objects.get()

    sign_in(page, "admin.kukar", PASSWORD)
    page.locator("aside.app-sidebar a[href='/duplikat/']").click()
    row = page.locator(f"[data-testid=pair-table] tr[data-pair='{pair.pk}']")
    expect(row).to_contain_text("Hj. SITI AMINAH")
    row.locator("a").click()

    table = page.get_by_test_id("compare-table")
    expect(table.locator("tr[data-field=name]")).to_have_class("field-agrees")
    expect(table.locator("tr[data-field=phone]")).to_have_class("field-disagrees")
    page.locator("#survivor-a").check()
    page.locator("button[name=decision][value=same]").click()
    page.wait_for_url(page.base_url + "/duplikat/")
    expect(page.get_by_test_id("merge-table")).to_contain_text("Hj. SITI AMINAH")

    assert Worker.objects.get(pk=b.pk).merged_into_id == a.pk
    assert Heir.objects.get(pk=heir.pk).worker_id == a.pk
    assert CandidatePair.objects.get().decision == Decision.SAME
    assert page.console_errors == []
