"""Every page requires a signed-in user unless its view says otherwise (secure by default)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    # The API authenticates every operation itself (token or session) and answers 401 in JSON.
    open_prefixes = ("/api/", "/static/", "/i18n/")

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith(self.open_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
