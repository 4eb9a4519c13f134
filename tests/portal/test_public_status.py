"""The public status check of issue 9: no login, the same answer shape for a known and an unknown
NIK, masked name, rate limits per address and per NIK, every check audited without the NIK."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.test import Client

from lindungi.core.models import AuditEvent
from lindungi.enrolment.models import Enrolment
from lindungi.portal.public import nik_key
from lindungi.programmes.services import programme_create

from ..enrolment.conftest import PROGRAMME

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/status"


@pytest.fixture
def fast(settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "PUBLIC_CHECK_MIN_SECONDS": 0}


@pytest.fixture
def covered(kukar):
    worker = kukar.workers[0]
    programme = programme_create(actor=kukar.world.regency_admin, data=PROGRAMME)
    today = dt.date.today()
    Enrolment.objects.create(
        worker=worker, programme=programme, region_code=worker.village_id, status="active",
        benefit_jkk=True, benefit_jkm=True, reported_income=1_000_000,
        start_date=today - dt.timedelta(days=30), end_date=today + dt.timedelta(days=60),
        covered_from=today - dt.timedelta(days=30),
    )  # fmt: skip
    return worker


def _check(client, nik, birth_date, **extra):
    return client.post(URL, {"nik": nik, "birth_date": birth_date},
                       content_type="application/json", **extra)  # fmt: skip


def test_a_protected_worker_and_an_unknown_nik_answer_in_the_same_shape(covered, fast):
    client = Client()
    known = _check(client, covered.nik, covered.birth_date.isoformat())
    assert known.status_code == 200
    body = known.json()
    assert body["protected"] is True
    assert body["name_masked"] == "B*** S******"  # Budi Santoso
    assert body["programme"] == PROGRAMME["name"] and body["funder"] == PROGRAMME["funder_name"]
    assert body["benefits"] == ["JKK", "JKM"]
    assert body["covered_until"] == (dt.date.today() + dt.timedelta(days=60)).isoformat()
    assert covered.nik not in known.content.decode()
    wrong_birth = _check(client, covered.nik, "1999-01-01").json()
    unknown = _check(client, "6402061205809999", "1980-05-12").json()
    assert set(wrong_birth) == set(unknown) == set(body)
    assert wrong_birth == unknown
    assert unknown["protected"] is False and unknown["name_masked"] is None


def test_every_check_is_audited_without_the_nik(covered, fast):
    client = Client()
    _check(client, covered.nik, covered.birth_date.isoformat())
    _check(client, "6402061205809999", "1980-05-12")
    rows = list(AuditEvent.objects.filter(action="public.status_check").order_by("id"))
    assert [r.changes["result"] for r in rows] == ["protected", "not_found"]
    assert rows[0].object_id == nik_key(covered.nik) and rows[0].ip == "127.0.0.1"
    assert all(covered.nik not in json.dumps([r.object_id, r.changes, r.note]) for r in rows)


def test_limits_per_nik_and_per_address(covered, fast, settings):
    client = Client()
    for _ in range(5):
        assert _check(client, covered.nik, "1980-05-12").status_code == 200
    limited = _check(client, covered.nik, "1980-05-12")
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    # Another address may still ask about other NIKs, until its own limit of 10 a minute.
    other = {"REMOTE_ADDR": "10.0.0.7"}
    for serial in range(10):
        nik = f"640206120580{9000 + serial}"
        assert _check(client, nik, "1980-05-12", **other).status_code == 200
    assert _check(client, "6402061205800077", "1980-05-12", **other).status_code == 429
    assert AuditEvent.objects.filter(changes__result="rate_limited").count() == 2


def test_every_answer_takes_at_least_the_configured_time(covered, settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "PUBLIC_CHECK_MIN_SECONDS": 0.2}
    client = Client()
    for nik in (covered.nik, "6402061205809999"):
        started = time.monotonic()
        _check(client, nik, "1980-05-12")
        assert time.monotonic() - started >= 0.2


def test_the_page_needs_no_login(covered, fast):
    client = Client()
    assert client.get("/cek/").status_code == 200
    page = client.post("/cek/", {"nik": covered.nik, "birth_date": covered.birth_date.isoformat()})
    html = page.content.decode()
    assert page.status_code == 200 and "B*** S******" in html and covered.nik not in html
    assert "/cek/" in client.get("/masuk/").content.decode()
