"""The files exchanged with BPJS: a batch's registration file out (in a layout held as data),
BPJS's answer in (NIK, KPJ, status, reason) with a row-level outcome report.

Every row of a return file ends in exactly one outcome: `updated` (BPJS's answer recorded),
`unchanged` (that answer was already recorded), `rejected` (not applied, with the reason) or
`skipped` (blank, totals, signature lines). Everything is applied in one transaction; a failure
changes nothing, and re-importing the same file changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import polars as pl
from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.audit import audit_record
from lindungi.core.bulk import insert_frame
from lindungi.core.errors import Conflict, DomainError, NotFound
from lindungi.core.exports import safe_cell
from lindungi.core.files import file_digest
from lindungi.core.jobs import job_start
from lindungi.core.models import AuditEvent
from lindungi.core.privacy import mask_nik
from lindungi.core.scope import person_rows, require_own_region
from lindungi.core.spreadsheets.columns import ColumnSpec
from lindungi.core.spreadsheets.errors import SpreadsheetError
from lindungi.core.spreadsheets.readers import ROW, read_table, upload_size_check
from lindungi.core.spreadsheets.rows import non_data_rows
from lindungi.programmes.selectors import can_manage
from lindungi.regions.models import Region
from lindungi.registry.validation import WorkerValidator

from .errors import EnrolmentError, ReturnRow
from .layouts import DEFAULT_EXPORT, EXPORT_FIELDS, RETURN_REQUIRED, RETURN_SYNONYMS
from .models import (
    BatchStatus,
    Enrolment,
    EnrolmentBatch,
    EnrolmentStatus,
    ExchangeLayout,
    ReturnImport,
    ReturnStatus,
)
from .selectors import return_get
from .services import batches_mark_answered, enrolments_activate_due

Progress = Callable[[int, str], None]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED_WORDS = {
    "DITERIMA", "TERIMA", "DITERIMA BPJS", "BERHASIL", "SUKSES", "AKTIF", "OK", "VALID",
    "ACCEPTED", "ACCEPT", "SUCCESS", "TERDAFTAR", "BERHASIL DIDAFTARKAN", "Y", "YA",
}  # fmt: skip
REFUSED_WORDS = {
    "DITOLAK", "TOLAK", "GAGAL", "TIDAK VALID", "INVALID", "REJECTED", "REJECT", "FAILED",
    "TIDAK DITERIMA", "GAGAL DAFTAR", "N", "TIDAK",
}  # fmt: skip
KPJ_PATTERN = re.compile(r"^\d{8,20}$")
# Values the registry stored in a normal form (a phone is `+62…`): written as they are — an
# apostrophe against formulas would reach BPJS's upload as part of the number. Free text (names,
# addresses) is neutralised in the CSV; the xlsx holds text cells, which are never evaluated.
NORMALISED_FIELDS = {"phone"}


# --- export -----------------------------------------------------------------------------------


def _batch_visible(actor: Any, batch_id: int) -> EnrolmentBatch:
    batch = (
        EnrolmentBatch.objects.visible_to(actor)
        .select_related("programme", "layout")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        raise NotFound()
    return batch


def _export_rows(
    batch: EnrolmentBatch, columns: list[dict[str, str]], actor: Any
) -> Iterator[list[Any]]:
    programme = batch.programme
    names = dict(
        Region.objects.filter(code__startswith=programme.region_id[:2])
        .exclude(level="village")
        .values_list("code", "name")
    )
    # A province's batch holds the workers of every regency it covers; each downloads its own.
    rows = (
        person_rows(Enrolment.objects.filter(batch=batch), actor, "region_code")
        .exclude(status=EnrolmentStatus.CANCELLED)
        .order_by("region_code", "id")
        .values_list(
            "pk",
            "worker__nik",
            "worker__kk_number",
            "worker__full_name",
            "worker__birth_place",
            "worker__birth_date",
            "worker__sex",
            "worker__address",
            "worker__rt",
            "worker__rw",
            "worker__village_id",
            "worker__village__name",
            "worker__occupation__name",
            "worker__phone",
            "reported_income",
            "start_date",
            "benefit_jkk",
            "benefit_jkm",
            "benefit_jht",
        )
    )
    for number, row in enumerate(rows.iterator(chunk_size=5000), start=1):
        (pk, nik, kk, name, place, birth, sex, address, rt, rw, village, village_name,
         occupation, phone, income, start, jkk, jkm, jht) = row  # fmt: skip
        values: dict[str, Any] = {
            "row_number": number,
            "nik": nik,
            "kk_number": kk,
            "full_name": name,
            "birth_place": place,
            "birth_date": birth.strftime("%d-%m-%Y"),
            "sex": sex,
            "address": address,
            "rt_rw": f"{rt}/{rw}" if rt or rw else "",
            "village_code": village,
            "village_name": village_name,
            "district_name": names.get(village[:8], ""),
            "regency_name": names.get(village[:5], ""),
            "occupation": occupation,
            "reported_income": income,
            "phone": phone,
            "programmes": ", ".join(
                b for b, on in (("JKK", jkk), ("JKM", jkm), ("JHT", jht)) if on
            ),
            "start_date": start.strftime("%d-%m-%Y"),
            "bpjs_group": programme.bpjs_group,
            "funder_name": programme.funder_name,
            "enrolment_id": pk,
        }
        yield [values.get(c["field"], "") for c in columns]


def batch_file(*, actor: Any, batch_id: int, fmt: str = "xlsx") -> tuple[str, str, IO[bytes]]:
    """The batch's registration file for BPJS (file name, content type, an open file): the
    batch's workers inside the actor's scope (a regency downloads its own workers from its
    province's batch). It holds full NIKs: the export is audited."""
    batch = _batch_visible(actor, batch_id)
    require(actor, Capability.EXCHANGE_BPJS)
    # A draft is still being assembled: its admins may look at the file, BPJS receives it
    # once the batch is marked sent.
    if batch.status == BatchStatus.DRAFT and not can_manage(actor, batch.programme):
        raise Conflict(EnrolmentError.BATCH_NOT_SUBMITTED)
    if fmt not in ("xlsx", "csv"):
        raise DomainError(EnrolmentError.FORMAT_INVALID)
    layout = (
        batch.layout or ExchangeLayout.objects.filter(direction="export", is_default=True).first()
    )
    columns = [
        c for c in (layout.columns if layout else DEFAULT_EXPORT) if c["field"] in EXPORT_FIELDS
    ]
    headers = [c["header"] for c in columns]
    fields = [c["field"] for c in columns]
    # Spooled to disk: 100,000 rows never sit in memory at once.
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    count = 0
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text, delimiter=";")
        writer.writerow(headers)
        for values in _export_rows(batch, columns, actor):
            writer.writerow(
                [
                    v if f in NORMALISED_FIELDS else safe_cell(v)
                    for f, v in zip(fields, values, strict=True)
                ]
            )
            count += 1
        text.flush()
        text.detach()
    else:
        import xlsxwriter

        workbook = xlsxwriter.Workbook(
            out,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
        )
        sheet = workbook.add_worksheet("Pendaftaran")
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        text_format = workbook.add_format({"num_format": "@"})
        for position, header in enumerate(headers):
            sheet.write_string(0, position, header, bold)
            sheet.set_column(position, position, 18, text_format)
        for number, values in enumerate(_export_rows(batch, columns, actor), start=1):
            for position, value in enumerate(values):
                if isinstance(value, int) and not isinstance(value, bool):
                    sheet.write_number(number, position, value)
                else:  # NIKs and KPJs as text: Excel would drop their 16th digit
                    sheet.write_string(number, position, "" if value is None else str(value))
            count += 1
        workbook.close()
    out.seek(0)
    audit_record(
        actor=actor,
        action="enrolment.batch_export",
        kind=AuditEvent.Kind.EXPORT,
        obj=batch,
        region_code=batch.programme.region_id,
        changes={"rows": [None, count], "format": [None, fmt]},
    )
    name = f"batch-{batch.programme_id}-{batch.number}-pendaftaran-bpu.{fmt}"
    return name, XLSX if fmt == "xlsx" else "text/csv", out


