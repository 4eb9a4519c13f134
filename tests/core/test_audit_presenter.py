"""Reading the audit log (issue 22, finding 3): what each reader may see of an event."""

from __future__ import annotations

import pytest

from lindungi.core.audit import (
    NON_PERSONAL_FIELDS,
    ChangeRow,
    audit_record,
    present_changes,
    present_events,
)
from lindungi.core.models import AuditEvent
from lindungi.core.selectors import audit_page

WORKER_EDIT = {
    "full_name": ["Rahmat Hidayat", "Rahmat Hidayatullah"],
    "nik": ["6402061205800004", "6402061205801004"],
    "address": [None, "Jl. Mawar No. 7"],
    "reported_income": [1_000_000, 1_750_000],
    "verification_status": ["verified", "pending"],
}


def test_a_reader_without_personal_rights_sees_which_fields_changed_not_their_values():
    rows = present_changes(WORKER_EDIT, object_type="registry.worker", personal=False)
    assert rows == [
        ChangeRow("full_name", None, None, hidden=True),
        ChangeRow("nik", None, None, hidden=True),
        ChangeRow("address", None, None, hidden=True),
        ChangeRow("reported_income", None, None, hidden=True),
        ChangeRow("verification_status", "verified", "pending"),
    ]


def test_a_reader_with_personal_rights_sees_the_values_and_the_nik_masked():
    rows = present_changes(WORKER_EDIT, object_type="registry.worker", personal=True)
    assert [(r.field, r.before, r.after, r.hidden) for r in rows] == [
        ("full_name", "Rahmat Hidayat", "Rahmat Hidayatullah", False),
        ("nik", "6402********0*04", "6402********1*04", False),
        ("address", None, "Jl. Mawar No. 7", False),
        ("reported_income", 1_000_000, 1_750_000, False),
        ("verification_status", "verified", "pending", False),
    ]


def test_fields_and_objects_nobody_listed_stay_hidden():
    # A field added to the worker later, an object type nobody classified: hidden by default.
    assert present_changes(
        {"religion": [None, "Islam"]}, object_type="registry.worker", personal=False
    ) == [ChangeRow("religion", None, None, hidden=True)]
    assert present_changes({"status": ["a", "b"]}, object_type="newapp.thing", personal=False) == [
        ChangeRow("status", None, None, hidden=True)
    ]
    # The same name is personal on a worker and a rule on a programme.
    income = {"reported_income": [None, 1_000_000]}
    assert present_changes(income, object_type="registry.worker", personal=False)[0].hidden
    assert not present_changes(income, object_type="programmes.programme", personal=False)[0].hidden


def test_no_identity_field_of_a_worker_or_heir_is_on_the_allow_list():
    personal = {"nik", "kk_number", "full_name", "birth_place", "birth_date", "sex", "address",
                "rt", "rw", "phone", "reported_income", "occupation", "occupation_text"}  # fmt: skip
    allowed = NON_PERSONAL_FIELDS["registry.worker"]
    assert not allowed & personal
    assert not allowed & {f"heir.{f}" for f in [*personal, "relationship", "priority_class"]}
    assert "incapacity_days" not in NON_PERSONAL_FIELDS["claims.claimcase"]  # health data


def test_a_childs_scholarship_shows_the_year_and_money_only():
    rows = present_changes(
        {"instalment": [None, {"child": 17, "year": 2025, "level": "SD", "amount": 1_500_000}]},
        object_type="claims.claimcase",
        personal=False,
    )
    assert rows == [ChangeRow("instalment", None, {"year": 2025, "amount": 1_500_000})]


@pytest.mark.django_db
def test_typed_notes_and_nik_derived_ids_are_withheld_from_auditors(world):
    typed = audit_record(actor=world.village_operator, action="worker.life_event",
                         object_type="registry.worker", object_id=5, region_code="64.02.06.1002",
                         note="Meninggal karena demam berdarah")  # fmt: skip
    system = audit_record(actor=world.village_operator, action="worker.heir_add",
                          object_type="registry.worker", object_id=5,
                          region_code="64.02.06.1002", note="ahli waris #9")  # fmt: skip
    check = audit_record(actor=None, action="public.status_check", kind=AuditEvent.Kind.VIEW,
                         object_type="nik", object_id="a1b2c3", region_code="64.02",
                         changes={"result": "protected"})  # fmt: skip
    auditor = {e.id: e for e in present_events([typed, system, check], reader=world.auditor)}
    assert (auditor[typed.pk].note, auditor[typed.pk].note_hidden) == ("", True)
    assert (auditor[system.pk].note, auditor[system.pk].note_hidden) == ("ahli waris #9", False)
    assert auditor[check.pk].object_id == ""
    assert auditor[check.pk].changes == [ChangeRow("result", None, "protected")]
    admin = {e.id: e for e in present_events([typed, check], reader=world.regency_admin)}
    assert admin[typed.pk].note == "Meninggal karena demam berdarah"
    assert admin[check.pk].object_id == "a1b2c3"


@pytest.mark.django_db
def test_the_audit_page_selector_pages_and_presents_for_its_reader(world):
    for n in range(3):
        audit_record(actor=world.village_operator, action="worker.update",
                     object_type="registry.worker", object_id=n, region_code="64.02.06.1002",
                     changes={"full_name": ["Siti Aminah", f"Siti Aminah {n}"]})  # fmt: skip
    first = audit_page(actor=world.auditor, limit=2, action="worker.update")
    assert [e.object_id for e in first.entries] == ["2", "1"]
    assert all(row.hidden for e in first.entries for row in e.changes)
    rest = audit_page(actor=world.auditor, limit=2, action="worker.update",
                      before_id=first.next_before_id)  # fmt: skip
    assert [e.object_id for e in rest.entries] == ["0"] and rest.next_before_id is None
    admin = audit_page(actor=world.regency_admin, limit=1, action="worker.update")
    assert admin.entries[0].changes == [ChangeRow("full_name", "Siti Aminah", "Siti Aminah 2")]
