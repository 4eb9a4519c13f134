"""The import pipeline: read → skip non-data rows → validate column-wise → classify → apply.

Every data row ends in exactly one outcome (created, updated, unchanged, rejected, skipped).
Everything the registry receives is written in ONE transaction, set-based (COPY on
PostgreSQL), so a failure or a crash leaves the registry as it was; running the same upload
again then finishes with the same result. Re-uploading a file changes nothing: its rows are
`unchanged`. A column the file lacks, or an empty cell, never erases stored data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import queue
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
from django.db import IntegrityError as DjangoIntegrityError
from django.db import connection, transaction
from django.utils import timezone
from psycopg import ClientCursor
from psycopg.errors import UniqueViolation as PsycopgUniqueViolation

from lindungi.claims.services import claims_open_for_deaths
from lindungi.core.audit import audit_record, audit_record_many
from lindungi.core.bulk import copy_frame, insert_frame
from lindungi.core.faults import checkpoint
from lindungi.core.scope import region_code_q
from lindungi.core.spreadsheets.readers import ROW, RawTable
from lindungi.core.spreadsheets.rows import non_data_rows
from lindungi.enrolment.services import enrolments_end_for_life_events
from lindungi.registry.errors import RegistryError
from lindungi.registry.models import LifeEvent, LifeEventKind, Worker
from lindungi.registry.services import life_status_of, search_index_bulk_write
from lindungi.registry.validation import INPUT_COLUMNS, WorkerValidator

from .errors import ImportErrorCode
from .models import RowStatus, WorkerImport

Progress = Callable[[int, str], None]  # (percent, message)
# Rows validated per step. The database ingests a chunk while the next one is validated; the
# last chunk's write overlaps nothing, so a smaller chunk shortens that tail (50,000 → 25,000:
# ~0.15 s less on 100,000 rows, the same on a million).
CHUNK_ROWS = 25_000
# The first chunk is small: the database idles until it arrives (100,000 rows: 0.3 s sooner).
FIRST_CHUNK_ROWS = 5_000

# Validator output → model column, for the fields an import may set.
FIELD_COLUMNS = {
    "kk_number": "kk_number",
    "full_name": "full_name",
    "birth_place": "birth_place",
    "birth_date": "birth_date",
    "sex": "sex",
    "village_code": "village_id",
    "address": "address",
    "rt": "rt",
    "rw": "rw",
    "phone": "phone",
    "occupation_code": "occupation_id",
    "occupation_text": "occupation_text",
    "reported_income": "reported_income",
}
# Which file columns make a field "present" (absent columns never change stored values).
FIELD_SOURCES = {
    "kk_number": {"kk_number"},
    "full_name": {"full_name"},
    "birth_place": {"birth_place", "birth_place_date"},
    "birth_date": {"birth_date", "birth_place_date"},
    "sex": {"sex"},
    "village_code": {"village"},
    "address": {"address"},
    "rt": {"rt", "rt_rw"},
    "rw": {"rw", "rt_rw"},
    "phone": {"phone"},
    "occupation_code": {"occupation"},
    "occupation_text": {"occupation"},
    "reported_income": {"reported_income"},
}
IDENTITY = {"full_name", "birth_date", "sex", "village_code"}
AUDITED = [f for f in FIELD_COLUMNS if f != "occupation_text"]

_STATUS_KINDS = [
    (re.compile(r"(?i)\b(meninggal|wafat|almarhum|almarhumah|alm|md)\b"), LifeEventKind.DECEASED),
    (re.compile(r"(?i)\b(pindah)\b"), LifeEventKind.MOVED_OUT),
    (re.compile(r"(?i)\b(pekerja formal|formal|karyawan|penerima upah|pns|asn)\b"), LifeEventKind.FORMAL_EMPLOYEE),
    (re.compile(r"(?i)\b(mengundurkan diri|undur diri|berhenti|keluar)\b"), LifeEventKind.WITHDRAWN),
]  # fmt: skip


def _message(code: str, arg: str | None) -> str:
    try:
        label = str(RegistryError(code).label)
    except ValueError:
        label = str(ImportErrorCode(code).label)
    return label.format(arg=arg if arg is not None else "")


# --- classification ---------------------------------------------------------------------------


def _status_events(frame: pl.DataFrame, validator: WorkerValidator) -> pl.DataFrame:
    """Life events named in a KETERANGAN/STATUS column: kind and date per row (or a problem)."""
    if "status" not in frame.columns:
        return pl.DataFrame(schema={ROW: pl.Int64, "event_kind": pl.String, "event_date": pl.Date})
    rows = frame.select(ROW, "status", *(["event_date"] if "event_date" in frame.columns else []))
    rows = rows.filter(pl.col("status").is_not_null())
    kinds = []
    for text in rows.get_column("status").to_list():
        kind = next((k.value for pattern, k in _STATUS_KINDS if pattern.search(text)), None)
        kinds.append(kind)
    rows = rows.with_columns(pl.Series("event_kind", kinds, dtype=pl.String))
    # The date: its own column, else a date written after the word ("Meninggal 12-03-2026").
    embedded = pl.col("status").str.extract(
        r"(\d{1,2}[\s./-]+\S+[\s./-]+\d{4}|\d{4}-\d{2}-\d{2})", 1
    )
    source = (
        pl.coalesce(pl.col("event_date"), embedded) if "event_date" in rows.columns else embedded
    )
    rows = rows.with_columns(source.alias("event_date_raw"))
    parsed = validator.parse_dates(rows.get_column("event_date_raw"))
    return rows.select(ROW, "event_kind", parsed.alias("event_date"))


def _with_issue(
    rows: pl.DataFrame, when: pl.Expr, field_name: str, code: str, arg: pl.Expr
) -> pl.DataFrame:
    """Append an issue to `errors` where `when` holds."""
    issue = pl.concat_list(
        pl.struct(field=pl.lit(field_name), code=pl.lit(code), arg=arg.cast(pl.String))
    )
    return rows.with_columns(
        pl.when(when)
        .then(pl.col("errors").list.concat(issue))
        .otherwise(pl.col("errors"))
        .alias("errors")
    )


FINGERPRINT_SEED = 20_261_123


class Classifier:
    """Classifies the rows of a table chunk by chunk, in NIK order.

    NIK order keeps every copy of a NIK together (the in-file duplicate check needs only the
    neighbouring chunk) and makes the unique index grow at its edge when rows are inserted.
    A row whose fingerprint (its cells, the upload region) equals the one stored with the worker
    it names was imported before unchanged: it is `unchanged` without being validated again.
    """

    def __init__(self, table: RawTable, *, region_code: str, actor: Any) -> None:
        frame = table.frame
        if "village" not in frame.columns and len(region_code) == 13:
            # A village's own list needs no village column: every row lives there.
            frame = frame.with_columns(pl.lit(region_code).alias("village"))
        self.actor = actor
        self.validator = WorkerValidator(root_code=region_code)
        skipped = non_data_rows(frame)
        self.skipped_rows = pl.concat(
            [frame.filter(skipped).get_column(ROW), table.blank_rows]
        ).sort()
        self.inputs = [c for c in INPUT_COLUMNS if c in frame.columns]
        nik_key = (
            pl.col("nik").str.strip_chars().str.replace(r"^'", "").str.replace_all(r"[\s.\-]", "")
        )
        cells = [pl.lit(region_code), *[pl.col(c).fill_null("\x00") for c in sorted(self.inputs)]]
        fingerprint = (
            pl.concat_str([*cells, pl.col("nik_is_number").cast(pl.String)], separator="\x1f")
            .hash(seed=FINGERPRINT_SEED)
            .reinterpret(signed=True)
        )
        self.data = (
            frame.filter(~skipped)
            .with_columns(nik_key.alias("nik_key"), fingerprint.alias("fingerprint"))
            .sort(["nik_key", ROW], nulls_last=True)
        )
        self.present = {f for f, sources in FIELD_SOURCES.items() if sources & set(frame.columns)}
        self._carry: tuple[str, int] | None = None  # the last imported NIK of the previous chunk
        self.existing = pl.DataFrame()
        self._no_rows: pl.DataFrame | None = None  # what validating no rows gives (its schema)

    @property
    def rows(self) -> int:
        return self.data.height

    def load_existing(self) -> None:
        """What the registry holds for the file's NIKs, read before any write begins."""
        well_formed = pl.col("nik_key").str.contains(r"^\d{16}$")
        keys = (
            self.data.with_row_index("position")
            .filter(well_formed)
            .select("position", "nik_key", "fingerprint")
        )
        positions, self.existing = match_existing(keys, self.actor)
        seen = pl.repeat(False, self.data.height, dtype=pl.Boolean, eager=True)
        self.data = self.data.with_columns(seen.scatter(positions, True).alias("seen"))
        # Nothing may query the database once the COPY stream is open: read the references now.
        self.validator.reference.load()

    def chunks(self) -> Iterator[pl.DataFrame]:
        offset, step = 0, min(FIRST_CHUNK_ROWS, CHUNK_ROWS)
        while offset < self.data.height:
            yield self._classify(self.data.slice(offset, step))
            offset, step = offset + step, CHUNK_ROWS

    def _classify(self, chunk: pl.DataFrame) -> pl.DataFrame:
        seen = chunk.filter(pl.col("seen")).select(
            ROW,
            pl.col("nik_key").alias("nik"),
            pl.col("nik").alias("raw_nik"),
            pl.lit(RowStatus.UNCHANGED.value).alias("status"),
            pl.lit([], dtype=ISSUES).alias("errors"),
            pl.lit([], dtype=ISSUES).alias("warnings"),
        )
        unseen = chunk.filter(~pl.col("seen"))
        if unseen.height or self._no_rows is None:
            rows = self._validated(unseen)
            if not unseen.height:
                self._no_rows = rows
        else:
            rows = self._no_rows  # a chunk imported before unchanged: nothing to validate
        rows = pl.concat([rows, seen], how="diagonal_relaxed")
        if unseen.height:  # rows imported before unchanged alone are in NIK order already
            rows = rows.sort(["nik", ROW], nulls_last=True)
        # The same NIK twice in one file: the first valid row wins, later ones name it.
        valid = pl.col("errors").list.len() == 0
        rows = rows.with_columns(
            pl.when(valid).then(pl.col(ROW).min().over("nik")).alias("first_row")
        )
        if self._carry is not None:
            carried_nik, carried_row = self._carry
            rows = rows.with_columns(
                pl.when(valid & (pl.col("nik") == carried_nik))
                .then(pl.lit(carried_row))
                .otherwise(pl.col("first_row"))
                .alias("first_row")
            )
        rows = _with_issue(
            rows,
            valid & (pl.col("first_row") != pl.col(ROW)),
            "nik",
            ImportErrorCode.DUPLICATE_IN_FILE.value,
            pl.col("first_row"),
        ).with_columns(
            pl.when(pl.col("errors").list.len() > 0)
            .then(pl.lit(RowStatus.REJECTED.value))
            .otherwise(pl.col("status"))
            .alias("status")
        )
        last = rows.filter(pl.col("errors").list.len() == 0).select("nik", ROW).tail(1)
        if last.height:
            self._carry = (last.item(0, "nik"), last.item(0, ROW))
        return rows

    def _validated(self, chunk: pl.DataFrame) -> pl.DataFrame:
        rows = self.validator.validate_frame(
            chunk.select(*self.inputs, "nik_is_number")
        ).with_columns(
            chunk.get_column(ROW),
            chunk.get_column("nik").alias("raw_nik"),
            chunk.get_column("fingerprint"),
        )
        events = _status_events(chunk, self.validator)
        rows = rows.join(events, on=ROW, how="left", maintain_order="left")
        rows = _with_issue(
            rows,
            pl.col("event_kind").is_not_null() & pl.col("event_date").is_null(),
            "status",
            ImportErrorCode.DEATH_DATE_REQUIRED.value,
            pl.col("event_kind"),
        )
        rows = rows.join(self.existing, on="nik", how="left", maintain_order="left")
        # Stored outside the actor's scope, or merged into another record: not ours to change.
        valid = pl.col("errors").list.len() == 0
        outside = pl.col("id_db").is_not_null() & ~_in_scope(self.actor, pl.col("village_code_db"))
        rows = _with_issue(
            rows, valid & outside, "nik", RegistryError.NIK_TAKEN_ELSEWHERE.value, pl.lit(None)
        )
        valid = pl.col("errors").list.len() == 0
        merged = pl.col("merged_into_id_db").is_not_null()
        rows = _with_issue(
            rows, valid & merged, "nik", RegistryError.WORKER_MERGED.value, pl.lit(None)
        )
        return _with_outcome(rows, self.present)


