import pytest
from django.test import Client

from lindungi.accounts.models import ApiToken, User
from lindungi.core.models import Job

from ..conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def test_login_page_is_indonesian_and_signs_in(client, world):
    page = client.get("/masuk/")
    assert page.status_code == 200
    assert "Nama pengguna" in page.content.decode()
    assert page.headers["Content-Language"] == "id"
    response = client.post("/masuk/", {"username": "op.loaipuh", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    home = client.get("/")
    assert "Selamat datang" in home.content.decode()


def test_browser_language_does_not_override_indonesian(client, world):
    page = client.get("/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.headers["Content-Language"] == "id"


def test_login_page_shows_the_throttle_message_alike_for_any_username(world):
    """Was: "Akun dikunci sementara" for a known username only (issue 22, finding 6)."""
    bodies = {}
    for username in ("op.loaipuh", "tidak.ada"):
        client = Client(REMOTE_ADDR="203.0.113.7" if username == "op.loaipuh" else "192.0.2.9")
        for _ in range(5):
            response = client.post("/masuk/", {"username": username, "password": "salah"})
            assert response.status_code == 200
            assert "_auth_user_id" not in client.session
        bodies[username] = response.content.decode()
    for body in bodies.values():
        assert "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam" in body
        assert "dikunci" not in body
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    response = elsewhere.post("/masuk/", {"username": "op.loaipuh", "password": PASSWORD})
    assert response.status_code == 302


def test_security_headers(client, world):
    response = client.get("/masuk/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    signed_in = client_for(world.regency_admin).get("/")
    assert signed_in.headers["Cache-Control"] == "no-store"


def test_no_inline_scripts_or_styles_in_pages(world):
    client = client_for(world.superadmin)
    for url in [
        "/",
        "/pengguna/",
        "/pengguna/baru/",
        "/audit/",
        "/pekerjaan/",
        "/wilayah/",
        "/wilayah/64.02/",
        "/akun/saya/",
    ]:
        body = client.get(url).content.decode()
        assert "<script>" not in body and " style=" not in body and "onclick=" not in body, url


@pytest.mark.parametrize(
    "who",
    [
        "superadmin",
        "province_admin",
        "regency_admin",
        "district_operator",
        "village_operator",
        "bpjs_officer",
        "auditor",
    ],
)
def test_home_renders_for_every_role(world, who):
    response = client_for(getattr(world, who)).get("/")
    assert response.status_code == 200
    assert getattr(world, who).get_role_display() in response.content.decode()


def test_navigation_follows_capabilities(world):
    admin = client_for(world.regency_admin).get("/").content.decode()
    operator = client_for(world.village_operator).get("/").content.decode()
    assert 'href="/pengguna/"' in admin and 'href="/audit/"' in admin
    assert 'href="/pengguna/"' not in operator and 'href="/audit/"' not in operator
    forbidden = client_for(world.village_operator).get("/pengguna/")
    assert forbidden.status_code == 403
    assert "tidak berwenang" in forbidden.content.decode()


def test_create_user_from_the_page(world):
    client = client_for(world.regency_admin)
    form = client.get("/pengguna/baru/")
    assert 'name="region" value="64.02"' in form.content.decode()
    bad = client.post(
        "/pengguna/baru/",
        {
            "username": "op.jahab",
            "role": "village_operator",
            "region": "64.02.06",
            "password": PASSWORD,
        },
    )
    assert bad.status_code == 200
    assert "harus memiliki wilayah tingkat Desa/Kelurahan" in bad.content.decode()
    assert not User.objects.filter(username="op.jahab").exists()
    ok = client.post(
        "/pengguna/baru/",
        {
            "username": "op.jahab",
            "role": "village_operator",
            "region": "64.02.06.1001",
            "password": PASSWORD,
        },
    )
    user = User.objects.get(username="op.jahab")
    assert ok.status_code == 302 and ok.url == f"/pengguna/{user.pk}/"
    assert user.region_id == "64.02.06.1001"


def test_region_picker_cascades_inside_the_scope(world):
    client = client_for(world.regency_admin)
    body = client.get("/wilayah/pilih/", {"name": "region", "code": "64.02.06"}).content.decode()
    assert 'name="region" value="64.02.06"' in body
    assert "Loa Ipuh" in body  # the villages of Tenggarong are offered next
    outside = client.get("/wilayah/pilih/", {"name": "region", "code": "64.71"}).content.decode()
    assert 'name="region" value="64.02"' in outside  # falls back to the actor's own scope
    assert "Manggar" not in outside


def test_edit_lock_unlock_and_password_reset_from_pages(world):
    client = client_for(world.regency_admin)
    target = world.village_operator
    response = client.post(
        f"/pengguna/{target.pk}/",
        {
            "first_name": "Andi",
            "last_name": "P",
            "email": "",
            "phone": "0812",
            "role": "village_operator",
            "region": "64.02.06.1002",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.first_name, target.phone) == ("Andi", "0812")
    detail = client.get(f"/pengguna/{target.pk}/").content.decode()
    assert "user.update" in detail  # history on the page
    client.post(
        f"/pengguna/{target.pk}/sandi/",
        {"pw-password": "Sandi#Baru2026", "pw-password2": "Sandi#Baru2026"},
    )
    target.refresh_from_db()
    assert target.check_password("Sandi#Baru2026")


def test_tokens_from_the_profile_page(world):
    client = client_for(world.district_operator)
    client.post("/akun/token/buat/", {"tk-name": "skrip desa"})
    page = client.get("/akun/saya/").content.decode()
    token = ApiToken.objects.get(user=world.district_operator)
    assert token.key_prefix in page and "Salin token ini sekarang" in page
    again = client.get("/akun/saya/").content.decode()
    assert "Salin token ini sekarang" not in again  # shown once
    client.post(f"/akun/token/{token.pk}/cabut/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_region_reload_is_a_superadmin_job(world, django_capture_on_commit_callbacks):
    refused = client_for(world.province_admin).post("/wilayah/muat-ulang/")
    assert refused.status_code == 403
    client = client_for(world.superadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wilayah/muat-ulang/")
    job = Job.objects.get(kind="regions.load")
    assert response.url == f"/pekerjaan/{job.pk}/"
    progress = client.get(f"/pekerjaan/{job.pk}/kemajuan/").content.decode()
    assert 'data-status="succeeded"' in progress
    assert "hx-trigger" not in progress  # a finished job stops polling


def test_running_job_keeps_polling(world):
    job = Job.objects.create(
        kind="x",
        label="x",
        actor=world.regency_admin,
        region_code="64.02",
        status="running",
        done=5,
        total=20,
    )
    body = client_for(world.regency_admin).get(f"/pekerjaan/{job.pk}/kemajuan/").content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "pct-25" in body


def test_audit_page_filters(world):
    client = client_for(world.regency_admin)
    Client().post("/masuk/", {"username": "op.loaipuh", "password": "salah"})
    body = client.get("/audit/", {"action": "login.failed"}).content.decode()
    assert "login.failed" in body
    assert "user.create" not in body
