"""Reads of reports from a replica (docs/scale-out.md, "Read replicas for reports").

With `REPORTING_DATABASE_URL` set (a streaming replica of the database; it sets
`REPORTING_REPLICA` and the `reporting` alias), the code inside
`reporting_reads()` — dashboards and coverage reports, which read aggregate tables and write
nothing — reads from the `reporting` alias. Everything else, and every write, stays on `default`:
a page never reads its own writes from a replica that may lag behind by a moment.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.conf import settings

REPORTING = "reporting"
_reporting = contextvars.ContextVar("reporting_reads", default=False)


@contextlib.contextmanager
def reporting_reads() -> Iterator[None]:
    """Route the reads inside to the reporting replica, when one is configured."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


class ReportingRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reporting.get() and settings.REPORTING_REPLICA:
            return REPORTING
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPORTING
