"""Set-based writes shared by every bulk path (regions, worker imports, enrolment batches).

PostgreSQL: rows stream through `COPY` into a temporary table, then one
`INSERT … SELECT … ON CONFLICT DO UPDATE` applies them. SQLite: batched `executemany` of the
same upsert. Either way unchanged rows are not rewritten (`WHERE … IS DISTINCT FROM …`), so a
repeated load changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True)
class UpsertResult:
    inserted: int
    updated: int


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    return [str(model._meta.get_field(name).column) for name in names]  # type: ignore[union-attr]


def _batched(rows: Iterable[Sequence[Any]], size: int) -> Iterable[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def bulk_upsert(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    conflict: Sequence[str],
    update: Sequence[str],
    batch_size: int = 5000,
) -> UpsertResult:
    """Insert rows, or update the `update` fields of rows whose `conflict` key exists.

    `rows` are tuples in the order of `fields`, holding database-ready plain values
    (str, int, bool, date, datetime, None). Runs in one transaction.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    cols = _columns(model, fields)
    conflict_cols = _columns(model, conflict)
    update_cols = _columns(model, update)
    q = connection.ops.quote_name
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _upsert_postgres(
                table=table,
                cols=cols,
                conflict_cols=conflict_cols,
                update_cols=update_cols,
                rows=rows,
                q=q,
            )
        return _upsert_generic(
            table=table,
            cols=cols,
            conflict_cols=conflict_cols,
            update_cols=update_cols,
            rows=rows,
            q=q,
            batch_size=batch_size,
        )


def _upsert_postgres(
    *,
    table: str,
    cols: list[str],
    conflict_cols: list[str],
    update_cols: list[str],
    rows: Iterable[Sequence[Any]],
    q: Any,
) -> UpsertResult:
    tmp = q(f"_upsert_{uuid.uuid4().hex[:12]}")
    col_list = ", ".join(q(c) for c in cols)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {tmp} ON COMMIT DROP AS SELECT {col_list} FROM {table} WITH NO DATA"  # noqa: S608
        )
        with cursor.copy(f"COPY {tmp} ({col_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        sets = ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in update_cols)
        target = ", ".join(f"{table}.{q(c)}" for c in update_cols)
        excluded = ", ".join(f"EXCLUDED.{q(c)}" for c in update_cols)
        on_conflict = (
            f"DO UPDATE SET {sets} WHERE ({target}) IS DISTINCT FROM ({excluded})"
            if update_cols
            else "DO NOTHING"
        )
        cursor.execute(
            f"WITH changed AS ("  # noqa: S608
            f" INSERT INTO {table} ({col_list}) SELECT {col_list} FROM {tmp}"
            f" ON CONFLICT ({', '.join(q(c) for c in conflict_cols)}) {on_conflict}"
            f" RETURNING (xmax = 0) AS inserted)"
            f" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)"
            f" FROM changed"
        )
        inserted, updated = cursor.fetchone()
        cursor.execute(f"DROP TABLE {tmp}")
    return UpsertResult(inserted=inserted, updated=updated)


def _upsert_generic(
    *,
    table: str,
    cols: list[str],
    conflict_cols: list[str],
    update_cols: list[str],
    rows: Iterable[Sequence[Any]],
    q: Any,
    batch_size: int,
) -> UpsertResult:
    col_list = ", ".join(q(c) for c in cols)
    placeholders = ", ".join(["%s"] * len(cols))
    if update_cols:
        sets = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in update_cols)
        differs = " OR ".join(f"{table}.{q(c)} IS NOT excluded.{q(c)}" for c in update_cols)
        on_conflict = f"DO UPDATE SET {sets} WHERE {differs}"
    else:
        on_conflict = "DO NOTHING"
    sql = (
        f"INSERT INTO {table} ({col_list}) VALUES ({placeholders})"  # noqa: S608
        f" ON CONFLICT ({', '.join(q(c) for c in conflict_cols)}) {on_conflict}"
    )
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        before = cursor.fetchone()[0]
        for batch in _batched(rows, batch_size):
            cursor.executemany(sql, batch)
            changed += max(cursor.rowcount, 0)
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        after = cursor.fetchone()[0]
    inserted = after - before
    return UpsertResult(inserted=inserted, updated=changed - inserted)


def copy_frame(table: str, frame: pl.DataFrame, *, chunk_rows: int = 200_000) -> int:
    """PostgreSQL only: stream a Polars frame into `table` with `COPY … FROM STDIN (CSV)`.

    Columns of `frame` are the table's column names. Rows go in chunks, so memory stays
    bounded by the chunk, not the frame's CSV rendering.
    """
    import io

    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in frame.columns)
    sql = f"COPY {q(table)} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for offset in range(0, frame.height, chunk_rows):
            buffer = io.BytesIO()
            frame.slice(offset, chunk_rows).write_csv(
                buffer, include_header=False, null_value="\\N"
            )
            copy.write(buffer.getvalue())
    return frame.height


def insert_frame(table: str, frame: pl.DataFrame, *, batch_rows: int = 20_000) -> int:
    """Append a Polars frame to `table` (columns named as the table's): `COPY` on PostgreSQL,
    batched `executemany` elsewhere (dates as ISO text, which SQLite stores)."""
    if connection.vendor == "postgresql":
        return copy_frame(table, frame)
    import polars as pl

    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in frame.columns)
    sql = f"INSERT INTO {q(table)} ({columns}) VALUES ({', '.join(['%s'] * frame.width)})"  # noqa: S608
    dates = [name for name, dtype in frame.schema.items() if dtype == pl.Date]
    frame = frame.with_columns(pl.col(dates).cast(pl.String)) if dates else frame
    with connection.cursor() as cursor:
        for offset in range(0, frame.height, batch_rows):
            cursor.executemany(sql, frame.slice(offset, batch_rows).rows())
    return frame.height
