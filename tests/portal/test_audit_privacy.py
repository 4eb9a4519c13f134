"""Issue 22, finding 3: the audit log shows personal data only to roles that may see it.

One story in Loa Ipuh is read by three people: a worker is edited (name, address, phone,
income, a NIK digit corrected), heirs are added (a wife and a child), the worker dies in an
accident and the claim is paid with the child's scholarship. The auditor of Kutai Kartanegara
sees that all this happened and the money, never who; the regency admin and the village
operator see the values, and the NIK correction shows which digit changed.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client

from lindungi.accounts.roles import Role
from lindungi.claims.models import ClaimCase
from lindungi.claims.services import (
    checklist,
    claim_advance,
    claim_document_upload,
    claim_heir_choose,
    claim_update,
    scholarship_record,
)
from lindungi.core.models import AuditEvent
from lindungi.lifecycle.life_events import life_event_record
from lindungi.registry.services import heir_add, worker_update, worker_verify

from ..billing.helpers import co_funded, enrol_all
from ..conftest import client_for
from ..enrolment.conftest import NAMES

pytestmark = pytest.mark.django_db

OLD_NIK, NEW_NIK = "6402061205800004", "6402061205801004"  # the serial's first digit was wrong
OLD_KK, NEW_KK = "6402060101090007", "6402060101091007"
# What the worker, the wife and the child are; none of it may reach the auditor.
PERSONAL = [
    "Rahmat Hidayatullah",  # the corrected name (the old one is in NAMES)
    "Jl. Mawar Gg. Melati No. 7",
    "81234567890",  # the phone, however it is written
    "1750000",
    "1.750.000",
    "1980-05-12",  # birth date
    "Tenggarong",  # birth place
    "Sri Wahyuni",
    "85298765432",  # the wife's phone
    "6402064101820002",  # the wife's NIK
    "Putri Hidayat",
    "2015-08-17",  # the child's birth date
    "spouse",
    "Kecelakaan di kebun sawit",  # the death's circumstances (health data)
    "Istri dan anak menyerahkan haknya",  # why the sibling receives the benefit
    OLD_NIK,
    NEW_NIK,
    OLD_KK,
    NEW_KK,
    *NAMES,
]


@pytest.fixture
def story(kukar):
    world = kukar.world
    operator, admin = world.village_operator, world.regency_admin
    programme = co_funded(
        kukar, funders=[{"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 10000}]
    )
    enrol_all(kukar, programme)
    worker = kukar.workers[3]  # Rahmat Hidayat, NIK 6402061205800004, covered since January
    worker = worker_update(
        actor=operator, worker_id=worker.pk, version=worker.version,
        data={"full_name": "Rahmat Hidayatullah", "address": "Jl. Mawar Gg. Melati No. 7",
              "phone": "0812-3456-7890", "reported_income": "1.750.000", "kk_number": OLD_KK},
    )  # fmt: skip
    worker = worker_update(
        actor=operator, worker_id=worker.pk, version=worker.version,
        data={"nik": NEW_NIK, "kk_number": NEW_KK},
    )  # fmt: skip
    worker_verify(actor=admin, worker_id=worker.pk, version=worker.version)
    heir_add(actor=operator, worker_id=worker.pk,
             data={"full_name": "Sri Wahyuni", "relationship": "spouse", "nik": "6402064101820002",
                   "birth_date": "1982-01-01", "phone": "0852-9876-5432"})  # fmt: skip
    child = heir_add(actor=operator, worker_id=worker.pk,
                     data={"full_name": "Putri Hidayat", "relationship": "child",
                           "birth_date": "2015-08-17"})  # fmt: skip
    sibling = heir_add(actor=operator, worker_id=worker.pk,
                       data={"full_name": "Rudi Santoso", "relationship": "sibling"})  # fmt: skip
    life_event_record(actor=operator, worker_id=worker.pk, kind="deceased",
                      event_date=dt.date(2026, 4, 2), reason="Kecelakaan di kebun sawit")  # fmt: skip
    case = ClaimCase.objects.get(worker=worker)
    case = claim_update(actor=operator, case_id=case.pk, data={"kind": "JKK_DEATH"})
    claim_heir_choose(actor=operator, case_id=case.pk, heir_id=sibling.pk,
                      reason="Istri dan anak menyerahkan haknya")  # fmt: skip
    for item in checklist(case):
        claim_document_upload(
            actor=operator, case_id=case.pk, kind=item["kind"],
            file=io.BytesIO(b"%PDF-1.4 " + item["kind"].encode()),
            file_name=f"{item['kind']}-putri-hidayat.pdf",
        )  # fmt: skip
    for status, data in [
        ("submitted", {}),
        ("approved", {}),
        ("paid", {"amount_paid": 70_000_000}),
    ]:
        case = claim_advance(actor=admin, case_id=case.pk, status=status,
                             data={"date": "2026-04-10", **data})  # fmt: skip
    scholarship_record(actor=admin, case_id=case.pk, child_id=child.pk,
                       data={"school_year": 2025, "education_level": "SD"})  # fmt: skip
    worker.refresh_from_db()
    return worker


def audit_pages(client: Client, **params: str) -> str:
    """Every page of the audit log (50 rows each), following the 'older' link to the end."""
    bodies = []
    query = "&".join(f"{k}={v}" for k, v in params.items())
    while True:
        response = client.get(f"/audit/?{query}")
        assert response.status_code == 200
        body = response.content.decode()
        bodies.append(body)
        more = re.search(r'href="\?([^"]*before=\d+[^"]*)"', body)
        if not more:
            return "\n".join(bodies)
        query = more.group(1).replace("&amp;", "&")


def test_the_auditor_sees_what_happened_but_no_personal_data(story, kukar):
    body = audit_pages(client_for(kukar.world.auditor))
    for value in [*PERSONAL, "Rudi Santoso", "putri-hidayat", "6402**", "6402##"]:
        assert value not in body, value
    # The log still answers what happened, when, by whom, and the money.
    for action in ["worker.update", "worker.heir_add", "worker.life_event", "claim.heir",
                   "claim.status", "claim.scholarship"]:  # fmt: skip
        assert f"<code>{action}</code>" in body
    assert "op.loaipuh" in body and "admin.kukar" in body
    assert "<strong>full_name</strong>" in body and "<strong>nik</strong>" in body
    assert "<strong>heir.full_name</strong>" in body
    assert "data pribadi disembunyikan" in body
    assert "70000000" in body  # the amount paid
    assert "1500000" in body  # the scholarship instalment, without whose it is
    assert "deceased" in body and "2026-04-02" in body  # the life status and its date


def test_the_regency_admin_sees_the_values_and_which_nik_digit_was_corrected(story, kukar):
    body = audit_pages(client_for(kukar.world.regency_admin))
    for value in ["Rahmat Hidayatullah", "Jl. Mawar Gg. Melati No. 7", "+6281234567890",
                  "1750000", "Sri Wahyuni", "Putri Hidayat", "Rudi Santoso",
                  "Kecelakaan di kebun sawit", "Istri dan anak menyerahkan haknya"]:  # fmt: skip
        assert value in body, value
    # NIK and KK stay masked, but the corrected place shows its old and new digit.
    assert "<strong>nik</strong>: 6402********0*04 → 6402********1*04" in body
    assert "<strong>kk_number</strong>: 6402********0*07 → 6402********1*07" in body
    for full in [OLD_NIK, NEW_NIK, OLD_KK, NEW_KK, "6402064101820002"]:
        assert full not in body
    assert "data pribadi disembunyikan" not in body


def test_the_village_operator_reads_the_same_in_the_worker_history(story, kukar):
    operator = client_for(kukar.world.village_operator)
    assert operator.get("/audit/").status_code == 403  # no audit-log right at all
    body = operator.get(f"/pekerja/{story.pk}/").content.decode()
    history = body[body.index('data-testid="history"') :]
    for value in ["Rahmat Hidayatullah", "Jl. Mawar Gg. Melati No. 7", "Sri Wahyuni",
                  "Putri Hidayat", "Kecelakaan di kebun sawit"]:  # fmt: skip
        assert value in history, value
    assert "<strong>nik</strong>: 6402********0*04 → 6402********1*04" in history
    assert OLD_NIK not in history and NEW_NIK not in history


def test_the_worker_history_api_shows_which_nik_digit_changed(story, kukar, api_token):
    response = Client().get(
        f"/api/v1/workers/{story.pk}/history", **api_token(kukar.world.village_operator)
    )
    assert response.status_code == 200
    nik_changes = [e["changes"]["nik"] for e in response.json() if "nik" in e["changes"]]
    assert ["6402********0*04", "6402********1*04"] in nik_changes
    assert OLD_NIK not in response.content.decode()


@pytest.mark.parametrize("role", [Role.DONOR, Role.AUDITOR])
def test_roles_without_personal_rights_never_get_the_values_however_they_ask(
    story, kukar, make_user, role
):
    reader = make_user(f"baca.{role}", role, "64.02")
    client = client_for(reader)
    if role == Role.DONOR:
        assert client.get("/audit/").status_code == 403
        return
    before = AuditEvent.objects.count()
    for params in [{"action": "worker."}, {"action": "claim."}, {"kind": "change"}]:
        body = audit_pages(client, **params)
        for value in PERSONAL:
            assert value not in body, (params, value)
    assert AuditEvent.objects.count() == before  # reading the log writes nothing
