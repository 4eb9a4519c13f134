"""The public status check (issue 9, domain.md §9): anyone may ask whether a NIK is protected
today, with the birth date as a second key — no login.

* **Same shape, same time.** The answer has the same fields whether the person is protected, is
  registered without cover, or is unknown: the last two are indistinguishable (the birth date is
  encoded in the NIK, so it proves little; the registry itself stays private). Every answer takes
  at least `PUBLIC_CHECK_MIN_SECONDS`.
* **Rate-limited** per address (`PUBLIC_CHECK_PER_ADDRESS_PER_MINUTE`) and per NIK
  (`PUBLIC_CHECK_PER_NIK_PER_HOUR`), counted from the audit log — so the limits hold across
  every server process — and counted and recorded in one step under a lock per address and per
  NIK, so concurrent requests cannot all slip under a limit before any of them is counted.
* **Audited.** Every check leaves an audit row with the address and a keyed hash of the NIK (never
  the NIK itself) and whether cover was found.
* The name is masked (first letter of each word), the NIK never echoed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from lindungi.core.audit import audit_record
from lindungi.core.context import current_context
from lindungi.core.errors import CoreError, DomainError
from lindungi.core.models import AuditEvent
from lindungi.core.privacy import mask_name
from lindungi.enrolment.models import Enrolment, EnrolmentStatus
from lindungi.registry.models import Worker

ACTION = "public.status_check"


class RateLimited(DomainError):
    status = 429

    def __init__(self) -> None:
        super().__init__(CoreError.RATE_LIMITED)


@dataclass(frozen=True)
class PublicStatus:
    protected: bool
    name_masked: str | None
    programme: str | None
    funder: str | None
    benefits: list[str]
    covered_until: dt.date | None
    checked_on: dt.date
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _config(name: str, default: float) -> float:
    return float(settings.LINDUNGI.get(name, default))


def nik_key(nik: str) -> str:
    """A keyed hash of a NIK: the same NIK gives the same key, the key gives back no NIK."""
    return hmac.new(settings.SECRET_KEY.encode(), nik.encode(), hashlib.sha256).hexdigest()


def _normalised_nik(value: Any) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())[:16]


def _birth_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
    return None


def _one_at_a_time(*keys: str) -> None:
    """Hold, to the end of the transaction, the lock of each key: the requests for one address
    or one NIK are counted one after another, so N at once get at most the limit.

    PostgreSQL: a transaction-scoped advisory lock per key, taken in one order (no deadlock).
    SQLite: the transaction itself is the lock — `transaction_mode` IMMEDIATE (settings) takes
    the database's write lock at BEGIN, before anything is counted.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted({k for k in keys if k}):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{ACTION}:{key}"])


def _limited(key: str, ip: str | None) -> bool:
    """Whether this check would pass a limit, counted from the audit log (every process's
    checks are there); call it under `_one_at_a_time`, with the check's own row written after."""
    now = timezone.now()
    rows = AuditEvent.objects.filter(action=ACTION)
    per_address = int(_config("PUBLIC_CHECK_PER_ADDRESS_PER_MINUTE", 10))
    per_nik = int(_config("PUBLIC_CHECK_PER_NIK_PER_HOUR", 5))
    if ip and rows.filter(ip=ip, at__gte=now - dt.timedelta(minutes=1)).count() >= per_address:
        return True
    recent = rows.filter(object_type="nik", object_id=key, at__gte=now - dt.timedelta(hours=1))
    return recent.count() >= per_nik


def _cover(nik: str, birth_date: dt.date | None, today: dt.date) -> Enrolment | None:
    worker = Worker.objects.filter(nik=nik).only("pk", "birth_date").first()
    if worker is None or birth_date is None or worker.birth_date != birth_date:
        return None
    return (
        Enrolment.objects.filter(
            worker_id=worker.pk, status=EnrolmentStatus.ACTIVE, covered_from__lte=today
        )
        .filter(Q(covered_until__isnull=True) | Q(covered_until__gte=today))
        .select_related("programme", "worker")
        .order_by("-end_date", "-id")
        .first()
    )


def public_status(*, nik: Any, birth_date: Any, today: dt.date | None = None) -> PublicStatus:
    """Whether the person is protected today; raises RateLimited past the limits."""
    started = time.monotonic()
    day = today or timezone.localdate()
    number = _normalised_nik(nik)
    key = nik_key(number)
    ip = current_context().ip
    try:
        # Counting and recording the check are one step: a concurrent check of the same address
        # or NIK waits here and then counts this one too.
        with transaction.atomic():
            _one_at_a_time(f"ip:{ip}" if ip else "", f"nik:{key}")
            limited = _limited(key, ip)
            enrolment = None
            if not limited and len(number) == 16:
                enrolment = _cover(number, _birth_date(birth_date), day)
            result = "rate_limited" if limited else "protected" if enrolment else "not_found"
            audit_record(actor=None, action=ACTION, kind=AuditEvent.Kind.VIEW,
                         object_type="nik", object_id=key, changes={"result": result})  # fmt: skip
        if limited:
            raise RateLimited()
        if enrolment is None:
            return PublicStatus(
                protected=False, name_masked=None, programme=None, funder=None, benefits=[],
                covered_until=None, checked_on=day,
                message="Tidak ditemukan perlindungan BPJS Ketenagakerjaan yang aktif hari ini"
                " untuk NIK dan tanggal lahir ini.",
            )  # fmt: skip
        programme = enrolment.programme
        return PublicStatus(
            protected=True,
            name_masked=mask_name(enrolment.worker.full_name),
            programme=programme.name,
            funder=programme.funder_name or programme.get_funder_display(),
            benefits=list(enrolment.benefits),
            covered_until=enrolment.covered_until or enrolment.end_date,
            checked_on=day,
            message=f"Terlindungi BPJS Ketenagakerjaan sampai {(enrolment.covered_until or enrolment.end_date):%d-%m-%Y}.",
        )
    finally:
        rest = _config("PUBLIC_CHECK_MIN_SECONDS", 0.4) - (time.monotonic() - started)
        if rest > 0:
            time.sleep(rest)
