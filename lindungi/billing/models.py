"""Money (domain.md §5): monthly contribution runs and their lines, invoices per co-funder,
payments with their evidence and allocation, budgets with mid-year revisions, lapse alerts and
the reconciliation of BPJS's billing statements.

Contributions are monthly and indivisible — BPJS bills a BPU participant by whole months:

* **The partial-month rule.** An enrolment owes month M when its cover is in force on the first
  day of M, or when its cover *begins* during M (the month in which cover starts is billed in
  full). A renewal's successor starts the day after its predecessor ends; when that day is not
  the 1st, the predecessor (in force on the 1st) owes the month and the successor owes it from
  the next month. The month in which cover ends (death, move, lapse) is owed when cover was in
  force on its first day; nothing is owed for later months.
* **Idempotent.** A worker's enrolment is billed at most once per month: the database refuses a
  second line (the lines' primary key is the enrolment and the month). Running a month again bills only enrolments not
  billed yet (late joiners), as a supplementary run; if there are none, nothing is written.
* **Reversible while unpaid.** A run none of whose invoices has received money can be reversed:
  its lines are deleted (the run stays, marked reversed) and the month can be run again.
* **Rates** are those in force on the first day of the month (`ContributionRate`), a discount
  in force then included (never for public budgets: PP 50/2025).
* **Co-funding.** Each line is split between the programme's funders by their shares: every
  co-funder but the first pays `amount × share / 10000` rounded down, the first (largest
  share) the rest — so the invoices of a run add up to the run to the rupiah.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.fields import BlockRangeIndex, account_reference
from lindungi.programmes.models import ProgrammeScopedQuerySet


class RunStatus(models.TextChoices):
    BILLED = "billed", _("Ditagihkan")
    REVERSED = "reversed", _("Dibatalkan")


class ContributionRun(models.Model):
    """One month's contributions of one programme (sequence 2, 3, …: late joiners of the month)."""

    scope_region_field = "programme__region__code"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="contribution_runs"
    )
    period = models.DateField()  # the first day of the month billed
    sequence = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.BILLED)
    due_date = models.DateField()  # unpaid after this day, the month counts as in arrears
    # The day every co-funder's invoice of the run was paid in full: its lines are paid then.
    paid_on = models.DateField(null=True, blank=True)
    lines = models.PositiveIntegerField(default=0)
    amount = models.PositiveBigIntegerField(default=0)  # rupiah, all funders together
    jkk = models.PositiveBigIntegerField(default=0)
    jkm = models.PositiveBigIntegerField(default=0)
    jht = models.PositiveBigIntegerField(default=0)
    legal_basis = models.CharField(max_length=500, blank=True)  # of the rates applied
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = account_reference()
    reverse_note = models.CharField(max_length=500, blank=True)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-sequence", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period", "sequence"], name="billing_run_sequence_unique"
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="billing_run_period_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y} #{self.sequence}"


