"""The worker page's forms for a life event (recorded, cancelled): they post here, to the
workflow that follows the event up, and return to the worker's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindungi.core.errors import DomainError
from lindungi.core.forms import apply_domain_error
from lindungi.registry.forms import LifeEventForm
from lindungi.registry.models import LifeEvent
from lindungi.registry.selectors import worker_get

from .life_events import life_event_cancel, life_event_record


@require_POST
def event_record(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = worker_get(actor=request.user, worker_id=worker_id)
    form = LifeEventForm(request.POST, request.FILES, prefix="ev")
    if form.is_valid():
        try:
            life_event_record(
                actor=request.user,
                worker_id=worker.pk,
                kind=form.cleaned_data["kind"],
                event_date=form.cleaned_data["event_date"],
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Peristiwa dicatat."))
            return redirect("registry:worker_detail", worker_id=worker.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("registry:worker_detail", worker_id=worker.pk)


@require_POST
def event_cancel(request: HttpRequest, worker_id: int, event_id: int) -> HttpResponse:
    worker = worker_get(actor=request.user, worker_id=worker_id)
    if not LifeEvent.objects.filter(pk=event_id, worker=worker).exists():
        raise Http404
    try:
        life_event_cancel(
            actor=request.user, event_id=event_id, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Peristiwa dibatalkan."))
    return redirect("registry:worker_detail", worker_id=worker.pk)
