"""Domain errors raised while rendering a page become an error page with the right status."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lindungi.core.errors import CoreError, DomainError


class DomainErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/") or not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "portal/error.html",
            {"status": exception.status, "message": exception.message, "code": exception.code},
            status=exception.status,
        )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {
            "code": str(CoreError.NOT_FOUND.value),
            "message": str(CoreError.NOT_FOUND.label),
            "details": {},
        }
        return HttpResponse(json.dumps(body), status=404, content_type="application/json")
    return render(
        request,
        "portal/error.html",
        {"status": 404, "message": _("Halaman tidak ditemukan."), "code": "not_found"},
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/error_500.html",
        status=500,
    )
