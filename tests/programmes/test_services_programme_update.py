"""programme_update: fields absent stay, the optimistic `version`, the rules that lock once
enrolments went to BPJS, co-funders kept by identity, who may change what, the audit row."""

from __future__ import annotations

import datetime as dt

import pytest

from lindungi.billing.services import budget_record
from lindungi.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from lindungi.core.models import AuditEvent
from lindungi.enrolment.models import Enrolment
from lindungi.enrolment.services import batch_create
from lindungi.programmes.models import Programme
from lindungi.programmes.services import programme_update

from .conftest import codes, submitted

pytestmark = pytest.mark.django_db


def _updates() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="programme.update").order_by("id"))


def test_an_update_changes_what_it_names_and_records_exactly_that(world, programmes):
    admin = world.regency_admin
    changed = programme_update(
        actor=admin,
        programme_id=programmes.kukar.pk,
        version=1,
        data={"budget_amount": 3_500_000_000, "legal_basis": "Perbup Kukar No. 12/2025 jo. "
              "Perbup No. 4/2026", "targets": [{"region_code": "64.02.06", "quota": 4000}]},
    )  # fmt: skip
    stored = Programme.objects.get(pk=programmes.kukar.pk)
    assert stored.version == changed.version == 2
    assert stored.budget_amount == 3_500_000_000
    assert stored.legal_basis == "Perbup Kukar No. 12/2025 jo. Perbup No. 4/2026"
    assert (stored.name, stored.start_date, stored.benefits) == (
        "Perlindungan Pekerja Rentan Kukar 2026", dt.date(2026, 1, 1), ["JKK", "JKM"],
    )  # fmt: skip
    assert list(stored.targets.values_list("region_id", "quota")) == [("64.02.06", 4000)]
    [event] = _updates()
    assert (event.actor, event.object_id, event.region_code) == (admin, str(stored.pk), "64.02")
    assert event.changes == {
        "budget_amount": [3_000_000_000, 3_500_000_000],
        "legal_basis": ["Perbup Kukar No. 12/2025",
                        "Perbup Kukar No. 12/2025 jo. Perbup No. 4/2026"],
        "targets": [[["64.02.06", None]], [["64.02.06", 4000]]],
    }  # fmt: skip


def test_a_stale_version_is_a_409_and_changes_nothing(world, programmes):
    pk = programmes.kukar.pk
    programme_update(actor=world.regency_admin, programme_id=pk, version=1, data={"name": "A"})
    # The province admin's form was opened at version 1 too.
    with pytest.raises(Conflict) as excinfo:
        programme_update(actor=world.province_admin, programme_id=pk, version=1,
                         data={"name": "B", "budget_amount": 1})  # fmt: skip
    assert (excinfo.value.status, excinfo.value.code) == (409, "PROGRAMME_STALE")
    assert excinfo.value.message == (
        "Program ini telah diubah oleh pengguna lain (versi 2). Muat ulang lalu ulangi."
    )
    stored = Programme.objects.get(pk=pk)
    assert (stored.name, stored.budget_amount, stored.version) == ("A", 3_000_000_000, 2)
    assert len(_updates()) == 1
    # Without a version (a command, an older client) the change is not checked.
    programme_update(actor=world.province_admin, programme_id=pk, data={"name": "B"})
    assert Programme.objects.get(pk=pk).version == 3


