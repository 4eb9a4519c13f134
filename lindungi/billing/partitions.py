"""Contribution lines in one PostgreSQL partition per month (elsewhere: one plain table).

A month's lines are written once, read for a few years and never updated, and most queries name
the month — the shape monthly range partitions suit. It also makes the monthly run cheap: the
first run of a month writes its lines into a new, unindexed table, builds the key (enrolment,
month) and the run index in one sorted pass each, and attaches the table as the month's
partition. Maintaining a B-tree row by row costs more than writing the rows; building it once
after the rows are there costs a fraction. Later runs of the month (other programmes, late
joiners) insert through the partition's indexes. Attaching takes a lock that does not block
reading or writing the other months; a CHECK on the month spares the attach its scan.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from .contributions import add_months

PARENT = "billing_contributionline"
COLUMNS = "run_id, enrolment_id, worker_id, period, jkk, jkm, jht, amount"


def partitioned() -> bool:
    return connection.vendor == "postgresql"


def partition_name(period: dt.date) -> str:
    return f"{PARENT}_{period:%Y%m}"


def partition_exists(cursor: Any, period: dt.date) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [partition_name(period)])
    return bool(cursor.fetchone()[0])


def month_lock(cursor: Any, period: dt.date) -> None:
    """Serialise the creation of a month's partition (held to the end of the transaction)."""
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [partition_name(period)])


def partition_create(cursor: Any, period: dt.date) -> str:
    """A new, detached, unindexed table for the month's lines, with the parent's columns and
    checks and the month's bounds as a CHECK (so attaching needs no scan)."""
    name = partition_name(period)
    cursor.execute(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(
        f"ALTER TABLE {name} ADD CONSTRAINT {name}_month CHECK (period >= %s AND period < %s)",
        [period, add_months(period, 1)],
    )
    return name


def partition_attach(cursor: Any, period: dt.date) -> None:
    """Build the month's indexes in one pass each and attach it as the month's partition."""
    name = partition_name(period)
    cursor.execute(f"ALTER TABLE {name} ADD PRIMARY KEY (enrolment_id, period)")
    cursor.execute(
        f"CREATE INDEX {name}_run ON {name} USING brin (run_id) WITH (autosummarize = on)"
    )
    cursor.execute(
        f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
        [period, add_months(period, 1)],
    )


def partition_existing_table(cursor: Any) -> None:
    """Turn the plain lines table into the partitioned one, each month's lines moved into
    their partition (the migration's step; PostgreSQL only)."""
    flat = f"{PARENT}_flat"
    cursor.execute(f"ALTER TABLE {PARENT} RENAME TO {flat}")
    cursor.execute(f"ALTER TABLE {flat} RENAME CONSTRAINT {PARENT}_pkey TO {flat}_pkey")
    cursor.execute("DROP INDEX billing_line_run_idx")
    cursor.execute(
        f"CREATE TABLE {PARENT} (LIKE {flat} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        " PARTITION BY RANGE (period)"
    )
    cursor.execute(
        f"ALTER TABLE {PARENT} ADD CONSTRAINT {PARENT}_pkey PRIMARY KEY (enrolment_id, period)"
    )
    cursor.execute(
        f"CREATE INDEX billing_line_run_idx ON {PARENT} USING brin (run_id)"
        " WITH (autosummarize = on)"
    )
    cursor.execute(f"SELECT DISTINCT period FROM {flat} ORDER BY period")  # noqa: S608
    for (period,) in cursor.fetchall():
        name = partition_create(cursor, period)
        cursor.execute(
            f"INSERT INTO {name} ({COLUMNS}) SELECT {COLUMNS} FROM {flat}"  # noqa: S608
            " WHERE period = %s ORDER BY run_id, enrolment_id",
            [period],
        )
        partition_attach(cursor, period)
    cursor.execute(f"DROP TABLE {flat}")
