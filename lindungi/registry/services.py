"""Writes on the registry: workers, verification, life events, heirs.

Every function validates with `WorkerValidator` (the one implementation of domain.md §4), checks
the actor's capability and region scope, runs in one transaction and writes the audit log. The
audit rows of heirs and life events hang on the worker, so its page shows one history.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.audit import audit_record, audit_record_many, diff, snapshot
from lindungi.core.errors import Conflict, DomainError, FieldErrors, Forbidden, NotFound
from lindungi.core.files import CheckedUpload, document_upload_check
from lindungi.core.models import AuditEvent
from lindungi.core.scope import region_in_scope

from .errors import RegistryError
from .models import (
    HEIR_PRIORITY_CLASS,
    Heir,
    LifeEvent,
    LifeEventKind,
    LifeStatus,
    Relationship,
    Source,
    VerificationStatus,
    Worker,
)
from .validation import INPUT_COLUMNS, RowResult, WorkerValidator

logger = logging.getLogger(__name__)

# Fields a person enters for a worker (the API's and the form's names).
WORKER_FIELDS = [
    "nik",
    "kk_number",
    "full_name",
    "birth_place",
    "birth_date",
    "sex",
    "village",
    "address",
    "rt",
    "rw",
    "phone",
    "occupation",
    "reported_income",
]
# Model fields the audit log and history follow: what a person enters, and the states.
AUDITED_FIELDS = [
    *WORKER_FIELDS,
    "occupation_text",
    "verification_status",
    "life_status",
    "life_status_date",
]
# A change to who the person is sends the record back to verification (maker–checker).
IDENTITY_FIELDS = {"nik", "full_name", "birth_date", "sex", "village"}
EVIDENCE_MAX_MB = 10


def validator_for(actor: Any) -> WorkerValidator:
    """A validator resolving village names inside the actor's scope."""
    root = None if actor.has_national_scope else actor.scope_region_code
    return WorkerValidator(root_code=root)


def _values_to_model(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "nik": values["nik"],
        "kk_number": values["kk_number"] or "",
        "full_name": values["full_name"],
        "name_key": values["name_key"],
        "name_phonetic": values["name_phonetic"],
        "birth_place": values["birth_place"] or "",
        "birth_date": values["birth_date"],
        "sex": values["sex"],
        "village_id": values["village_code"],
        "address": values["address"] or "",
        "rt": values["rt"] or "",
        "rw": values["rw"] or "",
        "phone": values["phone"] or "",
        "occupation_id": values["occupation_code"],
        "occupation_text": values["occupation_text"] or "",
        "reported_income": values["reported_income"],
    }


def _raw(data: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in data.items() if k in INPUT_COLUMNS and v not in (None, "")}


def _validate(actor: Any, data: Mapping[str, Any]) -> RowResult:
    result = validator_for(actor).validate_one(
        {k: v for k, v in data.items() if k in INPUT_COLUMNS}
    )
    if result.errors:
        raise FieldErrors(result.field_errors())
    return result


def _nik_conflict(actor: Any, nik: str, *, exclude: int | None = None) -> None:
    candidates = Worker.objects.filter(nik=nik)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    existing = candidates.only("pk", "village_id").first()
    if existing is None:
        return
    if region_in_scope(actor, existing.village_id):
        raise Conflict(RegistryError.NIK_TAKEN, details={"worker_id": existing.pk})
    raise Conflict(RegistryError.NIK_TAKEN_ELSEWHERE)


def _notes(result: RowResult) -> list[dict[str, str]]:
    return [issue.as_dict() for issue in result.warnings]


@transaction.atomic
def worker_create(*, actor: Any, data: Mapping[str, Any], source: str = Source.FORM) -> Worker:
    """Register a worker. Always *perlu verifikasi* until an admin other than the maker checks it.

    Rejects what domain.md §4 rejects (422, one entry per field); a NIK already registered
    answers 409, with the existing worker's id when it lies in the actor's scope.
    """
    require(actor, Capability.REGISTER_WORKERS)
    result = _validate(actor, data)
    values = result.values
    _nik_conflict(actor, values["nik"])
    now = timezone.now()
    worker = Worker(
        **_values_to_model(values),
        raw=_raw(data),
        source=source,
        verification_status=VerificationStatus.PENDING,
        verification_notes=_notes(result),
        created_by=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
    )
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError as exc:  # a concurrent registration of the same NIK
        raise Conflict(RegistryError.NIK_TAKEN) from exc
    audit_record(
        actor=actor,
        action="worker.create",
        obj=worker,
        region_code=worker.village_id,
        changes=diff({}, snapshot(worker, AUDITED_FIELDS)),
        note=f"{len(result.warnings)} peringatan" if result.warnings else "",
    )
    return worker


