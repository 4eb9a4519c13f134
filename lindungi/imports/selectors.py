"""Reading imports through the actor's region scope."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import NotFound

from .models import WorkerImport


def import_list(*, actor: Any) -> QuerySet[WorkerImport]:
    require(actor, Capability.REGISTER_WORKERS)
    return (
        WorkerImport.objects.visible_to(actor)
        .select_related("region", "created_by", "job")
        .order_by("-created_at")
    )


def import_get(*, actor: Any, import_id: uuid.UUID | str) -> WorkerImport:
    try:
        return import_list(actor=actor).get(pk=import_id)
    except (WorkerImport.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc
