"""The benefit calculator (domain.md §6): what a worker or the heirs are owed for an event,
from the benefit table in force on the event date (`programmes.BenefitRule`, dated rows: PP
44/2015 until 1 December 2019, PP 82/2019 from 2 December 2019).

Conventions, where the regulation leaves arithmetic open:
* the wage is the reported income, never below the lowest income band of the JKK rate then in
  force (Rp1,000,000);
* temporary incapacity (STMB) is paid per day at wage ÷ 30, each stage of the table (12 months
  at 100%, then 50%; before PP 82/2019: 6 at 100%, 6 at 75%, then 50%) counted in 30-day
  months, each stage rounded half up to the rupiah;
* the scholarship goes to the first children listed (at most the table's number: two, before PP
  82/2019 one) who are younger than the age limit on the event date; each child's maximum is
  every remaining level from the current one (not yet at school: from TK) at the yearly amount
  for the level's most years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from lindungi.core.dates import iso_date
from lindungi.core.errors import DomainError, FieldErrors
from lindungi.programmes.models import BenefitRule, in_force_q
from lindungi.programmes.selectors import rates_in_force

from .errors import ClaimError

KINDS = ("JKM", "JKK_DEATH", "JKK_PERMANENT_TOTAL_DISABILITY", "JKK_TEMPORARY_INCAPACITY")
KIND_LABELS = {
    "JKM": "JKM — meninggal bukan karena kecelakaan kerja",
    "JKK_DEATH": "JKK — meninggal karena kecelakaan kerja",
    "JKK_PERMANENT_TOTAL_DISABILITY": "JKK — cacat total tetap",
    "JKK_TEMPORARY_INCAPACITY": "JKK — sementara tidak mampu bekerja (STMB)",
}
EDUCATION_LEVELS = ("BELUM_SEKOLAH", "TK", "SD", "SMP", "SMA", "PT")
# The scholarship rule of each level (TK and SD share one: at most 8 years together).
_LEVEL_RULE = {
    "BELUM_SEKOLAH": "SCHOLARSHIP_TK_SD",
    "TK": "SCHOLARSHIP_TK_SD",
    "SD": "SCHOLARSHIP_TK_SD",
    "SMP": "SCHOLARSHIP_SMP",
    "SMA": "SCHOLARSHIP_SMA",
    "PT": "SCHOLARSHIP_HIGHER",
}
_LEVEL_ORDER = ["SCHOLARSHIP_TK_SD", "SCHOLARSHIP_SMP", "SCHOLARSHIP_SMA", "SCHOLARSHIP_HIGHER"]
DEFAULT_LOWEST_BAND = 1_000_000
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Child:
    birth_date: dt.date
    education_level: str


@dataclass
class Estimate:
    kind: str
    event_date: dt.date
    wage: int
    items: list[dict[str, Any]] = field(default_factory=list)
    scholarship_eligible: bool = False
    scholarship_max: int = 0
    scholarship_children: list[dict[str, Any]] = field(default_factory=list)
    legal_basis: str = ""

    @property
    def total_cash(self) -> int:
        return sum(int(item["amount"]) for item in self.items)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "event_date": self.event_date,
            "wage": self.wage,
            "items": self.items,
            "total_cash": self.total_cash,
            "scholarship_eligible": self.scholarship_eligible,
            "scholarship_max": self.scholarship_max,
            "scholarship_children": self.scholarship_children,
            "legal_basis": self.legal_basis,
        }


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def benefit_rules(on: dt.date) -> dict[str, BenefitRule]:
    """The benefit table in force on `on`, by code (the latest version when rows overlap)."""
    found: dict[str, BenefitRule] = {}
    for rule in BenefitRule.objects.filter(in_force_q(on)).order_by("sort_order", "-valid_from"):
        found.setdefault(rule.code, rule)
    return found


def _count(value: Any, name: str) -> int:
    if value is None or value == "":
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if isinstance(value, bool) or number < 0 or str(number) != str(value).strip():
        raise FieldErrors.single(name, ClaimError.NUMBER_INVALID, arg=str(value)[:20])
    return number


def parse_children(rows: Any, *, today: dt.date) -> list[Child]:
    if rows is None:
        return []
    if not isinstance(rows, list | tuple) or len(rows) > 10:
        raise FieldErrors.single("children", ClaimError.CHILDREN_INVALID)
    children = []
    for row in rows:
        data = row if isinstance(row, dict) else getattr(row, "__dict__", {})
        try:
            born = iso_date(data.get("birth_date"), "children", ClaimError.DATE_INVALID)
        except FieldErrors:
            raise FieldErrors.single(
                "children", ClaimError.CHILD_BIRTH_INVALID, arg=str(data.get("birth_date"))[:20]
            ) from None
        if born > today:
            raise FieldErrors.single("children", ClaimError.CHILD_BIRTH_INVALID, arg=str(born))
        level = str(data.get("education_level") or "BELUM_SEKOLAH").strip().upper()
        if level not in EDUCATION_LEVELS:
            raise FieldErrors.single("children", ClaimError.EDUCATION_INVALID, arg=level[:20])
        children.append(Child(birth_date=born, education_level=level))
    return children


def _age(born: dt.date, on: dt.date) -> int:
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return max(years, 0)


def _item(rule: BenefitRule, amount: int, label: str | None = None) -> dict[str, Any]:
    return {"code": rule.code, "label": label or rule.label, "amount": int(amount)}


def _stmb(rules: dict[str, BenefitRule], wage: int, days: int) -> list[dict[str, Any]]:
    """Temporary incapacity: each stage of the table in turn, per day at wage ÷ 30."""
    stages = sorted(
        (r for code, r in rules.items() if code.startswith("JKK_STMB_")),
        key=lambda r: (r.units is None, r.sort_order),
    )
    items, left = [], days
    for rule in stages:
        if left <= 0:
            break
        span = left if rule.units is None else min(left, int(rule.units) * DAYS_PER_MONTH)
        amount = _half_up(wage * int(rule.wage_percent or 0) * span, 100 * DAYS_PER_MONTH)
        items.append(_item(rule, amount, f"{rule.label}: {span} hari"))
        left -= span
    return items


def _scholarship(
    rules: dict[str, BenefitRule], children: list[Child], on: dt.date
) -> tuple[int, list[dict[str, Any]]]:
    """The most the listed children can receive, and each child's part."""
    limit = rules.get("SCHOLARSHIP_CHILDREN")
    max_age = rules.get("SCHOLARSHIP_MAX_AGE")
    eligible = [
        c for c in children if max_age is None or _age(c.birth_date, on) < int(max_age.units or 0)
    ]
    eligible = eligible[: int(limit.units or 0) if limit else 0]
    parts: list[dict[str, Any]] = []
    for child in eligible:
        if "SCHOLARSHIP_LUMP_SUM" in rules:
            amount = int(rules["SCHOLARSHIP_LUMP_SUM"].amount or 0)
        else:
            start = _LEVEL_ORDER.index(_LEVEL_RULE[child.education_level])
            amount = sum(
                int(rules[code].amount or 0) * int(rules[code].units or 0)
                for code in _LEVEL_ORDER[start:]
                if code in rules
            )
        parts.append(
            {
                "birth_date": child.birth_date,
                "education_level": child.education_level,
                "age": _age(child.birth_date, on),
                "max": amount,
            }
        )
    return sum(int(p["max"]) for p in parts), parts


