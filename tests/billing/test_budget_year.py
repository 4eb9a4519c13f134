"""Issue 7, "done when": a full budget year of a co-funded programme — monthly runs (by the
sweep), an advance payment, a late payment, a mid-year revision, the run-out forecast, an alert
sent exactly once, and a lapse after the limit with the re-enrolment worklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from lindungi.billing.cover import worker_cover
from lindungi.billing.models import (
    Alert,
    AlertKind,
    ContributionLine,
    ContributionRun,
    Invoice,
    InvoiceStatus,
)
from lindungi.billing.selectors import programme_finance, reenrolment_list
from lindungi.billing.services import billing_sweep, budget_record, payment_record
from lindungi.enrolment.models import EndReason, Enrolment, EnrolmentStatus, EnrolmentTransition

from .helpers import co_funded, enrol_all

pytestmark = pytest.mark.django_db

D = dt.date


def test_a_budget_year_of_a_co_funded_programme(kukar, settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "ALERT_DAYS": [60, 30, 7], "AUTO_BILLING": True}
    admin = kukar.world.regency_admin
    admin.email = "disnaker@kukar.go.id"
    admin.save()
    kukar.world.province_admin.email = "disnakertrans@kaltimprov.go.id"
    kukar.world.province_admin.save()
    programme = co_funded(kukar)
    regency, province = programme.funders.order_by("-share_bp")
    enrol_all(kukar, programme)
    assert Enrolment.objects.filter(programme=programme, status="active").count() == 5

    # Appropriations: the regency funds its 60% for the whole year, the province only 300,000.
    budget_record(
        actor=admin,
        programme_id=programme.pk,
        data={"funder_id": regency.pk, "kind": "original", "amount": 604_800,
              "effective_on": "2026-01-02", "legal_basis": "Perda Kukar 10/2025 (APBD 2026)"},
    )  # fmt: skip
    budget_record(
        actor=kukar.world.province_admin,
        programme_id=programme.pk,
        data={"funder_id": province.pk, "kind": "original", "amount": 300_000,
              "effective_on": "2026-01-02", "legal_basis": "Perda Kaltim 8/2025 (APBD 2026)"},
    )  # fmt: skip

    # January: the sweep bills the month — 5 × 16,800, split 60/40 to the rupiah.
    assert billing_sweep(on=D(2026, 1, 1))["runs"] == 1
    jan = ContributionRun.objects.get(programme=programme, period=D(2026, 1, 1))
    assert (jan.lines, jan.amount, jan.jkk, jan.jkm) == (5, 84_000, 50_000, 34_000)
    assert jan.due_date == D(2026, 1, 15)
    assert sorted(jan.invoices.values_list("amount", flat=True)) == [33_600, 50_400]
    # A second sweep the same day bills nothing twice.
    assert billing_sweep(on=D(2026, 1, 1))["runs"] == 0
    assert ContributionLine.objects.filter(enrolment__programme=programme).count() == 5

    # The regency pays twelve months ahead; the province pays January on time.
    advance = payment_record(
        actor=admin,
        programme_id=programme.pk,
        data={"funder_id": regency.pk, "paid_on": "2026-01-10", "amount": 604_800, "months": 12,
              "reference": "SP2D-0001/2026"},
        today=D(2026, 1, 10),
    )  # fmt: skip
    assert (advance.allocated, advance.credit) == (50_400, 554_400)
    payment_record(
        actor=admin,
        programme_id=programme.pk,
        data={"funder_id": province.pk, "paid_on": "2026-01-12", "amount": 33_600,
              "reference": "SP2D-PROV-01"},
        today=D(2026, 1, 12),
    )  # fmt: skip
    jan.refresh_from_db()
    assert jan.paid_on == D(2026, 1, 12)  # every invoice of January paid: its lines are paid

    # February: the regency's invoice is paid from its credit the moment it is issued; the
    # province pays late, February and March together on 20 March.
    billing_sweep(on=D(2026, 2, 1))
    feb = Invoice.objects.filter(period=D(2026, 2, 1), programme=programme)
    assert feb.get(funder=regency).status == InvoiceStatus.PAID
    assert feb.get(funder=province).status == InvoiceStatus.OPEN
    assert ContributionRun.objects.get(period=D(2026, 2, 1)).paid_on is None
    billing_sweep(on=D(2026, 3, 1))
    finance = programme_finance(programme, on=D(2026, 3, 1))
    assert (finance.overdue_invoices, finance.overdue_amount) == (1, 33_600)
    assert finance.workers_in_arrears == 5
    payment_record(
        actor=admin,
        programme_id=programme.pk,
        data={"funder_id": province.pk, "paid_on": "2026-03-20", "amount": 67_200, "months": 1,
              "reference": "SP2D-PROV-02"},
        today=D(2026, 3, 20),
    )  # fmt: skip
    assert not ContributionRun.objects.filter(programme=programme, paid_on__isnull=True).exists()
    assert ContributionRun.objects.get(period=D(2026, 2, 1)).paid_on == D(2026, 3, 20)

    # The forecast: the province's 300,000 pays 5 more months after March — through August.
    finance = programme_finance(programme, on=D(2026, 3, 20))
    assert (finance.active_workers, finance.monthly_cost, finance.months_to_bill) == (5, 84_000, 9)
    assert finance.appropriated == 904_800
    assert finance.invoiced == 252_000
    assert finance.paid == 604_800 + 33_600 + 67_200
    assert finance.committed == 252_000 + 9 * 84_000
    assert finance.remaining == 904_800 - 1_008_000
    prov = next(f for f in finance.funders if f.funder_id == province.pk)
    assert (prov.months_funded, prov.runout_date) == (5, D(2026, 8, 31))
    assert next(f for f in finance.funders if f.funder_id == regency.pk).runout_date is None
    assert finance.runout_date == D(2026, 8, 31)
    assert worker_cover(actor=admin, worker_id=kukar.workers[0].pk).contribution_months == 3

    # From April the province stops paying. 60 days before the cover would lapse (16 July),
    # the admins are warned — once, however often the sweep runs.
    mail.outbox.clear()
    for day in (D(2026, 4, 1), D(2026, 5, 1)):
        billing_sweep(on=day)
    assert not Alert.objects.filter(kind=AlertKind.ARREARS).exists()
    result = billing_sweep(on=D(2026, 5, 17))
    arrears = Alert.objects.get(kind=AlertKind.ARREARS)
    assert (arrears.event_date, arrears.days_before, arrears.workers) == (D(2026, 7, 16), 60, 5)
    assert arrears.villages == [{"code": "64.02.06.1002", "name": "Loa Ipuh", "workers": 5}]
    assert result["emailed"] >= 1
    sent = [m for m in mail.outbox if "Tunggakan" in m.subject]
    assert sorted(m.to[0] for m in sent) == ["disnaker@kukar.go.id", "disnakertrans@kaltimprov.go.id"]  # fmt: skip
    assert "Loa Ipuh" in sent[0].body and kukar.workers[0].nik not in sent[0].body
    for day in (D(2026, 5, 17), D(2026, 5, 18), D(2026, 5, 30)):
        billing_sweep(on=day)
    assert Alert.objects.filter(kind=AlertKind.ARREARS).count() == 1
    assert len([m for m in mail.outbox if "Tunggakan" in m.subject]) == 2

    # The province's APBD-Perubahan adds money: the forecast no longer runs out.
    budget_record(
        actor=kukar.world.province_admin,
        programme_id=programme.pk,
        data={"funder_id": province.pk, "kind": "revision", "amount": 403_200,
              "effective_on": "2026-06-30", "legal_basis": "Perda Kaltim 3/2026 (APBD-P 2026)"},
    )  # fmt: skip
    finance = programme_finance(programme, on=D(2026, 7, 1))
    assert finance.appropriated == 604_800 + 403_200
    assert finance.runout_date is None
    assert [b.kind for b in finance.budgets] == ["original", "original", "revision"]

    # Nobody paid April–July: on 16 July (July's due date passed) cover lapses — 4 months
    # unpaid is more than 3 — and the workers wait in the re-enrolment worklist.
    for day in (D(2026, 6, 1), D(2026, 7, 1), D(2026, 7, 15)):
        assert billing_sweep(on=day)["lapsed"] == 0
    assert billing_sweep(on=D(2026, 7, 16))["lapsed"] == 5
    lapsed = Enrolment.objects.filter(programme=programme)
    assert set(lapsed.values_list("status", "end_reason", "covered_until")) == {
        (EnrolmentStatus.LAPSED, EndReason.ARREARS, D(2026, 7, 15))
    }
    transition = EnrolmentTransition.objects.filter(to_status="lapsed").first()
    assert transition is not None and transition.effective_on == D(2026, 7, 16)
    assert reenrolment_list(actor=admin, programme_id=programme.pk).count() == 5
    assert Alert.objects.get(kind=AlertKind.LAPSED).workers == 5
    # Lapsed cover is billed no more.
    assert billing_sweep(on=D(2026, 8, 1))["runs"] == 0
    assert not ContributionRun.objects.filter(period=D(2026, 8, 1)).exists()
