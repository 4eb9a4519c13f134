"""The dashboard's aggregate tables, rebuilt from the enrolments in a few set-based statements
(`manage.py scheduler` runs `reporting_refresh` every `REPORTING_REFRESH_SECONDS`; the dashboard
rebuilds them itself when none exist, and an admin may ask for it)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from lindungi.billing import facts as billing_facts
from lindungi.core.dates import years_before
from lindungi.enrolment import facts as enrolment_facts

from .models import ActiveCell, MonthCount, RiskCount, RiskKind, Snapshot

AGE_BANDS = [(15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200)]
MONTHS = 12


def month_ends(on: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last day of each of the `months` months up to `on` (the current month: `on`)."""
    ends = []
    first = on.replace(day=1)
    for back in range(months - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        following = dt.date((index + 1) // 12, (index + 1) % 12 + 1, 1)
        ends.append(min(following - dt.timedelta(days=1), on))
    return ends


def _age_bands(on: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Each AGE_BANDS band as the (oldest, youngest) birth dates it holds on `on`."""
    return [
        (years_before(on, min(high, 150) + 1) + dt.timedelta(days=1), years_before(on, low))
        for low, high in AGE_BANDS
    ]


def _insert(cursor: Any, table: str, columns: str, select: tuple[str, list[Any]]) -> int:
    """The rows an owning app's SELECT yields, stored in one of this app's tables."""
    sql, params = select
    cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
    return int(cursor.rowcount)


@transaction.atomic
def snapshot_refresh(*, on: dt.date | None = None) -> Snapshot:
    """Rebuild the active-enrolment cells and the last twelve month-end counts. The facts are
    SELECTs the owning apps write (`enrolment.facts`, `billing.facts`)."""
    day = on or timezone.localdate()
    started = time.perf_counter()
    ends = month_ends(day)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ActiveCell._meta.db_table}")  # noqa: S608
        cells = _insert(
            cursor,
            ActiveCell._meta.db_table,
            "village_code, programme_id, funder, occupation_id, sex, age_band, count",
            enrolment_facts.active_cells(_age_bands(day)),
        )
        MonthCount.objects.filter(month_end__in=ends).delete()
        _insert(
            cursor,
            MonthCount._meta.db_table,
            "village_code, month_end, count",
            enrolment_facts.covered_on(ends),
        )
        _risks(cursor, day)
    return Snapshot.objects.create(
        on=day, cells=max(cells, 0), seconds=round(time.perf_counter() - started, 3)
    )


ENDING_DAYS = 60


def _risks(cursor: Any, day: dt.date) -> None:
    """Who may lose cover and why: contributions past due, a programme ending with no successor
    within ENDING_DAYS, and cover lapsed through arrears in the last year."""
    table = RiskCount._meta.db_table
    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    columns = "village_code, kind, count"
    for kind, (sql, params) in (
        (RiskKind.ARREARS, billing_facts.in_arrears(day)),
        (
            RiskKind.ENDING,
            enrolment_facts.ending_without_successor(day, day + dt.timedelta(days=ENDING_DAYS)),
        ),
        (RiskKind.LAPSED, enrolment_facts.lapsed_through_arrears(day - dt.timedelta(days=365))),
    ):
        wrapped = f"SELECT f.village, %s, f.n FROM ({sql}) f"  # noqa: S608
        _insert(cursor, table, columns, (wrapped, [kind.value, *params]))


def latest_snapshot() -> Snapshot | None:
    return Snapshot.objects.order_by("-taken_at").first()
