"""Billing pages: the budget simulator."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lindungi.core.errors import DomainError
from lindungi.portal.forms import apply_domain_error

from .forms import SimulateForm
from .selectors import budget_simulate


def simulate_view(request: HttpRequest) -> HttpResponse:
    """How many workers a budget covers, or what a number of workers costs (no writes)."""
    today = timezone.localdate()
    data = request.GET if request.GET else None
    form = SimulateForm(data, initial={"date": today, "budget": 3_000_000_000})
    result = None
    if form.is_valid():
        values = form.cleaned_data
        try:
            result = budget_simulate(
                budget=values["budget"],
                workers=values["workers"],
                months=values["months"],
                reported_income=values["reported_income"],
                funder=values["funder"],
                on=values["date"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
    return render(request, "billing/simulate.html", {"form": form, "result": result})
