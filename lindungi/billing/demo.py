"""The demo money of `make run`: the demo programme's APBD appropriation, every month billed up
to the current one, paid on the 10th except the last two months — so the finance page shows
arrears, the run-out forecast and the alerts a data officer would see."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lindungi.accounts.models import User
from lindungi.enrolment.demo import DEMO_NAME
from lindungi.programmes.models import Programme

from .alerts import alerts_raise
from .contributions import add_months
from .models import ContributionRun
from .services import budget_record, contribution_run, payment_record


def demo_finance_ensure() -> int:
    """Bill and pay the demo programme once; returns the number of months billed."""
    today = timezone.localdate()
    programme = Programme.objects.filter(name=DEMO_NAME.replace("2026", str(today.year))).first()
    if programme is None or ContributionRun.objects.filter(programme=programme).exists():
        return 0
    admin = User.objects.get(username="admin.kukar")
    funder = programme.funders.order_by("-share_bp").first()
    if funder is None:
        return 0
    budget_record(
        actor=admin,
        programme_id=programme.pk,
        data={
            "funder_id": funder.pk,
            "kind": "original",
            "amount": programme.budget_amount or 0,
            "effective_on": programme.start_date.isoformat(),
            "legal_basis": f"Perda APBD Kutai Kartanegara {today.year} (contoh)",
        },
    )
    months = 0
    month = programme.start_date.replace(day=1)
    while month <= today.replace(day=1) and month <= programme.end_date:
        outcome = contribution_run(
            actor=admin, programme_id=programme.pk, period=month, today=month
        )
        months += 1
        paid_on = month + dt.timedelta(days=9)
        if outcome.run is not None and add_months(month, 2) <= today.replace(day=1):
            invoice = outcome.run.invoices.get(funder=funder)
            payment_record(
                actor=admin,
                programme_id=programme.pk,
                data={
                    "funder_id": funder.pk,
                    "paid_on": paid_on.isoformat(),
                    "amount": invoice.amount,
                    "reference": f"SP2D/{month:%m}/{month:%Y}/DISNAKER",
                },
                today=paid_on,
            )
        month = add_months(month, 1)
    alerts_raise(on=today)
    return months
