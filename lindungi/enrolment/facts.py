"""What the dashboard counts about cover, as SELECTs this app writes over its own tables (the
reporting app stores their rows in its aggregate tables with one INSERT … SELECT each).

Each function returns `(sql, params)`; statuses come from `EnrolmentStatus`, table names from
the models, so a rename here cannot silently empty a dashboard panel. The first column of every
select is the enrolment's village code (the scope of the row).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from lindungi.programmes.models import Programme
from lindungi.registry.models import Worker

from .models import COVERED_STATUSES, EndReason, Enrolment, EnrolmentStatus

Sql = tuple[str, list[Any]]

_ENROLMENT = Enrolment._meta.db_table
_WORKER = Worker._meta.db_table
_PROGRAMME = Programme._meta.db_table


def _placeholders(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def active_cells(age_bands: list[tuple[dt.date, dt.date]]) -> Sql:
    """Active enrolments by village, programme, funder, occupation, sex and age band (the index
    of the band whose birth dates (oldest, youngest) hold the worker's, else -1)."""
    whens, params = [], []
    for index, (oldest, youngest) in enumerate(age_bands):
        whens.append(f"WHEN w.birth_date BETWEEN %s AND %s THEN {index}")
        params += [oldest, youngest]
    band = f"CASE {' '.join(whens)} ELSE -1 END"
    sql = (
        f"SELECT e.region_code, e.programme_id, p.funder, w.occupation_id, w.sex, {band},"  # noqa: S608
        f" COUNT(*) FROM {_ENROLMENT} e"
        f" JOIN {_WORKER} w ON w.id = e.worker_id"
        f" JOIN {_PROGRAMME} p ON p.id = e.programme_id"
        " WHERE e.status = %s"
        " GROUP BY e.region_code, e.programme_id, p.funder, w.occupation_id, w.sex, 6"
    )
    return sql, [*params, EnrolmentStatus.ACTIVE.value]


def covered_on(days: list[dt.date]) -> Sql:
    """Enrolments whose cover was in force on each of `days`, by village: (village, day, n)."""
    day_sql = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
    values = " UNION ALL ".join(f"SELECT {day_sql} AS d" for _ in days)
    statuses = [s.value for s in COVERED_STATUSES]
    sql = (
        f"SELECT e.region_code, m.d, COUNT(*) FROM {_ENROLMENT} e"  # noqa: S608
        f" JOIN ({values}) m ON e.covered_from <= m.d"
        " AND (e.covered_until IS NULL OR e.covered_until >= m.d)"
        f" WHERE e.status IN ({_placeholders(statuses)}) GROUP BY e.region_code, m.d"
    )
    return sql, [*days, *statuses]


def ending_without_successor(day: dt.date, until: dt.date) -> Sql:
    """Active enrolments of programmes that end between `day` and `until` with no programme
    continuing them, by village: (village, n)."""
    sql = (
        f"SELECT e.region_code AS village, COUNT(*) AS n FROM {_ENROLMENT} e"  # noqa: S608
        f" JOIN {_PROGRAMME} p ON p.id = e.programme_id"
        " WHERE e.status = %s AND p.end_date >= %s AND p.end_date <= %s"
        f" AND NOT EXISTS (SELECT 1 FROM {_PROGRAMME} s WHERE s.predecessor_id = p.id)"
        " GROUP BY e.region_code"
    )
    return sql, [EnrolmentStatus.ACTIVE.value, day, until]


def lapsed_through_arrears(since: dt.date) -> Sql:
    """Cover lapsed through arrears whose last covered day is `since` or later, by village."""
    sql = (
        f"SELECT region_code AS village, COUNT(*) AS n FROM {_ENROLMENT}"  # noqa: S608
        " WHERE status = %s AND end_reason = %s AND covered_until >= %s GROUP BY region_code"
    )
    return sql, [EnrolmentStatus.LAPSED.value, EndReason.ARREARS.value, since]