def return_report_file(*, actor: Any, return_id: int) -> tuple[str, IO[bytes]]:
    """The row report of a BPJS answer file (masked NIKs), for those who exchange with BPJS in
    the batch's own region: it reports on every worker of the batch."""
    ret = return_get(actor=actor, return_id=return_id)
    require(actor, Capability.EXCHANGE_BPJS)
    require_own_region(actor, ret.batch.programme.region_id)
    if not ret.report:
        raise NotFound()
    return f"{Path(ret.file_name).stem}-laporan.csv", ret.report.open("rb")


# --- return files -----------------------------------------------------------------------------


def _return_spec() -> ColumnSpec:
    synonyms = {field: list(names) for field, names in RETURN_SYNONYMS.items()}
    layout = ExchangeLayout.objects.filter(direction="return", is_default=True).first()
    for column in layout.columns if layout else []:
        if column.get("field") in synonyms:
            synonyms[column["field"]].append(column["header"])
    return ColumnSpec(synonyms, RETURN_REQUIRED)


@transaction.atomic
def return_import_create(
    *, actor: Any, batch_id: int, file: IO[bytes], file_name: str, background: bool = True
) -> ReturnImport:
    """Record BPJS's answer file for a submitted batch and, with `background`, queue it. The
    answer changes every enrolment of the batch: it belongs to the batch's own region."""
    batch = _batch_visible(actor, batch_id)
    require(actor, Capability.EXCHANGE_BPJS)
    require_own_region(actor, batch.programme.region_id)
    batch = EnrolmentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == BatchStatus.DRAFT:
        raise Conflict(EnrolmentError.BATCH_NOT_SUBMITTED)
    busy = batch.returns.filter(status__in=[ReturnStatus.QUEUED, ReturnStatus.RUNNING]).exists()
    if busy:
        raise Conflict(EnrolmentError.BATCH_BUSY)
    digest, size = file_digest(file)
    upload_size_check(size)
    ret = ReturnImport(
        batch=batch,
        file_name=file_name[:255],
        sha256=digest,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    ret.file.save(file_name or "jawaban-bpjs", File(file), save=False)
    ret.save()
    audit_record(
        actor=actor,
        action="enrolment.return_upload",
        obj=ret,
        region_code=batch.programme.region_id,
        changes={"batch": [None, batch.pk], "file": [None, ret.file_name]},
    )
    if background:
        from .tasks import return_import_task

        ret.job = job_start(
            actor=actor,
            kind="enrolment.return",
            label=f"Jawaban BPJS {file_name}"[:200],
            task=return_import_task,
            region_code=batch.programme.region_id,
            params={"return_id": ret.pk},
            total=100,
        )
        ret.save(update_fields=["job"])
    return ret


def _message(code: str, arg: Any) -> str:
    return str(ReturnRow(code).label).format(arg="" if arg is None else arg)


def _read(ret: ReturnImport) -> pl.DataFrame:
    """The file's rows: ROW, nik, kpj, status, reason, start_date (text), nik_is_number."""
    try:
        table = read_table(Path(ret.file.path), ret.file_name, spec=_return_spec())
    except DomainError as exc:
        if exc.code == SpreadsheetError.NO_HEADER.value:
            raise DomainError(EnrolmentError.RETURN_NO_HEADER) from exc
        raise
    frame = table.frame
    if "kpj" not in frame.columns and "status" not in frame.columns:
        raise DomainError(EnrolmentError.RETURN_COLUMNS)
    for name in ("kpj", "status", "reason", "start_date"):
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(name))
    skipped = non_data_rows(frame.drop([c for c in ("full_name",) if c in frame.columns]))
    # "JUMLAH" written in the NIK column of a totals line, with no KPJ: not an answer.
    no_digits = frame.select(
        ~pl.col("nik").fill_null("").str.contains(r"\d") & pl.col("kpj").is_null()
    ).to_series()
    return frame.with_columns((skipped | no_digits).alias("skipped"))


