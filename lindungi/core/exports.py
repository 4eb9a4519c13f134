"""Helpers for files people download (Excel, CSV): neutralise spreadsheet formula injection."""

from __future__ import annotations

from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would evaluate (`=HYPERLINK(…)`) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_cell_expr(name: str) -> Any:
    """`safe_cell` for the Polars text column `name`."""
    import polars as pl

    column = pl.col(name)
    formula = column.str.contains(r"^[=+\-@\t\r]").fill_null(False)
    return pl.when(formula).then(pl.lit("'") + column).otherwise(column).alias(name)
