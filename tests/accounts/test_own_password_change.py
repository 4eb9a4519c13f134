"""Issue 22, finding 7: changing one's own password asks for the current one — a session left
open on a shared computer must not be enough to take the account over."""

import pytest

from lindungi.accounts.services import token_authenticate, token_issue, user_set_password
from lindungi.core.context import action_context
from lindungi.core.errors import DomainError, FieldErrors
from lindungi.core.models import AuditEvent

from ..conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

NEW = "Sandi#Baru2026x"


def _unchanged(user, raw):
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert token_authenticate(raw) == user
    assert not AuditEvent.objects.filter(
        action="user.set_password", object_id=str(user.pk)
    ).exists()
    assert not AuditEvent.objects.filter(action="token.revoke").exists()


@pytest.mark.parametrize("current", [None, "", "Salah#Sekali2026"])
def test_the_service_refuses_an_own_change_without_the_right_current_password(world, current):
    user = world.district_operator
    _, raw = token_issue(user=user)
    with pytest.raises(FieldErrors) as excinfo:
        user_set_password(actor=user, user=user, password=NEW, current_password=current)
    assert excinfo.value.status == 422
    [error] = excinfo.value.fields["current_password"]
    assert error == {"code": "current_password_wrong", "message": "Kata sandi saat ini salah."}
    _unchanged(user, raw)


def test_the_service_accepts_the_right_current_password(world):
    user = world.district_operator
    user_set_password(actor=user, user=user, password=NEW, current_password=PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_an_admin_reset_of_someone_else_needs_no_current_password(world):
    user_set_password(actor=world.regency_admin, user=world.village_operator, password=NEW)
    world.village_operator.refresh_from_db()
    assert world.village_operator.check_password(NEW)


def test_guessing_the_current_password_is_slowed_down_like_a_sign_in(world, settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "LOGIN_THROTTLE_THRESHOLD": 3}
    user = world.district_operator
    _, raw = token_issue(user=user)
    with action_context("web", ip="203.0.113.7"):
        for _ in range(2):
            with pytest.raises(FieldErrors):
                user_set_password(actor=user, user=user, password=NEW, current_password="tebak")
        with pytest.raises(DomainError) as excinfo:
            user_set_password(actor=user, user=user, password=NEW, current_password="tebak")
        assert (excinfo.value.code, excinfo.value.status) == ("login_throttled", 429)
        # during the wait not even the right one is tried
        with pytest.raises(DomainError) as excinfo:
            user_set_password(actor=user, user=user, password=NEW, current_password=PASSWORD)
        assert excinfo.value.code == "login_throttled"
    _unchanged(user, raw)
    assert (
        AuditEvent.objects.filter(
            action="user.current_password_wrong", object_id=str(user.pk), actor=user
        ).count()
        == 3
    )


def test_the_profile_page_asks_for_the_current_password(world):
    user = world.district_operator
    _, raw = token_issue(user=user)
    client = client_for(user)
    page = client.get("/akun/saya/").content.decode()
    assert 'name="pw-current_password"' in page
    assert "Kata sandi saat ini" in page

    missing = client.post("/akun/saya/", {"pw-password": NEW, "pw-password2": NEW})
    assert missing.status_code == 200
    wrong = client.post(
        "/akun/saya/",
        {"pw-current_password": "Salah#Sekali2026", "pw-password": NEW, "pw-password2": NEW},
    )
    assert wrong.status_code == 200
    assert "Kata sandi saat ini salah." in wrong.content.decode()
    _unchanged(user, raw)

    right = client.post(
        "/akun/saya/", {"pw-current_password": PASSWORD, "pw-password": NEW, "pw-password2": NEW}
    )
    assert right.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
