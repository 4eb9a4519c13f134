"""Billing pages: the budget simulator, a programme's money (budgets, monthly runs, invoices,
payments, reconciliation), alerts, and the re-enrolment worklist."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.audit import audit_record
from lindungi.core.errors import DomainError, NotFound
from lindungi.core.exports import safe_cell
from lindungi.core.forms import apply_domain_error, refusal_text
from lindungi.core.privacy import mask_nik
from lindungi.core.scope import region_in_scope
from lindungi.programmes.selectors import programme_get
from lindungi.programmes.simulation import budget_simulate

from .alerts import alert_acknowledge
from .forms import SimulateForm
from .models import Alert, BudgetKind, InvoiceStatus, Payment, Statement
from .reconcile import statement_import
from .selectors import (
    alert_list,
    enrolment_arrears,
    invoice_enrolment_ids,
    invoice_get,
    invoice_lines,
    invoice_list,
    payment_evidence,
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
    can_manage_finance,
    contribution_run,
    contribution_run_reverse,
    payment_record,
    payment_void,
)


def simulate_view(request: HttpRequest) -> HttpResponse:
    """How many workers a budget covers, or what a number of workers costs (no writes)."""
    today = timezone.localdate()
    data = request.GET if request.GET else None
    form = SimulateForm(data, initial={"date": today, "budget": 3_000_000_000})
    result = None
    if form.is_valid():
        values = form.cleaned_data
        try:
            result = budget_simulate(
                budget=values["budget"],
                workers=values["workers"],
                months=values["months"],
                reported_income=values["reported_income"],
                funder=values["funder"],
                on=values["date"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
    return render(request, "billing/simulate.html", {"form": form, "result": result})


def finance_view(request: HttpRequest, programme_id: int) -> HttpResponse:
    """A programme's money at a glance, with the finance officer's forms."""
    actor = request.user
    require(actor, Capability.VIEW_AGGREGATES)
    programme = programme_get(actor=actor, programme_id=programme_id)
    today = timezone.localdate()
    return render(
        request,
        "billing/finance.html",
        {
            "programme": programme,
            "finance": programme_finance(programme, on=today),
            "manage": can_manage_finance(actor, programme),
            "own_region": region_in_scope(actor, programme.region_id),
            # The reconciliation lists people: a link only for roles that may read it.
            "personal": actor.can(Capability.VIEW_PERSONAL_DATA),  # type: ignore[union-attr]
            "funders": programme.funders.order_by("-share_bp", "id"),
            "runs": run_list(actor=actor, programme_id=programme.pk)[:36],
            "invoices": invoice_list(actor=actor, programme_id=programme.pk)[:72],
            "payments": payment_list(actor=actor, programme_id=programme.pk)[:50],
            "statements": Statement.objects.visible_to(actor).filter(programme=programme)[:12],
            "budget_kinds": BudgetKind.choices,
            "month_choices": Payment.Months.choices,
            "this_month": today.strftime("%Y-%m"),
            "today": today,
        },
    )


def _back(programme_id: int) -> HttpResponse:
    return redirect("billing:finance", programme_id)


@require_POST
def run_view(request: HttpRequest, programme_id: int) -> HttpResponse:
    try:
        outcome = contribution_run(
            actor=request.user, programme_id=programme_id, period=request.POST.get("period")
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        (messages.success if outcome.created else messages.info)(request, outcome.message)
    return _back(programme_id)


@require_POST
def run_reverse_view(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        run = contribution_run_reverse(
            actor=request.user, run_id=run_id, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
        programme_id = int(request.POST.get("programme_id") or 0)
        return _back(programme_id) if programme_id else redirect("programmes:list")
    messages.success(request, f"Penagihan {run.period:%m/%Y} dibatalkan.")
    return _back(run.programme_id)


@require_POST
def payment_view(request: HttpRequest, programme_id: int) -> HttpResponse:
    upload = request.FILES.get("evidence")
    data: dict[str, Any] = {k: request.POST.get(k, "") for k in ("funder_id", "paid_on", "amount", "reference", "note")}  # fmt: skip
    try:
        data["months"] = int(request.POST.get("months") or 1)
    except ValueError:
        data["months"] = 0
    try:
        payment = payment_record(
            actor=request.user,
            programme_id=programme_id,
            data=data,
            evidence=upload,
            evidence_name=(upload.name or "") if upload else "",
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            f"Pembayaran {payment.reference} dicatat: Rp{payment.amount:,} "
            f"(dialokasikan Rp{payment.allocated:,}, sisa kredit Rp{payment.credit:,}).".replace(
                ",", "."
            ),
        )
    return _back(programme_id)


@require_POST
def payment_void_view(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = payment_get(actor=request.user, payment_id=payment_id)
    try:
        payment_void(actor=request.user, payment_id=payment.pk, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"Pembayaran {payment.reference} dibatalkan.")
    return _back(payment.programme_id)


def evidence_view(request: HttpRequest, payment_id: int) -> FileResponse:
    """The payment evidence, from private storage, to the programme's own region."""
    require(request.user, Capability.VIEW_AGGREGATES)
    payment = payment_evidence(actor=request.user, payment_id=payment_id)
    audit_record(
        actor=request.user,
        action="billing.evidence_view",
        kind="view",
        obj=payment,
        region_code=payment.programme.region_id,
    )
    return FileResponse(
        payment.evidence.open("rb"), as_attachment=True, filename=payment.evidence_name or "bukti"
    )


