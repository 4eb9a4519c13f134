"""Small template helpers for the portal pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`{{ labels|get_item:code }}`: a dictionary value by a variable key."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.filter
def change_rows(changes: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """`{field: [before, after]}` as rows for display, identity numbers masked."""
    from lindungi.registry.names import mask_changes

    rows = []
    for field, pair in mask_changes(changes).items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        rows.append((field, before, after))
    return rows


@register.filter
def import_field_label(field: str) -> str:
    """The Indonesian name of a recognised import column (`full_name` → Nama lengkap)."""
    from lindungi.imports.columns import FIELD_LABELS

    return str(FIELD_LABELS.get(field, field))
