"""API of imports: `/api/v1/imports`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from .downloads import import_download
from .models import WorkerImport
from .selectors import import_get, import_list
from .services import import_create

router = Router(tags=["imports"])


class ImportOut(Schema):
    id: uuid.UUID
    file_name: str
    sha256: str
    region_code: str
    status: str
    dry_run: bool
    job_id: uuid.UUID | None
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    skipped: int
    columns: dict[str, str]
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def _out(imp: WorkerImport) -> dict[str, Any]:
    return {
        "id": imp.pk,
        "file_name": imp.file_name,
        "sha256": imp.sha256,
        "region_code": imp.region_id,
        "status": imp.status,
        "dry_run": imp.dry_run,
        "job_id": imp.job_id,
        **imp.counts(),
        "columns": imp.columns,
        "error": imp.error,
        "created_at": imp.created_at,
        "started_at": imp.started_at,
        "finished_at": imp.finished_at,
    }


@router.post("", response={202: ImportOut}, summary="Unggah daftar pekerja (diproses di latar)")
def create_import(
    request: HttpRequest,
    region: Form[str],
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
) -> Status[dict[str, Any]]:
    imp = import_create(
        actor=request.auth,  # type: ignore[attr-defined]
        file=file,
        file_name=file.name or "upload",
        region_code=region,
        dry_run=dry_run,
    )
    return Status(202, _out(imp))


@router.get("", response=list[ImportOut], summary="Impor di wilayah saya")
def list_imports(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(i) for i in import_list(actor=request.auth)[:100]]  # type: ignore[attr-defined]


@router.get("/{import_id}", response=ImportOut, summary="Satu impor dan hasilnya")
def get_import(request: HttpRequest, import_id: uuid.UUID) -> dict[str, Any]:
    return _out(import_get(actor=request.auth, import_id=import_id))  # type: ignore[attr-defined]


@router.get(
    "/{import_id}/files/{kind}",
    summary="Unduh laporan (report), baris ditolak (rejected) atau berkas asli (original)",
)
def download(request: HttpRequest, import_id: uuid.UUID, kind: str) -> FileResponse:
    actor = request.auth  # type: ignore[attr-defined]
    return import_download(actor=actor, imp=import_get(actor=actor, import_id=import_id), kind=kind)