ISSUES = pl.List(pl.Struct({"field": pl.String, "code": pl.String, "arg": pl.String}))


def _in_scope(actor: Any, code: pl.Expr) -> pl.Expr:
    """The region-scope rule of core.scope, as a Polars expression over region codes."""
    if actor is None or actor.has_national_scope:
        return pl.lit(True)
    scope = actor.scope_region_code
    return ((code == scope) | code.str.starts_with(f"{scope}.")).fill_null(False)


def _with_outcome(rows: pl.DataFrame, present: set[str]) -> pl.DataFrame:
    """created / updated / unchanged for valid rows; the final values of updated rows."""
    valid = pl.col("errors").list.len() == 0
    changes = []
    finals = []
    for name in FIELD_COLUMNS:
        db = f"{name}_db"
        new = pl.col(name)
        given = new.is_not_null() & (new.cast(pl.String) != "")
        if name not in present:
            given = pl.lit(False)
        final = pl.when(given).then(new).otherwise(pl.col(db))
        finals.append(final.alias(f"final_{name}"))
        changes.append(
            (given & (new.cast(pl.String) != pl.col(db).cast(pl.String).fill_null("\0"))).alias(
                f"changed_{name}"
            )
        )
    rows = rows.with_columns(changes).with_columns(finals)
    any_change = pl.any_horizontal([pl.col(f"changed_{n}") for n in FIELD_COLUMNS])
    identity = pl.any_horizontal([pl.col(f"changed_{n}") for n in IDENTITY])
    status = (
        pl.when(~valid)
        .then(pl.lit(RowStatus.REJECTED.value))
        .when(pl.col("id_db").is_null())
        .then(pl.lit(RowStatus.CREATED.value))
        .when(any_change)
        .then(pl.lit(RowStatus.UPDATED.value))
        .otherwise(pl.lit(RowStatus.UNCHANGED.value))
    )
    return rows.with_columns(status.alias("status"), identity.alias("identity_changed"))


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
            & _in_scope(actor, pl.col("village_code_db"))
        )
        positions = matched.get_column("position")
        others = keys.filter(~pl.col("position").is_in(positions.implode()))
        return positions, fetch_existing(others.get_column("nik_key"))
    worker = "registry_worker"
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
    """`_in_scope` on `registry_worker.village_id` as SQL: core.scope's `region_code_q`,
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


# --- report -----------------------------------------------------------------------------------


SKIPPED_MESSAGE = "Bukan baris data (kosong, jumlah, tanda tangan, atau judul berulang)"


def build_report(rows: pl.DataFrame, skipped_rows: pl.Series) -> pl.DataFrame:
    """`row,status,nik,messages` for every data row, in the file's order."""
    issues = (
        pl.when(pl.col("status") == RowStatus.REJECTED.value)
        .then(pl.col("errors"))
        .otherwise(pl.col("warnings"))
    )
    report = rows.select(
        pl.col(ROW),
        pl.col("status"),
        pl.coalesce(pl.col("nik"), pl.col("raw_nik")).fill_null("").alias("nik"),
        issues.alias("issues"),
    )
    # Messages are rendered in Python only for the rows that have any.
    texts: list[str | None] = [None] * report.height
    flagged = report.select(pl.col("issues").list.len() > 0).to_series()
    listed = report.get_column("issues")
    for index in flagged.arg_true().to_list():
        texts[index] = "; ".join(_message(i["code"], i["arg"]) for i in listed[index])
    report = report.select(ROW, "status", "nik").with_columns(
        pl.Series("messages", texts, dtype=pl.String).fill_null("")
    )
    skipped = pl.DataFrame({ROW: skipped_rows}).with_columns(
        pl.lit(RowStatus.SKIPPED.value).alias("status"),
        pl.lit("").alias("nik"),
        pl.lit(SKIPPED_MESSAGE).alias("messages"),
    )
    return pl.concat([report, skipped], how="vertical_relaxed").sort(ROW).rename({ROW: "row"})


