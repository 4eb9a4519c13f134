"""Downloads of an import's files: streamed, never from a public URL, and audited."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse

from lindungi.core.audit import audit_record
from lindungi.core.errors import NotFound
from lindungi.core.models import AuditEvent

from .models import WorkerImport

KINDS = {
    "report": ("report", "text/csv"),
    "rejected": (
        "rejected_file",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "original": ("file", "application/octet-stream"),
}


def import_download(*, actor: Any, imp: WorkerImport, kind: str) -> FileResponse:
    """One of the import's files (row report, rejected rows, the upload); the export is audited."""
    if kind not in KINDS:
        raise NotFound()
    attribute, content_type = KINDS[kind]
    stored = getattr(imp, attribute)
    if not stored:
        raise NotFound()
    audit_record(
        actor=actor,
        action=f"import.download_{kind}",
        kind=AuditEvent.Kind.EXPORT,
        obj=imp,
        region_code=imp.region_id,
    )
    stem = imp.file_name.rsplit(".", 1)[0] or "impor"
    names = {
        "report": f"{stem}-laporan.csv",
        "rejected": f"{stem}-perlu-diperbaiki.xlsx",
        "original": imp.file_name,
    }
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=names[kind], content_type=content_type
    )
