"""Uploaded files: the checksum recorded with every upload (imports, BPJS answers)."""

from __future__ import annotations

import hashlib
from typing import IO, Any


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
