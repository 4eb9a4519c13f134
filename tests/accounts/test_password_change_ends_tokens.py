"""Issue 22, finding 5: a new password ends every API token of the account, whichever door
changed it (own change, an admin's reset, the command line), and the revocations are audited."""

import datetime as dt
import getpass

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lindungi.accounts.models import ApiToken, User
from lindungi.accounts.services import token_authenticate, token_issue, user_set_password
from lindungi.core.errors import FieldErrors
from lindungi.core.models import AuditEvent

from ..conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

NEW = "Sandi#Baru2026x"


def _tokens(user):
    """Two usable tokens, one revoked earlier, one expired; and the raw keys of the usable ones."""
    first, raw1 = token_issue(user=user, name="laptop")
    second, raw2 = token_issue(user=user, name="skrip")
    old, _ = token_issue(user=user, name="lama")
    earlier = timezone.now() - dt.timedelta(days=3)
    ApiToken.objects.filter(pk=old.pk).update(revoked_at=earlier)
    return [first, second], [raw1, raw2], old, earlier


def _revocations(tokens):
    return AuditEvent.objects.filter(
        action="token.revoke", object_type="accounts.apitoken", object_id__in=[t.pk for t in tokens]
    )


def test_an_admin_reset_ends_every_token_of_that_account_and_audits_each(world):
    user = world.village_operator
    tokens, raws, old, earlier = _tokens(user)
    _, other_raw = token_issue(user=world.district_operator)
    assert all(token_authenticate(raw) == user for raw in raws)

    user_set_password(actor=world.regency_admin, user=user, password=NEW)

    assert [token_authenticate(raw) for raw in raws] == [None, None]
    assert all(
        t.revoked_at is not None for t in ApiToken.objects.filter(pk__in=[t.pk for t in tokens])
    )
    old.refresh_from_db()
    assert old.revoked_at == earlier  # an earlier revocation keeps its date
    events = _revocations(tokens)
    assert events.count() == 2
    assert {e.actor_id for e in events} == {world.regency_admin.pk}
    assert {e.region_code for e in events} == {"64.02.06.1002"}
    assert all(e.changes == {"reason": "password_changed"} for e in events)
    assert not _revocations([old]).exists()
    # someone else's tokens are not touched
    assert token_authenticate(other_raw) == world.district_operator


def test_a_refused_password_ends_no_token(world):
    user = world.village_operator
    _, raws, _, _ = _tokens(user)
    before = AuditEvent.objects.count()
    with pytest.raises(FieldErrors):
        user_set_password(actor=world.regency_admin, user=user, password="pendek")
    assert all(token_authenticate(raw) == user for raw in raws)
    assert AuditEvent.objects.count() == before
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_admin_reset_page_ends_the_tokens(world):
    user = world.village_operator
    _, raws, _, _ = _tokens(user)
    client_for(world.regency_admin).post(
        f"/pengguna/{user.pk}/sandi/", {"pw-password": NEW, "pw-password2": NEW}
    )
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert [token_authenticate(raw) for raw in raws] == [None, None]


def test_the_own_change_on_the_profile_page_ends_the_tokens(world):
    user = world.district_operator
    tokens, raws, _, _ = _tokens(user)
    client = client_for(user)
    response = client.post(
        "/akun/saya/",
        {"pw-current_password": PASSWORD, "pw-password": NEW, "pw-password2": NEW},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert [token_authenticate(raw) for raw in raws] == [None, None]
    assert {e.actor_id for e in _revocations(tokens)} == {user.pk}
    assert client.get("/akun/saya/").status_code == 200  # the page session itself goes on


def test_the_changepassword_command_goes_through_the_service(world, monkeypatch):
    user = world.village_operator
    tokens, raws, _, _ = _tokens(user)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": NEW)
    call_command("changepassword", "op.loaipuh")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert [token_authenticate(raw) for raw in raws] == [None, None]
    assert set(_revocations(tokens).values_list("channel", flat=True)) == {"cli"}
    assert AuditEvent.objects.filter(
        action="user.set_password", object_id=str(user.pk), channel="cli"
    ).exists()


def test_the_changepassword_command_refuses_a_weak_password_and_changes_nothing(world, monkeypatch):
    user = world.village_operator
    _, raws, _, _ = _tokens(user)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "12345")
    with pytest.raises(CommandError) as excinfo:
        call_command("changepassword", "op.loaipuh")
    assert "Kata sandi tidak memenuhi ketentuan" in str(excinfo.value)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert all(token_authenticate(raw) == user for raw in raws)
    with pytest.raises(CommandError) as excinfo:
        call_command("changepassword", "tidak.ada")
    assert "tidak.ada" in str(excinfo.value)


def test_the_django_admin_password_form_sends_people_to_their_account_page(world):
    client = client_for(world.superadmin)
    _, raw = token_issue(user=world.superadmin)
    shown = client.get("/django-admin/password_change/")
    assert shown.status_code == 302
    assert shown.url == "/akun/saya/"
    posted = client.post(
        "/django-admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert posted.status_code == 302
    assert User.objects.get(pk=world.superadmin.pk).check_password(PASSWORD)
    assert token_authenticate(raw) == world.superadmin
