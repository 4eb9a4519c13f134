"""Reference data and the API of programmes and enrolment (through the same services)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client

from lindungi.core.models import AuditEvent
from lindungi.enrolment.models import Enrolment
from lindungi.programmes.models import ContributionRate, Programme
from lindungi.programmes.selectors import contribution_quote
from lindungi.programmes.services import rate_version_create

from .conftest import PROGRAMME

pytestmark = pytest.mark.django_db


def test_contribution_rate_api_gives_the_standard_package(world, api_token):
    response = Client().get(
        "/api/v1/rates/contribution",
        {"reported_income": 1_000_000, "funder": "APBD_KABKOTA", "date": "2026-06-01"},
        **api_token(world.regency_admin),
    )
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("jkk", "jkm", "jht", "total")} == {
        "jkk": 10000,
        "jkm": 6800,
        "jht": 0,
        "total": 16800,
    }
    assert "PP 44/2015" in body["legal_basis"] and body["discount"] == ""


def test_the_pp_50_2025_discount_spares_public_budgets_only():
    day = dt.date(2026, 6, 1)
    self_paid = contribution_quote(
        reported_income=1_000_000, funder="MANDIRI", on=day, occupation="ojek_pengemudi"
    )
    assert (self_paid.jkk, self_paid.jkm, self_paid.total) == (5000, 3400, 8400)
    regency = contribution_quote(
        reported_income=1_000_000, funder="APBD_KABKOTA", on=day, occupation="ojek_pengemudi"
    )
    assert regency.total == 16800
    after = contribution_quote(
        reported_income=1_000_000,
        funder="MANDIRI",
        on=dt.date(2027, 4, 1),
        occupation="ojek_pengemudi",
    )
    assert after.total == 16800
    # Income above the lowest band: JKK is 1% of it; JHT on request. (From April to December
    # 2026 every sector's JKK/JKM is halved for CSR: tests/programmes/test_selectors_rates.py.)
    higher = contribution_quote(
        reported_income=2_500_000,
        funder="CSR",
        on=dt.date(2027, 4, 1),
        benefits=["JKK", "JKM", "JHT"],
    )
    assert (higher.jkk, higher.jkm, higher.jht) == (25000, 6800, 50000)


def test_bad_rate_query_is_a_clear_422(world, api_token):
    response = Client().get(
        "/api/v1/rates/contribution",
        {"reported_income": 0, "funder": "APBN"},
        **api_token(world.regency_admin),
    )
    assert response.status_code == 422
    fields = response.json()["details"]["fields"]
    assert fields["funder"][0]["code"] == "RATE_FUNDER_INVALID"
    assert fields["reported_income"][0]["code"] == "RATE_INCOME_INVALID"


def test_a_new_rate_version_closes_the_old_one_and_applies_from_its_date(world):
    rate_version_create(
        actor=world.superadmin,
        data={
            "benefit": "JKM",
            "kind": "flat",
            "amount": 7500,
            "valid_from": dt.date(2027, 1, 1),
            "legal_basis": "PP 99/2026 (uji)",
        },
    )
    old = ContributionRate.objects.get(benefit="JKM", valid_from=dt.date(2015, 7, 1))
    assert old.valid_to == dt.date(2026, 12, 31)
    assert (
        contribution_quote(reported_income=1, funder="APBDES", on=dt.date(2026, 12, 31)).jkm == 6800
    )
    assert (
        contribution_quote(reported_income=1, funder="APBDES", on=dt.date(2027, 1, 1)).jkm == 7500
    )


def test_only_the_superadmin_edits_rates(world, api_token):
    response = Client().post(
        "/api/v1/rates",
        {
            "benefit": "JKM",
            "kind": "flat",
            "amount": 1,
            "valid_from": "2030-01-01",
            "legal_basis": "x",
        },
        content_type="application/json",
        **api_token(world.regency_admin),
    )
    assert response.status_code == 403
    assert ContributionRate.objects.count() == 3


def _body(**extra):
    data = {**PROGRAMME, **extra}
    data["start_date"] = data["start_date"].isoformat()
    data["end_date"] = data["end_date"].isoformat()
    return data


def test_programme_api_validates_and_writes_nothing_on_error(world, api_token):
    auth = api_token(world.regency_admin)
    bad = Client().post(
        "/api/v1/programmes",
        _body(
            targets=[{"region_code": "64.71.01"}],
            funders=[
                {"funder": "APBD_PROVINSI", "name": "Pemprov", "share_bp": 4000},
                {"funder": "APBD_KABKOTA", "name": "Pemkab", "share_bp": 5000},
            ],
        ),
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422
    codes = {e["code"] for errors in bad.json()["details"]["fields"].values() for e in errors}
    assert codes == {"PROGRAMME_TARGET_OUTSIDE", "PROGRAMME_SHARES_INVALID"}
    assert Programme.objects.count() == 0

    good = Client().post(
        "/api/v1/programmes",
        _body(
            funders=[
                {"funder": "APBD_PROVINSI", "name": "Pemprov Kaltim", "share_bp": 4000},
                {"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 6000},
            ]
        ),
        content_type="application/json",
        **auth,
    )
    assert good.status_code == 201, good.content
    body = good.json()
    assert body["monthly_contribution"] == 16800 and body["region_code"] == "64.02"
    assert [f["share_bp"] for f in body["funders"]] == [6000, 4000]
    # Balikpapan's admin does not see it; a province admin above does.
    other = Client().get(f"/api/v1/programmes/{body['id']}", **api_token(world.balikpapan_admin))
    assert other.status_code == 404
    above = Client().get(f"/api/v1/programmes/{body['id']}", **api_token(world.province_admin))
    assert above.status_code == 200 and above.json()["can_manage"] is True


def test_batch_through_the_api_with_file_and_answer(
    kukar, programme, api_token, django_capture_on_commit_callbacks
):
    admin = api_token(kukar.world.regency_admin)
    bpjs = api_token(kukar.world.bpjs_officer)
    client = Client()
    preview = client.post(
        f"/api/v1/programmes/{programme.pk}/eligibility",
        {"start_date": "2026-01-01", "limit": 3},
        content_type="application/json",
        **admin,
    )
    assert preview.json()["proposed"] == 3 and preview.json()["eligible"] == 5
    created = client.post(
        f"/api/v1/programmes/{programme.pk}/batches",
        {"start_date": "2026-01-01", "occupations": ["petani"]},
        content_type="application/json",
        **admin,
    )
    assert created.status_code == 201
    batch = created.json()
    assert batch["counts"]["draft"] == 2
    # BPJS may not create or submit batches.
    refused = client.post(f"/api/v1/batches/{batch['id']}/submit", **bpjs)
    assert refused.status_code == 403
    assert (
        client.post(f"/api/v1/batches/{batch['id']}/submit", **admin).json()["status"]
        == "submitted"
    )
    download = client.get(f"/api/v1/batches/{batch['id']}/file?format=xlsx", **bpjs)
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(
        action="enrolment.batch_export", actor=kukar.world.bpjs_officer
    ).exists()

    niks = list(
        Enrolment.objects.filter(batch_id=batch["id"]).values_list("worker__nik", flat=True)
    )
    content = "NIK;KPJ;STATUS;ALASAN\n" + "\n".join(
        f"{nik};2600000000{i};DITERIMA;" for i, nik in enumerate(niks)
    )
    upload = io.BytesIO(content.encode())
    upload.name = "jawaban.csv"
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(f"/api/v1/batches/{batch['id']}/returns", {"file": upload}, **bpjs)
    assert answered.status_code == 202
    result = client.get(f"/api/v1/returns/{answered.json()['id']}", **bpjs).json()
    assert (result["status"], result["accepted"], result["activated"]) == ("done", 2, 2)
    worker_id = Enrolment.objects.filter(batch_id=batch["id"]).first().worker_id
    cover = client.get(f"/api/v1/workers/{worker_id}/cover", **admin).json()
    assert cover["active"] is True and cover["periods"][0]["kpj"].startswith("2600000000")
