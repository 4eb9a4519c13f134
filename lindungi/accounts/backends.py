"""Authentication backend: every password login (pages, admin) goes through `login_check`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from lindungi.core.errors import DomainError

from .services import login_check


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        try:
            return login_check(username=username, password=password)
        except DomainError as exc:
            if request is not None:
                request.login_error = exc  # type: ignore[attr-defined]
            return None