def test_an_invalid_update_writes_nothing(world, programmes):
    pk = programmes.kukar.pk
    with pytest.raises(FieldErrors) as excinfo:
        programme_update(
            actor=world.regency_admin,
            programme_id=pk,
            version=1,
            data={"name": " ", "end_date": dt.date(2025, 6, 30), "targets": ["64.71.01"],
                  "funders": [{"funder": "APBD_KABKOTA", "name": "Pemkab", "share_bp": 9000}]},
        )  # fmt: skip
    assert codes(excinfo.value.fields) == {
        "name": ["PROGRAMME_NAME_REQUIRED"],
        "end_date": ["PROGRAMME_PERIOD_INVALID"],
        "targets": ["PROGRAMME_TARGET_OUTSIDE"],
        "funders": ["PROGRAMME_SHARES_INVALID"],
    }
    stored = Programme.objects.get(pk=pk)
    assert (stored.name, stored.end_date, stored.version) == (
        "Perlindungan Pekerja Rentan Kukar 2026", dt.date(2026, 12, 31), 1,
    )  # fmt: skip
    assert list(stored.targets.values_list("region_id", flat=True)) == ["64.02.06"]
    assert _updates() == []


def test_an_empty_target_list_is_refused_not_taken_as_no_targets(world, programmes):
    with pytest.raises(FieldErrors) as excinfo:
        programme_update(actor=world.regency_admin, programme_id=programmes.kukar.pk,
                         data={"targets": []})  # fmt: skip
    assert codes(excinfo.value.fields) == {"targets": ["PROGRAMME_TARGETS_REQUIRED"]}
    assert programmes.kukar.targets.count() == 1


def test_co_funders_are_kept_by_source_and_name_updated_added_and_removed(world, programmes):
    pk = programmes.kukar.pk
    original = programmes.kukar.funders.get()
    programme_update(actor=world.regency_admin, programme_id=pk, data={"funders": [
        {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 6000},
        {"funder": "APBD_PROVINSI", "name": "Pemprov Kalimantan Timur", "share_bp": 4000},
    ]})  # fmt: skip
    rows = list(Programme.objects.get(pk=pk).funders.values_list("id", "funder", "share_bp"))
    assert rows[0] == (original.pk, "APBD_KABKOTA", 6000)  # the same row: its money stays
    assert rows[1][1:] == ("APBD_PROVINSI", 4000)
    [event] = _updates()
    assert event.changes == {"funders": [
        [["APBD_KABKOTA", "Pemkab Kutai Kartanegara", 10000]],
        [["APBD_KABKOTA", "Pemkab Kutai Kartanegara", 6000],
         ["APBD_PROVINSI", "Pemprov Kalimantan Timur", 4000]],
    ]}  # fmt: skip
    programme_update(actor=world.regency_admin, programme_id=pk, data={"funders": [
        {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 10000},
    ]})  # fmt: skip
    assert list(Programme.objects.get(pk=pk).funders.values_list("id", "share_bp")) == [
        (original.pk, 10000)
    ]


def test_a_co_funder_with_a_budget_cannot_be_removed(world, programmes):
    pk = programmes.kukar.pk
    programme_update(actor=world.regency_admin, programme_id=pk, data={"funders": [
        {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 6000},
        {"funder": "APBD_PROVINSI", "name": "Pemprov Kalimantan Timur", "share_bp": 4000},
    ]})  # fmt: skip
    province = Programme.objects.get(pk=pk).funders.get(funder="APBD_PROVINSI")
    budget_record(actor=world.regency_admin, programme_id=pk, data={
        "funder_id": province.pk, "kind": "original", "amount": 1_200_000_000,
        "effective_on": "2026-01-01", "legal_basis": "Perda Kaltim No. 9/2025 (APBD 2026)",
    })  # fmt: skip
    with pytest.raises(FieldErrors) as excinfo:
        programme_update(actor=world.regency_admin, programme_id=pk, version=2, data={
            "name": "Perlindungan Pekerja Rentan Kukar 2026 (APBD saja)",
            "funders": [{"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara",
                         "share_bp": 10000}],
        })  # fmt: skip
    [error] = excinfo.value.fields["funders"]
    assert error["code"] == "PROGRAMME_FUNDER_IN_USE"
    assert "Pemprov Kalimantan Timur" in error["message"]
    # One transaction: the name, the version and the shares are as they were.
    stored = Programme.objects.get(pk=pk)
    assert (stored.name, stored.version) == ("Perlindungan Pekerja Rentan Kukar 2026", 2)
    assert sorted(stored.funders.values_list("funder", "share_bp")) == [
        ("APBD_KABKOTA", 6000),
        ("APBD_PROVINSI", 4000),
    ]
    assert len(_updates()) == 1


