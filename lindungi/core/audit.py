"""Writing the audit log. Services call these functions themselves, inside their transaction.

Domain.md §9: an audit log of every change and of every view or export of full personal data.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from .context import current_context
from .models import AuditEvent
from .privacy import mask_identity_numbers

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


# --- reading the log --------------------------------------------------------------------------
#
# Domain.md §9 and §2: personal data only to the roles that need it. The auditor and the DPRD
# read the log to see what was done, when and by whom — not who the people in it are. Every
# reader of audit rows (the audit page, a worker's history, an account's history, the API)
# presents them through `present_changes`/`present_events`, so the rule lives here once.

# The capability of accounts.roles (core sits below accounts, so it is named, not imported).
VIEW_PERSONAL_DATA = "view_personal_data"

# What a reader without personal-data rights may see of each kind of audited object, by the
# `changes` key the services write. An allow-list on purpose: a field added later, or an object
# type nobody listed, stays hidden until someone has decided that it is not personal. The same
# name can differ by object: `reported_income` of a worker is personal, a programme's is a rule.
NON_PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    # A worker's states, dates of events and domicile (already the row's region), never who:
    # not the NIK, KK, name, birth, address, RT/RW, phone, income, occupation, heirs' data.
    "registry.worker": frozenset(
        {
            "verification_status",
            "life_status",
            "life_status_date",
            "village",
            "event",  # {id, kind, date} of a life event
            "heir.is_active",
            "merged_into",  # worker ids of a merge
            "absorbed",
            "moved",  # counts of rows a merge moved
        }
    ),
    # Not the incapacity days (health data), nor the heir's priority (it says the relationship).
    "claims.claimcase": frozenset(
        {"kind", "event_date", "eligible", "entitlement", "status", "amount_paid", "heir"}
    ),
    "claims.holiday": frozenset({"date", "name"}),
    "enrolment.enrolment": frozenset({"status", "batch", "worker", "end_reason"}),
    "enrolment.enrolmentbatch": frozenset(
        {"programme", "enrolments", "selection", "start_date", "status", "rows", "format"}
    ),
    "enrolment.returnimport": frozenset({"batch", "counts"}),  # not the file's name
    "imports.workerimport": frozenset({"sha256", "created", "updated", "held", "life_events"}),
    "dedup.candidatepair": frozenset({"decision"}),
    "programmes.programme": frozenset(
        {
            "name",
            "funder",
            "funder_name",
            "legal_basis",
            "budget_year",
            "budget_amount",
            "benefit_jkk",
            "benefit_jkm",
            "benefit_jht",
            "reported_income",
            "bpjs_group",
            "start_date",
            "end_date",
            "min_age",
            "max_age",
            "occupations",
            "verification_required",
            "income_ceiling",
            "priority_occupations",
            "targets",
            "funders",
            "successor",
        }
    ),
    "programmes.contributionrate": frozenset({"benefit", "valid_from", "closed"}),
    "programmes.benefitrule": frozenset({"code", "valid_from"}),
    "billing.contributionrun": frozenset({"period", "lines", "amount", "status"}),
    "billing.payment": frozenset({"funder", "amount", "paid_on", "months", "reference", "void"}),
    "billing.budget": frozenset({"funder", "kind", "appropriated"}),
    "billing.statement": frozenset({"period", "matched", "differences"}),
    "reporting.dataexport": frozenset({"region", "rows"}),
    "reporting.printedreport": frozenset({"kind", "period"}),
    "reporting.boundarymap": frozenset({"features", "unknown"}),
    "reporting.readinessentry": frozenset({"apbd_allocation", "created"}),
    "file": frozenset({"rows", "created"}),
    "regions.region": frozenset({"summary"}),
    # Staff accounts: the role and scope, not the person's name, e-mail or phone.
    "accounts.user": frozenset({"username", "role", "region", "is_active"}),
    "nik": frozenset({"result"}),  # the public status check
}

# Keys whose value is a mapping of which only some parts are not personal.
NON_PERSONAL_PARTS: dict[tuple[str, str], frozenset[str]] = {
    # A child's scholarship (specific data, UU 27/2022): the year and the money, not which
    # child nor its school level (which tells its age).
    ("claims.claimcase", "instalment"): frozenset({"year", "amount"}),
    ("claims.claimcase", "document"): frozenset({"kind"}),
}

# Actions whose note the system writes itself (counts, codes, row numbers). Every other note is
# text a person typed — a reason, a purpose, a file name — and may name someone or say why
# they died.
SYSTEM_NOTE_ACTIONS = frozenset(
    {
        "worker.create",
        "worker.verify",
        "worker.heir_add",
        "worker.heir_update",
        "worker.heir_remove",
        "worker.evidence_download",
        "login.failed",
    }
)

# Object types whose id is derived from personal data (the public check keys a hash of the NIK).
PSEUDONYMOUS_OBJECT_TYPES = frozenset({"nik"})


def may_see_personal_data(reader: Any) -> bool:
    return bool(
        reader is not None
        and getattr(reader, "is_authenticated", False)
        and reader.can(VIEW_PERSONAL_DATA)
    )


@dataclass(frozen=True)
class ChangeRow:
    """One changed field as a reader may see it; `hidden`: personal, the values withheld."""

    field: str
    before: Any
    after: Any
    hidden: bool = False


def _parts(value: Any, keys: frozenset[str]) -> Any:
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if k in keys}
    return value


def present_changes(
    changes: Mapping[str, Any], *, object_type: str, personal: bool
) -> list[ChangeRow]:
    """An event's `{field: [before, after]}` as rows for `personal` readers (identity numbers
    masked, their corrected places shown) or for others (only the non-personal fields of
    `NON_PERSONAL_FIELDS`; every other field named, its values withheld)."""
    rows = []
    source = mask_identity_numbers(changes) if personal else dict(changes or {})
    allowed = NON_PERSONAL_FIELDS.get(object_type, frozenset())
    for field, pair in source.items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        if personal or field in allowed:
            rows.append(ChangeRow(field, before, after))
        elif (object_type, field) in NON_PERSONAL_PARTS:
            keys = NON_PERSONAL_PARTS[object_type, field]
            rows.append(ChangeRow(field, _parts(before, keys), _parts(after, keys)))
        else:
            rows.append(ChangeRow(field, None, None, hidden=True))
    return rows


@dataclass(frozen=True)
class AuditEntry:
    """One audit event as a given reader may see it (`present_events`)."""

    id: int
    at: dt.datetime
    actor_username: str
    kind: str
    kind_label: str
    action: str
    object_type: str
    object_id: str  # empty when the id itself would identify a person to this reader
    region_code: str
    changes: list[ChangeRow]
    note: str
    note_hidden: bool
    channel: str
    ip: str | None


def present_event(event: AuditEvent, *, personal: bool) -> AuditEntry:
    note_shown = personal or event.action in SYSTEM_NOTE_ACTIONS
    id_shown = personal or event.object_type not in PSEUDONYMOUS_OBJECT_TYPES
    return AuditEntry(
        id=event.pk,
        at=event.at,
        actor_username=event.actor_username,
        kind=event.kind,
        kind_label=str(event.get_kind_display()),
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id if id_shown else "",
        region_code=event.region_code,
        changes=present_changes(event.changes, object_type=event.object_type, personal=personal),
        note=event.note if note_shown else "",
        note_hidden=bool(event.note) and not note_shown,
        channel=event.channel,
        ip=event.ip,
    )


def present_events(events: Iterable[AuditEvent], *, reader: Any) -> list[AuditEntry]:
    """Audit events as `reader` may see them: all values for a role with personal-data rights,
    only the non-personal ones (status, event dates, codes, counts, money) for the others."""
    personal = may_see_personal_data(reader)
    return [present_event(event, personal=personal) for event in events]