Outcome = dict[str, Any]
_NIK_NOISE = re.compile(r"[\s.\-']")
_KPJ_NOISE = re.compile(r"[\s.\-]")


class _Judge:
    """Decides each row's outcome against the batch as it is now (nothing is written here)."""

    def __init__(self, batch: EnrolmentBatch, frame: pl.DataFrame) -> None:
        self.batch = batch
        self.period = (batch.programme.start_date, batch.programme.end_date)
        self.current: dict[str, tuple[Any, ...]] = {
            nik: tuple(row)
            for nik, *row in Enrolment.objects.filter(batch=batch)
            .exclude(status=EnrolmentStatus.CANCELLED)
            .values_list("worker__nik", "pk", "worker_id", "status", "kpj", "bpjs_accepted_on")
        }
        kpjs = sorted(
            {_KPJ_NOISE.sub("", str(k)) for k in frame.get_column("kpj").drop_nulls().to_list()}
            - {""}
        )
        self.kpj_owner: dict[str, int] = {}
        for offset in range(0, len(kpjs), 5000):
            chunk = kpjs[offset : offset + 5000]
            self.kpj_owner.update(
                Enrolment.objects.filter(kpj__in=chunk).values_list("kpj", "worker_id")
            )
        self.seen_nik: dict[str, int] = {}
        self.seen_kpj: dict[str, str] = {}

    @staticmethod
    def outcome(row: dict[str, Any], nik: str, status: str, code: Any = None, arg: Any = None,
                **extra: Any) -> Outcome:  # fmt: skip
        raw = (row["nik"] or "").strip()
        return {
            "row": row[ROW],
            "status": status,
            "nik": mask_nik(nik) if len(nik) == 16 else raw[:4],
            "code": code.value if code else "",
            "message": _message(code.value, arg) if code else "",
            **extra,
        }

    def judge(self, row: dict[str, Any]) -> Outcome:
        raw_nik = (row["nik"] or "").strip()
        nik = _NIK_NOISE.sub("", raw_nik)
        if row["skipped"]:
            return self.outcome(row, nik, "skipped")
        if row.get("nik_is_number") or re.search(r"[eE]\+?\d+$", raw_nik):
            return self.outcome(row, nik, "rejected", ReturnRow.NIK_EXCEL_NUMBER)
        if not re.fullmatch(r"\d{16}", nik):
            return self.outcome(row, nik, "rejected", ReturnRow.NIK_INVALID, raw_nik)
        if nik in self.seen_nik:
            return self.outcome(row, nik, "rejected", ReturnRow.DUPLICATE_ROW, self.seen_nik[nik])
        self.seen_nik[nik] = row[ROW]
        found = self.current.get(nik)
        if found is None:
            return self.outcome(row, nik, "rejected", ReturnRow.NOT_IN_BATCH, mask_nik(nik))
        kpj = _KPJ_NOISE.sub("", row["kpj"] or "")
        word = " ".join(re.sub(r"[^A-Za-z ]", " ", row["status"] or "").upper().split())
        reason = " ".join((row["reason"] or "").split())[:500]
        if word in ACCEPTED_WORDS or (not word and kpj):
            return self.accepted(row, nik, found, kpj)
        if word in REFUSED_WORDS or (not word and reason):
            return self.refused(row, nik, found, reason)
        return self.outcome(row, nik, "rejected", ReturnRow.STATUS_UNKNOWN, row["status"] or "—")

    def refused(
        self, row: dict[str, Any], nik: str, found: tuple[Any, ...], reason: str
    ) -> Outcome:
        pk, _worker, status, kpj_now, accepted_on = found
        if status == EnrolmentStatus.REJECTED:
            return self.outcome(row, nik, "unchanged", enrolment=pk)
        if status == EnrolmentStatus.SUBMITTED and accepted_on is None:
            return self.outcome(
                row, nik, "updated", enrolment=pk, accepted=False, reason=reason or "(tanpa alasan)"
            )
        return self.outcome(row, nik, "rejected", ReturnRow.CONFLICT, f"diterima, KPJ {kpj_now}")

    def accepted(self, row: dict[str, Any], nik: str, found: tuple[Any, ...], kpj: str) -> Outcome:
        pk, worker_id, status, kpj_now, accepted_on = found
        problem = self.kpj_problem(row, nik, worker_id, kpj)
        start = row["start_parsed"] or self.batch.start_date
        if problem is None and (
            (row["start_date"] and row["start_parsed"] is None)
            or not self.period[0] <= start <= self.period[1]
        ):
            problem = (ReturnRow.DATE_INVALID, row["start_date"])
        if problem is None and (accepted_on is not None or status == EnrolmentStatus.ACTIVE):
            if kpj_now == kpj:
                return self.outcome(row, nik, "unchanged", enrolment=pk)
            problem = (ReturnRow.CONFLICT, f"KPJ {kpj_now}")
        if problem is None and status not in (EnrolmentStatus.SUBMITTED, EnrolmentStatus.REJECTED):
            problem = (ReturnRow.CONFLICT, status)
        if problem is not None:
            return self.outcome(row, nik, "rejected", *problem)
        self.seen_kpj[kpj] = nik
        return self.outcome(
            row, nik, "updated", enrolment=pk, accepted=True, kpj=kpj, start=start, was=status
        )

    def kpj_problem(
        self, row: dict[str, Any], nik: str, worker_id: int, kpj: str
    ) -> tuple[ReturnRow, Any] | None:
        if not kpj:
            return (ReturnRow.KPJ_MISSING, None)
        if not KPJ_PATTERN.fullmatch(kpj):
            return (ReturnRow.KPJ_INVALID, row["kpj"])
        owner = self.kpj_owner.get(kpj)
        if (owner is not None and owner != worker_id) or self.seen_kpj.get(kpj, nik) != nik:
            return (ReturnRow.KPJ_OTHER_WORKER, kpj)
        return None