def _current_input(worker: Worker) -> dict[str, Any]:
    """The worker's stored values in the validator's input form."""
    return {
        "nik": worker.nik,
        "kk_number": worker.kk_number,
        "full_name": worker.full_name,
        "birth_place": worker.birth_place,
        "birth_date": worker.birth_date.isoformat(),
        "sex": worker.sex,
        "village": worker.village_id,
        "address": worker.address,
        "rt": worker.rt,
        "rw": worker.rw,
        "phone": worker.phone,
        "occupation": worker.occupation_text or worker.occupation_id,
        "reported_income": "" if worker.reported_income is None else str(worker.reported_income),
    }


def _locked_worker(actor: Any, worker_id: int, version: int | None) -> Worker:
    try:
        worker = Worker.objects.visible_to(actor).select_for_update().get(pk=worker_id)
    except Worker.DoesNotExist as exc:
        raise NotFound() from exc
    if worker.merged_into_id is not None:
        raise Conflict(RegistryError.WORKER_MERGED, details={"worker_id": worker.merged_into_id})
    if version is not None and worker.version != version:
        raise Conflict(
            RegistryError.WORKER_STALE, arg=worker.version, details={"version": worker.version}
        )
    return worker


def _bump(worker: Worker, actor: Any) -> None:
    worker.import_fingerprint = None  # the stored values no longer come from that file row
    worker.version += 1
    worker.updated_by = actor
    worker.updated_at = timezone.now()


@transaction.atomic
def worker_update(
    *, actor: Any, worker_id: int, version: int | None, data: Mapping[str, Any]
) -> Worker:
    """Change a worker. `version` must be the one the person saw (409 otherwise, nothing changes).

    Fields absent from `data` keep their value; a change of identity (NIK, name, birth date,
    sex, domicile) sends the record back to *perlu verifikasi*.
    """
    require(actor, Capability.REGISTER_WORKERS)
    worker = _locked_worker(actor, worker_id, version)
    given = {k: v for k, v in data.items() if k in WORKER_FIELDS}
    merged = {**_current_input(worker), **given}
    result = _validate(actor, merged)
    values = result.values
    if values["nik"] != worker.nik:
        _nik_conflict(actor, values["nik"], exclude=worker.pk)
    before = snapshot(worker, AUDITED_FIELDS)
    for name, value in _values_to_model(values).items():
        setattr(worker, name, value)
    changes = diff(before, snapshot(worker, AUDITED_FIELDS))
    if not changes:
        return worker
    if IDENTITY_FIELDS & set(changes) or result.warnings:
        worker.verification_status = VerificationStatus.PENDING
        worker.verified_by = None
        worker.verified_at = None
        worker.verification_notes = _notes(result)
        changes = diff(before, snapshot(worker, AUDITED_FIELDS))
    worker.raw = {**worker.raw, **_raw(given)}
    _bump(worker, actor)
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError as exc:
        raise Conflict(RegistryError.NIK_TAKEN) from exc
    audit_record(
        actor=actor,
        action="worker.update",
        obj=worker,
        region_code=worker.village_id,
        changes=changes,
    )
    return worker


# --- verification (maker–checker) -------------------------------------------------------------


def _check_not_maker(actor: Any, worker: Worker) -> None:
    if actor.pk in {worker.created_by_id, worker.updated_by_id}:
        raise Forbidden(RegistryError.VERIFY_OWN_ENTRY)