def counts_of(report: pl.DataFrame) -> dict[str, int]:
    tally = dict(report.group_by("status").len().iter_rows())
    return {
        "rows": report.height,
        **{status.value: int(tally.get(status.value, 0)) for status in RowStatus},
    }


# --- apply ------------------------------------------------------------------------------------


REPORT_COLUMNS = [ROW, "status", "nik", "raw_nik", "errors", "warnings"]
EVENT_COLUMNS = [ROW, "status", "nik", "event_kind", "event_date"]
# One import writes at a time (a PostgreSQL advisory lock): two uploads naming the same NIK
# would otherwise both see it missing, and the later would run again (RegistryChanged).
IMPORT_LOCK = 0x4C4D_494D  # "LMIM"


class RegistryChanged(Exception):
    """A worker this import read changed before the import wrote (edited, registered or merged
    meanwhile by someone else): the import's transaction is rolled back and it runs again."""


@contextlib.contextmanager
def _one_import_at_a_time(report: Progress) -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [IMPORT_LOCK])
        if not cursor.fetchone()[0]:
            report(12, "Menunggu impor lain selesai")
            cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK])


def run(
    imp: WorkerImport,
    table: RawTable,
    *,
    actor: Any,
    dry_run: bool,
    progress: Progress | None = None,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Classify every row and (unless a dry run) write the result in one transaction.

    Chunks are validated while the database ingests the previous chunk's new workers through
    one open COPY stream: the two halves of the work overlap on two cores.
    Imports that write queue on IMPORT_LOCK. What the import read is written only if it is
    still so (the worker's version, its NIK still free); otherwise RegistryChanged, after the
    transaction has rolled back (`import_run` runs the import again).
    Returns the row report and extra counts.
    """

    def report(percent: int, message: str) -> None:
        if progress:
            progress(percent, message)

    with contextlib.ExitStack() as lock:
        if not dry_run:
            lock.enter_context(_one_import_at_a_time(report))
        try:
            return _run(imp, table, actor=actor, dry_run=dry_run, report=report)
        except (DjangoIntegrityError, PsycopgUniqueViolation) as exc:  # rolled back by now
            if _is_duplicate_nik(exc):
                raise RegistryChanged from exc
            raise


def _run(
    imp: WorkerImport, table: RawTable, *, actor: Any, dry_run: bool, report: Progress
) -> tuple[pl.DataFrame, dict[str, int]]:
    classifier = Classifier(table, region_code=imp.region_id, actor=actor)
    report(12, "Mencocokkan NIK dengan registri")
    classifier.load_existing()
    # Asked before the new workers are written: afterwards the answer would have to step over
    # every one of them (two seconds for a million).
    region_had_workers = (
        not dry_run
        and Worker.objects.filter(region_code_q("village__code", imp.region_id)).exists()
    )
    now = timezone.now()
    reports: list[pl.DataFrame] = []
    updates: list[pl.DataFrame] = []
    events: list[pl.DataFrame] = []
    extra = {"life_events": 0, "held": 0}
    created_niks: list[pl.Series] = []
    held: dict[str, tuple[int, float]] = {}
    with contextlib.ExitStack() as stack:
        if not dry_run:
            stack.enter_context(transaction.atomic())
            search_index_bulk_write()
        sink = stack.enter_context(_CreatedSink(imp, actor=actor, now=now, enabled=not dry_run))
        done = 0
        for chunk in classifier.chunks():
            created = chunk.filter(pl.col("status") == RowStatus.CREATED.value)
            sink.write(created)
            created_niks.append(created.get_column("nik"))
            updates.append(chunk.filter(pl.col("status") == RowStatus.UPDATED.value))
            events.append(chunk.filter(pl.col("event_kind").is_not_null()).select(EVENT_COLUMNS))
            reports.append(chunk.select(REPORT_COLUMNS))
            done += chunk.height
            label = "Memeriksa dan menyimpan" if not dry_run else "Memeriksa"
            report(
                15 + int(70 * done / max(classifier.rows, 1)),
                f"{label} {done:,} baris".replace(",", "."),
            )
        sink.close()
        if not dry_run:
            updated = pl.concat(updates, how="diagonal_relaxed") if updates else pl.DataFrame()
            if updated.height:
                _update_existing(imp, updated, actor=actor, now=now)
            extra["life_events"] = _record_events(
                imp,
                pl.concat(events)
                if events
                else pl.DataFrame(schema=dict.fromkeys(EVENT_COLUMNS, pl.String)),
                actor=actor,
                now=now,
            )
            report(88, "Memeriksa kemungkinan data ganda")
            if region_had_workers:
                held = _hold_probable_duplicates(imp, created_niks, actor=actor)
            extra["held"] = len(held)
            counts = {"created": sink.rows, "updated": updated.height, "held": len(held)}
            audit_record(
                actor=actor,
                action="worker.import",
                obj=imp,
                region_code=imp.region_id,
                changes={
                    "file": [None, imp.file_name],
                    "sha256": [None, imp.sha256],
                    **{k: [None, v] for k, v in counts.items()},
                    "life_events": [None, extra["life_events"]],
                },
            )
            checkpoint("import.apply")  # fault tests kill the process here, inside the transaction
    rows = (
        pl.concat(reports, how="diagonal_relaxed")
        if reports
        else pl.DataFrame(schema=REPORT_SCHEMA)
    )
    return _mark_held(build_report(rows, classifier.skipped_rows), held), extra


HELD_MESSAGE = (
    "Kemungkinan orang yang sama dengan pekerja terdaftar #{other} (kemiripan {percent}%); "
    "ditahan sebagai perlu verifikasi sampai ditinjau di antrean data ganda"
)


def _hold_probable_duplicates(
    imp: WorkerImport, created_niks: list[pl.Series], *, actor: Any
) -> dict[str, tuple[int, float]]:
    """New workers that probably are an existing worker under another NIK: pairs go to the
    review queue and the new worker waits as `perlu verifikasi` (dedup link mode). Called only
    when the region held workers before this import."""
    from lindungi.dedup.services import check_new_workers

    niks = pl.concat(created_niks) if created_niks else pl.Series("nik", [], pl.String)
    if niks.len() == 0:
        return {}
    held = check_new_workers(
        new_niks=niks, region_code=imp.region_id, actor=actor, source_import=imp
    )
    return held.by_nik


def _mark_held(report: pl.DataFrame, held: dict[str, tuple[int, float]]) -> pl.DataFrame:
    if not held:
        return report
    notes = pl.DataFrame(
        {
            "nik": list(held),
            "held_note": [
                HELD_MESSAGE.format(other=o, percent=round(100 * p)) for o, p in held.values()
            ],
        }
    )
    return (
        report.join(notes, on="nik", how="left")
        .with_columns(
            pl.when(pl.col("held_note").is_null())
            .then(pl.col("messages"))
            .when(pl.col("messages") == "")
            .then(pl.col("held_note"))
            .otherwise(pl.concat_str(["messages", "held_note"], separator="; "))
            .alias("messages")
        )
        .drop("held_note")
    )


REPORT_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    ROW: pl.Int64,
    "status": pl.String,
    "nik": pl.String,
    "raw_nik": pl.String,
    "errors": pl.List(pl.Struct({"field": pl.String, "code": pl.String, "arg": pl.String})),
    "warnings": pl.List(pl.Struct({"field": pl.String, "code": pl.String, "arg": pl.String})),
}


class _CreatedSink:
    """Where new workers go: one COPY stream on PostgreSQL, batched INSERTs elsewhere.

    On PostgreSQL a writer thread feeds the COPY, so the database ingests one chunk while the
    next is being validated (the queue holds at most two chunks: memory stays bounded).
    """

    def __init__(self, imp: WorkerImport, *, actor: Any, now: dt.datetime, enabled: bool) -> None:
        self.imp, self.actor, self.now, self.enabled = imp, actor, now, enabled
        self.rows = 0
        self._stack = contextlib.ExitStack()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def __enter__(self) -> _CreatedSink:
        if self.enabled and connection.vendor == "postgresql":
            cursor = self._stack.enter_context(connection.cursor())
            columns = ", ".join(f'"{c}"' for c in CREATED_COLUMNS)
            copy = self._stack.enter_context(
                cursor.copy(
                    f"COPY registry_worker ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                )
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

    def write(self, created: pl.DataFrame) -> None:
        if not self.enabled or created.height == 0:
            return
        if self._failure is not None:
            raise self._failure
        frame = _created_frame(self.imp, created.sort("nik"), actor=self.actor, now=self.now)
        if self._thread is not None:
            buffer = io.BytesIO()
            frame.write_csv(buffer, include_header=False, null_value="\\N")
            self._queue.put(buffer.getvalue())
        else:
            insert_frame("registry_worker", frame)
        self.rows += created.height

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


def _is_duplicate_nik(exc: BaseException) -> bool:
    """A new worker's NIK was registered meanwhile (by a form, the API or another import).
    Other constraints are not: a value no rule should have let through is a fault, not a race."""
    for error in (exc, exc.__cause__):  # the COPY raises psycopg's error; the ORM wraps it
        if isinstance(error, PsycopgUniqueViolation):
            return error.diag.constraint_name == "registry_worker_nik_key"
    return "registry_worker.nik" in str(exc)  # SQLite: "UNIQUE constraint failed: …"


def notes_json(rows: pl.DataFrame) -> pl.Series:
    """The warnings of each row as the JSON stored in `verification_notes` (null: none)."""
    texts: list[str | None] = [None] * rows.height
    warned = rows.select(pl.col("warnings").list.len() > 0).to_series()
    for index in warned.arg_true().to_list():
        issues = rows.get_column("warnings")[index]
        texts[index] = json.dumps(
            [
                {"field": i["field"], "code": i["code"], "message": _message(i["code"], i["arg"])}
                for i in issues
            ],
            ensure_ascii=False,
        )
    return pl.Series("notes", texts, dtype=pl.String)


def _verification(rows: pl.DataFrame, *, keep_existing: bool) -> list[pl.Expr]:
    """Created rows wait for verification; updated ones return to it when their identity
    changed or they carry warnings (with the warnings as notes)."""
    has_warnings = pl.col("warnings").list.len() > 0
    notes = pl.col("notes")
    if not keep_existing:
        return [
            pl.lit("pending").alias("verification_status"),
            pl.when(has_warnings).then(notes).otherwise(pl.lit("[]")).alias("verification_notes"),
        ]
    back_to_pending = pl.col("identity_changed") | has_warnings
    return [
        pl.when(back_to_pending)
        .then(pl.lit("pending"))
        .otherwise(pl.col("verification_status_db"))
        .alias("verification_status"),
        pl.when(has_warnings)
        .then(notes)
        .otherwise(pl.lit(None, pl.String))
        .alias("verification_notes"),
        back_to_pending.alias("reverify"),
    ]


def _stamp(now: dt.datetime) -> str:
    """A timestamp as the database stores it (SQLite keeps naive UTC text)."""
    if connection.vendor == "postgresql":
        return now.isoformat()
    return str(connection.ops.adapt_datetimefield_value(now))


CREATED_COLUMNS = [
    "nik", "kk_number", "full_name", "name_key", "name_phonetic", "birth_place", "birth_date",
    "sex", "village_id", "address", "rt", "rw", "phone", "occupation_id", "occupation_text",
    "reported_income", "raw", "source", "source_import_id", "verification_status",
    "verification_notes", "life_status", "version", "created_by_id",
    "updated_by_id", "import_fingerprint",
]  # fmt: skip


def _created_frame(
    imp: WorkerImport, created: pl.DataFrame, *, actor: Any, now: dt.datetime
) -> pl.DataFrame:
    """New workers as rows of registry_worker (CREATED_COLUMNS, in that order); their
    `created_at`/`updated_at` are the database's default, the transaction's time."""
    actor_id = actor.pk if actor is not None else None
    import_id = WorkerImport._meta.pk.get_db_prep_value(imp.pk, connection)
    created = created.with_columns(notes_json(created))
    return created.select(
        "nik",
        pl.col("kk_number").fill_null(""),
        "full_name",
        "name_key",
        "name_phonetic",
        pl.col("birth_place").fill_null(""),
        "birth_date",
        "sex",
        pl.col("village_code").alias("village_id"),
        pl.col("address").fill_null(""),
        pl.col("rt").fill_null(""),
        pl.col("rw").fill_null(""),
        pl.col("phone").fill_null(""),
        pl.col("occupation_code").alias("occupation_id"),
        pl.col("occupation_text").fill_null(""),
        "reported_income",
        pl.lit("{}").alias("raw"),
        pl.lit("import").alias("source"),
        pl.lit(str(import_id)).alias("source_import_id"),
        *_verification(created, keep_existing=False),
        pl.lit("active").alias("life_status"),
        pl.lit(1).alias("version"),
        pl.lit(actor_id, pl.Int64).alias("created_by_id"),
        pl.lit(actor_id, pl.Int64).alias("updated_by_id"),
        pl.col("fingerprint").alias("import_fingerprint"),
    )


UPDATE_COLUMNS = [
    "kk_number", "full_name", "name_key", "name_phonetic", "birth_place", "birth_date", "sex",
    "village_id", "address", "rt", "rw", "phone", "occupation_id", "occupation_text",
    "reported_income", "verification_status", "import_fingerprint",
]  # fmt: skip


def _update_existing(
    imp: WorkerImport, updated: pl.DataFrame, *, actor: Any, now: dt.datetime
) -> None:
    from lindungi.registry.names import phonetic_keys

    updated = updated.with_columns(notes_json(updated))
    finals = updated.select(
        pl.col("id_db").alias("id"),
        pl.col("version_db").alias("version"),
        *[pl.col(f"final_{n}").alias(n) for n in FIELD_COLUMNS],
        *_verification(updated, keep_existing=True),
        pl.col("fingerprint").alias("import_fingerprint"),
    ).with_columns(
        pl.col("full_name").str.to_lowercase().alias("name_key"),
    )
    finals = finals.with_columns(
        phonetic_keys(finals.get_column("full_name")).alias("name_phonetic")
    )
    frame = finals.select(
        "id",
        *[
            pl.col(c).fill_null("")
            for c in ("kk_number", "full_name", "name_key", "name_phonetic", "birth_place")
        ],
        "birth_date",
        "sex",
        pl.col("village_code").alias("village_id"),
        *[pl.col(c).fill_null("") for c in ("address", "rt", "rw", "phone")],
        pl.col("occupation_code").alias("occupation_id"),
        pl.col("occupation_text").fill_null(""),
        "reported_income",
        "verification_status",
        "import_fingerprint",
        "verification_notes",
        "reverify",
        "version",
    )
    stamp = _stamp(now)
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
                "CREATE TEMP TABLE import_updates ON COMMIT DROP AS SELECT id, kk_number, full_name,"
                " name_key, name_phonetic, birth_place, birth_date, sex, village_id, address, rt, rw,"
                " phone, occupation_id, occupation_text, reported_income, verification_status,"
                " import_fingerprint, verification_notes::text AS verification_notes,"
                " true AS reverify, version"
                " FROM registry_worker WITH NO DATA"
            )
            copy_frame("import_updates", frame)
            # Only a worker still as the import read it (same version, not merged meanwhile).
            cursor.execute(
                f"UPDATE registry_worker w SET {sets}, {notes.format(cast='::jsonb')},"  # noqa: S608
                " version = w.version + 1, updated_at = %s, updated_by_id = %s"
                " FROM import_updates s"
                " WHERE w.id = s.id AND w.version = s.version AND w.merged_into_id IS NULL",
                [stamp, actor_id],
            )
            written = cursor.rowcount
            cursor.execute("DROP TABLE import_updates")
        else:
            params = frame.with_columns(pl.col("birth_date").cast(pl.String)).rows(named=True)
            assignments = ", ".join(f'"{c}" = %({c})s' for c in UPDATE_COLUMNS)
            cursor.executemany(
                f"UPDATE registry_worker SET {assignments},"  # noqa: S608
                " verification_notes = CASE WHEN %(reverify)s THEN COALESCE(%(verification_notes)s, '[]') ELSE verification_notes END,"
                " verified_by_id = CASE WHEN %(reverify)s THEN NULL ELSE verified_by_id END,"
                " verified_at = CASE WHEN %(reverify)s THEN NULL ELSE verified_at END,"
                f" version = version + 1, updated_at = %(stamp)s, updated_by_id = %(actor)s"
                " WHERE id = %(id)s AND version = %(version)s AND merged_into_id IS NULL",
                [{**p, "stamp": stamp, "actor": actor_id} for p in params],
            )
            written = cursor.rowcount
    if written != frame.height:
        raise RegistryChanged
    # Each updated worker's history shows what the import changed (before → after).
    items = []
    for row in updated.iter_rows(named=True):
        changes = {
            FIELD_COLUMNS[n].replace("_id", "")
            if n in ("village_code", "occupation_code")
            else n: [_jsonable(row[f"{n}_db"]), _jsonable(row[n])]
            for n in AUDITED
            if row[f"changed_{n}"]
        }
        items.append((row["id_db"], row["village_code"] or row["village_code_db"], changes))
    audit_record_many(
        actor=actor,
        action="worker.update",
        object_type="registry.worker",
        items=items,
        note=f"impor {imp.file_name}",
    )


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _record_events(imp: WorkerImport, rows: pl.DataFrame, *, actor: Any, now: dt.datetime) -> int:
    """Deaths and other life events the file states; a repeat of a recorded event is a no-op."""
    wanted = rows.filter(
        pl.col("status").is_in(
            [RowStatus.CREATED.value, RowStatus.UPDATED.value, RowStatus.UNCHANGED.value]
        )
        & pl.col("event_kind").is_not_null()
    )
    if wanted.height == 0:
        return 0
    ids = dict(
        Worker.objects.filter(nik__in=wanted.get_column("nik").to_list()).values_list("nik", "id")
    )
    existing = set(
        LifeEvent.objects.filter(worker_id__in=ids.values(), cancelled_at__isnull=True).values_list(
            "worker_id", "kind", "event_date"
        )
    )
    new_events = []
    for row in wanted.iter_rows(named=True):
        worker_id = ids[row["nik"]]
        key = (worker_id, row["event_kind"], row["event_date"])
        if key in existing:
            continue
        existing.add(key)
        new_events.append(
            LifeEvent(
                worker_id=worker_id,
                kind=row["event_kind"],
                event_date=row["event_date"],
                reason=f"Impor {imp.file_name}, baris {row[ROW]}",
                recorded_by=actor if getattr(actor, "pk", None) else None,
                recorded_at=now,
            )
        )
    LifeEvent.objects.bulk_create(new_events)
    for worker in Worker.objects.filter(pk__in={e.worker_id for e in new_events}):
        status, date = life_status_of(worker)
        Worker.objects.filter(pk=worker.pk).update(
            life_status=status, life_status_date=date, version=worker.version + 1, updated_at=now
        )
    # A death or a move the file reports ends the worker's cover (explicit follow-up, no signal).
    enrolments_end_for_life_events(actor=actor, worker_ids={e.worker_id for e in new_events})
    # A death with cover opens its claim case (explicit follow-up, as above).
    claims_open_for_deaths(
        actor=actor,
        worker_ids={e.worker_id for e in new_events if e.kind == LifeEventKind.DECEASED},
    )
    return len(new_events)


def rejected_rows(table: RawTable, report: pl.DataFrame) -> pl.DataFrame:
    """The original cells of each rejected row and, in Indonesian, what to fix."""
    rejected = report.filter(pl.col("status") == RowStatus.REJECTED.value).select(
        pl.col("row").alias(ROW), pl.col("messages").alias("Keterangan perbaikan")
    )
    return table.original.join(rejected, on=ROW, how="inner", maintain_order="left")


def path_of(imp: WorkerImport) -> Path:
    return Path(imp.file.path)