def _classify(ret: ReturnImport, frame: pl.DataFrame) -> list[Outcome]:
    """One outcome per row, decided against the batch as it is now (nothing written yet)."""
    start_parser = WorkerValidator(root_code=None, today=dt.date(2100, 12, 31))
    starts = start_parser.parse_dates(frame.get_column("start_date"))
    frame = frame.with_columns(starts.alias("start_parsed"))
    judge = _Judge(ret.batch, frame)
    return [judge.judge(row) for row in frame.iter_rows(named=True)]


def _stage_answers(answers: list[dict[str, Any]]) -> None:
    """BPJS's answers into a temporary table, so one UPDATE … FROM applies them all."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS enrolment_answer")
        cursor.execute(
            "CREATE TEMPORARY TABLE enrolment_answer (id bigint PRIMARY KEY, accepted boolean,"
            " kpj varchar(20), start_date date, reason varchar(500), was varchar(10))"
        )
    frame = pl.DataFrame(
        [
            (
                o["enrolment"],
                o["accepted"],
                o.get("kpj", ""),
                o.get("start"),
                o.get("reason", ""),
                o.get("was", EnrolmentStatus.SUBMITTED.value),
            )
            for o in answers
        ],
        schema={
            "id": pl.Int64,
            "accepted": pl.Boolean,
            "kpj": pl.String,
            "start_date": pl.Date,
            "reason": pl.String,
            "was": pl.String,
        },
        orient="row",
    )
    insert_frame("enrolment_answer", frame)


def _apply(ret: ReturnImport, outcomes: list[dict[str, Any]], actor: Any) -> dict[str, int]:
    """Record the answers set-based: accepted → KPJ and start date (still `submitted` until the
    start date), refused → `rejected` with BPJS's reason; one transition each."""
    today = timezone.localdate()
    now = timezone.now()
    answers = [o for o in outcomes if o["status"] == "updated"]
    accepted = sum(1 for o in answers if o["accepted"])
    if answers:
        _stage_answers(answers)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO enrolment_enrolmenttransition (enrolment_id, from_status, to_status,"
                " effective_on, reason, note, actor_id, at)"
                " SELECT a.id, a.was, CASE WHEN a.accepted THEN %s ELSE %s END, %s, '',"
                " CASE WHEN a.accepted THEN %s || a.kpj ELSE a.reason END, %s, %s"
                " FROM enrolment_answer a",
                [
                    EnrolmentStatus.SUBMITTED.value,
                    EnrolmentStatus.REJECTED.value,
                    today,
                    "Diterima BPJS, KPJ ",
                    getattr(actor, "pk", None),
                    now,
                ],
            )
            cursor.execute(
                "UPDATE enrolment_enrolment SET kpj = a.kpj, start_date = a.start_date,"
                " bpjs_accepted_on = %s, bpjs_reason = '', status = %s, end_reason = '',"
                " status_changed_at = %s"
                " FROM enrolment_answer a WHERE a.id = enrolment_enrolment.id AND a.accepted",
                [today, EnrolmentStatus.SUBMITTED.value, now],
            )
            cursor.execute(
                "UPDATE enrolment_enrolment SET status = %s, bpjs_reason = a.reason,"
                " status_changed_at = %s"
                " FROM enrolment_answer a WHERE a.id = enrolment_enrolment.id AND NOT a.accepted",
                [EnrolmentStatus.REJECTED.value, now],
            )
            cursor.execute("DROP TABLE enrolment_answer")
    batches_mark_answered([ret.batch_id])
    activation = enrolments_activate_due(on=today, batch_id=ret.batch_id, actor=actor)
    return {"accepted": accepted, "refused": len(answers) - accepted, **activation}


