"""Uploading target populations and BPJS aggregate figures (CSV/xlsx, header anywhere in the first
rows): every row is checked first; one bad row refuses the file and nothing is written."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.actors import account
from lindungi.core.audit import audit_record
from lindungi.core.errors import DomainError
from lindungi.core.files import file_digest
from lindungi.core.scope import region_in_scope
from lindungi.core.spreadsheets.columns import ColumnSpec
from lindungi.core.spreadsheets.errors import SpreadsheetError
from lindungi.core.spreadsheets.readers import ROW, read_table, upload_size_check
from lindungi.regions.models import Region

from .errors import ReportError
from .models import RegionFigure, Segment

FIGURES_SPEC = ColumnSpec(
    {
        "region": ["KODE WILAYAH", "KODE", "KODE KEMENDAGRI", "WILAYAH", "REGION", "REGION CODE"],
        "year": ["TAHUN", "YEAR"],
        "segment": ["SEGMEN", "SEGMENT", "KATEGORI", "JENIS PEKERJA"],
        "population": ["POPULASI", "TARGET", "SASARAN", "JUMLAH PEKERJA", "JUMLAH", "POPULATION"],
        "covered": ["PESERTA", "TERCAKUP", "TERLINDUNGI", "JUMLAH PESERTA", "COVERED"],
        "source": ["SUMBER", "SUMBER DATA", "SOURCE"],
    },
    ("region",),
)
SEGMENT_NAMES = {
    "ANGKATAN KERJA": Segment.LABOUR_FORCE, "LABOUR FORCE": Segment.LABOUR_FORCE,
    "LABOUR_FORCE": Segment.LABOUR_FORCE, "PU": Segment.PU, "PENERIMA UPAH": Segment.PU,
    "BPU": Segment.BPU, "BUKAN PENERIMA UPAH": Segment.BPU,
    "PEKERJA RENTAN": Segment.PEKERJA_RENTAN, "PEKERJA_RENTAN": Segment.PEKERJA_RENTAN,
    "FORMAL": Segment.FORMAL, "PEKERJA FORMAL": Segment.FORMAL,
    "INFORMAL": Segment.INFORMAL, "PEKERJA INFORMAL": Segment.INFORMAL,
}  # fmt: skip


def _count(text: Any) -> int | None:
    raw = re.sub(r"[\s.,]", "", str(text or ""))
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError(text)
    return int(raw)


def _rows(frame: Any, actor: Any) -> tuple[list[dict[str, Any]], list[str]]:
    regions = set(Region.objects.values_list("code", flat=True))
    rows, problems = [], []
    for record in frame.iter_rows(named=True):
        line = record.get(ROW)
        code = str(record.get("region") or "").strip()
        if not code and not record.get("year"):
            continue  # blank, a total or a signature line
        reasons = []
        if code not in regions or not region_in_scope(actor, code):
            reasons.append(f"wilayah “{code}” tidak dikenal atau di luar wilayah Anda")
        year_text = str(record.get("year") or "").strip()
        year = int(year_text) if year_text.isdigit() else 0
        if not 2000 <= year <= 2100:
            reasons.append(f"tahun “{year_text}” tidak valid")
        segment = SEGMENT_NAMES.get(str(record.get("segment") or "").strip().upper())
        if segment is None:
            reasons.append(f"segmen “{record.get('segment') or ''}” tidak dikenal")
        try:
            population, covered = _count(record.get("population")), _count(record.get("covered"))
        except ValueError as exc:
            reasons.append(f"angka “{exc.args[0]}” tidak valid")
            population = covered = None
        if population is None and covered is None and not reasons:
            reasons.append("populasi dan peserta kosong")
        if population is not None and covered is not None and covered > population:
            reasons.append("peserta lebih banyak dari populasi")
        if reasons:
            problems.append(f"baris {line}: " + "; ".join(reasons))
            continue
        rows.append({"region_id": code, "year": year, "segment": segment,
                     "population": population, "covered": covered,
                     "source": str(record.get("source") or "").strip()[:255]})  # fmt: skip
    return rows, problems


@transaction.atomic
def figures_import(*, actor: Any, file: IO[bytes], file_name: str) -> dict[str, int]:
    """Create or replace the figures of every row (region, year, segment); nothing on error."""
    require(actor, Capability.MANAGE_PROGRAMMES)
    digest, size = file_digest(file)
    upload_size_check(size)
    suffix = Path(file_name).suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        file.seek(0)
        handle.write(file.read())
        handle.flush()
        try:
            table = read_table(Path(handle.name), file_name, spec=FIGURES_SPEC)
        except DomainError as exc:
            if exc.code == SpreadsheetError.NO_HEADER.value:
                raise DomainError(ReportError.FIGURES_COLUMNS) from exc
            raise
    frame = table.frame
    if not {"year", "segment"} <= set(frame.columns) or not (
        {"population", "covered"} & set(frame.columns)
    ):
        raise DomainError(ReportError.FIGURES_COLUMNS)
    rows, problems = _rows(frame, actor)
    if problems:
        raise DomainError(ReportError.FIGURES_ROWS, arg=len(problems),
                          details={"rows": problems[:50]})  # fmt: skip
    if not rows:
        raise DomainError(ReportError.FIGURES_EMPTY)
    now, created = timezone.now(), 0
    for row in rows:
        _, was_created = RegionFigure.objects.update_or_create(
            region_id=row["region_id"], year=row["year"], segment=row["segment"],
            defaults={"population": row["population"], "covered": row["covered"],
                      "source": row["source"] or Path(file_name).name[:255],
                      "updated_at": now, "updated_by": account(actor)},
        )  # fmt: skip
        created += was_created
    audit_record(actor=actor, action="reporting.figures", object_type="file", object_id=digest[:64],
                 changes={"rows": [None, len(rows)], "created": [None, created]},
                 note=Path(file_name).name[:255])  # fmt: skip
    return {"rows": len(rows), "created": created, "updated": len(rows) - created}
