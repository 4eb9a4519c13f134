"""Claims (domain.md §6–§7): a case per death or work accident, followed from the report to the
money reaching the worker or the heirs.

* **Opening.** A death recorded in the registry — on the worker's page, through the API or by an
  import — opens a JKM case by itself (an officer turns it into a JKK death case when the death
  came from a work accident); accidents are opened by hand. Eligibility is checked on the event
  date: cover in force for the benefit (JKM or JKK) under an enrolment.
* **Heirs** are chosen in the legal priority order (spouse or children first); choosing a heir of
  a lower class while a higher one is on record needs a written reason, kept on the case.
* **Documents** follow a checklist per claim kind, uploaded to private storage and served only
  through an audited download.
* **Statuses** reported → submitted to BPJS → approved or rejected → paid (or cancelled), each
  change dated and signed in `ClaimTransition`. Submission needs an eligible case, a heir for a
  death, and every required document.
* **Clocks.** JKM must be paid within 3 working days of the complete file reaching BPJS
  (`due_on`, counted over `Holiday`s and weekends); a JKK claim must be filed within 5 years of
  the accident (2 before PP 82/2019: `claim_deadline`). Both come from the benefit table.
* **Scholarships** are planned per child and school year (`ScholarshipInstalment`) until the
  child turns 23, marries or starts working.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.fields import account_reference
from lindungi.core.scope import ScopedQuerySet


class ClaimKind(models.TextChoices):
    JKM = "JKM", _("JKM — meninggal bukan karena kecelakaan kerja")
    JKK_DEATH = "JKK_DEATH", _("JKK — meninggal karena kecelakaan kerja")
    JKK_PTD = "JKK_PERMANENT_TOTAL_DISABILITY", _("JKK — cacat total tetap")
    JKK_STMB = "JKK_TEMPORARY_INCAPACITY", _("JKK — sementara tidak mampu bekerja")


DEATH_KINDS = (ClaimKind.JKM, ClaimKind.JKK_DEATH)


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", _("Dilaporkan")
    SUBMITTED = "submitted", _("Diajukan ke BPJS")
    APPROVED = "approved", _("Disetujui BPJS")
    REJECTED = "rejected", _("Ditolak BPJS")
    PAID = "paid", _("Dibayar")
    CANCELLED = "cancelled", _("Dibatalkan")


OPEN_STATUSES = (ClaimStatus.REPORTED, ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)


class ClaimCaseQuerySet(ScopedQuerySet):
    pass


class ClaimCase(models.Model):
    scope_region_field = "region_code"

    number = models.CharField(max_length=30, unique=True)
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=13)  # the worker's village when opened
    kind = models.CharField(max_length=40, choices=ClaimKind.choices)
    event_date = models.DateField()
    life_event = models.ForeignKey(
        "registry.LifeEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enrolment = models.ForeignKey(
        "enrolment.Enrolment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    eligible = models.BooleanField(default=False)
    eligibility_note = models.CharField(max_length=300, blank=True)
    contribution_months = models.PositiveIntegerField(default=0)
    incapacity_days = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.REPORTED
    )
    heir = models.ForeignKey(
        "registry.Heir", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    heir_reason = models.CharField(max_length=500, blank=True)  # a lower-priority heir receives
    entitlement = models.PositiveBigIntegerField(default=0)  # cash computed from the table
    estimate = models.JSONField(default=dict)  # the calculator's items, scholarship, basis
    legal_basis = models.CharField(max_length=500, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)  # JKM: 3 working days after submission
    claim_deadline = models.DateField(null=True, blank=True)  # JKK: the claim right ends
    decided_on = models.DateField(null=True, blank=True)
    bpjs_reference = models.CharField(max_length=60, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    amount_paid = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()
    version = models.PositiveIntegerField(default=1)

    objects = ClaimCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-event_date", "-id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="claims_case_clock_idx"),
            models.Index(fields=["region_code", "status"], name="claims_case_region_idx"),
        ]
        constraints = [
            # One death claim per worker (JKM or JKK death) unless cancelled.
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(kind__in=["JKM", "JKK_DEATH"]) & ~Q(status="cancelled"),
                name="claims_one_death_case",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_death(self) -> bool:
        return self.kind in DEATH_KINDS


class ClaimTransitionQuerySet(ScopedQuerySet):
    pass


class ClaimTransition(models.Model):
    """A dated, signed change of a case's status (the first row: its opening)."""

    scope_region_field = "case__region_code"

    case = models.ForeignKey(ClaimCase, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, choices=ClaimStatus.choices)
    on = models.DateField()
    at = models.DateTimeField(default=timezone.now)
    actor = account_reference()
    note = models.CharField(max_length=500, blank=True)

    objects = ClaimTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.to_status} {self.on}"


class ClaimDocument(models.Model):
    """A document of the case's checklist, in private storage (never a public URL)."""

    case = models.ForeignKey(ClaimCase, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30)
    file = models.FileField(upload_to="claims/%Y/%m/")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = account_reference()
    replaced = models.BooleanField(default=False)  # a later upload of the same kind replaced it

    class Meta:
        ordering = ["kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class InstalmentStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    PAID = "paid", _("Dibayar")
    ENDED = "ended", _("Berakhir")


class ScholarshipInstalment(models.Model):
    """One school year's scholarship for one child of a case."""

    case = models.ForeignKey(ClaimCase, on_delete=models.PROTECT, related_name="instalments")
    child = models.ForeignKey("registry.Heir", on_delete=models.PROTECT, related_name="+")
    school_year = models.PositiveIntegerField()  # 2026 = school year 2026/2027
    education_level = models.CharField(max_length=15)
    amount = models.PositiveBigIntegerField()
    status = models.CharField(
        max_length=8, choices=InstalmentStatus.choices, default=InstalmentStatus.PLANNED
    )
    paid_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["child_id", "school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "child", "school_year"], name="claims_instalment_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.child_id} {self.school_year}"


class Holiday(models.Model):
    """A public holiday (hari libur nasional / cuti bersama), excluded from working-day clocks.
    Entered each year by an admin from the SKB 3 Menteri; fixed-date holidays recur."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
