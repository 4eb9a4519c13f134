"""A worker's cover history and masa iur (months of contributions, domain.md §3 and §6): every
period of cover across funders, and the months paid — which is billing's to know."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import NotFound
from lindungi.enrolment.models import COVERED_STATUSES, Enrolment, EnrolmentStatus
from lindungi.registry.models import Worker

from .models import ContributionLine, ContributionRun, RunStatus


@dataclass(frozen=True)
class CoverPeriod:
    enrolment_id: int
    programme_id: int
    programme: str
    funder: str
    funder_name: str
    benefits: list[str]
    status: str
    status_label: str
    kpj: str
    start_date: dt.date
    covered_from: dt.date | None
    covered_until: dt.date | None
    end_reason: str
    hold_reason: str
    bpjs_reason: str


@dataclass(frozen=True)
class CoverHistory:
    periods: list[CoverPeriod]
    contribution_months: int  # masa iur across every funder
    active: bool


def _month_set(periods: list[tuple[dt.date, dt.date]]) -> set[tuple[int, int]]:
    months: set[tuple[int, int]] = set()
    for start, end in periods:
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            months.add((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def months_covered(periods: list[tuple[dt.date, dt.date]]) -> int:
    """Calendar months in which cover was in force on at least one day, over the union of the
    periods (contributions are monthly; a month counts once whoever paid it)."""
    return len(_month_set(periods))


def _paid_months(worker_id: int) -> tuple[set[int], set[tuple[int, int]]]:
    """Programmes whose contributions Lindungi bills, and the months paid for the worker."""
    programmes = set(
        ContributionRun.objects.filter(
            programme__enrolments__worker_id=worker_id, status=RunStatus.BILLED
        ).values_list("programme_id", flat=True)
    )
    periods = ContributionLine.objects.filter(
        enrolment__worker_id=worker_id, run__paid_on__isnull=False
    ).values_list("period", flat=True)
    return programmes, {(p.year, p.month) for p in periods}


def worker_cover(*, actor: Any, worker_id: int, today: dt.date | None = None) -> CoverHistory:
    """Every period of cover a worker ever had, who paid it, and the months of contributions
    (masa iur): for a programme Lindungi bills, the months paid; for cover whose contributions
    were never billed here (history from before), the months it was in force."""
    require(actor, Capability.VIEW_PERSONAL_DATA)
    if not Worker.objects.visible_to(actor).filter(pk=worker_id).exists():
        raise NotFound()
    day = today or timezone.localdate()
    rows = (
        Enrolment.objects.filter(worker_id=worker_id)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("programme")
        .order_by("-start_date", "-id")
    )
    periods: list[CoverPeriod] = []
    spans: list[tuple[dt.date, dt.date]] = []
    billed, paid = _paid_months(worker_id)
    for e in rows:
        periods.append(
            CoverPeriod(
                enrolment_id=e.pk,
                programme_id=e.programme_id,
                programme=e.programme.name,
                funder=e.programme.funder,
                funder_name=e.programme.funder_name,
                benefits=e.benefits,
                status=e.status,
                status_label=str(e.get_status_display()),
                kpj=e.kpj,
                start_date=e.start_date,
                covered_from=e.covered_from,
                covered_until=e.covered_until,
                end_reason=e.end_reason,
                hold_reason=e.hold_reason,
                bpjs_reason=e.bpjs_reason,
            )
        )
        if e.programme_id in billed:
            continue
        if e.status in COVERED_STATUSES and e.covered_from and e.covered_from <= day:
            spans.append((e.covered_from, min(e.covered_until or day, day)))
    return CoverHistory(
        periods=periods,
        contribution_months=len(_month_set(spans) | paid),
        active=any(p.status == EnrolmentStatus.ACTIVE for p in periods),
    )
