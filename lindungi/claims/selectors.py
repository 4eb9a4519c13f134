"""Reading claims: lists, the clocks, and the worklist of deaths nobody claimed yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.scope import region_code_q
from lindungi.enrolment.models import COVERED_STATUSES, Enrolment
from lindungi.registry.models import LifeEvent, LifeEventKind

from .clocks import add_working_days, working_days_between
from .models import DEATH_KINDS, OPEN_STATUSES, ClaimCase, ClaimStatus

SOON_WORKING_DAYS = 1  # a JKM case due within this many working days is "soon due"
JKK_SOON_DAYS = 90  # a JKK claim right ending within this many days is "soon due"


def claim_list(
    *,
    actor: Any,
    status: str = "",
    kind: str = "",
    clock: str = "",
    region: str = "",
    today: dt.date | None = None,
) -> QuerySet[ClaimCase]:
    """Cases in the actor's scope; `clock` = overdue | soon narrows to cases whose clock runs."""
    require(actor, Capability.VIEW_PERSONAL_DATA)
    day = today or timezone.localdate()
    rows = ClaimCase.objects.visible_to(actor).select_related("worker", "heir")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if region:
        rows = rows.filter(region_code_q("region_code", region))
    if clock == "overdue":
        rows = rows.filter(_overdue_q(day))
    elif clock == "soon":
        rows = rows.filter(_soon_q(day))
    return rows.order_by("-event_date", "-id")


def _overdue_q(day: dt.date) -> Q:
    jkm = Q(status=ClaimStatus.SUBMITTED, due_on__lt=day)
    jkk = Q(status=ClaimStatus.REPORTED, claim_deadline__lt=day)
    return jkm | jkk


def _soon_q(day: dt.date) -> Q:
    soon = add_working_days(day, SOON_WORKING_DAYS)
    jkm = Q(status=ClaimStatus.SUBMITTED, due_on__gte=day, due_on__lte=soon)
    jkk = Q(
        status=ClaimStatus.REPORTED,
        claim_deadline__gte=day,
        claim_deadline__lte=day + dt.timedelta(days=JKK_SOON_DAYS),
    )
    return jkm | jkk


@dataclass(frozen=True)
class ClockSummary:
    open: int
    overdue: int
    soon: int
    unclaimed_deaths: int


def clock_summary(*, actor: Any, today: dt.date | None = None) -> ClockSummary:
    """For the dashboard: open cases, overdue and soon-due clocks, deaths with no case."""
    day = today or timezone.localdate()
    rows = ClaimCase.objects.visible_to(actor)
    return ClockSummary(
        open=rows.filter(status__in=OPEN_STATUSES).count(),
        overdue=rows.filter(_overdue_q(day)).count(),
        soon=rows.filter(_soon_q(day)).count(),
        unclaimed_deaths=unclaimed_deaths(actor=actor).count(),
    )


def clock_of(case: ClaimCase, *, today: dt.date | None = None) -> dict[str, Any]:
    """The case's running clock in words people use: what is due, by when, how late."""
    day = today or timezone.localdate()
    if case.status == ClaimStatus.SUBMITTED and case.due_on:
        late = working_days_between(case.due_on, day) if day > case.due_on else 0
        return {"label": "Pembayaran JKM", "due_on": case.due_on, "late_working_days": late,
                "overdue": day > case.due_on}  # fmt: skip
    if case.status == ClaimStatus.REPORTED and case.claim_deadline:
        return {"label": "Batas hak klaim JKK", "due_on": case.claim_deadline,
                "late_working_days": 0, "overdue": day > case.claim_deadline}  # fmt: skip
    return {}


def unclaimed_deaths(*, actor: Any, region: str = "") -> QuerySet[LifeEvent]:
    """No heir forgotten: deceased workers whose cover was active at death and who have no
    claim case (other than a cancelled one), in the actor's scope."""
    require(actor, Capability.VIEW_PERSONAL_DATA)
    covered = Enrolment.objects.filter(
        worker_id=OuterRef("worker_id"),
        status__in=COVERED_STATUSES,
        covered_from__lte=OuterRef("event_date"),
    ).filter(Q(covered_until__isnull=True) | Q(covered_until__gte=OuterRef("event_date")))
    claimed = ClaimCase.objects.filter(
        worker_id=OuterRef("worker_id"), kind__in=DEATH_KINDS
    ).exclude(status=ClaimStatus.CANCELLED)
    rows = (
        LifeEvent.objects.visible_to(actor)
        .filter(kind=LifeEventKind.DECEASED, cancelled_at__isnull=True)
        .filter(Exists(covered))
        .exclude(Exists(claimed))
        .select_related("worker")
    )
    if region:
        rows = rows.filter(region_code_q("worker__village__code", region))
    return rows.order_by("event_date", "id")
