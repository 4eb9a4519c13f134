"""Printable reports (issue 9): a PDF of a region's coverage, budget and claims for a month or a
year, queued as a background job; what it says; refusals; scope."""

from __future__ import annotations

import re
import zlib

import pytest
from django.test import Client

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.claims.models import ClaimCase
from lindungi.core.errors import FieldErrors, NotFound
from lindungi.core.models import Job
from lindungi.reporting.printing import report_build, report_request

from ..billing.helpers import co_funded, enrol_all
from ..conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF made by fpdf2 (page streams are zlib-compressed)."""
    assert data.startswith(b"%PDF-")
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            continue
    strings = re.findall(r"\(((?:\\.|[^\\)])*)\)\s*Tj", " ".join(chunks))
    return " ".join(re.sub(r"\\(.)", r"\1", text) for text in strings)


@pytest.fixture
def kukar_month(kukar):
    programme = co_funded(kukar)
    enrol_all(kukar, programme)
    worker = kukar.workers[0]
    ClaimCase.objects.create(
        number="KLM-P-1", worker=worker, region_code=worker.village_id, kind="JKM",
        event_date="2026-03-02", status="paid", paid_on="2026-03-20",
        amount_paid=42_000_000, entitlement=42_000_000, eligible=True,
    )  # fmt: skip
    return programme


def test_a_monthly_report_is_queued_and_says_what_happened(kukar, kukar_month):
    admin = kukar.world.regency_admin
    report = report_request(actor=admin, region_code="64.02", kind="monthly", period="2026-03")
    job = Job.objects.get(pk=report.job_id)
    assert (job.kind, job.status, job.params) == ("reporting.pdf", "queued",
                                                  {"report_id": report.pk})  # fmt: skip
    assert str(report.period) == "2026-03-01"
    result = report_build(report.pk, actor=admin)
    report.refresh_from_db()
    assert result["bytes"] > 1000 and report.file.name.endswith(".pdf")
    with report.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Kutai Kartanegara" in text and "Maret 2026" in text
    assert "Klaim dibayar" in text and "42.000.000" in text
    assert "Keluarga terbantu" in text
    assert kukar_month.name in text


def test_refusals_and_scope(kukar, api_token):
    admin = kukar.world.regency_admin
    with pytest.raises(FieldErrors) as excinfo:
        report_request(actor=admin, region_code="64.02", kind="weekly", period="2026-03")
    assert excinfo.value.fields["kind"][0]["code"] == "REPORT_KIND_INVALID"
    with pytest.raises(FieldErrors):
        report_request(actor=admin, region_code="64.02", kind="monthly", period="Maret")
    with pytest.raises(FieldErrors):
        report_request(actor=admin, region_code="64.02", kind="annual", period="2099")
    with pytest.raises(NotFound):
        report_request(actor=admin, region_code="64.71", kind="monthly", period="2026-03")
    with pytest.raises(NotFound):
        report_request(actor=admin, region_code="", kind="annual", period="2026")
    client = Client()
    made = client.post("/api/v1/reports/printed",
                       {"region_code": "64.02", "kind": "annual", "period": "2026"},
                       content_type="application/json", **api_token(admin))  # fmt: skip
    assert made.status_code == 202 and made.json()["ready"] is False
    status = client.get(f"/api/v1/reports/printed/{made.json()['id']}", **api_token(admin))
    assert status.json()["job_id"] == made.json()["job_id"]
    missing = client.get(f"/api/v1/reports/printed/{made.json()['id']}/file", **api_token(admin))
    assert missing.status_code == 404  # not built yet


# Rows whose count is of people: below 5 they must read "<5" for roles without personal-data
# rights (labels as the PDF writes them; the kukar world has 2 farmers and one paid death claim).
SMALL = re.compile(
    r"(Petani|Nelayan|Ojek / pengemudi|Pedagang / pedagang kaki lima|Klaim tercatat"
    r"|Klaim dibayar|Keluarga terbantu \(klaim kematian dibayar\)) ([1-4])(?!\d)"
)


def _built(client, actor, auth, django_capture_on_commit_callbacks) -> int:
    """Ask for the March 2026 report through the API; its job runs when the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/api/v1/reports/printed",
                           {"region_code": "64.02", "kind": "monthly", "period": "2026-03"},
                           content_type="application/json", **auth)  # fmt: skip
    assert made.status_code == 202, made.content
    assert Job.objects.get(pk=made.json()["job_id"]).status == "succeeded"
    return made.json()["id"]


def _pdf(response) -> str:
    assert response.status_code == 200
    return pdf_text(b"".join(response.streaming_content))


def test_small_groups_follow_whoever_downloads_the_report(
    kukar, kukar_month, api_token, django_capture_on_commit_callbacks
):
    world = kukar.world
    donor = user_create(actor=None, username="csr.kukar", password=PASSWORD, role=Role.DONOR,
                        region_code="64.02")  # fmt: skip
    client = Client()
    admins = _built(client, world.regency_admin, api_token(world.regency_admin),
                    django_capture_on_commit_callbacks)  # fmt: skip
    admin_text = _pdf(client.get(f"/api/v1/reports/printed/{admins}/file",
                                 **api_token(world.regency_admin)))  # fmt: skip
    assert ("Klaim dibayar", "1") in SMALL.findall(admin_text)  # the admin may see them
    for reader in (world.auditor, donor):
        auth = api_token(reader)
        # The admin's report does not exist for them: not in the list, not as status or file.
        page = client_for(reader)
        listed = page.get("/laporan/cetak/").content.decode()
        assert f"/laporan/cetak/{admins}/unduh/" not in listed
        assert page.get(f"/laporan/cetak/{admins}/unduh/").status_code == 404
        assert client.get(f"/api/v1/reports/printed/{admins}", **auth).status_code == 404
        assert client.get(f"/api/v1/reports/printed/{admins}/file", **auth).status_code == 404
        # What they ask for is built for them, small groups hidden.
        theirs = _built(client, reader, auth, django_capture_on_commit_callbacks)
        assert f"/laporan/cetak/{theirs}/unduh/" in page.get("/laporan/cetak/").content.decode()
        for text in (_pdf(page.get(f"/laporan/cetak/{theirs}/unduh/")),
                     _pdf(client.get(f"/api/v1/reports/printed/{theirs}/file", **auth))):  # fmt: skip
            assert SMALL.findall(text) == []
            assert "Klaim dibayar <5" in text and "Petani <5" in text
            assert "Tenggarong 5" in text  # five and more are shown
        # The admin may still read the hidden one.
        assert client.get(f"/api/v1/reports/printed/{theirs}/file",
                          **api_token(world.regency_admin)).status_code == 200  # fmt: skip
