"""The dashboard's aggregate tables, rebuilt from the enrolments in a few set-based statements
(`manage.py scheduler` runs `reporting_refresh` every `REPORTING_REFRESH_SECONDS`; the dashboard
rebuilds them itself when none exist, and an admin may ask for it)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from lindungi.core.dates import years_before

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


def _age_band_sql(on: dt.date) -> tuple[str, list[Any]]:
    whens, params = [], []
    for index, (low, high) in enumerate(AGE_BANDS):
        youngest = years_before(on, low)
        oldest = years_before(on, min(high, 150) + 1) + dt.timedelta(days=1)
        whens.append(f"WHEN w.birth_date BETWEEN %s AND %s THEN {index}")
        params += [oldest, youngest]
    return f"CASE {' '.join(whens)} ELSE -1 END", params


@transaction.atomic
def snapshot_refresh(*, on: dt.date | None = None) -> Snapshot:
    """Rebuild the active-enrolment cells and the last twelve month-end counts."""
    day = on or timezone.localdate()
    started = time.perf_counter()
    band, band_params = _age_band_sql(day)
    ends = month_ends(day)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ActiveCell._meta.db_table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {ActiveCell._meta.db_table}"  # noqa: S608
            " (village_code, programme_id, funder, occupation_id, sex, age_band, count)"
            f" SELECT e.region_code, e.programme_id, p.funder, w.occupation_id, w.sex, {band},"
            " COUNT(*) FROM enrolment_enrolment e"
            " JOIN registry_worker w ON w.id = e.worker_id"
            " JOIN programmes_programme p ON p.id = e.programme_id"
            " WHERE e.status = 'active'"
            " GROUP BY e.region_code, e.programme_id, p.funder, w.occupation_id, w.sex, 6",
            band_params,
        )
        cells = cursor.rowcount
        MonthCount.objects.filter(month_end__in=ends).delete()
        day_sql = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
        values = " UNION ALL ".join(f"SELECT {day_sql} AS d" for _ in ends)
        cursor.execute(
            f"INSERT INTO {MonthCount._meta.db_table} (village_code, month_end, count)"  # noqa: S608
            f" SELECT e.region_code, m.d, COUNT(*) FROM enrolment_enrolment e"
            f" JOIN ({values}) m ON e.covered_from <= m.d"
            " AND (e.covered_until IS NULL OR e.covered_until >= m.d)"
            " WHERE e.status IN ('active', 'lapsed', 'ended') GROUP BY e.region_code, m.d",
            ends,
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
    cursor.execute(
        f"INSERT INTO {table} (village_code, kind, count)"  # noqa: S608
        " SELECT e.region_code, %s, COUNT(DISTINCT e.id) FROM billing_contributionline l"
        " JOIN billing_contributionrun r ON r.id = l.run_id"
        " JOIN enrolment_enrolment e ON e.id = l.enrolment_id"
        " WHERE e.status = 'active' AND r.status = 'billed' AND r.paid_on IS NULL"
        " AND r.due_date < %s GROUP BY e.region_code",
        [RiskKind.ARREARS.value, day],
    )
    cursor.execute(
        f"INSERT INTO {table} (village_code, kind, count)"  # noqa: S608
        " SELECT e.region_code, %s, COUNT(*) FROM enrolment_enrolment e"
        " JOIN programmes_programme p ON p.id = e.programme_id"
        " WHERE e.status = 'active' AND p.end_date >= %s AND p.end_date <= %s"
        " AND NOT EXISTS (SELECT 1 FROM programmes_programme s WHERE s.predecessor_id = p.id)"
        " GROUP BY e.region_code",
        [RiskKind.ENDING.value, day, day + dt.timedelta(days=ENDING_DAYS)],
    )
    cursor.execute(
        f"INSERT INTO {table} (village_code, kind, count)"  # noqa: S608
        " SELECT region_code, %s, COUNT(*) FROM enrolment_enrolment"
        " WHERE status = 'lapsed' AND end_reason = 'arrears' AND covered_until >= %s"
        " GROUP BY region_code",
        [RiskKind.LAPSED.value, day - dt.timedelta(days=365)],
    )


def latest_snapshot() -> Snapshot | None:
    return Snapshot.objects.order_by("-taken_at").first()
