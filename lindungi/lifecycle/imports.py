"""Importing a village's worker list: the import (imports app) writes the registry, and the
deaths and moves its KETERANGAN column states are followed up like any other life event, in the
import's own transaction (nothing is half-imported)."""

from __future__ import annotations

from typing import Any

from lindungi.imports.models import WorkerImport
from lindungi.imports.services import Progress
from lindungi.imports.services import import_run as _import_run

from .life_events import life_events_follow_up


def import_run(*, imp: WorkerImport, actor: Any, progress: Progress | None = None) -> WorkerImport:
    """Read, check and (unless a dry run) apply an import, life events followed up."""
    return _import_run(imp=imp, actor=actor, follow_up=life_events_follow_up, progress=progress)
