"""rate_version_create and benefit_rule_version_create: the superadmin adds a dated version; the
version in force is closed the day before, never edited or deleted."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.core.errors import FieldErrors, Forbidden, NotFound
from lindungi.core.models import AuditEvent
from lindungi.programmes.models import BenefitRule, ContributionRate
from lindungi.programmes.selectors import benefit_table
from lindungi.programmes.services import benefit_rule_version_create, rate_version_create

from .conftest import codes

pytestmark = pytest.mark.django_db

D = dt.date
JKK_2027 = {"benefit": "JKK", "kind": "percent", "basis_points": 120, "valid_from": D(2027, 1, 1),
            "legal_basis": "PP 12/2026 tentang Perubahan PP 44/2015", "note": "uji"}  # fmt: skip


def _rates() -> list[tuple]:
    return list(
        ContributionRate.objects.order_by("benefit", "valid_from").values_list(
            "benefit", "kind", "basis_points", "amount", "min_income", "valid_from", "valid_to"
        )
    )


SEEDED = [
    ("JHT", "percent", 200, None, 1_000_000, D(2015, 7, 1), None),
    ("JKK", "percent", 100, None, 1_000_000, D(2015, 7, 1), None),
    ("JKM", "flat", None, 6_800, 1_000_000, D(2015, 7, 1), None),
]


def test_a_new_jkk_version_closes_the_old_one_the_day_before(world):
    rate = rate_version_create(actor=world.superadmin, data=JKK_2027)
    assert _rates() == [
        SEEDED[0],
        ("JKK", "percent", 100, None, 1_000_000, D(2015, 7, 1), D(2026, 12, 31)),
        ("JKK", "percent", 120, None, 1_000_000, D(2027, 1, 1), None),
        SEEDED[2],
    ]
    assert (rate.legal_basis, rate.note, rate.created_by) == (
        "PP 12/2026 tentang Perubahan PP 44/2015", "uji", world.superadmin,
    )  # fmt: skip
    closed = ContributionRate.objects.get(benefit="JKK", valid_from=D(2015, 7, 1))
    event = AuditEvent.objects.get(action="rate.version_create")
    assert (event.actor, event.object_id) == (world.superadmin, str(rate.pk))
    assert event.changes == {
        "benefit": [None, "JKK"], "valid_from": [None, "2027-01-01"], "closed": [None, closed.pk],
    }  # fmt: skip


def test_a_version_keeps_only_the_value_its_kind_uses(world):
    flat = rate_version_create(
        actor=world.superadmin,
        data={"benefit": "jkm", "kind": "flat", "amount": 7_500, "basis_points": 30,
              "min_income": None, "valid_from": "2027-01-01", "legal_basis": " PP  12/2026 "},
    )  # fmt: skip
    assert (flat.benefit, flat.amount, flat.basis_points, flat.min_income) == (
        "JKM", 7_500, None, 1_000_000,
    )  # fmt: skip
    assert (flat.valid_from, flat.legal_basis) == (D(2027, 1, 1), "PP 12/2026")
    percent = rate_version_create(
        actor=world.superadmin,
        data={**JKK_2027, "amount": 12_000, "min_income": 1_200_000},
    )
    assert (percent.basis_points, percent.amount, percent.min_income) == (120, None, 1_200_000)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"benefit": "JKP"}, {"benefit": ["RATE_BENEFIT_INVALID"]}),
        ({"basis_points": None}, {"kind": ["RATE_KIND_VALUE"]}),
        ({"basis_points": 0}, {"kind": ["RATE_KIND_VALUE"]}),
        ({"kind": "flat"}, {"kind": ["RATE_KIND_VALUE"]}),  # flat without an amount
        ({"kind": "bertingkat"}, {"kind": ["RATE_KIND_VALUE"]}),
        ({"legal_basis": "  "}, {"legal_basis": ["RATE_LEGAL_BASIS_REQUIRED"]}),
        ({"valid_from": None}, {"valid_from": ["RATE_VALID_FROM"]}),
        ({"valid_from": "01-01-2027"}, {"valid_from": ["RATE_VALID_FROM"]}),
        ({"valid_from": D(2015, 7, 1)}, {"valid_from": ["RATE_VALID_FROM"]}),
        ({"valid_from": D(2010, 1, 1)}, {"valid_from": ["RATE_VALID_FROM"]}),
    ],
)  # fmt: skip
def test_an_invalid_version_is_refused_and_nothing_changes(world, changes, expected):
    with pytest.raises(FieldErrors) as excinfo:
        rate_version_create(actor=world.superadmin, data={**JKK_2027, **changes})
    assert codes(excinfo.value.fields) == expected
    assert _rates() == SEEDED
    assert not AuditEvent.objects.filter(action="rate.version_create").exists()


def test_the_refusal_names_the_version_in_force(world):
    with pytest.raises(FieldErrors) as excinfo:
        rate_version_create(actor=world.superadmin, data={**JKK_2027, "valid_from": D(2015, 7, 1)})
    assert excinfo.value.fields == {"valid_from": [{
        "code": "RATE_VALID_FROM",
        "message": "Versi baru harus berlaku sesudah versi yang berlaku sekarang (mulai 01-07-2015).",
    }]}  # fmt: skip


def test_only_the_superadmin_adds_versions(world):
    for actor in (world.province_admin, world.regency_admin, world.auditor):
        with pytest.raises(Forbidden):
            rate_version_create(actor=actor, data=JKK_2027)
        with pytest.raises(Forbidden):
            benefit_rule_version_create(actor=actor, code="JKM_FUNERAL",
                                        data={"valid_from": D(2027, 1, 1), "amount": 1,
                                              "legal_basis": "x"})  # fmt: skip
    assert _rates() == SEEDED
    assert BenefitRule.objects.count() == 31


def test_a_new_funeral_benefit_applies_to_deaths_from_its_day(world):
    rule = benefit_rule_version_create(
        actor=world.superadmin,
        code="JKM_FUNERAL",
        data={"valid_from": D(2027, 1, 1), "amount": 15_000_000,
              "legal_basis": "PP 13/2026 tentang Perubahan PP 82/2019"},
    )  # fmt: skip
    old = BenefitRule.objects.get(code="JKM_FUNERAL", valid_from=D(2019, 12, 2))
    assert old.valid_to == D(2026, 12, 31)
    # Label, kind, order and the values not given come from the version it follows.
    assert (rule.label, rule.kind, rule.sort_order, rule.benefit) == (
        old.label, "flat", old.sort_order, "JKM",
    )  # fmt: skip
    assert (rule.amount, rule.wage_percent, rule.units) == (15_000_000, None, None)
    assert benefit_table(on=D(2026, 12, 31)).get(code="JKM_FUNERAL").amount == 10_000_000
    assert benefit_table(on=D(2027, 1, 1)).get(code="JKM_FUNERAL").amount == 15_000_000
    event = AuditEvent.objects.get(action="benefit_rule.version_create")
    assert event.changes == {"code": [None, "JKM_FUNERAL"], "valid_from": [None, "2027-01-01"]}


def test_a_benefit_version_must_follow_the_one_in_force(world):
    with pytest.raises(FieldErrors) as excinfo:
        benefit_rule_version_create(
            actor=world.superadmin, code="JKK_DEATH",
            data={"valid_from": D(2019, 12, 2), "wage_percent": 6000, "legal_basis": " "},
        )  # fmt: skip
    assert excinfo.value.fields == {
        "valid_from": [{"code": "RATE_VALID_FROM", "message": "Versi baru harus berlaku sesudah "
                        "versi yang berlaku sekarang (mulai 02-12-2019)."}],
        "legal_basis": [{"code": "RATE_LEGAL_BASIS_REQUIRED",
                         "message": "Dasar hukum tarif wajib diisi."}],
    }  # fmt: skip
    with pytest.raises(NotFound):
        benefit_rule_version_create(actor=world.superadmin, code="JKK_TIDAK_ADA",
                                    data={"valid_from": D(2027, 1, 1), "legal_basis": "x"})  # fmt: skip
    assert BenefitRule.objects.count() == 31
    assert BenefitRule.objects.get(code="JKK_DEATH", valid_from=D(2019, 12, 2)).valid_to is None
