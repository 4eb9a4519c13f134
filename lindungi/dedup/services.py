"""Deduplication use cases: registry-wide runs, the check of new records, decisions, merges.

Merging moves every row that points at the merged worker (heirs, life events, and whatever later
apps attach to a worker — enrolments, claims) to the survivor and records exactly which rows
moved, so an un-merge puts exactly those rows back. The merged worker stays as a tombstone
(`merged_into`), its history included in the survivor's.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.audit import audit_record
from lindungi.core.errors import Conflict, NotFound
from lindungi.core.faults import checkpoint
from lindungi.core.jobs import job_start
from lindungi.core.scope import region_in_scope
from lindungi.enrolment.services import merge_cover_check
from lindungi.regions.models import Level, Region
from lindungi.registry.models import VerificationStatus, Worker
from lindungi.registry.notes import possible_duplicate_note

from . import engine
from .errors import DedupError, field_error
from .models import CandidatePair, Decision, DedupRun, MatchModel, Merge, RunKind, RunStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

FRAME_SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "nik": pl.String,
    "full_name": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "address": pl.String,
    "village_code": pl.String,
    "phone": pl.String,
}
_SELECT = (
    "SELECT id, nik, full_name, birth_date, sex, address, village_id AS village_code, phone "
    "FROM registry_worker WHERE merged_into_id IS NULL AND (village_id = %s OR village_id LIKE %s)"
)
_REGION_CODE = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
# Rows of these models keep pointing at the worker they were written for.
NOT_MOVED = {"registry.worker", "dedup.candidatepair", "dedup.merge"}
# A registry-wide run may cover a regency or a province (domain.md §2: who resolves duplicates).
RUN_LEVELS = {Level.PROVINCE, Level.REGENCY}


def _no_progress(_percent: int, _message: str) -> None:
    return None


# --- reading the registry ---------------------------------------------------------------------


def registry_frame(region_code: str) -> pl.DataFrame:
    """The live workers of a region as engine input (a million rows in seconds on PostgreSQL)."""
    if not _REGION_CODE.fullmatch(region_code):
        raise ValueError("region code expected")
    params = [region_code, f"{region_code}.%"]
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        sql = _SELECT.replace("%s", "'{}'").format(*params)  # codes checked above: digits, dots
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy,
        ):
            for block in copy:
                buffer.write(block)
        if buffer.getbuffer().nbytes == 0:
            return pl.DataFrame(schema=FRAME_SCHEMA)
        buffer.seek(0)
        return pl.read_csv(
            buffer, has_header=False, new_columns=list(FRAME_SCHEMA), schema=FRAME_SCHEMA
        )
    with connection.cursor() as cursor:
        cursor.execute(_SELECT, params)
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=list(FRAME_SCHEMA), orient="row")
    return frame.with_columns(
        pl.col("birth_date").cast(pl.String).str.to_date("%Y-%m-%d"), pl.col("id").cast(pl.Int64)
    ).cast(FRAME_SCHEMA)  # type: ignore[arg-type]


# --- models -----------------------------------------------------------------------------------


def _store_model(model: engine.Model, region_code: str) -> MatchModel:
    stored, _ = MatchModel.objects.get_or_create(
        version=model.version,
        defaults={
            "region_code": region_code,
            "trained_on": model.trained_on,
            "settings": model.settings,
        },
    )
    return stored


def current_model(region_code: str) -> MatchModel:
    """The newest model trained on this region or a region containing it; else the shipped one."""
    prefixes = [region_code[:n] for n in (13, 8, 5, 2) if len(region_code) >= n]
    stored = (
        MatchModel.objects.filter(region_code__in=prefixes).order_by("-created_at", "-id").first()
    )
    if stored is not None:
        return stored
    return _store_model(engine.default_model(), "")


def _engine_model(stored: MatchModel) -> engine.Model:
    return engine.Model(settings=stored.settings, trained_on=stored.trained_on, trained_at="")


# --- storing candidate pairs ------------------------------------------------------------------


def _save_pairs(run: DedupRun, pairs: pl.DataFrame, frame: pl.DataFrame, version: str) -> int:
    """Insert pairs not seen before (a decided pair is never re-opened); returns how many."""
    if pairs.height == 0:
        return 0
    villages = frame.select("id", "village_code")
    rows = (
        pairs.join(villages.rename({"id": "id_l", "village_code": "vl"}), on="id_l", how="left")
        .join(villages.rename({"id": "id_r", "village_code": "vr"}), on="id_r", how="left")
        .sort("match_probability", descending=True)
    )
    now = timezone.now()
    fields = [c["output_column_name"] for c in engine.COMPARISONS]
    batch: list[CandidatePair] = []
    for id_l, id_r, probability, weight, evidence, vl, vr in rows.iter_rows():
        batch.append(
            CandidatePair(
                worker_a_id=id_l,
                worker_b_id=id_r,
                region_code=vl or "",
                region_code_b=vr or "",
                probability=float(probability),
                match_weight=float(weight),
                evidence={f: evidence.get(f) for f in fields},
                run=run,
                model_version=version,
                found_at=now,
            )
        )
        if len(batch) >= 5000:
            CandidatePair.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        CandidatePair.objects.bulk_create(batch, ignore_conflicts=True)
    # A pair seen before kept its first run (the insert was ignored): the new ones carry this one.
    return CandidatePair.objects.filter(run=run).count()


# --- registry-wide runs -----------------------------------------------------------------------


def _run_region(actor: Any, region_code: str | None) -> Region:
    code = region_code or actor.scope_region_code
    if not code:
        raise field_error("region_code", DedupError.REGION_REQUIRED)
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_scope(actor, code):
        raise NotFound()
    if region.level not in RUN_LEVELS:
        raise field_error("region_code", DedupError.REGION_LEVEL)
    return region


def _new_run(region: Region, actor: Any) -> DedupRun:
    """A queued registry run of `region`, refused while another one of it is unfinished."""
    busy = DedupRun.objects.filter(
        region_code=region.code, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).exists()
    if busy:
        raise Conflict(DedupError.RUN_BUSY)
    run = DedupRun.objects.create(
        kind=RunKind.REGISTRY,
        region_code=region.code,
        started_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(actor=actor, action="dedup.run.start", obj=run, region_code=region.code)
    return run


@transaction.atomic
def dedup_run_start(*, actor: Any, region_code: str | None = None) -> DedupRun:
    """Queue a registry-wide run over a regency or a province (a background task)."""
    from .tasks import dedup_task

    require(actor, Capability.RESOLVE_DUPLICATES)
    region = _run_region(actor, region_code)
    run = _new_run(region, actor)
    run.job = job_start(
        actor=actor,
        kind="dedup",
        label=f"Deduplikasi {region.name}",
        task=dedup_task,
        region_code=region.code,
        params={"run_id": run.pk},
        total=100,
    )
    run.save(update_fields=["job"])
    return run


def dedup_run_now(*, region_code: str, progress: Progress = _no_progress) -> RunOutcome:
    """A registry run executed in this process (`manage.py dedup_registry`: operations and
    scheduled runs, no account), under the same rules as one started from the pages."""
    with transaction.atomic():
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise NotFound()
        if region.level not in RUN_LEVELS:
            raise field_error("region_code", DedupError.REGION_LEVEL)
        run = _new_run(region, None)
    return dedup_run_execute(run, progress=progress)


@dataclass(frozen=True)
class RunOutcome:
    records: int
    pairs_compared: int
    candidates_found: int
    candidates_new: int
    seconds: float
    model_version: str


def dedup_run_execute(run: DedupRun, *, progress: Progress = _no_progress) -> RunOutcome:
    """Train on the region's records, score the blocked pairs, store the new candidate pairs."""
    started = time.perf_counter()
    DedupRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    try:
        progress(2, "Membaca data pekerja")
        frame = registry_frame(run.region_code)
        prepared = engine.prepare(frame)
        start = _engine_model(current_model(run.region_code))
        if prepared.height >= 1_000:
            progress(10, "Melatih model dari data")
            model = engine.train(
                prepared,
                start=start,
                progress=lambda p, _s: progress(10 + p * 30 // 100, "Melatih model dari data"),
            )
        else:
            model = engine.scaled_model(start, prepared.height)
        stored = _store_model(model, run.region_code)
        progress(40, "Membandingkan pasangan calon")
        prediction = engine.predict(prepared, model)
        progress(85, "Menyimpan pasangan untuk ditinjau")
        with transaction.atomic():
            new = _save_pairs(run, prediction.pairs, frame, stored.version)
            outcome = RunOutcome(
                records=frame.height,
                pairs_compared=prediction.pairs_compared,
                candidates_found=prediction.pairs.height,
                candidates_new=new,
                seconds=round(time.perf_counter() - started, 2),
                model_version=stored.version,
            )
            DedupRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE,
                model=stored,
                records=outcome.records,
                pairs_compared=outcome.pairs_compared,
                candidates_found=outcome.candidates_found,
                candidates_new=outcome.candidates_new,
                seconds=outcome.seconds,
                finished_at=timezone.now(),
            )
        progress(100, "Selesai")
        return outcome
    except Exception:
        DedupRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error="internal"
        )
        raise