LOCKED = [
    ("start_date", dt.date(2026, 2, 1)),
    ("end_date", dt.date(2026, 6, 30)),
    ("benefit_jht", True),
    ("benefit_jkm", False),
    ("reported_income", 1_500_000),
]


@pytest.mark.parametrize(("field", "value"), LOCKED)
def test_what_bpjs_was_told_is_locked_once_enrolments_were_submitted(
    kukar, programme, field, value
):
    admin = kukar.world.regency_admin
    submitted(admin, programme)
    with pytest.raises(FieldErrors) as excinfo:
        programme_update(actor=admin, programme_id=programme.pk, data={field: value})
    [error] = excinfo.value.fields[field]
    assert error["code"] == "PROGRAMME_RULES_LOCKED"
    stored = Programme.objects.get(pk=programme.pk)
    assert getattr(stored, field) == getattr(programme, field)
    assert stored.version == 1


def test_after_submission_names_budgets_quotas_and_eligibility_still_change(kukar, programme):
    admin = kukar.world.regency_admin
    submitted(admin, programme)
    programme_update(
        actor=admin,
        programme_id=programme.pk,
        version=1,
        data={
            "name": "Perlindungan Pekerja Rentan Kukar 2026 (perubahan)",
            "budget_amount": 3_250_000_000,
            "targets": [{"region_code": "64.02.06", "quota": 5}],
            "priority_occupations": ["nelayan"],
            # Unchanged locked fields may be sent again (the page form sends them all).
            "start_date": dt.date(2026, 1, 1),
            "reported_income": 1_000_000,
        },
    )
    stored = Programme.objects.get(pk=programme.pk)
    assert (stored.budget_amount, stored.version, stored.priority_occupations) == (
        3_250_000_000, 2, ["nelayan"],
    )  # fmt: skip
    assert stored.targets.get().quota == 5


def test_draft_enrolments_do_not_lock_anything(kukar, programme):
    admin = kukar.world.regency_admin
    batch_create(actor=admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1))
    assert Enrolment.objects.filter(programme=programme, status="draft").count() == 5
    programme_update(
        actor=admin, programme_id=programme.pk, data={"end_date": dt.date(2026, 6, 30)}
    )
    assert Programme.objects.get(pk=programme.pk).end_date == dt.date(2026, 6, 30)


def test_the_province_changes_kukars_programme_but_kukar_not_the_provinces(world, programmes):
    programme_update(actor=world.province_admin, programme_id=programmes.kukar.pk,
                     data={"budget_amount": 2_000_000_000})  # fmt: skip
    assert Programme.objects.get(pk=programmes.kukar.pk).budget_amount == 2_000_000_000
    with pytest.raises(Forbidden):
        programme_update(actor=world.regency_admin, programme_id=programmes.kaltim.pk,
                         data={"budget_amount": 1})  # fmt: skip
    with pytest.raises(NotFound):  # outside Balikpapan's scope, Kukar's programme does not exist
        programme_update(actor=world.balikpapan_admin, programme_id=programmes.kukar.pk,
                         data={"budget_amount": 1})  # fmt: skip
    with pytest.raises(Forbidden):  # the auditor reads Kukar's programme, changes nothing
        programme_update(actor=world.auditor, programme_id=programmes.kukar.pk,
                         data={"budget_amount": 1})  # fmt: skip
    assert Programme.objects.get(pk=programmes.kaltim.pk).budget_amount == 12_000_000_000
    assert Programme.objects.get(pk=programmes.kukar.pk).budget_amount == 2_000_000_000
    assert [e.actor for e in _updates()] == [world.province_admin]
