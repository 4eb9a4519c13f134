"""Registry pages. Searches are POSTed (HTMX) so a NIK or a name never lands in a URL or a log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.audit import audit_record
from lindungi.core.errors import DomainError
from lindungi.core.forms import apply_domain_error
from lindungi.core.models import AuditEvent
from lindungi.core.privacy import mask_nik
from lindungi.regions.picker import region_picker_context

from .forms import HeirForm, LifeEventForm, RejectForm, WorkerFilterForm, WorkerForm
from .models import Heir, LifeEvent, OccupationCategory, Worker
from .selectors import (
    WorkerFilters,
    bounded_count,
    verification_queue,
    worker_get,
    worker_history,
    worker_life_events,
    worker_list,
    worker_queryset,
)
from .services import (
    heir_add,
    heir_remove,
    heir_update,
    worker_create,
    worker_reject,
    worker_reveal_nik,
    worker_update,
    worker_verify,
    worker_verify_many,
)


def _filters_from(form: WorkerFilterForm) -> WorkerFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return WorkerFilters(
        q=data.get("q") or None,
        village=data.get("village") or None,
        occupation=data.get("occupation") or None,
        sex=data.get("sex") or None,
        age_band=data.get("age_band") or None,
        verification_status=data.get("verification_status") or None,
        life_status=data.get("life_status") or None,
        sort=data.get("sort") or "newest",
        cursor=data.get("cursor"),
    )


@require_http_methods(["GET", "POST"])
def worker_list_view(request: HttpRequest) -> HttpResponse:
    """The list: GET shows the newest workers; the filter form POSTs (HTMX swaps the results)."""
    actor = request.user
    worker_queryset(actor=actor)  # 403 for roles without access to personal data
    form = WorkerFilterForm(request.POST if request.method == "POST" else None)
    page = worker_list(
        actor=actor, filters=_filters_from(form) if form.is_bound else WorkerFilters()
    )
    context = {
        "form": form,
        "page": page,
        "filters": page.filters,
        "can_register": actor.can(Capability.REGISTER_WORKERS),  # type: ignore[union-attr]
    }
    if request.headers.get("HX-Request"):
        return render(request, "registry/_worker_results.html", context)
    context["picker"] = region_picker_context(
        actor, "village", form.data.get("village") if form.is_bound else None
    )
    return render(request, "registry/worker_list.html", context)


def _worker_form_context(
    request: HttpRequest, form: WorkerForm, worker: Worker | None
) -> dict[str, Any]:
    village = form.data.get("village") if form.is_bound else (worker.village_id if worker else None)
    return {
        "form": form,
        "worker": worker,
        "picker": region_picker_context(request.user, "village", village),
        "occupations": OccupationCategory.objects.all(),
    }


@require_http_methods(["GET", "POST"])
def worker_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require(actor, Capability.REGISTER_WORKERS)
    form = WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            worker = worker_create(actor=actor, data=form.data_for_service())
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Pekerja terdaftar dan menunggu verifikasi."))
            return redirect("registry:worker_detail", worker_id=worker.pk)
    return render(request, "registry/worker_form.html", _worker_form_context(request, form, None))


def _show_error(form: WorkerForm, exc: DomainError) -> None:
    if exc.code in {"NIK_TAKEN", "NIK_TAKEN_ELSEWHERE"}:
        form.add_error("nik", exc.message)
        form.existing_worker_id = exc.details.get("worker_id")  # type: ignore[attr-defined]
    else:
        apply_domain_error(form, exc)


@require_http_methods(["GET", "POST"])
def worker_edit(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = request.user
    require(actor, Capability.REGISTER_WORKERS)
    worker = worker_get(actor=actor, worker_id=worker_id)
    initial = {
        "nik": worker.nik,
        "full_name": worker.full_name,
        "birth_place": worker.birth_place,
        "birth_date": worker.birth_date.strftime("%d-%m-%Y"),
        "sex": worker.sex,
        "kk_number": worker.kk_number,
        "address": worker.address,
        "rt": worker.rt,
        "rw": worker.rw,
        "phone": worker.phone,
        "occupation": worker.occupation_text or worker.occupation.name,
        "reported_income": worker.reported_income or "",
        "village": worker.village_id,
        "version": worker.version,
    }
    form = WorkerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            worker_update(
                actor=actor,
                worker_id=worker.pk,
                version=form.cleaned_data.get("version"),
                data=form.data_for_service(),
            )
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("registry:worker_detail", worker_id=worker.pk)
    return render(request, "registry/worker_form.html", _worker_form_context(request, form, worker))


def worker_detail(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = request.user
    worker = worker_get(actor=actor, worker_id=worker_id)
    return render(
        request,
        "registry/worker_detail.html",
        {
            "worker": worker,
            "nik_masked": mask_nik(worker.nik),
            "heirs": worker.heirs.all(),
            "events": worker_life_events(worker=worker),
            "history": worker_history(worker=worker)[:100],
            "event_form": LifeEventForm(prefix="ev"),
            "heir_form": HeirForm(prefix="hr"),
            "reject_form": RejectForm(prefix="rj"),
            "can_edit": actor.can(Capability.REGISTER_WORKERS) and worker.merged_into_id is None,  # type: ignore[union-attr]
            "can_verify": actor.can(Capability.VERIFY_WORKERS)  # type: ignore[union-attr]
            and actor.pk not in {worker.created_by_id, worker.updated_by_id},
            "can_reveal": actor.can(Capability.VIEW_FULL_NIK),  # type: ignore[union-attr]
        },
    )


@require_POST
def worker_nik(request: HttpRequest, worker_id: int) -> HttpResponse:
    """Reveal the full NIK in place (HTMX); the reveal is audited."""
    worker = worker_get(actor=request.user, worker_id=worker_id)
    nik = worker_reveal_nik(actor=request.user, worker=worker, purpose="halaman pekerja")
    return render(request, "registry/_nik.html", {"nik": nik})


@require_POST
def worker_verify_view(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker_get(actor=request.user, worker_id=worker_id)  # outside the scope: 404
    try:
        worker_verify(
            actor=request.user, worker_id=worker_id, version=_int(request.POST.get("version"))
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Data pekerja telah diverifikasi."))
    if request.POST.get("from") == "queue":
        return redirect("registry:verification")
    return redirect("registry:worker_detail", worker_id=worker_id)


@require_POST
def worker_reject_view(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker_get(actor=request.user, worker_id=worker_id)  # outside the scope: 404
    form = RejectForm(request.POST, prefix="rj")
    reason = form.data.get("rj-reason", "")
    try:
        worker_reject(
            actor=request.user,
            worker_id=worker_id,
            reason=reason,
            version=_int(request.POST.get("version")),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Data pekerja ditolak."))
    return redirect("registry:worker_detail", worker_id=worker_id)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def event_evidence(request: HttpRequest, worker_id: int, event_id: int) -> FileResponse:
    """Stream an evidence file (never a public URL); the download is audited."""
    worker = worker_get(actor=request.user, worker_id=worker_id)
    event = LifeEvent.objects.filter(pk=event_id, worker=worker).first()
    if event is None or not event.evidence:
        raise Http404
    audit_record(
        actor=request.user,
        action="worker.evidence_download",
        kind=AuditEvent.Kind.VIEW,
        obj=worker,
        region_code=worker.village_id,
        note=f"peristiwa #{event.pk}",
    )
    return FileResponse(
        event.evidence.open("rb"), as_attachment=True, filename=event.evidence_name or "bukti"
    )


@require_POST
def heir_add_view(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = worker_get(actor=request.user, worker_id=worker_id)
    form = HeirForm(request.POST, prefix="hr")
    if form.is_valid():
        try:
            heir_add(actor=request.user, worker_id=worker.pk, data=form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Ahli waris ditambahkan."))
            return redirect("registry:worker_detail", worker_id=worker.pk)
    for field, errors in form.errors.items():
        for error in errors:
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("registry:worker_detail", worker_id=worker.pk)


@require_POST
def heir_rank(request: HttpRequest, worker_id: int, heir_id: int) -> HttpResponse:
    worker = worker_get(actor=request.user, worker_id=worker_id)
    try:
        heir_update(
            actor=request.user,
            worker_id=worker.pk,
            heir_id=heir_id,
            data={"rank": request.POST.get("rank")},
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("registry:worker_detail", worker_id=worker.pk)


@require_POST
def heir_remove_view(request: HttpRequest, worker_id: int, heir_id: int) -> HttpResponse:
    worker = worker_get(actor=request.user, worker_id=worker_id)
    if not Heir.objects.filter(pk=heir_id, worker=worker).exists():
        raise Http404
    heir_remove(actor=request.user, worker_id=worker.pk, heir_id=heir_id)
    messages.success(request, _("Ahli waris dinonaktifkan."))
    return redirect("registry:worker_detail", worker_id=worker.pk)


@require_http_methods(["GET", "POST"])
def verification_queue_view(request: HttpRequest) -> HttpResponse:
    actor = request.user
    queue = verification_queue(actor=actor)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("worker") if i.isdigit()]
        summary = worker_verify_many(actor=actor, worker_ids=ids)
        messages.success(
            request,
            _("%(verified)d data diverifikasi, %(skipped)d dilewati.") % summary,
        )
        return redirect("registry:verification")
    total, capped = bounded_count(queue)
    return render(
        request,
        "registry/verification.html",
        {"workers": queue[:200], "total": total, "capped": capped},
    )
