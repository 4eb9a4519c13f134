import re

import pytest
from playwright.sync_api import expect

from lindungi.accounts.models import User
from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create

from ..conftest import PASSWORD
from .conftest import sign_in, wait_for_htmx

pytestmark = pytest.mark.browser


def test_sign_in_see_home_and_switch_language(page):
    user_create(
        actor=None,
        username="op.loaipuh",
        password=PASSWORD,
        role=Role.VILLAGE_OPERATOR,
        region_code="64.02.06.1002",
        first_name="Andi",
    )
    page.goto(page.base_url + "/")
    expect(page).to_have_url(re.compile(r"/masuk/"))
    # the browser asks for English, the application still opens in Indonesian
    expect(page.locator("h1")).to_have_text("Lindungi")
    expect(page.get_by_role("button", name="Masuk")).to_be_visible()

    sign_in(page, "op.loaipuh", PASSWORD)
    expect(page.locator("h1")).to_contain_text("Selamat datang, Andi")
    expect(page.locator(".app-sidebar")).to_contain_text("Beranda")

    page.get_by_role("button", name="EN").click()
    expect(page.locator("h1")).to_contain_text("Welcome, Andi")
    expect(page.locator(".app-sidebar")).to_contain_text("Home")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="ID").click()
    expect(page.locator("h1")).to_contain_text("Selamat datang, Andi")
    assert page.console_errors == []


def test_wrong_password_shows_the_indonesian_message(page):
    user_create(
        actor=None,
        username="admin.kukar",
        password=PASSWORD,
        role=Role.REGENCY_ADMIN,
        region_code="64.02",
    )
    page.goto(page.base_url + "/masuk/")
    page.fill("#id_username", "admin.kukar")
    page.fill("#id_password", "keliru")
    page.click("form button[type=submit].btn-primary")
    expect(page.get_by_test_id("login-error")).to_contain_text(
        "Nama pengguna atau kata sandi salah"
    )


def test_admin_creates_an_operator_with_the_cascading_region_picker(page):
    user_create(
        actor=None,
        username="admin.kukar",
        password=PASSWORD,
        role=Role.REGENCY_ADMIN,
        region_code="64.02",
    )
    sign_in(page, "admin.kukar", PASSWORD)
    page.get_by_role("link", name="Pengguna").click()
    page.get_by_role("link", name="Tambah pengguna").click()
    page.fill("#id_username", "op.timbau")
    page.select_option("#id_role", "village_operator")
    page.fill("#id_password", PASSWORD)
    page.select_option("select[data-level=district]", "64.02.06")  # HTMX loads the villages
    expect(page.get_by_test_id("region-code")).to_have_text("64.02.06")
    wait_for_htmx(page)
    page.select_option("select[data-level=village]", "64.02.06.1004")
    expect(page.get_by_test_id("region-code")).to_have_text("64.02.06.1004")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("h1")).to_have_text("op.timbau")
    assert User.objects.get(username="op.timbau").region_id == "64.02.06.1004"
    assert page.console_errors == []