@transaction.atomic
def worker_verify(*, actor: Any, worker_id: int, version: int | None = None) -> Worker:
    """An admin other than the maker confirms the record (domain.md §2: regency admin)."""
    require(actor, Capability.VERIFY_WORKERS)
    worker = _locked_worker(actor, worker_id, version)
    _check_not_maker(actor, worker)
    if worker.verification_status == VerificationStatus.VERIFIED:
        return worker
    before = snapshot(worker, ["verification_status"])
    worker.verification_status = VerificationStatus.VERIFIED
    worker.verified_by = actor
    worker.verified_at = timezone.now()
    worker.version += 1
    worker.save(update_fields=["verification_status", "verified_by", "verified_at", "version"])
    audit_record(
        actor=actor,
        action="worker.verify",
        obj=worker,
        region_code=worker.village_id,
        changes=diff(before, snapshot(worker, ["verification_status"])),
        note="; ".join(n["code"] for n in worker.verification_messages if n["code"]),
    )
    return worker


@transaction.atomic
def worker_verify_many(*, actor: Any, worker_ids: list[int]) -> dict[str, int]:
    """Verify several pending records at once (the verification queue); skips one's own."""
    require(actor, Capability.VERIFY_WORKERS)
    candidates = (
        Worker.objects.visible_to(actor)
        .live()
        .filter(pk__in=worker_ids, verification_status=VerificationStatus.PENDING)
        .exclude(created_by=actor)
        .exclude(updated_by=actor)
        .select_for_update()
    )
    ids = list(candidates.values_list("pk", "village_id"))
    now = timezone.now()
    Worker.objects.filter(pk__in=[pk for pk, _ in ids]).update(
        verification_status=VerificationStatus.VERIFIED,
        verified_by=actor,
        verified_at=now,
        version=F("version") + 1,
    )
    audit_record_many(
        actor=actor,
        action="worker.verify",
        object_type="registry.worker",
        items=[
            (pk, village, {"verification_status": ["pending", "verified"]}) for pk, village in ids
        ],
    )
    return {"verified": len(ids), "skipped": len(set(worker_ids)) - len(ids)}


@transaction.atomic
def worker_reject(*, actor: Any, worker_id: int, reason: str, version: int | None = None) -> Worker:
    """An admin marks the entry wrong (not a real person, not from here…); it stays, with why."""
    require(actor, Capability.VERIFY_WORKERS)
    reason = " ".join((reason or "").split())
    if not reason:
        raise FieldErrors.single("reason", RegistryError.REJECT_REASON_REQUIRED)
    worker = _locked_worker(actor, worker_id, version)
    _check_not_maker(actor, worker)
    before = snapshot(worker, ["verification_status"])
    worker.verification_status = VerificationStatus.REJECTED
    worker.verified_by = actor
    worker.verified_at = timezone.now()
    worker.version += 1
    worker.save(update_fields=["verification_status", "verified_by", "verified_at", "version"])
    audit_record(
        actor=actor,
        action="worker.reject",
        obj=worker,
        region_code=worker.village_id,
        changes=diff(before, snapshot(worker, ["verification_status"])),
        note=reason,
    )
    return worker


def worker_reveal_nik(*, actor: Any, worker: Worker, purpose: str = "") -> str:
    """The full NIK, for a role that needs it; every reveal is audited (domain.md §9)."""
    require(actor, Capability.VIEW_FULL_NIK)
    audit_record(
        actor=actor,
        action="worker.reveal_nik",
        kind=AuditEvent.Kind.VIEW,
        obj=worker,
        region_code=worker.village_id,
        note=purpose,
    )
    return worker.nik


# --- life events ------------------------------------------------------------------------------


LIFE_FIELDS_SAVED = (
    "life_status",
    "life_status_date",
    "version",
    "updated_by",
    "updated_at",
    "import_fingerprint",
)


def _status_from(events: list[tuple[str, dt.date]]) -> tuple[str, dt.date | None]:
    """A worker's life status from its events in force, newest first: death outranks
    anything recorded after it; else the newest event; else active."""
    deaths = [date for kind, date in events if kind == LifeEventKind.DECEASED]
    if deaths:
        return LifeStatus.DECEASED, deaths[0]
    if events:
        return events[0][0], events[0][1]
    return LifeStatus.ACTIVE, None


def life_status_of(worker: Worker) -> tuple[str, dt.date | None]:
    events = worker.life_events.filter(cancelled_at__isnull=True).order_by("-event_date", "-id")
    return _status_from(list(events.values_list("kind", "event_date")))


