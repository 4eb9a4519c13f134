"""Import pages: upload, progress and summary, downloads."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.core.errors import DomainError
from lindungi.core.forms import apply_domain_error
from lindungi.regions.picker import region_picker_context

from .downloads import import_download
from .forms import UploadForm
from .selectors import import_get, import_list
from .services import import_create, import_rerun


@require_http_methods(["GET", "POST"])
def import_list_view(request: HttpRequest) -> HttpResponse:
    actor = request.user
    imports = import_list(actor=actor)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = import_create(
                actor=actor,
                file=upload,
                file_name=upload.name,
                region_code=form.cleaned_data["region"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("imports:detail", import_id=imp.pk)
    region = form.data.get("region") if form.is_bound else None
    return render(
        request,
        "imports/list.html",
        {
            "form": form,
            "imports": imports[:100],
            "picker": region_picker_context(actor, "region", region),
        },
    )


def import_detail(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    imp = import_get(actor=request.user, import_id=import_id)
    return render(request, "imports/detail.html", {"imp": imp, "job": imp.job})


def import_progress(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    """Progress while running, then the summary: HTMX polls this fragment."""
    imp = import_get(actor=request.user, import_id=import_id)
    return render(request, "imports/_status.html", {"imp": imp, "job": imp.job})


def import_file(request: HttpRequest, import_id: uuid.UUID, kind: str) -> FileResponse:
    imp = import_get(actor=request.user, import_id=import_id)
    return import_download(actor=request.user, imp=imp, kind=kind)


@require_POST
def import_rerun_view(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    imp = import_get(actor=request.user, import_id=import_id)
    try:
        import_rerun(actor=request.user, imp=imp)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Impor dijalankan ulang."))
    return redirect("imports:detail", import_id=imp.pk)
