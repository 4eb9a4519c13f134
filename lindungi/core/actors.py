"""Who acts when no person signed in: the command line and scheduled routines."""

from __future__ import annotations

from typing import Any

from django.db import models


class SystemActor:
    """The command line without --user: the operator of the server, scoped nationally. The
    audit log names it "sistem"; it is not an account, so nothing references it."""

    pk = None
    is_authenticated = True
    has_national_scope = True
    scope_region_code = None
    role = "system"

    def can(self, capability: object) -> bool:
        return True

    def get_username(self) -> str:
        return "sistem"


def account(actor: Any) -> Any:
    """The account to store in a `…_by` column: a user, or None for the system."""
    return actor if isinstance(actor, models.Model) else None
