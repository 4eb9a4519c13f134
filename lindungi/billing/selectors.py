"""Reads of money: the budget simulator (domain.md §5: how many workers for how many months)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, Max, Min, OuterRef, QuerySet, Sum
from django.utils import timezone

from lindungi.accounts.roles import Capability
from lindungi.accounts.services import require
from lindungi.core.errors import DomainError, NotFound
from lindungi.core.scope import person_rows, require_own_region
from lindungi.enrolment.models import OPEN_STATUSES, EndReason, Enrolment, EnrolmentStatus
from lindungi.programmes.models import Programme

from .contributions import (
    add_months,
    due_date_of,
    lapse_limit,
    line_select,
    month_start,
    months_between,
)
from .models import (
    Alert,
    Budget,
    ContributionLine,
    ContributionRun,
    Invoice,
    InvoiceStatus,
    Payment,
    RunStatus,
    Statement,
    StatementDifference,
)

# --- programme finance ------------------------------------------------------------------------


def appropriations(programme: Programme) -> dict[int, int]:
    """The amount in force per co-funder: its latest budget row (by effective date); a co-funder
    with none yet holds its share of the programme's initial ceiling."""
    funders = list(programme.funders.order_by("-share_bp", "id"))
    latest: dict[int, int] = {}
    for row in Budget.objects.filter(programme=programme).order_by("effective_on", "id"):
        latest[row.funder_id] = int(row.amount)
    ceiling = int(programme.budget_amount or 0)
    split = _split(ceiling, [f.share_bp for f in funders])
    return {f.pk: latest.get(f.pk, split[i]) for i, f in enumerate(funders)}


def _split(amount: int, shares: list[int]) -> list[int]:
    """`amount` by basis-point shares, the first taking the rounding remainder."""
    if not shares:
        return []
    others = [amount * s // 10000 for s in shares[1:]]
    return [amount - sum(others), *others]


@dataclass(frozen=True)
class FunderFinance:
    funder_id: int
    funder: str
    name: str
    share_bp: int
    appropriated: int
    invoiced: int
    paid: int  # money received (payments, whether allocated yet or held as credit)
    outstanding: int  # invoiced and not yet paid
    credit: int  # paid ahead, not yet allocated to an invoice
    monthly_cost: int  # this funder's share of a month at the current enrolment
    committed: int  # invoiced + the months still to bill at the current enrolment
    remaining: int  # appropriated − committed (negative: a shortfall)
    months_funded: int | None  # months still to bill the money left pays for
    runout_date: dt.date | None  # last day paid for, when before the programme's end


@dataclass(frozen=True)
class ProgrammeFinance:
    programme_id: int
    on: dt.date
    active_workers: int
    monthly_cost: int | None  # None: no rate in force
    last_billed: dt.date | None
    next_period: dt.date
    months_to_bill: int
    appropriated: int
    invoiced: int
    paid: int
    outstanding: int
    credit: int
    committed: int
    remaining: int
    runout_date: dt.date | None
    funders: list[FunderFinance]
    overdue_invoices: int
    overdue_amount: int
    oldest_unpaid: dt.date | None  # the month of the oldest invoice not paid in full
    lapse_date: dt.date | None  # when cover lapses if nothing more is paid
    workers_in_arrears: int
    budgets: list[Budget]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["budgets"] = [
            {
                "id": b.pk,
                "funder_id": b.funder_id,
                "kind": b.kind,
                "amount": b.amount,
                "effective_on": b.effective_on,
                "legal_basis": b.legal_basis,
                "note": b.note,
            }
            for b in self.budgets
        ]
        return data


def active_monthly_cost(programme: Programme, period: dt.date) -> tuple[int, int | None]:
    """Active enrolments and what they cost a month at `period`'s rates (None: no rate)."""
    try:
        select = line_select(programme, period, owing=False)
    except DomainError:
        count = Enrolment.objects.filter(programme=programme, status="active").count()
        return count, None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(s.jkk + s.jkm + s.jht), 0) FROM ({select.sql}) s",  # noqa: S608
            select.params,
        )
        count, cost = cursor.fetchone()
    return int(count), int(cost)


