"""Reads of programmes and of the reference data (rates, discounts, the benefit table)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from lindungi.accounts.roles import Capability
from lindungi.core.errors import FieldErrors, Forbidden, NotFound
from lindungi.core.scope import region_in_scope

from .errors import RateError
from .models import (
    Benefit,
    BenefitRule,
    ContributionDiscount,
    ContributionRate,
    Funder,
    Programme,
    RateKind,
    in_force_q,
)

# --- contribution rates -----------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionQuote:
    """The monthly contribution of one worker, per benefit, in integer rupiah."""

    jkk: int
    jkm: int
    jht: int
    total: int
    legal_basis: str
    discount: str  # the name of the discount applied, or ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "jkk": self.jkk,
            "jkm": self.jkm,
            "jht": self.jht,
            "total": self.total,
            "legal_basis": self.legal_basis,
            "discount": self.discount,
        }


def _percent_of(amount: int, basis_points: int) -> int:
    """`amount` × basis points / 10000 in rupiah, half up (no floats near money)."""
    return (amount * basis_points + 5000) // 10000


def _rate_amount(rate: ContributionRate, reported_income: int) -> int:
    if rate.kind == RateKind.FLAT:
        return int(rate.amount or 0)
    return _percent_of(max(reported_income, rate.min_income), int(rate.basis_points or 0))


def rates_in_force(on: dt.date) -> dict[str, ContributionRate]:
    """The rate row of each benefit in force on `on` (the latest version when rows overlap)."""
    rows = ContributionRate.objects.filter(in_force_q(on)).order_by("benefit", "-valid_from")
    found: dict[str, ContributionRate] = {}
    for row in rows:
        found.setdefault(row.benefit, row)
    return found


def contribution_quote(
    *,
    reported_income: int,
    funder: str,
    on: dt.date,
    benefits: Iterable[str] = ("JKK", "JKM"),
    occupation: str | None = None,
) -> ContributionQuote:
    """What one worker's cover costs a month on `on`: the rates in force, and a discount in
    force unless the funder is excluded (PP 50/2025 excludes APBN/APBD-paid participants)."""
    errors: dict[str, list[dict[str, str]]] = {}
    if not isinstance(reported_income, int) or reported_income <= 0:
        errors.update(FieldErrors.single("reported_income", RateError.INCOME_INVALID).fields)
    if funder not in Funder.values:
        errors.update(FieldErrors.single("funder", RateError.FUNDER_INVALID, arg=funder).fields)
    wanted = [b.strip().upper() for b in benefits if b.strip()]
    unknown = [b for b in wanted if b not in Benefit.values]
    if unknown:
        errors.update(
            FieldErrors.single("benefits", RateError.BENEFIT_INVALID, arg=unknown[0]).fields
        )
    if errors:
        raise FieldErrors(errors)
    rates = rates_in_force(on)
    amounts = {"JKK": 0, "JKM": 0, "JHT": 0}
    bases: list[str] = []
    for benefit in wanted:
        rate = rates.get(benefit)
        if rate is None:
            raise FieldErrors.single("date", RateError.NO_RATE, arg=benefit)
        amounts[benefit] = _rate_amount(rate, reported_income)
        if rate.legal_basis not in bases:
            bases.append(rate.legal_basis)
    applied = ""
    for discount in ContributionDiscount.objects.filter(in_force_q(on)).order_by("-valid_from"):
        if discount.applies_to(funder=funder, occupation=occupation):
            for benefit in discount.benefits:
                amounts[benefit] -= _percent_of(amounts.get(benefit, 0), discount.basis_points)
            applied = discount.name
            bases.append(discount.legal_basis)
            break
    return ContributionQuote(
        jkk=amounts["JKK"],
        jkm=amounts["JKM"],
        jht=amounts["JHT"],
        total=sum(amounts.values()),
        legal_basis="; ".join(bases),
        discount=applied,
    )


def programme_monthly_cost(programme: Programme, *, on: dt.date) -> ContributionQuote | None:
    """One worker's monthly contribution in a programme, at the rates in force on `on` (a day
    inside the programme's period); None when no rate is in force then."""
    day = max(programme.start_date, min(on, programme.end_date))
    try:
        return contribution_quote(
            reported_income=programme.reported_income,
            funder=programme.funder,
            on=day,
            benefits=programme.benefits,
        )
    except FieldErrors:
        return None


def rate_list() -> QuerySet[ContributionRate]:
    return ContributionRate.objects.select_related("created_by").order_by(
        "benefit", "-valid_from", "-id"
    )


def discount_list() -> QuerySet[ContributionDiscount]:
    return ContributionDiscount.objects.order_by("-valid_from", "-id")


def benefit_table(*, on: dt.date | None = None) -> QuerySet[BenefitRule]:
    rows = BenefitRule.objects.all()
    if on is not None:
        rows = rows.filter(in_force_q(on))
    return rows.order_by("benefit", "sort_order", "code", "-valid_from")


# --- programmes -------------------------------------------------------------------------------


def programme_list(*, actor: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.visible_to(actor)
        .select_related("region", "predecessor")
        .prefetch_related("targets", "funders__account")
        .order_by("-budget_year", "name", "id")
    )


def programme_get(*, actor: Any, programme_id: int) -> Programme:
    """A programme the actor may see (else 404, whether it exists or not)."""
    programme = (
        Programme.objects.visible_to(actor)
        .select_related("region", "predecessor", "created_by")
        .filter(pk=programme_id)
        .first()
    )
    if programme is None:
        raise NotFound()
    return programme


def can_manage(actor: Any, programme: Programme) -> bool:
    """Admins of the programme's own region (or above it) manage it; others only read."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.can(Capability.MANAGE_PROGRAMMES)
        and region_in_scope(actor, programme.region_id)
    )


def programme_for_manage(*, actor: Any, programme_id: int, lock: bool = False) -> Programme:
    """The programme for a change: 404 when invisible, 403 when visible but not the actor's."""
    programme = programme_get(actor=actor, programme_id=programme_id)
    if not can_manage(actor, programme):
        raise Forbidden()
    if lock:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
    return programme
