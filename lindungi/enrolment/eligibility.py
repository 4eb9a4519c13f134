"""Who a programme may enrol, as SQL that runs inside the database (a million workers, no rows
pulled into Python).

A worker is eligible for a programme starting on day S when they are: a live record (not a
merged duplicate), alive and not moved out / formally employed / withdrawn, verified (when the
programme requires it), aged min_age..max_age on S, in one of the programme's occupations (when
it names any), at or under the income ceiling (unknown income passes: the ceiling screens out
declared incomes), inside a target region, and not already holding — for any of the programme's
benefits — an open enrolment (draft, submitted or active) whose planned end is on or after S.
That last rule is "no double cover", and it lets a renewal starting the day after the old
programme ends propose the same workers.

Quotas: each target region's quota minus the places already taken in the programme; within a
target, priority occupations first, then registration order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _

from lindungi.core.dates import years_before
from lindungi.programmes.models import Programme
from lindungi.regions.models import Region
from lindungi.registry.models import OccupationCategory

from .models import OPEN_STATUSES, EnrolmentStatus

# Why a worker of the target regions is not proposed, in the order the rules are checked.
REASONS: dict[str, Any] = {
    "life_status": _("Meninggal, pindah, pekerja formal atau mengundurkan diri"),
    "unverified": _("Belum terverifikasi"),
    "age": _("Usia di luar batas"),
    "occupation": _("Pekerjaan tidak termasuk sasaran"),
    "income": _("Penghasilan di atas batas"),
    "covered": _("Sudah/masih dilindungi untuk manfaat yang sama"),
    "not_renewing": _("Tidak aktif di program sebelumnya"),
    "outside": _("Di luar wilayah sasaran"),
    "eligible": _("Memenuhi syarat"),
}


@dataclass
class Selection:
    """The admin's adjustments of a proposal: where, which occupations, how many."""

    villages: list[str] = field(default_factory=list)  # region codes narrowing the targets
    occupations: list[str] = field(default_factory=list)  # narrowing the programme's
    limit: int | None = None
    renewal: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "villages": self.villages,
            "occupations": self.occupations,
            "limit": self.limit,
            "renewal": self.renewal,
        }


