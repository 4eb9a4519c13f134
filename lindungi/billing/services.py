"""Money use cases (domain.md §5): monthly contribution runs split into invoices per co-funder,
payments allocated oldest invoice first (the rest is credit for months paid ahead), budgets with
their mid-year revisions, and lapse after the configurable number of months in arrears.

How a month's payment state reaches the workers: a run and its lines are *paid* (`paid_on`)
once every co-funder's invoice of that run is paid in full. An enrolment's arrears are its unpaid lines
whose run is past its due date. Because payments settle the oldest invoices first, unpaid months
are always the latest ones — consecutive, as BPJS's rule counts them.

Reactivation: paying the arrears before the limit is passed settles the months and nothing
lapses. Once an enrolment has lapsed it is not revived (BPJS: the worker must re-register); it
appears in the re-enrolment worklist, and a new batch enrols the worker again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Max, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.core.actors import SystemActor, account
from lindungi.core.audit import audit_record
from lindungi.core.dates import iso_date
from lindungi.core.errors import Conflict, DomainError, FieldErrors, Forbidden, NotFound
from lindungi.core.faults import checkpoint
from lindungi.core.files import CheckedUpload, document_upload_check
from lindungi.core.scope import region_in_scope
from lindungi.enrolment.models import EndReason, Enrolment, EnrolmentStatus
from lindungi.enrolment.services import _chunks, _transitions
from lindungi.programmes.models import Programme, ProgrammeFunder
from lindungi.programmes.selectors import programme_get

from . import partitions
from .contributions import (
    LineSql,
    add_months,
    due_date_of,
    lapse_limit,
    line_select,
    month_start,
)
from .errors import BillingError
from .models import (
    Allocation,
    Budget,
    BudgetKind,
    ContributionRun,
    Invoice,
    InvoiceStatus,
    Payment,
    RunStatus,
)

EVIDENCE_MAX_MB = 20


def _today() -> dt.date:
    return timezone.localdate()


def can_manage_finance(actor: Any, programme: Programme) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.can(Capability.MANAGE_FINANCE)
        and region_in_scope(actor, programme.region_id)
    )


def programme_for_finance(*, actor: Any, programme_id: int, lock: bool = True) -> Programme:
    """404 when the programme is invisible to the actor, 403 when visible but not its to manage."""
    programme = programme_get(actor=actor, programme_id=programme_id)
    if not can_manage_finance(actor, programme):
        raise Forbidden()
    if lock:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
    return programme


def funders_of(programme: Programme) -> list[ProgrammeFunder]:
    """Co-funders, the first (largest share) paying each line's rounding remainder."""
    return list(programme.funders.order_by("-share_bp", "id"))


# --- contribution runs ------------------------------------------------------------------------


def parse_period(value: Any) -> dt.date:
    """A month from "2026-01", "2026-01-01", "01/2026" or a date: its first day."""
    if isinstance(value, dt.date):
        return month_start(value)
    text = str(value or "").strip()
    for fmt in ("%Y-%m", "%Y-%m-%d", "%m/%Y", "%m-%Y"):
        try:
            return month_start(dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC).date())
        except ValueError:
            continue
    raise FieldErrors.single("period", BillingError.PERIOD_INVALID, arg=text[:20])


@dataclass(frozen=True)
class RunOutcome:
    run: ContributionRun | None  # None: nothing new to bill
    created: bool
    message: str


def _other_shares(funders: list[ProgrammeFunder]) -> str:
    """SQL sums of every co-funder's share but the first's (who pays the remainder)."""
    return "".join(f", COALESCE(SUM(amount * {int(f.share_bp)} / 10000), 0)" for f in funders[1:])


