"""The SQL of monthly contributions: which enrolments owe a month and how much, per benefit,
computed in the database from the rates in force (one statement for a million enrolments).

The rule is documented in `lindungi.billing.models`. Amounts follow `contribution_quote`
exactly: a percentage of the reported income (never below the lowest band), half up; a flat
amount; a discount in force for the funder, half up.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from lindungi.core.errors import DomainError
from lindungi.programmes.models import ContributionDiscount, Programme, RateKind, in_force_q
from lindungi.programmes.selectors import rates_in_force

from .errors import BillingError


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """Months from `first`'s month through `last`'s month, both included (0 when reversed)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def lapse_limit() -> int:
    """Consecutive unpaid months past due after which cover lapses (BPJS: more than 3)."""
    return int(settings.LINDUNGI.get("ARREARS_LAPSE_MONTHS", 3))


def due_date_of(period: dt.date, *, billed_on: dt.date | None = None) -> dt.date:
    """The day a month's contributions are due: the configured day of the month billed, and
    never before two weeks after the bill was made (a late joiner's supplementary run)."""
    day = int(settings.LINDUNGI.get("CONTRIBUTION_DUE_DAY", 15))
    due = period.replace(day=min(max(day, 1), 28))
    return max(due, billed_on + dt.timedelta(days=14)) if billed_on else due


@dataclass(frozen=True)
class LineSql:
    """A SELECT of (enrolment_id, worker_id, region_code, jkk, jkm, jht) and its parameters."""

    sql: str
    params: list[Any]
    legal_basis: str


def _benefit_expr(benefit: str, programme: Programme, on: dt.date) -> tuple[str, str]:
    rate = rates_in_force(on).get(benefit)
    if rate is None:
        raise DomainError(BillingError.NO_RATE, arg=benefit)
    if rate.kind == RateKind.FLAT:
        amount = f"{int(rate.amount or 0)}"
    else:
        low = int(rate.min_income)
        points = int(rate.basis_points or 0)
        income = f"(CASE WHEN e.reported_income > {low} THEN e.reported_income ELSE {low} END)"
        amount = f"(({income} * {points} + 5000) / 10000)"
    return f"CASE WHEN e.benefit_{benefit.lower()} THEN {amount} ELSE 0 END", rate.legal_basis


def _owing(first: dt.date, last: dt.date, *, billed_before: bool) -> tuple[str, list[Any]]:
    """The enrolments that owe the month `first`…`last` (the partial-month rule) and, when the
    month was billed before, have no line for it yet."""
    where = (
        "e.status IN ('active', 'lapsed', 'ended') AND e.covered_from IS NOT NULL"
        " AND e.covered_from <= %s AND (e.covered_until IS NULL OR e.covered_until >= %s)"
        " AND (e.covered_from <= %s OR e.renewed_from_id IS NULL)"
    )
    if not billed_before:
        return where, [last, first, first]
    where += (
        " AND NOT EXISTS (SELECT 1 FROM billing_contributionline l"
        " WHERE l.enrolment_id = e.id AND l.period = %s)"
    )
    return where, [last, first, first, first]


def line_select(
    programme: Programme, period: dt.date, *, owing: bool = True, billed_before: bool = True
) -> LineSql:
    """The contribution of each enrolment of `programme` for the month `period`.

    owing=True: the enrolments that owe the month and are not billed for it yet (the run);
    billed_before=False when no line of the programme exists for the month (its first run), so
    there is nothing to look up line by line — the lines' key still refuses a second one.
    owing=False: the enrolments active now, at that month's rates (the forecast)."""
    first, last = month_start(period), month_end(period)
    columns: dict[str, str] = {}
    bases: list[str] = []
    for benefit in ("JKK", "JKM", "JHT"):
        if getattr(programme, f"benefit_{benefit.lower()}"):
            expr, basis = _benefit_expr(benefit, programme, first)
            columns[benefit.lower()] = expr
            if basis not in bases:
                bases.append(basis)
        else:
            columns[benefit.lower()] = "0"
    discount = next(
        (
            d
            for d in ContributionDiscount.objects.filter(in_force_q(first)).order_by("-valid_from")
            if programme.funder not in d.excluded_funders
        ),
        None,
    )
    join = ""
    discount_on = "1 = 0"
    if discount is not None:
        bases.append(discount.legal_basis)
        if discount.occupations:
            join = "JOIN registry_worker w ON w.id = e.worker_id"
            codes = ", ".join("'" + str(c).replace("'", "''") + "'" for c in discount.occupations)
            discount_on = f"w.occupation_id IN ({codes})"
        else:
            discount_on = "1 = 1"
    points = int(discount.basis_points) if discount else 0
    outer = []
    for name in ("jkk", "jkm", "jht"):
        if discount is not None and name.upper() in discount.benefits:
            outer.append(
                f"b.{name} - CASE WHEN b.discounted = 1 THEN (b.{name} * {points} + 5000) / 10000 "
                f"ELSE 0 END AS {name}"
            )
        else:
            outer.append(f"b.{name} AS {name}")
    params: list[Any] = [programme.pk]
    if owing:
        where, more = _owing(first, last, billed_before=billed_before)
        params += more
    else:
        where = "e.status = 'active'"
    inner = (
        f"SELECT e.id AS enrolment_id, e.worker_id, e.region_code, {columns['jkk']} AS jkk,"  # noqa: S608
        f" {columns['jkm']} AS jkm, {columns['jht']} AS jht,"
        f" CASE WHEN {discount_on} THEN 1 ELSE 0 END AS discounted"
        f" FROM enrolment_enrolment e {join} WHERE e.programme_id = %s AND {where}"
    )
    sql = f"SELECT b.enrolment_id, b.worker_id, b.region_code, {', '.join(outer)} FROM ({inner}) b"  # noqa: S608
    return LineSql(sql=sql, params=params, legal_basis="; ".join(bases))