def life_statuses(worker_ids: list[int]) -> dict[int, tuple[str, dt.date | None]]:
    """`life_status_of` for many workers in one query."""
    events: dict[int, list[tuple[str, dt.date]]] = {pk: [] for pk in worker_ids}
    rows = (
        LifeEvent.objects.filter(worker_id__in=worker_ids, cancelled_at__isnull=True)
        .order_by("worker_id", "-event_date", "-id")
        .values_list("worker_id", "kind", "event_date")
    )
    for worker_id, kind, date in rows:
        events[worker_id].append((kind, date))
    return {pk: _status_from(found) for pk, found in events.items()}


def _check_evidence(evidence: UploadedFile | None) -> CheckedUpload | None:
    if evidence is None:
        return None
    return document_upload_check(
        evidence,
        evidence.name or "",
        field="evidence",
        max_mb=EVIDENCE_MAX_MB,
        wrong_kind=RegistryError.EVIDENCE_TYPE,
        too_large=RegistryError.EVIDENCE_TOO_LARGE,
    )


@transaction.atomic
def life_event_create(
    *,
    actor: Any,
    worker_id: int,
    kind: str,
    event_date: dt.date,
    reason: str,
    evidence: UploadedFile | None = None,
    version: int | None = None,
) -> LifeEvent:
    """Record a death, a move out of the region, formal employment or a withdrawal.

    The worker is never deleted: its status follows the events in force (death first). Ending
    cover and opening a claim are not the registry's: front doors call the life-event workflow
    (`lindungi.lifecycle.life_events.life_event_record`), which calls this first.
    """
    require(actor, Capability.REGISTER_WORKERS)
    worker = _locked_worker(actor, worker_id, version)
    reason = " ".join((reason or "").split())
    errors: dict[str, list[dict[str, str]]] = {}

    def add(field: str, code: RegistryError, arg: Any = "") -> None:
        errors.setdefault(field, []).append(
            {"code": code.value, "message": str(code.label).format(arg=arg)}
        )

    if kind not in LifeEventKind.values:
        add("kind", RegistryError.EVENT_KIND_INVALID, kind[:40])
    if not reason:
        add("reason", RegistryError.EVENT_REASON_REQUIRED)
    if event_date > timezone.localdate():
        add("event_date", RegistryError.EVENT_DATE_FUTURE)
    elif event_date < worker.birth_date:
        add("event_date", RegistryError.EVENT_BEFORE_BIRTH)
    if worker.life_status == LifeStatus.DECEASED:
        add("kind", RegistryError.WORKER_DECEASED, worker.life_status_date)
    if errors:
        raise FieldErrors(errors)
    checked = _check_evidence(evidence)
    event = LifeEvent(
        worker=worker, kind=kind, event_date=event_date, reason=reason, recorded_by=actor
    )
    if evidence is not None and checked is not None:
        event.evidence_name = checked.name
        event.evidence.save(checked.name, evidence, save=False)
    event.save()
    before = snapshot(worker, ["life_status", "life_status_date"])
    worker.life_status, worker.life_status_date = life_status_of(worker)
    _bump(worker, actor)
    worker.save(update_fields=list(LIFE_FIELDS_SAVED))
    audit_record(
        actor=actor,
        action="worker.life_event",
        obj=worker,
        region_code=worker.village_id,
        changes={
            **diff(before, snapshot(worker, ["life_status", "life_status_date"])),
            "event": [
                None,
                {
                    "id": event.pk,
                    "kind": kind,
                    "date": event_date.isoformat(),
                    "evidence": bool(event.evidence_name),
                },
            ],
            # Its own key: a file name may name the person, and `event` is shown to auditors.
            **({"evidence": [None, event.evidence_name]} if event.evidence_name else {}),
        },
        note=reason,
    )
    return event