def programme_finance(programme: Programme, *, on: dt.date | None = None) -> ProgrammeFinance:
    """Appropriated, committed for the rest of the programme at the current enrolment,
    invoiced, paid, remaining, and the day the money runs out — per co-funder and in total."""
    day = on or timezone.localdate()
    funders = list(programme.funders.order_by("-share_bp", "id"))
    budgets = appropriations(programme)
    runs = ContributionRun.objects.filter(programme=programme, status=RunStatus.BILLED)
    last_billed = runs.aggregate(p=Max("period"))["p"]
    next_period = add_months(last_billed, 1) if last_billed else month_start(programme.start_date)
    months_to_bill = (
        months_between(next_period, programme.end_date) if next_period <= programme.end_date else 0
    )
    rate_day = max(
        min(max(next_period, month_start(day)), programme.end_date), programme.start_date
    )
    workers, monthly = active_monthly_cost(programme, month_start(rate_day))
    invoices = Invoice.objects.filter(programme=programme).exclude(status=InvoiceStatus.VOID)
    per_funder_invoiced = dict(
        invoices.values("funder_id").annotate(s=Sum("amount")).values_list("funder_id", "s")
    )
    per_funder_allocated = dict(
        invoices.values("funder_id").annotate(s=Sum("paid_amount")).values_list("funder_id", "s")
    )
    payments = Payment.objects.filter(programme=programme, void=False)
    per_funder_paid = dict(
        payments.values("funder_id").annotate(s=Sum("amount")).values_list("funder_id", "s")
    )
    monthly_split = _split(monthly or 0, [f.share_bp for f in funders])
    rows: list[FunderFinance] = []
    for index, funder in enumerate(funders):
        appropriated = budgets.get(funder.pk, 0)
        invoiced = int(per_funder_invoiced.get(funder.pk) or 0)
        allocated = int(per_funder_allocated.get(funder.pk) or 0)
        paid = int(per_funder_paid.get(funder.pk) or 0)
        cost = monthly_split[index] if monthly is not None else 0
        committed = invoiced + cost * months_to_bill
        months_funded: int | None = None
        runout: dt.date | None = None
        if cost > 0:
            months_funded = max(0, (appropriated - invoiced) // cost)
            if months_funded < months_to_bill:
                runout = add_months(next_period, months_funded) - dt.timedelta(days=1)
        rows.append(
            FunderFinance(
                funder_id=funder.pk,
                funder=funder.funder,
                name=funder.name,
                share_bp=funder.share_bp,
                appropriated=appropriated,
                invoiced=invoiced,
                paid=paid,
                outstanding=invoiced - allocated,
                credit=paid - allocated,
                monthly_cost=cost,
                committed=committed,
                remaining=appropriated - committed,
                months_funded=months_funded,
                runout_date=runout,
            )
        )
    open_invoices = invoices.filter(status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTIAL])
    overdue = open_invoices.filter(due_date__lt=day).aggregate(
        n=Count("id"), s=Sum(F("amount") - F("paid_amount"))
    )
    oldest = open_invoices.aggregate(p=Min("period"))["p"]
    lapse = None
    if oldest is not None:
        # the due day of the month that would pass the limit, if nothing more is paid
        lapse = due_date_of(add_months(oldest, lapse_limit())) + dt.timedelta(days=1)
    runouts = [r.runout_date for r in rows if r.runout_date is not None]
    return ProgrammeFinance(
        programme_id=programme.pk,
        on=day,
        active_workers=workers,
        monthly_cost=monthly,
        last_billed=last_billed,
        next_period=next_period,
        months_to_bill=months_to_bill,
        appropriated=sum(r.appropriated for r in rows),
        invoiced=sum(r.invoiced for r in rows),
        paid=sum(r.paid for r in rows),
        outstanding=sum(r.outstanding for r in rows),
        credit=sum(r.credit for r in rows),
        committed=sum(r.committed for r in rows),
        remaining=sum(r.remaining for r in rows),
        runout_date=min(runouts) if runouts else None,
        funders=rows,
        overdue_invoices=int(overdue["n"] or 0),
        overdue_amount=int(overdue["s"] or 0),
        oldest_unpaid=oldest,
        lapse_date=lapse,
        workers_in_arrears=workers_in_arrears(programme, on=day),
        budgets=list(
            Budget.objects.filter(programme=programme)
            .select_related("funder", "created_by")
            .order_by("effective_on", "id")
        ),
    )


