"""API of programmes and reference data: `/api/v1/rates`, `/api/v1/programmes`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from lindungi.programmes.simulation import budget_simulate

from .models import BenefitRule, ContributionRate
from .schemas import Whole
from .selectors import (
    benefit_table,
    contribution_quote,
    rate_list,
)
from .services import (
    benefit_rule_version_create,
    rate_version_create,
)

rates_router = Router(tags=["rates"])
router = Router(tags=["programmes"])


class QuoteOut(Schema):
    jkk: int
    jkm: int
    jht: int
    total: int
    legal_basis: str
    discount: str


class QuoteQuery(Schema):
    reported_income: Whole
    funder: str
    date: dt.date | None = None
    benefits: str = "JKK,JKM"
    occupation: str | None = None


class RateOut(Schema):
    id: int
    benefit: str
    kind: str
    basis_points: int | None
    amount: int | None
    min_income: int
    valid_from: dt.date
    valid_to: dt.date | None
    legal_basis: str
    note: str


class RateIn(Schema):
    benefit: str
    kind: str
    basis_points: Whole | None = None
    amount: Whole | None = None
    min_income: Whole | None = None
    valid_from: dt.date
    legal_basis: str
    note: str = ""


class BenefitRuleOut(Schema):
    id: int
    code: str
    benefit: str
    label: str
    kind: str
    amount: int | None
    wage_percent: int | None
    units: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    legal_basis: str


class BenefitRuleIn(Schema):
    valid_from: dt.date
    legal_basis: str
    label: str | None = None
    amount: Whole | None = None
    wage_percent: Whole | None = None
    units: Whole | None = None


@rates_router.get(
    "/contribution",
    response=QuoteOut,
    summary="Iuran bulanan satu pekerja (rupiah) menurut tarif yang berlaku",
)
def contribution(request: HttpRequest, query: Query[QuoteQuery]) -> dict[str, Any]:
    return contribution_quote(
        reported_income=query.reported_income,
        funder=query.funder,
        on=query.date or timezone.localdate(),
        benefits=query.benefits.split(","),
        occupation=query.occupation,
    ).as_dict()


@rates_router.get("", response=list[RateOut], summary="Semua versi tarif iuran")
def rates(request: HttpRequest) -> list[ContributionRate]:
    return list(rate_list())


@rates_router.post("", response={201: RateOut}, summary="Versi baru tarif iuran (superadmin)")
def rate_new(request: HttpRequest, payload: RateIn) -> Status[ContributionRate]:
    return Status(201, rate_version_create(actor=request.auth, data=payload.dict()))  # type: ignore[attr-defined]


@rates_router.get("/benefits", response=list[BenefitRuleOut], summary="Tabel manfaat JKK/JKM")
def benefits(request: HttpRequest, date: dt.date | None = None) -> list[BenefitRule]:
    return list(benefit_table(on=date))


@rates_router.post(
    "/benefits/{code}",
    response={201: BenefitRuleOut},
    summary="Versi baru satu baris tabel manfaat (superadmin)",
)
def benefit_new(request: HttpRequest, code: str, payload: BenefitRuleIn) -> Status[BenefitRule]:
    data = payload.dict(exclude_unset=True)
    rule = benefit_rule_version_create(actor=request.auth, code=code, data=data)  # type: ignore[attr-defined]
    return Status(201, rule)


# --- the budget simulator (the programme operations are in enrolment/api.py) ---------------


class SimulateQuery(Schema):
    budget: Whole | None = None
    workers: Whole | None = None
    months: Whole = 12
    reported_income: Whole = 1_000_000
    funder: str = "APBD_KABKOTA"
    date: dt.date | None = None
    benefits: str = "JKK,JKM"


class SimulationOut(Schema):
    workers: int
    months: int
    monthly_cost_per_worker: int
    annual_cost_per_worker: int
    budget: int
    budget_used: int
    remainder: int
    legal_basis: str


@router.get(
    "/simulate",
    response=SimulationOut,
    summary="Simulasi anggaran: pekerja yang tercakup (atau anggaran yang diperlukan)",
)
def simulate(request: HttpRequest, query: Query[SimulateQuery]) -> dict[str, Any]:
    return budget_simulate(
        budget=query.budget,
        workers=query.workers,
        months=query.months,
        reported_income=query.reported_income,
        funder=query.funder,
        on=query.date or timezone.localdate(),
        benefits=query.benefits.split(","),
    ).as_dict()
