"""The API shapes of a programme (`/api/v1/programmes`). The operations are in
`enrolment/api.py`: a programme's answer carries its enrolment counts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def _digits_only(value: Any) -> Any:
    """Text must be digits: pydantic reads "750.000" as 750 (a zero fraction), where an
    Indonesian office means Rp750,000. Numbers pass as they are."""
    if isinstance(value, str) and not value.strip().removeprefix("-").isdigit():
        raise PydanticCustomError("int_parsing", "Input should be a valid integer")
    return value


# A whole number (rupiah, quota, count): a JSON number, or text of digits.
Whole = Annotated[int, BeforeValidator(_digits_only)]


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


def programme_payload(schema: Schema) -> dict[str, Any]:
    data = schema.dict(exclude_unset=True)
    for name in ("targets", "funders"):
        if data.get(name) is not None:
            data[name] = [dict(item) for item in data[name]]
    return data