def _arrears_sql(programme_id: int, *, on: dt.date, overdue: bool = True) -> tuple[str, list[Any]]:
    """Active enrolments with unpaid months (past due on `on`, or billed at all when not
    `overdue`): (enrolment_id, months, oldest period)."""
    due = "r.due_date < %s" if overdue else "1 = 1"
    sql = (
        "SELECT l.enrolment_id, COUNT(*) AS months, MIN(l.period) AS since"  # noqa: S608
        " FROM billing_contributionline l"
        " JOIN billing_contributionrun r ON r.id = l.run_id"
        " JOIN enrolment_enrolment e ON e.id = l.enrolment_id"
        f" WHERE e.status = 'active' AND r.paid_on IS NULL AND ({due})"
        " AND e.programme_id = %s GROUP BY l.enrolment_id"
    )
    return sql, [on, programme_id] if overdue else [programme_id]


def workers_in_arrears(programme: Programme, *, on: dt.date) -> int:
    """Active workers with at least one unpaid month past its due date."""
    sql, params = _arrears_sql(programme.pk, on=on)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) a", params)  # noqa: S608
        return int(cursor.fetchone()[0])


def arrears_by_village(programme: Programme, *, on: dt.date) -> list[tuple[str, int]]:
    """Active workers with unpaid months past due, per village code."""
    return _by_village(programme, on=on, overdue=True)


def unpaid_by_village(programme: Programme, *, on: dt.date) -> list[tuple[str, int]]:
    """Active workers with any billed month unpaid, per village code."""
    return _by_village(programme, on=on, overdue=False)


def _by_village(programme: Programme, *, on: dt.date, overdue: bool) -> list[tuple[str, int]]:
    sql, params = _arrears_sql(programme.pk, on=on, overdue=overdue)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.region_code, COUNT(*) FROM ({sql}) a"  # noqa: S608
            " JOIN enrolment_enrolment e ON e.id = a.enrolment_id"
            " GROUP BY e.region_code ORDER BY e.region_code",
            params,
        )
        return [(str(code), int(n)) for code, n in cursor.fetchall()]


def enrolment_arrears(enrolment_ids: list[int], *, on: dt.date) -> dict[int, tuple[int, dt.date]]:
    """Unpaid months past due and the oldest of them, per enrolment (only those in arrears)."""
    if not enrolment_ids:
        return {}
    found: dict[int, tuple[int, dt.date]] = {}
    rows = (
        ContributionLine.objects.filter(
            enrolment_id__in=enrolment_ids, run__paid_on__isnull=True, run__due_date__lt=on
        )
        .values("enrolment_id")
        .annotate(n=Count("period"), since=Min("period"))
    )
    for row in rows:
        found[row["enrolment_id"]] = (row["n"], row["since"])
    return found


def paid_months(worker_ids: list[int]) -> dict[int, int]:
    """Calendar months with a paid contribution, per worker (masa iur; a month counts once)."""
    rows = (
        ContributionLine.objects.filter(
            enrolment__worker_id__in=worker_ids, run__paid_on__isnull=False
        )
        .values("worker_id")
        .annotate(n=Count("period", distinct=True))
    )
    return {row["worker_id"]: row["n"] for row in rows}


# --- lists ------------------------------------------------------------------------------------


def run_list(*, actor: Any, programme_id: int) -> QuerySet[ContributionRun]:
    return (
        ContributionRun.objects.visible_to(actor)
        .filter(programme_id=programme_id)
        .select_related("created_by")
        .order_by("-period", "-sequence")
    )


def invoice_list(
    *, actor: Any, programme_id: int | None = None, status: str = ""
) -> QuerySet[Invoice]:
    rows = Invoice.objects.visible_to(actor).select_related("funder", "run", "programme")
    if programme_id is not None:
        rows = rows.filter(programme_id=programme_id)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-period", "-run__sequence", "id")


