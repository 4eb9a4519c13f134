"""The public operations of the API (no login): the status check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .public import public_status

public_router = Router(tags=["public"], auth=None)


class StatusIn(Schema):
    nik: str
    birth_date: str


class StatusOut(Schema):
    protected: bool
    name_masked: str | None
    programme: str | None
    funder: str | None
    benefits: list[str]
    covered_until: dt.date | None
    checked_on: dt.date
    message: str


@public_router.post(
    "/status",
    response=StatusOut,
    summary="Cek status perlindungan (tanpa login; dibatasi dan dicatat)",
)
def status(request: HttpRequest, payload: StatusIn) -> dict[str, Any]:
    """The same fields and about the same time whether the NIK is known or not; more than
    `PUBLIC_CHECK_PER_ADDRESS_PER_MINUTE` checks from one address or
    `PUBLIC_CHECK_PER_NIK_PER_HOUR` of one NIK answer 429 `rate_limited`."""
    return public_status(nik=payload.nik, birth_date=payload.birth_date).as_dict()