# --- new records against the registry (imports) ----------------------------------------------


@dataclass(frozen=True)
class Held:
    """New workers held for review: worker id → (existing worker id, probability)."""

    matches: dict[int, tuple[int, float]]
    run: DedupRun | None
    by_nik: dict[str, tuple[int, float]]


def check_new_workers(
    *,
    region_code: str,
    actor: Any,
    new_ids: list[int] | None = None,
    new_niks: pl.Series | None = None,
    source_import: Any = None,
) -> Held:
    """Score new workers (by id or NIK) against the registry of `region_code` (`link` mode:
    the registry is not compared with itself), store the probable matches as candidate pairs
    and hold the new workers for verification. Runs inside the caller's transaction."""
    frame = registry_frame(region_code)
    if new_niks is not None:
        is_new = pl.col("nik").is_in(new_niks.implode())
    else:
        is_new = pl.col("id").is_in(new_ids or [])
    new = frame.filter(is_new)
    existing = frame.filter(~is_new)
    if new.height == 0 or existing.height == 0:
        return Held({}, None, {})
    new_ids = new.get_column("id").to_list()
    stored = current_model(region_code)
    model = engine.scaled_model(_engine_model(stored), frame.height)
    prediction = engine.predict_between(
        engine.prepare(new), engine.prepare(existing), model, within_new=False
    )
    run = DedupRun.objects.create(
        kind=RunKind.INCREMENTAL,
        status=RunStatus.DONE,
        region_code=region_code,
        started_by=actor if getattr(actor, "pk", None) else None,
        source_import=source_import,
        model=stored,
        records=new.height,
        candidates_found=prediction.pairs.height,
        seconds=round(prediction.seconds, 2),
        finished_at=timezone.now(),
    )
    run.candidates_new = _save_pairs(run, prediction.pairs, frame, stored.version)
    run.save(update_fields=["candidates_new"])
    new_set = set(new_ids)
    matches: dict[int, tuple[int, float]] = {}
    for id_l, id_r, probability in prediction.pairs.select(
        "id_l", "id_r", "match_probability"
    ).iter_rows():
        new_id, old_id = (id_l, id_r) if id_l in new_set else (id_r, id_l)
        if new_id not in matches or matches[new_id][1] < probability:
            matches[new_id] = (old_id, float(probability))
    _hold(matches)
    nik_of = dict(new.select("id", "nik").iter_rows())
    return Held(matches, run, {nik_of[k]: v for k, v in matches.items()})


