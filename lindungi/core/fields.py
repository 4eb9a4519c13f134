"""Model fields shared by every app."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def account_reference() -> models.ForeignKey:
    """Who created, decided or changed something: optional, and without a database constraint —
    accounts are never deleted (deactivated, kept), so the reference cannot dangle, and bulk
    writes of many rows skip a lookup each (as the registry's USER_REFERENCES)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