class ContributionLine(models.Model):
    """What one enrolment owes for one month, per benefit; paid when its run is paid.

    Its key is (enrolment, month): the primary key itself is the constraint that bills a month
    once, and the only B-tree a run maintains. A run writes a million of these in one INSERT …
    SELECT from the enrolments themselves, inside the transaction that created the run, so the
    references carry no per-row foreign-key check (enrolments, workers and runs are never
    deleted). Lines are appended run after run, so a block-range index finds a run's lines at
    almost no cost to the insert."""

    pk = models.CompositePrimaryKey("enrolment", "period")
    run = models.ForeignKey(
        ContributionRun,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    worker = models.ForeignKey(
        "registry.Worker",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.DateField()
    jkk = models.PositiveIntegerField(default=0)
    jkm = models.PositiveIntegerField(default=0)
    jht = models.PositiveIntegerField(default=0)
    amount = models.PositiveIntegerField()

    class Meta:
        ordering = ["period", "enrolment"]
        indexes = [BlockRangeIndex(fields=["run"], name="billing_line_run_idx")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.period:%m/%Y}"


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Belum dibayar")
    PARTIAL = "partial", _("Dibayar sebagian")
    PAID = "paid", _("Lunas")
    VOID = "void", _("Dibatalkan")


class Invoice(models.Model):
    """One co-funder's share of a run: the bill it pays BPJS for the month."""

    scope_region_field = "programme__region__code"

    run = models.ForeignKey(ContributionRun, on_delete=models.PROTECT, related_name="invoices")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="invoices"
    )
    funder = models.ForeignKey(
        "programmes.ProgrammeFunder", on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(max_length=40, unique=True)
    period = models.DateField()
    share_bp = models.PositiveIntegerField()  # the funder's share when the invoice was issued
    primary = models.BooleanField(default=False)  # pays the rounding remainder
    amount = models.PositiveBigIntegerField()
    paid_amount = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=8, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    due_date = models.DateField()
    paid_on = models.DateField(null=True, blank=True)  # the day it became fully paid
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-id"]
        indexes = [models.Index(fields=["funder", "status"], name="billing_invoice_funder_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "funder"], name="billing_invoice_one_per_funder"
            ),
            models.CheckConstraint(
                condition=Q(paid_amount__lte=models.F("amount")), name="billing_invoice_not_over"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> int:
        return 0 if self.status == InvoiceStatus.VOID else self.amount - self.paid_amount


class Payment(models.Model):
    """Money a funder paid BPJS for a programme, with its evidence; allocated to invoices oldest
    first, the rest held as credit for the months ahead (paid 3, 6 or 12 months in advance)."""

    scope_region_field = "programme__region__code"

    class Months(models.IntegerChoices):
        ONE = 1, _("1 bulan")
        THREE = 3, _("3 bulan di muka")
        SIX = 6, _("6 bulan di muka")
        TWELVE = 12, _("12 bulan di muka")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="payments"
    )
    funder = models.ForeignKey(
        "programmes.ProgrammeFunder", on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField()
    amount = models.PositiveBigIntegerField()
    months = models.PositiveSmallIntegerField(choices=Months.choices, default=Months.ONE)
    reference = models.CharField(max_length=100)  # SP2D / bank transfer reference
    note = models.CharField(max_length=500, blank=True)
    evidence = models.FileField(upload_to="payments/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    allocated = models.PositiveBigIntegerField(default=0)
    void = models.BooleanField(default=False)
    void_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_positive"),
            models.CheckConstraint(
                condition=Q(allocated__lte=models.F("amount")), name="billing_payment_not_over"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def credit(self) -> int:
        return 0 if self.void else self.amount - self.allocated


class Allocation(models.Model):
    """Part of a payment applied to an invoice."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.PositiveBigIntegerField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "invoice"], name="billing_allocation_once")
        ]

    def __str__(self) -> str:
        return f"{self.payment_id}→{self.invoice_id}"


class BudgetKind(models.TextChoices):
    ORIGINAL = "original", _("APBD murni / anggaran awal")
    REVISION = "revision", _("APBD-Perubahan")
    ADJUSTMENT = "adjustment", _("Penyesuaian lain (pergeseran, adendum PKS)")


class Budget(models.Model):
    """An appropriation of one funder for a programme; the latest row is in force (a mid-year
    APBD-Perubahan adds a row, never edits the earlier one)."""

    scope_region_field = "programme__region__code"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="budgets"
    )
    funder = models.ForeignKey(
        "programmes.ProgrammeFunder", on_delete=models.PROTECT, related_name="budgets"
    )
    kind = models.CharField(max_length=10, choices=BudgetKind.choices)
    amount = models.PositiveBigIntegerField()
    effective_on = models.DateField()
    legal_basis = models.CharField(max_length=255)  # Perda APBD / Perda APBD-P / DPA number
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class AlertKind(models.TextChoices):
    ARREARS = "arrears", _("Tunggakan mendekati batas — kepesertaan akan terhenti")
    PROGRAMME_END = "programme_end", _("Program berakhir tanpa program lanjutan")
    BUDGET_RUNOUT = "budget_runout", _("Anggaran habis sebelum program berakhir")
    LAPSED = "lapsed", _("Kepesertaan terhenti karena tunggakan")


class Alert(models.Model):
    """A warning about cover at risk, raised once per event and lead time (60/30/7 days)."""

    scope_region_field = "programme__region__code"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="alerts"
    )
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    event_date = models.DateField()  # the day cover lapses, the programme ends, money runs out
    days_before = (
        models.PositiveSmallIntegerField()
    )  # the lead time that raised it (0: it happened)
    workers = models.PositiveIntegerField(default=0)  # workers affected
    # Affected workers per village: [{"code": …, "name": …, "workers": n}, …]
    villages = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = account_reference()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["acknowledged_at", "event_date", "-id"]
        constraints = [
            # Never twice for the same event and lead time (issue 7, scope 5).
            models.UniqueConstraint(
                fields=["programme", "kind", "event_date", "days_before"], name="billing_alert_once"
            )
        ]

    def __str__(self) -> str:
        return self.message


class StatementStatus(models.TextChoices):
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class Statement(models.Model):
    """BPJS's billing statement for a programme's month, compared with our invoices."""

    scope_region_field = "programme__region__code"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="statements"
    )
    period = models.DateField()
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="bpjs-tagihan/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=StatementStatus.choices)
    rows = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    differences = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    billed_total = models.PositiveBigIntegerField(default=0)  # what BPJS's statement sums to
    expected_total = models.PositiveBigIntegerField(default=0)  # what our lines sum to
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class DifferenceKind(models.TextChoices):
    AMOUNT = "amount", _("Jumlah iuran berbeda")
    NOT_INVOICED = "not_invoiced", _("Ditagih BPJS, tidak ada di tagihan kita")
    NOT_BILLED = "not_billed", _("Ada di tagihan kita, tidak ditagih BPJS")
    UNKNOWN = "unknown", _("NIK/KPJ tidak dikenal")
    INVALID = "invalid", _("Baris tidak dapat dibaca")


class StatementDifference(models.Model):
    """One worker on whom BPJS's statement and our invoices disagree."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=12, choices=DifferenceKind.choices)
    row = models.PositiveIntegerField(null=True, blank=True)  # spreadsheet row, as Excel shows it
    worker = models.ForeignKey(
        "registry.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The worker's region (their enrolment's village); for a row about someone we do not know,
    # the programme's own region. Only people of one's own scope are shown (core.scope rule 2).
    region_code = models.CharField(max_length=13, blank=True)
    nik_masked = models.CharField(max_length=16, blank=True)
    kpj = models.CharField(max_length=20, blank=True)
    name = models.CharField(max_length=150, blank=True)
    billed = models.BigIntegerField(null=True, blank=True)  # BPJS's amount
    expected = models.BigIntegerField(null=True, blank=True)  # ours
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "row", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.row}"