@require_POST
def budget_view(request: HttpRequest, programme_id: int) -> HttpResponse:
    data = {k: request.POST.get(k, "") for k in ("funder_id", "kind", "amount", "effective_on", "legal_basis", "note")}  # fmt: skip
    try:
        budget_record(actor=request.user, programme_id=programme_id, data=data)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "Anggaran dicatat.")
    return _back(programme_id)


def invoice_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    require(request.user, Capability.VIEW_AGGREGATES)
    invoice = invoice_get(actor=request.user, invoice_id=invoice_id)
    personal = getattr(request.user, "can", lambda _: False)(Capability.VIEW_PERSONAL_DATA)
    page = Paginator(invoice_enrolment_ids(invoice, actor=request.user), 100).get_page(
        request.GET.get("page")
    )
    rows = list(invoice_lines(invoice, actor=request.user, enrolment_ids=list(page)))
    arrears = enrolment_arrears([r["enrolment_id"] for r in rows], on=timezone.localdate())
    for row in rows:
        # Identifiers are personal data: roles without the right see amounts per village only.
        row["nik"] = mask_nik(row["nik"]) if personal else ""
        row["name"] = row["name"] if personal else ""
        row["kpj"] = row["kpj"] if personal else ""
        row["arrears"] = arrears.get(row["enrolment_id"], (0, None))[0]
    return render(
        request,
        "billing/invoice.html",
        {
            "invoice": invoice,
            "page": page,
            "rows": rows,
            "personal": personal,
            "own_region": region_in_scope(request.user, invoice.programme.region_id),
            "allocations": invoice.allocations.select_related("payment"),
            "open": invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.PARTIAL),
        },
    )


def invoice_csv(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """The invoice's line items as CSV (masked NIKs; formula-like cells neutralised)."""
    require(request.user, Capability.VIEW_PERSONAL_DATA)
    invoice = invoice_get(actor=request.user, invoice_id=invoice_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["NIK", "NAMA", "KPJ", "WILAYAH", "JKK", "JKM", "JHT", "IURAN", "BAGIAN PENYANDANG DANA", "LUNAS"])  # fmt: skip
    for row in invoice_lines(invoice, actor=request.user):
        writer.writerow(
            [
                mask_nik(row["nik"]),
                safe_cell(row["name"]),
                row["kpj"],
                row["region_code"],
                row["jkk"],
                row["jkm"],
                row["jht"],
                row["amount"],
                row["share"],
                row["paid_on"].isoformat() if row["paid_on"] else "",
            ]
        )
    audit_record(
        actor=request.user,
        action="billing.invoice_export",
        kind="export",
        obj=invoice,
        region_code=invoice.programme.region_id,
    )
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.csv"'
    return response


@require_POST
def statement_view(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme_get(actor=request.user, programme_id=programme_id)  # 404 outside the scope
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Pilih berkas tagihan BPJS (CSV atau Excel).")
        return _back(programme_id)
    try:
        statement = statement_import(
            actor=request.user,
            programme_id=programme_id,
            period=request.POST.get("period"),
            file=upload,
            file_name=upload.name or "",
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
        return _back(programme_id)
    return redirect("billing:statement", statement.pk)


def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = statement_get(actor=request.user, statement_id=statement_id)
    kind = request.GET.get("kind", "")
    items = statement_differences(actor=request.user, statement=statement, kind=kind)
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/statement.html",
        {
            "statement": statement,
            "page": page,
            "kind": kind,
            "own_region": region_in_scope(request.user, statement.programme.region_id),
        },
    )


def alerts_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_AGGREGATES)
    rows = alert_list(actor=request.user, open_only=request.GET.get("all") != "1")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "billing/alerts.html", {"page": page, "all": request.GET.get("all")})


def alert_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    require(request.user, Capability.VIEW_AGGREGATES)
    alert = Alert.objects.visible_to(request.user).select_related("programme").filter(pk=alert_id).first()  # fmt: skip
    if alert is None:
        raise NotFound()
    return render(
        request,
        "billing/alert.html",
        {"alert": alert, "manage": can_manage_finance(request.user, alert.programme)},
    )


@require_POST
def alert_acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert_acknowledge(actor=request.user, alert_id=alert_id)
    messages.success(request, "Peringatan ditandai sudah ditangani.")
    return redirect("billing:alerts")


def reenrolment_view(request: HttpRequest) -> HttpResponse:
    """Workers whose cover lapsed through arrears, to be registered again."""
    require(request.user, Capability.VIEW_PERSONAL_DATA)
    rows = reenrolment_list(actor=request.user)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    for enrolment in page:
        enrolment.nik_masked = mask_nik(enrolment.worker.nik)  # type: ignore[attr-defined]
    return render(request, "billing/reenrolment.html", {"page": page})
