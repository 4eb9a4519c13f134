"""`make run`'s demo data: accounts, workers, the covered programme, its money and its claims,
created once (a second run creates nothing)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from lindungi.billing.models import ContributionRun
from lindungi.claims.models import ClaimCase
from lindungi.enrolment.models import Enrolment

pytestmark = pytest.mark.django_db


def test_the_demo_dataset_is_complete_and_created_once():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert Enrolment.objects.filter(status="active").exists()
    assert ContributionRun.objects.exists()
    statuses = sorted(ClaimCase.objects.values_list("status", flat=True))
    assert statuses == ["paid", "reported", "submitted"]
    paid = ClaimCase.objects.get(status="paid")
    assert paid.amount_paid == paid.entitlement == 42_000_000
    assert "Klaim demo: 3 kematian diikuti." in out.getvalue()
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "Klaim demo: 0 kematian diikuti." in again.getvalue()
    assert ClaimCase.objects.count() == 3
