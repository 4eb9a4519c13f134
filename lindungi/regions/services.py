"""Loading the shipped Kemendagri region data (idn-area-data 4.0.1, ODbL)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import transaction

from lindungi.core.audit import audit_record
from lindungi.core.bulk import bulk_upsert
from lindungi.core.errors import DomainError

from .errors import RegionError
from .models import CODE_LENGTH, Level, Region
from .names import name_key
from .selectors import CODE_PATTERN
from .signals import regions_loaded

DATA_DIR = Path(__file__).resolve().parent / "data"

# (level, file, parent column) in load order: parents before children.
LEVEL_FILES: list[tuple[Level, str, str | None]] = [
    (Level.PROVINCE, "provinces.csv", None),
    (Level.REGENCY, "regencies.csv", "province_code"),
    (Level.DISTRICT, "districts.csv", "regency_code"),
    (Level.VILLAGE, "villages.csv", "district_code"),
]
HISTORICAL_FILE = "historical_provinces.csv"

Progress = Callable[[int, int, str], None]
Row = tuple[str, str | None, str, str, str, bool]


def _read_level(path: Path, level: Level, parent_col: str | None, known: set[str]) -> list[Row]:
    rows: list[Row] = []
    with path.open(newline="", encoding="utf-8") as handle:
        # A real CSV parser: names such as "Lubuk Pakam I,II" and "Soka""an" are quoted.
        for line_no, record in enumerate(csv.DictReader(handle), start=2):
            code = (record.get("code") or "").strip()
            name = " ".join((record.get("name") or "").split())
            parent = (record.get(parent_col) or "").strip() if parent_col else None
            reason = None
            if not CODE_PATTERN.match(code) or len(code) != CODE_LENGTH[level]:
                reason = f"kode {code!r}"
            elif not name:
                reason = "nama kosong"
            elif parent_col and (parent not in known or not code.startswith(f"{parent}.")):
                reason = f"induk {parent!r}"
            if reason:
                raise DomainError(
                    RegionError.DATA_FILE_INVALID, file=path.name, row=line_no, reason=reason
                )
            rows.append((code, parent, level.value, name, name_key(name, level), True))
    return rows


def regions_load(
    *, actor: Any = None, data_dir: Path = DATA_DIR, progress: Progress | None = None
) -> dict[str, Any]:
    """Load every region from the shipped CSVs; idempotent, set-based, one level per transaction.

    Codes no longer in the data are kept but marked inactive (domain.md §3: never lose a code
    that NIKs or old records carry). Returns counts per level.
    """
    levels: list[tuple[Level, list[Row]]] = []
    known: set[str] = set()
    for level, filename, parent_col in LEVEL_FILES:
        rows = _read_level(data_dir / filename, level, parent_col, known)
        known.update(row[0] for row in rows)
        levels.append((level, rows))
    historical: list[Row] = []
    hist_path = data_dir / HISTORICAL_FILE
    if hist_path.exists():
        for row in _read_level(hist_path, Level.PROVINCE, None, known):
            if row[0] not in known:
                historical.append((*row[:5], False))

    total = sum(len(rows) for _, rows in levels) + len(historical)
    done = 0
    summary: dict[str, Any] = {"levels": {}, "total": total}
    fields = ["code", "parent", "level", "name", "name_key", "is_active"]
    for level, rows in levels:
        with transaction.atomic():
            result = bulk_upsert(
                Region,
                fields=fields,
                rows=rows,
                conflict=["code"],
                update=["parent", "level", "name", "name_key", "is_active"],
            )
        done += len(rows)
        summary["levels"][level.value] = {
            "rows": len(rows),
            "inserted": result.inserted,
            "updated": result.updated,
        }
        if progress:
            progress(done, total, f"{level.label}: {len(rows):,}".replace(",", "."))

    with transaction.atomic():
        if historical:
            bulk_upsert(
                Region,
                fields=fields,
                rows=historical,
                conflict=["code"],
                update=["name", "name_key"],
            )
        active_now = set(Region.objects.filter(is_active=True).values_list("code", flat=True))
        gone = sorted(active_now - known)
        for start in range(0, len(gone), 500):
            Region.objects.filter(code__in=gone[start : start + 500]).update(is_active=False)
        summary["deactivated"] = len(gone)
        summary["historical"] = len(historical)
        audit_record(
            actor=actor,
            action="regions.load",
            object_type="regions.region",
            changes={"summary": summary},
        )
    regions_loaded.send(sender=Region)
    if progress:
        progress(total, total, "Selesai")
    return summary
