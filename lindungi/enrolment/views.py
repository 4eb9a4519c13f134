"""Enrolment pages: batches (content, submit, BPJS files, answers) and single enrolments."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindungi.accounts.roles import Capability
from lindungi.core.errors import DomainError
from lindungi.core.forms import refusal_text
from lindungi.core.scope import region_in_scope
from lindungi.programmes.selectors import can_manage, programme_get

from .exchange import batch_file, return_import_create, return_report_file
from .forms import selection_from
from .models import BatchStatus, EndReason, EnrolmentStatus
from .selectors import (
    batch_counts,
    batch_enrolments,
    batch_get,
    enrolment_get,
    enrolment_transitions,
    return_list,
)
from .services import (
    batch_add_worker,
    batch_create,
    batch_remove_enrolment,
    batch_submit,
    eligibility_preview,
    enrolment_end,
)


@require_POST
def batch_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    try:
        batch = batch_create(
            actor=request.user, programme_id=programme_id, **selection_from(request.POST)
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("programmes:detail", programme_id=programme_id)
    messages.success(
        request,
        _(
            "Batch dibuat sebagai draf. Periksa isinya, keluarkan atau tambahkan pekerja, lalu kirim."
        ),
    )
    return redirect("enrolment:batch", batch_id=batch.pk)


def batch_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    actor = request.user
    batch = batch_get(actor=actor, batch_id=batch_id)
    status = request.GET.get("status", "")
    rows = None
    if actor.can(Capability.VIEW_PERSONAL_DATA):  # type: ignore[union-attr]
        rows = Paginator(batch_enrolments(actor=actor, batch=batch, status=status), 50).get_page(
            request.GET.get("halaman")
        )
    returns = list(return_list(actor=actor, batch=batch))
    running = next((r for r in returns if r.status in ("queued", "running") and r.job), None)
    return render(
        request,
        "enrolment/batch.html",
        {
            "batch": batch,
            "programme": batch.programme,
            "counts": batch_counts(actor=actor, batch=batch),
            "rows": rows,
            "status": status,
            "statuses": [
                *EnrolmentStatus.choices,
                ("accepted_waiting", _("Diterima, menunggu mulai")),
            ],
            "returns": returns,
            "running": running,
            "manage": can_manage(actor, batch.programme),
            "exchange": actor.can(Capability.EXCHANGE_BPJS),  # type: ignore[union-attr]
            # A regency sees its province's batch from below: its own workers, no answering.
            "own_region": region_in_scope(actor, batch.programme.region_id),
            "is_draft": batch.status == BatchStatus.DRAFT,
        },
    )


@require_POST
def batch_submit_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        batch_submit(actor=request.user, batch_id=batch_id)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _(
                "Batch ditandai terkirim ke BPJS. Unduh berkasnya, lalu unggah jawaban BPJS di sini."
            ),
        )
    return redirect("enrolment:batch", batch_id=batch_id)


def batch_download(request: HttpRequest, batch_id: int, fmt: str) -> FileResponse:
    name, content_type, handle = batch_file(actor=request.user, batch_id=batch_id, fmt=fmt)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@require_POST
def batch_add_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        enrolment = batch_add_worker(
            actor=request.user, batch_id=batch_id, nik=request.POST.get("nik", "")
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request, _("%(name)s ditambahkan ke batch.") % {"name": enrolment.worker.full_name}
        )
    return redirect("enrolment:batch", batch_id=batch_id)


@require_POST
def batch_remove_view(request: HttpRequest, batch_id: int, enrolment_id: int) -> HttpResponse:
    try:
        batch_remove_enrolment(
            actor=request.user,
            batch_id=batch_id,
            enrolment_id=enrolment_id,
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Pekerja dikeluarkan dari batch."))
    return redirect("enrolment:batch", batch_id=batch_id)


@require_POST
def return_upload_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch_get(actor=request.user, batch_id=batch_id)  # outside the scope: 404 before anything
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih berkas jawaban BPJS (xlsx atau csv)."))
        return redirect("enrolment:batch", batch_id=batch_id)
    try:
        return_import_create(
            actor=request.user, batch_id=batch_id, file=upload, file_name=upload.name or ""
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Berkas jawaban BPJS sedang diproses."))
    return redirect("enrolment:batch", batch_id=batch_id)


def return_report(request: HttpRequest, return_id: int) -> FileResponse:
    name, handle = return_report_file(actor=request.user, return_id=return_id)
    return FileResponse(handle, as_attachment=True, filename=name, content_type="text/csv")


def enrolment_view(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = enrolment_get(actor=request.user, enrolment_id=enrolment_id)
    return render(
        request,
        "enrolment/enrolment.html",
        {
            "enrolment": enrolment,
            "transitions": enrolment_transitions(enrolment=enrolment),
            "reasons": [(v, label) for v, label in EndReason.choices if v != EndReason.RENEWED],
            "can_end": request.user.can(Capability.MANAGE_PROGRAMMES)  # type: ignore[union-attr]
            and enrolment.status
            in (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUBMITTED, EnrolmentStatus.DRAFT),
        },
    )


@require_POST
def enrolment_end_view(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    on = request.POST.get("on") or ""
    try:
        enrolment_end(
            actor=request.user,
            enrolment_id=enrolment_id,
            reason=request.POST.get("reason", ""),
            on=dt.date.fromisoformat(on) if on else None,
            note=request.POST.get("note", ""),
        )
    except ValueError:
        messages.error(request, _("Tanggal tidak valid."))
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Kepesertaan diakhiri."))
    return redirect("enrolment:detail", enrolment_id=enrolment_id)


def programme_preview(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The eligibility preview panel (HTMX): counts only, nothing is written."""
    programme = programme_get(actor=request.user, programme_id=programme_id)
    error = ""
    preview = None
    try:
        preview = eligibility_preview(
            actor=request.user, programme_id=programme.pk, **selection_from(request.GET)
        )
    except DomainError as exc:
        error = refusal_text(exc)
    return render(
        request,
        "enrolment/_programme_preview.html",
        {"programme": programme, "preview": preview, "error": error},
    )
