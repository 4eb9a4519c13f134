"""Request-wide middleware: security headers and the action context used by the audit log."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .context import action_context

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

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


def _address(value: object) -> str | None:
    """`value` as a canonical IP address, or None when it is not one (headers are text)."""
    try:
        ip = ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:  # a dual-stack socket's view
        ip = ip.ipv4_mapped
    return str(ip)


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _trusted(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    networks = _networks(tuple(settings.LINDUNGI.get("TRUSTED_PROXIES", ())))
    return any(ip.version == network.version and ip in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the audit log, the public check's limits and login throttling
    see it.

    A forwarding header is the word of whoever sent the request: it is believed only when the
    peer (`REMOTE_ADDR`) is one of `TRUSTED_PROXIES` — nginx on loopback in README's
    production section — so a client reaching gunicorn directly cannot choose its address.
    X-Real-IP (nginx's `$remote_addr`) first; else X-Forwarded-For read from the right, past the
    trusted proxies, because its leftmost entries are whatever the client wrote.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None or not settings.LINDUNGI["BEHIND_PROXY"] or not _trusted(remote):
        return remote
    real = _address(request.META.get("HTTP_X_REAL_IP", ""))
    if real is not None:
        return real
    for entry in reversed(str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")):
        hop = _address(entry)
        if hop is None:
            break  # a mangled chain: nothing left of it can be trusted
        if not _trusted(hop):
            return hop
    return remote


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
