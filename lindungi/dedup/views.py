"""Dedup pages: the review queue, a pair side by side with its decision, runs and merges."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindungi.core.errors import DomainError
from lindungi.core.forms import refusal_text
from lindungi.dedup.services import pair_decide
from lindungi.regions.picker import region_picker_context

from .models import Decision
from .selectors import compared, merge_list, pair_get, review_queue, run_list
from .services import dedup_run_start, worker_unmerge


def queue_view(request: HttpRequest) -> HttpResponse:
    actor = request.user
    page = Paginator(review_queue(actor=actor), 50).get_page(request.GET.get("halaman"))
    runs = list(run_list(actor=actor)[:10])
    running = next((r for r in runs if r.status in ("queued", "running")), None)
    return render(
        request,
        "dedup/queue.html",
        {
            "page": page,
            "runs": runs,
            "running": running,
            "merges": merge_list(actor=actor)[:20],
            "picker": region_picker_context(actor, "region", None),
        },
    )


@require_POST
def run_start_view(request: HttpRequest) -> HttpResponse:
    try:
        run = dedup_run_start(actor=request.user, region_code=request.POST.get("region") or None)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            _("Deduplikasi %(region)s dijalankan di latar. Hasilnya masuk ke antrean ini.")
            % {"region": run.region_code},
        )
    return redirect("dedup:queue")


def pair_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = pair_get(actor=request.user, pair_id=pair_id)
    next_pair = (
        review_queue(actor=request.user).exclude(pk=pair.pk).values_list("pk", flat=True).first()
    )
    return render(
        request,
        "dedup/pair.html",
        {
            "pair": pair,
            "rows": compared(pair),
            "is_open": pair.decision in (Decision.OPEN, Decision.SKIPPED),
            "next_pair": next_pair,
        },
    )


@require_POST
def pair_decide_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    survivor = request.POST.get("survivor_id") or ""
    try:
        pair = pair_decide(
            actor=request.user,
            pair_id=pair_id,
            decision=request.POST.get("decision", ""),
            survivor_id=int(survivor) if survivor.isdigit() else None,
            note=request.POST.get("note", "").strip(),
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("dedup:pair", pair_id=pair_id)
    labels = {
        Decision.SAME: _("Kedua data digabung. Penggabungan dapat dibatalkan di halaman antrean."),
        Decision.DIFFERENT: _(
            "Dicatat sebagai orang berbeda; pasangan ini tidak akan muncul lagi."
        ),
        Decision.SKIPPED: _("Pasangan dilewati; tetap ada di antrean."),
    }
    messages.success(request, labels[Decision(pair.decision)])
    following = (
        review_queue(actor=request.user)
        .exclude(pk=pair.pk)
        .exclude(decision=Decision.SKIPPED)
        .values_list("pk", flat=True)
        .first()
    )
    if following:
        return redirect("dedup:pair", pair_id=following)
    return redirect("dedup:queue")


@require_POST
def merge_undo_view(request: HttpRequest, merge_id: int) -> HttpResponse:
    try:
        worker_unmerge(
            actor=request.user, merge_id=merge_id, reason=request.POST.get("reason", "").strip()
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Penggabungan dibatalkan; kedua data kembali terpisah."))
    return redirect("dedup:queue")
