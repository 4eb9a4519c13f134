"""The reference data seeded at installation (lindungi/programmes/reference.py, migrations 0002,
0004, 0005): the rates, the two PP 50/2025 phases and both benefit tables, seeded once."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.programmes import reference
from lindungi.programmes.models import BenefitRule, ContributionDiscount, ContributionRate

pytestmark = pytest.mark.django_db

D = dt.date
PUBLIC = ["APBD_PROVINSI", "APBD_KABKOTA", "APBDES"]


def test_the_migrations_seeded_the_rates_in_force():
    rows = ContributionRate.objects.order_by("benefit").values_list(
        "benefit", "kind", "basis_points", "amount", "min_income", "valid_from", "valid_to",
        "legal_basis",
    )  # fmt: skip
    assert list(rows) == [
        ("JHT", "percent", 200, None, 1_000_000, D(2015, 7, 1), None,
         "PP 46/2015 (JHT), pilihan bagi BPU"),
        ("JKK", "percent", 100, None, 1_000_000, D(2015, 7, 1), None, reference.PP_44),
        ("JKM", "flat", None, 6_800, 1_000_000, D(2015, 7, 1), None, reference.PP_44),
    ]  # fmt: skip


def test_the_two_phases_of_pp_50_2025_spare_public_budgets():
    rows = ContributionDiscount.objects.order_by("valid_from").values_list(
        "basis_points", "benefits", "excluded_funders", "occupations", "valid_from", "valid_to",
        "legal_basis",
    )  # fmt: skip
    assert list(rows) == [
        (5000, ["JKK", "JKM"], PUBLIC, ["ojek_pengemudi"], D(2026, 1, 1), D(2027, 3, 31),
         reference.PP_50),  # transport: 15 months
        (5000, ["JKK", "JKM"], PUBLIC, [], D(2026, 4, 1), D(2026, 12, 31),
         reference.PP_50),  # every other sector: 9 months
    ]  # fmt: skip


def test_both_benefit_tables_meet_on_2_december_2019():
    pp82 = BenefitRule.objects.filter(legal_basis=reference.PP_82)
    pp44 = BenefitRule.objects.filter(legal_basis=reference.PP_44_BENEFITS)
    assert pp82.count() == len(reference.BENEFITS) == 18
    assert pp44.count() == len(reference.BENEFITS_PP_44) == 13
    assert set(pp82.values_list("valid_from", "valid_to")) == {(D(2019, 12, 2), None)}
    assert set(pp44.values_list("valid_from", "valid_to")) == {(D(2015, 7, 1), D(2019, 12, 1))}
    # The order of the table is the order of the regulation's list.
    assert list(pp82.order_by("sort_order").values_list("code", flat=True)[:3]) == [
        "JKM_LUMP_SUM",
        "JKM_PERIODIC",
        "JKM_FUNERAL",
    ]


def test_seeding_again_adds_nothing_and_leaves_later_versions_alone(world):
    from lindungi.programmes.services import rate_version_create

    later = rate_version_create(
        actor=world.superadmin,
        data={"benefit": "JKM", "kind": "flat", "amount": 7_500, "valid_from": D(2027, 1, 1),
              "legal_basis": "PP 12/2026 (uji)"},
    )  # fmt: skip
    counts = (ContributionRate.objects.count(), ContributionDiscount.objects.count(),
              BenefitRule.objects.count())  # fmt: skip
    reference.seed(ContributionRate, ContributionDiscount, BenefitRule)
    assert counts == (4, 2, 31)
    assert (ContributionRate.objects.count(), ContributionDiscount.objects.count(),
            BenefitRule.objects.count()) == counts  # fmt: skip
    later.refresh_from_db()
    assert (later.amount, later.valid_to) == (7_500, None)
    # The seeded JKM stays closed where the new version took over.
    assert ContributionRate.objects.get(benefit="JKM", valid_from=D(2015, 7, 1)).valid_to == D(
        2026, 12, 31
    )


def test_a_flushed_database_is_seeded_whole():
    ContributionRate.objects.all().delete()
    ContributionDiscount.objects.all().delete()
    BenefitRule.objects.all().delete()
    reference.seed(ContributionRate, ContributionDiscount, BenefitRule)
    assert (ContributionRate.objects.count(), ContributionDiscount.objects.count(),
            BenefitRule.objects.count()) == (3, 2, 31)  # fmt: skip
