"""The registry's bulk writes and reads, for the import of worker lists (domain.md §4): new
workers streamed in (COPY on PostgreSQL), existing workers updated only when still as they were
read, life events recorded with their follow-up left to the caller, and the stored records a
file's NIKs match. The registry owns its tables: nothing else writes them, in bulk or not.

Frames carry the worker table's columns (`CREATED_COLUMNS`, `UPDATE_COLUMNS`); stored values read
back for comparison are suffixed `_db` so they sit beside a file's columns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import queue
import threading
from collections.abc import Iterable
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.db.models import F
from psycopg import ClientCursor
from psycopg.errors import UniqueViolation as PsycopgUniqueViolation

from lindungi.core.audit import audit_record_many
from lindungi.core.bulk import copy_frame, insert_frame
from lindungi.core.scope import region_code_q, scope_expr

from .models import LifeEvent, Worker
from .services import life_statuses

_TABLE = Worker._meta.db_table


def stamp(now: dt.datetime) -> str:
    """A timestamp as the database stores it (SQLite keeps naive UTC text)."""
    if connection.vendor == "postgresql":
        return now.isoformat()
    return str(connection.ops.adapt_datetimefield_value(now))


# --- reading what a file's NIKs match -----------------------------------------------------------

EXISTING_COLUMNS = [
    "id", "nik", "village_id", "merged_into_id", "verification_status", "version", "kk_number",
    "full_name", "birth_place", "birth_date", "sex", "address", "rt", "rw", "phone",
    "occupation_id", "occupation_text", "reported_income", "life_status", "import_fingerprint",
]  # fmt: skip
SLIM_COLUMNS = ["id", "nik", "import_fingerprint", "village_id", "merged_into_id"]
_TYPES = {
    "id": pl.Int64, "nik": pl.String, "village_id": pl.String, "merged_into_id": pl.Int64,
    "verification_status": pl.String, "version": pl.Int64, "kk_number": pl.String,
    "full_name": pl.String, "birth_place": pl.String, "birth_date": pl.Date, "sex": pl.String,
    "address": pl.String, "rt": pl.String, "rw": pl.String, "phone": pl.String,
    "occupation_id": pl.String, "occupation_text": pl.String, "reported_income": pl.Int64,
    "life_status": pl.String, "import_fingerprint": pl.Int64,
}  # fmt: skip
# Stored column → the name classification reads (`<validator field>_db`).
_DB_RENAME = {"village_id": "village_code_db", "occupation_id": "occupation_code_db"}


def match_existing(keys: pl.DataFrame, actor: Any) -> tuple[pl.Series, pl.DataFrame]:
    """What the registry holds for `keys` (`position`, `nik_key`, `fingerprint`; well-formed
    NIKs): the positions of the rows imported before unchanged — the stored worker with that
    NIK carries the same fingerprint, is not a merge tombstone and lies in the actor's scope
    — and the full stored records (EXISTING_COLUMNS) the other rows compare with.

    On PostgreSQL both are decided in the database from one join of a temporary table with
    the registry, and only the matching positions come back, as one string: a re-import of a
    million rows would otherwise receive a million rows (each a protocol message, ~5 µs of
    Python apiece)."""
    no_positions = pl.Series("position", [], pl.UInt32)
    if connection.vendor != "postgresql" or keys.height == 0:
        slim = fetch_existing(keys.get_column("nik_key"), columns=SLIM_COLUMNS)
        matched = keys.join(slim.rename({"nik": "nik_key"}), on="nik_key", how="inner").filter(
            (pl.col("fingerprint") == pl.col("import_fingerprint_db")).fill_null(False)
            & pl.col("merged_into_id_db").is_null()
            & scope_expr(actor, pl.col("village_code_db"))
        )
        positions = matched.get_column("position")
        others = keys.filter(~pl.col("position").is_in(positions.implode()))
        return positions, fetch_existing(others.get_column("nik_key"))
    worker = _TABLE
    unchanged = (
        f"{worker}.import_fingerprint = k.fingerprint AND {worker}.merged_into_id IS NULL"
        f" AND {_scope_sql(actor)}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS import_keys, import_matches")
        cursor.execute(
            'CREATE TEMP TABLE import_keys (position integer, nik varchar(16) COLLATE "C",'
            " fingerprint bigint) ON COMMIT DROP"
        )
        copy_frame("import_keys", keys.rename({"nik_key": "nik"}))
        # With statistics the planner looks a small file up through the NIK index and hashes a
        # large one; the hash stays in memory (a million NIKs: ~100 MB) and no JIT compiles.
        cursor.execute("ANALYZE import_keys")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        # The file's NIKs are joined with the registry once; both answers read the result
        # (joining twice cost a second more on a million rows).
        cursor.execute(
            "CREATE TEMP TABLE import_matches ON COMMIT DROP AS"  # noqa: S608
            f" SELECT k.position, {worker}.id, coalesce({unchanged}, FALSE) AS unchanged"
            f" FROM import_keys k JOIN {worker} ON {worker}.nik = k.nik"
        )
        cursor.execute("SELECT string_agg(position::text, ',') FROM import_matches WHERE unchanged")
        (joined,) = cursor.fetchone()
        listed = ", ".join(f'{worker}."{c}"' for c in EXISTING_COLUMNS)
        buffer = io.BytesIO()
        with cursor.copy(
            f"COPY (SELECT {listed} FROM {worker} WHERE {worker}.id IN"  # noqa: S608
            " (SELECT id FROM import_matches WHERE NOT unchanged)) TO STDOUT WITH (FORMAT csv)"
        ) as copy:
            for block in copy:
                buffer.write(block)
    schema = {c: _TYPES[c] for c in EXISTING_COLUMNS}
    existing = (
        pl.read_csv(
            buffer.getvalue(), has_header=False, new_columns=EXISTING_COLUMNS, schema=schema
        )
        if buffer.getbuffer().nbytes
        else pl.DataFrame(schema=schema)
    )
    positions = (
        pl.Series("position", joined.split(","), pl.String).cast(pl.UInt32)
        if joined
        else no_positions
    )
    return positions, _renamed(existing)


def _scope_sql(actor: Any) -> str:
    """`core.scope.scope_expr` on `registry_worker.village_id` as SQL: core.scope's `region_code_q`,
    compiled by the ORM, its values inlined by the driver (COPY takes no parameters)."""
    if actor is None or actor.has_national_scope:
        return "TRUE"
    query = Worker.objects.filter(region_code_q("village__code", actor.scope_region_code)).query
    where, params = query.get_compiler(connection=connection).compile(query.where)
    connection.ensure_connection()
    return ClientCursor(connection.connection).mogrify(where, params)


def fetch_existing(niks: pl.Series, *, columns: list[str] = EXISTING_COLUMNS) -> pl.DataFrame:
    """The stored workers with these NIKs, in batches of 5,000 (PostgreSQL reads them in
    `match_existing`). Columns come back as `<name>_db` (village/occupation as
    `village_code_db`…), `nik` as is."""
    found: list[tuple[Any, ...]] = []
    values = niks.drop_nulls().unique().to_list()
    for start in range(0, len(values), 5000):
        batch = values[start : start + 5000]
        found.extend(Worker.objects.filter(nik__in=batch).values_list(*columns))
    schema = {c: _TYPES[c] for c in columns}
    return _renamed(pl.DataFrame(found, schema=schema, orient="row"))


def _renamed(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({c: _DB_RENAME.get(c, f"{c}_db") for c in frame.columns if c != "nik"})


# --- new workers ------------------------------------------------------------------------------

CREATED_COLUMNS = [
    "nik", "kk_number", "full_name", "name_key", "name_phonetic", "birth_place", "birth_date",
    "sex", "village_id", "address", "rt", "rw", "phone", "occupation_id", "occupation_text",
    "reported_income", "raw", "source", "source_import_id", "verification_status",
    "verification_notes", "life_status", "version", "created_by_id",
    "updated_by_id", "import_fingerprint",
]  # fmt: skip


class WorkerSink:
    """Where new workers go: one COPY stream on PostgreSQL, batched INSERTs elsewhere.

    On PostgreSQL a writer thread feeds the COPY, so the database ingests one chunk while the
    next is being validated (the queue holds at most two chunks: memory stays bounded).
    """

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.rows = 0
        self._stack = contextlib.ExitStack()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def __enter__(self) -> WorkerSink:
        if self.enabled and connection.vendor == "postgresql":
            cursor = self._stack.enter_context(connection.cursor())
            columns = ", ".join(f'"{c}"' for c in CREATED_COLUMNS)
            copy = self._stack.enter_context(
                cursor.copy(f"COPY {_TABLE} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')")
            )
            self._thread = threading.Thread(target=self._feed, args=(copy,), daemon=True)
            self._thread.start()
        return self

    def _feed(self, copy: Any) -> None:
        while (block := self._queue.get()) is not None:
            if self._failure is None:
                try:
                    copy.write(block)
                except BaseException as exc:  # reported to the main thread by close()
                    self._failure = exc

    def write(self, frame: pl.DataFrame) -> None:
        """New workers as rows of the worker table (CREATED_COLUMNS, in that order)."""
        if not self.enabled or frame.height == 0:
            return
        if self._failure is not None:
            raise self._failure
        if self._thread is not None:
            buffer = io.BytesIO()
            frame.write_csv(buffer, include_header=False, null_value="\\N")
            self._queue.put(buffer.getvalue())
        else:
            insert_frame(_TABLE, frame)
        self.rows += frame.height

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        self._stack.close()  # the end of the COPY: PostgreSQL reports its errors here
        if self._failure is not None:
            raise self._failure

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        try:
            self._stack.close()
        except Exception:
            if exc[0] is None:
                raise
            # Already failing: ending the COPY fails too, and the first error is the one to tell.


def is_duplicate_nik(exc: BaseException) -> bool:
    """A new worker's NIK was registered meanwhile (by a form, the API or another import).
    Other constraints are not: a value no rule should have let through is a fault, not a race."""
    for error in (exc, exc.__cause__):  # the COPY raises psycopg's error; the ORM wraps it
        if isinstance(error, PsycopgUniqueViolation):
            return error.diag.constraint_name == "registry_worker_nik_key"
    return "registry_worker.nik" in str(exc)  # SQLite: "UNIQUE constraint failed: …"


# --- updates ----------------------------------------------------------------------------------

UPDATE_COLUMNS = [
    "kk_number", "full_name", "name_key", "name_phonetic", "birth_place", "birth_date", "sex",
    "village_id", "address", "rt", "rw", "phone", "occupation_id", "occupation_text",
    "reported_income", "verification_status", "import_fingerprint",
]  # fmt: skip


def workers_update(frame: pl.DataFrame, *, actor: Any, now: dt.datetime) -> int:
    """Write the new values of existing workers (`id`, UPDATE_COLUMNS, `verification_notes`,
    `reverify`, and the `version` read): only to a worker still at that version and not merged
    meanwhile, its version bumped. Returns how many were written; fewer than the frame's rows
    means someone changed a worker since it was read (the caller rolls back)."""
    when = stamp(now)
    actor_id = actor.pk if actor is not None else None
    sets = ", ".join(f'"{c}" = s."{c}"' for c in UPDATE_COLUMNS)
    notes = (
        "verification_notes = CASE WHEN s.reverify THEN COALESCE(s.verification_notes, '[]'){cast} "
        "ELSE w.verification_notes END, "
        "verified_by_id = CASE WHEN s.reverify THEN NULL ELSE w.verified_by_id END, "
        "verified_at = CASE WHEN s.reverify THEN NULL ELSE w.verified_at END"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMP TABLE worker_updates ON COMMIT DROP AS SELECT id, kk_number, full_name,"  # noqa: S608
                " name_key, name_phonetic, birth_place, birth_date, sex, village_id, address, rt, rw,"
                " phone, occupation_id, occupation_text, reported_income, verification_status,"
                " import_fingerprint, verification_notes::text AS verification_notes,"
                " true AS reverify, version"
                f" FROM {_TABLE} WITH NO DATA"
            )
            copy_frame("worker_updates", frame)
            # Only a worker still as the import read it (same version, not merged meanwhile).
            cursor.execute(
                f"UPDATE {_TABLE} w SET {sets}, {notes.format(cast='::jsonb')},"  # noqa: S608
                " version = w.version + 1, updated_at = %s, updated_by_id = %s"
                " FROM worker_updates s"
                " WHERE w.id = s.id AND w.version = s.version AND w.merged_into_id IS NULL",
                [when, actor_id],
            )
            written = cursor.rowcount
            cursor.execute("DROP TABLE worker_updates")
        else:
            params = frame.with_columns(pl.col("birth_date").cast(pl.String)).rows(named=True)
            assignments = ", ".join(f'"{c}" = %({c})s' for c in UPDATE_COLUMNS)
            cursor.executemany(
                f"UPDATE {_TABLE} SET {assignments},"  # noqa: S608
                " verification_notes = CASE WHEN %(reverify)s THEN COALESCE(%(verification_notes)s, '[]') ELSE verification_notes END,"
                " verified_by_id = CASE WHEN %(reverify)s THEN NULL ELSE verified_by_id END,"
                " verified_at = CASE WHEN %(reverify)s THEN NULL ELSE verified_at END,"
                f" version = version + 1, updated_at = %(stamp)s, updated_by_id = %(actor)s"
                " WHERE id = %(id)s AND version = %(version)s AND merged_into_id IS NULL",
                [{**p, "stamp": when, "actor": actor_id} for p in params],
            )
            written = cursor.rowcount
    return int(written)


# --- life events ------------------------------------------------------------------------------


def life_events_create(
    events: Iterable[tuple[str, str, dt.date, str]], *, actor: Any, now: dt.datetime, note: str = ""
) -> list[LifeEvent]:
    """Record life events of workers known by NIK — (nik, kind, date, reason) — and each
    worker's life status from the events in force (death first), its version bumped. A repeat
    of an event already recorded is no event. Each worker's history gets one audit row.

    Ending cover and opening claims are not the registry's: the caller's workflow follows up
    (`lindungi.lifecycle.life_events`)."""
    wanted = list(events)
    if not wanted:
        return []
    ids = dict(Worker.objects.filter(nik__in={e[0] for e in wanted}).values_list("nik", "id"))
    existing = set(
        LifeEvent.objects.filter(worker_id__in=ids.values(), cancelled_at__isnull=True).values_list(
            "worker_id", "kind", "event_date"
        )
    )
    recorder = actor if getattr(actor, "pk", None) else None
    new_events: list[LifeEvent] = []
    for nik, kind, event_date, reason in wanted:
        key = (ids[nik], kind, event_date)
        if key in existing:
            continue
        existing.add(key)
        new_events.append(
            LifeEvent(
                worker_id=ids[nik],
                kind=kind,
                event_date=event_date,
                reason=reason,
                recorded_by=recorder,
                recorded_at=now,
            )
        )
    LifeEvent.objects.bulk_create(new_events)
    workers = list(
        Worker.objects.filter(pk__in={e.worker_id for e in new_events}).only(
            "id", "village_id", "life_status", "life_status_date"
        )
    )
    statuses = life_statuses([w.pk for w in workers])
    per_worker: dict[int, list[dict[str, Any]]] = {}
    for e in new_events:
        per_worker.setdefault(e.worker_id, []).append(
            {"id": e.pk, "kind": e.kind, "date": e.event_date.isoformat(), "evidence": False}
        )
    items = []
    for worker in workers:
        before: tuple[str, dt.date | None] = (worker.life_status, worker.life_status_date)
        worker.life_status, worker.life_status_date = statuses[worker.pk]
        worker.version = F("version") + 1
        worker.updated_at = now
        worker.updated_by = recorder
        worker.import_fingerprint = None  # the stored values no longer come from a file row
        recorded = per_worker[worker.pk]
        items.append(
            (
                worker.pk,
                worker.village_id,
                {
                    "life_status": [before[0], worker.life_status],
                    "life_status_date": [
                        before[1].isoformat() if before[1] else None,
                        worker.life_status_date.isoformat() if worker.life_status_date else None,
                    ],
                    "event": [None, recorded[0] if len(recorded) == 1 else recorded],
                },
            )
        )
    Worker.objects.bulk_update(
        workers,
        ["life_status", "life_status_date", "version", "updated_at", "updated_by",
         "import_fingerprint"],
        batch_size=2000,
    )  # fmt: skip
    audit_record_many(
        actor=actor, action="worker.life_event", object_type="registry.worker", items=items,
        note=note,
    )  # fmt: skip
    return new_events
