"""Map boundaries for the dashboard (issue 9): an admin uploads a GeoJSON FeatureCollection of a
region's child regions, each feature carrying the region code in a property (default `code`);
the dashboard then draws its participant counts on a map. Nothing ships by default."""

from __future__ import annotations

import json
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.actors import account
from lindungi.core.audit import audit_record
from lindungi.core.errors import DomainError, NotFound
from lindungi.core.scope import region_in_scope
from lindungi.regions.models import Region

from .errors import ReportError
from .models import BoundaryMap

MAX_BYTES = 20 * 1024 * 1024
GEOMETRIES = {"Polygon", "MultiPolygon"}


@transaction.atomic
def boundary_upload(
    *, actor: Any, region_code: str, file: IO[bytes], key_property: str = "code"
) -> BoundaryMap:
    """Store (or replace) the boundaries of `region_code`'s children; refused whole if the file
    is not a FeatureCollection of polygons keyed by codes of those children."""
    require(actor, Capability.MANAGE_PROGRAMMES)
    code = str(region_code or "").strip()
    if not Region.objects.filter(code=code).exists() or not region_in_scope(actor, code):
        raise NotFound()
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise DomainError(ReportError.MAP_TOO_LARGE, limit=MAX_BYTES // 2**20)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DomainError(ReportError.MAP_INVALID) from None
    features = data.get("features") if isinstance(data, dict) else None
    if data.get("type") != "FeatureCollection" or not isinstance(features, list) or not features:
        raise DomainError(ReportError.MAP_INVALID)
    key = str(key_property or "code").strip() or "code"
    children = set(Region.objects.filter(parent_id=code).values_list("code", flat=True))
    matched, unknown = 0, []
    for feature in features:
        geometry = (feature or {}).get("geometry") or {}
        value = str(((feature or {}).get("properties") or {}).get(key) or "")
        if geometry.get("type") not in GEOMETRIES:
            raise DomainError(ReportError.MAP_INVALID)
        if value in children:
            matched += 1
        else:
            unknown.append(value or "?")
    if not matched:
        raise DomainError(ReportError.MAP_NO_MATCH, arg=key, sample=", ".join(unknown[:3]))
    boundary, _ = BoundaryMap.objects.update_or_create(
        region_code=code,
        defaults={"key_property": key, "geojson": data, "features": matched,
                  "uploaded_at": timezone.now(), "uploaded_by": account(actor)},
    )  # fmt: skip
    audit_record(actor=actor, action="reporting.map", obj=boundary, region_code=code,
                 changes={"features": [None, matched], "unknown": [None, len(unknown)]})  # fmt: skip
    return boundary


def boundary_for(*, actor: Any, region_code: str) -> BoundaryMap | None:
    require(actor, Capability.VIEW_AGGREGATES)
    if region_code and not region_in_scope(actor, region_code):
        raise NotFound()
    return BoundaryMap.objects.filter(region_code=region_code).first()
