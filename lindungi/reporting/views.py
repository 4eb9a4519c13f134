"""Report pages: coverage against targets, with its chart, table, Excel download and upload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import DomainError, NotFound
from lindungi.core.exports import XlsxStream
from lindungi.core.files import attachment
from lindungi.core.forms import refusal_text
from lindungi.core.scope import region_in_scope
from lindungi.core.selectors import job_list

from .dashboard import dashboard
from .exports import export_for_download, export_request
from .figures import figures_import
from .maps import boundary_for, boundary_upload
from .models import DataExport
from .printing import printed_get, printed_list, report_request
from .readiness import readiness, readiness_record
from .selectors import coverage
from .snapshot import snapshot_refresh


def _region_of(request: HttpRequest) -> str:
    actor = request.user
    return request.GET.get("region") or getattr(actor, "scope_region_code", None) or "64"


def coverage_view(request: HttpRequest) -> HttpResponse:
    year_text = request.GET.get("year", "")
    report = coverage(
        actor=request.user,
        region_code=_region_of(request),
        year=int(year_text) if year_text.isdigit() else None,
    )
    if request.GET.get("format") == "xlsx":
        return _xlsx(report)
    chart = {
        "categories": [s.label for s in report.segments],
        "series": [
            {"name": "Populasi/target", "data": [s.population for s in report.segments]},
            {"name": "Peserta", "data": [s.covered for s in report.segments]},
        ],
    }
    return render(
        request,
        "reporting/coverage.html",
        {
            "report": report,
            "chart": chart,
            "manage": request.user.can(Capability.MANAGE_PROGRAMMES),  # type: ignore[union-attr]
        },
    )


def _xlsx(report: Any) -> HttpResponse:
    rows: list[list[object]] = [
        ["Wilayah", "Tahun", "Segmen", "Populasi/target", "Peserta", "Cakupan (%)", "Sumber"]
    ]
    rows += [
        [f"{report.region_code} {report.region_name}", report.year, s.label, s.population,
         s.covered, s.percent, s.source]
        for s in report.segments
    ]  # fmt: skip
    return _sheet(f"cakupan-{report.region_code}-{report.year}.xlsx", "Cakupan", rows)


@require_POST
def figures_upload_view(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Pilih berkas CSV atau xlsx.")
    else:
        try:
            result = figures_import(actor=request.user, file=upload, file_name=upload.name or "")
        except DomainError as exc:
            rows = exc.details.get("rows", [])
            messages.error(request, " ".join([refusal_text(exc), *rows[:10]]))
        else:
            messages.success(
                request,
                f"{result['rows']} baris angka disimpan ({result['created']} baru,"
                f" {result['updated']} diperbarui).",
            )
    return redirect(f"/laporan/cakupan/?region={request.POST.get('region', '')}")


def dashboard_view(request: HttpRequest) -> HttpResponse:
    """A region's dashboard, drilled down through its child regions; `?panel=…&format=xlsx`
    downloads one panel's table."""
    actor = request.user
    default = getattr(actor, "scope_region_code", None) or ""
    board = dashboard(actor=actor, region_code=request.GET.get("region", default))
    if request.GET.get("format") == "xlsx":
        panel = board.panel(request.GET.get("panel", ""))
        code = board.region.code if board.region else "nasional"
        table: list[list[object]] = [list(panel.columns), *panel.rows]
        return _sheet(f"{panel.key}-{code}.xlsx", panel.title[:31], table)
    code = board.region.code if board.region else ""
    boundary = boundary_for(actor=actor, region_code=code)
    regions = board.panel("regions")
    map_data = {
        "key": f"lindungi-{code or 'id'}",
        "property": boundary.key_property if boundary else "code",
        "series": [
            {"name": link, "value": row[1]}
            for row, link in zip(regions.rows, regions.links, strict=False)
            if link and row[1] is not None
        ],
    }
    return render(
        request,
        "reporting/dashboard.html",
        {
            "board": board,
            # Crumbs above the reader's own region are names, not links (they would answer 404).
            "national": getattr(actor, "has_national_scope", False),
            "reachable": {r.code for r in board.path if region_in_scope(actor, r.code)},
            "boundary": boundary,
            "map_data": map_data,
            "manage": request.user.can(Capability.MANAGE_PROGRAMMES),  # type: ignore[union-attr]
            "panels": [
                {
                    "panel": p,
                    "chart": p.chart(),
                    "chart_id": f"chart-{p.key}",
                    "rows": [
                        (row[0], row[1:], p.links[i] if i < len(p.links) else None)
                        for i, row in enumerate(p.rows)
                    ],
                }
                for p in board.panels
            ],
        },
    )


@require_POST
def dashboard_refresh_view(request: HttpRequest) -> HttpResponse:
    """Count the participant panels again now (admins; the scheduler does it every 15 min)."""
    require(request.user, Capability.MANAGE_PROGRAMMES)
    snapshot = snapshot_refresh()
    messages.success(request, f"Dasbor dihitung ulang ({snapshot.seconds:.1f} detik).")
    return redirect(f"/laporan/dasbor/?region={request.POST.get('region', '')}")


