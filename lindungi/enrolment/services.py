"""Enrolment use cases: batches proposed and created set-based, submitted to BPJS, the cover
lifecycle (activation on the agreed start date, ending on death, move, formal employment,
withdrawal, programme end or renewal), every transition dated with reason and actor.

No double cover is the database's rule (enrolment_one_active_* constraints); the services
keep to it: a renewal ends the old cover the day before the new one starts, and an accepted
enrolment that would overlap another programme's active cover waits with the reason shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.actors import account
from lindungi.core.audit import audit_record, audit_record_many
from lindungi.core.errors import Conflict, DomainError, FieldErrors, NotFound
from lindungi.programmes.models import Programme
from lindungi.programmes.selectors import programme_for_manage
from lindungi.programmes.services import programme_rules_lock
from lindungi.registry.models import LifeEvent, LifeStatus, Worker

from . import eligibility
from .errors import EnrolmentError
from .models import (
    BatchKind,
    BatchStatus,
    EndReason,
    Enrolment,
    EnrolmentBatch,
    EnrolmentStatus,
    EnrolmentTransition,
    ExchangeLayout,
)

CHUNK = 5000
_OPEN = {EnrolmentStatus.DRAFT, EnrolmentStatus.SUBMITTED, EnrolmentStatus.ACTIVE}
# A life status that ends cover, and the end reason it gives.
LIFE_END_REASONS = {
    LifeStatus.DECEASED: EndReason.DECEASED,
    LifeStatus.MOVED_OUT: EndReason.MOVED_OUT,
    LifeStatus.FORMAL_EMPLOYEE: EndReason.FORMAL_EMPLOYEE,
    LifeStatus.WITHDRAWN: EndReason.WITHDRAWN,
}


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


def _transitions(
    ids: Sequence[int],
    *,
    from_status: str | dict[int, str],
    to_status: str,
    effective_on: dt.date | dict[int, dt.date],
    reason: str = "",
    note: str = "",
    actor: Any = None,
) -> None:
    now = timezone.now()
    rows = [
        EnrolmentTransition(
            enrolment_id=pk,
            from_status=from_status if isinstance(from_status, str) else from_status[pk],
            to_status=to_status,
            effective_on=effective_on if isinstance(effective_on, dt.date) else effective_on[pk],
            reason=reason,
            note=note[:500],
            actor_id=_actor_id(actor),
            at=now,
        )
        for pk in ids
    ]
    EnrolmentTransition.objects.bulk_create(rows, batch_size=CHUNK)


# --- batches ----------------------------------------------------------------------------------


def _selection(
    programme: Programme,
    *,
    villages: Iterable[str] = (),
    occupations: Iterable[str] = (),
    limit: Any = None,
    renewal: bool = False,
) -> eligibility.Selection:
    villages = sorted({v.strip() for v in villages if v and v.strip()})
    targets = list(programme.targets.values_list("region_id", flat=True))
    for code in villages:
        inside = any(
            code == t or code.startswith(t + ".") or t.startswith(code + ".") for t in targets
        )
        if not inside:
            raise FieldErrors.single("villages", EnrolmentError.VILLAGE_OUTSIDE, arg=code)
    if limit not in (None, ""):
        try:
            limit = int(limit)
            if limit <= 0:
                raise ValueError
        except (TypeError, ValueError):
            raise FieldErrors.single("limit", EnrolmentError.LIMIT_INVALID) from None
    else:
        limit = None
    if renewal and not programme.predecessor_id:
        raise FieldErrors.single("kind", EnrolmentError.RENEWAL_NO_PREDECESSOR)
    return eligibility.Selection(
        villages=villages,
        occupations=sorted({o.strip() for o in occupations if o and o.strip()}),
        limit=limit,
        renewal=renewal,
    )


def _start(programme: Programme, start_date: dt.date | None) -> dt.date:
    start = start_date or max(programme.start_date, timezone.localdate())
    if not programme.start_date <= start <= programme.end_date:
        period = f"{programme.start_date:%d-%m-%Y} s.d. {programme.end_date:%d-%m-%Y}"
        raise FieldErrors.single("start_date", EnrolmentError.START_OUTSIDE, arg=period)
    return start


def _proposal(
    actor: Any, programme_id: int, *, lock: bool, start_date: dt.date | None, **selection: Any
) -> tuple[Programme, eligibility.Selection, dt.date]:
    """The programme (the actor's to manage), the admin's selection and the start date."""
    programme = programme_for_manage(actor=actor, programme_id=programme_id, lock=lock)
    return programme, _selection(programme, **selection), _start(programme, start_date)


def eligibility_preview(
    *,
    actor: Any,
    programme_id: int,
    start_date: dt.date | None = None,
    villages: Iterable[str] = (),
    occupations: Iterable[str] = (),
    limit: Any = None,
    renewal: bool = False,
) -> eligibility.Preview:
    """How many workers a batch would propose, and why the others would not be (no writes)."""
    programme, selection, start = _proposal(
        actor,
        programme_id,
        lock=False,
        start_date=start_date,
        villages=villages,
        occupations=occupations,
        limit=limit,
        renewal=renewal,
    )
    return eligibility.preview(programme, start, selection)


@transaction.atomic
def batch_create(
    *,
    actor: Any,
    programme_id: int,
    start_date: dt.date | None = None,
    villages: Iterable[str] = (),
    occupations: Iterable[str] = (),
    limit: Any = None,
    renewal: bool = False,
) -> EnrolmentBatch:
    """A draft batch of the eligible workers (within quotas and the limit), created with one
    INSERT … SELECT; the admin then removes or adds workers before submitting it."""
    programme, selection, start = _proposal(
        actor,
        programme_id,
        lock=True,
        start_date=start_date,
        villages=villages,
        occupations=occupations,
        limit=limit,
        renewal=renewal,
    )
    draft = programme.batches.filter(status=BatchStatus.DRAFT).first()
    if draft is not None:
        raise Conflict(EnrolmentError.BATCH_DRAFT_EXISTS, arg=draft.number)
    number = (programme.batches.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    batch = EnrolmentBatch.objects.create(
        programme=programme,
        number=number,
        kind=BatchKind.RENEWAL if selection.renewal else BatchKind.NEW,
        start_date=start,
        layout=ExchangeLayout.objects.filter(direction="export", is_default=True).first(),
        selection=selection.as_json(),
        created_at=now,
        created_by=account(actor),
    )
    select_sql, select_params = eligibility.eligible_select(programme, start, selection)
    insert = (
        "INSERT INTO enrolment_enrolment (worker_id, programme_id, batch_id, region_code, status,"  # noqa: S608
        " benefit_jkk, benefit_jkm, benefit_jht, reported_income, start_date, end_date, kpj,"
        " bpjs_reason, hold_reason, end_reason, status_changed_at, created_at, created_by_id,"
        " renewed_from_id)"
        " SELECT c.id, %s, %s, c.village_id, %s, %s, %s, %s, %s, %s, %s, '', '', '', '',"
        f" %s, %s, %s, c.renewed_from FROM ({select_sql}) c"
    )
    params = [
        programme.pk,
        batch.pk,
        EnrolmentStatus.DRAFT.value,
        programme.benefit_jkk,
        programme.benefit_jkm,
        programme.benefit_jht,
        programme.reported_income,
        start,
        programme.end_date,
        now,
        now,
        _actor_id(actor),
        *select_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(insert, params)
        created = cursor.rowcount
        if created <= 0:
            raise DomainError(EnrolmentError.NOBODY_ELIGIBLE)
        cursor.execute(
            "INSERT INTO enrolment_enrolmenttransition (enrolment_id, from_status, to_status,"
            " effective_on, reason, note, actor_id, at)"
            " SELECT id, '', %s, %s, '', '', %s, %s FROM enrolment_enrolment WHERE batch_id = %s",
            [EnrolmentStatus.DRAFT.value, now.date(), _actor_id(actor), now, batch.pk],
        )
    audit_record(
        actor=actor,
        action="enrolment.batch_create",
        obj=batch,
        region_code=programme.region_id,
        changes={
            "programme": [None, programme.pk],
            "enrolments": [None, created],
            "selection": [None, selection.as_json()],
            "start_date": [None, start],
        },
    )
    return batch


def _batch_for_manage(actor: Any, batch_id: int, *, lock: bool = True) -> EnrolmentBatch:
    batch = EnrolmentBatch.objects.visible_to(actor).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound()
    programme_for_manage(actor=actor, programme_id=batch.programme_id)
    if lock:
        batch = (
            EnrolmentBatch.objects.select_for_update().select_related("programme").get(pk=batch.pk)
        )
    return batch


@transaction.atomic
def batch_remove_enrolment(
    *, actor: Any, batch_id: int, enrolment_id: int, note: str = ""
) -> Enrolment:
    """Take a worker out of a draft batch (the enrolment stays, cancelled, with the reason)."""
    batch = _batch_for_manage(actor, batch_id)
    enrolment = (
        Enrolment.objects.visible_to(actor)
        .select_for_update()
        .filter(pk=enrolment_id, batch=batch)
        .first()
    )
    if enrolment is None:
        raise NotFound()
    if batch.status != BatchStatus.DRAFT or enrolment.status != EnrolmentStatus.DRAFT:
        raise Conflict(EnrolmentError.BATCH_NOT_DRAFT)
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.end_reason = EndReason.REMOVED
    enrolment.status_changed_at = timezone.now()
    enrolment.save(update_fields=["status", "end_reason", "status_changed_at"])
    _transitions(
        [enrolment.pk],
        from_status=EnrolmentStatus.DRAFT,
        to_status=EnrolmentStatus.CANCELLED,
        effective_on=timezone.localdate(),
        reason=EndReason.REMOVED,
        note=note,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="enrolment.remove",
        obj=enrolment,
        region_code=enrolment.region_code,
        changes={"status": ["draft", "cancelled"], "batch": [batch.pk, None]},
        note=note,
    )
    return enrolment


@transaction.atomic
def batch_add_worker(
    *, actor: Any, batch_id: int, worker_id: int | None = None, nik: str = ""
) -> Enrolment:
    """Add one worker (by id, or by NIK from a page) to a draft batch, under the programme's
    eligibility rules (quotas aside: the admin decides), naming the rule a worker breaks."""
    batch = _batch_for_manage(actor, batch_id)
    if batch.status != BatchStatus.DRAFT:
        raise Conflict(EnrolmentError.BATCH_NOT_DRAFT)
    workers = Worker.objects.visible_to(actor).live()
    nik = "".join(ch for ch in nik if ch.isdigit())
    if worker_id is not None:
        workers = workers.filter(pk=worker_id)
    else:
        workers = workers.filter(nik=nik) if len(nik) == 16 else workers.none()
    worker = workers.first()
    if worker is None:
        raise FieldErrors.single("nik", EnrolmentError.WORKER_NOT_FOUND)
    programme = batch.programme
    reason = eligibility.worker_reason(programme, batch.start_date, worker.pk)
    if reason != "eligible":
        raise FieldErrors.single(
            "nik", EnrolmentError.NOT_ELIGIBLE, arg=str(eligibility.REASONS[reason])
        )
    now = timezone.now()
    enrolment = Enrolment.objects.create(
        worker=worker,
        programme=programme,
        batch=batch,
        region_code=worker.village_id,
        benefit_jkk=programme.benefit_jkk,
        benefit_jkm=programme.benefit_jkm,
        benefit_jht=programme.benefit_jht,
        reported_income=programme.reported_income,
        start_date=batch.start_date,
        end_date=programme.end_date,
        created_by=account(actor),
        created_at=now,
        status_changed_at=now,
    )
    _transitions(
        [enrolment.pk],
        from_status="",
        to_status=EnrolmentStatus.DRAFT,
        effective_on=now.date(),
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="enrolment.add",
        obj=enrolment,
        region_code=enrolment.region_code,
        changes={"batch": [None, batch.pk], "worker": [None, worker.pk]},
    )
    return enrolment


@transaction.atomic
def batch_submit(*, actor: Any, batch_id: int) -> EnrolmentBatch:
    """Mark a draft batch as sent to BPJS: its enrolments become `submitted` (set-based)."""
    batch = _batch_for_manage(actor, batch_id)
    if batch.status != BatchStatus.DRAFT:
        raise Conflict(EnrolmentError.BATCH_NOT_DRAFT)
    drafts = Enrolment.objects.filter(batch=batch, status=EnrolmentStatus.DRAFT)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO enrolment_enrolmenttransition (enrolment_id, from_status, to_status,"
            " effective_on, reason, note, actor_id, at)"
            " SELECT id, %s, %s, %s, '', '', %s, %s FROM enrolment_enrolment"
            " WHERE batch_id = %s AND status = %s",
            [
                EnrolmentStatus.DRAFT.value,
                EnrolmentStatus.SUBMITTED.value,
                now.date(),
                _actor_id(actor),
                now,
                batch.pk,
                EnrolmentStatus.DRAFT.value,
            ],
        )
    submitted = drafts.update(status=EnrolmentStatus.SUBMITTED, status_changed_at=now)
    if not submitted:
        raise DomainError(EnrolmentError.BATCH_EMPTY)
    batch.status = BatchStatus.SUBMITTED
    batch.submitted_at = now
    batch.submitted_by = account(actor)
    batch.save(update_fields=["status", "submitted_at", "submitted_by"])
    programme_rules_lock(programme_id=batch.programme_id)
    audit_record(
        actor=actor,
        action="enrolment.batch_submit",
        obj=batch,
        region_code=batch.programme.region_id,
        changes={"status": ["draft", "submitted"], "enrolments": [None, submitted]},
    )
    return batch


# --- the lifecycle ----------------------------------------------------------------------------


def _benefit_overlap_q(enrolment_values: dict[str, Any], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for benefit in ("jkk", "jkm", "jht"):
        if enrolment_values[f"benefit_{benefit}"]:
            q |= Q(**{f"{prefix}benefit_{benefit}": True})
    return q


_BENEFITS = ("jkk", "jkm", "jht")
_BENEFIT_FIELDS = [f"benefit_{b}" for b in _BENEFITS]
Row = dict[str, Any]


def _overlaps(a: Row, b: Row) -> bool:
    return any(a[f"benefit_{x}"] and b[f"benefit_{x}"] for x in _BENEFITS)


def _plan_activation(
    rows: list[Row], current: dict[int, list[Row]]
) -> tuple[dict[int, tuple[dt.date, str]], dict[int, str], list[int]]:
    """What activating `rows` needs: active cover to end first (renewal or a programme that is
    over), enrolments held by another programme's cover, and those that can start."""
    to_end: dict[int, tuple[dt.date, str]] = {}
    held: dict[int, str] = {}
    activate: list[int] = []
    for row in rows:
        blocked = ""
        for other in current.get(row["worker_id"], []):
            if not _overlaps(row, other):
                continue
            if other["programme_id"] == row["programme__predecessor_id"]:
                until = row["start_date"] - dt.timedelta(days=1)
                to_end[other["pk"]] = (until, EndReason.RENEWED)
            elif other["end_date"] < row["start_date"]:
                to_end[other["pk"]] = (other["end_date"], EndReason.PROGRAMME_END)
            else:
                label = EnrolmentError.DOUBLE_COVER.label
                blocked = str(label).format(arg=other["programme__name"])[:255]
        if blocked:
            held[row["pk"]] = blocked
        else:
            activate.append(row["pk"])
    return to_end, held, activate


def _active_cover_of(worker_ids: list[int]) -> dict[int, list[Row]]:
    current: dict[int, list[Row]] = defaultdict(list)
    for chunk in _chunks(worker_ids):
        rows = Enrolment.objects.filter(worker_id__in=chunk, status=EnrolmentStatus.ACTIVE).values(
            "pk", "worker_id", "programme_id", "programme__name", "end_date", *_BENEFIT_FIELDS
        )
        for other in rows:
            current[other["worker_id"]].append(dict(other))
    return current


def _end_active(to_end: dict[int, tuple[dt.date, str]], actor: Any) -> None:
    now = timezone.now()
    by_date: dict[tuple[dt.date, str], list[int]] = defaultdict(list)
    for pk, (until, reason) in to_end.items():
        by_date[(until, reason)].append(pk)
    for (until, reason), ids in by_date.items():
        for chunk in _chunks(ids):
            Enrolment.objects.filter(pk__in=chunk).update(
                status=EnrolmentStatus.ENDED,
                covered_until=until,
                end_reason=reason,
                status_changed_at=now,
            )
        _transitions(
            ids,
            from_status=EnrolmentStatus.ACTIVE,
            to_status=EnrolmentStatus.ENDED,
            effective_on=until,
            reason=reason,
            actor=actor,
        )


def _start_cover(activate: list[int], starts: dict[int, dt.date], actor: Any) -> None:
    now = timezone.now()
    by_start: dict[dt.date, list[int]] = defaultdict(list)
    for pk in activate:
        by_start[starts[pk]].append(pk)
    for start, ids in by_start.items():
        for chunk in _chunks(ids):
            Enrolment.objects.filter(pk__in=chunk).update(
                status=EnrolmentStatus.ACTIVE,
                covered_from=start,
                hold_reason="",
                status_changed_at=now,
            )
    _transitions(
        activate,
        from_status=EnrolmentStatus.SUBMITTED,
        to_status=EnrolmentStatus.ACTIVE,
        effective_on=starts,
        actor=actor,
    )


def enrolments_activate_due(
    *, on: dt.date | None = None, batch_id: int | None = None, actor: Any = None
) -> dict[str, int]:
    """Accepted enrolments whose start date has come become active. A renewal first ends the
    predecessor's cover the day before it starts; another programme's overlapping cover makes
    the enrolment wait, with the reason shown. Returns counts."""
    day = on or timezone.localdate()
    with transaction.atomic():
        due = Enrolment.objects.filter(
            status=EnrolmentStatus.SUBMITTED,
            bpjs_accepted_on__isnull=False,
            start_date__lte=day,
        )
        if batch_id is not None:
            due = due.filter(batch_id=batch_id)
        rows: list[Row] = [
            dict(r)
            for r in due.select_for_update().values(
                "pk",
                "worker_id",
                "programme_id",
                "start_date",
                "programme__predecessor_id",
                *_BENEFIT_FIELDS,
            )
        ]
        if not rows:
            return {"activated": 0, "renewed": 0, "held": 0}
        current = _active_cover_of(sorted({r["worker_id"] for r in rows}))
        to_end, held, activate = _plan_activation(rows, current)
        _end_active(to_end, actor)
        _start_cover(activate, {r["pk"]: r["start_date"] for r in rows}, actor)
        for reason, ids in _group(held).items():
            Enrolment.objects.filter(pk__in=ids).update(hold_reason=reason)
    return {"activated": len(activate), "renewed": len(to_end), "held": len(held)}


def _group(values: dict[int, str]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for pk, value in values.items():
        grouped[value].append(pk)
    return grouped


def batches_mark_answered(batch_ids: Iterable[int | None]) -> None:
    """A submitted batch whose every enrolment has BPJS's answer is `answered`."""
    for batch_id in {b for b in batch_ids if b}:
        waiting = Enrolment.objects.filter(
            batch_id=batch_id, status=EnrolmentStatus.SUBMITTED, bpjs_accepted_on__isnull=True
        ).exists()
        if not waiting:
            EnrolmentBatch.objects.filter(pk=batch_id, status=BatchStatus.SUBMITTED).update(
                status=BatchStatus.ANSWERED
            )


def enrolments_end_programme_due(*, on: dt.date | None = None) -> int:
    """Active cover whose programme period is over ends on the programme's last day."""
    day = on or timezone.localdate()
    with transaction.atomic():
        rows = list(
            Enrolment.objects.select_for_update()
            .filter(status=EnrolmentStatus.ACTIVE, end_date__lt=day)
            .values_list("pk", "end_date")
        )
        ends = dict(rows)
        now = timezone.now()
        for chunk in _chunks(list(ends)):
            Enrolment.objects.filter(pk__in=chunk).update(
                status=EnrolmentStatus.ENDED,
                covered_until=F("end_date"),
                end_reason=EndReason.PROGRAMME_END,
                status_changed_at=now,
            )
        _transitions(
            list(ends),
            from_status=EnrolmentStatus.ACTIVE,
            to_status=EnrolmentStatus.ENDED,
            effective_on=ends,
            reason=EndReason.PROGRAMME_END,
        )
    return len(ends)


def enrolment_sweep(*, on: dt.date | None = None) -> dict[str, int]:
    """The daily routine (scheduled, idempotent): renewals and activations due, then the ends
    of programmes that are over. Running it twice on a day changes nothing the second time."""
    day = on or timezone.localdate()
    activated = enrolments_activate_due(on=day)
    ended = enrolments_end_programme_due(on=day)
    return {**activated, "ended": ended}


@transaction.atomic
def enrolment_end(
    *, actor: Any, enrolment_id: int, reason: str, on: dt.date | None = None, note: str = ""
) -> Enrolment:
    """End one worker's cover by hand (e.g. a duplicate, withdrawal): active → ended on `on`;
    a draft or a submission not yet active → cancelled."""
    enrolment = (
        Enrolment.objects.visible_to(actor).select_for_update().filter(pk=enrolment_id).first()
    )
    if enrolment is None:
        raise NotFound()
    # The admins of the worker's region end its cover, whichever level runs the programme.
    require(actor, Capability.MANAGE_PROGRAMMES)
    if reason not in EndReason.values:
        raise FieldErrors.single("reason", EnrolmentError.END_REASON_INVALID, arg=reason)
    note = " ".join(note.split())
    if reason == EndReason.OTHER and not note:
        raise FieldErrors.single("note", EnrolmentError.NOTE_REQUIRED)
    today = timezone.localdate()
    day = on or today
    before = enrolment.status
    if enrolment.status == EnrolmentStatus.ACTIVE:
        assert enrolment.covered_from is not None
        if not enrolment.covered_from <= day <= today:
            raise FieldErrors.single(
                "on", EnrolmentError.END_DATE_INVALID, arg=f"{enrolment.covered_from:%d-%m-%Y}"
            )
        enrolment.status = EnrolmentStatus.ENDED
        enrolment.covered_until = day
    elif enrolment.status in (EnrolmentStatus.DRAFT, EnrolmentStatus.SUBMITTED):
        enrolment.status = EnrolmentStatus.CANCELLED
    else:
        raise Conflict(EnrolmentError.END_NOT_ACTIVE, arg=enrolment.get_status_display())
    enrolment.end_reason = reason
    enrolment.status_changed_at = timezone.now()
    enrolment.save(update_fields=["status", "covered_until", "end_reason", "status_changed_at"])
    _transitions(
        [enrolment.pk],
        from_status=before,
        to_status=enrolment.status,
        effective_on=day,
        reason=reason,
        note=note,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action="enrolment.end",
        obj=enrolment,
        region_code=enrolment.region_code,
        changes={"status": [before, enrolment.status], "end_reason": [None, reason]},
        note=note,
    )
    return enrolment


def enrolments_end_for_life_events(*, actor: Any, worker_ids: Iterable[int]) -> int:
    """Follow-up of recorded life events (form, API, import): the cover of workers who died,
    moved out, became formal employees or withdrew ends on the event date (the day of death is
    still covered); places not yet active are cancelled. Set-based; returns the count."""
    ids = list({int(w) for w in worker_ids})
    if not ids:
        return 0
    affected = 0
    with transaction.atomic():
        for chunk in _chunks(ids):
            workers: dict[int, Row] = {
                w["pk"]: dict(w)
                for w in Worker.objects.filter(pk__in=chunk)
                .exclude(life_status=LifeStatus.ACTIVE)
                .values("pk", "life_status", "life_status_date", "village_id")
            }
            if not workers:
                continue
            events: dict[int, Row] = {}
            for event in (
                LifeEvent.objects.filter(worker_id__in=list(workers), cancelled_at__isnull=True)
                .order_by("worker_id", "-event_date", "-id")
                .values("pk", "worker_id", "kind", "event_date")
            ):
                worker = workers[event["worker_id"]]
                if event["kind"] == worker["life_status"]:
                    events.setdefault(event["worker_id"], dict(event))
            open_rows: list[Row] = [
                dict(r)
                for r in Enrolment.objects.select_for_update()
                .filter(worker_id__in=list(workers), status__in=list(_OPEN))
                .values("pk", "worker_id", "status", "covered_from")
            ]
            affected += _end_rows(open_rows, workers, events, actor)
    return affected


def _end_rows(rows: list[Row], workers: dict[int, Row], events: dict[int, Row], actor: Any) -> int:
    """End (active) or cancel (not yet active) the given enrolments for their worker's life
    event: one bulk update, one bulk insert of transitions, one of audit events."""
    now = timezone.now()
    changed: list[Enrolment] = []
    transitions: list[EnrolmentTransition] = []
    audit_items = []
    for row in rows:
        worker = workers[row["worker_id"]]
        event = events.get(row["worker_id"])
        day = worker["life_status_date"] or now.date()
        active = row["status"] == EnrolmentStatus.ACTIVE
        enrolment = Enrolment(
            pk=row["pk"],
            status=EnrolmentStatus.ENDED if active else EnrolmentStatus.CANCELLED,
            covered_until=max(day, row["covered_from"]) if active else None,
            end_reason=LIFE_END_REASONS[worker["life_status"]],
            ended_by_event_id=event["pk"] if event else None,
            status_changed_at=now,
        )
        changed.append(enrolment)
        transitions.append(
            EnrolmentTransition(
                enrolment_id=row["pk"],
                from_status=row["status"],
                to_status=enrolment.status,
                effective_on=day,
                reason=enrolment.end_reason,
                actor_id=_actor_id(actor),
                at=now,
            )
        )
        audit_items.append(
            (row["pk"], worker["village_id"], {"status": [row["status"], enrolment.status]})
        )
    Enrolment.objects.bulk_update(
        changed,
        ["status", "covered_until", "end_reason", "ended_by_event", "status_changed_at"],
        batch_size=1000,
    )
    EnrolmentTransition.objects.bulk_create(transitions, batch_size=CHUNK)
    audit_record_many(
        actor=actor,
        action="enrolment.end_life_event",
        object_type="enrolment.enrolment",
        items=audit_items,
    )
    return len(rows)


def enrolments_restore_for_cancelled_event(*, actor: Any, event_id: int) -> int:
    """A life event recorded in error was cancelled: the cover it ended is active again (when no
    other cover took its place); places it cancelled stay cancelled — propose them again."""
    restored = 0
    with transaction.atomic():
        rows = list(
            Enrolment.objects.select_for_update().filter(
                ended_by_event_id=event_id, status=EnrolmentStatus.ENDED
            )
        )
        for enrolment in rows:
            overlap = _benefit_overlap_q(
                {f"benefit_{b}": getattr(enrolment, f"benefit_{b}") for b in ("jkk", "jkm", "jht")}
            )
            if (
                Enrolment.objects.filter(
                    worker_id=enrolment.worker_id, status=EnrolmentStatus.ACTIVE
                )
                .filter(overlap)
                .exists()
            ):
                continue
            enrolment.status = EnrolmentStatus.ACTIVE
            enrolment.covered_until = None
            enrolment.end_reason = ""
            enrolment.ended_by_event = None
            enrolment.status_changed_at = timezone.now()
            enrolment.save(
                update_fields=[
                    "status",
                    "covered_until",
                    "end_reason",
                    "ended_by_event",
                    "status_changed_at",
                ]
            )
            _transitions(
                [enrolment.pk],
                from_status=EnrolmentStatus.ENDED,
                to_status=EnrolmentStatus.ACTIVE,
                effective_on=timezone.localdate(),
                note="Peristiwa yang mengakhiri perlindungan dibatalkan",
                actor=actor,
            )
            audit_record(
                actor=actor,
                action="enrolment.restore",
                obj=enrolment,
                region_code=enrolment.region_code,
                changes={"status": ["ended", "active"]},
            )
            restored += 1
    return restored


def merge_cover_check(*, survivor_id: int, merged_id: int) -> None:
    """Two records of one person may not both hold active cover for the same benefit: one
    enrolment must be ended first (a merge would otherwise create double cover)."""
    rows: list[Row] = [
        dict(r)
        for r in Enrolment.objects.filter(
            worker_id__in=[survivor_id, merged_id], status__in=list(_OPEN)
        ).values("worker_id", "programme_id", "status", *_BENEFIT_FIELDS)
    ]
    active = [r for r in rows if r["status"] == EnrolmentStatus.ACTIVE]
    for benefit in ("jkk", "jkm", "jht"):
        holders = {a["worker_id"] for a in active if a[f"benefit_{benefit}"]}
        if len(holders) > 1:
            raise Conflict(EnrolmentError.MERGE_DOUBLE_COVER)
    per_programme: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        per_programme[row["programme_id"]].add(row["worker_id"])
    if any(len(holders) > 1 for holders in per_programme.values()):
        raise Conflict(EnrolmentError.MERGE_DOUBLE_COVER)