@transaction.atomic
def life_event_mark_cancelled(*, actor: Any, event_id: int, reason: str) -> LifeEvent:
    """Cancel an event recorded in error (it stays visible as cancelled, with the reason); the
    worker's status follows the events still in force. Restoring cover is the life-event
    workflow's (`lindungi.lifecycle.life_events.life_event_cancel`)."""
    require(actor, Capability.REGISTER_WORKERS)
    try:
        event = LifeEvent.objects.visible_to(actor).select_related("worker").get(pk=event_id)
    except LifeEvent.DoesNotExist as exc:
        raise NotFound() from exc
    reason = " ".join((reason or "").split())
    if not reason:
        raise FieldErrors.single("reason", RegistryError.EVENT_REASON_REQUIRED)
    if event.cancelled_at is not None:
        raise DomainError(RegistryError.EVENT_ALREADY_CANCELLED)
    worker = _locked_worker(actor, event.worker_id, None)
    event.worker = worker  # the caller reads the worker's status as it is after this
    event.cancelled_at = timezone.now()
    event.cancelled_by = actor
    event.cancel_reason = reason
    event.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    before = snapshot(worker, ["life_status", "life_status_date"])
    worker.life_status, worker.life_status_date = life_status_of(worker)
    _bump(worker, actor)
    worker.save(update_fields=list(LIFE_FIELDS_SAVED))
    audit_record(
        actor=actor,
        action="worker.life_event_cancel",
        obj=worker,
        region_code=worker.village_id,
        changes={
            **diff(before, snapshot(worker, ["life_status", "life_status_date"])),
            "event": [{"id": event.pk, "kind": event.kind}, "cancelled"],
        },
        note=reason,
    )
    return event


# --- heirs ------------------------------------------------------------------------------------

HEIR_FIELDS = ["full_name", "nik", "relationship", "rank", "birth_date", "phone", "address"]


def _clean_heir(actor: Any, worker: Worker, data: Mapping[str, Any]) -> dict[str, Any]:
    """Heir fields validated with the worker rules (NIK, date, phone) where they apply."""
    errors: dict[str, list[dict[str, str]]] = {}
    name = " ".join(str(data.get("full_name") or "").split())
    relationship = str(data.get("relationship") or "")
    if not name:
        errors["full_name"] = [
            {
                "code": RegistryError.HEIR_NAME_REQUIRED.value,
                "message": str(RegistryError.HEIR_NAME_REQUIRED.label),
            }
        ]
    if relationship not in Relationship.values:
        message = str(RegistryError.HEIR_RELATIONSHIP_INVALID.label).format(arg=relationship)
        errors["relationship"] = [
            {"code": RegistryError.HEIR_RELATIONSHIP_INVALID.value, "message": message}
        ]
    checked = {
        k: data.get(k) for k in ("nik", "birth_date", "phone") if data.get(k) not in (None, "")
    }
    values: dict[str, Any] = {"nik": "", "birth_date": None, "phone": ""}
    if checked:
        # The worker validator checks these fields exactly as for a worker; its other
        # complaints (a missing village, name …) do not concern an heir.
        result = validator_for(actor).validate_one(checked)
        for issue in result.errors:
            if issue.field in checked:
                errors.setdefault(issue.field, []).append(
                    {"code": issue.code, "message": issue.message}
                )
        values["nik"] = result.values["nik"] or ""
        values["birth_date"] = result.values["birth_date"] if "birth_date" in checked else None
        values["phone"] = result.values["phone"] or ""
    if values["nik"] and values["nik"] == worker.nik:
        errors.setdefault("nik", []).append(
            {
                "code": RegistryError.HEIR_IS_WORKER.value,
                "message": str(RegistryError.HEIR_IS_WORKER.label),
            }
        )
    if errors:
        raise FieldErrors(errors)
    rank = data.get("rank")
    return {
        "full_name": name,
        "relationship": relationship,
        "priority_class": HEIR_PRIORITY_CLASS[relationship],
        "rank": int(rank) if rank not in (None, "") else None,
        "address": " ".join(str(data.get("address") or "").split())[:255],
        **values,
    }


HEIR_AUDITED = [
    "full_name",
    "nik",
    "relationship",
    "priority_class",
    "rank",
    "birth_date",
    "phone",
    "address",
    "is_active",
]


@transaction.atomic
def heir_add(*, actor: Any, worker_id: int, data: Mapping[str, Any]) -> Heir:
    """Designate an heir; the priority class follows the relationship (domain.md §7)."""
    require(actor, Capability.REGISTER_WORKERS)
    worker = _locked_worker(actor, worker_id, None)
    values = _clean_heir(actor, worker, data)
    if values["rank"] is None:
        taken = worker.heirs.filter(priority_class=values["priority_class"], is_active=True).count()
        values["rank"] = taken + 1
    heir = Heir.objects.create(worker=worker, **values)
    _bump(worker, actor)
    worker.save(update_fields=["version", "updated_by", "updated_at", "import_fingerprint"])
    audit_record(
        actor=actor,
        action="worker.heir_add",
        obj=worker,
        region_code=worker.village_id,
        changes={f"heir.{k}": v for k, v in diff({}, snapshot(heir, HEIR_AUDITED)).items()},
        note=f"ahli waris #{heir.pk}",
    )
    return heir


