"""The budget simulator of issue 7: how many workers a budget covers, and the inverse."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from lindungi.core.errors import FieldErrors
from lindungi.programmes.simulation import budget_simulate

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def test_penajam_paser_utara_2025_budget(world, api_token):
    response = Client().get(
        "/api/v1/programmes/simulate",
        {
            "budget": 3_000_000_000,
            "months": 12,
            "reported_income": 1_000_000,
            "funder": "APBD_KABKOTA",
            "date": "2026-01-01",
        },
        **api_token(world.regency_admin),
    )
    assert response.status_code == 200
    body = response.json()
    assert {
        k: body[k] for k in ("workers", "monthly_cost_per_worker", "annual_cost_per_worker")
    } == {
        "workers": 14880,
        "monthly_cost_per_worker": 16800,
        "annual_cost_per_worker": 201600,
    }
    assert body["budget_used"] == 14880 * 201600
    assert body["remainder"] == 3_000_000_000 - 14880 * 201600


def test_the_inverse_gives_the_budget_needed():
    result = budget_simulate(workers=15_000, months=6, on=dt.date(2026, 1, 1))
    assert (result.workers, result.budget) == (15_000, 15_000 * 16_800 * 6)
    assert result.remainder == 0


def test_the_discount_changes_what_a_self_paid_budget_buys():
    self_paid = budget_simulate(budget=100_800, months=12, funder="MANDIRI", on=dt.date(2026, 6, 1))
    public = budget_simulate(budget=100_800, months=12, funder="APBDES", on=dt.date(2026, 6, 1))
    # April – December 2026 the PP 50/2025 discount halves every sector's JKK/JKM (domain.md
    # §5), but never for a public budget.
    assert (self_paid.monthly_cost_per_worker, public.monthly_cost_per_worker) == (8_400, 16_800)
    assert (self_paid.workers, self_paid.remainder) == (1, 0)
    assert public.workers == 0 and public.remainder == 100_800


def test_both_or_neither_input_is_a_clear_error():
    with pytest.raises(FieldErrors) as excinfo:
        budget_simulate(budget=1, workers=1, on=dt.date(2026, 1, 1))
    assert excinfo.value.fields["budget"][0]["code"] == "BILLING_SIMULATE_INPUT"
    with pytest.raises(FieldErrors) as excinfo:
        budget_simulate(budget=1_000_000, months=13, on=dt.date(2026, 1, 1))
    assert excinfo.value.fields["months"][0]["code"] == "BILLING_MONTHS_INVALID"


def test_the_simulator_page(world):
    page = client_for(world.auditor).get(
        "/simulasi-anggaran/",
        {
            "budget": "3000000000",
            "months": "12",
            "reported_income": "1000000",
            "funder": "APBD_KABKOTA",
            "date": "2026-01-01",
        },
    )
    assert page.status_code == 200
    assert 'data-testid="workers">14.880<' in page.content.decode()
