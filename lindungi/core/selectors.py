"""Reading jobs and the audit log, through the actor's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .audit import AuditEntry, present_events
from .errors import Forbidden, NotFound
from .models import AuditEvent, Job


def job_list(*, actor: Any) -> QuerySet[Job]:
    """Jobs the actor started, plus (for account managers) any job inside its scope."""
    if actor is None or not actor.is_authenticated:
        return Job.objects.none()
    own = Q(actor=actor)
    if actor.can("manage_users"):
        return Job.objects.filter(own | Q(pk__in=Job.objects.visible_to(actor).values("pk")))
    return Job.objects.filter(own)


def job_get(*, actor: Any, job_id: Any) -> Job:
    try:
        return job_list(actor=actor).get(pk=job_id)
    except (Job.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def audit_list(
    *,
    actor: Any,
    action: str | None = None,
    kind: str | None = None,
    username: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before_id: int | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events inside the actor's scope, newest first, keyset-paginated by `before_id`."""
    if actor is None or not actor.can("view_audit"):
        raise Forbidden()
    qs = AuditEvent.objects.visible_to(actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if kind:
        qs = qs.filter(kind=kind)
    if username:
        qs = qs.filter(actor_username__iexact=username.strip())
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if before_id:
        qs = qs.filter(id__lt=before_id)
    return qs.order_by("-id")


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_before_id: int | None  # the cursor of the next (older) page; None on the last


def audit_page(*, actor: Any, limit: int = 50, **filters: Any) -> AuditPage:
    """One page of `audit_list` as the actor may read it: personal values only for a role with
    personal-data rights (domain.md §9), see `core.audit.present_events`."""
    events = list(audit_list(actor=actor, **filters)[: limit + 1])
    more = len(events) > limit
    events = events[:limit]
    return AuditPage(
        entries=present_events(events, reader=actor),
        next_before_id=events[-1].pk if more else None,
    )
