"""What the enrolment app shows on pages of the apps below it (a programme's page and list):
their templates load these tags, so the programmes app never imports the enrolment app."""

from __future__ import annotations

from typing import Any

from django import template

from lindungi.enrolment.selectors import batch_list, programme_counts

register = template.Library()


@register.simple_tag
def enrolment_counts(programmes: list[Any]) -> dict[int, dict[str, int]]:
    """Active and waiting enrolments of each programme, in one query: `counts|of:p.pk`."""
    return programme_counts([p.pk for p in programmes])


@register.simple_tag
def programme_enrolment(programme: Any) -> dict[str, int]:
    """Active and waiting enrolments of one programme."""
    return programme_counts([programme.pk])[programme.pk]


@register.filter
def of(counts: dict[int, dict[str, int]], programme_id: int) -> dict[str, int]:
    return counts.get(programme_id, {"active": 0, "waiting": 0})


@register.simple_tag(takes_context=True)
def programme_batches(context: dict[str, Any], programme: Any) -> Any:
    """The programme's batches the reader may see."""
    return batch_list(actor=context["request"].user, programme_id=programme.pk)
