"""Small template helpers for the portal pages."""

from __future__ import annotations

from typing import Any

from django import template

from lindungi.core.audit import ChangeRow, may_see_personal_data, present_changes
from lindungi.core.models import AuditEvent

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """`{{ labels|get_item:code }}`: a dictionary value by a variable key."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key


@register.simple_tag(takes_context=True)
def audit_changes(context: template.Context, event: AuditEvent) -> list[ChangeRow]:
    """`{% audit_changes event as rows %}`: the event's changes as the signed-in reader may see
    them — personal values only with personal-data rights (core.audit.present_changes)."""
    request = context.get("request")
    reader = getattr(request, "user", None)
    return present_changes(
        event.changes, object_type=event.object_type, personal=may_see_personal_data(reader)
    )


@register.filter
def import_field_label(field: str) -> str:
    """The Indonesian name of a recognised import column (`full_name` → Nama lengkap)."""
    from lindungi.imports.columns import FIELD_LABELS

    return str(FIELD_LABELS.get(field, field))
