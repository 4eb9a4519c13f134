import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from lindungi.accounts.models import ApiToken, User
from lindungi.accounts.services import login_check, token_authenticate, token_issue, token_revoke
from lindungi.core.context import action_context
from lindungi.core.errors import DomainError, Forbidden
from lindungi.core.models import AuditEvent

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_succeeds_and_is_audited(world):
    user = login_check(username=" Op.LoaIpuh ", password=PASSWORD)
    assert user == world.village_operator
    assert AuditEvent.objects.filter(action="login.succeeded", actor=user, kind="auth").exists()


def test_five_failures_slow_down_that_username_from_that_address(world, settings):
    """Was: five failures locked the account everywhere (issue 22, finding 6)."""
    settings.LINDUNGI = {
        **settings.LINDUNGI,
        "LOGIN_THROTTLE_THRESHOLD": 5,
        "LOGIN_THROTTLE_FIRST_SECONDS": 60,
    }
    with action_context("web", ip="203.0.113.7"):
        for _ in range(4):
            with pytest.raises(DomainError) as excinfo:
                login_check(username="op.loaipuh", password="salah")
            assert excinfo.value.code == "invalid_credentials"
        with pytest.raises(DomainError) as excinfo:
            login_check(username="op.loaipuh", password="salah")
        assert excinfo.value.code == "login_throttled"
        assert excinfo.value.status == 429
        assert "Coba lagi dalam 1 menit" in excinfo.value.message
        # the right password waits too, from that address
        with pytest.raises(DomainError) as excinfo:
            login_check(username="op.loaipuh", password=PASSWORD)
        assert excinfo.value.code == "login_throttled"
    # from another address it works at once
    with action_context("web", ip="198.51.100.20"):
        assert login_check(username="op.loaipuh", password=PASSWORD) == world.village_operator
    assert (
        AuditEvent.objects.filter(
            action="login.failed", object_id=str(world.village_operator.pk)
        ).count()
        == 5
    )


def test_unknown_user_and_inactive_user(world):
    with pytest.raises(DomainError) as excinfo:
        login_check(username="tidak.ada", password=PASSWORD)
    assert excinfo.value.code == "invalid_credentials"
    User.objects.filter(pk=world.auditor.pk).update(is_active=False)
    with pytest.raises(DomainError) as excinfo:
        login_check(username="auditor.kukar", password=PASSWORD)
    assert excinfo.value.code == "account_inactive"


def test_tokens_authenticate_until_revoked_or_expired(world):
    token, raw = token_issue(user=world.regency_admin, name="laptop")
    assert raw.startswith("lnd_")
    assert token.key_hash != raw and raw not in token.key_hash  # only the hash is stored
    assert token_authenticate(raw) == world.regency_admin
    assert token_authenticate(raw + "x") is None
    assert token_authenticate("") is None

    token_revoke(actor=world.regency_admin, token=token)
    assert token_authenticate(raw) is None
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()

    expired, raw2 = token_issue(user=world.regency_admin)
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert token_authenticate(raw2) is None

    _, raw3 = token_issue(user=world.auditor)
    User.objects.filter(pk=world.auditor.pk).update(is_active=False)
    assert token_authenticate(raw3) is None


def test_revoking_someone_elses_token_needs_authority(world):
    token, _ = token_issue(user=world.manggar_operator)
    with pytest.raises(Forbidden):
        token_revoke(actor=world.regency_admin, token=token)  # Balikpapan is outside Kukar
    token_revoke(actor=world.balikpapan_admin, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_create_user_command(regions, capsys):
    call_command(
        "create_user",
        "--username",
        "op.jahab",
        "--password",
        PASSWORD,
        "--role",
        "village_operator",
        "--region",
        "64.02.06.1001",
    )
    assert "op.jahab" in capsys.readouterr().out
    user = User.objects.get(username="op.jahab")
    assert user.region_id == "64.02.06.1001"
    assert AuditEvent.objects.filter(
        action="user.create", channel="cli", object_id=str(user.pk)
    ).exists()


def test_create_user_command_explains_errors(regions):
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "create_user",
            "--username",
            "op.x",
            "--password",
            PASSWORD,
            "--role",
            "village_operator",
            "--region",
            "64.02",
        )
    assert "harus memiliki wilayah tingkat" in str(excinfo.value)
    assert not User.objects.filter(username="op.x").exists()
