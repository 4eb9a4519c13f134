"""Coverage against targets (domain.md §8): BPJS's aggregate figures for a region and year beside
the region's active enrolments in Lindungi; groups smaller than `SMALL_GROUP` are hidden from
roles that may not see personal data (auditors, donors, the public)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import NotFound
from lindungi.core.routers import reporting_reads
from lindungi.core.scope import region_code_q, region_in_scope
from lindungi.enrolment.models import Enrolment, EnrolmentStatus
from lindungi.regions.models import Region

from .models import RegionFigure, Segment

SMALL_GROUP = 5


def percent(part: int | None, whole: int | None) -> float | None:
    """Part of whole in percent, one decimal, half up (57,466 of 119,971 → 47.9)."""
    if part is None or not whole:
        return None
    tenths = (part * 2000 + whole) // (2 * whole)
    return tenths / 10


def hides_small_groups(actor: Any) -> bool:
    """Whether counts of fewer than SMALL_GROUP people are hidden from `actor`: roles without
    personal-data rights could otherwise single out a person (a village's one fisher)."""
    return not actor.can(Capability.VIEW_PERSONAL_DATA)


def small_group(count: int, *, hide: bool) -> int | None:
    """`count`, or None (shown as "<5") when it is of fewer than SMALL_GROUP people and `hide`."""
    if hide and 0 < count < SMALL_GROUP:
        return None
    return count


def suppressed(actor: Any, count: int) -> int | None:
    """A count of fewer than SMALL_GROUP people, for a viewer without personal-data rights: None."""
    return small_group(count, hide=hides_small_groups(actor))


@dataclass(frozen=True)
class SegmentCoverage:
    segment: str
    label: str
    population: int | None
    covered: int | None
    percent: float | None
    source: str


@dataclass(frozen=True)
class Coverage:
    region_code: str
    region_name: str
    year: int
    segments: list[SegmentCoverage]
    lindungi_active: int | None  # active enrolments in Lindungi today, in the region
    years: list[int]


@reporting_reads()
def coverage(*, actor: Any, region_code: str, year: int | None = None,
             today: dt.date | None = None) -> Coverage:  # fmt: skip
    require(actor, Capability.VIEW_AGGREGATES)
    region = Region.objects.filter(code=region_code).first()
    if region is None or not region_in_scope(actor, region.code):
        raise NotFound()
    figures = RegionFigure.objects.filter(region=region)
    years = sorted(set(figures.values_list("year", flat=True)), reverse=True)
    chosen = year or (years[0] if years else (today or timezone.localdate()).year)
    rows = {f.segment: f for f in figures.filter(year=chosen)}
    segments = [
        SegmentCoverage(
            segment=str(segment),
            label=str(label),
            population=rows[segment].population,
            covered=rows[segment].covered,
            percent=percent(rows[segment].covered, rows[segment].population),
            source=rows[segment].source,
        )
        for segment, label in Segment.choices
        if segment in rows
    ]
    active = Enrolment.objects.filter(
        region_code_q("region_code", region.code), status=EnrolmentStatus.ACTIVE
    )
    return Coverage(
        region_code=region.code,
        region_name=region.name,
        year=chosen,
        segments=segments,
        lindungi_active=suppressed(actor, active.count()),
        years=years,
    )
