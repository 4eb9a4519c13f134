"""Reads of batches, enrolments and a worker's cover history (masa iur)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import NotFound

from .models import (
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