def invoice_get(*, actor: Any, invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.visible_to(actor)
        .select_related("funder", "run", "programme")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None:
        raise NotFound()
    return invoice


def _invoice_lines(invoice: Invoice, actor: Any) -> QuerySet[ContributionLine]:
    """The lines of an invoice's run whose worker lives in the actor's scope: a province's
    invoice is visible to its regencies as a total, each of them sees its own people in it."""
    return person_rows(
        ContributionLine.objects.filter(run_id=invoice.run_id), actor, "enrolment__region_code"
    )


def invoice_enrolment_ids(invoice: Invoice, *, actor: Any) -> QuerySet[ContributionLine, int]:
    """The enrolments an invoice bills inside the actor's scope, in order (its lines' keys: one
    per enrolment)."""
    return (
        _invoice_lines(invoice, actor)
        .order_by("enrolment_id")
        .values_list("enrolment_id", flat=True)
    )


def invoice_lines(
    invoice: Invoice, *, actor: Any, enrolment_ids: list[int] | None = None
) -> Iterator[dict[str, Any]]:
    """The invoice's line items inside the actor's scope (all, or those of `enrolment_ids`): each
    enrolment's month and this funder's part of it."""
    shares = list(
        Invoice.objects.filter(run_id=invoice.run_id)
        .order_by("-primary", "id")
        .values_list("pk", "share_bp", "primary")
    )
    others = [share for pk, share, primary in shares if not primary]
    lines = _invoice_lines(invoice, actor)
    if enrolment_ids is not None:
        lines = lines.filter(enrolment_id__in=enrolment_ids)
    rows = lines.order_by("enrolment_id").values_list(
        "enrolment_id",
        "enrolment__kpj",
        "enrolment__region_code",
        "worker__nik",
        "worker__full_name",
        "jkk",
        "jkm",
        "jht",
        "amount",
        "run__paid_on",
    )
    for enrolment_id, kpj, region, nik, name, jkk, jkm, jht, amount, paid_on in rows.iterator(
        chunk_size=5000
    ):
        if invoice.primary:
            part = amount - sum(amount * s // 10000 for s in others)
        else:
            part = amount * invoice.share_bp // 10000
        yield {
            "enrolment_id": enrolment_id,
            "kpj": kpj,
            "region_code": region,
            "nik": nik,
            "name": name,
            "jkk": jkk,
            "jkm": jkm,
            "jht": jht,
            "amount": amount,
            "share": part,
            "paid_on": paid_on,
        }


def payment_list(*, actor: Any, programme_id: int) -> QuerySet[Payment]:
    return (
        Payment.objects.visible_to(actor)
        .filter(programme_id=programme_id)
        .select_related("funder", "created_by")
        .order_by("-paid_on", "-id")
    )


def payment_get(*, actor: Any, payment_id: int) -> Payment:
    payment = Payment.objects.visible_to(actor).filter(pk=payment_id).first()
    if payment is None:
        raise NotFound()
    return payment


def payment_evidence(*, actor: Any, payment_id: int) -> Payment:
    """A payment whose evidence the actor may download: the evidence (an SP2D, a transfer slip,
    often with the list of workers paid for) belongs to the programme's own region — a village
    or a regency that sees its province's payments from below does not receive it."""
    payment = payment_get(actor=actor, payment_id=payment_id)
    require_own_region(actor, payment.programme.region_id)
    if not payment.evidence:
        raise NotFound()
    return payment


def statement_get(*, actor: Any, statement_id: int) -> Statement:
    statement = (
        Statement.objects.visible_to(actor).select_related("programme").filter(pk=statement_id)
    ).first()
    if statement is None:
        raise NotFound()
    return statement


def statement_differences(
    *, actor: Any, statement: Statement, kind: str = ""
) -> QuerySet[StatementDifference]:
    """The workers on whom BPJS's statement and our invoices disagree, inside the actor's scope
    (a row BPJS bills for someone we do not know belongs to the programme's own region)."""
    require(actor, Capability.VIEW_PERSONAL_DATA)
    rows = person_rows(statement.items.all(), actor, "region_code")
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("kind", "row", "id")


def reenrolment_list(*, actor: Any, programme_id: int | None = None) -> QuerySet[Enrolment]:
    """Workers whose cover lapsed through arrears and who hold no open place anywhere: they
    must be registered again (BPJS rule)."""
    open_places = Enrolment.objects.filter(
        worker_id=OuterRef("worker_id"), status__in=OPEN_STATUSES
    )
    rows = (
        Enrolment.objects.visible_to(actor)
        .filter(status=EnrolmentStatus.LAPSED, end_reason=EndReason.ARREARS)
        .exclude(Exists(open_places))
        .select_related("worker", "programme")
    )
    if programme_id is not None:
        rows = rows.filter(programme_id=programme_id)
    return rows.order_by("region_code", "worker__full_name", "id")


def alert_list(*, actor: Any, open_only: bool = False) -> QuerySet[Alert]:
    rows = Alert.objects.visible_to(actor).select_related("programme")
    if open_only:
        rows = rows.filter(acknowledged_at__isnull=True)
    return rows.order_by("acknowledged_at", "event_date", "-id")
