"""programme_create: what a regency or province admin may create, every field's rule with its
stable code, co-funding shares, targets and quotas inside the admin's region, the audit row."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.core.errors import FieldErrors, Forbidden
from lindungi.core.models import AuditEvent
from lindungi.programmes.models import Programme
from lindungi.programmes.services import programme_create

from .conftest import PROGRAMME, codes, nothing_written

pytestmark = pytest.mark.django_db


def test_kukars_apbd_programme_is_stored_as_given_with_its_audit_row(world):
    admin = world.regency_admin
    programme = programme_create(actor=admin, data=PROGRAMME)

    stored = Programme.objects.get()
    assert stored == programme
    assert (stored.name, stored.region_id, stored.funder, stored.funder_name) == (
        "Perlindungan Pekerja Rentan Kukar 2026", "64.02", "APBD_KABKOTA",
        "Pemkab Kutai Kartanegara",
    )  # fmt: skip
    assert (stored.legal_basis, stored.budget_year, stored.budget_amount) == (
        "Perbup Kukar No. 12/2025", 2026, 3_000_000_000,
    )  # fmt: skip
    assert (stored.start_date, stored.end_date) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # The defaults of domain.md: JKK + JKM on the lowest band, ages 15–65, verified workers only.
    assert stored.benefits == ["JKK", "JKM"]
    assert (stored.reported_income, stored.bpjs_group) == (1_000_000, "SG")
    assert (stored.min_age, stored.max_age, stored.verification_required) == (15, 65, True)
    assert (stored.occupations, stored.priority_occupations, stored.income_ceiling) == (
        [],
        [],
        None,
    )
    assert (stored.version, stored.created_by, stored.predecessor) == (1, admin, None)
    assert list(stored.targets.values_list("region_id", "quota")) == [("64.02.06", None)]
    # No co-funders given: the funder pays everything.
    assert list(stored.funders.values_list("funder", "name", "share_bp", "account")) == [
        ("APBD_KABKOTA", "Pemkab Kutai Kartanegara", 10000, None)
    ]

    event = AuditEvent.objects.get(action="programme.create")
    assert (event.actor, event.object_type, event.object_id, event.region_code) == (
        admin, "programmes.programme", str(programme.pk), "64.02",
    )  # fmt: skip
    assert event.changes["name"] == [None, "Perlindungan Pekerja Rentan Kukar 2026"]
    assert event.changes["budget_amount"] == [None, 3_000_000_000]
    assert event.changes["start_date"] == [None, "2026-01-01"]
    assert event.changes["targets"] == [None, [["64.02.06", None]]]
    assert event.changes["funders"] == [None, [["APBD_KABKOTA", "Pemkab Kutai Kartanegara", 10000]]]


def test_texts_are_trimmed_and_occupations_normalised(world):
    programme = programme_create(
        actor=world.regency_admin,
        data={
            **PROGRAMME,
            "name": "  Perlindungan   Nelayan Kukar 2026 ",
            "legal_basis": " Perbup Kukar  No. 12/2025",
            "occupations": "nelayan; petani, nelayan",
            "priority_occupations": ["nelayan"],
            "income_ceiling": "2500000",
            "min_age": "18",
            "max_age": "60",
        },
    )
    assert programme.name == "Perlindungan Nelayan Kukar 2026"
    assert programme.legal_basis == "Perbup Kukar No. 12/2025"
    assert programme.occupations == ["nelayan", "petani"]
    assert programme.priority_occupations == ["nelayan"]
    assert (programme.income_ceiling, programme.min_age, programme.max_age) == (2_500_000, 18, 60)


# Each field's rule and the stable code it answers with (the API's details.fields).
FIELD_RULES = [
    ({"name": "   "}, {"name": ["PROGRAMME_NAME_REQUIRED"]}),
    ({"funder": "APBN"}, {"funder": ["PROGRAMME_FUNDER_INVALID"]}),
    ({"funder_name": ""}, {"funder_name": ["PROGRAMME_FUNDER_NAME_REQUIRED"]}),
    ({"legal_basis": " "}, {"legal_basis": ["PROGRAMME_LEGAL_BASIS_REQUIRED"]}),
    ({"bpjs_group": "ZZ"}, {"bpjs_group": ["PROGRAMME_BPJS_GROUP_INVALID"]}),
    ({"budget_year": 1999}, {"budget_year": ["PROGRAMME_YEAR_INVALID"]}),
    ({"budget_year": None}, {"budget_year": ["PROGRAMME_YEAR_INVALID"]}),
    ({"budget_year": "dua ribu"},
     {"budget_year": ["PROGRAMME_NUMBER_INVALID", "PROGRAMME_YEAR_INVALID"]}),
    ({"budget_amount": -1}, {"budget_amount": ["PROGRAMME_AMOUNT_INVALID"]}),
    ({"income_ceiling": -500_000}, {"income_ceiling": ["PROGRAMME_AMOUNT_INVALID"]}),
    ({"reported_income": 999_999}, {"reported_income": ["PROGRAMME_INCOME_BAND"]}),
    ({"reported_income": "satu juta"},
     {"reported_income": ["PROGRAMME_NUMBER_INVALID", "PROGRAMME_INCOME_BAND"]}),
    # The age range is reported on the upper bound, whichever end is wrong.
    ({"min_age": 14}, {"max_age": ["PROGRAMME_AGE_RANGE"]}),
    ({"min_age": 40, "max_age": 30}, {"max_age": ["PROGRAMME_AGE_RANGE"]}),
    ({"benefit_jkk": False, "benefit_jkm": False}, {"benefit_jkk": ["PROGRAMME_NO_BENEFIT"]}),
    ({"start_date": None}, {"start_date": ["PROGRAMME_PERIOD_INVALID"]}),
    ({"end_date": dt.date(2025, 12, 31)}, {"end_date": ["PROGRAMME_PERIOD_INVALID"]}),
    ({"occupations": ["petani", "astronot"]}, {"occupations": ["PROGRAMME_OCCUPATION_INVALID"]}),
    ({"priority_occupations": ["pilot"]},
     {"priority_occupations": ["PROGRAMME_OCCUPATION_INVALID"]}),
    ({"region_code": "64.71"}, {"region_code": ["PROGRAMME_REGION_OUT_OF_SCOPE"]}),
    ({"region_code": "64"}, {"region_code": ["PROGRAMME_REGION_OUT_OF_SCOPE"]}),
    ({"region_code": "99.99"}, {"region_code": ["PROGRAMME_REGION_OUT_OF_SCOPE"]}),
    ({"region_code": "64.02.06"}, {"region_code": ["PROGRAMME_REGION_LEVEL"]}),
    ({"targets": []}, {"targets": ["PROGRAMME_TARGETS_REQUIRED"]}),
    ({"targets": [{"region_code": "64.71.01"}]}, {"targets": ["PROGRAMME_TARGET_OUTSIDE"]}),
    ({"targets": [{"region_code": "64.02.99"}]}, {"targets": ["PROGRAMME_TARGET_UNKNOWN"]}),
    ({"targets": ["64.02.06", "64.02.06.1002"]}, {"targets": ["PROGRAMME_TARGET_NESTED"]}),
    ({"targets": ["64.02.06", "64.02.06"]},
     {"targets": ["PROGRAMME_TARGET_NESTED", "PROGRAMME_TARGET_NESTED"]}),
    ({"targets": [{"region_code": "64.02.06", "quota": 0}]},
     {"targets": ["PROGRAMME_QUOTA_INVALID", "PROGRAMME_TARGETS_REQUIRED"]}),
    ({"targets": [{"region_code": "64.02.06", "quota": "lima ribu"}, "64.02.07"]},
     {"targets": ["PROGRAMME_QUOTA_INVALID"]}),
    ({"funders": [{"funder": "APBD_PROVINSI", "name": "Pemprov Kaltim", "share_bp": 4000},
                  {"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 5000}]},
     {"funders": ["PROGRAMME_SHARES_INVALID"]}),
    ({"funders": [{"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 10000},
                  {"funder": "CSR", "name": "PT Mitra", "share_bp": 0}]},
     {"funders": ["PROGRAMME_SHARES_INVALID"]}),
    ({"funders": [{"funder": "APBN", "name": "Kemnaker", "share_bp": 10000}]},
     {"funders": ["PROGRAMME_FUNDER_INVALID"]}),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "expected"), FIELD_RULES)
def test_each_field_is_refused_with_its_code_and_nothing_is_written(world, changes, expected):
    before = AuditEvent.objects.count()
    with pytest.raises(FieldErrors) as excinfo:
        programme_create(actor=world.regency_admin, data={**PROGRAMME, **changes})
    assert excinfo.value.status == 422
    assert codes(excinfo.value.fields) == expected
    nothing_written(before)


def test_every_problem_is_reported_at_once_in_indonesian(world):
    with pytest.raises(FieldErrors) as excinfo:
        programme_create(
            actor=world.regency_admin,
            data={**PROGRAMME, "name": "", "funder": "APBN", "reported_income": 500_000,
                  "targets": [{"region_code": "64.71.01", "quota": 100}],
                  "funders": [{"funder": "APBD_PROVINSI", "name": "Pemprov", "share_bp": 4000},
                              {"funder": "APBD_KABKOTA", "name": "Pemkab", "share_bp": 5000}]},
        )  # fmt: skip
    messages = {
        name: [e["message"] for e in errors] for name, errors in excinfo.value.fields.items()
    }
    assert messages == {
        "name": ["Nama program wajib diisi."],
        "funder": ["Sumber dana “APBN” tidak dikenal."],
        "reported_income": ["Penghasilan dilaporkan paling sedikit Rp1.000.000 (pita terendah BPJS)."],
        "targets": ["Wilayah sasaran 64.71.01 tidak berada di dalam wilayah program."],
        "funders": ["Porsi para pemberi dana harus berjumlah 100% (tertulis 90%)."],
    }  # fmt: skip


def test_co_funders_of_penajam_paser_utara_share_the_contributions(world):
    """domain.md §5: the province pays 5,614 workers, the regency 15,000 — 27.24% and 72.76%."""
    programme = programme_create(
        actor=world.regency_admin,
        data={**PROGRAMME, "funders": [
            {"funder": "APBD_PROVINSI", "name": "Pemprov Kalimantan Timur", "share_bp": 2724},
            {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 7276},
        ]},
    )  # fmt: skip
    assert list(programme.funders.values_list("funder", "name", "share_bp")) == [
        ("APBD_KABKOTA", "Pemkab Kutai Kartanegara", 7276),
        ("APBD_PROVINSI", "Pemprov Kalimantan Timur", 2724),
    ]
    three = programme_create(
        actor=world.regency_admin,
        data={**PROGRAMME, "name": "Tiga penyandang dana", "funders": [
            {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 3334},
            {"funder": "CSR", "name": "PT Kaltim Prima Coal", "share_bp": 3333},
            {"funder": "DONOR_INDIVIDU", "name": "H. Abdul Rahman", "share_bp": 3333},
        ]},
    )  # fmt: skip
    assert sum(three.funders.values_list("share_bp", flat=True)) == 10000


def test_targets_inside_the_region_with_their_quotas(world):
    programme = programme_create(
        actor=world.regency_admin,
        data={**PROGRAMME, "targets": [
            {"region_code": "64.02.06", "quota": "5000"},  # Tenggarong
            {"region_code": "64.02.07.2001", "quota": 250},  # a village of another district
            "64.02.01",  # a bare code: no quota
        ]},
    )  # fmt: skip
    assert list(programme.targets.order_by("region_id").values_list("region_id", "quota")) == [
        ("64.02.01", None),
        ("64.02.06", 5000),
        ("64.02.07.2001", 250),
    ]


def test_a_province_runs_its_own_programme_or_one_for_a_regency(world):
    admin = world.province_admin
    province = programme_create(
        actor=admin,
        data={**PROGRAMME, "region_code": "64", "funder": "APBD_PROVINSI",
              "funder_name": "Pemprov Kalimantan Timur",
              "targets": [{"region_code": "64.02", "quota": 5614}, {"region_code": "64.71"}]},
    )  # fmt: skip
    assert province.region_id == "64"
    assert list(province.targets.values_list("region_id", "quota")) == [
        ("64.02", 5614),
        ("64.71", None),
    ]
    for_kukar = programme_create(actor=admin, data={**PROGRAMME, "region_code": "64.02"})
    assert for_kukar.region_id == "64.02"
    # Without a region code the programme is the admin's own region's.
    assert programme_create(actor=admin, data={**PROGRAMME, "targets": ["64.71"]}).region_id == "64"


def test_the_superadmin_names_the_region(world):
    with pytest.raises(FieldErrors) as excinfo:
        programme_create(actor=world.superadmin, data=PROGRAMME)
    [error] = excinfo.value.fields["region_code"]
    assert error == {
        "code": "PROGRAMME_REGION_OUT_OF_SCOPE",
        "message": "Wilayah — berada di luar wilayah kewenangan Anda.",
    }
    programme = programme_create(actor=world.superadmin, data={**PROGRAMME, "region_code": "64.02"})
    assert programme.region_id == "64.02"


@pytest.mark.parametrize(
    "role", ["village_operator", "district_operator", "bpjs_officer", "auditor"]
)
def test_roles_without_programme_rights_are_refused_403(world, role):
    before = AuditEvent.objects.count()
    with pytest.raises(Forbidden) as excinfo:
        programme_create(actor=getattr(world, role), data=PROGRAMME)
    assert (excinfo.value.status, excinfo.value.code) == (403, "forbidden")
    nothing_written(before)
