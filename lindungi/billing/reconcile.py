"""Reconciliation (issue 7, scope 6): BPJS's billing statement for a programme's month, read
from CSV/xlsx (header anywhere in the first rows), compared worker by worker with the lines
Lindungi billed for that month. Every disagreement is kept with the row it came from: a
different amount, a worker BPJS bills that we do not, one we bill that BPJS does not, a NIK or
KPJ that is not a participant, an unreadable row. Nothing else changes: a statement informs the
finance officer, it never alters invoices.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.db.models import Sum

from lindungi.core.audit import audit_record
from lindungi.core.errors import DomainError, FieldErrors
from lindungi.core.files import file_digest
from lindungi.core.privacy import mask_nik
from lindungi.core.spreadsheets.columns import PERSON_SYNONYMS, ColumnSpec
from lindungi.core.spreadsheets.errors import SpreadsheetError
from lindungi.core.spreadsheets.readers import ROW, read_table, upload_size_check
from lindungi.core.spreadsheets.rows import non_data_rows

from .errors import BillingError
from .models import (
    ContributionLine,
    ContributionRun,
    DifferenceKind,
    RunStatus,
    Statement,
    StatementDifference,
    StatementStatus,
)
from .services import parse_period, programme_for_finance

STATEMENT_SPEC = ColumnSpec(
    {
        "nik": PERSON_SYNONYMS["nik"],
        "kpj": ["KPJ", "NO KPJ", "NOMOR KPJ", "NO PESERTA", "NOMOR PESERTA", "NO KARTU"],
        "full_name": PERSON_SYNONYMS["full_name"],
        "amount": [
            "IURAN",
            "JUMLAH IURAN",
            "TOTAL IURAN",
            "NOMINAL IURAN",
            "IURAN RP",
            "TAGIHAN",
            "JUMLAH TAGIHAN",
            "TOTAL TAGIHAN",
            "NOMINAL",
            "TOTAL",
        ],
    },
    ("nik",),
)
_NOISE = re.compile(r"[\s.\-']")


def _amount(text: Any) -> int | None:
    """ "16.800", "16,800", "Rp 16.800,00", "16800" → 16800; anything else None."""
    raw = str(text or "").strip().upper().replace("RP", "").strip()
    raw = re.sub(r"[,.]00$", "", raw)
    digits = raw.replace(".", "").replace(",", "").replace(" ", "")
    return int(digits) if digits.isdigit() else None


@transaction.atomic
def statement_import(
    *, actor: Any, programme_id: int, period: Any, file: IO[bytes], file_name: str
) -> Statement:
    """Read BPJS's statement and record how it differs from the month's invoices."""
    programme = programme_for_finance(actor=actor, programme_id=programme_id)
    first = parse_period(period)
    runs = ContributionRun.objects.filter(
        programme=programme, period=first, status=RunStatus.BILLED
    )
    if not runs.exists():
        raise FieldErrors.single("period", BillingError.STATEMENT_NOT_BILLED, arg=f"{first:%m/%Y}")
    digest, size = file_digest(file)
    upload_size_check(size)
    statement = Statement(
        programme=programme,
        period=first,
        file_name=Path(file_name).name[:255] or "tagihan-bpjs",
        sha256=digest,
        status=StatementStatus.DONE,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    statement.file.save(statement.file_name, File(file), save=False)
    try:
        table = read_table(Path(statement.file.path), statement.file_name, spec=STATEMENT_SPEC)
    except DomainError as exc:
        statement.file.delete(save=False)
        if exc.code == SpreadsheetError.NO_HEADER.value:
            raise DomainError(BillingError.STATEMENT_COLUMNS) from exc
        raise
    frame = table.frame
    if "amount" not in frame.columns:
        statement.file.delete(save=False)
        raise DomainError(BillingError.STATEMENT_COLUMNS)
    statement.save()
    expected, differences, counts = _compare(statement, runs, frame)
    StatementDifference.objects.bulk_create(differences, batch_size=2000)
    statement.rows = counts["rows"]
    statement.matched = counts["matched"]
    statement.skipped = counts["skipped"]
    statement.differences = len(differences)
    statement.billed_total = counts["billed"]
    statement.expected_total = sum(expected.values())
    statement.save()
    audit_record(
        actor=actor,
        action="billing.statement",
        obj=statement,
        region_code=programme.region_id,
        changes={
            "period": [None, first.isoformat()],
            "matched": [None, statement.matched],
            "differences": [None, statement.differences],
        },
    )
    return statement


def _compare(
    statement: Statement, runs: Any, frame: Any
) -> tuple[dict[int, int], list[StatementDifference], dict[str, int]]:
    """Each statement row against the month's lines: what matches, and every difference."""
    expected: dict[int, int] = {
        row["worker_id"]: int(row["s"])
        for row in ContributionLine.objects.filter(run__in=runs)
        .values("worker_id")
        .annotate(s=Sum("amount"))
    }
    participants = {
        nik: (worker_id, kpj, name)
        for worker_id, nik, kpj, name in ContributionLine.objects.filter(run__in=runs).values_list(
            "worker_id", "worker__nik", "enrolment__kpj", "worker__full_name"
        )
    }
    regions = dict(
        ContributionLine.objects.filter(run__in=runs).values_list(
            "worker_id", "enrolment__region_code"
        )
    )
    own_region = statement.programme.region_id
    by_kpj = {kpj: nik for nik, (_, kpj, _) in participants.items() if kpj}
    skipped = non_data_rows(frame.drop([c for c in ("full_name", "amount") if c in frame.columns]))
    differences: list[StatementDifference] = []
    seen: dict[int, int] = {}
    counts = {"rows": 0, "matched": 0, "skipped": 0, "billed": 0}

    def differ(kind: str, row: int | None, **values: Any) -> None:
        worker_id = values.get("worker_id")
        region = regions.get(worker_id, own_region) if worker_id else own_region
        differences.append(
            StatementDifference(
                statement=statement, kind=kind, row=row, region_code=region, **values
            )
        )

    for record, skip in zip(frame.iter_rows(named=True), skipped, strict=True):
        counts["rows"] += 1
        raw_nik = _NOISE.sub("", str(record.get("nik") or ""))
        raw_kpj = _NOISE.sub("", str(record.get("kpj") or ""))
        if skip or not (raw_nik.isdigit() or raw_kpj.isdigit()):
            counts["skipped"] += 1
            continue
        row = int(record[ROW])
        amount = _amount(record.get("amount"))
        nik = raw_nik if raw_nik in participants else by_kpj.get(raw_kpj, raw_nik)
        shown = {"nik_masked": mask_nik(raw_nik), "kpj": raw_kpj[:20]}
        if record.get("nik_is_number") and nik not in participants:
            differ(
                DifferenceKind.INVALID, row, message=str(BillingError.ROW_NIK_NUMBER.label), **shown
            )
            continue
        if amount is None:
            if nik in participants:  # identified: reported once, as unreadable, not as missing
                seen.setdefault(participants[nik][0], row)
            differ(DifferenceKind.INVALID, row, message=str(BillingError.ROW_AMOUNT.label).format(arg=str(record.get("amount") or "")[:30]), **shown)  # fmt: skip
            continue
        counts["billed"] += amount
        if nik not in participants:
            differ(DifferenceKind.NOT_INVOICED if len(raw_nik) == 16 else DifferenceKind.UNKNOWN, row, billed=amount, message=str(BillingError.ROW_UNKNOWN.label).format(arg=shown["nik_masked"] or raw_kpj), **shown)  # fmt: skip
            continue
        worker_id, kpj, name = participants[nik]
        if worker_id in seen:
            differ(DifferenceKind.INVALID, row, worker_id=worker_id, billed=amount, message=str(BillingError.ROW_DUPLICATE.label).format(arg=seen[worker_id]), nik_masked=mask_nik(nik), kpj=kpj)  # fmt: skip
            continue
        seen[worker_id] = row
        ours = expected.get(worker_id, 0)
        if ours != amount:
            differ(DifferenceKind.AMOUNT, row, worker_id=worker_id, billed=amount, expected=ours, nik_masked=mask_nik(nik), kpj=kpj, name=name[:150])  # fmt: skip
        else:
            counts["matched"] += 1
    for nik, (worker_id, kpj, name) in participants.items():
        if worker_id not in seen:
            differ(DifferenceKind.NOT_BILLED, None, worker_id=worker_id, expected=expected.get(worker_id, 0), nik_masked=mask_nik(nik), kpj=kpj, name=name[:150])  # fmt: skip
    return expected, differences, counts