def _heir_in_scope(actor: Any, worker_id: int, heir_id: int) -> Heir:
    try:
        return Heir.objects.visible_to(actor).get(pk=heir_id, worker_id=worker_id)
    except Heir.DoesNotExist as exc:
        raise NotFound() from exc


@transaction.atomic
def heir_update(*, actor: Any, worker_id: int, heir_id: int, data: Mapping[str, Any]) -> Heir:
    require(actor, Capability.REGISTER_WORKERS)
    heir = _heir_in_scope(actor, worker_id, heir_id)
    worker = _locked_worker(actor, worker_id, None)
    current = {
        "full_name": heir.full_name,
        "nik": heir.nik,
        "relationship": heir.relationship,
        "rank": heir.rank,
        "birth_date": heir.birth_date.isoformat() if heir.birth_date else "",
        "phone": heir.phone,
        "address": heir.address,
    }
    values = _clean_heir(
        actor, worker, {**current, **{k: v for k, v in data.items() if k in HEIR_FIELDS}}
    )
    before = snapshot(heir, HEIR_AUDITED)
    for name, value in values.items():
        if value is not None:
            setattr(heir, name, value)
    changes = diff(before, snapshot(heir, HEIR_AUDITED))
    if changes:
        heir.save()
        _bump(worker, actor)
        worker.save(update_fields=["version", "updated_by", "updated_at", "import_fingerprint"])
        audit_record(
            actor=actor,
            action="worker.heir_update",
            obj=worker,
            region_code=worker.village_id,
            changes={f"heir.{k}": v for k, v in changes.items()},
            note=f"ahli waris #{heir.pk}",
        )
    return heir


@transaction.atomic
def heir_remove(*, actor: Any, worker_id: int, heir_id: int) -> Heir:
    """An heir no longer designated is kept inactive (the history must show who was named)."""
    require(actor, Capability.REGISTER_WORKERS)
    heir = _heir_in_scope(actor, worker_id, heir_id)
    worker = _locked_worker(actor, worker_id, None)
    if heir.is_active:
        heir.is_active = False
        heir.save(update_fields=["is_active"])
        _bump(worker, actor)
        worker.save(update_fields=["version", "updated_by", "updated_at", "import_fingerprint"])
        audit_record(
            actor=actor,
            action="worker.heir_remove",
            obj=worker,
            region_code=worker.village_id,
            changes={"heir.is_active": [True, False]},
            note=f"ahli waris #{heir.pk}",
        )
    return heir


SEARCH_INDEX = "registry_worker_search"


def search_index_bulk_write() -> None:
    """PostgreSQL, at the start of a transaction that writes many workers: their name-search
    entries wait in the GIN index's pending list for the rest of the transaction instead of
    being merged row by row (1.2 s less per million rows), and `search_index_merge` is enqueued
    for after the commit. Elsewhere nothing."""
    if connection.vendor != "postgresql":
        return
    from .tasks import search_index_merge_task

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL gin_pending_list_limit = '256MB'")
    transaction.on_commit(search_index_merge_task.enqueue)


def search_index_merge() -> int:
    """PostgreSQL: merge the name-search index's pending list into the index; returns the pages
    merged (0 elsewhere).

    A bulk write (`search_index_bulk_write`) leaves its workers in the GIN index's pending
    list: until it is merged — by this, or by autovacuum up to a minute later — every name
    search reads the whole list (measured after a 1,000,000-row import: 1 s per search instead
    of 3 ms; the merge takes 1.6 s). It only reorganises the index: running it twice, or beside writes, is
    harmless; a role that does not own the table may not run it, and autovacuum then does.
    """
    if connection.vendor != "postgresql":
        return 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [SEARCH_INDEX])
            (pages,) = cursor.fetchone()
    except DatabaseError:
        logger.warning("could not merge the pending list of %s", SEARCH_INDEX, exc_info=True)
        return 0
    return int(pages)
