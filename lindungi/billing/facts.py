"""What the dashboard counts about money, as SELECTs this app writes over its own tables (see
`enrolment/facts.py`): `(sql, params)`, statuses from the models' choices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lindungi.enrolment.models import Enrolment, EnrolmentStatus

from .models import ContributionLine, ContributionRun, RunStatus


def in_arrears(day: dt.date) -> tuple[str, list[Any]]:
    """Active enrolments with a billed month unpaid past its due date on `day`, by village:
    (village, n)."""
    sql = (
        "SELECT e.region_code AS village, COUNT(DISTINCT e.id) AS n"  # noqa: S608
        f" FROM {ContributionLine._meta.db_table} l"
        f" JOIN {ContributionRun._meta.db_table} r ON r.id = l.run_id"
        f" JOIN {Enrolment._meta.db_table} e ON e.id = l.enrolment_id"
        " WHERE e.status = %s AND r.status = %s AND r.paid_on IS NULL AND r.due_date < %s"
        " GROUP BY e.region_code"
    )
    return sql, [EnrolmentStatus.ACTIVE.value, RunStatus.BILLED.value, day]
