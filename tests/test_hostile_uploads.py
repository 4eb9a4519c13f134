"""Every front door that takes a document — life-event evidence, claim documents, payment
evidence; page and API — refuses a file whose content is not a PDF, JPG or PNG or disagrees with
its name (issue 22): a clear Indonesian message on the page, the door's stable code in the API,
and nothing stored (no row, no file, no audit event)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lindungi.billing.models import Payment
from lindungi.claims.models import ClaimCase, ClaimDocument
from lindungi.core.models import AuditEvent
from lindungi.lifecycle.life_events import life_event_record
from lindungi.registry.models import LifeEvent
from lindungi.registry.services import heir_add

from .billing.helpers import co_funded, enrol_all
from .conftest import client_for
from .core.upload_samples import EXE, HTML, JPEG, PNG, ZIP
from .enrolment.conftest import kukar, programme  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

HOSTILE = [
    pytest.param(EXE, "akta.pdf", "bukan PDF, JPG atau PNG", id="program-named-pdf"),
    pytest.param(HTML, "foto.jpg", "bukan PDF, JPG atau PNG", id="html-named-jpg"),
    pytest.param(ZIP, "scan.png", "bukan PDF, JPG atau PNG", id="zip-named-png"),
    pytest.param(PNG, "ktp.pdf", "berakhiran .pdf", id="picture-named-pdf"),
]


@pytest.fixture
def storage(settings, tmp_path):
    """Uploads land in a folder of their own, so "nothing stored" can be looked at."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


def stored_files(root) -> list[str]:
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


@dataclass
class Door:
    """One way in: how to post a file through it and what a refusal must leave untouched."""

    name: str
    actor: Any
    page_url: str
    page_data: dict[str, Any]
    page_field: str
    api_url: str
    api_data: dict[str, Any]
    api_field: str
    code: str
    rows: Any  # a queryset that stays empty
    action: str  # the audit action a stored upload writes

    def page(self, upload: SimpleUploadedFile) -> list[str]:
        response = client_for(self.actor).post(
            self.page_url, {**self.page_data, self.page_field: upload}
        )
        assert response.status_code == 302
        return [str(m) for m in get_messages(response.wsgi_request)]

    def api(self, upload: SimpleUploadedFile, auth: dict[str, str]) -> Any:
        return Client().post(self.api_url, {**self.api_data, self.api_field: upload}, **auth)


@pytest.fixture
def doors(kukar):  # noqa: F811 - the fixture imported above
    world = kukar.world
    programme = co_funded(  # noqa: F811
        kukar, funders=[{"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 10000}]
    )
    enrol_all(kukar, programme)
    dead, living = kukar.workers[0], kukar.workers[1]
    heir_add(actor=world.village_operator, worker_id=dead.pk,
             data={"full_name": "Putri", "relationship": "child", "birth_date": "2016-02-01"})  # fmt: skip
    life_event_record(actor=world.village_operator, worker_id=dead.pk, kind="deceased",
                      event_date=dt.date(2026, 3, 2), reason="Meninggal")  # fmt: skip
    case = ClaimCase.objects.get(worker=dead)
    funder = programme.funders.get()
    payment = {"funder_id": funder.pk, "paid_on": "2026-01-05", "amount": 50_000, "months": 1,
               "reference": "SP2D-1"}  # fmt: skip
    event = {"kind": "moved_out", "event_date": "2026-02-01", "reason": "Pindah ke Samarinda"}
    return {
        "registry": Door(
            name="registry",
            actor=world.village_operator,
            page_url=f"/pekerja/{living.pk}/peristiwa/",
            page_data={f"ev-{k}": v for k, v in event.items()},
            page_field="ev-evidence",
            api_url=f"/api/v1/workers/{living.pk}/events",
            api_data=event,
            api_field="evidence",
            code="EVIDENCE_TYPE",
            rows=LifeEvent.objects.filter(worker=living),
            action="worker.life_event",
        ),
        "claims": Door(
            name="claims",
            actor=world.village_operator,
            page_url=f"/klaim/{case.pk}/dokumen/",
            page_data={"kind": "kpj"},
            page_field="file",
            api_url=f"/api/v1/claims/{case.pk}/documents",
            api_data={"kind": "kpj"},
            api_field="file",
            code="CLAIM_DOCUMENT_TYPE",
            rows=ClaimDocument.objects.all(),
            action="claim.document",
        ),
        "billing": Door(
            name="billing",
            actor=world.regency_admin,
            page_url=f"/program/{programme.pk}/pembayaran/",
            page_data=payment,
            page_field="evidence",
            api_url=f"/api/v1/programmes/{programme.pk}/payments",
            api_data=payment,
            api_field="evidence",
            code="BILLING_EVIDENCE_TYPE",
            rows=Payment.objects.all(),
            action="billing.payment",
        ),
    }


def _nothing_stored(door: Door, storage, audited_before: int) -> None:
    assert not door.rows.exists()
    assert stored_files(storage) == []
    assert AuditEvent.objects.filter(action=door.action).count() == audited_before


@pytest.mark.parametrize("door_name", ["registry", "claims", "billing"])
@pytest.mark.parametrize(("content", "name", "says"), HOSTILE)
def test_the_page_refuses_and_stores_nothing(doors, storage, door_name, content, name, says):
    door = doors[door_name]
    audited = AuditEvent.objects.filter(action=door.action).count()
    shown = door.page(SimpleUploadedFile(name, content, content_type="application/pdf"))
    assert any(says in message for message in shown), shown
    _nothing_stored(door, storage, audited)


@pytest.mark.parametrize("door_name", ["registry", "claims", "billing"])
@pytest.mark.parametrize(("content", "name", "says"), HOSTILE)
def test_the_api_refuses_with_a_stable_code_and_stores_nothing(
    doors, storage, api_token, door_name, content, name, says
):
    door = doors[door_name]
    audited = AuditEvent.objects.filter(action=door.action).count()
    response = door.api(SimpleUploadedFile(name, content), api_token(door.actor))
    assert response.status_code == 422, response.content
    [error] = response.json()["details"]["fields"][door.api_field]
    assert error["code"] == door.code and says in error["message"]
    _nothing_stored(door, storage, audited)


@pytest.mark.parametrize("door_name", ["registry", "claims", "billing"])
def test_a_real_document_or_picture_is_stored_under_a_safe_name(
    doors, storage, api_token, door_name
):
    door = doors[door_name]
    upload = SimpleUploadedFile("..\\Desktop\\bukti <asli>.JPEG", JPEG)
    response = door.api(upload, api_token(door.actor))
    assert response.status_code == 201, response.content
    [path] = stored_files(storage)
    assert path.endswith(".jpeg") and "<" not in path and "\\" not in path
    with open(path, "rb") as handle:
        assert handle.read() == JPEG
    names = {
        "registry": LifeEvent.objects.exclude(evidence="").values_list("evidence_name", flat=True),
        "claims": ClaimDocument.objects.values_list("file_name", flat=True),
        "billing": Payment.objects.values_list("evidence_name", flat=True),
    }
    assert list(names[door_name]) == ["bukti _asli_.jpeg"]
