"""Request-wide middleware: security headers and the action context used by the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .context import action_context

# No inline scripts or styles anywhere: every script is a vendored static file.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages with personal data must not be kept by shared browsers or proxies.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind the reverse proxy of README's production section, X-Real-IP."""
    if settings.LINDUNGI["BEHIND_PROXY"]:
        forwarded = request.META.get("HTTP_X_REAL_IP")
        if forwarded:
            return str(forwarded)
    remote = request.META.get("REMOTE_ADDR")
    return str(remote) if remote else None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with action_context(channel, client_ip(request)):
            return self.get_response(request)


class LanguageMiddleware:
    """Indonesian unless the person chose otherwise with the language switch (a cookie).

    The browser's Accept-Language is deliberately ignored: an officer whose computer runs an
    English system still gets the Indonesian application by default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