def _hold(matches: dict[int, tuple[int, float]]) -> None:
    workers = Worker.objects.filter(pk__in=list(matches)).only("id", "verification_notes")
    changed = []
    for worker in workers:
        other, probability = matches[worker.pk]
        note = possible_duplicate_note(other_id=other, probability=probability)
        worker.verification_notes = [*(worker.verification_notes or []), note]
        worker.verification_status = VerificationStatus.PENDING
        changed.append(worker)
    Worker.objects.bulk_update(changed, ["verification_notes", "verification_status"], 2000)


# --- the review queue -------------------------------------------------------------------------


def _pair_for_update(actor: Any, pair_id: int) -> CandidatePair:
    require(actor, Capability.RESOLVE_DUPLICATES)
    pair = CandidatePair.objects.visible_to(actor).select_for_update().filter(pk=pair_id).first()
    if pair is None:
        raise NotFound()
    return pair


@transaction.atomic
def pair_decide(
    *,
    actor: Any,
    pair_id: int,
    decision: str,
    survivor_id: int | None = None,
    note: str = "",
) -> CandidatePair:
    """Record a reviewer's decision: `same` merges (into `survivor_id`, default the older
    record), `different` closes the pair for good, `skip` leaves it for later."""
    pair = _pair_for_update(actor, pair_id)
    if pair.decision not in (Decision.OPEN, Decision.SKIPPED):
        raise Conflict(DedupError.ALREADY_DECIDED)
    if decision == Decision.SAME:
        survivor = survivor_id or pair.worker_a_id
        if survivor not in (pair.worker_a_id, pair.worker_b_id):
            raise field_error("survivor_id", DedupError.SURVIVOR_NOT_IN_PAIR)
        merged = pair.worker_b_id if survivor == pair.worker_a_id else pair.worker_a_id
        worker_merge(
            actor=actor,
            survivor_id=survivor,
            merged_id=merged,
            pair=pair,
            reason=note,
        )
    elif decision not in (Decision.DIFFERENT, Decision.SKIPPED):
        raise field_error("decision", DedupError.BAD_DECISION)
    pair.decision = decision
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.note = note[:255]
    pair.save(update_fields=["decision", "decided_by", "decided_at", "note"])
    audit_record(
        actor=actor,
        action="dedup.pair.decide",
        obj=pair,
        region_code=pair.region_code,
        changes={"decision": [Decision.OPEN, decision]},
        note=note,
    )
    return pair


