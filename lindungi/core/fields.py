"""Model fields shared by every app."""

from __future__ import annotations

from typing import Any

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


class BlockRangeIndex(models.Index):
    """A BRIN index on PostgreSQL (summaries of block ranges: a few pages for a table of
    millions, nearly free to maintain on append-mostly data whose column grows with insertion
    order), an ordinary index elsewhere. Ranges are summarised as they fill (autosummarize)."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        statement = super().create_sql(model, schema_editor, using=" USING brin", **kwargs)
        parts: dict[str, Any] = statement.parts
        parts["extra"] = f" WITH (autosummarize = on){parts['extra']}"
        return statement
