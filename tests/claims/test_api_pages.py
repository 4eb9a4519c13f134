"""Claims through the API and the pages (the same services): open, heir, documents, status to
paid, the worklist, holidays; refusals change nothing and carry stable codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindungi.claims.models import ClaimCase, ClaimDocument, Holiday
from lindungi.core.audit import AuditEvent
from lindungi.lifecycle.life_events import life_event_record
from lindungi.registry.services import heir_add

from ..billing.helpers import co_funded, enrol_all
from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def death(kukar):
    programme = co_funded(
        kukar, funders=[{"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 10000}]
    )
    enrol_all(kukar, programme)
    worker = kukar.workers[0]
    child = heir_add(actor=kukar.world.village_operator, worker_id=worker.pk,
                     data={"full_name": "Putri", "relationship": "child",
                           "birth_date": "2016-02-01"})  # fmt: skip
    life_event_record(actor=kukar.world.village_operator, worker_id=worker.pk, kind="deceased",
                      event_date=dt.date(2026, 3, 2), reason="Meninggal")  # fmt: skip
    return ClaimCase.objects.get(worker=worker), child


def test_the_api_takes_a_claim_to_paid(kukar, death, api_token):
    case, child = death
    operator = api_token(kukar.world.village_operator)
    admin = api_token(kukar.world.regency_admin)
    client = Client()
    listed = client.get("/api/v1/claims", **operator).json()
    assert [c["number"] for c in listed] == [case.number]
    assert listed[0]["nik_masked"].count("*") == 10 and listed[0]["entitlement"] == 42_000_000
    body = client.get(f"/api/v1/claims/{case.pk}", **operator).json()
    assert body["eligible"] and body["heirs"][0]["id"] == child.pk
    assert [i["kind"] for i in body["checklist"]][:2] == ["kpj", "ktp_worker"]
    chosen = client.post(f"/api/v1/claims/{case.pk}/heir", {"heir_id": child.pk},
                         content_type="application/json", **operator)  # fmt: skip
    assert chosen.status_code == 200 and chosen.json()["heir_id"] == child.pk
    # A document that is not a PDF or picture is refused, and nothing is stored.
    refused = client.post(f"/api/v1/claims/{case.pk}/documents",
                          {"kind": "kpj", "file": SimpleUploadedFile("kpj.exe", b"MZ")},
                          **operator)  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["details"]["fields"]["file"][0]["code"] == "CLAIM_DOCUMENT_TYPE"
    assert not ClaimDocument.objects.exists()
    for item in body["checklist"]:
        if item["kind"] == "marriage_book":
            continue
        upload = SimpleUploadedFile(f"{item['kind']}.pdf", b"%PDF-1.4 x")
        response = client.post(f"/api/v1/claims/{case.pk}/documents",
                               {"kind": item["kind"], "file": upload}, **operator)  # fmt: skip
        assert response.status_code == 201, response.content
    body = response.json()
    assert all(i["present"] for i in body["checklist"])
    document = body["checklist"][0]["document_id"]
    download = client.get(f"/api/v1/claims/{case.pk}/documents/{document}", **operator)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 x"
    assert AuditEvent.objects.filter(action="claim.document_view").count() == 1
    # The operator may not submit; the admin may.
    url = f"/api/v1/claims/{case.pk}/status"
    assert client.post(url, {"status": "submitted"}, content_type="application/json",
                       **operator).status_code == 403  # fmt: skip
    steps = [{"status": "submitted", "date": "2026-03-04"},
             {"status": "approved", "date": "2026-03-05", "bpjs_reference": "JKM-9"},
             {"status": "paid", "date": "2026-03-06", "amount_paid": 42_000_000}]  # fmt: skip
    for step in steps:
        response = client.post(url, step, content_type="application/json", **admin)
        assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["amount_paid"], body["due_on"]) == ("paid", 42_000_000,
                                                                     "2026-03-09")  # fmt: skip
    assert [t["to_status"] for t in body["transitions"]] == [
        "reported", "submitted", "approved", "paid",
    ]  # fmt: skip
    again = client.post(url, {"status": "submitted"}, content_type="application/json", **admin)
    assert (again.status_code, again.json()["code"]) == (409, "CLAIM_TRANSITION_INVALID")


def test_the_worklist_and_opening_from_it(kukar, death, api_token):
    case, _ = death
    admin = kukar.world.regency_admin
    client = Client()
    auth = api_token(admin)
    client.post(f"/api/v1/claims/{case.pk}/status", {"status": "cancelled", "note": "keliru"},
                content_type="application/json", **auth)  # fmt: skip
    worklist = client.get("/api/v1/claims/worklist", **auth).json()
    assert [w["worker_id"] for w in worklist] == [case.worker_id]
    page = client_for(admin).get("/klaim/belum-diklaim/")
    assert page.status_code == 200 and case.worker.full_name in page.content.decode()
    opened = client_for(admin).post(f"/klaim/belum-diklaim/{worklist[0]['life_event_id']}/buka/")
    assert opened.status_code == 302
    assert ClaimCase.objects.exclude(status="cancelled").get(worker=case.worker).kind == "JKM"
    assert client.get("/api/v1/claims/worklist", **auth).json() == []


def test_opening_by_hand_and_the_pages(kukar, death):
    worker = kukar.workers[1]
    operator = client_for(kukar.world.village_operator)
    form = operator.get(f"/klaim/baru/?worker={worker.pk}")
    assert form.status_code == 200
    refused = operator.post(f"/klaim/baru/?worker={worker.pk}",
                            {"kind": "JKK_TEMPORARY_INCAPACITY", "event_date": "2030-01-01"})  # fmt: skip
    assert refused.status_code == 200 and "masa depan" in refused.content.decode()
    assert not ClaimCase.objects.filter(worker=worker).exists()
    created = operator.post(f"/klaim/baru/?worker={worker.pk}",
                            {"kind": "JKK_TEMPORARY_INCAPACITY", "event_date": "2026-02-10",
                             "incapacity_days": "45"})  # fmt: skip
    case = ClaimCase.objects.get(worker=worker)
    assert created.url == f"/klaim/{case.pk}/"
    assert case.entitlement == 1_500_000  # 45 days at Rp1,000,000 ÷ 30
    assert case.claim_deadline == dt.date(2031, 2, 10)
    detail = operator.get(f"/klaim/{case.pk}/").content.decode()
    assert "1.500.000" in detail or "1,500,000" in detail
    listing = operator.get("/klaim/").content.decode()
    assert case.number in listing and death[0].number in listing


def test_holidays_are_reference_data(kukar, api_token):
    client = Client()
    refused = client.post("/api/v1/holidays", {"date": "2026-03-20", "name": "Idul Fitri"},
                          content_type="application/json", **api_token(kukar.world.regency_admin))  # fmt: skip
    assert refused.status_code == 403
    auth = api_token(kukar.world.superadmin)
    made = client.post("/api/v1/holidays", {"date": "2026-03-20", "name": "Idul Fitri"},
                       content_type="application/json", **auth)  # fmt: skip
    assert made.status_code == 201
    twice = client.post("/api/v1/holidays", {"date": "2026-03-20", "name": "Idul Fitri"},
                        content_type="application/json", **auth)  # fmt: skip
    assert twice.json()["details"]["fields"]["date"][0]["code"] == "CLAIM_HOLIDAY_EXISTS"
    assert [h["name"] for h in client.get("/api/v1/holidays?year=2026", **auth).json()] == [
        "Idul Fitri"
    ]
    # found by the long fuzz run: a year no calendar has answered 500
    absurd = client.get("/api/v1/holidays?year=-4742403", **auth)
    assert (absurd.status_code, absurd.json()["code"]) == (422, "validation_error")
    assert "year" in absurd.json()["details"]["fields"]
    page = client_for(kukar.world.superadmin).get("/hari-libur/")
    assert "Idul Fitri" in page.content.decode()
    holiday = Holiday.objects.get()
    assert client.delete(f"/api/v1/holidays/{holiday.pk}", **auth).status_code == 204
    assert not Holiday.objects.exists()