def _in_list(column: str, values: list[Any], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _region_filter(column: str, codes: list[str], params: list[Any]) -> str:
    parts = []
    for code in codes:
        parts.append(f"({column} = %s OR {column} LIKE %s)")
        params.extend([code, f"{code}.%"])
    return "(" + " OR ".join(parts) + ")"


class Rules:
    """The SQL conditions of one programme's eligibility on a start date."""

    def __init__(self, programme: Programme, start: dt.date, selection: Selection) -> None:
        self.programme = programme
        self.start = start
        self.selection = selection
        self.youngest = years_before(start, programme.min_age)  # born on or before
        self.oldest = years_before(start, programme.max_age + 1)  # born after
        occupations = list(programme.occupations)
        if selection.occupations:
            occupations = (
                [o for o in occupations if o in selection.occupations]
                if occupations
                else list(selection.occupations)
            )
            if not occupations:
                occupations = ["-"]  # an empty intersection matches nobody
        self.occupations = occupations

    # Each condition: (reason, SQL that is TRUE when the rule is broken, params).
    def broken(self) -> list[tuple[str, str, list[Any]]]:
        p = self.programme
        rules: list[tuple[str, str, list[Any]]] = [
            ("life_status", "w.life_status <> 'active'", []),
        ]
        if p.verification_required:
            rules.append(("unverified", "w.verification_status <> 'verified'", []))
        else:
            rules.append(("unverified", "w.verification_status = 'rejected'", []))
        rules.append(
            ("age", "(w.birth_date > %s OR w.birth_date <= %s)", [self.youngest, self.oldest])
        )
        if self.occupations:
            params: list[Any] = []
            sql = "NOT " + _in_list("w.occupation_id", self.occupations, params)
            rules.append(("occupation", sql, params))
        if p.income_ceiling is not None:
            rules.append(
                (
                    "income",
                    "(w.reported_income IS NOT NULL AND w.reported_income > %s)",
                    [p.income_ceiling],
                )
            )
        benefit_sql = " OR ".join(
            f"e.benefit_{b.lower()} = %s" for b in ("JKK", "JKM", "JHT") if b in p.benefits
        )
        cover_params: list[Any] = [s.value for s in OPEN_STATUSES]
        cover_params += [self.start] + [True] * benefit_sql.count("%s")
        rules.append(
            (
                "covered",
                "EXISTS (SELECT 1 FROM enrolment_enrolment e WHERE e.worker_id = w.id"  # noqa: S608 - placeholders only
                " AND e.status IN (%s, %s, %s) AND e.end_date >= %s"
                f" AND ({benefit_sql}))",
                cover_params,
            )
        )
        if self.selection.renewal and p.predecessor_id:
            rules.append(
                (
                    "not_renewing",
                    "NOT EXISTS (SELECT 1 FROM enrolment_enrolment r WHERE r.worker_id = w.id"
                    " AND r.programme_id = %s AND r.status = %s)",
                    [p.predecessor_id, EnrolmentStatus.ACTIVE.value],
                )
            )
        return rules

    def pool(self, params: list[Any]) -> str:
        """FROM and WHERE of the live workers inside the programme's (narrowed) targets."""
        params.append(self.programme.pk)
        sql = (
            " FROM registry_worker w JOIN programmes_programmetarget t"
            " ON t.programme_id = %s AND t.region_id = substr(w.village_id, 1, length(t.region_id))"
            " WHERE w.merged_into_id IS NULL AND "
        )
        sql += _region_filter("w.village_id", [self.programme.region_id], params)
        if self.selection.villages:
            sql += " AND " + _region_filter("w.village_id", self.selection.villages, params)
        return sql

    def reason_case(self, params: list[Any]) -> str:
        parts = []
        for reason, sql, rule_params in self.broken():
            parts.append(f"WHEN {sql} THEN '{reason}'")
            params.extend(rule_params)
        return "CASE " + " ".join(parts) + " ELSE 'eligible' END"

    def eligible_where(self, params: list[Any]) -> str:
        parts = []
        for _reason, sql, rule_params in self.broken():
            parts.append(f"NOT ({sql})")
            params.extend(rule_params)
        return " AND ".join(parts)

    def priority(self, params: list[Any]) -> str:
        codes = list(self.programme.priority_occupations)
        if not codes:
            return "0"
        return f"CASE WHEN {_in_list('w.occupation_id', codes, params)} THEN 0 ELSE 1 END"


def places_taken(programme: Programme) -> dict[int, int]:
    """Places already held in the programme per target (open or covered enrolments)."""
    sql = (
        "SELECT t.id, COUNT(e.id) FROM programmes_programmetarget t"
        " JOIN enrolment_enrolment e ON e.programme_id = t.programme_id"
        " AND t.region_id = substr(e.region_code, 1, length(t.region_id))"
        " WHERE t.programme_id = %s AND e.status IN (%s, %s, %s, %s, %s) GROUP BY t.id"
    )
    statuses = ["draft", "submitted", "active", "lapsed", "ended"]
    with connection.cursor() as cursor:
        cursor.execute(sql, [programme.pk, *statuses])
        return {int(t): int(n) for t, n in cursor.fetchall()}


def remaining_quota(programme: Programme) -> dict[int, int | None]:
    taken = places_taken(programme)
    return {
        t.pk: None if t.quota is None else max(0, t.quota - taken.get(t.pk, 0))
        for t in programme.targets.all()
    }


def eligible_select(
    programme: Programme, start: dt.date, selection: Selection
) -> tuple[str, list[Any]]:
    """SELECT id, village_id, renewed_from of the workers to propose, in proposal order,
    within the remaining quotas and the limit."""
    rules = Rules(programme, start, selection)
    params: list[Any] = []
    priority = rules.priority(params)
    renewed = "CAST(NULL AS BIGINT)"
    if selection.renewal and programme.predecessor_id:
        renewed = (
            "(SELECT r.id FROM enrolment_enrolment r WHERE r.worker_id = w.id"
            " AND r.programme_id = %s AND r.status = %s)"
        )
        params += [programme.predecessor_id, EnrolmentStatus.ACTIVE.value]
    inner_params: list[Any] = []
    pool = rules.pool(inner_params)
    where = rules.eligible_where(inner_params)
    select = (
        f"SELECT w.id AS id, w.village_id AS village_id, t.id AS target_id,"
        f" {priority} AS prio, {renewed} AS renewed_from{pool} AND {where}"
    )
    params += inner_params
    remaining = remaining_quota(programme)
    limited = {t: r for t, r in remaining.items() if r is not None}
    quota_case = "1 = 1"
    quota_params: list[Any] = []
    if limited:
        cases = " ".join("WHEN %s THEN %s" for _ in limited)
        for target, left in limited.items():
            quota_params += [target, left]
        quota_case = f"x.rn <= CASE x.target_id {cases} ELSE x.rn END"
    sql = (
        "SELECT y.id, y.village_id, y.renewed_from FROM ("  # noqa: S608 - built from fixed fragments
        "SELECT x.id, x.village_id, x.renewed_from, x.prio FROM ("
        "SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.target_id ORDER BY s.prio, s.id) AS rn"
        f" FROM ({select}) s) x WHERE {quota_case}"
        ") y ORDER BY y.prio, y.id"
    )
    params += quota_params
    if selection.limit is not None:
        sql += " LIMIT %s"
        params.append(selection.limit)
    return sql, params


@dataclass
class Preview:
    """Counts before committing: why workers are or are not proposed, by village/occupation."""

    start: dt.date
    reasons: dict[str, int]  # reason → workers of the target regions
    eligible: int
    proposed: int  # eligible within the remaining quotas and the limit
    by_village: list[dict[str, Any]]  # code, name, eligible
    by_occupation: list[dict[str, Any]]  # code, name, eligible
    targets: list[dict[str, Any]]  # code, name, quota, taken, remaining, eligible

    def as_json(self) -> dict[str, Any]:
        return {
            "start_date": self.start.isoformat(),
            "reasons": self.reasons,
            "eligible": self.eligible,
            "proposed": self.proposed,
            "by_village": self.by_village,
            "by_occupation": self.by_occupation,
            "targets": self.targets,
        }


def preview(programme: Programme, start: dt.date, selection: Selection) -> Preview:
    """Counts of the target regions' workers by the first rule each one breaks."""
    rules = Rules(programme, start, selection)
    params: list[Any] = []
    case = rules.reason_case(params)
    pool = rules.pool(params)
    sql = (
        f"SELECT w.village_id, w.occupation_id, t.id, {case} AS reason, COUNT(*)"
        f"{pool} GROUP BY w.village_id, w.occupation_id, t.id, reason"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    reasons: dict[str, int] = dict.fromkeys(
        [r for r in REASONS if r not in ("outside", "eligible")], 0
    )
    reasons["eligible"] = 0
    villages: dict[str, int] = defaultdict(int)
    occupations: dict[str, int] = defaultdict(int)
    per_target: dict[int, int] = defaultdict(int)
    for village, occupation, target, reason, count in rows:
        reasons[reason] = reasons.get(reason, 0) + int(count)
        if reason == "eligible":
            villages[village] += int(count)
            occupations[occupation] += int(count)
            per_target[int(target)] += int(count)
    names = dict(Region.objects.filter(code__in=list(villages)).values_list("code", "name"))
    occupation_names = dict(OccupationCategory.objects.values_list("code", "name"))
    taken = places_taken(programme)
    targets = []
    proposed = 0
    for target in programme.targets.select_related("region"):
        left = None if target.quota is None else max(0, target.quota - taken.get(target.pk, 0))
        eligible_here = per_target.get(target.pk, 0)
        proposed += eligible_here if left is None else min(left, eligible_here)
        targets.append(
            {
                "code": target.region_id,
                "name": target.region.name,
                "quota": target.quota,
                "taken": taken.get(target.pk, 0),
                "remaining": left,
                "eligible": eligible_here,
            }
        )
    if selection.limit is not None:
        proposed = min(proposed, selection.limit)
    return Preview(
        start=start,
        reasons=reasons,
        eligible=reasons["eligible"],
        proposed=proposed,
        by_village=sorted(
            (
                {"code": code, "name": names.get(code, code), "eligible": n}
                for code, n in villages.items()
            ),
            key=lambda v: (-v["eligible"], v["code"]),
        ),
        by_occupation=sorted(
            (
                {"code": code, "name": occupation_names.get(code, code), "eligible": n}
                for code, n in occupations.items()
            ),
            key=lambda v: (-v["eligible"], v["code"]),
        ),
        targets=targets,
    )


def worker_reason(programme: Programme, start: dt.date, worker_id: int) -> str:
    """The first rule one worker breaks for this programme ("eligible" when none), ignoring
    quotas; "outside" when the worker lives outside every target region."""
    rules = Rules(programme, start, Selection())
    params: list[Any] = []
    case = rules.reason_case(params)
    pool = rules.pool(params)
    params.append(worker_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {case}{pool} AND w.id = %s", params)
        row = cursor.fetchone()
    return str(row[0]) if row else "outside"
