"""Pages of benefits and claims."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import DomainError, NotFound
from lindungi.core.forms import apply_domain_error, refusal_text
from lindungi.core.privacy import mask_nik
from lindungi.registry.selectors import worker_get

from .benefits import KIND_LABELS, benefit_estimate
from .clocks import fixed_holidays
from .documents import DOCUMENTS
from .forms import CaseForm, EstimateForm
from .models import ClaimKind, ClaimStatus, Holiday
from .selectors import claim_list, clock_of, clock_summary, unclaimed_deaths
from .services import (
    TRANSITIONS,
    case_get,
    checklist,
    claim_advance,
    claim_document_upload,
    claim_heir_choose,
    claim_open,
    claim_update,
    document_for_download,
    heirs_in_order,
    holiday_add,
    holiday_remove,
    scholarship_record,
)


def estimate_view(request: HttpRequest) -> HttpResponse:
    """The benefit calculator: what a family is owed, from the table in force (no writes)."""
    today = timezone.localdate()
    form = EstimateForm(request.GET or None, initial={"event_date": today, "kind": "JKM"})
    result = None
    if form.is_valid():
        values = form.cleaned_data
        try:
            result = benefit_estimate(
                kind=values["kind"],
                event_date=values["event_date"],
                reported_income=values["reported_income"],
                contribution_months=values["contribution_months"] or 0,
                incapacity_days=values["incapacity_days"] or 0,
                children=form.children(),
                today=today,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
    return render(
        request,
        "claims/estimate.html",
        {"form": form, "result": result, "kind_label": KIND_LABELS.get(form["kind"].value(), "")},
    )


# --- claim cases ------------------------------------------------------------------------------


def claim_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_PERSONAL_DATA)
    filters = {k: request.GET.get(k, "") for k in ("status", "kind", "clock")}
    rows = claim_list(
        actor=request.user,
        status=filters["status"],
        kind=filters["kind"],
        clock=filters["clock"],
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for case in page:
        case.nik_masked = mask_nik(case.worker.nik)  # type: ignore[attr-defined]
        case.clock = clock_of(case)  # type: ignore[attr-defined]
    return render(
        request,
        "claims/list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": ClaimStatus.choices,
            "kinds": ClaimKind.choices,
            "summary": clock_summary(actor=request.user),
        },
    )


def claim_new_view(request: HttpRequest) -> HttpResponse:
    """Open a case by hand for a worker (accidents; a death the registry does not know yet)."""
    worker = worker_get(actor=request.user, worker_id=int(request.GET.get("worker") or 0))
    form = CaseForm(request.POST or None, initial={"kind": "JKK_TEMPORARY_INCAPACITY"})
    if request.method == "POST" and form.is_valid():
        try:
            case = claim_open(actor=request.user, worker_id=worker.pk, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, f"Klaim {case.number} dibuka.")
            return redirect("claims:detail", case_id=case.pk)
    return render(
        request,
        "claims/new.html",
        {"form": form, "worker": worker, "nik_masked": mask_nik(worker.nik)},
    )


def claim_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get(actor=request.user, case_id=case_id)
    return render(
        request,
        "claims/detail.html",
        {
            "case": case,
            "nik_masked": mask_nik(case.worker.nik),
            "clock": clock_of(case),
            "checklist": checklist(case),
            "heirs": heirs_in_order(case.worker_id),
            "transitions": case.transitions.select_related("actor"),
            "instalments": case.instalments.select_related("child"),
            "children": [h for h in heirs_in_order(case.worker_id) if h.relationship == "child"],
            "next_statuses": [(s, ClaimStatus(s).label) for s in sorted(TRANSITIONS[case.status])],
            "manage": request.user.can(Capability.MANAGE_CLAIMS),  # type: ignore[union-attr]
            "editable": case.status == ClaimStatus.REPORTED,
            "kinds": ClaimKind.choices,
            "documents": DOCUMENTS,
            "levels": ["TK", "SD", "SMP", "SMA", "PT"],
        },
    )


def _act(request: HttpRequest, case_id: int, action: Any, success: str) -> HttpResponse:
    case_get(actor=request.user, case_id=case_id)  # outside the scope: 404, not a message
    try:
        action()
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, success)
    return redirect("claims:detail", case_id=case_id)


@require_POST
def claim_update_view(request: HttpRequest, case_id: int) -> HttpResponse:
    data = {k: request.POST[k] for k in ("kind", "event_date", "incapacity_days") if request.POST.get(k)}  # fmt: skip
    return _act(request, case_id,
                lambda: claim_update(actor=request.user, case_id=case_id, data=data),
                "Klaim diperbarui; hak dihitung ulang.")  # fmt: skip


@require_POST
def claim_heir_view(request: HttpRequest, case_id: int) -> HttpResponse:
    return _act(request, case_id,
                lambda: claim_heir_choose(actor=request.user, case_id=case_id,
                                          heir_id=request.POST.get("heir_id"),
                                          reason=request.POST.get("reason", "")),
                "Ahli waris penerima dipilih.")  # fmt: skip


@require_POST
def claim_document_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case_get(actor=request.user, case_id=case_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Pilih berkas dokumen.")
        return redirect("claims:detail", case_id=case_id)
    return _act(request, case_id,
                lambda: claim_document_upload(actor=request.user, case_id=case_id,
                                              kind=request.POST.get("kind", ""), file=upload,
                                              file_name=upload.name or ""),
                "Dokumen diunggah.")  # fmt: skip


def claim_document_download_view(request: HttpRequest, case_id: int, document_id: int) -> Any:
    document = document_for_download(actor=request.user, case_id=case_id, document_id=document_id)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name)


@require_POST
def claim_status_view(request: HttpRequest, case_id: int) -> HttpResponse:
    fields = ("date", "note", "bpjs_reference", "amount_paid")
    data = {k: request.POST.get(k, "") for k in fields}
    status = request.POST.get("status", "")
    return _act(request, case_id,
                lambda: claim_advance(actor=request.user, case_id=case_id, status=status,
                                      data=data),
                "Status klaim diperbarui.")  # fmt: skip


@require_POST
def claim_scholarship_view(request: HttpRequest, case_id: int) -> HttpResponse:
    fields = ("school_year", "education_level", "end_reason", "paid_on")
    data = {k: request.POST.get(k, "") for k in fields}
    return _act(request, case_id,
                lambda: scholarship_record(actor=request.user, case_id=case_id,
                                           child_id=request.POST.get("child_id"), data=data),
                "Beasiswa dicatat.")  # fmt: skip


def worklist_view(request: HttpRequest) -> HttpResponse:
    """No heir forgotten: deaths with active cover and no claim case."""
    rows = unclaimed_deaths(actor=request.user)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    for event in page:
        event.nik_masked = mask_nik(event.worker.nik)  # type: ignore[attr-defined]
    return render(request, "claims/worklist.html", {"page": page})


@require_POST
def worklist_open_view(request: HttpRequest, event_id: int) -> HttpResponse:
    event = unclaimed_deaths(actor=request.user).filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    try:
        case = claim_open(actor=request.user, worker_id=event.worker_id, kind="JKM",
                          event_date=event.event_date, life_event=event)  # fmt: skip
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("claims:worklist")
    messages.success(request, f"Klaim {case.number} dibuka.")
    return redirect("claims:detail", case_id=case.pk)


def holidays_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            holiday_add(actor=request.user, date=request.POST.get("date"),
                        name=request.POST.get("name", ""))  # fmt: skip
        except DomainError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, "Hari libur ditambahkan.")
        return redirect("claims:holidays")
    return render(
        request,
        "claims/holidays.html",
        {
            "holidays": Holiday.objects.filter(date__year__gte=timezone.localdate().year - 1),
            "fixed": fixed_holidays(),
            "manage": request.user.can(Capability.MANAGE_REFERENCE_DATA),  # type: ignore[union-attr]
        },
    )


@require_POST
def holiday_remove_view(request: HttpRequest, holiday_id: int) -> HttpResponse:
    try:
        holiday_remove(actor=request.user, holiday_id=holiday_id)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    return redirect("claims:holidays")
