"""Printable reports (issue 9): a PDF of a region's coverage, budget and claims for a month or a
year, for the DPRD and the regent — produced by a background task (`tasks.report_build_task`),
kept in private storage, downloaded from the reports page. fpdf2 (pure Python, from PyPI)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.actors import account
from lindungi.core.audit import audit_record
from lindungi.core.errors import FieldErrors, NotFound
from lindungi.core.jobs import job_start
from lindungi.core.scope import region_in_scope
from lindungi.regions.models import Region

from .dashboard import claims_panel, dashboard, money_panel
from .errors import ReportError
from .models import PrintedReport, ReportKind
from .selectors import hides_small_groups

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]  # fmt: skip
_LATIN = str.maketrans({"–": "-", "—": "-", "×": "x", "…": "...", "“": '"', "”": '"', "’": "'",
                        "≤": "<=", "≥": ">=", "→": "->"})  # fmt: skip


NEXT_LINE: dict[str, Any] = {"new_x": "LMARGIN", "new_y": "NEXT"}


def period_bounds(kind: str, period: dt.date) -> tuple[dt.date, dt.date, str]:
    if kind == ReportKind.ANNUAL:
        return dt.date(period.year, 1, 1), dt.date(period.year, 12, 31), f"Tahun {period.year}"
    first = period.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1), f"{MONTHS[first.month - 1]} {first.year}"


@transaction.atomic
def report_request(*, actor: Any, region_code: str, kind: str, period: Any) -> PrintedReport:
    """Queue a PDF of `region_code` ("" = national) for a month (`period` YYYY-MM) or a year."""
    from .tasks import report_build_task

    require(actor, Capability.VIEW_AGGREGATES)
    code = str(region_code or "").strip()
    if code:
        if not Region.objects.filter(code=code).exists() or not region_in_scope(actor, code):
            raise NotFound()
    elif not actor.has_national_scope:
        raise NotFound()
    if kind not in ReportKind.values:
        raise FieldErrors.single("kind", ReportError.KIND_INVALID, arg=str(kind)[:20])
    text = str(period or "").strip()
    try:
        day = dt.date.fromisoformat(f"{text}-01" if len(text) == 7 else text)
    except ValueError:
        if not (len(text) == 4 and text.isdigit()):
            raise FieldErrors.single("period", ReportError.PERIOD_INVALID, arg=text[:20]) from None
        day = dt.date(int(text), 1, 1)
    first, _last, label = period_bounds(kind, day)
    if first > timezone.localdate():
        raise FieldErrors.single("period", ReportError.PERIOD_INVALID, arg=text[:20])
    report = PrintedReport.objects.create(
        region_code=code, kind=kind, period=first, created_by=account(actor),
        small_groups_hidden=hides_small_groups(actor),
    )  # fmt: skip
    name = Region.objects.filter(code=code).values_list("name", flat=True).first() or "Nasional"
    report.job = job_start(
        actor=actor, kind="reporting.pdf", label=f"Laporan {label} — {name}",
        task=report_build_task, region_code=code, params={"report_id": report.pk}, total=3,
    )  # fmt: skip
    report.save(update_fields=["job"])
    audit_record(actor=actor, action="reporting.pdf", obj=report, region_code=code,
                 changes={"kind": [None, kind], "period": [None, first.isoformat()],
                          "small_groups_hidden": [None, report.small_groups_hidden]})  # fmt: skip
    return report


def _text(value: Any) -> str:
    if value is None:
        return "<5"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value).translate(_LATIN).encode("latin-1", "replace").decode("latin-1")


def report_pdf(report: PrintedReport, *, actor: Any, progress: Any = None) -> bytes:
    """The PDF itself: title, coverage (the dashboard's panels), budget and claims of the period."""
    from fpdf import FPDF

    first, last, label = period_bounds(report.kind, report.period)
    # The report's own flag decides, not whoever runs the build: it is read by everyone it was
    # built for (printed_list).
    hide = report.small_groups_hidden
    board = dashboard(actor=actor, region_code=report.region_code, hide_small=hide)
    region = board.region.name if board.region else "Nasional"
    small = (
        "kelompok kurang dari 5 orang ditulis <5."
        if hide
        else "memuat kelompok kurang dari 5 orang: hanya untuk peran yang berhak melihat data"
        " pribadi."
    )
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, _text(f"Laporan Perlindungan Pekerja Rentan - {region}"), **NEXT_LINE)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, _text(
        f"{label} ({first:%d-%m-%Y} s.d. {last:%d-%m-%Y}). Dibuat {timezone.localtime():%d-%m-%Y %H:%M}"
        f" dari Lindungi. Peserta per {timezone.localtime(board.snapshot.taken_at):%d-%m-%Y %H:%M};"
        f" {small}"
    ), **NEXT_LINE)  # fmt: skip

    def section(title: str, columns: list[str], rows: list[list[Any]]) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, _text(title), **NEXT_LINE)
        pdf.set_font("Helvetica", "", 9)
        if not rows:
            pdf.multi_cell(0, 6, "Belum ada data.", **NEXT_LINE)
            return
        with pdf.table(text_align=["LEFT", *["RIGHT"] * (len(columns) - 1)]) as table:
            table.row([_text(c) for c in columns])
            for row in rows:
                table.row([_text(v) for v in row])

    for panel in board.panels:
        if panel.key in ("money", "claims"):
            continue
        section(panel.title, panel.columns, panel.rows)
    if progress:
        progress(1, 3, "Cakupan")
    money = money_panel(report.region_code, last, (first, last))
    section("Anggaran dan iuran pada periode (Rp)", money.columns, money.rows)
    if progress:
        progress(2, 3, "Anggaran")
    claims = claims_panel(hide, report.region_code, (first, last))
    section("Klaim pada periode", claims.columns, claims.rows)
    return bytes(pdf.output())


def report_build(report_id: int, *, actor: Any, progress: Any = None) -> dict[str, Any]:
    report = PrintedReport.objects.get(pk=report_id)
    data = report_pdf(report, actor=actor, progress=progress)
    name = f"laporan-{report.kind}-{report.region_code or 'nasional'}-{report.period:%Y%m}.pdf"
    report.file.save(name, ContentFile(data), save=True)
    if progress:
        progress(3, 3, "Selesai")
    return {"report_id": report.pk, "bytes": len(data)}


def printed_list(*, actor: Any) -> QuerySet[PrintedReport]:
    """The printed reports of the actor's region that the actor may read: a role without
    personal-data rights only those built with small groups hidden (it asks for its own)."""
    require(actor, Capability.VIEW_AGGREGATES)
    reports = PrintedReport.objects.visible_to(actor)
    if hides_small_groups(actor):
        reports = reports.filter(small_groups_hidden=True)
    return reports


def printed_get(*, actor: Any, report_id: int) -> PrintedReport:
    """A printed report the actor may see (404 otherwise, whether it exists or not)."""
    report = printed_list(actor=actor).filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    return report
