"""The cascading region picker used in forms: one select per level, inside the actor's scope."""

from __future__ import annotations

from typing import Any

from lindungi.core.scope import region_in_scope
from lindungi.regions.models import Level, Region, ancestor_codes

LEVELS = [Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE]


def region_picker_context(actor: Any, name: str, code: str | None) -> dict[str, Any]:
    """Selects from the actor's scope region down to `code`, plus the next level's choices."""
    root_code = None if actor.has_national_scope else actor.scope_region_code
    if code and not region_in_scope(actor, code):
        code = None
    chain = ancestor_codes(code) if code else []
    root_depth = len(ancestor_codes(root_code)) if root_code else 0
    root = Region.objects.filter(code=root_code).first() if root_code else None
    selects = []
    parent = root_code
    for depth in range(root_depth, len(LEVELS)):
        qs = Region.objects.active().filter(level=LEVELS[depth])
        qs = qs.filter(parent_id=parent) if parent else qs.filter(parent__isnull=True)
        options = list(qs.only("code", "name").order_by("name"))
        if not options:
            break
        selected = chain[depth] if depth < len(chain) else None
        selects.append(
            {
                "level": LEVELS[depth],
                "parent_code": parent or "",
                "options": options,
                "selected": selected,
            }
        )
        if selected is None:
            break
        parent = selected
    return {
        "name": name,
        "code": code or root_code or "",
        "root": root,
        "selects": selects,
    }