def _write_lines(
    run: ContributionRun, select: LineSql, funders: list[ProgrammeFunder]
) -> list[int]:
    """Insert the run's lines and set its totals; returns each co-funder's part of them.

    On PostgreSQL the month's first run writes into a new partition, indexed after it is
    written (`partitions`); the totals are then a plain scan of that table."""
    columns = "COUNT(*), COALESCE(SUM(amount), 0), COALESCE(SUM(jkk), 0), COALESCE(SUM(jkm), 0),"
    totals = f"SELECT {columns} COALESCE(SUM(jht), 0){_other_shares(funders)}"
    rows = (
        "SELECT %s, s.enrolment_id, s.worker_id, %s, s.jkk, s.jkm, s.jht,"  # noqa: S608
        f" s.jkk + s.jkm + s.jht FROM ({select.sql}) s"
    )
    table, where = partitions.PARENT, " WHERE period = %s AND run_id = %s"
    params: list[Any] = [run.period, run.pk]
    with connection.cursor() as cursor:
        new = False
        if partitions.partitioned():
            partitions.month_lock(cursor, run.period)
            new = not partitions.partition_exists(cursor, run.period)
            if new:
                table, where, params = partitions.partition_create(cursor, run.period), "", []
        cursor.execute(
            f"INSERT INTO {table} ({partitions.COLUMNS}) {rows}",
            [run.pk, run.period, *select.params],
        )
        cursor.execute(f"{totals} FROM {table}{where}", params)
        lines, amount, jkk, jkm, jht, *others = (int(v) for v in cursor.fetchone())
        if new:
            partitions.partition_attach(cursor, run.period)
    run.lines, run.amount, run.jkk, run.jkm, run.jht = lines, amount, jkk, jkm, jht
    return [amount - sum(others), *others]


@transaction.atomic
def contribution_run(
    *, actor: Any, programme_id: int, period: Any, today: dt.date | None = None
) -> RunOutcome:
    """Bill a programme's month: one line per enrolment owing it (set-based), one invoice per
    co-funder. Running a month again bills only the enrolments not billed yet."""
    programme = programme_for_finance(actor=actor, programme_id=programme_id)
    day = today or _today()
    first = parse_period(period)
    if not month_start(programme.start_date) <= first <= month_start(programme.end_date):
        raise FieldErrors.single("period", BillingError.PERIOD_OUTSIDE, arg=f"{first:%m/%Y}")
    if first > add_months(day, 1):
        raise FieldErrors.single("period", BillingError.PERIOD_AHEAD, arg=f"{first:%m/%Y}")
    funders = funders_of(programme)
    if not funders:
        raise DomainError(BillingError.NO_FUNDER)
    earlier = ContributionRun.objects.filter(programme=programme, period=first)
    billed_before = earlier.filter(status=RunStatus.BILLED).exists()
    select = line_select(programme, first, billed_before=billed_before)
    sequence = (earlier.aggregate(n=Max("sequence"))["n"] or 0) + 1
    run = ContributionRun.objects.create(
        programme=programme,
        period=first,
        sequence=sequence,
        due_date=due_date_of(first, billed_on=day),
        legal_basis=select.legal_basis[:500],
        created_by=account(actor),
    )
    shares = _write_lines(run, select, funders)
    if not run.lines:
        run.delete()
        message = (
            f"Bulan {first:%m/%Y} sudah ditagih untuk semua peserta; tidak ada tagihan baru."
            if billed_before
            else f"Tidak ada peserta yang berutang iuran bulan {first:%m/%Y}."
        )
        return RunOutcome(run=None, created=False, message=message)
    run.save(update_fields=["lines", "amount", "jkk", "jkm", "jht"])
    for index, (funder, share) in enumerate(zip(funders, shares, strict=True)):
        Invoice.objects.create(
            run=run,
            programme=programme,
            funder=funder,
            number=f"INV-{programme.pk}-{first:%Y%m}-{sequence}-{index + 1}",
            period=first,
            share_bp=funder.share_bp,
            primary=index == 0,
            amount=share,
            due_date=run.due_date,
            status=InvoiceStatus.PAID if share == 0 else InvoiceStatus.OPEN,
            paid_on=day if share == 0 else None,
        )
    audit_record(
        actor=actor,
        action="billing.run",
        obj=run,
        region_code=programme.region_id,
        changes={
            "period": [None, first.isoformat()],
            "lines": [None, run.lines],
            "amount": [None, run.amount],
        },
    )
    for funder in funders:
        _allocate_credit(funder)
    _settle_runs([run.pk])
    checkpoint("billing.run")  # fault tests kill the process here, inside the transaction
    kind = "tagihan tambahan" if sequence > 1 else "tagihan"
    return RunOutcome(
        run=run,
        created=True,
        message=f"{kind.capitalize()} {first:%m/%Y}: {run.lines} peserta, Rp{run.amount:,}".replace(
            ",", "."
        ),
    )


