"""API of deduplication: `/api/v1/dedup` — runs, the review queue, decisions, merges."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from lindungi.dedup.services import pair_decide

from .models import CandidatePair, DedupRun, Merge
from .selectors import compared, merge_list, pair_get, review_queue, run_list
from .services import dedup_run_start, worker_unmerge

router = Router(tags=["dedup"])


class DedupRunIn(Schema):
    region_code: str | None = None


class DedupRunOut(Schema):
    id: int
    kind: str
    status: str
    region_code: str
    job_id: str | None
    model_version: str | None
    records: int
    pairs_compared: int
    candidates_found: int
    candidates_new: int
    seconds: float
    created_at: dt.datetime
    finished_at: dt.datetime | None


class FieldOut(Schema):
    field: str
    label: str
    a: str
    b: str
    weight: float | None
    agrees: bool
    disagrees: bool


class PairOut(Schema):
    id: int
    worker_a_id: int
    worker_b_id: int
    probability: float
    match_weight: float
    decision: str
    model_version: str
    fields: list[FieldOut]


class DecisionIn(Schema):
    decision: Literal["same", "different", "skipped"]
    survivor_id: int | None = None
    note: str = ""


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int
    pair_id: int | None
    moved: dict[str, dict[str, list[int]]]
    merged_at: dt.datetime
    undone_at: dt.datetime | None


class UndoIn(Schema):
    reason: str


def _run(run: DedupRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "kind": run.kind,
        "status": run.status,
        "region_code": run.region_code,
        "job_id": str(run.job_id) if run.job_id else None,
        "model_version": run.model.version if run.model else None,
        "records": run.records,
        "pairs_compared": run.pairs_compared,
        "candidates_found": run.candidates_found,
        "candidates_new": run.candidates_new,
        "seconds": run.seconds,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


def _pair(pair: CandidatePair) -> dict[str, Any]:
    return {
        "id": pair.pk,
        "worker_a_id": pair.worker_a_id,
        "worker_b_id": pair.worker_b_id,
        "probability": pair.probability,
        "match_weight": pair.match_weight,
        "decision": pair.decision,
        "model_version": pair.model_version,
        "fields": compared(pair),
    }


def _merge(merge: Merge) -> dict[str, Any]:
    return {
        "id": merge.pk,
        "survivor_id": merge.survivor_id,
        "merged_id": merge.merged_id,
        "pair_id": merge.pair_id,
        "moved": merge.moved,
        "merged_at": merge.merged_at,
        "undone_at": merge.undone_at,
    }


@router.post("/runs", response={202: DedupRunOut}, summary="Jalankan deduplikasi seluruh wilayah")
def start_run(request: HttpRequest, payload: DedupRunIn) -> Status[dict[str, Any]]:
    run = dedup_run_start(actor=request.auth, region_code=payload.region_code)  # type: ignore[attr-defined]
    return Status(202, _run(run))


@router.get("/runs", response=list[DedupRunOut], summary="Riwayat deduplikasi di wilayah saya")
def list_runs(request: HttpRequest) -> list[dict[str, Any]]:
    return [_run(r) for r in run_list(actor=request.auth)[:100]]  # type: ignore[attr-defined]


@router.get("/pairs", response=list[PairOut], summary="Antrean pasangan calon data ganda")
def list_pairs(request: HttpRequest, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    limit = max(1, min(limit, 200))
    queue = review_queue(actor=request.auth)  # type: ignore[attr-defined]
    return [_pair(p) for p in queue[max(offset, 0) : max(offset, 0) + limit]]


@router.get("/pairs/{pair_id}", response=PairOut, summary="Satu pasangan, berdampingan")
def get_pair(request: HttpRequest, pair_id: int) -> dict[str, Any]:
    return _pair(pair_get(actor=request.auth, pair_id=pair_id))  # type: ignore[attr-defined]


@router.post(
    "/pairs/{pair_id}/decision", response=PairOut, summary="Putuskan: sama, berbeda, lewati"
)
def decide(request: HttpRequest, pair_id: int, payload: DecisionIn) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    pair_decide(
        actor=actor,
        pair_id=pair_id,
        decision=payload.decision,
        survivor_id=payload.survivor_id,
        note=payload.note,
    )
    return _pair(pair_get(actor=actor, pair_id=pair_id))


@router.get("/merges", response=list[MergeOut], summary="Penggabungan di wilayah saya")
def list_merges(request: HttpRequest) -> list[dict[str, Any]]:
    return [_merge(m) for m in merge_list(actor=request.auth)[:100]]  # type: ignore[attr-defined]


@router.post("/merges/{merge_id}/undo", response=MergeOut, summary="Batalkan penggabungan")
def undo_merge(request: HttpRequest, merge_id: int, payload: UndoIn) -> dict[str, Any]:
    merge = worker_unmerge(actor=request.auth, merge_id=merge_id, reason=payload.reason)  # type: ignore[attr-defined]
    return _merge(merge)
