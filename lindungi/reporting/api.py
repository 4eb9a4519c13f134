"""Reports under /api/v1/reports: coverage against targets, and the upload of the figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from .figures import figures_import
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