def _sheet(name: str, title: str, rows: list[list[object]]) -> HttpResponse:
    """A table as an Excel download (the same writer as the large exports)."""
    import io

    buffer = io.BytesIO()
    sheet = XlsxStream(buffer, title)
    for row in rows:
        sheet.write(list(row))
    sheet.close()
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def readiness_view(request: HttpRequest) -> HttpResponse:
    """Paritrana readiness: the raw indicators of a province's regencies side by side."""
    actor = request.user
    default = (getattr(actor, "scope_region_code", None) or "64")[:2]
    year_text = request.GET.get("year", "")
    report = readiness(
        actor=actor,
        province_code=request.GET.get("province", default),
        year=int(year_text) if year_text.isdigit() else None,
    )
    if request.GET.get("format") == "xlsx":
        table: list[list[object]] = [
            ["Wilayah", "Cakupan PU (%)", "Cakupan BPU (%)", "Cakupan pekerja rentan (%)",
             "Regulasi", "Alokasi APBD (Rp)", "Inovasi"]
        ]  # fmt: skip
        table += [
            [f"{r.region_code} {r.region_name}", r.coverage["PU"], r.coverage["BPU"],
             r.coverage["pekerja_rentan"], r.regulations, r.apbd_allocation, r.innovations]
            for r in report["rows"]
        ]  # fmt: skip
        return _sheet(
            f"paritrana-{report['province'].code}-{report['year']}.xlsx", "Paritrana", table
        )
    return render(
        request,
        "reporting/readiness.html",
        {**report, "manage": actor.can(Capability.MANAGE_PROGRAMMES)},  # type: ignore[union-attr]
    )


@require_POST
def readiness_record_view(request: HttpRequest) -> HttpResponse:
    fields = ("region_code", "year", "regulations", "apbd_allocation", "innovations")
    data = {k: request.POST.get(k, "") for k in fields}
    try:
        readiness_record(actor=request.user, data=data)
    except DomainError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "Data kesiapan disimpan.")
    return redirect(f"/laporan/paritrana/?province={data['region_code'][:2]}&year={data['year']}")


def printed_view(request: HttpRequest) -> HttpResponse:
    """Printable reports: ask for one (it is built in the background) and download the PDFs."""
    actor = request.user
    if request.method == "POST":
        try:
            report = report_request(actor=actor, region_code=request.POST.get("region_code", ""),
                                    kind=request.POST.get("kind", ""),
                                    period=request.POST.get("period", ""))  # fmt: skip
        except DomainError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, "Laporan sedang dibuat; unduh di sini setelah selesai.")
            if report.job_id:
                return redirect("portal:job_detail", job_id=report.job_id)
        return redirect("reporting:printed")
    reports = list(printed_list(actor=actor).select_related("job")[:50])
    return render(
        request,
        "reporting/printed.html",
        {
            "reports": reports,
            "own_jobs": _jobs_to_link(actor, [r.job_id for r in reports]),
            "region": getattr(actor, "scope_region_code", None) or "",
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


def printed_download_view(request: HttpRequest, report_id: int) -> FileResponse:
    report = printed_get(actor=request.user, report_id=report_id)
    if not report.file:
        raise NotFound()
    return attachment(report.file)


def exports_view(request: HttpRequest) -> HttpResponse:
    """Participant exports of a region (Excel, masked NIKs), built in the background."""
    actor = request.user
    if request.method == "POST":
        try:
            export = export_request(actor=actor, region_code=request.POST.get("region_code", ""))
        except DomainError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, "Ekspor sedang dibuat; unduh di sini setelah selesai.")
            if export.job_id:
                return redirect("portal:job_detail", job_id=export.job_id)
        return redirect("reporting:exports")
    require(actor, Capability.VIEW_PERSONAL_DATA)
    rows = list(DataExport.objects.visible_to(actor).select_related("job")[:50])
    return render(
        request,
        "reporting/exports.html",
        {
            "exports": rows,
            "own_jobs": _jobs_to_link(actor, [e.job_id for e in rows]),
            "region": getattr(actor, "scope_region_code", None) or "",
        },
    )


def _jobs_to_link(actor: Any, job_ids: list[Any]) -> set[Any]:
    """The jobs among `job_ids` whose page the actor may open (its own; all of its region for
    account managers): the others show their status without a link that would answer 404."""
    wanted = [pk for pk in job_ids if pk]
    return set(job_list(actor=actor).filter(pk__in=wanted).values_list("pk", flat=True))


def export_download_view(request: HttpRequest, export_id: int) -> FileResponse:
    return attachment(export_for_download(actor=request.user, export_id=export_id).file)


def boundary_view(request: HttpRequest) -> JsonResponse:
    """The uploaded boundaries of a region's children (GeoJSON), for the dashboard's map."""
    boundary = boundary_for(actor=request.user, region_code=request.GET.get("region", ""))
    if boundary is None:
        raise NotFound()
    return JsonResponse(boundary.geojson)


@require_POST
def boundary_upload_view(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("region", "")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Pilih berkas GeoJSON.")
    else:
        try:
            boundary = boundary_upload(actor=request.user, region_code=code, file=upload,
                                       key_property=request.POST.get("key_property", "code"))  # fmt: skip
        except DomainError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, f"Peta disimpan: {boundary.features} wilayah dikenali.")
    return redirect(f"/laporan/dasbor/?region={code}")