def _report_csv(outcomes: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["baris", "hasil", "nik", "kode", "keterangan"])
    labels = {
        "updated": "dicatat",
        "unchanged": "tidak berubah",
        "rejected": "ditolak",
        "skipped": "dilewati",
    }
    for o in outcomes:
        writer.writerow(
            [o["row"], labels[o["status"]], safe_cell(o["nik"]), o["code"], safe_cell(o["message"])]
        )
    return buffer.getvalue().encode("utf-8-sig")


def return_import_run(
    *, ret: ReturnImport, actor: Any, progress: Progress | None = None
) -> ReturnImport:
    """Read, check and apply a return file (one transaction; a failure changes nothing)."""

    def report(percent: int, message: str) -> None:
        if progress:
            progress(percent, message)

    ReturnImport.objects.filter(pk=ret.pk).update(status=ReturnStatus.RUNNING, error="")
    try:
        report(5, "Membaca berkas jawaban BPJS")
        frame = _read(ret)
        report(30, "Mencocokkan dengan batch")
        with transaction.atomic():
            EnrolmentBatch.objects.select_for_update().get(pk=ret.batch_id)
            outcomes = _classify(ret, frame)
            report(60, "Mencatat jawaban BPJS")
            result = _apply(ret, outcomes, actor)
            counts = {
                s: sum(1 for o in outcomes if o["status"] == s)
                for s in ("updated", "unchanged", "rejected", "skipped")
            }
            ret.rows = len(outcomes)
            for name, value in counts.items():
                setattr(ret, name, value)
            ret.accepted = result["accepted"]
            ret.refused = result["refused"]
            ret.activated = result["activated"]
            ret.status = ReturnStatus.DONE
            ret.finished_at = timezone.now()
            ret.report.save(
                f"{Path(ret.file_name).stem}-laporan.csv",
                ContentFile(_report_csv(outcomes)),
                save=False,
            )
            ret.save()
            audit_record(
                actor=actor,
                action="enrolment.return_apply",
                obj=ret,
                region_code=ret.batch.programme.region_id,
                changes={"counts": [None, {**counts, **result}]},
            )
    except DomainError as exc:
        ReturnImport.objects.filter(pk=ret.pk).update(
            status=ReturnStatus.FAILED, error=exc.message, finished_at=timezone.now()
        )
        ret.refresh_from_db()
        raise
    except Exception:
        ReturnImport.objects.filter(pk=ret.pk).update(
            status=ReturnStatus.FAILED,
            error="Terjadi kesalahan pada sistem. Tidak ada data yang berubah.",
            finished_at=timezone.now(),
        )
        raise
    report(100, f"Selesai: {ret.accepted} diterima, {ret.refused} ditolak BPJS")
    return ret
