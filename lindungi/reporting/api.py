"""Reports under /api/v1/reports: coverage against targets, and the upload of the figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import NotFound
from lindungi.core.files import attachment

from .exports import export_for_download, export_request
from .figures import figures_import
from .models import DataExport, PrintedReport
from .printing import printed_get, report_request
from .readiness import readiness, readiness_record
from .selectors import coverage

router = Router(tags=["reports"])


class SegmentOut(Schema):
    segment: str
    label: str
    population: int | None
    covered: int | None
    percent: float | None
    source: str


class CoverageOut(Schema):
    region_code: str
    region_name: str
    year: int
    segments: list[SegmentOut]
    lindungi_active: int | None
    years: list[int]


class FiguresOut(Schema):
    rows: int
    created: int
    updated: int


@router.get("/coverage", response=CoverageOut, summary="Cakupan terhadap target per segmen")
def coverage_report(request: HttpRequest, region: str, year: int | None = None) -> Any:
    """BPJS's aggregate figures for the region and year (percent, one decimal) and the active
    enrolments in Lindungi (hidden when fewer than 5 for roles without personal-data rights)."""
    return coverage(actor=request.auth, region_code=region, year=year)  # type: ignore[attr-defined]


@router.post("/figures", response={201: FiguresOut}, summary="Unggah target dan angka agregat BPJS")
def figures_upload(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, int]]:
    """CSV/xlsx: KODE WILAYAH, TAHUN, SEGMEN (PU, BPU, pekerja rentan, formal, informal,
    angkatan kerja), POPULASI and/or PESERTA, SUMBER. One bad row refuses the whole file."""
    result = figures_import(actor=request.auth, file=file, file_name=file.name or "angka.csv")  # type: ignore[attr-defined]
    return Status(201, result)


class ReadinessRowOut(Schema):
    region_code: str
    region_name: str
    coverage: dict[str, float | None]
    regulations: str
    apbd_allocation: int | None
    innovations: str


class ReadinessOut(Schema):
    province: str
    year: int
    rows: list[ReadinessRowOut]


class ReadinessIn(Schema):
    region_code: str
    year: int
    regulations: str = ""
    apbd_allocation: int | None = None
    innovations: str = ""


@router.get("/paritrana", response=ReadinessOut, summary="Indikator kesiapan Paritrana per wilayah")
def paritrana(request: HttpRequest, province: str, year: int | None = None) -> dict[str, Any]:
    """Coverage of PU, BPU and pekerja rentan, regulations, APBD allocation and innovations for the
    province and its regencies, side by side — no score (the official weights are unpublished)."""
    report = readiness(actor=request.auth, province_code=province, year=year)  # type: ignore[attr-defined]
    return {**report, "province": report["province"].code}


@router.post(
    "/paritrana", response={201: ReadinessRowOut}, summary="Mencatat regulasi, APBD, inovasi"
)
def paritrana_record(request: HttpRequest, payload: ReadinessIn) -> Status[dict[str, Any]]:
    entry = readiness_record(actor=request.auth, data=payload.dict())  # type: ignore[attr-defined]
    report = readiness(actor=request.auth, province_code=entry.region_id[:2], year=entry.year)  # type: ignore[attr-defined]
    row = next(r for r in report["rows"] if r.region_code == entry.region_id)
    return Status(201, row.__dict__)


class PrintedIn(Schema):
    region_code: str = ""
    kind: str
    period: str


class PrintedOut(Schema):
    id: int
    region_code: str
    kind: str
    period: dt.date
    job_id: str | None
    ready: bool


def _printed(report: PrintedReport) -> dict[str, Any]:
    return {"id": report.pk, "region_code": report.region_code, "kind": report.kind,
            "period": report.period, "job_id": str(report.job_id) if report.job_id else None,
            "ready": bool(report.file)}  # fmt: skip


@router.post("/printed", response={202: PrintedOut}, summary="Membuat laporan PDF (latar)")
def printed_create(request: HttpRequest, payload: PrintedIn) -> Status[dict[str, Any]]:
    """`kind` monthly (`period` YYYY-MM) or annual (`period` YYYY); follow `job_id` at
    /api/v1/jobs/{job_id}, then download /api/v1/reports/printed/{id}/file."""
    report = report_request(actor=request.auth, **payload.dict())  # type: ignore[attr-defined]
    return Status(202, _printed(report))


@router.get("/printed/{report_id}", response=PrintedOut, summary="Status laporan PDF")
def printed(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _printed(printed_get(actor=request.auth, report_id=report_id))  # type: ignore[attr-defined]


@router.get("/printed/{report_id}/file", summary="Unduh laporan PDF")
def printed_file(request: HttpRequest, report_id: int) -> Any:
    report = printed_get(actor=request.auth, report_id=report_id)  # type: ignore[attr-defined]
    if not report.file:
        raise NotFound()
    return attachment(report.file)


class ExportIn(Schema):
    region_code: str


class ExportOut(Schema):
    id: int
    region_code: str
    job_id: str | None
    rows: int
    ready: bool


def _export(export: DataExport) -> dict[str, Any]:
    return {"id": export.pk, "region_code": export.region_code,
            "job_id": str(export.job_id) if export.job_id else None, "rows": export.rows,
            "ready": bool(export.file)}  # fmt: skip


@router.post("/exports", response={202: ExportOut}, summary="Ekspor peserta sebuah wilayah (Excel)")
def export_create(request: HttpRequest, payload: ExportIn) -> Status[dict[str, Any]]:
    """Every worker of the region with its cover today, NIKs masked; built in the background."""
    return Status(202, _export(export_request(actor=request.auth, region_code=payload.region_code)))  # type: ignore[attr-defined]


@router.get("/exports/{export_id}", response=ExportOut, summary="Status ekspor")
def export_status(request: HttpRequest, export_id: int) -> dict[str, Any]:
    require(request.auth, Capability.VIEW_PERSONAL_DATA)  # type: ignore[attr-defined]
    export = DataExport.objects.visible_to(request.auth).filter(pk=export_id).first()  # type: ignore[attr-defined]
    if export is None:
        raise NotFound()
    return _export(export)


@router.get("/exports/{export_id}/file", summary="Unduh ekspor (diaudit)")
def export_file(request: HttpRequest, export_id: int) -> Any:
    return attachment(export_for_download(actor=request.auth, export_id=export_id).file)  # type: ignore[attr-defined]
