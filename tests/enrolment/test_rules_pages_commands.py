"""Quotas and priorities, donors' view, merges and double cover, pages and commands."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.core.errors import Conflict, DomainError, FieldErrors
from lindungi.dedup.services import worker_merge
from lindungi.enrolment.models import Enrolment, EnrolmentBatch
from lindungi.enrolment.services import batch_create
from lindungi.programmes.models import Programme
from lindungi.programmes.selectors import programme_list
from lindungi.programmes.services import programme_create, programme_update

from ..conftest import PASSWORD, client_for
from .conftest import PROGRAMME
from .test_enrolment_path import _enrolled

pytestmark = pytest.mark.django_db


def test_quota_and_priority_decide_who_is_proposed(kukar):
    admin = kukar.world.regency_admin
    programme = programme_create(
        actor=admin,
        data={
            **PROGRAMME,
            "priority_occupations": ["nelayan", "ojek_pengemudi"],
            "targets": [{"region_code": "64.02.06", "quota": 3}],
        },
    )
    batch = batch_create(actor=admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1))
    chosen = set(
        Enrolment.objects.filter(batch=batch).values_list("worker__occupation_id", flat=True)
    )
    assert Enrolment.objects.filter(batch=batch).count() == 3
    assert {"nelayan", "ojek_pengemudi"} <= chosen  # priority occupations first
    # The quota is used up: a second batch has nobody left to propose.
    EnrolmentBatch.objects.filter(pk=batch.pk).update(status="submitted")
    with pytest.raises(DomainError) as excinfo:
        batch_create(actor=admin, programme_id=programme.pk, start_date=dt.date(2026, 1, 1))
    assert excinfo.value.code == "ENROL_NOBODY_ELIGIBLE"


def test_a_donor_sees_only_the_programmes_it_funds(kukar, programme):
    donor = user_create(
        actor=None, username="csr.bankaltim", password=PASSWORD, role=Role.DONOR, region_code=None
    )
    funded = programme_create(
        actor=kukar.world.regency_admin,
        data={
            **PROGRAMME,
            "name": "GN Lingkaran Bank Kaltim 2026",
            "funder": "CSR",
            "funder_name": "PT Bank Kaltim",
            "funders": [
                {
                    "funder": "CSR",
                    "name": "PT Bank Kaltim",
                    "share_bp": 10000,
                    "account": donor.username,
                }
            ],
        },
    )
    assert list(programme_list(actor=donor)) == [funded]
    assert set(programme_list(actor=kukar.world.auditor)) == {programme, funded}


def test_rules_are_locked_once_enrolments_went_to_bpjs(kukar, programme):
    _enrolled(kukar, programme)
    with pytest.raises(FieldErrors) as excinfo:
        programme_update(
            actor=kukar.world.regency_admin,
            programme_id=programme.pk,
            data={"end_date": dt.date(2026, 6, 30)},
        )
    assert "PROGRAMME_RULES_LOCKED" in json.dumps(excinfo.value.details)
    # quotas and names may still change
    programme_update(
        actor=kukar.world.regency_admin, programme_id=programme.pk, data={"name": "Nama baru"}
    )
    assert Programme.objects.get(pk=programme.pk).end_date == dt.date(2026, 12, 31)


def test_a_merge_that_would_create_double_cover_is_refused(kukar, programme):
    _enrolled(kukar, programme)
    a, b = kukar.workers[0], kukar.workers[1]
    with pytest.raises(Conflict) as excinfo:
        worker_merge(actor=kukar.world.regency_admin, survivor_id=a.pk, merged_id=b.pk)
    assert excinfo.value.code == "ENROL_MERGE_DOUBLE_COVER"
    b.refresh_from_db()
    assert b.merged_into_id is None


def test_programme_page_form_shows_errors_and_writes_nothing(kukar):
    client = client_for(kukar.world.regency_admin)
    data = {
        "name": "Program Uji",
        "funder": "APBD_KABKOTA",
        "funder_name": "Pemkab Kukar",
        "legal_basis": "Perbup 1/2026",
        "budget_year": "2026",
        "reported_income": "1000000",
        "bpjs_group": "SG",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "min_age": "15",
        "max_age": "65",
        "benefit_jkk": "on",
        "benefit_jkm": "on",
        "verification_required": "on",
        "targets": "64.71.01 100",
    }
    response = client.post("/program/baru/", data)
    assert response.status_code == 200
    assert "tidak berada di dalam wilayah program" in response.content.decode()
    assert Programme.objects.count() == 0
    response = client.post("/program/baru/", {**data, "targets": "64.02.06 100"})
    programme = Programme.objects.get()
    assert response.url == f"/program/{programme.pk}/"
    assert programme.targets.get().quota == 100
    page = client.get(f"/program/{programme.pk}/kelayakan/?start_date=2026-01-01").content.decode()
    assert 'data-testid="proposed">5<' in page


def test_batch_pages_remove_add_and_end(kukar, programme):
    admin = kukar.world.regency_admin
    client = client_for(admin)
    client.post(f"/program/{programme.pk}/batch/baru/", {"start_date": "2026-01-01", "limit": "4"})
    batch = EnrolmentBatch.objects.get()
    enrolments = list(Enrolment.objects.filter(batch=batch).order_by("id"))
    assert len(enrolments) == 4
    client.post(f"/batch/{batch.pk}/keluarkan/{enrolments[0].pk}/", {"note": "tidak bersedia"})
    assert Enrolment.objects.get(pk=enrolments[0].pk).status == "cancelled"
    missing = next(w for w in kukar.workers if w.pk not in {e.worker_id for e in enrolments})
    response = client.post(f"/batch/{batch.pk}/tambah/", {"nik": kukar.young.nik}, follow=True)
    assert "Usia di luar batas" in response.content.decode()
    client.post(f"/batch/{batch.pk}/tambah/", {"nik": missing.nik})
    assert Enrolment.objects.filter(batch=batch, worker=missing, status="draft").exists()
    page = client.get(f"/batch/{batch.pk}/").content.decode()
    assert "Loa Ipuh" in page and missing.nik not in page  # NIKs are masked


def test_commands_create_export_and_apply_an_answer(kukar, programme, tmp_path):
    out = io.StringIO()
    target = tmp_path / "batch.csv"
    call_command(
        "enrolment_batch", str(programme.pk), "--start", "2026-01-01", "--submit",
        "--export", str(target), stdout=out,
    )  # fmt: skip
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["submitted"] == 5
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 6
    answer = tmp_path / "jawaban.csv"
    niks = [line.split(";")[1] for line in rows[1:]]
    answer.write_text(
        "NIK;KPJ;STATUS\n" + "\n".join(f"{n};2600000{i:04d};DITERIMA" for i, n in enumerate(niks))
    )
    out = io.StringIO()
    call_command("bpjs_return", str(result["batch_id"]), str(answer), stdout=out)
    applied = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (applied["accepted"], applied["activated"]) == (5, 5)
    out = io.StringIO()
    call_command("enrolment_sweep", "--date", "2027-01-01", stdout=out)
    assert json.loads(out.getvalue())["ended"] == 5


def test_a_start_date_that_is_not_a_date_is_refused_with_a_message(kukar, programme):
    client = client_for(kukar.world.regency_admin)
    response = client.post(
        f"/program/{programme.pk}/batch/baru/", {"start_date": "31-02-2026"}, follow=True
    )
    assert "Tanggal mulai “31-02-2026” tidak valid" in response.content.decode()
    assert EnrolmentBatch.objects.count() == 0
    preview = client.get(f"/program/{programme.pk}/kelayakan/", {"start_date": "kemarin"})
    assert "Tanggal mulai “kemarin” tidak valid" in preview.content.decode()
