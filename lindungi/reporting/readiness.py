"""Paritrana readiness per region (issue 9, domain.md §8): the raw indicators side by side for
the regencies of a province — coverage of PU, BPU and pekerja rentan from the uploaded figures,
the regulations, the APBD allocation and the innovations admins record. No score is computed:
the official weights are unpublished."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.actors import account
from lindungi.core.audit import audit_record
from lindungi.core.errors import FieldErrors, NotFound
from lindungi.core.scope import region_in_scope
from lindungi.regions.models import Region

from .errors import ReportError
from .models import ReadinessEntry, RegionFigure, Segment
from .selectors import percent

INDICATOR_SEGMENTS = (Segment.PU, Segment.BPU, Segment.PEKERJA_RENTAN)


@dataclass(frozen=True)
class ReadinessRow:
    region_code: str
    region_name: str
    coverage: dict[str, float | None]  # segment → percent
    regulations: str
    apbd_allocation: int | None
    innovations: str


def readiness(*, actor: Any, province_code: str, year: int | None = None) -> dict[str, Any]:
    """The province and each of its regencies, one row each, for `year` (default: this year)."""
    require(actor, Capability.VIEW_AGGREGATES)
    province = Region.objects.filter(code=province_code, level="province").first()
    if province is None or not (
        region_in_scope(actor, province.code)
        or any(region_in_scope(actor, r.code) for r in province.children.all())
    ):
        raise NotFound()
    chosen = year or timezone.localdate().year
    regions = [province, *province.children.filter(is_active=True).order_by("code")]
    regions = [r for r in regions if region_in_scope(actor, r.code) or r == province]
    codes = [r.code for r in regions]
    figures: dict[tuple[str, str], RegionFigure] = {
        (f.region_id, f.segment): f
        for f in RegionFigure.objects.filter(region_id__in=codes, year=chosen)
    }
    entries = {
        e.region_id: e for e in ReadinessEntry.objects.filter(region_id__in=codes, year=chosen)
    }
    rows = []
    for region in regions:
        entry = entries.get(region.code)
        coverage = {}
        for segment in INDICATOR_SEGMENTS:
            figure = figures.get((region.code, segment))
            coverage[str(segment)] = percent(figure.covered, figure.population) if figure else None
        rows.append(ReadinessRow(
            region_code=region.code, region_name=region.name, coverage=coverage,
            regulations=entry.regulations if entry else "",
            apbd_allocation=entry.apbd_allocation if entry else None,
            innovations=entry.innovations if entry else "",
        ))  # fmt: skip
    return {"province": province, "year": chosen, "rows": rows}


@transaction.atomic
def readiness_record(*, actor: Any, data: dict[str, Any]) -> ReadinessEntry:
    """Record (or correct) a region's regulations, APBD allocation and innovations for a year."""
    require(actor, Capability.MANAGE_PROGRAMMES)
    code = str(data.get("region_code") or "").strip()
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_scope(actor, code):
        raise NotFound()
    year_text = str(data.get("year") or "").strip()
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        raise FieldErrors.single("year", ReportError.YEAR_INVALID, arg=year_text[:10])
    allocation_text = str(data.get("apbd_allocation") or "").replace(".", "").strip()
    if allocation_text and not allocation_text.isdigit():
        raise FieldErrors.single(
            "apbd_allocation", ReportError.AMOUNT_INVALID, arg=allocation_text[:20]
        )
    entry, created = ReadinessEntry.objects.update_or_create(
        region=region, year=int(year_text),
        defaults={
            "regulations": str(data.get("regulations") or "").strip()[:2000],
            "apbd_allocation": int(allocation_text) if allocation_text else None,
            "innovations": str(data.get("innovations") or "").strip()[:2000],
            "updated_at": timezone.now(), "updated_by": account(actor),
        },
    )  # fmt: skip
    audit_record(actor=actor, action="reporting.readiness", obj=entry, region_code=region.code,
                 changes={"apbd_allocation": [None, entry.apbd_allocation],
                          "created": [None, created]})  # fmt: skip
    return entry
