"""Public read API for regions: `/api/v1/regions`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .models import Region, ancestor_codes
from .selectors import region_children, region_get, region_names

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str


class RegionDetailOut(RegionOut):
    kind: str
    parent_code: str | None
    is_active: bool
    ancestors: list[RegionOut]


@router.get("", response=list[RegionOut], auth=None, summary="Daftar wilayah di bawah induk")
def list_regions(
    request: HttpRequest, parent: str | None = None, q: str | None = None
) -> list[dict[str, str]]:
    """Without `parent`: the 38 provinces; with it, the regions one level below; `q`: by name."""
    return [
        {"code": r.code, "name": r.name, "level": r.level}
        for r in region_children(parent, q=q).only("code", "name", "level")
    ]


@router.get("/{code}", response=RegionDetailOut, auth=None, summary="Satu wilayah")
def get_region(request: HttpRequest, code: str) -> dict[str, object]:
    region: Region = region_get(code)
    above = ancestor_codes(region.code)[:-1]
    names = region_names(above)
    levels = ["province", "regency", "district", "village"]
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "kind": region.kind_label,
        "parent_code": region.parent_id,
        "is_active": region.is_active,
        "ancestors": [
            {"code": c, "name": names.get(c, ""), "level": levels[i]} for i, c in enumerate(above)
        ],
    }
