"""Slowing down password guessing (issue 22, finding 6). Used by `services.login_check`.

* **No account is ever locked.** Failures are counted per (username, client address) pair and
  per address, never per account: a stranger who knows a username cannot keep its owner out —
  the owner signs in from their own address — and API tokens are never touched.
* **Growing waits.** After `LOGIN_THROTTLE_THRESHOLD` failures of a pair (or
  `LOGIN_THROTTLE_ADDRESS_THRESHOLD` of an address, whatever the usernames: password spraying)
  the pair (address) waits `LOGIN_THROTTLE_FIRST_SECONDS`; each further failure doubles the
  wait, up to `LOGIN_THROTTLE_MAX_MINUTES`. During a wait no password is tried at all.
* **No oracle.** A username nobody has is counted exactly like a real one, with the same queries,
  so the answers (and their timing) never tell which usernames exist. Usernames are kept as a
  keyed hash: a password typed into the username field is never stored.
* A pair's count ends with a successful sign-in; every count is forgotten after a day without
  failures. An address's count does not end with a success (one's own account must not reset
  the count of a spraying address).

These writes take no `actor`: the person is not known yet. The audit rows are written by
`login_check`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils.crypto import salted_hmac

from .models import LoginThrottle

FORGET_AFTER = dt.timedelta(hours=24)


def username_key(username: str) -> str:
    return salted_hmac(
        "lindungi.accounts.login_throttle", username.strip().lower(), algorithm="sha256"
    ).hexdigest()


def _rows(username: str, address: str) -> Q:
    pair = Q(kind=LoginThrottle.Kind.PAIR, username_key=username_key(username), address=address)
    return pair | Q(kind=LoginThrottle.Kind.ADDRESS, username_key="", address=address)


def delay_seconds(failures: int, threshold: int) -> int:
    """The wait after `failures` failures: none below the threshold, then doubling to the cap."""
    config: dict[str, Any] = settings.LINDUNGI
    if failures < max(threshold, 1):
        return 0
    first = int(config["LOGIN_THROTTLE_FIRST_SECONDS"])
    cap = int(config["LOGIN_THROTTLE_MAX_MINUTES"]) * 60
    return min(first * 2 ** min(failures - threshold, 30), cap)


def throttle_wait(*, username: str, address: str, now: dt.datetime) -> int:
    """Seconds this username from this address must still wait before a password is tried."""
    until = LoginThrottle.objects.filter(_rows(username, address), blocked_until__gt=now).aggregate(
        until=Max("blocked_until")
    )["until"]
    return math.ceil((until - now).total_seconds()) if until else 0


@transaction.atomic
def throttle_failure(*, username: str, address: str, now: dt.datetime) -> int:
    """Count one failure for the pair and for the address; the seconds the next attempt waits."""
    config: dict[str, Any] = settings.LINDUNGI
    LoginThrottle.objects.filter(last_failure_at__lt=now - FORGET_AFTER).delete()
    wait = 0
    for kind, key, threshold in (
        (LoginThrottle.Kind.PAIR, username_key(username), config["LOGIN_THROTTLE_THRESHOLD"]),
        (LoginThrottle.Kind.ADDRESS, "", config["LOGIN_THROTTLE_ADDRESS_THRESHOLD"]),
    ):
        # Locked: two workers counting the same pair at once must both count.
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(
            kind=kind, username_key=key, address=address, defaults={"last_failure_at": now}
        )
        row.failures += 1
        row.last_failure_at = now
        seconds = delay_seconds(row.failures, int(threshold))
        row.blocked_until = now + dt.timedelta(seconds=seconds) if seconds else None
        row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
        wait = max(wait, seconds)
    return wait


def throttle_success(*, username: str, address: str) -> None:
    """A right password ends the pair's count (not the address's)."""
    LoginThrottle.objects.filter(
        kind=LoginThrottle.Kind.PAIR, username_key=username_key(username), address=address
    ).delete()


def throttle_clear(*, username: str) -> int:
    """End the counts of this username from every address (an admin's unlock, a new password)."""
    deleted, _ = LoginThrottle.objects.filter(
        kind=LoginThrottle.Kind.PAIR, username_key=username_key(username)
    ).delete()
    return deleted
