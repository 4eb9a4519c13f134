"""Recording and cancelling a worker's life events through the API (`/api/v1/workers/…/events`):
the same workflow as the worker's page and an imported file. Mounted beside the registry's
worker operations, with the operation ids they were published with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from lindungi.core.errors import NotFound
from lindungi.registry.api import CancelIn, LifeEventOut, event_out
from lindungi.registry.models import LifeEvent
from lindungi.registry.selectors import worker_get, worker_life_events

from .life_events import life_event_cancel, life_event_record

router = Router(tags=["workers"])


# The list is here too: one path answers GET and POST from one router.
@router.get(
    "/{worker_id}/events",
    response=list[LifeEventOut],
    summary="Peristiwa hidup",
    operation_id="lindungi_registry_api_list_events",
)
def list_events(request: HttpRequest, worker_id: int) -> list[dict[str, Any]]:
    worker = worker_get(actor=request.auth, worker_id=worker_id)  # type: ignore[attr-defined]
    return [event_out(e) for e in worker_life_events(worker=worker)]


@router.post(
    "/{worker_id}/events",
    response={201: LifeEventOut},
    summary="Catat peristiwa hidup",
    operation_id="lindungi_registry_api_record_event",
)
def record_event(
    request: HttpRequest,
    worker_id: int,
    kind: Form[str],
    event_date: Form[dt.date],
    reason: Form[str],
    evidence: UploadedFile | None = File(None),  # noqa: B008 - an optional file; `File[…] | None` is read as a query parameter and the file dropped
) -> Status[dict[str, Any]]:
    event = life_event_record(
        actor=request.auth,  # type: ignore[attr-defined]
        worker_id=worker_id,
        kind=kind,
        event_date=event_date,
        reason=reason,
        evidence=evidence,
    )
    return Status(201, event_out(event))


@router.post(
    "/{worker_id}/events/{event_id}/cancel",
    response=LifeEventOut,
    summary="Batalkan peristiwa",
    operation_id="lindungi_registry_api_cancel_event",
)
def cancel_event(
    request: HttpRequest, worker_id: int, event_id: int, payload: CancelIn
) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    worker_get(actor=actor, worker_id=worker_id)
    if not LifeEvent.objects.filter(pk=event_id, worker_id=worker_id).exists():
        raise NotFound()
    return event_out(life_event_cancel(actor=actor, event_id=event_id, reason=payload.reason))
