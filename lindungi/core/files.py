"""Uploaded files: the checksum recorded with every upload (imports, BPJS answers), and the one
check every document upload passes — life-event evidence, claim documents, payment evidence."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from .errors import ErrorCode, FieldErrors


def file_digest(handle: IO[bytes]) -> tuple[str, int]:
    """SHA-256 (hex) and size of an open file, read in blocks; the file is rewound after."""
    digest = hashlib.sha256()
    size = 0
    for block in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(block)
        size += len(block)
    handle.seek(0)
    return digest.hexdigest(), size


def attachment(stored: Any, name: str = "") -> Any:
    """A stored file as a download under `name` (default: the stored file's own name)."""
    from django.http import FileResponse

    filename = name or (stored.name or "berkas").rsplit("/", 1)[-1]
    return FileResponse(stored.open("rb"), as_attachment=True, filename=filename)


@dataclass(frozen=True)
class DocumentKind:
    label: str
    extensions: tuple[str, ...]  # the first is the one a name without extension gets
    signature: bytes  # how the content starts


# What a scanned document or a phone's photo is. The kind is read from the first bytes, never
# from the name or the browser's content type: both are whatever the sender wrote.
DOCUMENT_KINDS = (
    DocumentKind("PDF", (".pdf",), b"%PDF-"),
    DocumentKind("JPG", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
    DocumentKind("PNG", (".png",), b"\x89PNG\r\n\x1a\n"),
)
# A trailing ".xyz" counts as an extension only when it looks like one: "scan 12.05.2026" has none.
_EXTENSION = re.compile(r"[A-Za-z][A-Za-z0-9]{0,4}")
_UNSAFE = re.compile(r"[^\w\s().,-]")
NAME_STEM_MAX = 100

KIND_UNKNOWN = _(
    "Isi berkas bukan PDF, JPG atau PNG. Jenis berkas dikenali dari isinya, bukan dari namanya;"
    " unggah hasil pindai (PDF) atau foto dokumen."
)
KIND_DISAGREES = _(
    "Nama berkas berakhiran {extension}, tetapi isinya {kind}. Ganti nama berkas sesuai isinya"
    " atau unggah berkas yang benar."
)
EMPTY = _("Berkas kosong.")
TOO_LARGE = _("Berkas {size} MB melebihi batas {limit} MB.")


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # safe to store and show, its extension agreeing with the content
    kind: str  # "PDF", "JPG", "PNG"
    sha256: str
    size: int


def _split_name(name: str) -> tuple[str, str]:
    """(stem, declared extension in lower case or "") of the last path component."""
    base = re.split(r"[\\/]", name or "")[-1]
    stem, dot, tail = base.rpartition(".")
    if dot and _EXTENSION.fullmatch(tail):
        return stem, f".{tail.lower()}"
    return base, ""


def _refused(field: str, code: ErrorCode, message: Any, **params: Any) -> FieldErrors:
    return FieldErrors(
        {field: [{"code": str(code.value), "message": str(message).format(**params)}]}
    )


def document_upload_check(
    handle: IO[bytes],
    name: str,
    *,
    field: str,
    max_mb: int,
    wrong_kind: ErrorCode,
    too_large: ErrorCode,
) -> CheckedUpload:
    """Whether an uploaded document may be kept: a PDF, JPG or PNG by its content, a name whose
    extension agrees with that content, at most `max_mb`. Refusals carry the front door's own
    stable codes (`wrong_kind`, `too_large`) under `field`; the file is rewound for storing."""
    size = getattr(handle, "size", None)
    if size is not None and size > max_mb * 1024 * 1024:  # known before reading it all
        raise _refused(field, too_large, TOO_LARGE, size=math.ceil(size / 2**20), limit=max_mb)
    head = handle.read(16)
    handle.seek(0)
    digest, size = file_digest(handle)
    if size == 0:
        raise _refused(field, wrong_kind, EMPTY)
    if size > max_mb * 1024 * 1024:
        raise _refused(field, too_large, TOO_LARGE, size=math.ceil(size / 2**20), limit=max_mb)
    kind = next((k for k in DOCUMENT_KINDS if head.startswith(k.signature)), None)
    if kind is None:
        raise _refused(field, wrong_kind, KIND_UNKNOWN)
    stem, extension = _split_name(name)
    if extension and extension not in kind.extensions:
        raise _refused(field, wrong_kind, KIND_DISAGREES, extension=extension, kind=kind.label)
    stem = " ".join(_UNSAFE.sub("_", stem).split()).strip(" .")[:NAME_STEM_MAX].strip(" .")
    return CheckedUpload(
        name=f"{stem or 'berkas'}{extension or kind.extensions[0]}",
        kind=kind.label,
        sha256=digest,
        size=size,
    )
