"""Programme pages: list, create, edit, detail with eligibility preview, renewal; rates."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindungi.accounts.roles import Capability
from lindungi.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from lindungi.core.forms import apply_domain_error, refusal_text
from lindungi.registry.models import OccupationCategory

from .forms import ProgrammeForm, RateForm, RenewForm
from .models import ProgrammeTarget
from .selectors import (
    benefit_table,
    can_manage,
    contribution_quote,
    discount_list,
    programme_for_manage,
    programme_get,
    programme_list,
    programme_monthly_cost,
    rate_list,
)
from .services import programme_create, programme_renew, programme_update, rate_version_create


def programme_list_view(request: HttpRequest) -> HttpResponse:
    programmes = list(programme_list(actor=request.user)[:200])
    return render(
        request,
        "programmes/list.html",
        {
            "programmes": programmes,
            "can_create": request.user.can(Capability.MANAGE_PROGRAMMES),  # type: ignore[union-attr]
        },
    )


def programme_new(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Capability.MANAGE_PROGRAMMES):  # type: ignore[union-attr]
        raise Forbidden()
    year = timezone.localdate().year + 1
    form = ProgrammeForm(
        request.POST or None,
        initial={
            "budget_year": year,
            "start_date": dt.date(year, 1, 1),
            "end_date": dt.date(year, 12, 31),
            "benefit_jkk": True,
            "benefit_jkm": True,
            "verification_required": True,
            "region_code": request.user.scope_region_code,  # type: ignore[union-attr]
            "funder": "APBD_KABKOTA",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_create(actor=request.user, data=form.service_data())
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Program dibuat. Periksa pratinjau kelayakan."))
            return redirect("programmes:detail", programme_id=programme.pk)
    return render(request, "programmes/form.html", {"form": form, "programme": None})


def programme_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_for_manage(actor=request.user, programme_id=programme_id)
    form = ProgrammeForm(request.POST or None, initial=ProgrammeForm.initial_from(programme))
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        data.pop("region_code", None)
        try:
            programme_update(
                actor=request.user,
                programme_id=programme.pk,
                data=data,
                version=int(version)
                if (version := request.POST.get("version", "")).isdigit()
                else None,
            )
        except (NotFound, Forbidden):
            raise
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Perubahan program disimpan."))
            return redirect("programmes:detail", programme_id=programme.pk)
    return render(request, "programmes/form.html", {"form": form, "programme": programme})


def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    actor = request.user
    programme = programme_get(actor=actor, programme_id=programme_id)
    manage = can_manage(actor, programme)
    monthly = programme_monthly_cost(programme, on=timezone.localdate())
    targets = list(ProgrammeTarget.objects.filter(programme=programme).select_related("region"))
    occupations = dict(OccupationCategory.objects.values_list("code", "name"))
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "manage": manage,
            "monthly": monthly,
            "targets": targets,
            "funders": programme.funders.select_related("account"),
            "occupation_names": [occupations.get(c, c) for c in programme.occupations],
            "priority_names": [occupations.get(c, c) for c in programme.priority_occupations],
            "successor": programme.successors.first(),
            "renew_form": RenewForm(),
            "default_start": max(
                programme.start_date, min(timezone.localdate(), programme.end_date)
            ),
            "occupation_choices": list(occupations.items()),
        },
    )


@require_POST
def programme_renew_view(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_get(actor=request.user, programme_id=programme_id)
    form = RenewForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        successor = programme_renew(
            actor=request.user,
            programme_id=programme.pk,
            data={k: v for k, v in data.items() if v not in (None, "")},
        )
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
        return redirect("programmes:detail", programme_id=programme.pk)
    messages.success(
        request,
        _("Program lanjutan dibuat. Buat batch perpanjangan agar perlindungan tidak terputus."),
    )
    return redirect("programmes:detail", programme_id=successor.pk)


def rates_view(request: HttpRequest) -> HttpResponse:
    manage = request.user.can(Capability.MANAGE_REFERENCE_DATA)  # type: ignore[union-attr]
    form = RateForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            raise Forbidden()
        if form.is_valid():
            try:
                rate_version_create(actor=request.user, data=form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Versi tarif baru disimpan."))
                return redirect("programmes:rates")
    today = timezone.localdate()
    quotes = []
    for funder in ("APBD_KABKOTA", "MANDIRI"):
        try:
            quotes.append(
                (funder, contribution_quote(reported_income=1_000_000, funder=funder, on=today))
            )
        except FieldErrors:
            continue
    return render(
        request,
        "programmes/rates.html",
        {
            "rates": rate_list(),
            "discounts": discount_list(),
            "benefits": benefit_table(),
            "form": form,
            "manage": manage,
            "quotes": quotes,
            "today": today,
        },
    )
