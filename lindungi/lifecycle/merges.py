"""Merging two records of one person (domain.md §3: a worker is one natural person): the
dedup app moves heirs, events, enrolments, claims and history to the record kept, and the
enrolment app's rule refuses a merge that would leave that person doubly covered."""

from __future__ import annotations

from typing import Any

from lindungi.dedup.models import CandidatePair, Merge
from lindungi.dedup.services import pair_decide as _pair_decide
from lindungi.dedup.services import worker_merge as _worker_merge
from lindungi.enrolment.services import merge_cover_check


def pair_decide(
    *,
    actor: Any,
    pair_id: int,
    decision: str,
    survivor_id: int | None = None,
    note: str = "",
) -> CandidatePair:
    """A reviewer's decision on a candidate pair; `same` merges (cover checked)."""
    return _pair_decide(
        actor=actor,
        pair_id=pair_id,
        decision=decision,
        cover_check=merge_cover_check,
        survivor_id=survivor_id,
        note=note,
    )


def worker_merge(
    *,
    actor: Any,
    survivor_id: int,
    merged_id: int,
    pair: CandidatePair | None = None,
    reason: str = "",
) -> Merge:
    """Merge `merged_id` into `survivor_id` (cover checked)."""
    return _worker_merge(
        actor=actor,
        survivor_id=survivor_id,
        merged_id=merged_id,
        cover_check=merge_cover_check,
        pair=pair,
        reason=reason,
    )
