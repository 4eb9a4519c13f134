"""programme_renew: next year's programme starts the day after this one ends (no gap), with the
same rules, targets and co-funders unless told otherwise; once per programme."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from lindungi.core.models import AuditEvent
from lindungi.programmes.models import Programme
from lindungi.programmes.services import programme_create, programme_renew

from .conftest import PROGRAMME, codes

pytestmark = pytest.mark.django_db


def test_the_2027_programme_follows_2026_without_a_gap(world, programmes):
    admin = world.regency_admin
    predecessor = programme_create(
        actor=admin,
        data={**PROGRAMME, "name": "Perlindungan Nelayan Kukar 2026", "occupations": ["nelayan"],
              "priority_occupations": ["nelayan"], "min_age": 18, "max_age": 60,
              "income_ceiling": 2_000_000, "bpjs_group": "SA",
              "targets": [{"region_code": "64.02.06", "quota": 800}, "64.02.01"],
              "funders": [
                  {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara",
                   "share_bp": 7500},
                  {"funder": "CSR", "name": "PT Pupuk Kalimantan Timur", "share_bp": 2500}]},
    )  # fmt: skip
    successor = programme_renew(actor=admin, programme_id=predecessor.pk, data={})

    stored = Programme.objects.get(pk=successor.pk)
    assert stored.name == "Perlindungan Nelayan Kukar 2026 (lanjutan 2027)"
    assert (stored.start_date, stored.end_date) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert (stored.budget_year, stored.budget_amount) == (2027, None)  # next year's APBD
    assert (stored.predecessor, stored.region_id, stored.version) == (predecessor, "64.02", 1)
    same = ["funder", "funder_name", "legal_basis", "benefit_jkk", "benefit_jkm", "benefit_jht",
            "reported_income", "bpjs_group", "min_age", "max_age", "occupations",
            "verification_required", "income_ceiling", "priority_occupations"]  # fmt: skip
    assert {f: getattr(stored, f) for f in same} == {f: getattr(predecessor, f) for f in same}
    assert sorted(stored.targets.values_list("region_id", "quota")) == [
        ("64.02.01", None),
        ("64.02.06", 800),
    ]
    assert list(stored.funders.values_list("funder", "name", "share_bp")) == [
        ("APBD_KABKOTA", "Pemkab Kutai Kartanegara", 7500),
        ("CSR", "PT Pupuk Kalimantan Timur", 2500),
    ]
    created = AuditEvent.objects.get(action="programme.create", object_id=str(successor.pk))
    assert created.actor == admin
    renewed = AuditEvent.objects.get(action="programme.renew")
    assert (renewed.object_id, renewed.region_code, renewed.changes) == (
        str(predecessor.pk), "64.02", {"successor": [None, successor.pk]},
    )  # fmt: skip


def test_the_renewal_takes_the_new_name_end_budget_and_legal_basis(world, programmes):
    successor = programme_renew(
        actor=world.regency_admin,
        programme_id=programmes.kukar.pk,
        data={"name": "Perlindungan Pekerja Rentan Kukar 2027", "end_date": dt.date(2027, 6, 30),
              "budget_amount": 1_600_000_000, "legal_basis": "Perbup Kukar No. 2/2027",
              "start_date": dt.date(2027, 1, 1)},  # the right start may be repeated
    )  # fmt: skip
    assert (successor.name, successor.legal_basis, successor.budget_amount) == (
        "Perlindungan Pekerja Rentan Kukar 2027", "Perbup Kukar No. 2/2027", 1_600_000_000,
    )  # fmt: skip
    assert (successor.start_date, successor.end_date) == (dt.date(2027, 1, 1), dt.date(2027, 6, 30))


def test_a_programme_ending_mid_year_is_followed_to_the_end_of_that_year(world):
    half = programme_create(
        actor=world.regency_admin,
        data={**PROGRAMME, "name": "Perlindungan Pekerja Rentan Kukar Semester I 2026",
              "end_date": dt.date(2026, 6, 30)},
    )  # fmt: skip
    successor = programme_renew(actor=world.regency_admin, programme_id=half.pk, data={})
    assert (successor.start_date, successor.end_date, successor.budget_year) == (
        dt.date(2026, 7, 1), dt.date(2026, 12, 31), 2026,
    )  # fmt: skip


def test_a_start_other_than_the_day_after_is_refused(world, programmes):
    with pytest.raises(FieldErrors) as excinfo:
        programme_renew(actor=world.regency_admin, programme_id=programmes.kukar.pk,
                        data={"start_date": dt.date(2027, 2, 1)})  # fmt: skip
    assert excinfo.value.fields == {"start_date": [{
        "code": "PROGRAMME_RENEWAL_START",
        "message": "Program lanjutan harus mulai tepat sehari sesudah program sebelumnya "
                   "berakhir (01-01-2027) agar tidak ada jeda perlindungan.",
    }]}  # fmt: skip
    assert Programme.objects.count() == 3
    assert not AuditEvent.objects.filter(action="programme.renew").exists()


def test_an_end_before_the_start_is_refused_and_nothing_written(world, programmes):
    with pytest.raises(FieldErrors) as excinfo:
        programme_renew(actor=world.regency_admin, programme_id=programmes.kukar.pk,
                        data={"end_date": dt.date(2026, 12, 31)})  # fmt: skip
    assert codes(excinfo.value.fields) == {"end_date": ["PROGRAMME_PERIOD_INVALID"]}
    assert Programme.objects.count() == 3


def test_a_programme_is_renewed_once(world, programmes):
    first = programme_renew(actor=world.regency_admin, programme_id=programmes.kukar.pk, data={})
    with pytest.raises(Conflict) as excinfo:
        programme_renew(actor=world.province_admin, programme_id=programmes.kukar.pk, data={})
    assert (excinfo.value.status, excinfo.value.code) == (409, "PROGRAMME_ALREADY_RENEWED")
    assert first.name in excinfo.value.message
    assert Programme.objects.count() == 4
    assert AuditEvent.objects.filter(action="programme.renew").count() == 1


def test_only_the_programmes_admins_renew_it(world, programmes):
    with pytest.raises(Forbidden):
        programme_renew(actor=world.regency_admin, programme_id=programmes.kaltim.pk, data={})
    with pytest.raises(NotFound):
        programme_renew(actor=world.balikpapan_admin, programme_id=programmes.kukar.pk, data={})
    successor = programme_renew(actor=world.province_admin, programme_id=programmes.kaltim.pk,
                                data={})  # fmt: skip
    assert (successor.region_id, successor.budget_year) == ("64", 2027)
    assert sorted(successor.targets.values_list("region_id", "quota")) == [
        ("64.02", 5614),
        ("64.71", 1200),
    ]
    assert Programme.objects.count() == 4
