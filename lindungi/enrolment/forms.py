"""Page input of enrolment: the admin's selection for a proposal (rules live in services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import QueryDict

from lindungi.core.errors import FieldErrors

from .errors import EnrolmentError


def selection_from(source: QueryDict) -> dict[str, Any]:
    """start_date, villages, occupations, limit, renewal from a batch form's fields; a start
    date that is not a date is refused with a message, never replaced by a default."""
    start = source.get("start_date") or ""
    try:
        start_date = dt.date.fromisoformat(start) if start else None
    except ValueError:
        raise FieldErrors.single("start_date", EnrolmentError.START_INVALID, arg=start) from None
    return {
        "start_date": start_date,
        "villages": [v for v in source.get("villages", "").replace(",", " ").split() if v],
        "occupations": source.getlist("occupations"),
        "limit": source.get("limit") or None,
        "renewal": source.get("renewal") == "1",
    }
