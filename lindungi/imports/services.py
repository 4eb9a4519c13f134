"""Starting and running imports. The page, the API, the command line and the task worker all
call `import_create` and `import_run`; the work itself is in pipeline.py."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import IO, Any

import polars as pl
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import Conflict, DomainError, Forbidden
from lindungi.core.exports import safe_cell_expr
from lindungi.core.files import file_digest
from lindungi.core.jobs import job_start
from lindungi.core.scope import region_in_scope
from lindungi.core.spreadsheets.readers import RawTable, read_table, upload_size_check
from lindungi.imports.columns import WORKER_LIST
from lindungi.regions.selectors import region_get

from .errors import ImportErrorCode
from .models import ImportStatus, WorkerImport
from .pipeline import RegistryChanged, counts_of, path_of, rejected_rows, run

logger = logging.getLogger(__name__)
Progress = Callable[[int, str], None]
# Runs of one import when workers it reads change before it writes (see RegistryChanged).
IMPORT_ATTEMPTS = 3


@transaction.atomic
def import_create(
    *,
    actor: Any,
    file: IO[bytes],
    file_name: str,
    region_code: str,
    dry_run: bool = False,
    background: bool = True,
) -> WorkerImport:
    """Record an upload (file, checksum, region) and, with `background`, queue its processing."""
    require(actor, Capability.REGISTER_WORKERS)
    region = region_get(region_code, include_inactive=False)
    if not region_in_scope(actor, region.code):
        raise Forbidden(ImportErrorCode.REGION_NOT_IN_SCOPE, code=region.code)
    digest, size = file_digest(file)
    upload_size_check(size)
    imp = WorkerImport(
        region=region,
        created_by=actor if getattr(actor, "pk", None) else None,
        file_name=file_name[:255],
        sha256=digest,
        size=size,
        dry_run=dry_run,
    )
    imp.file.save(file_name or "upload", File(file), save=False)
    imp.save()
    if background:
        from .tasks import import_task

        imp.job = job_start(
            actor=actor,
            kind="imports.workers",
            label=f"Impor {file_name}"[:200],
            task=import_task,
            region_code=region.code,
            params={"import_id": str(imp.pk)},
            total=100,
        )
        imp.save(update_fields=["job"])
    return imp


def import_run(*, imp: WorkerImport, actor: Any, progress: Progress | None = None) -> WorkerImport:
    """Read, check and (unless a dry run) apply an import; on any failure nothing is written.
    The deaths and moves the file states are followed up in the same transaction (cover ends,
    claims open: `lindungi.lifecycle.life_events`)."""

    def report(percent: int, message: str) -> None:
        if progress:
            progress(percent, message)

    # Kept on the instance too: the final save() writes every field.
    imp.status, imp.started_at, imp.error = ImportStatus.RUNNING, timezone.now(), ""
    WorkerImport.objects.filter(pk=imp.pk).update(
        status=imp.status, started_at=imp.started_at, error=""
    )
    try:
        report(2, "Membaca berkas")
        table = read_table(path_of(imp), imp.file_name, spec=WORKER_LIST)
        imp.kind = table.kind
        imp.header_row = table.header.row_index + 1
        imp.columns = table.header.labels
        report(10, f"{table.frame.height:,} baris dibaca".replace(",", "."))
        report_frame, extra = _run_until_consistent(imp, table, actor=actor, report=report)
        counts = counts_of(report_frame)
        report(92, "Menulis laporan")
        _save_reports(imp, report_frame, rejected_rows(table, report_frame))
    except DomainError as exc:
        _fail(imp, exc.message)
        raise
    except Exception:
        logger.exception("import %s failed", imp.pk)
        _fail(imp, "Terjadi kesalahan pada sistem. Tidak ada data yang berubah.")
        raise
    for name, value in counts.items():
        setattr(imp, name, value)
    imp.status = ImportStatus.CHECKED if imp.dry_run else ImportStatus.DONE
    imp.finished_at = timezone.now()
    imp.save()
    report(100, f"Selesai; {extra.get('life_events', 0)} peristiwa hidup dicatat")
    return imp


def _run_until_consistent(
    imp: WorkerImport, table: RawTable, *, actor: Any, report: Progress
) -> tuple[pl.DataFrame, dict[str, int]]:
    """`run`, again from the start while workers it read changed before it wrote: each failed
    run wrote nothing, and the next one reads the registry as it is now."""
    for attempt in range(1, IMPORT_ATTEMPTS + 1):
        try:
            return run(imp, table, actor=actor, dry_run=imp.dry_run, progress=report)
        except RegistryChanged:
            logger.warning("import %s: workers changed while importing (run %d)", imp.pk, attempt)
            report(12, "Data registri berubah selama impor; diperiksa ulang")
    raise Conflict(ImportErrorCode.REGISTRY_CHANGED, attempts=IMPORT_ATTEMPTS)


def _fail(imp: WorkerImport, message: str) -> None:
    WorkerImport.objects.filter(pk=imp.pk).update(
        status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
    )


def report_csv(report: pl.DataFrame) -> bytes:
    """`row,status,nik,messages`, one line per row (spreadsheet-safe)."""
    buffer = io.BytesIO()
    report.with_columns(safe_cell_expr("nik"), safe_cell_expr("messages")).write_csv(buffer)
    return buffer.getvalue()


def rejected_xlsx(rejected: pl.DataFrame) -> bytes:
    """The rejected rows with their original cells and what to fix, every cell as text."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Perlu diperbaiki")
    bold = workbook.add_format({"bold": True, "bg_color": "#FDE9D9", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    note = workbook.add_format({"font_color": "#9C0006", "text_wrap": True})
    columns = [c for c in rejected.columns if c != "__row"]
    headers = ["Baris", *columns]
    for position, title in enumerate(headers):
        sheet.write_string(0, position, title, bold)
    for r, values in enumerate(rejected.select("__row", *columns).iter_rows(), start=1):
        sheet.write_number(r, 0, values[0])
        for c, value in enumerate(values[1:], start=1):
            cell_format = note if headers[c] == "Keterangan perbaikan" else text
            sheet.write_string(r, c, "" if value is None else str(value), cell_format)
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, len(headers) - 2, 18, text)
    sheet.set_column(len(headers) - 1, len(headers) - 1, 70)
    sheet.freeze_panes(1, 1)
    workbook.close()
    return buffer.getvalue()


def _save_reports(imp: WorkerImport, report: pl.DataFrame, rejected: pl.DataFrame) -> None:
    stem = imp.file_name.rsplit(".", 1)[0][:80] or "impor"
    imp.report.save(f"{stem}-laporan.csv", ContentFile(report_csv(report)), save=False)
    if rejected.height:
        imp.rejected_file.save(
            f"{stem}-perlu-diperbaiki.xlsx", ContentFile(rejected_xlsx(rejected)), save=False
        )


def import_rerun(*, actor: Any, imp: WorkerImport) -> WorkerImport:
    """Run a failed or interrupted import again from its stored file (nothing was written)."""
    require(actor, Capability.REGISTER_WORKERS)
    if imp.status in {ImportStatus.DONE, ImportStatus.CHECKED}:
        raise DomainError(ImportErrorCode.NOT_RERUNNABLE)
    from .tasks import import_task

    with transaction.atomic():
        imp.job = job_start(
            actor=actor,
            kind="imports.workers",
            label=f"Impor {imp.file_name} (ulang)"[:200],
            task=import_task,
            region_code=imp.region_id,
            params={"import_id": str(imp.pk)},
            total=100,
        )
        imp.status = ImportStatus.QUEUED
        imp.save(update_fields=["job", "status"])
    return imp
