"""Date helpers shared by every app: ISO dates from requests, and whole years back or forward."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .errors import ErrorCode, FieldErrors


def iso_date(value: Any, field: str, error: ErrorCode) -> dt.date:
    """`value` as a date (a date, or "YYYY-MM-DD"); otherwise `error` on `field`."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldErrors.single(field, error, arg=str(value)[:20]) from None


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` years earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: dt.date, years: int) -> dt.date:
    return years_before(day, -years)
