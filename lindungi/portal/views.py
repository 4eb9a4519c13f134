"""Page views: thin — read the request, call one service or selector, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lindungi.accounts.models import User
from lindungi.accounts.roles import Capability, Role
from lindungi.accounts.selectors import (
    login_throttled_until,
    token_get,
    token_list,
    user_get,
    user_list,
)
from lindungi.accounts.services import (
    require,
    token_issue,
    token_revoke,
    user_create,
    user_set_password,
    user_unlock,
    user_update,
)
from lindungi.billing.selectors import alert_list
from lindungi.claims.selectors import clock_summary
from lindungi.core.errors import DomainError
from lindungi.core.forms import apply_domain_error
from lindungi.core.jobs import job_start
from lindungi.core.models import AuditEvent
from lindungi.core.selectors import audit_list, audit_page, job_get, job_list
from lindungi.regions.models import Level, Region, ancestor_codes
from lindungi.regions.picker import region_picker_context
from lindungi.regions.selectors import region_get, region_names
from lindungi.regions.tasks import regions_load_task

from .forms import (
    AuditFilterForm,
    LoginForm,
    OwnPasswordForm,
    PasswordForm,
    StatusCheckForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from .public import RateLimited, public_status


def actor_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- sign-in ----------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponseBase:
    return auth_views.LoginView.as_view(
        template_name="portal/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )(request)


# --- the public status check ------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def status_check(request: HttpRequest) -> HttpResponse:
    """/cek: is this person protected today? No login; limits and audit in `public`."""
    form = StatusCheckForm(request.POST or None)
    result, refused = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            result = public_status(**form.cleaned_data)
        except RateLimited as exc:
            refused = exc.message
        form = StatusCheckForm()  # the NIK is not written back into the page
    status = 429 if refused else 200
    return render(
        request, "portal/status_check.html", {"form": form, "result": result, "refused": refused},
        status=status,
    )  # fmt: skip


# --- home -------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    scope_region = actor.region
    children = []
    if scope_region is not None and scope_region.level != Level.VILLAGE:
        children = list(Region.objects.active().filter(parent=scope_region).order_by("code")[:100])
    elif actor.has_national_scope:
        children = list(Region.objects.active().filter(level=Level.PROVINCE).order_by("code"))
    context: dict[str, Any] = {
        "scope_region": scope_region,
        "scope_path": _region_path(scope_region.code) if scope_region else [],
        "children": children,
        "recent_jobs": list(job_list(actor=actor)[:5]),
    }
    if actor.can(Capability.MANAGE_USERS):
        context["user_counts"] = dict(
            User.objects.visible_to(actor).values_list("role").annotate(n=Count("id"))
        )
        context["role_labels"] = dict(Role.choices)
    if actor.can(Capability.VIEW_AGGREGATES):
        context["open_alerts"] = list(alert_list(actor=actor, open_only=True)[:10])
    if actor.can(Capability.VIEW_PERSONAL_DATA):
        claims = clock_summary(actor=actor)
        if claims.overdue or claims.soon or claims.unclaimed_deaths:
            context["claim_clocks"] = claims
    if actor.can(Capability.VIEW_AUDIT):
        context["recent_audit"] = list(audit_list(actor=actor)[:8])
    return render(request, "portal/home.html", context)


def _region_path(code: str) -> list[dict[str, str]]:
    codes = ancestor_codes(code)
    names = region_names(codes)
    return [{"code": c, "name": names.get(c, c)} for c in codes]


# --- own account ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    password_form = OwnPasswordForm(request.POST or None, prefix="pw")
    if request.method == "POST" and password_form.is_valid():
        try:
            user_set_password(
                actor=actor,
                user=actor,
                password=password_form.cleaned_data["password"],
                current_password=password_form.cleaned_data["current_password"],
            )
        except DomainError as exc:
            apply_domain_error(password_form, exc)
        else:
            update_session_auth_hash(request, actor)
            messages.success(request, _("Kata sandi Anda telah diganti."))
            return redirect("portal:profile")
    return render(
        request,
        "portal/profile.html",
        {
            "password_form": password_form,
            "token_form": TokenForm(prefix="tk"),
            "tokens": token_list(actor=actor),
            "new_token": request.session.pop("new_token", None),
        },
    )


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST, prefix="tk")
    if form.is_valid():
        _, raw = token_issue(user=actor_of(request), name=form.cleaned_data["name"])
        # Shown once on the next page, then gone: the session is server-side, never in a URL.
        request.session["new_token"] = raw
    return redirect("portal:profile")


@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = actor_of(request)
    token_revoke(actor=actor, token=token_get(actor=actor, token_id=token_id))
    messages.success(request, _("Token telah dicabut."))
    return redirect(request.POST.get("next") or "portal:profile")


# --- user management --------------------------------------------------------------------------


def users(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    qs = user_list(actor=actor, q=q or None, role=role or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    throttled = login_throttled_until(usernames=[u.username for u in page.object_list])
    for u in page.object_list:
        u.throttled_until = throttled.get(u.username)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/users.html",
        {"page": page, "q": q, "role": role, "roles": Role.choices},
    )


@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, Capability.MANAGE_USERS)
    form = UserCreateForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                actor=actor,
                username=data["username"],
                password=data["password"],
                role=data["role"],
                region_code=data["region"] or None,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Akun %(username)s dibuat.") % {"username": user.username})
            return redirect("portal:user_detail", user_id=user.pk)
    picker = region_picker_context(
        actor, "region", form.data.get("region") if form.is_bound else None
    )
    return render(
        request, "portal/user_form.html", {"form": form, "picker": picker, "creating": True}
    )


@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_of(request)
    user = user_get(actor=actor, user_id=user_id)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "region": user.region_id or "",
        "is_active": user.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial, actor=actor)
    password_form = PasswordForm(prefix="pw")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_update(
                actor=actor,
                user=user,
                role=data["role"],
                region_code=data["region"] or None,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                is_active=data["is_active"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("portal:user_detail", user_id=user.pk)
    region_value = form.data.get("region") if form.is_bound else user.region_id
    return render(
        request,
        "portal/user_detail.html",
        {
            "subject": user,
            "form": form,
            "password_form": password_form,
            "picker": region_picker_context(actor, "region", region_value),
            "history": AuditEvent.objects.filter(
                object_type="accounts.user", object_id=str(user.pk)
            ).order_by("-id")[:20],
            "tokens": user.api_tokens.order_by("-created_at")[:20],
            "throttled_until": login_throttled_until(usernames=[user.username]).get(user.username),
        },
    )


@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_of(request)
    user = user_get(actor=actor, user_id=user_id)
    form = PasswordForm(request.POST, prefix="pw")
    if form.is_valid():
        try:
            user_set_password(actor=actor, user=user, password=form.cleaned_data["password"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Kata sandi diganti; semua token API akun ini dicabut."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("portal:user_detail", user_id=user.pk)


@require_POST
def user_unlock_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_of(request)
    user = user_get(actor=actor, user_id=user_id)
    user_unlock(actor=actor, user=user)
    messages.success(request, _("Pembatasan masuk akun ini dihapus."))
    return redirect("portal:user_detail", user_id=user.pk)


# --- audit log --------------------------------------------------------------------------------


def audit(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    before = request.GET.get("before")
    page = audit_page(
        actor=actor, before_id=int(before) if before and before.isdigit() else None, **filters
    )
    params = request.GET.copy()
    if page.next_before_id is not None:
        params["before"] = str(page.next_before_id)
    return render(
        request,
        "portal/audit.html",
        {
            "form": form,
            "events": page.entries,
            "next_query": params.urlencode() if page.next_before_id is not None else None,
        },
    )


# --- background jobs --------------------------------------------------------------------------


def jobs(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/jobs.html", {"jobs": job_list(actor=actor_of(request))[:100]})


def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = job_get(actor=actor_of(request), job_id=job_id)
    return render(request, "portal/job_detail.html", {"job": job})


def job_progress(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The progress bar fragment; HTMX polls it every second until the job finishes."""
    job = job_get(actor=actor_of(request), job_id=job_id)
    return render(request, "portal/_job_progress.html", {"job": job})


# --- regions ----------------------------------------------------------------------------------


def regions(request: HttpRequest, code: str | None = None) -> HttpResponse:
    region = region_get(code) if code else None
    parent_filter = {"parent": region} if region else {"level": Level.PROVINCE}
    children = (
        Region.objects.filter(**parent_filter)
        .annotate(n_children=Count("children"))
        .order_by("code")
    )
    return render(
        request,
        "portal/regions.html",
        {
            "region": region,
            "path": _region_path(region.code) if region else [],
            "children": children,
            "can_reload": actor_of(request).can(Capability.MANAGE_REFERENCE_DATA),
        },
    )


@require_POST
def regions_reload(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require(actor, Capability.MANAGE_REFERENCE_DATA)
    job = job_start(
        actor=actor,
        kind="regions.load",
        label=_("Muat ulang data wilayah Kemendagri"),
        task=regions_load_task,
    )
    return redirect("portal:job_detail", job_id=job.pk)


def region_picker(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "region")
    if not name.isidentifier():
        name = "region"
    context = region_picker_context(actor_of(request), name, request.GET.get("code") or None)
    return render(request, "portal/_region_picker.html", {"picker": context})