def benefit_estimate(
    *,
    kind: Any,
    event_date: Any,
    reported_income: Any,
    contribution_months: Any = 0,
    incapacity_days: Any = 0,
    children: Any = None,
    today: dt.date | None = None,
) -> Estimate:
    """What the benefit table in force on the event date pays for `kind` (no writes)."""
    day = today or timezone.localdate()
    kind = str(kind or "").strip().upper()
    if kind not in KINDS:
        raise FieldErrors.single("kind", ClaimError.KIND_INVALID, arg=kind[:40])
    on = iso_date(event_date, "event_date", ClaimError.DATE_INVALID)
    if on > day:
        raise FieldErrors.single("event_date", ClaimError.DATE_FUTURE)
    income = _count(reported_income, "reported_income")
    if income <= 0:
        raise FieldErrors.single("reported_income", ClaimError.INCOME_INVALID)
    months = _count(contribution_months, "contribution_months")
    days = _count(incapacity_days, "incapacity_days")
    listed = parse_children(children, today=day)
    rules = benefit_rules(on)
    if not rules:
        raise DomainError(ClaimError.NO_TABLE, arg=on.strftime("%d-%m-%Y"))
    jkk_rate = rates_in_force(on).get("JKK")
    lowest = int(jkk_rate.min_income) if jkk_rate else DEFAULT_LOWEST_BAND
    wage = max(income, lowest)
    estimate = Estimate(kind=kind, event_date=on, wage=wage)

    def add(code: str) -> None:
        rule = rules.get(code)
        if rule is None:
            return
        if rule.kind == "wage":
            estimate.items.append(_item(rule, _half_up(wage * int(rule.wage_percent or 0), 100)))
        else:
            estimate.items.append(_item(rule, int(rule.amount or 0)))

    has_scholarship = "SCHOLARSHIP_CHILDREN" in rules
    if kind == "JKM":
        for code in ("JKM_LUMP_SUM", "JKM_PERIODIC", "JKM_FUNERAL"):
            add(code)
        minimum = rules.get("JKM_SCHOLARSHIP_MIN_MONTHS")
        estimate.scholarship_eligible = (
            has_scholarship and minimum is not None and months >= int(minimum.units or 0)
        )
    elif kind == "JKK_DEATH":
        for code in ("JKK_DEATH", "JKK_DEATH_FUNERAL", "JKK_DEATH_PERIODIC"):
            add(code)
        estimate.scholarship_eligible = has_scholarship
    elif kind == "JKK_PERMANENT_TOTAL_DISABILITY":
        add("JKK_PERMANENT_TOTAL")
        estimate.scholarship_eligible = has_scholarship
    else:
        estimate.items.extend(_stmb(rules, wage, days))
    if estimate.scholarship_eligible:
        estimate.scholarship_max, estimate.scholarship_children = _scholarship(rules, listed, on)
    used = {item["code"] for item in estimate.items}
    bases = [r.legal_basis for c, r in rules.items() if c in used or c.startswith("SCHOLARSHIP")]
    estimate.legal_basis = "; ".join(dict.fromkeys(bases))
    return estimate
