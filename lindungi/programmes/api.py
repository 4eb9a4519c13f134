"""API of programmes and reference data: `/api/v1/rates`, `/api/v1/programmes`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from lindungi.billing.selectors import budget_simulate
from lindungi.enrolment.selectors import programme_counts

from .models import BenefitRule, ContributionRate, Programme
from .selectors import (
    benefit_table,
    can_manage,
    contribution_quote,
    programme_get,
    programme_list,
    programme_monthly_cost,
    rate_list,
)
from .services import (
    RULE_FIELDS,
    benefit_rule_version_create,
    programme_create,
    programme_renew,
    programme_update,
    rate_version_create,
)

rates_router = Router(tags=["rates"])
router = Router(tags=["programmes"])


def _digits_only(value: Any) -> Any:
    """Text must be digits: pydantic reads "750.000" as 750 (a zero fraction), where an
    Indonesian office means Rp750,000. Numbers pass as they are."""
    if isinstance(value, str) and not value.strip().removeprefix("-").isdigit():
        raise PydanticCustomError("int_parsing", "Input should be a valid integer")
    return value


# A whole number (rupiah, quota, count): a JSON number, or text of digits.
Whole = Annotated[int, BeforeValidator(_digits_only)]


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


# --- programmes -------------------------------------------------------------------------------


class TargetIO(Schema):
    region_code: str
    quota: Whole | None = None


class FunderIO(Schema):
    funder: str
    name: str
    share_bp: Whole
    account: str | None = None


class ProgrammeIn(Schema):
    name: str
    region_code: str | None = None
    funder: str
    funder_name: str
    legal_basis: str
    budget_year: Whole
    budget_amount: Whole | None = None
    benefit_jkk: bool = True
    benefit_jkm: bool = True
    benefit_jht: bool = False
    reported_income: Whole = 1_000_000
    bpjs_group: str = "SG"
    start_date: dt.date
    end_date: dt.date
    min_age: Whole = 15
    max_age: Whole = 65
    occupations: list[str] = []
    verification_required: bool = True
    income_ceiling: Whole | None = None
    priority_occupations: list[str] = []
    targets: list[TargetIO]
    funders: list[FunderIO] = []


class ProgrammePatch(Schema):
    version: Whole | None = None
    name: str | None = None
    funder: str | None = None
    funder_name: str | None = None
    legal_basis: str | None = None
    budget_year: Whole | None = None
    budget_amount: Whole | None = None
    benefit_jkk: bool | None = None
    benefit_jkm: bool | None = None
    benefit_jht: bool | None = None
    reported_income: Whole | None = None
    bpjs_group: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    min_age: Whole | None = None
    max_age: Whole | None = None
    occupations: list[str] | None = None
    verification_required: bool | None = None
    income_ceiling: Whole | None = None
    priority_occupations: list[str] | None = None
    targets: list[TargetIO] | None = None
    funders: list[FunderIO] | None = None


class RenewIn(Schema):
    name: str | None = None
    budget_year: Whole | None = None
    budget_amount: Whole | None = None
    end_date: dt.date | None = None
    legal_basis: str | None = None
    start_date: dt.date | None = None


class ProgrammeOut(Schema):
    id: int
    name: str
    region_code: str
    funder: str
    funder_name: str
    legal_basis: str
    budget_year: int
    budget_amount: int | None
    benefits: list[str]
    reported_income: int
    monthly_contribution: int | None
    bpjs_group: str
    start_date: dt.date
    end_date: dt.date
    min_age: int
    max_age: int
    occupations: list[str]
    verification_required: bool
    income_ceiling: int | None
    priority_occupations: list[str]
    predecessor_id: int | None
    version: int
    targets: list[TargetIO]
    funders: list[FunderIO]
    active_enrolments: int
    waiting_enrolments: int
    can_manage: bool


def programme_out(
    programme: Programme, actor: Any, counts: dict[str, int] | None = None
) -> dict[str, Any]:
    counts = counts or programme_counts([programme.pk])[programme.pk]
    monthly = programme_monthly_cost(programme, on=timezone.localdate())
    return {
        **{
            name: getattr(programme, name)
            for name in ("id", *RULE_FIELDS, "benefits", "predecessor_id", "version")
        },
        "region_code": programme.region_id,
        "monthly_contribution": monthly.total if monthly else None,
        "targets": [
            {"region_code": t.region_id, "quota": t.quota} for t in programme.targets.all()
        ],
        "funders": [
            {
                "funder": f.funder,
                "name": f.name,
                "share_bp": f.share_bp,
                "account": f.account.username if f.account else None,
            }
            for f in programme.funders.all()
        ],
        "active_enrolments": counts["active"],
        "waiting_enrolments": counts["waiting"],
        "can_manage": can_manage(actor, programme),
    }


def _payload(schema: Schema) -> dict[str, Any]:
    data = schema.dict(exclude_unset=True)
    for name in ("targets", "funders"):
        if data.get(name) is not None:
            data[name] = [dict(item) for item in data[name]]
    return data


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


@router.get("", response=list[ProgrammeOut], summary="Program yang dapat saya lihat")
def programmes(request: HttpRequest) -> list[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    programmes = list(programme_list(actor=actor)[:500])
    counts = programme_counts([p.pk for p in programmes])
    return [programme_out(p, actor, counts[p.pk]) for p in programmes]


@router.post("", response={201: ProgrammeOut}, summary="Membuat program")
def programme_new(request: HttpRequest, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    programme = programme_create(actor=actor, data=_payload(payload))
    return Status(201, programme_out(programme, actor))


@router.get("/{programme_id}", response=ProgrammeOut, summary="Satu program")
def programme(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    return programme_out(programme_get(actor=actor, programme_id=programme_id), actor)


@router.patch("/{programme_id}", response=ProgrammeOut, summary="Mengubah program")
def programme_patch(
    request: HttpRequest, programme_id: int, payload: ProgrammePatch
) -> dict[str, Any]:
    actor = request.auth  # type: ignore[attr-defined]
    data = _payload(payload)
    version = data.pop("version", None)
    changed = programme_update(actor=actor, programme_id=programme_id, data=data, version=version)
    return programme_out(changed, actor)


@router.post(
    "/{programme_id}/renew",
    response={201: ProgrammeOut},
    summary="Program lanjutan tahun berikutnya (mulai sehari sesudah program ini berakhir)",
)
def programme_renew_api(
    request: HttpRequest, programme_id: int, payload: RenewIn
) -> Status[dict[str, Any]]:
    actor = request.auth  # type: ignore[attr-defined]
    successor = programme_renew(
        actor=actor, programme_id=programme_id, data=payload.dict(exclude_unset=True)
    )
    return Status(201, programme_out(successor, actor))