# --- merge and un-merge -----------------------------------------------------------------------


def _worker_references() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) holding a foreign key to Worker whose rows move with a merge."""
    found = []
    for model in apps.get_models():
        if model._meta.label_lower in NOT_MOVED:
            continue
        for f in model._meta.get_fields():
            if isinstance(f, models.ForeignKey) and f.related_model is Worker:
                found.append((model, f.name))
    return found


def _locked_live(actor: Any, worker_id: int) -> Worker:
    worker = Worker.objects.visible_to(actor).select_for_update().filter(pk=worker_id).first()
    if worker is None:
        raise NotFound()
    if worker.merged_into_id is not None:
        raise Conflict(DedupError.ALREADY_MERGED)
    return worker


@transaction.atomic
def worker_merge(
    *,
    actor: Any,
    survivor_id: int,
    merged_id: int,
    pair: CandidatePair | None = None,
    reason: str = "",
) -> Merge:
    require(actor, Capability.RESOLVE_DUPLICATES)
    if survivor_id == merged_id:
        raise field_error("survivor_id", DedupError.SAME_WORKER)
    first, second = sorted([survivor_id, merged_id])  # lock in id order: no deadlock
    locked = {w.pk: w for w in (_locked_live(actor, first), _locked_live(actor, second))}
    survivor, merged = locked[survivor_id], locked[merged_id]
    # One person may not end up doubly covered (the enrolment app's rule).
    merge_cover_check(survivor_id=survivor.pk, merged_id=merged.pk)
    moved: dict[str, dict[str, list[Any]]] = {}
    for model, field in _worker_references():
        rows = model._default_manager.filter(**{f"{field}_id": merged.pk})
        pks = list(rows.values_list("pk", flat=True))
        if pks:
            model._default_manager.filter(pk__in=pks).update(**{f"{field}_id": survivor.pk})
            moved.setdefault(model._meta.label_lower, {})[field] = pks
    now = timezone.now()
    Worker.objects.filter(pk=merged.pk).update(
        merged_into=survivor, version=models.F("version") + 1, updated_by=actor, updated_at=now
    )
    Worker.objects.filter(pk=survivor.pk).update(version=models.F("version") + 1)
    merge = Merge.objects.create(
        survivor=survivor,
        merged=merged,
        pair=pair,
        region_code=survivor.village_id,
        moved=moved,
        merged_by=actor,
        merged_at=now,
        reason=reason[:255],
    )
    # Other open pairs of the tombstone no longer make sense as they are.
    CandidatePair.objects.open().filter(
        models.Q(worker_a=merged) | models.Q(worker_b=merged)
    ).exclude(pk=getattr(pair, "pk", None)).update(decision=Decision.OBSOLETE, decided_at=now)
    counts = {label: sum(len(v) for v in fields.values()) for label, fields in moved.items()}
    for worker, other, role in ((merged, survivor, "merged_into"), (survivor, merged, "absorbed")):
        audit_record(
            actor=actor,
            action="worker.merge",
            obj=worker,
            region_code=worker.village_id,
            changes={role: [None, other.pk], "moved": [None, counts]},
            note=reason,
        )
    checkpoint("dedup.merge")  # fault tests kill the process here, inside the transaction
    return merge


@transaction.atomic
def worker_unmerge(*, actor: Any, merge_id: int, reason: str) -> Merge:
    """Undo a merge: the tombstone is a worker again and exactly the moved rows go back."""
    require(actor, Capability.RESOLVE_DUPLICATES)
    merge = Merge.objects.visible_to(actor).select_for_update().filter(pk=merge_id).first()
    if merge is None:
        raise NotFound()
    if not reason.strip():
        raise field_error("reason", DedupError.REASON_REQUIRED)
    if merge.undone_at is not None:
        raise Conflict(DedupError.ALREADY_UNDONE)
    survivor = Worker.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Worker.objects.select_for_update().get(pk=merge.merged_id)
    if survivor.merged_into_id is not None:
        raise Conflict(DedupError.SURVIVOR_MERGED_SINCE)
    for label, fields in merge.moved.items():
        model = apps.get_model(label)
        for field, pks in fields.items():
            model._default_manager.filter(pk__in=pks, **{f"{field}_id": survivor.pk}).update(
                **{f"{field}_id": merged.pk}
            )
    now = timezone.now()
    Worker.objects.filter(pk=merged.pk).update(
        merged_into=None, version=models.F("version") + 1, updated_by=actor, updated_at=now
    )
    Worker.objects.filter(pk=survivor.pk).update(version=models.F("version") + 1)
    merge.undone_at = now
    merge.undone_by = actor
    merge.undo_reason = reason[:255]
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    if merge.pair_id:
        CandidatePair.objects.filter(pk=merge.pair_id).update(
            decision=Decision.OPEN, decided_by=None, decided_at=None, note=""
        )
    for worker, other, role in ((merged, survivor, "merged_into"), (survivor, merged, "absorbed")):
        audit_record(
            actor=actor,
            action="worker.unmerge",
            obj=worker,
            region_code=worker.village_id,
            changes={role: [other.pk, None]},
            note=reason,
        )
    checkpoint("dedup.merge")  # fault tests kill the process here, inside the transaction
    return merge
