"""Reads of batches, enrolments and a worker's cover history (masa iur)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import NotFound
from lindungi.registry.models import Worker

from .models import (
    COVERED_STATUSES,
    Enrolment,
    EnrolmentBatch,
    EnrolmentStatus,
    EnrolmentTransition,
    ReturnImport,
)


def batch_list(*, actor: Any, programme_id: int | None = None) -> QuerySet[EnrolmentBatch]:
    batches = EnrolmentBatch.objects.visible_to(actor).select_related("programme", "created_by")
    if programme_id is not None:
        batches = batches.filter(programme_id=programme_id)
    return batches.order_by("-created_at", "-id")


def batch_get(*, actor: Any, batch_id: int) -> EnrolmentBatch:
    batch = (
        EnrolmentBatch.objects.visible_to(actor)
        .select_related("programme", "programme__region", "created_by", "submitted_by", "layout")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        raise NotFound()
    return batch


def status_counts(enrolments: QuerySet[Enrolment]) -> dict[str, int]:
    """Enrolments per status (every status present, zero when none)."""
    counts = dict.fromkeys(EnrolmentStatus.values, 0)
    for row in enrolments.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    counts["accepted_waiting"] = enrolments.filter(
        status=EnrolmentStatus.SUBMITTED, bpjs_accepted_on__isnull=False
    ).count()
    counts["total"] = sum(counts[s] for s in EnrolmentStatus.values)
    return counts


def batch_counts(*, actor: Any, batch: EnrolmentBatch) -> dict[str, int]:
    """Enrolments of a batch per status, inside the actor's scope (aggregates only)."""
    return status_counts(Enrolment.objects.visible_to(actor).filter(batch=batch))


def batch_enrolments(*, actor: Any, batch: EnrolmentBatch, status: str = "") -> QuerySet[Enrolment]:
    require(actor, Capability.VIEW_PERSONAL_DATA)
    rows = (
        Enrolment.objects.visible_to(actor)
        .filter(batch=batch)
        .select_related("worker", "worker__village", "worker__occupation")
    )
    if status == "accepted_waiting":
        rows = rows.filter(status=EnrolmentStatus.SUBMITTED, bpjs_accepted_on__isnull=False)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("region_code", "id")


def return_list(*, actor: Any, batch: EnrolmentBatch) -> QuerySet[ReturnImport]:
    return ReturnImport.objects.visible_to(actor).filter(batch=batch).select_related("job")


def return_get(*, actor: Any, return_id: int) -> ReturnImport:
    ret = (
        ReturnImport.objects.visible_to(actor)
        .select_related("batch", "batch__programme", "job")
        .filter(pk=return_id)
        .first()
    )
    if ret is None:
        raise NotFound()
    return ret


def enrolment_list(
    *,
    actor: Any,
    programme_id: int | None = None,
    status: str = "",
    worker_id: int | None = None,
    after_id: int | None = None,
) -> QuerySet[Enrolment]:
    require(actor, Capability.VIEW_PERSONAL_DATA)
    rows = Enrolment.objects.visible_to(actor).select_related("programme", "worker")
    if programme_id is not None:
        rows = rows.filter(programme_id=programme_id)
    if status:
        rows = rows.filter(status=status)
    if worker_id is not None:
        rows = rows.filter(worker_id=worker_id)
    if after_id is not None:
        rows = rows.filter(pk__gt=after_id)
    return rows.order_by("id")


def enrolment_get(*, actor: Any, enrolment_id: int) -> Enrolment:
    require(actor, Capability.VIEW_PERSONAL_DATA)
    enrolment = (
        Enrolment.objects.visible_to(actor)
        .select_related("programme", "worker", "batch")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise NotFound()
    return enrolment


def enrolment_transitions(*, enrolment: Enrolment) -> QuerySet[EnrolmentTransition]:
    return enrolment.transitions.select_related("actor").order_by("at", "id")


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
    run = apps.get_model("billing", "ContributionRun")
    line = apps.get_model("billing", "ContributionLine")
    programmes = set(
        run.objects.filter(programme__enrolments__worker_id=worker_id, status="billed").values_list(
            "programme_id", flat=True
        )
    )
    periods = line.objects.filter(
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


def programme_counts(programme_ids: list[int]) -> dict[int, dict[str, int]]:
    """Active and waiting enrolments per programme (for lists)."""
    counts: dict[int, dict[str, int]] = {pk: {"active": 0, "waiting": 0} for pk in programme_ids}
    rows = (
        Enrolment.objects.filter(programme_id__in=programme_ids)
        .values("programme_id")
        .annotate(
            active=Count("id", filter=Q(status=EnrolmentStatus.ACTIVE)),
            waiting=Count(
                "id", filter=Q(status__in=[EnrolmentStatus.DRAFT, EnrolmentStatus.SUBMITTED])
            ),
        )
    )
    for row in rows:
        counts[row["programme_id"]] = {"active": row["active"], "waiting": row["waiting"]}
    return counts
