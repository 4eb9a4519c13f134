"""The budget simulator (domain.md §5): how many workers a budget covers for how many months at
the rates in force, or the budget a number of workers needs. Arithmetic on the dated rates this
app owns; billing's pages and the API call it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from lindungi.core.errors import FieldErrors

from .errors import SimulationError
from .selectors import contribution_quote


@dataclass(frozen=True)
class Simulation:
    """A budget and the cover it buys at the rates in force on `date` (integer rupiah)."""

    workers: int
    months: int
    monthly_cost_per_worker: int
    annual_cost_per_worker: int
    budget: int  # the budget given, or the budget needed for `workers`
    budget_used: int  # workers × months × monthly cost
    remainder: int  # budget − budget used (what is left over, below one more worker)
    legal_basis: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def budget_simulate(
    *,
    budget: int | None = None,
    workers: int | None = None,
    months: int = 12,
    reported_income: int = 1_000_000,
    funder: str = "APBD_KABKOTA",
    on: dt.date,
    benefits: Iterable[str] = ("JKK", "JKM"),
) -> Simulation:
    """Workers a budget covers for `months` (rounded down: cover is bought whole), or — given
    `workers` — the budget they need. Penajam Paser Utara 2025: Rp3 billion at Rp16,800 a month
    covers 14,880 workers for 12 months."""
    errors: dict[str, list[dict[str, str]]] = {}
    if (budget is None) == (workers is None):
        errors.update(FieldErrors.single("budget", SimulationError.SIMULATE_INPUT).fields)
    for name, value in (("budget", budget), ("workers", workers)):
        if value is not None and value <= 0:
            errors.update(
                FieldErrors.single(name, SimulationError.AMOUNT_INVALID, arg=value).fields
            )
    if not 1 <= months <= 12:
        errors.update(FieldErrors.single("months", SimulationError.MONTHS_INVALID).fields)
    if errors:
        raise FieldErrors(errors)
    quote = contribution_quote(
        reported_income=reported_income, funder=funder, on=on, benefits=benefits
    )
    monthly = quote.total
    per_worker = monthly * months
    if budget is not None:
        covered = budget // per_worker if per_worker else 0
        given = budget
    else:
        covered = int(workers or 0)
        given = covered * per_worker
    used = covered * per_worker
    return Simulation(
        workers=covered,
        months=months,
        monthly_cost_per_worker=monthly,
        annual_cost_per_worker=monthly * 12,
        budget=given,
        budget_used=used,
        remainder=given - used,
        legal_basis=quote.legal_basis,
    )
