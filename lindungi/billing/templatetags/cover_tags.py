"""A worker's cover history and masa iur on the worker's page (the registry's template loads
this tag: the registry app never imports the billing app above it)."""

from __future__ import annotations

from typing import Any

from django import template

from lindungi.billing.cover import CoverHistory, worker_cover

register = template.Library()


@register.simple_tag(takes_context=True)
def cover_of(context: dict[str, Any], worker: Any) -> CoverHistory:
    return worker_cover(actor=context["request"].user, worker_id=worker.pk)
