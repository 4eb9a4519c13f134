"""A worker an import held as a probable duplicate, read and changed through the API and the
pages (issue 22, finding 8): every operation answers, nothing answers 500.

The held worker is made the way it is made in real life: a CSV uploaded through the import API
holds a second listing of a registered worker (another NIK, the same person) as *perlu
verifikasi* with a candidate pair in the review queue.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindungi.core.models import AuditEvent
from lindungi.dedup.models import CandidatePair
from lindungi.registry.models import LifeEvent, Worker
from lindungi.registry.services import worker_create

from ..conftest import client_for
from ..imports.files import csv_bytes

pytestmark = pytest.mark.django_db

EXISTING = {
    "nik": "6402065205800003",
    "full_name": "Siti Aminah",
    "birth_date": "12-05-1980",
    "sex": "P",
    "village": "Loa Ipuh",
    "phone": "0812 1111 2222",
}
TWIN_NIK = "6402065205800004"  # the same woman, listed again by the village with a slipped digit
ROWS = [
    [
        "1",
        TWIN_NIK,
        "Hj. SITI AMINAH",
        "Tenggarong, 12-05-1980",
        "P",
        "",
        "",
        "Loa Ipuh",
        "0812 1111 2222",
        "Pedagang",
        "",
    ],
    [
        "2",
        "6402061508750002",
        "Joko Widodo",
        "Tenggarong, 15-08-1975",
        "L",
        "",
        "",
        "Loa Ipuh",
        "",
        "Petani",
        "",
    ],
]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def held(world, api_token, django_capture_on_commit_callbacks):
    """The twin, created and held by a CSV uploaded through `POST /api/v1/imports`."""
    existing = worker_create(actor=world.village_operator, data=EXISTING)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/api/v1/imports",
            {
                "region": "64.02.06.1002",
                "file": SimpleUploadedFile("loa-ipuh.csv", csv_bytes(ROWS), "text/csv"),
            },
            **api_token(world.village_operator),
        )
    assert response.status_code == 202
    twin = Worker.objects.get(nik=TWIN_NIK)
    pair = CandidatePair.objects.get()
    assert {pair.worker_a_id, pair.worker_b_id} == {existing.pk, twin.pk}
    assert twin.verification_status == "pending"
    return twin


def _held_note(body):
    notes = [n for n in body["verification_notes"] if n["code"] == "possible_duplicate"]
    assert len(notes) == 1
    return notes[0]


def test_reading_a_held_worker_answers_with_the_reason_in_words(world, api_token, held):
    existing = Worker.objects.get(nik=EXISTING["nik"])
    response = Client().get(f"/api/v1/workers/{held.pk}", **api_token(world.regency_admin))
    assert response.status_code == 200
    body = response.json()
    assert body["verification_status"] == "pending"
    note = _held_note(body)
    assert note["field"] == "full_name"
    assert f"#{existing.pk}" in note["message"]
    assert "data ganda" in note["message"]


def test_verifying_a_held_worker_answers_200_and_saves_once(world, api_token, held):
    client, auth = Client(), api_token(world.regency_admin)
    response = client.post(
        f"/api/v1/workers/{held.pk}/verify",
        {"version": held.version},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    assert response.json()["verification_status"] == "verified"
    assert response.json()["version"] == held.version + 1
    held.refresh_from_db()
    assert held.verification_status == "verified"
    assert AuditEvent.objects.filter(action="worker.verify", object_id=str(held.pk)).count() == 1


def test_rejecting_and_editing_a_held_worker_answer(world, api_token, held):
    client = Client()
    edited = client.patch(
        f"/api/v1/workers/{held.pk}",
        {"version": held.version, "address": "Jl. Danau Lipan 3"},
        content_type="application/json",
        **api_token(world.village_operator),
    )
    assert edited.status_code == 200
    assert _held_note(edited.json())["message"]  # the reason is kept, in words
    rejected = client.post(
        f"/api/v1/workers/{held.pk}/reject",
        {"reason": "Orang yang sama dengan data lama"},
        content_type="application/json",
        **api_token(world.regency_admin),
    )
    assert rejected.status_code == 200
    assert rejected.json()["verification_status"] == "rejected"


def test_a_held_worker_is_listed_and_found(world, api_token, held):
    client, auth = Client(), api_token(world.regency_admin)
    listed = client.get("/api/v1/workers", {"verification_status": "pending"}, **auth)
    assert listed.status_code == 200
    assert held.pk in {i["id"] for i in listed.json()["items"]}


def test_pages_show_a_held_worker_with_the_reason(world, held):
    existing = Worker.objects.get(nik=EXISTING["nik"])
    admin = client_for(world.regency_admin)
    detail = admin.get(f"/pekerja/{held.pk}/")
    assert detail.status_code == 200
    assert f"#{existing.pk}" in detail.content.decode()
    queue = admin.get("/verifikasi/")
    assert queue.status_code == 200
    assert f"#{existing.pk}" in queue.content.decode()


def test_a_life_event_through_the_api_keeps_its_evidence(world, api_token, held):
    client, auth = Client(), api_token(world.village_operator)
    response = client.post(
        f"/api/v1/workers/{held.pk}/events",
        {
            "kind": "moved_out",
            "event_date": "2026-03-01",
            "reason": "Pindah ke Samarinda",
            "evidence": SimpleUploadedFile("surat-pindah.pdf", PDF, "application/pdf"),
        },
        **auth,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["has_evidence"] is True
    event = LifeEvent.objects.get(pk=body["id"])
    assert event.evidence_name == "surat-pindah.pdf"
    with event.evidence.open("rb") as handle:
        assert handle.read() == PDF
    download = client.get(f"/api/v1/workers/{held.pk}/events/{event.pk}/evidence", **auth)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    recorded = AuditEvent.objects.get(action="worker.life_event", object_id=str(held.pk))
    assert recorded.changes["event"][1]["evidence"] is True
    assert recorded.changes["evidence"] == [None, "surat-pindah.pdf"]
    # the file's name may name someone: an auditor sees that evidence came, not its name
    log = client_for(world.auditor).get("/audit/", {"action": "worker.life_event"})
    assert log.status_code == 200
    assert "worker.life_event" in log.content.decode()
    assert "surat-pindah" not in log.content.decode()
    admin_log = client_for(world.regency_admin).get("/audit/", {"action": "worker.life_event"})
    assert "surat-pindah" in admin_log.content.decode()  # what the auditor is not shown


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bukti.exe", b"MZ\x90\x00binary", "EVIDENCE_TYPE"),
        ("bukti.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "EVIDENCE_TOO_LARGE"),
    ],
)
def test_a_bad_evidence_file_through_the_api_changes_nothing(
    world, api_token, held, name, content, code
):
    client, auth = Client(), api_token(world.village_operator)
    audits, version = AuditEvent.objects.count(), held.version
    response = client.post(
        f"/api/v1/workers/{held.pk}/events",
        {
            "kind": "moved_out",
            "event_date": "2026-03-01",
            "reason": "Pindah ke Samarinda",
            "evidence": SimpleUploadedFile(name, content),
        },
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["details"]["fields"]["evidence"][0]["code"] == code
    assert not LifeEvent.objects.exists()
    held.refresh_from_db()
    assert (held.life_status, held.version) == ("active", version)
    assert AuditEvent.objects.count() == audits


def test_a_note_stored_by_an_earlier_upload_is_answered_with_its_message(world, api_token, held):
    """Uploads before the fix stored the hold as a code and an argument, without a message:
    such rows are in the databases already, and are read like the new ones."""
    existing = Worker.objects.get(nik=EXISTING["nik"])
    Worker.objects.filter(pk=held.pk).update(
        verification_notes=[
            {"field": "full_name", "code": "possible_duplicate", "arg": f"{existing.pk}:0.97"}
        ]
    )
    response = Client().get(f"/api/v1/workers/{held.pk}", **api_token(world.regency_admin))
    assert response.status_code == 200
    assert response.json()["verification_notes"] == [
        {
            "field": "full_name",
            "code": "possible_duplicate",
            "message": f"Kemungkinan orang yang sama dengan pekerja terdaftar #{existing.pk} "
            "(kemiripan 97%); tinjau pasangan ini di antrean data ganda sebelum memverifikasi.",
        }
    ]


def test_every_read_of_a_merged_pair_answers(world, api_token, held):
    """Merged from the review queue: the tombstone and the record kept are read through every
    GET operation; writes on the tombstone answer 409 with the record kept, not 500."""
    from lindungi.dedup.services import pair_decide

    existing = Worker.objects.get(nik=EXISTING["nik"])
    pair_decide(
        actor=world.regency_admin,
        pair_id=CandidatePair.objects.get().pk,
        decision="same",
        survivor_id=existing.pk,
    )
    client, auth = Client(), api_token(world.regency_admin)
    for worker_id in (held.pk, existing.pk):
        for suffix in ("", "/history", "/events", "/heirs"):
            response = client.get(f"/api/v1/workers/{worker_id}{suffix}", **auth)
            assert response.status_code == 200, (worker_id, suffix, response.content)
    tombstone = client.get(f"/api/v1/workers/{held.pk}", **auth).json()
    assert tombstone["merged_into"] == existing.pk
    for path, payload in (
        ("verify", {}),
        ("reject", {"reason": "ganda"}),
    ):
        refused = client.post(
            f"/api/v1/workers/{held.pk}/{path}", payload, content_type="application/json", **auth
        )
        assert refused.status_code == 409
        assert refused.json()["code"] == "WORKER_MERGED"
        assert refused.json()["details"] == {"worker_id": existing.pk}
    event = client.post(
        f"/api/v1/workers/{held.pk}/events",
        {"kind": "moved_out", "event_date": "2026-03-01", "reason": "Pindah"},
        **api_token(world.village_operator),
    )
    assert event.status_code == 409
    assert not LifeEvent.objects.exists()
    admin = client_for(world.regency_admin)
    assert admin.get(f"/pekerja/{held.pk}/").status_code == 200
    assert admin.get(f"/pekerja/{existing.pk}/").status_code == 200


def test_no_api_operation_reads_a_file_from_the_query_string():
    """The mechanism behind the dropped evidence: django-ninja took `File[…] | None` for a
    query parameter. Every file an operation accepts must come in its multipart body."""
    from lindungi.api import api

    schema = api.get_openapi_schema()
    in_query = [
        (path, method, parameter["name"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if "binary" in str(parameter.get("schema"))
    ]
    assert in_query == []
    events = schema["paths"]["/api/v1/workers/{worker_id}/events"]["post"]["requestBody"]
    assert "evidence" in events["content"]["multipart/form-data"]["schema"]["properties"]


def test_an_unknown_event_kind_through_the_api_is_named_and_changes_nothing(world, api_token, held):
    """The page offers the kinds as choices; the API takes text, so a wrong one must say what
    is wrong (it was answered as a missing reason)."""
    auth = api_token(world.village_operator)  # issuing a token is audited itself
    audits, version = AuditEvent.objects.count(), held.version
    response = Client().post(
        f"/api/v1/workers/{held.pk}/events",
        {"kind": "meninggal", "event_date": "2026-03-01", "reason": "Sakit"},
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["details"]["fields"]["kind"] == [
        {
            "code": "EVENT_KIND_INVALID",
            "message": "Jenis peristiwa “meninggal” tidak dikenal. Gunakan deceased, moved_out, "
            "formal_employee atau withdrawn.",
        }
    ]
    held.refresh_from_db()
    assert (held.life_status, held.version) == ("active", version)
    assert not LifeEvent.objects.exists()
    assert AuditEvent.objects.count() == audits
