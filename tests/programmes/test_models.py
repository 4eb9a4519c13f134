"""The models' own rules: periods in force, the database constraints a service could forget,
benefit flags and whom a discount applies to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from lindungi.programmes.models import (
    ContributionDiscount,
    ContributionRate,
    Programme,
    ProgrammeFunder,
    ProgrammeTarget,
)

pytestmark = pytest.mark.django_db

D = dt.date


def test_a_version_is_in_force_from_its_first_to_its_last_day():
    closed = ContributionRate(valid_from=D(2015, 7, 1), valid_to=D(2026, 12, 31))
    assert [closed.in_force(d) for d in (D(2015, 6, 30), D(2015, 7, 1), D(2026, 12, 31),
                                         D(2027, 1, 1))] == [False, True, True, False]  # fmt: skip
    assert ContributionRate(valid_from=D(2015, 7, 1)).in_force(D(2099, 1, 1)) is True


def test_benefits_read_from_the_flags():
    assert Programme(benefit_jkk=True, benefit_jkm=True, benefit_jht=False).benefits == [
        "JKK",
        "JKM",
    ]
    assert Programme(benefit_jkk=False, benefit_jkm=True, benefit_jht=True).benefits == [
        "JKM",
        "JHT",
    ]


def test_whom_a_discount_applies_to():
    transport = ContributionDiscount.objects.get(valid_from=D(2026, 1, 1))
    assert transport.applies_to(funder="MANDIRI", occupation="ojek_pengemudi") is True
    assert transport.applies_to(funder="CSR", occupation="petani") is False
    assert transport.applies_to(funder="MANDIRI", occupation=None) is False
    assert transport.applies_to(funder="APBD_KABKOTA", occupation="ojek_pengemudi") is False
    every = ContributionDiscount.objects.get(valid_from=D(2026, 4, 1))
    assert every.applies_to(funder="DONOR_INDIVIDU", occupation=None) is True
    assert every.applies_to(funder="APBDES", occupation="petani") is False


def _programme(**fields) -> Programme:
    return Programme.objects.create(**{
        "name": "Program uji", "region_id": "64.02", "funder": "APBD_KABKOTA",
        "funder_name": "Pemkab Kutai Kartanegara", "legal_basis": "Perbup 1/2026",
        "budget_year": 2026, "start_date": D(2026, 1, 1), "end_date": D(2026, 12, 31), **fields,
    })  # fmt: skip


def _refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _programme(**fields)


def test_the_database_refuses_what_the_service_refuses(regions):
    _refused(end_date=D(2025, 12, 31))  # programmes_period
    _refused(min_age=60, max_age=18)  # programmes_age_range
    _refused(benefit_jkk=False, benefit_jkm=False)  # programmes_some_benefit
    assert not Programme.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionRate.objects.create(benefit="JKK", kind="percent", valid_from=D(2027, 1, 1),
                                        legal_basis="uji")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionRate.objects.create(benefit="JKM", kind="flat", amount=1,
                                        valid_from=D(2027, 1, 1), valid_to=D(2026, 1, 1),
                                        legal_basis="uji")  # fmt: skip
    assert ContributionRate.objects.count() == 3


def test_shares_and_targets_are_held_by_constraints(regions):
    programme = _programme()
    for share in (0, 10001):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProgrammeFunder.objects.create(programme=programme, funder="CSR", name="PT Mitra",
                                           share_bp=share)  # fmt: skip
    ProgrammeTarget.objects.create(programme=programme, region_id="64.02.06", quota=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeTarget.objects.create(programme=programme, region_id="64.02.06", quota=20)
    assert not ProgrammeFunder.objects.exists()
    assert list(ProgrammeTarget.objects.values_list("region_id", "quota")) == [("64.02.06", 10)]
