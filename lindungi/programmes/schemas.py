"""The API shapes of a programme (`/api/v1/programmes`). The operations are in
`enrolment/api.py`: a programme's answer carries its enrolment counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class TargetIO(Schema):
    region_code: str
    quota: int | None = None


class FunderIO(Schema):
    funder: str
    name: str
    share_bp: int
    account: str | None = None


class ProgrammeIn(Schema):
    name: str
    region_code: str | None = None
    funder: str
    funder_name: str
    legal_basis: str
    budget_year: int
    budget_amount: int | None = None
    benefit_jkk: bool = True
    benefit_jkm: bool = True
    benefit_jht: bool = False
    reported_income: int = 1_000_000
    bpjs_group: str = "SG"
    start_date: dt.date
    end_date: dt.date
    min_age: int = 15
    max_age: int = 65
    occupations: list[str] = []
    verification_required: bool = True
    income_ceiling: int | None = None
    priority_occupations: list[str] = []
    targets: list[TargetIO]
    funders: list[FunderIO] = []


class ProgrammePatch(Schema):
    version: int | None = None
    name: str | None = None
    funder: str | None = None
    funder_name: str | None = None
    legal_basis: str | None = None
    budget_year: int | None = None
    budget_amount: int | None = None
    benefit_jkk: bool | None = None
    benefit_jkm: bool | None = None
    benefit_jht: bool | None = None
    reported_income: int | None = None
    bpjs_group: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    min_age: int | None = None
    max_age: int | None = None
    occupations: list[str] | None = None
    verification_required: bool | None = None
    income_ceiling: int | None = None
    priority_occupations: list[str] | None = None
    targets: list[TargetIO] | None = None
    funders: list[FunderIO] | None = None


class RenewIn(Schema):
    name: str | None = None
    budget_year: int | None = None
    budget_amount: int | None = None
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
