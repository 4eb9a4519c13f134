"""A worker's life changes (domain.md §3, §7): death, a move out of the region, formal
employment, withdrawal. Recording one — through the worker's page, the API or an imported file
— records the event (registry), ends the worker's cover on its date (enrolment) and, for a death
with cover, opens the JKM claim so no heir is forgotten (claims). Cancelling one restores the
cover it ended. Each step writes its own audit row per worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from lindungi.claims.services import claims_open_for_deaths
from lindungi.enrolment.services import (
    enrolments_end_for_life_events,
    enrolments_restore_for_cancelled_event,
)
from lindungi.registry.models import LifeEvent, LifeEventKind, LifeStatus
from lindungi.registry.services import life_event_create, life_event_mark_cancelled


def life_events_follow_up(*, actor: Any, events: Iterable[LifeEvent]) -> None:
    """What follows events just recorded: the workers' cover ends on the event's date, and a
    death with cover opens its claim case. Set-based over many workers (an import)."""
    recorded = list(events)
    if not recorded:
        return
    enrolments_end_for_life_events(actor=actor, worker_ids={e.worker_id for e in recorded})
    deaths = {e.worker_id for e in recorded if e.kind == LifeEventKind.DECEASED}
    if deaths:
        claims_open_for_deaths(actor=actor, worker_ids=deaths)


@transaction.atomic
def life_event_record(
    *,
    actor: Any,
    worker_id: int,
    kind: str,
    event_date: dt.date,
    reason: str,
    evidence: UploadedFile | None = None,
    version: int | None = None,
) -> LifeEvent:
    """Record a life event of one worker and follow it up (`life_events_follow_up`)."""
    event = life_event_create(
        actor=actor,
        worker_id=worker_id,
        kind=kind,
        event_date=event_date,
        reason=reason,
        evidence=evidence,
        version=version,
    )
    life_events_follow_up(actor=actor, events=[event])
    return event


@transaction.atomic
def life_event_cancel(*, actor: Any, event_id: int, reason: str) -> LifeEvent:
    """Cancel an event recorded in error: the cover it ended is restored — unless an earlier
    event still in force keeps it ended."""
    event = life_event_mark_cancelled(actor=actor, event_id=event_id, reason=reason)
    if event.worker.life_status == LifeStatus.ACTIVE:
        enrolments_restore_for_cancelled_event(actor=actor, event_id=event.pk)
    else:
        enrolments_end_for_life_events(actor=actor, worker_ids=[event.worker_id])
    return event