@transaction.atomic
def contribution_run_reverse(*, actor: Any, run_id: int, note: str) -> ContributionRun:
    """Undo a run none of whose invoices has received money: its lines go, the run and its
    invoices stay (reversed / void) for the record, and the month can be run again."""
    run = ContributionRun.objects.visible_to(actor).filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    programme_for_finance(actor=actor, programme_id=run.programme_id)
    run = ContributionRun.objects.select_for_update().get(pk=run.pk)
    if run.status == RunStatus.REVERSED:
        raise Conflict(BillingError.RUN_REVERSED)
    if not " ".join(str(note or "").split()):
        raise FieldErrors.single("note", BillingError.NOTE_REQUIRED)
    if Allocation.objects.filter(invoice__run=run).exists():
        raise Conflict(BillingError.RUN_PAID)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_contributionline WHERE run_id = %s", [run.pk])
    run.invoices.update(status=InvoiceStatus.VOID, paid_on=None)
    run.status = RunStatus.REVERSED
    run.paid_on = None
    run.reversed_at = timezone.now()
    run.reversed_by = account(actor)
    run.reverse_note = " ".join(str(note).split())[:500]
    run.save(update_fields=["status", "paid_on", "reversed_at", "reversed_by", "reverse_note"])
    audit_record(
        actor=actor,
        action="billing.run_reverse",
        obj=run,
        region_code=run.programme.region_id,
        changes={"status": [RunStatus.BILLED, RunStatus.REVERSED]},
        note=run.reverse_note,
    )
    return run


# --- payments ---------------------------------------------------------------------------------


def _allocate_credit(funder: ProgrammeFunder) -> list[int]:
    """Apply the funder's unallocated payments to its open invoices, oldest month first.
    Returns the runs whose invoices changed."""
    payments = list(
        Payment.objects.select_for_update()
        .filter(funder=funder, void=False, allocated__lt=F("amount"))
        .order_by("paid_on", "id")
    )
    if not payments:
        return []
    invoices = list(
        Invoice.objects.select_for_update()
        .filter(funder=funder, status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTIAL])
        .order_by("period", "run__sequence", "id")
    )
    touched: set[int] = set()
    queue = iter(payments)
    payment = next(queue, None)
    for invoice in invoices:
        while payment is not None and invoice.paid_amount < invoice.amount:
            take = min(payment.amount - payment.allocated, invoice.amount - invoice.paid_amount)
            Allocation.objects.create(payment=payment, invoice=invoice, amount=take)
            payment.allocated += take
            invoice.paid_amount += take
            payment.save(update_fields=["allocated"])
            if payment.allocated == payment.amount:
                payment = next(queue, None)
        if invoice.paid_amount == invoice.amount:
            invoice.status = InvoiceStatus.PAID
            invoice.paid_on = max(
                p.paid_on for p in Payment.objects.filter(allocations__invoice=invoice)
            )
        elif invoice.paid_amount:
            invoice.status = InvoiceStatus.PARTIAL
        invoice.save(update_fields=["paid_amount", "status", "paid_on"])
        touched.add(invoice.run_id)
        if payment is None:
            break
    return sorted(touched)


def _settle_runs(run_ids: Iterable[int]) -> None:
    """A run is paid (and so are its lines) once every invoice of the run is paid in full."""
    for run_id in run_ids:
        invoices = list(Invoice.objects.filter(run_id=run_id).exclude(status=InvoiceStatus.VOID))
        paid = bool(invoices) and all(i.status == InvoiceStatus.PAID for i in invoices)
        paid_on = max(i.paid_on or _today() for i in invoices) if paid else None
        ContributionRun.objects.filter(pk=run_id).update(paid_on=paid_on)


