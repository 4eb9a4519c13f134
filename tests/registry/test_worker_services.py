import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, IntegrityError, connection, transaction

from lindungi.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from lindungi.core.models import AuditEvent
from lindungi.lifecycle.life_events import life_event_cancel, life_event_record
from lindungi.registry.models import Heir, LifeEvent, Worker
from lindungi.registry.services import (
    heir_add,
    heir_remove,
    heir_update,
    worker_create,
    worker_reject,
    worker_reveal_nik,
    worker_update,
    worker_verify,
    worker_verify_many,
)

pytestmark = pytest.mark.django_db

BUDI = {
    "nik": "6402061205800001",
    "full_name": "Budi Santoso",
    "birth_place": "Tenggarong",
    "birth_date": "12-05-1980",
    "sex": "L",
    "village": "Loa Ipuh",
    "phone": "0812 3456 7890",
    "occupation": "petani sawit",
    "reported_income": "1.000.000",
}


def _counts():
    return Worker.objects.count(), AuditEvent.objects.filter(object_type="registry.worker").count()


def test_operator_registers_a_worker_pending_verification(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    assert worker.verification_status == "pending"
    assert (worker.village_id, worker.occupation_id, worker.phone) == (
        "64.02.06.1002",
        "pekebun",
        "+6281234567890",
    )
    assert worker.raw["phone"] == "0812 3456 7890"  # the value as entered is kept
    assert worker.name_phonetic == " bd snts "
    event = AuditEvent.objects.get(action="worker.create", object_id=str(worker.pk))
    assert event.actor == world.village_operator
    assert event.changes["nik"] == [None, "6402061205800001"]


def test_invalid_data_writes_nothing(world):
    before = _counts()
    with pytest.raises(FieldErrors) as excinfo:
        worker_create(actor=world.village_operator, data={**BUDI, "nik": "123", "sex": "X"})
    assert set(excinfo.value.fields) == {"nik", "sex"}
    assert excinfo.value.fields["nik"][0]["code"] == "NIK_LENGTH"
    assert _counts() == before


def test_operator_cannot_register_outside_its_village(world):
    with pytest.raises(FieldErrors) as excinfo:
        worker_create(actor=world.village_operator, data={**BUDI, "village": "Jahab"})
    assert excinfo.value.fields["village"][0]["code"] == "VILLAGE_NOT_FOUND"
    with pytest.raises(FieldErrors) as outside:
        worker_create(actor=world.village_operator, data={**BUDI, "village": "64.71.01.1001"})
    assert outside.value.fields["village"][0]["code"] == "VILLAGE_OUT_OF_SCOPE"


def test_duplicate_nik_conflicts_with_the_existing_id_only_in_scope(world):
    first = worker_create(actor=world.village_operator, data=BUDI)
    with pytest.raises(Conflict) as excinfo:
        worker_create(actor=world.district_operator, data={**BUDI, "full_name": "Budi S"})
    assert excinfo.value.status == 409
    assert excinfo.value.details == {"worker_id": first.pk}
    with pytest.raises(Conflict) as elsewhere:
        worker_create(actor=world.manggar_operator, data={**BUDI, "village": "Manggar"})
    assert elsewhere.value.code == "NIK_TAKEN_ELSEWHERE"
    assert elsewhere.value.details == {}
    assert Worker.objects.count() == 1


def test_warnings_are_kept_with_the_record(world):
    worker = worker_create(actor=world.village_operator, data={**BUDI, "birth_date": "13-05-1980"})
    assert [n["code"] for n in worker.verification_notes] == ["NIK_BIRTH_DATE_MISMATCH"]
    assert "tidak sama" in worker.verification_notes[0]["message"]


def test_update_with_stale_version_changes_nothing(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    updated = worker_update(
        actor=world.village_operator,
        worker_id=worker.pk,
        version=1,
        data={"phone": "0813 1111 2222"},
    )
    assert (updated.version, updated.phone) == (2, "+6281311112222")
    with pytest.raises(Conflict) as excinfo:
        worker_update(
            actor=world.district_operator,
            worker_id=worker.pk,
            version=1,
            data={"address": "Jl. Baru"},
        )
    assert excinfo.value.code == "WORKER_STALE"
    worker.refresh_from_db()
    assert (worker.address, worker.version) == ("", 2)


def test_identity_change_returns_to_verification(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    worker_verify(actor=world.regency_admin, worker_id=worker.pk)
    phone = worker_update(
        actor=world.village_operator,
        worker_id=worker.pk,
        version=2,
        data={"phone": "0813 1111 2222"},
    )
    assert phone.verification_status == "verified"
    renamed = worker_update(
        actor=world.village_operator,
        worker_id=worker.pk,
        version=3,
        data={"full_name": "Budi Santosa"},
    )
    assert renamed.verification_status == "pending"
    assert renamed.verified_by is None
    history = AuditEvent.objects.filter(object_id=str(worker.pk), action="worker.update").order_by(
        "id"
    )
    assert history.last().changes == {
        "full_name": ["Budi Santoso", "Budi Santosa"],
        "verification_status": ["verified", "pending"],
    }


def test_an_unchanged_update_is_not_a_new_version(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    again = worker_update(
        actor=world.village_operator,
        worker_id=worker.pk,
        version=1,
        data={"phone": "+62 812-3456-7890"},
    )
    assert again.version == 1


def test_maker_checker(world):
    worker = worker_create(actor=world.regency_admin, data={**BUDI, "village": "64.02.06.1002"})
    with pytest.raises(Forbidden) as excinfo:
        worker_verify(actor=world.regency_admin, worker_id=worker.pk)
    assert excinfo.value.code == "VERIFY_OWN_ENTRY"
    with pytest.raises(Forbidden):
        worker_verify(
            actor=world.village_operator, worker_id=worker.pk
        )  # operators are makers only
    verified = worker_verify(actor=world.province_admin, worker_id=worker.pk)
    assert (verified.verification_status, verified.verified_by) == (
        "verified",
        world.province_admin,
    )


def test_reject_needs_a_reason(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    with pytest.raises(FieldErrors):
        worker_reject(actor=world.regency_admin, worker_id=worker.pk, reason="  ")
    rejected = worker_reject(
        actor=world.regency_admin, worker_id=worker.pk, reason="Bukan warga Loa Ipuh"
    )
    assert rejected.verification_status == "rejected"
    assert AuditEvent.objects.get(action="worker.reject").note == "Bukan warga Loa Ipuh"


def test_verify_many_skips_own_entries(world):
    mine = worker_create(actor=world.regency_admin, data={**BUDI, "village": "64.02.06.1002"})
    theirs = worker_create(
        actor=world.village_operator, data={**BUDI, "nik": "6402061205800002", "full_name": "Joko"}
    )
    summary = worker_verify_many(actor=world.regency_admin, worker_ids=[mine.pk, theirs.pk])
    assert summary == {"verified": 1, "skipped": 1}
    assert Worker.objects.get(pk=theirs.pk).verification_status == "verified"
    assert Worker.objects.get(pk=mine.pk).verification_status == "pending"


def test_outside_scope_is_not_found(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    with pytest.raises(NotFound):
        worker_update(
            actor=world.balikpapan_admin, worker_id=worker.pk, version=1, data={"phone": "0812"}
        )
    with pytest.raises(NotFound):
        worker_verify(actor=world.balikpapan_admin, worker_id=worker.pk)


def test_reveal_nik_is_audited(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    assert worker_reveal_nik(actor=world.district_operator, worker=worker) == "6402061205800001"
    event = AuditEvent.objects.get(action="worker.reveal_nik")
    assert (event.kind, event.actor) == ("view", world.district_operator)
    with pytest.raises(Forbidden):
        worker_reveal_nik(actor=world.auditor, worker=worker)


def test_death_is_an_event_and_the_worker_stays(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    pdf = SimpleUploadedFile("akta.pdf", b"%PDF-1.4 akta kematian", content_type="application/pdf")
    event = life_event_record(
        actor=world.village_operator,
        worker_id=worker.pk,
        kind="deceased",
        event_date=dt.date(2026, 3, 1),
        reason="Sakit",
        evidence=pdf,
    )
    worker.refresh_from_db()
    assert (worker.life_status, worker.life_status_date) == ("deceased", dt.date(2026, 3, 1))
    assert event.evidence.name.startswith("evidence/")
    with event.evidence.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    # nothing more can happen to a deceased worker unless the death is cancelled
    with pytest.raises(FieldErrors) as excinfo:
        life_event_record(
            actor=world.village_operator,
            worker_id=worker.pk,
            kind="moved_out",
            event_date=dt.date(2026, 4, 1),
            reason="Pindah",
        )
    assert excinfo.value.fields["kind"][0]["code"] == "WORKER_DECEASED"
    life_event_cancel(actor=world.regency_admin, event_id=event.pk, reason="Salah orang")
    worker.refresh_from_db()
    assert worker.life_status == "active"
    assert LifeEvent.objects.get(pk=event.pk).cancel_reason == "Salah orang"
    assert Worker.objects.filter(pk=worker.pk).exists()


@pytest.mark.parametrize(
    ("kind", "date", "reason", "field", "code"),
    [
        ("moved_out", dt.date(2030, 1, 1), "x", "event_date", "EVENT_DATE_FUTURE"),
        ("moved_out", dt.date(1970, 1, 1), "x", "event_date", "EVENT_BEFORE_BIRTH"),
        ("moved_out", dt.date(2025, 1, 1), " ", "reason", "EVENT_REASON_REQUIRED"),
    ],
)
def test_event_rules(world, kind, date, reason, field, code):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    with pytest.raises(FieldErrors) as excinfo:
        life_event_record(
            actor=world.village_operator,
            worker_id=worker.pk,
            kind=kind,
            event_date=date,
            reason=reason,
        )
    assert excinfo.value.fields[field][0]["code"] == code
    assert LifeEvent.objects.count() == 0


def test_evidence_must_be_a_document(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    exe = SimpleUploadedFile("akta.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(FieldErrors) as excinfo:
        life_event_record(
            actor=world.village_operator,
            worker_id=worker.pk,
            kind="moved_out",
            event_date=dt.date(2025, 1, 1),
            reason="x",
            evidence=exe,
        )
    assert excinfo.value.fields["evidence"][0]["code"] == "EVIDENCE_TYPE"


def test_heirs_in_priority_order(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    sibling = heir_add(
        actor=world.village_operator,
        worker_id=worker.pk,
        data={"full_name": "Ani", "relationship": "sibling"},
    )
    wife = heir_add(
        actor=world.village_operator,
        worker_id=worker.pk,
        data={
            "full_name": "Sri",
            "relationship": "spouse",
            "nik": "6402065506850001",
            "phone": "0812-1111-2222",
        },
    )
    child = heir_add(
        actor=world.village_operator,
        worker_id=worker.pk,
        data={"full_name": "Dodi", "relationship": "child", "birth_date": "01-07-2012"},
    )
    assert list(worker.heirs.all()) == [wife, child, sibling]
    assert (wife.priority_class, wife.rank, child.rank, sibling.priority_class) == (1, 1, 2, 3)
    assert (wife.phone, child.birth_date) == ("+6281211112222", dt.date(2012, 7, 1))
    heir_update(
        actor=world.village_operator, worker_id=worker.pk, heir_id=child.pk, data={"rank": 1}
    )
    heir_remove(actor=world.village_operator, worker_id=worker.pk, heir_id=sibling.pk)
    assert Heir.objects.get(pk=sibling.pk).is_active is False  # kept, inactive
    actions = list(
        AuditEvent.objects.filter(object_type="registry.worker", object_id=str(worker.pk))
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == [
        "worker.create",
        "worker.heir_add",
        "worker.heir_add",
        "worker.heir_add",
        "worker.heir_update",
        "worker.heir_remove",
    ]


def test_heir_validation(world):
    worker = worker_create(actor=world.village_operator, data=BUDI)
    with pytest.raises(FieldErrors) as excinfo:
        heir_add(
            actor=world.village_operator,
            worker_id=worker.pk,
            data={
                "full_name": "",
                "relationship": "tetangga",
                "nik": "123",
                "birth_date": "31-02-2010",
            },
        )
    assert set(excinfo.value.fields) == {"full_name", "relationship", "nik", "birth_date"}
    with pytest.raises(FieldErrors) as same:
        heir_add(
            actor=world.village_operator,
            worker_id=worker.pk,
            data={"full_name": "Budi", "relationship": "child", "nik": BUDI["nik"]},
        )
    assert same.value.fields["nik"][0]["code"] == "HEIR_IS_WORKER"
    assert Heir.objects.count() == 0


@pytest.mark.parametrize(
    "nik", ["640206120580000", "640206120580000A", "6402 06120580000", "6402061205８00001"[:16]]
)
def test_the_database_itself_refuses_a_nik_that_is_not_16_digits(world, nik):
    """The last line behind validation (PostgreSQL runs it as length + translate, migration
    registry 0011): a write that bypasses the services still cannot store a bad NIK."""
    worker = worker_create(actor=world.village_operator, data=BUDI)
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Worker.objects.filter(pk=worker.pk).update(nik=nik)
    assert Worker.objects.get(pk=worker.pk).nik == "6402061205800001"
    Worker.objects.filter(pk=worker.pk).update(nik="6402061205800009")  # 16 digits: accepted
    assert Worker.objects.get(pk=worker.pk).nik == "6402061205800009"


def test_created_at_defaults_in_the_database(world):
    """An import's COPY leaves created_at/updated_at to the database (migration registry 0011)."""
    worker = worker_create(actor=world.village_operator, data=BUDI)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO registry_worker (nik, kk_number, full_name, name_key, name_phonetic,"
            " birth_place, birth_date, sex, village_id, address, rt, rw, phone, occupation_id,"
            " occupation_text, raw, source, verification_status, verification_notes,"
            " life_status, version)"
            " SELECT '6402061205800002', kk_number, full_name, name_key, name_phonetic,"
            " birth_place, birth_date, sex, village_id, address, rt, rw, phone, occupation_id,"
            " occupation_text, raw, source, verification_status, verification_notes,"
            " life_status, version FROM registry_worker WHERE id = %s",
            [worker.pk],
        )
    copy = Worker.objects.get(nik="6402061205800002")
    assert copy.created_at is not None and copy.updated_at is not None
    assert abs((copy.created_at - worker.created_at).total_seconds()) < 120
