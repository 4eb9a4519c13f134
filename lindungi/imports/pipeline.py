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
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
from django.db import IntegrityError as DjangoIntegrityError
from django.db import connection, transaction
from django.utils import timezone
from psycopg.errors import UniqueViolation as PsycopgUniqueViolation

from lindungi.core.audit import audit_record, audit_record_many
from lindungi.core.faults import checkpoint
from lindungi.core.scope import region_code_q, scope_expr
from lindungi.core.spreadsheets.readers import ROW, RawTable
from lindungi.core.spreadsheets.rows import non_data_rows
from lindungi.lifecycle.life_events import life_events_follow_up
from lindungi.registry.bulk import (
    WorkerSink,
    is_duplicate_nik,
    life_events_create,
    match_existing,
    workers_update,
)
from lindungi.registry.errors import RegistryError
from lindungi.registry.models import LifeEventKind, Worker
from lindungi.registry.services import search_index_bulk_write
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
        outside = pl.col("id_db").is_not_null() & ~scope_expr(self.actor, pl.col("village_code_db"))
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
            if is_duplicate_nik(exc):
                raise RegistryChanged from exc
            raise


def _run(
    imp: WorkerImport,
    table: RawTable,
    *,
    actor: Any,
    dry_run: bool,
    report: Progress,
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
        sink = stack.enter_context(WorkerSink(enabled=not dry_run))
        done = 0
        for chunk in classifier.chunks():
            created = chunk.filter(pl.col("status") == RowStatus.CREATED.value)
            if not dry_run and created.height:
                sink.write(_created_frame(imp, created.sort("nik"), actor=actor, now=now))
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
    written = workers_update(frame, actor=actor, now=now)
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
    """Deaths and other life events the file states (a repeat of a recorded event is none),
    recorded by the registry and followed up by the life-event workflow like any other: cover
    ends on the event's date, a death with cover opens its claim."""
    wanted = rows.filter(
        pl.col("status").is_in(
            [RowStatus.CREATED.value, RowStatus.UPDATED.value, RowStatus.UNCHANGED.value]
        )
        & pl.col("event_kind").is_not_null()
    )
    if wanted.height == 0:
        return 0
    new_events = life_events_create(
        (
            (row["nik"], row["event_kind"], row["event_date"],
             f"Impor {imp.file_name}, baris {row[ROW]}")
            for row in wanted.iter_rows(named=True)
        ),
        actor=actor,
        now=now,
        note=f"impor {imp.file_name}",
    )  # fmt: skip
    life_events_follow_up(actor=actor, events=new_events)
    return len(new_events)


def rejected_rows(table: RawTable, report: pl.DataFrame) -> pl.DataFrame:
    """The original cells of each rejected row and, in Indonesian, what to fix."""
    rejected = report.filter(pl.col("status") == RowStatus.REJECTED.value).select(
        pl.col("row").alias(ROW), pl.col("messages").alias("Keterangan perbaikan")
    )
    return table.original.join(rejected, on=ROW, how="inner", maintain_order="left")


def path_of(imp: WorkerImport) -> Path:
    return Path(imp.file.path)
