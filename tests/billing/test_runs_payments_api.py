"""Runs, invoices, payments, budgets and reconciliation through services, API and pages: the
partial-month rule, idempotence by constraint, reversal, co-funder rounding, refusals that
change nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from lindungi.billing import partitions
from lindungi.billing.models import (
    ContributionLine,
    ContributionRun,
    DifferenceKind,
    Invoice,
    Payment,
    RunStatus,
)
from lindungi.billing.services import contribution_run, payment_record
from lindungi.core.errors import Conflict, FieldErrors, NotFound
from lindungi.enrolment.models import Enrolment

from ..conftest import client_for
from .helpers import co_funded, enrol_all

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def covered(kukar):
    programme = co_funded(
        kukar,
        funders=[
            {"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 6667},
            {"funder": "CSR", "name": "PT Bara Sejahtera", "share_bp": 3333},
        ],
    )
    enrol_all(kukar, programme)
    return programme


def _run(kukar, programme, period, day):
    return contribution_run(
        actor=kukar.world.regency_admin, programme_id=programme.pk, period=period, today=day
    )


def test_partial_months_idempotence_and_rounding(kukar, covered):
    enrolments = list(Enrolment.objects.filter(programme=covered).order_by("pk"))
    # Cover that starts on 20 January owes January in full; a renewal that starts on
    # 20 January does not (its predecessor, in force on the 1st, owes it).
    Enrolment.objects.filter(pk=enrolments[0].pk).update(covered_from=D(2026, 1, 20))
    Enrolment.objects.filter(pk=enrolments[1].pk).update(
        covered_from=D(2026, 1, 20), renewed_from=enrolments[2]
    )
    # Cover that ended on 31 December is owed nothing in January.
    Enrolment.objects.filter(pk=enrolments[3].pk).update(
        status="ended", covered_from=D(2025, 6, 1), covered_until=D(2025, 12, 31)
    )
    first = _run(kukar, covered, "2026-01", D(2026, 1, 2))
    assert first.created and first.run.lines == 3
    billed = set(ContributionLine.objects.values_list("enrolment_id", flat=True))
    assert billed == {enrolments[0].pk, enrolments[2].pk, enrolments[4].pk}
    invoices = list(first.run.invoices.order_by("-share_bp"))
    assert [i.amount for i in invoices] == [3 * 16_800 - 3 * (16_800 * 3333 // 10000), 3 * 5_599]
    assert sum(i.amount for i in invoices) == first.run.amount == 50_400
    # Again: nothing new, nothing twice — and the database itself refuses a second line.
    again = _run(kukar, covered, "2026-01", D(2026, 1, 3))
    assert (again.created, again.run) == (False, None)
    assert "sudah ditagih" in again.message
    line = ContributionLine.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionLine.objects.create(
            run=line.run, enrolment=line.enrolment, worker=line.worker, period=line.period,
            amount=1,
        )  # fmt: skip
    # A late joiner of the month is billed by a supplementary run.
    Enrolment.objects.filter(pk=enrolments[1].pk).update(renewed_from=None)
    late = _run(kukar, covered, "2026-01", D(2026, 1, 25))
    assert (late.run.sequence, late.run.lines, late.run.due_date) == (2, 1, D(2026, 2, 8))
    # On PostgreSQL the month's lines, first run and supplementary alike, sit in its partition.
    if partitions.partitioned():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tableoid::regclass::text, COUNT(*) FROM billing_contributionline GROUP BY 1"
            )
            assert cursor.fetchall() == [("billing_contributionline_202601", 4)]
    assert ContributionLine.objects.filter(period=D(2026, 1, 1)).count() == 4


def test_a_second_programme_bills_the_same_month_through_its_key(kukar, covered):
    other = co_funded(kukar, funders=[{"funder": "CSR", "name": "PT Lain", "share_bp": 10000}])
    first = _run(kukar, covered, "2026-02", D(2026, 2, 2))
    assert first.run.lines == 5
    # Three workers also had cover under `other` that ended on 28 February: those enrolments
    # owe February too, billed into the month that already holds the first programme's lines.
    for enrolment in Enrolment.objects.filter(programme=covered).order_by("pk")[:3]:
        enrolment.pk = None
        enrolment.programme = other
        enrolment.status = "ended"
        enrolment.covered_until = D(2026, 2, 28)
        enrolment.save()
    second = _run(kukar, other, "2026-02", D(2026, 2, 2))
    assert (second.created, second.run.sequence, second.run.lines) == (True, 1, 3)
    assert ContributionLine.objects.filter(run=second.run).count() == 3
    assert ContributionLine.objects.filter(period=D(2026, 2, 1)).count() == 8
    assert not _run(kukar, other, "2026-02", D(2026, 2, 3)).created


def test_reversal_while_unpaid_and_refusal_once_paid(kukar, covered):
    admin = kukar.world.regency_admin
    run = _run(kukar, covered, "2026-01", D(2026, 1, 2)).run
    response = Client().post(
        f"/api/v1/runs/{run.pk}/reverse", {"note": "tarif salah"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_token(admin)}",
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["status"] == RunStatus.REVERSED
    assert not ContributionLine.objects.exists()
    assert set(run.invoices.values_list("status", flat=True)) == {"void"}
    rerun = _run(kukar, covered, "2026-01", D(2026, 1, 2)).run
    assert (rerun.sequence, rerun.lines) == (2, 5)
    funder = covered.funders.order_by("-share_bp").first()
    payment_record(
        actor=admin, programme_id=covered.pk, today=D(2026, 1, 5),
        data={"funder_id": funder.pk, "paid_on": "2026-01-05", "amount": 1000, "reference": "A1"},
    )  # fmt: skip
    response = Client().post(
        f"/api/v1/runs/{rerun.pk}/reverse", {"note": "x"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_token(admin)}",
    )  # fmt: skip
    assert response.status_code == 409 and response.json()["code"] == "BILLING_RUN_PAID"
    assert ContributionLine.objects.filter(run=rerun).count() == 5


def _token(user):
    from lindungi.accounts.services import token_issue

    return token_issue(user=user, name="t")[1]


def test_payment_refusals_change_nothing(kukar, covered):
    admin = kukar.world.regency_admin
    funder = covered.funders.first()
    _run(kukar, covered, "2026-01", D(2026, 1, 2))
    base = {"funder_id": funder.pk, "paid_on": "2026-01-05", "amount": 50_000, "reference": "R1"}
    with pytest.raises(FieldErrors) as excinfo:
        payment_record(
            actor=admin, programme_id=covered.pk, today=D(2026, 1, 5),
            data={**base, "paid_on": "2026-02-01", "amount": "lima puluh", "months": 5,
                  "reference": " "},
        )  # fmt: skip
    assert set(excinfo.value.fields) == {"paid_on", "amount", "months", "reference"}
    with pytest.raises(FieldErrors) as excinfo:
        payment_record(
            actor=admin, programme_id=covered.pk, today=D(2026, 1, 5), data=base,
            evidence=io.BytesIO(b"MZ..."), evidence_name="bukti.exe",
        )  # fmt: skip
    assert excinfo.value.fields["evidence"][0]["code"] == "BILLING_EVIDENCE_TYPE"
    assert not Payment.objects.exists()
    payment_record(
        actor=admin, programme_id=covered.pk, today=D(2026, 1, 5), data=base,
        evidence=io.BytesIO(b"%PDF-1.4 bukti"), evidence_name="sp2d.pdf",
    )  # fmt: skip
    with pytest.raises(Conflict):
        payment_record(actor=admin, programme_id=covered.pk, today=D(2026, 1, 5), data=base)
    assert Payment.objects.count() == 1
    # Another regency's admin cannot touch the programme at all.
    with pytest.raises(NotFound) as excinfo:
        payment_record(
            actor=kukar.world.balikpapan_admin, programme_id=covered.pk, data={**base, "reference": "X"}
        )  # fmt: skip
    assert getattr(excinfo.value, "status", None) == 404
    page = client_for(admin).get(f"/program/{covered.pk}/keuangan/")
    assert page.status_code == 200 and 'data-testid="invoice-table"' in page.content.decode()
    evidence = client_for(admin).get(f"/pembayaran/{Payment.objects.get().pk}/bukti/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")


def test_api_finance_runs_payments_budgets(kukar, covered, api_token):
    admin = kukar.world.regency_admin
    auth = api_token(admin)
    client = Client()
    created = client.post(
        f"/api/v1/programmes/{covered.pk}/runs", {"period": "2026-01"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["run"]["amount"] == 84_000
    repeat = client.post(
        f"/api/v1/programmes/{covered.pk}/runs", {"period": "2026-01"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert repeat.status_code == 200 and repeat.json()["created"] is False
    bad = client.post(
        f"/api/v1/programmes/{covered.pk}/runs", {"period": "Januari"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["details"]["fields"]["period"][0]["code"] == "BILLING_PERIOD_INVALID"
    funder = covered.funders.order_by("-share_bp").first()
    paid = client.post(
        f"/api/v1/programmes/{covered.pk}/payments",
        {"funder_id": funder.pk, "paid_on": "2026-01-10", "amount": 56_005, "months": 1,
         "reference": "SP2D-7", "evidence": _upload("%PDF-1.4", "sp2d.pdf")},
        **auth,
    )  # fmt: skip
    assert paid.status_code == 201, paid.content
    assert (paid.json()["allocated"], paid.json()["credit"], paid.json()["has_evidence"]) == (
        56_005, 0, True
    )  # fmt: skip
    invoices = client.get(f"/api/v1/invoices?programme_id={covered.pk}", **auth).json()
    assert {i["status"] for i in invoices} == {"paid", "open"}
    lines = client.get(f"/api/v1/invoices/{invoices[0]['id']}/lines", **auth).json()
    assert len(lines) == 5 and lines[0]["nik_masked"].count("*") == 10
    enrolments = [line["enrolment_id"] for line in lines]
    assert enrolments == sorted(enrolments)
    url = f"/api/v1/invoices/{invoices[0]['id']}/lines?after_id={enrolments[1]}&limit=2"
    assert [line["enrolment_id"] for line in client.get(url, **auth).json()] == enrolments[2:4]
    budget = client.post(
        f"/api/v1/programmes/{covered.pk}/budgets",
        {"funder_id": funder.pk, "kind": "revision", "amount": 2_000_000,
         "effective_on": "2026-07-01", "legal_basis": "APBD-P 2026"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert budget.status_code == 201
    finance = client.get(f"/api/v1/programmes/{covered.pk}/finance?date=2026-01-15", **auth).json()
    assert finance["invoiced"] == 84_000 and finance["paid"] == 56_005
    assert finance["funders"][0]["appropriated"] == 2_000_000
    outsider = client.get(
        f"/api/v1/programmes/{covered.pk}/finance", **api_token(kukar.world.balikpapan_admin)
    )
    assert outsider.status_code == 404


def test_statement_reconciliation_worker_by_worker(kukar, covered):
    admin = kukar.world.regency_admin
    _run(kukar, covered, "2026-01", D(2026, 1, 2))
    w = kukar.workers
    text = (
        "TAGIHAN IURAN BPU JANUARI 2026\n\nNO;NIK;NAMA;KPJ;IURAN\n"
        f"1;{w[0].nik};{w[0].full_name};26000000000;16.800\n"
        f"2;{w[1].nik};{w[1].full_name};26000000001;Rp 18.000\n"
        "3;6402061205809999;Orang Lain;;16800\n"
        f"4;{w[2].nik};{w[2].full_name};;abc\n"
        f"5;{w[3].nik};{w[3].full_name};;16800\n"
        ";JUMLAH;;;68.400\n"
    )
    response = client_for(admin).post(
        f"/program/{covered.pk}/rekonsiliasi/",
        {"period": "2026-01", "file": _upload(text)},
    )
    assert response.status_code == 302
    statement = covered.statements.get()
    assert (statement.rows, statement.matched, statement.skipped) == (6, 2, 1)
    kinds = sorted(statement.items.values_list("kind", "row"), key=str)
    assert kinds == sorted(
        [(DifferenceKind.AMOUNT, 5), (DifferenceKind.NOT_INVOICED, 6),
         (DifferenceKind.INVALID, 7), (DifferenceKind.NOT_BILLED, None)],
        key=str,
    )  # fmt: skip
    amount = statement.items.get(kind=DifferenceKind.AMOUNT)
    assert (amount.billed, amount.expected, amount.nik_masked) == (
        18_000,
        16_800,
        "6402**********02",
    )
    page = client_for(admin).get(f"/rekonsiliasi/{statement.pk}/")
    assert w[1].nik not in page.content.decode() and "6402**********02" in page.content.decode()
    assert Invoice.objects.filter(status="open").count() == 2  # a statement changes no invoice
    assert ContributionRun.objects.count() == 1


def _upload(text, name="tagihan.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"))
