"""Issue 22, finding 6: failed sign-ins slow down one (username, address) pair and one address —
they never lock an account, never disable its API tokens, and never tell a known username from an
unknown one."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lindungi.accounts.services import login_check, token_authenticate, token_issue, user_unlock
from lindungi.core.context import action_context
from lindungi.core.errors import DomainError, Forbidden
from lindungi.core.models import AuditEvent

from ..conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

A, B = "203.0.113.7", "198.51.100.20"


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    moment = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moment.now)
    return moment


@pytest.fixture
def limits(settings):
    settings.LINDUNGI = {
        **settings.LINDUNGI,
        "LOGIN_THROTTLE_THRESHOLD": 3,
        "LOGIN_THROTTLE_ADDRESS_THRESHOLD": 50,
        "LOGIN_THROTTLE_FIRST_SECONDS": 60,
        "LOGIN_THROTTLE_MAX_MINUTES": 5,
    }
    return settings.LINDUNGI


def attempt(username, password, ip):
    """The outcome of one sign-in: ("ok", username) or (code, status, message, details)."""
    with action_context("web", ip=ip):
        try:
            return ("ok", login_check(username=username, password=password).username)
        except DomainError as exc:
            return (exc.code, exc.status, exc.message, exc.details)


def throttled(seconds, minutes):
    return (
        "login_throttled",
        429,
        f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.",
        {"retry_after": seconds},
    )


WRONG = (
    "invalid_credentials",
    401,
    "Nama pengguna atau kata sandi salah.",
    {},
)


def test_failures_slow_the_pair_down_with_doubling_waits_up_to_the_cap(world, limits, clock):
    assert attempt("op.loaipuh", "salah", A) == WRONG
    assert attempt("op.loaipuh", "salah", A) == WRONG
    assert attempt("op.loaipuh", "salah", A) == throttled(60, 1)
    # while the wait lasts the password is not even tried: the right one is refused too
    assert attempt("op.loaipuh", PASSWORD, A) == throttled(60, 1)
    clock.advance(59)
    assert attempt("op.loaipuh", PASSWORD, A) == throttled(1, 1)
    clock.advance(1)
    assert attempt("op.loaipuh", "salah", A) == throttled(120, 2)
    clock.advance(120)
    assert attempt("op.loaipuh", "salah", A) == throttled(240, 4)
    clock.advance(240)
    assert attempt("op.loaipuh", "salah", A) == throttled(300, 5)  # the cap
    clock.advance(300)
    assert attempt("op.loaipuh", "salah", A) == throttled(300, 5)
    clock.advance(300)
    assert attempt("op.loaipuh", PASSWORD, A) == ("ok", "op.loaipuh")
    # a success starts the pair's count over
    assert attempt("op.loaipuh", "salah", A) == WRONG
    assert attempt("op.loaipuh", "salah", A) == WRONG


def test_a_quiet_day_starts_the_count_over(world, limits, clock):
    for _ in range(3):
        attempt("op.loaipuh", "salah", A)
    clock.advance(25 * 3600)
    assert attempt("op.loaipuh", "salah", A) == WRONG


def test_strangers_cannot_keep_the_superadmin_out(world, limits, clock):
    for _ in range(20):
        attempt("super", "tebakan", A)
        clock.advance(1)
    assert attempt("super", PASSWORD, A)[0] == "login_throttled"
    # the superadmin at its own desk signs in, and its tokens keep working
    assert attempt("super", PASSWORD, B) == ("ok", "super")
    world.superadmin.refresh_from_db()
    assert world.superadmin.is_active


def test_failed_passwords_never_disable_api_tokens(world, limits, clock):
    _, raw = token_issue(user=world.regency_admin)
    for n in range(30):
        attempt("admin.kukar", "salah", f"10.0.{n}.1")
        attempt("admin.kukar", "salah", A)
    assert attempt("admin.kukar", PASSWORD, A)[0] == "login_throttled"
    assert token_authenticate(raw) == world.regency_admin


def test_known_and_unknown_usernames_get_the_same_answer_and_work_at_every_count(
    world, limits, clock, monkeypatch
):
    hashed = []
    original = MD5PasswordHasher.encode

    def counting(self, password, salt):
        hashed.append(1)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    for n in range(8):
        answers, work = [], []
        for username, ip in (("op.loaipuh", A), ("tidak.ada", B)):
            hashed.clear()
            with CaptureQueriesContext(connection) as queries:
                answers.append(attempt(username, "salah", ip))
            work.append((len(queries.captured_queries), len(hashed)))
        assert answers[0] == answers[1], n
        assert work[0] == work[1], (n, work)
        expected_hashes = 1 if n < 3 else 0  # a throttled attempt tries no password at all
        assert work[0][1] == expected_hashes, n
        clock.advance(1)
    assert answers[0][0] == "login_throttled"


def test_an_address_is_slowed_down_across_usernames(world, limits, clock):
    limits.update(LOGIN_THROTTLE_THRESHOLD=10, LOGIN_THROTTLE_ADDRESS_THRESHOLD=4)
    for username in ("a.satu", "b.dua", "op.loaipuh"):
        assert attempt(username, "salah", A) == WRONG
    assert attempt("d.empat", "salah", A) == throttled(60, 1)
    # any username from that address waits, even with its right password ...
    assert attempt("admin.kukar", PASSWORD, A) == throttled(60, 1)
    # ... while the same accounts sign in from elsewhere
    assert attempt("admin.kukar", PASSWORD, B) == ("ok", "admin.kukar")
    assert attempt("op.loaipuh", PASSWORD, B) == ("ok", "op.loaipuh")
    # once the wait is over, a success from that address does not reset the address's count
    clock.advance(60)
    assert attempt("admin.kukar", PASSWORD, A) == ("ok", "admin.kukar")
    assert attempt("e.lima", "salah", A) == throttled(120, 2)


def test_unlock_clears_the_throttle_of_that_account_only(world, limits, clock):
    for ip in (A, B):
        for _ in range(3):
            attempt("op.loaipuh", "salah", ip)
    for _ in range(3):
        attempt("auditor.kukar", "salah", A)
    with pytest.raises(Forbidden):
        user_unlock(actor=world.balikpapan_admin, user=world.village_operator)
    assert attempt("op.loaipuh", PASSWORD, A)[0] == "login_throttled"

    user_unlock(actor=world.regency_admin, user=world.village_operator)

    assert attempt("op.loaipuh", PASSWORD, A) == ("ok", "op.loaipuh")
    assert attempt("op.loaipuh", PASSWORD, B) == ("ok", "op.loaipuh")
    assert attempt("auditor.kukar", PASSWORD, A)[0] == "login_throttled"
    event = AuditEvent.objects.get(action="user.unlock")
    assert event.actor == world.regency_admin
    assert event.object_id == str(world.village_operator.pk)


def test_attempts_are_audited_without_the_typed_username(world, limits, clock):
    attempt("op.loaipuh", "salah", A)
    attempt("nama.rahasia", "salah", A)
    for _ in range(3):  # the second starts a wait, the third comes during it
        attempt("op.loaipuh", "salah", A)
    failed = AuditEvent.objects.filter(action="login.failed")
    assert failed.count() == 4
    assert failed.filter(object_id=str(world.village_operator.pk)).count() == 3
    assert set(failed.values_list("ip", flat=True)) == {A}
    # the failure that starts a wait says how long; the attempt refused during it is audited too
    assert failed.filter(changes={"wait_seconds": 60}).count() == 1
    assert AuditEvent.objects.filter(action="login.throttled").count() == 1
    assert not any(
        "nama.rahasia" in str(e.changes) + e.note + e.object_id for e in AuditEvent.objects.all()
    )


def test_the_user_pages_show_the_throttle_and_the_unlock_button_clears_it(world, limits, clock):
    for _ in range(3):
        attempt("op.loaipuh", "salah", A)
    admin = client_for(world.regency_admin)
    target = world.village_operator
    listing = admin.get("/pengguna/").content.decode()
    assert "Masuk dibatasi" in listing
    detail = admin.get(f"/pengguna/{target.pk}/").content.decode()
    assert "Masuk dibatasi sampai" in detail
    assert f"/pengguna/{target.pk}/buka-kunci/" in detail
    response = admin.post(f"/pengguna/{target.pk}/buka-kunci/")
    assert response.status_code == 302
    assert attempt("op.loaipuh", PASSWORD, A) == ("ok", "op.loaipuh")
    detail = admin.get(f"/pengguna/{target.pk}/").content.decode()
    assert "Masuk dibatasi sampai" not in detail