def _positive(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number <= 0 or str(number) != str(value).strip():
        raise FieldErrors.single(field, BillingError.AMOUNT_INVALID, arg=value)
    return number


def _funder_of(programme: Programme, funder_id: Any) -> ProgrammeFunder:
    try:
        pk = int(str(funder_id).strip())
    except (TypeError, ValueError):
        pk = 0  # nothing chosen, or not a number: no funder
    funder = ProgrammeFunder.objects.filter(programme=programme, pk=pk).first() if pk else None
    if funder is None:
        raise FieldErrors.single("funder_id", BillingError.FUNDER_INVALID)
    return funder


def _check_evidence(evidence: IO[bytes] | None, name: str) -> CheckedUpload | None:
    if evidence is None:
        return None
    return document_upload_check(
        evidence, name, field="evidence", max_mb=EVIDENCE_MAX_MB,
        wrong_kind=BillingError.EVIDENCE_TYPE, too_large=BillingError.EVIDENCE_TOO_LARGE,
    )  # fmt: skip


@transaction.atomic
def payment_record(
    *,
    actor: Any,
    programme_id: int,
    data: dict[str, Any],
    evidence: IO[bytes] | None = None,
    evidence_name: str = "",
    today: dt.date | None = None,
) -> Payment:
    """Record money a co-funder paid BPJS (with its evidence) and settle its invoices, oldest
    first; what is left is credit that pays the next months' invoices as they are issued."""
    programme = programme_for_finance(actor=actor, programme_id=programme_id)
    errors: dict[str, list[dict[str, str]]] = {}

    def check(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except FieldErrors as exc:
            errors.update(exc.fields)
            return None

    funder = check(_funder_of, programme, data.get("funder_id"))
    paid_on = check(iso_date, data.get("paid_on"), "paid_on", BillingError.DATE_INVALID)
    amount = check(_positive, data.get("amount"), "amount")
    months = data.get("months") or 1
    if months not in Payment.Months.values:
        errors.update(FieldErrors.single("months", BillingError.PAYMENT_MONTHS).fields)
    reference = " ".join(str(data.get("reference") or "").split())[:100]
    if not reference:
        errors.update(FieldErrors.single("reference", BillingError.REFERENCE_REQUIRED).fields)
    if paid_on is not None and paid_on > (today or _today()):
        errors.update(FieldErrors.single("paid_on", BillingError.DATE_FUTURE).fields)
    checked = check(_check_evidence, evidence, evidence_name)
    if errors:
        raise FieldErrors(errors)
    if Payment.objects.filter(funder=funder, reference=reference, void=False).exists():
        raise Conflict(BillingError.PAYMENT_DUPLICATE, arg=reference)
    payment = Payment(
        programme=programme,
        funder=funder,
        paid_on=paid_on,
        amount=amount,
        months=months,
        reference=reference,
        note=" ".join(str(data.get("note") or "").split())[:500],
        created_by=account(actor),
    )
    if evidence is not None and checked is not None:
        payment.evidence_name = checked.name
        payment.evidence_sha256 = checked.sha256
        payment.evidence.save(checked.name, File(evidence), save=False)
    payment.save()
    audit_record(
        actor=actor,
        action="billing.payment",
        obj=payment,
        region_code=programme.region_id,
        changes={
            "funder": [None, funder.name],
            "amount": [None, amount],
            "paid_on": [None, paid_on.isoformat()],
            "months": [None, months],
            "reference": [None, reference],
        },
    )
    _settle_runs(_allocate_credit(funder))
    payment.refresh_from_db()
    return payment


@transaction.atomic
def payment_void(*, actor: Any, payment_id: int, note: str) -> Payment:
    """Cancel a payment recorded by mistake: its allocations are undone, the funder's other
    credit is applied again, and the months it paid are unpaid once more."""
    payment = Payment.objects.visible_to(actor).filter(pk=payment_id).first()
    if payment is None:
        raise NotFound()
    programme_for_finance(actor=actor, programme_id=payment.programme_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.void:
        raise Conflict(BillingError.PAYMENT_VOID)
    text = " ".join(str(note or "").split())[:500]
    if not text:
        raise FieldErrors.single("note", BillingError.NOTE_REQUIRED)
    runs: set[int] = set()
    for allocation in payment.allocations.select_related("invoice"):
        invoice = Invoice.objects.select_for_update().get(pk=allocation.invoice_id)
        invoice.paid_amount -= allocation.amount
        invoice.status = InvoiceStatus.PARTIAL if invoice.paid_amount else InvoiceStatus.OPEN
        invoice.paid_on = None
        invoice.save(update_fields=["paid_amount", "status", "paid_on"])
        runs.add(invoice.run_id)
    payment.allocations.all().delete()
    payment.void, payment.void_note, payment.allocated = True, text, 0
    payment.save(update_fields=["void", "void_note", "allocated"])
    audit_record(
        actor=actor,
        action="billing.payment_void",
        obj=payment,
        region_code=payment.programme.region_id,
        changes={"void": [False, True]},
        note=text,
    )
    runs.update(_allocate_credit(payment.funder))
    _settle_runs(sorted(runs))
    return payment


# --- budgets ----------------------------------------------------------------------------------


@transaction.atomic
def budget_record(*, actor: Any, programme_id: int, data: dict[str, Any]) -> Budget:
    """Record an appropriation (APBD murni) or a revision (APBD-Perubahan, adjustment) of one
    co-funder; earlier rows stay and the latest one is in force."""
    programme = programme_for_finance(actor=actor, programme_id=programme_id)
    errors: dict[str, list[dict[str, str]]] = {}
    funder = None
    try:
        funder = _funder_of(programme, data.get("funder_id"))
    except FieldErrors as exc:
        errors.update(exc.fields)
    kind = str(data.get("kind") or "")
    if kind not in BudgetKind.values:
        errors.update(FieldErrors.single("kind", BillingError.BUDGET_KIND, arg=kind[:20]).fields)
    amount: int | None = None
    raw = data.get("amount")
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        amount = raw
    elif str(raw or "").strip().isdigit():
        amount = int(str(raw).strip())
    else:
        errors.update(FieldErrors.single("amount", BillingError.AMOUNT_INVALID, arg=raw).fields)
    effective_on = None
    try:
        effective_on = iso_date(data.get("effective_on"), "effective_on", BillingError.DATE_INVALID)
    except FieldErrors as exc:
        errors.update(exc.fields)
    legal_basis = " ".join(str(data.get("legal_basis") or "").split())[:255]
    if not legal_basis:
        errors.update(FieldErrors.single("legal_basis", BillingError.LEGAL_BASIS_REQUIRED).fields)
    if errors:
        raise FieldErrors(errors)
    assert funder is not None
    assert amount is not None
    assert effective_on is not None
    if kind == BudgetKind.ORIGINAL and funder.budgets.filter(kind=BudgetKind.ORIGINAL).exists():
        raise Conflict(BillingError.BUDGET_ORIGINAL_EXISTS)
    from .selectors import appropriations

    before = appropriations(programme)
    budget = Budget.objects.create(
        programme=programme,
        funder=funder,
        kind=kind,
        amount=amount,
        effective_on=effective_on,
        legal_basis=legal_basis,
        note=" ".join(str(data.get("note") or "").split())[:500],
        created_by=account(actor),
    )
    after = appropriations(programme)
    audit_record(
        actor=actor,
        action="billing.budget",
        obj=budget,
        region_code=programme.region_id,
        changes={
            "funder": [None, funder.name],
            "kind": [None, kind],
            "appropriated": [before.get(funder.pk), after.get(funder.pk)],
        },
    )
    return budget


# --- arrears and lapse ------------------------------------------------------------------------


def enrolments_lapse_due(*, on: dt.date | None = None, actor: Any = None) -> dict[int, list[int]]:
    """Lapse every active enrolment more than the configured months in arrears (BPJS: more than
    3 consecutive unpaid months). Cover lasts through the due date of the month that passed the
    limit. Returns the lapsed enrolments per programme."""
    day = on or _today()
    limit = lapse_limit()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x.enrolment_id, x.due_date FROM ("
            " SELECT l.enrolment_id, r.due_date, ROW_NUMBER() OVER"
            " (PARTITION BY l.enrolment_id ORDER BY l.period) AS n"
            " FROM billing_contributionline l"
            " JOIN billing_contributionrun r ON r.id = l.run_id"
            " JOIN enrolment_enrolment e ON e.id = l.enrolment_id"
            " WHERE e.status = 'active' AND r.paid_on IS NULL AND r.due_date < %s"
            ") x WHERE x.n = %s",
            [day, limit + 1],
        )
        rows = cursor.fetchall()
    by_date: dict[dt.date, list[int]] = defaultdict(list)
    for enrolment_id, value in rows:
        due = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        by_date[due].append(int(enrolment_id))
    lapsed: dict[int, list[int]] = defaultdict(list)
    now = timezone.now()
    with transaction.atomic():
        for due, ids in sorted(by_date.items()):
            for chunk in _chunks(ids):
                locked = list(
                    Enrolment.objects.select_for_update()
                    .filter(pk__in=chunk, status=EnrolmentStatus.ACTIVE)
                    .values_list("pk", "programme_id")
                )
                if not locked:
                    continue
                pks = [pk for pk, _ in locked]
                Enrolment.objects.filter(pk__in=pks).update(
                    status=EnrolmentStatus.LAPSED,
                    end_reason=EndReason.ARREARS,
                    covered_until=Greatest(F("covered_from"), Value(due, output_field=DateField())),
                    status_changed_at=now,
                )
                _transitions(
                    pks,
                    from_status=EnrolmentStatus.ACTIVE,
                    to_status=EnrolmentStatus.LAPSED,
                    effective_on=due + dt.timedelta(days=1),
                    reason=EndReason.ARREARS,
                    note=f"Menunggak lebih dari {limit} bulan",
                    actor=actor,
                )
                for pk, programme_id in locked:
                    lapsed[programme_id].append(pk)
    return dict(lapsed)


def billing_due_runs(*, on: dt.date | None = None, actor: Any) -> list[RunOutcome]:
    """Bill the current month of every programme running in it (the sweep, when AUTO_BILLING is
    on): each run bills only what is not billed yet, so a repeated sweep writes nothing.

    The largest programme goes first: on PostgreSQL the month's first run writes a new partition
    and builds its key once (`partitions`), the cheap path, which the biggest run needs most."""
    day = on or _today()
    first = month_start(day)
    outcomes = []
    running = (
        Programme.objects.filter(start_date__lte=day, end_date__gte=first)
        .filter(enrolments__status=EnrolmentStatus.ACTIVE)
        .values("pk")
        .annotate(active=Count("enrolments"))
        .order_by("-active", "pk")
    )
    for programme_id in [row["pk"] for row in running]:
        try:
            outcome = contribution_run(
                actor=actor, programme_id=programme_id, period=first, today=day
            )
        except DomainError:
            continue
        if outcome.created:
            outcomes.append(outcome)
    return outcomes


def billing_sweep(*, on: dt.date | None = None) -> dict[str, int]:
    """The scheduled routine: bill, lapse, warn (each step idempotent)."""
    from .alerts import alerts_for_lapses, alerts_raise, alerts_send

    day = on or _today()
    actor = SystemActor()
    runs = billing_due_runs(on=day, actor=actor) if settings.LINDUNGI.get("AUTO_BILLING") else []
    lapsed = enrolments_lapse_due(on=day, actor=actor)
    raised = alerts_for_lapses(lapsed, on=day) + alerts_raise(on=day)
    sent = alerts_send()
    return {
        "runs": len(runs),
        "lapsed": sum(len(ids) for ids in lapsed.values()),
        "alerts": len(raised),
        "emailed": sent,
    }
