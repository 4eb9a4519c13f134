"""The REST API, versioned under /api/v1/. One place maps errors to HTTP and one error shape:

{"code": "<stable code>", "message": "<Indonesian text>", "details": {...}}
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from lindungi.accounts.api import auth_router, users_router
from lindungi.accounts.services import token_authenticate
from lindungi.billing.api import router as billing_router
from lindungi.claims.api import router as claims_router
from lindungi.core.api import router as jobs_router
from lindungi.core.errors import CoreError, DomainError
from lindungi.dedup.api import router as dedup_router
from lindungi.enrolment.api import router as enrolment_router
from lindungi.imports.api import router as imports_router
from lindungi.lifecycle.api import router as life_events_router
from lindungi.portal.api import public_router
from lindungi.programmes.api import rates_router
from lindungi.programmes.api import router as programmes_router
from lindungi.regions.api import router as regions_router
from lindungi.registry.api import reference_router as registry_reference_router
from lindungi.registry.api import router as workers_router
from lindungi.reporting.api import router as reports_router

logger = logging.getLogger(__name__)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer lnd_…` issued by POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The page session (with CSRF on unsafe methods), for HTMX and the API docs."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api = NinjaAPI(
    title="Lindungi API",
    version="1",
    description=(
        "Registri pekerja rentan, program, kepesertaan, iuran dan klaim BPJS Ketenagakerjaan."
    ),
    urls_namespace="api-v1",
    auth=[BearerTokenAuth(), ActiveSessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/auth", auth_router)
api.add_router("/users", users_router)
api.add_router("/regions", regions_router)
api.add_router("/jobs", jobs_router)
api.add_router("/workers", workers_router)
api.add_router("/workers", life_events_router)
api.add_router("/imports", imports_router)
api.add_router("/dedup", dedup_router)
api.add_router("/rates", rates_router)
api.add_router("/programmes", programmes_router)
api.add_router("", enrolment_router)
api.add_router("", billing_router)
api.add_router("", claims_router)
api.add_router("/public", public_router)
api.add_router("/reports", reports_router)
api.add_router("", registry_reference_router)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


# Indonesian messages for the validation errors the schema layer raises (pydantic error types).
_PYDANTIC_MESSAGES = {
    "missing": "Wajib diisi.",
    "string_type": "Harus berupa teks.",
    "string_too_long": "Terlalu panjang (maksimal {max_length} karakter).",
    "string_too_short": "Terlalu pendek (minimal {min_length} karakter).",
    "int_parsing": "Harus berupa bilangan bulat.",
    "int_type": "Harus berupa bilangan bulat.",
    "int_from_float": "Harus berupa bilangan bulat.",
    "bool_parsing": "Harus bernilai true atau false.",
    "bool_type": "Harus bernilai true atau false.",
    "date_from_datetime_parsing": "Tanggal tidak valid (gunakan format YYYY-MM-DD).",
    "date_parsing": "Tanggal tidak valid (gunakan format YYYY-MM-DD).",
    "date_type": "Tanggal tidak valid (gunakan format YYYY-MM-DD).",
    "greater_than_equal": "Minimal {ge}.",
    "less_than_equal": "Maksimal {le}.",
    "greater_than": "Harus lebih dari {gt}.",
    "less_than": "Harus kurang dari {lt}.",
    "literal_error": "Nilai tidak termasuk pilihan yang diizinkan.",
    "enum": "Nilai tidak termasuk pilihan yang diizinkan.",
    "json_invalid": "Isi permintaan bukan JSON yang valid.",
    "model_attributes_type": "Isi permintaan harus berupa objek JSON.",
    "dict_type": "Harus berupa objek JSON.",
    "list_type": "Harus berupa daftar.",
    "extra_forbidden": "Kolom ini tidak dikenal.",
}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja prefixes locations with the source and the parameter name: ("body", "payload", "nik").
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "filters"}:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    fields: dict[str, list[dict[str, str]]] = {}
    for error in errors:
        kind = str(error.get("type", "value_error"))
        template = _PYDANTIC_MESSAGES.get(kind, "Nilai tidak valid.")
        try:
            message = template.format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            message = template
        fields.setdefault(_field_name(error.get("loc", ())), []).append(
            {"code": kind.upper(), "message": message}
        )
    return fields


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, error_body(exc.code, exc.message, exc.details), status=exc.status
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = error_body(
        str(CoreError.VALIDATION.value),
        str(CoreError.VALIDATION.label),
        {"fields": validation_fields(exc.errors)},
    )
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body(str(CoreError.UNAUTHENTICATED.value), str(CoreError.UNAUTHENTICATED.label))
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403:
        body = error_body(
            "csrf_failed", _("Token CSRF tidak valid. Muat ulang halaman lalu coba lagi.")
        )
    elif exc.status_code == 429:
        body = error_body(str(CoreError.RATE_LIMITED.value), str(CoreError.RATE_LIMITED.label))
    else:
        body = error_body(f"http_{exc.status_code}", str(exc.message))
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    body = error_body(str(CoreError.NOT_FOUND.value), str(CoreError.NOT_FOUND.label))
    return api.create_response(request, body, status=404)


@api.exception_handler(get_user_model().DoesNotExist)
def on_missing_user(request: HttpRequest, exc: Exception) -> HttpResponse:
    return on_not_found(request, Http404())


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A number beyond 64 bits in a path or query (SQLite cannot even bind it), a value the
    column cannot hold: the request is refused as invalid, and its transaction rolled back."""
    logger.info("value out of range on %s %s: %s", request.method, request.path, type(exc).__name__)
    body = error_body(str(CoreError.OUT_OF_RANGE.value), str(CoreError.OUT_OF_RANGE.label))
    return api.create_response(request, body, status=422)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled API error on %s %s", request.method, request.path)
    body = error_body(str(CoreError.INTERNAL.value), str(CoreError.INTERNAL.label))
    return api.create_response(request, body, status=500)


__all__ = ["api", "error_body"]
