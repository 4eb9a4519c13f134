"""Reading dedup records, always through the actor's region scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import NotFound
from lindungi.core.privacy import mask_nik

from .models import CandidatePair, DedupRun, Merge

# Side-by-side fields of the review page: (label, worker attribute, evidence key).
SIDE_BY_SIDE = [
    (_("NIK"), "nik", "nik"),
    (_("Nama"), "full_name", "name"),
    (_("Tanggal lahir"), "birth_date", "birth_date"),
    (_("Jenis kelamin"), "sex", "sex"),
    (_("Desa/kelurahan"), "village", "village_code"),
    (_("Alamat"), "address", "address"),
    (_("Telepon"), "phone", "phone"),
]


def review_queue(*, actor: Any) -> QuerySet[CandidatePair]:
    """Open pairs (skipped ones after them) by match probability, highest first."""
    require(actor, Capability.RESOLVE_DUPLICATES)
    return (
        CandidatePair.objects.visible_to(actor)
        .open()
        .select_related("worker_a", "worker_b", "worker_a__village", "worker_b__village")
        .order_by("decision", "-probability", "id")
    )


def pair_get(*, actor: Any, pair_id: int) -> CandidatePair:
    require(actor, Capability.RESOLVE_DUPLICATES)
    pair = (
        CandidatePair.objects.visible_to(actor)
        .select_related("worker_a", "worker_b", "worker_a__village", "worker_b__village", "run")
        .filter(pk=pair_id)
        .first()
    )
    if pair is None:
        raise NotFound()
    return pair


def run_list(*, actor: Any) -> QuerySet[DedupRun]:
    require(actor, Capability.RESOLVE_DUPLICATES)
    return DedupRun.objects.visible_to(actor).select_related("job", "model")


def merge_list(*, actor: Any) -> QuerySet[Merge]:
    require(actor, Capability.RESOLVE_DUPLICATES)
    return Merge.objects.visible_to(actor).select_related("survivor", "merged", "merged_by")


def compared(pair: CandidatePair) -> list[dict[str, Any]]:
    """One row per field: both values (NIK masked), whether they agree, the model's weight."""
    rows = []
    for label, attr, key in SIDE_BY_SIDE:
        left, right = getattr(pair.worker_a, attr), getattr(pair.worker_b, attr)
        weight = pair.evidence.get(key)
        if attr == "nik":
            left, right = mask_nik(left), mask_nik(right)
        elif attr == "village":
            left, right = (f"{v.name} ({v.code})" if v else "" for v in (left, right))
        elif attr == "birth_date":
            left, right = (d.strftime("%d-%m-%Y") if d else "" for d in (left, right))
        rows.append(
            {
                "field": key,
                "label": str(label),
                "a": "" if left in (None, "") else str(left),
                "b": "" if right in (None, "") else str(right),
                "weight": weight,
                "agrees": weight is not None and weight > 0,
                "disagrees": weight is not None and weight < 0,
            }
        )
    return rows
