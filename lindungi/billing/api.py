"""API of money: a programme's finance summary, monthly contribution runs, invoices and their
line items, payments (with evidence), budgets and revisions, BPJS statement reconciliation,
alerts and the re-enrolment worklist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja import File as FileParam
from ninja.files import UploadedFile

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.privacy import mask_nik
from lindungi.programmes.selectors import programme_get

from .alerts import alert_acknowledge
from .cover import worker_cover
from .models import Alert, Budget, ContributionRun, Invoice, Payment, Statement
from .reconcile import statement_import
from .selectors import (
    alert_list,
    invoice_enrolment_ids,
    invoice_get,
    invoice_lines,
    invoice_list,
    payment_get,
    payment_list,
    programme_finance,
    reenrolment_list,
    run_list,
    statement_differences,
    statement_get,
)
from .services import (
    budget_record,
    contribution_run,
    contribution_run_reverse,
    payment_record,
    payment_void,
)

router = Router(tags=["billing"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class FunderFinanceOut(Schema):
    funder_id: int
    funder: str
    name: str
    share_bp: int
    appropriated: int
    invoiced: int
    paid: int
    outstanding: int
    credit: int
    monthly_cost: int
    committed: int
    remaining: int
    months_funded: int | None
    runout_date: dt.date | None


class BudgetOut(Schema):
    id: int
    funder_id: int
    kind: str
    amount: int
    effective_on: dt.date
    legal_basis: str
    note: str


class FinanceOut(Schema):
    programme_id: int
    on: dt.date
    active_workers: int
    monthly_cost: int | None
    last_billed: dt.date | None
    next_period: dt.date
    months_to_bill: int
    appropriated: int
    invoiced: int
    paid: int
    outstanding: int
    credit: int
    committed: int
    remaining: int
    runout_date: dt.date | None
    funders: list[FunderFinanceOut]
    overdue_invoices: int
    overdue_amount: int
    oldest_unpaid: dt.date | None
    lapse_date: dt.date | None
    workers_in_arrears: int
    budgets: list[BudgetOut]


class RunOut(Schema):
    id: int
    programme_id: int
    period: dt.date
    sequence: int
    status: str
    due_date: dt.date
    lines: int
    amount: int
    jkk: int
    jkm: int
    jht: int
    legal_basis: str


class RunIn(Schema):
    period: str  # "2026-01"


class RunOutcomeOut(Schema):
    created: bool
    message: str
    run: RunOut | None


class NoteIn(Schema):
    note: str


class InvoiceOut(Schema):
    id: int
    number: str
    programme_id: int
    run_id: int
    funder_id: int
    funder_name: str
    period: dt.date
    share_bp: int
    amount: int
    paid_amount: int
    status: str
    due_date: dt.date
    paid_on: dt.date | None


class LineOut(Schema):
    enrolment_id: int
    kpj: str
    region_code: str
    nik_masked: str
    jkk: int
    jkm: int
    jht: int
    amount: int
    share: int
    paid_on: dt.date | None


class PaymentOut(Schema):
    id: int
    programme_id: int
    funder_id: int
    paid_on: dt.date
    amount: int
    months: int
    reference: str
    note: str
    allocated: int
    credit: int
    void: bool
    has_evidence: bool


class PaymentIn(Schema):
    funder_id: int
    paid_on: str
    amount: int
    months: int = 1
    reference: str
    note: str = ""


class BudgetIn(Schema):
    funder_id: int
    kind: str  # original | revision | adjustment
    amount: int
    effective_on: str
    legal_basis: str
    note: str = ""


class StatementOut(Schema):
    id: int
    programme_id: int
    period: dt.date
    file_name: str
    rows: int
    matched: int
    differences: int
    skipped: int
    billed_total: int
    expected_total: int


class DifferenceOut(Schema):
    kind: str
    row: int | None
    worker_id: int | None
    nik_masked: str
    kpj: str
    billed: int | None
    expected: int | None
    message: str


class AlertOut(Schema):
    id: int
    programme_id: int
    kind: str
    event_date: dt.date
    days_before: int
    workers: int
    villages: list[dict[str, Any]]
    message: str
    created_at: dt.datetime
    emailed_at: dt.datetime | None
    acknowledged_at: dt.datetime | None


class ReenrolmentOut(Schema):
    enrolment_id: int
    worker_id: int
    nik_masked: str
    region_code: str
    programme_id: int
    covered_until: dt.date | None


def _run(run: ContributionRun) -> dict[str, Any]:
    return {f: getattr(run, f) for f in RunOut.model_fields if f != "id"} | {"id": run.pk}


def _invoice(invoice: Invoice) -> dict[str, Any]:
    data = {f: getattr(invoice, f) for f in InvoiceOut.model_fields if f not in {"funder_name"}}
    return data | {"funder_name": invoice.funder.name}


def _payment(payment: Payment) -> dict[str, Any]:
    data = {f: getattr(payment, f) for f in PaymentOut.model_fields if f != "has_evidence"}
    return data | {"has_evidence": bool(payment.evidence)}


def _statement(statement: Statement) -> dict[str, Any]:
    return {f: getattr(statement, f) for f in StatementOut.model_fields}


def _budget(budget: Budget) -> dict[str, Any]:
    return {f: getattr(budget, f) for f in BudgetOut.model_fields}


def _alert(alert: Alert) -> dict[str, Any]:
    return {f: getattr(alert, f) for f in AlertOut.model_fields}


@router.get(
    "/programmes/{programme_id}/finance",
    response=FinanceOut,
    summary="Keuangan program: anggaran, terikat, ditagih, dibayar, sisa, tanggal dana habis",
)
def finance(request: HttpRequest, programme_id: int, date: dt.date | None = None) -> Any:
    actor = _actor(request)
    require(actor, Capability.VIEW_AGGREGATES)
    programme = programme_get(actor=actor, programme_id=programme_id)
    return programme_finance(programme, on=date or timezone.localdate()).as_dict()


@router.get("/programmes/{programme_id}/runs", response=list[RunOut], summary="Penagihan bulanan")
def runs(request: HttpRequest, programme_id: int) -> list[dict[str, Any]]:
    actor = _actor(request)
    programme_get(actor=actor, programme_id=programme_id)
    return [_run(r) for r in run_list(actor=actor, programme_id=programme_id)[:240]]


@router.post(
    "/programmes/{programme_id}/runs",
    response={200: RunOutcomeOut, 201: RunOutcomeOut},
    summary="Menghitung iuran satu bulan (mengulang bulan yang sama tidak menagih dua kali)",
)
def run_create(request: HttpRequest, programme_id: int, payload: RunIn) -> Status[Any]:
    outcome = contribution_run(
        actor=_actor(request), programme_id=programme_id, period=payload.period
    )
    body = {
        "created": outcome.created,
        "message": outcome.message,
        "run": _run(outcome.run) if outcome.run else None,
    }
    return Status(201 if outcome.created else 200, body)


@router.post(
    "/runs/{run_id}/reverse",
    response=RunOut,
    summary="Membatalkan penagihan yang belum dibayar",
)
def run_reverse(request: HttpRequest, run_id: int, payload: NoteIn) -> dict[str, Any]:
    return _run(contribution_run_reverse(actor=_actor(request), run_id=run_id, note=payload.note))


@router.get("/invoices", response=list[InvoiceOut], summary="Tagihan per penyandang dana")
def invoices(
    request: HttpRequest, programme_id: int | None = None, status: str = ""
) -> list[dict[str, Any]]:
    rows = invoice_list(actor=_actor(request), programme_id=programme_id, status=status)
    return [_invoice(i) for i in rows[:500]]


@router.get("/invoices/{invoice_id}", response=InvoiceOut, summary="Satu tagihan")
def invoice(request: HttpRequest, invoice_id: int) -> dict[str, Any]:
    return _invoice(invoice_get(actor=_actor(request), invoice_id=invoice_id))


@router.get(
    "/invoices/{invoice_id}/lines",
    response=list[LineOut],
    summary="Rincian tagihan per peserta (NIK disamarkan)",
)
def invoice_line_items(
    request: HttpRequest, invoice_id: int, after_id: int = 0, limit: int = 500
) -> list[dict[str, Any]]:
    """Lines in enrolment order; the next page starts after the last `enrolment_id`."""
    actor = _actor(request)
    require(actor, Capability.VIEW_PERSONAL_DATA)
    invoice = invoice_get(actor=actor, invoice_id=invoice_id)
    ids = list(
        invoice_enrolment_ids(invoice, actor=actor).filter(enrolment_id__gt=after_id)[
            : max(1, min(limit, 5000))
        ]
    )
    return [
        {**row, "nik_masked": mask_nik(row["nik"])}
        for row in invoice_lines(invoice, actor=actor, enrolment_ids=ids)
    ]


@router.get("/programmes/{programme_id}/payments", response=list[PaymentOut], summary="Pembayaran")
def payments(request: HttpRequest, programme_id: int) -> list[dict[str, Any]]:
    actor = _actor(request)
    programme_get(actor=actor, programme_id=programme_id)
    return [_payment(p) for p in payment_list(actor=actor, programme_id=programme_id)[:500]]


@router.post(
    "/programmes/{programme_id}/payments",
    response={201: PaymentOut},
    summary="Mencatat pembayaran (1/3/6/12 bulan di muka) dengan bukti bayar",
)
def payment_create(
    request: HttpRequest,
    programme_id: int,
    payload: Form[PaymentIn],
    evidence: UploadedFile | None = FileParam(None),  # noqa: B008 - ninja declares files so
) -> Status[dict[str, Any]]:
    payment = payment_record(
        actor=_actor(request),
        programme_id=programme_id,
        data=payload.dict(),
        evidence=evidence,
        evidence_name=(evidence.name or "bukti") if evidence else "",
    )
    return Status(201, _payment(payment))


@router.post("/payments/{payment_id}/void", response=PaymentOut, summary="Membatalkan pembayaran")
def payment_cancel(request: HttpRequest, payment_id: int, payload: NoteIn) -> dict[str, Any]:
    actor = _actor(request)
    payment_get(actor=actor, payment_id=payment_id)
    return _payment(payment_void(actor=actor, payment_id=payment_id, note=payload.note))


@router.get(
    "/programmes/{programme_id}/budgets", response=list[BudgetOut], summary="Anggaran dan revisi"
)
def budgets(request: HttpRequest, programme_id: int) -> list[dict[str, Any]]:
    programme = programme_get(actor=_actor(request), programme_id=programme_id)
    return [_budget(b) for b in programme.budgets.order_by("effective_on", "id")]


@router.post(
    "/programmes/{programme_id}/budgets",
    response={201: BudgetOut},
    summary="Mencatat anggaran (APBD murni) atau perubahannya (APBD-P)",
)
def budget_create(
    request: HttpRequest, programme_id: int, payload: BudgetIn
) -> Status[dict[str, Any]]:
    budget = budget_record(actor=_actor(request), programme_id=programme_id, data=payload.dict())
    return Status(201, _budget(budget))


@router.post(
    "/programmes/{programme_id}/statements",
    response={201: StatementOut},
    summary="Mencocokkan tagihan BPJS (CSV/xlsx) dengan tagihan satu bulan",
)
def statement_create(
    request: HttpRequest, programme_id: int, period: Form[str], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    statement = statement_import(
        actor=_actor(request),
        programme_id=programme_id,
        period=period,
        file=file,
        file_name=file.name or "tagihan-bpjs",
    )
    return Status(201, _statement(statement))


@router.get("/statements/{statement_id}", response=StatementOut, summary="Hasil rekonsiliasi")
def statement(request: HttpRequest, statement_id: int) -> dict[str, Any]:
    return _statement(statement_get(actor=_actor(request), statement_id=statement_id))


@router.get(
    "/statements/{statement_id}/differences",
    response=list[DifferenceOut],
    summary="Perbedaan per peserta",
)
def statement_difference_list(request: HttpRequest, statement_id: int) -> list[dict[str, Any]]:
    actor = _actor(request)
    found = statement_get(actor=actor, statement_id=statement_id)
    rows = statement_differences(actor=actor, statement=found)[:5000]
    return [{f: getattr(d, f) for f in DifferenceOut.model_fields} for d in rows]


@router.get("/alerts", response=list[AlertOut], summary="Peringatan perlindungan terancam")
def alerts(request: HttpRequest, open_only: bool = True) -> list[dict[str, Any]]:
    actor = _actor(request)
    require(actor, Capability.VIEW_AGGREGATES)
    return [_alert(a) for a in alert_list(actor=actor, open_only=open_only)[:500]]


@router.post(
    "/alerts/{alert_id}/acknowledge", response=AlertOut, summary="Menandai peringatan ditangani"
)
def alert_ack(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    return _alert(alert_acknowledge(actor=_actor(request), alert_id=alert_id))


@router.get(
    "/reenrolment",
    response=list[ReenrolmentOut],
    summary="Pekerja yang harus didaftarkan ulang (terhenti karena tunggakan)",
)
def reenrolment(
    request: HttpRequest, programme_id: int | None = None, after_id: int = 0, limit: int = 500
) -> list[dict[str, Any]]:
    actor = _actor(request)
    require(actor, Capability.VIEW_PERSONAL_DATA)
    rows = reenrolment_list(actor=actor, programme_id=programme_id).filter(pk__gt=after_id)
    return [
        {
            "enrolment_id": e.pk,
            "worker_id": e.worker_id,
            "nik_masked": mask_nik(e.worker.nik),
            "region_code": e.region_code,
            "programme_id": e.programme_id,
            "covered_until": e.covered_until,
        }
        for e in rows.order_by("pk")[: max(1, min(limit, 5000))]
    ]


# --- a worker's cover and masa iur (published under enrolment) ---------------------------------


class CoverPeriodOut(Schema):
    enrolment_id: int
    programme_id: int
    programme: str
    funder: str
    funder_name: str
    benefits: list[str]
    status: str
    kpj: str
    start_date: dt.date
    covered_from: dt.date | None
    covered_until: dt.date | None
    end_reason: str
    hold_reason: str
    bpjs_reason: str


class CoverOut(Schema):
    active: bool
    contribution_months: int
    periods: list[CoverPeriodOut]


@router.get(
    "/workers/{worker_id}/cover",
    response=CoverOut,
    summary="Riwayat perlindungan seorang pekerja dan masa iurnya",
    tags=["enrolment"],
    operation_id="lindungi_enrolment_api_cover",
)
def cover(request: HttpRequest, worker_id: int) -> dict[str, Any]:
    history = worker_cover(actor=request.auth, worker_id=worker_id)  # type: ignore[attr-defined]
    return {
        "active": history.active,
        "contribution_months": history.contribution_months,
        "periods": [p.__dict__ for p in history.periods],
    }
