"""Writing the audit log. Services call these functions themselves, inside their transaction.

Domain.md §9: an audit log of every change and of every view or export of full personal data.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from .context import current_context
from .models import AuditEvent

Changes = dict[str, list[Any]]


def to_jsonable(value: Any) -> Any:
    """A JSON-safe rendering of a field value: dates as ISO strings, money as integers."""
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk if not isinstance(value.pk, uuid.UUID) else str(value.pk)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return str(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """Fields whose value differs, as {field: [before, after]}."""
    changes: Changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = to_jsonable(before.get(key)), to_jsonable(after.get(key))
        if old in (None, "") and new in (None, ""):
            continue
        if old != new:
            changes[key] = [old, new]
    return changes


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` (foreign keys by their id)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = getattr(obj, attname)
    return values


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_username": "", "actor_role": ""}
    return {
        # The command line acts as the server's operator: named, but not an account.
        "actor": actor if isinstance(actor, models.Model) else None,
        "actor_username": actor.get_username(),
        "actor_role": getattr(actor, "role", ""),
    }


def _object_fields(
    obj: models.Model | None, object_type: str | None, object_id: Any
) -> dict[str, str]:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    return {
        "object_type": object_type or "",
        "object_id": "" if object_id is None else str(object_id),
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    kind: str = AuditEvent.Kind.CHANGE,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    region_code: str | None = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one audit event; the channel, address and request id come from the action context."""
    ctx = current_context()
    return AuditEvent.objects.create(
        kind=kind,
        action=action,
        region_code=region_code or "",
        changes=to_jsonable(dict(changes or {})),
        note=note[:255],
        channel=ctx.channel,
        ip=ctx.ip,
        request_id=ctx.request_id,
        **_actor_fields(actor),
        **_object_fields(obj, object_type, object_id),
    )


def audit_record_many(
    *,
    actor: Any,
    action: str,
    object_type: str,
    items: Iterable[tuple[Any, str, Mapping[str, Any]]],
    kind: str = AuditEvent.Kind.CHANGE,
    note: str = "",
    batch_size: int = 5000,
) -> int:
    """Append one event per (object_id, region_code, changes) item, set-based, for bulk work."""
    ctx = current_context()
    common = {
        "kind": kind,
        "action": action,
        "object_type": object_type,
        "note": note[:255],
        "channel": ctx.channel,
        "ip": ctx.ip,
        "request_id": ctx.request_id,
        **_actor_fields(actor),
    }
    rows = [
        AuditEvent(
            object_id=str(object_id),
            region_code=region_code or "",
            changes=to_jsonable(dict(changes)),
            **common,
        )
        for object_id, region_code, changes in items
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)
