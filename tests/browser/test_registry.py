import pytest
from playwright.sync_api import expect

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.core.models import AuditEvent
from lindungi.registry.models import Worker

from ..conftest import PASSWORD
from .conftest import sign_in, wait_for_htmx

pytestmark = pytest.mark.browser


def test_register_with_a_bad_nik_fix_it_and_find_the_worker(page):
    user_create(
        actor=None,
        username="op.loaipuh",
        password=PASSWORD,
        role=Role.VILLAGE_OPERATOR,
        region_code="64.02.06.1002",
        first_name="Andi",
    )
    sign_in(page, "op.loaipuh", PASSWORD)
    page.locator(".app-sidebar").get_by_role("link", name="Pekerja", exact=True).click()
    page.get_by_role("link", name="Daftarkan pekerja").click()

    page.fill("#id_nik", "6402 0612 0580 001")  # 15 digits
    page.fill("#id_full_name", "  Budi   Santoso ")
    page.fill("#id_birth_date", "12 Mei 1980")
    page.select_option("#id_sex", "L")
    page.fill("#id_phone", "0812-3456-7890")
    page.fill("#id_occupation", "petani sawit")
    page.get_by_role("button", name="Simpan").click()

    error = page.locator("[data-field-error=nik]")
    expect(error).to_have_text("NIK harus 16 digit (tertulis 15 digit).")
    assert Worker.objects.count() == 0

    page.fill("#id_nik", "6402 0612 0580 0001")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("worker-name")).to_have_text("Budi Santoso")
    expect(page.get_by_test_id("verification-status")).to_have_text("Perlu verifikasi")
    expect(page.get_by_test_id("nik-masked")).to_have_text("6402**********01")

    page.get_by_test_id("reveal-nik").click()
    expect(page.get_by_test_id("nik-full")).to_have_text("6402061205800001")
    assert AuditEvent.objects.filter(action="worker.reveal_nik").count() == 1

    page.locator(".app-sidebar").get_by_role("link", name="Pekerja", exact=True).click()
    page.fill("#id_q", "budi santosa")  # a typo
    page.get_by_role("button", name="Cari").click()
    wait_for_htmx(page)
    expect(page.get_by_test_id("worker-table")).to_contain_text("Budi Santoso")
    expect(page.get_by_test_id("worker-count")).to_have_text("1 pekerja")
    assert page.console_errors == []
