"""Enrolments (kepesertaan), the batches exchanged with BPJS, and the cover lifecycle
(domain.md §3): draft → submitted → active → lapsed | ended, every transition dated, with the
reason and the actor. No double cover is a database constraint: at most one active enrolment
per worker and benefit.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.roles import Role
from lindungi.core.fields import account_reference
from lindungi.core.models import JobRecord
from lindungi.core.scope import ScopedQuerySet
from lindungi.programmes.models import BenefitFlags, ProgrammeScopedQuerySet


class EnrolmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # proposed in a batch not yet sent to BPJS; can be removed
    SUBMITTED = "submitted", _("Dikirim ke BPJS")  # waiting for BPJS's answer or the start date
    ACTIVE = "active", _("Aktif")  # BPJS accepted and the start date is reached: covered
    LAPSED = "lapsed", _("Terhenti (tunggakan)")  # lost through arrears; must re-register
    ENDED = "ended", _("Berakhir")  # death, move, formal job, withdrawal, programme end, renewal
    REJECTED = "rejected", _("Ditolak BPJS")  # BPJS refused the registration; reason kept
    CANCELLED = "cancelled", _("Dibatalkan")  # withdrawn before cover started


# States that hold a worker's place in a programme (a worker appears once per programme).
OPEN_STATUSES = [EnrolmentStatus.DRAFT, EnrolmentStatus.SUBMITTED, EnrolmentStatus.ACTIVE]
# States in which cover was in force for a period (masa iur counts them).
COVERED_STATUSES = [EnrolmentStatus.ACTIVE, EnrolmentStatus.LAPSED, EnrolmentStatus.ENDED]


class EndReason(models.TextChoices):
    DECEASED = "deceased", _("Meninggal dunia")
    MOVED_OUT = "moved_out", _("Pindah ke luar wilayah")
    FORMAL_EMPLOYEE = "formal_employee", _("Menjadi pekerja formal")
    WITHDRAWN = "withdrawn", _("Mengundurkan diri")
    PROGRAMME_END = "programme_end", _("Program berakhir")
    RENEWED = "renewed", _("Dilanjutkan program berikutnya")
    ARREARS = "arrears", _("Menunggak melewati batas")
    REMOVED = "removed", _("Dikeluarkan dari batch")
    DOUBLE_COVER = "double_cover", _("Sudah dilindungi program lain")
    MERGED = "merged", _("Data ganda digabung")
    OTHER = "other", _("Lainnya")


class EnrolmentQuerySet(ScopedQuerySet):
    def visible_to(self, actor: Any) -> EnrolmentQuerySet:
        """By the worker's region; a donor sees the enrolments of the programmes it funds."""
        if getattr(actor, "role", "") == Role.DONOR and actor.is_authenticated:
            return self.filter(programme__funders__account=actor)
        return super().visible_to(actor)

    def active(self) -> EnrolmentQuerySet:
        return self.filter(status=EnrolmentStatus.ACTIVE)


class BatchKind(models.TextChoices):
    NEW = "new", _("Pendaftaran baru")
    RENEWAL = "renewal", _("Perpanjangan dari program sebelumnya")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")  # being assembled: workers can be added or removed
    SUBMITTED = "submitted", _("Dikirim ke BPJS")  # the file went to BPJS; waiting for answer
    ANSWERED = "answered", _("Dijawab BPJS")  # every enrolment has BPJS's answer


class ExchangeLayout(models.Model):
    """A file layout for BPJS, defined as data: [{"header": "NIK", "field": "nik"}, …]."""

    class Direction(models.TextChoices):
        EXPORT = "export", _("Berkas pendaftaran ke BPJS")
        RETURN = "return", _("Berkas jawaban dari BPJS")

    name = models.CharField(max_length=150)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    columns = models.JSONField()
    is_default = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["direction", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction"],
                condition=Q(is_default=True),
                name="enrolment_layout_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReturnQuerySet(ProgrammeScopedQuerySet):
    programme_path = "batch__programme"


class EnrolmentBatch(models.Model):
    """Enrolments sent to BPJS together: the export file and the answers imported back."""

    scope_region_field = "programme__region__code"

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="batches"
    )
    number = models.PositiveIntegerField()  # 1, 2, … within the programme
    kind = models.CharField(max_length=8, choices=BatchKind.choices, default=BatchKind.NEW)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    start_date = models.DateField()  # the cover start agreed with BPJS
    layout = models.ForeignKey(
        ExchangeLayout, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How the batch was proposed: villages, occupations, limit (the admin's adjustments).
    selection = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = account_reference()

    objects = ProgrammeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="enrolment_batch_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Batch {self.number}"


class Enrolment(BenefitFlags, models.Model):
    """A worker in a programme for a period of cover, with the KPJ once BPJS confirms it."""

    scope_region_field = "region_code"

    worker = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, related_name="enrolments"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="enrolments"
    )
    batch = models.ForeignKey(
        EnrolmentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    # The worker's village when enrolled: the scope of the enrolment (kept when the worker moves).
    region_code = models.CharField(max_length=13)
    status = models.CharField(
        max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.DRAFT
    )
    benefit_jkk = models.BooleanField()
    benefit_jkm = models.BooleanField()
    benefit_jht = models.BooleanField(default=False)
    reported_income = models.PositiveBigIntegerField()
    start_date = models.DateField()  # agreed start of cover
    end_date = models.DateField()  # planned end: the programme's end
    covered_from = models.DateField(null=True, blank=True)  # cover actually in force from
    covered_until = models.DateField(null=True, blank=True)  # last covered day, once it ended
    kpj = models.CharField(max_length=20, blank=True)  # BPJS participant number
    bpjs_accepted_on = models.DateField(null=True, blank=True)
    bpjs_reason = models.CharField(max_length=500, blank=True)  # BPJS's rejection reason
    # Why an accepted enrolment is not active yet (another programme already covers the worker).
    hold_reason = models.CharField(max_length=255, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    # The life event that ended it: cancelling that event restores the cover.
    ended_by_event = models.ForeignKey(
        "registry.LifeEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # life events are never deleted
    )
    renewed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["region_code", "status"], name="enrolment_region_status_idx"),
            models.Index(fields=["programme", "status"], name="enrolment_programme_status_idx"),
            models.Index(fields=["status", "start_date"], name="enrolment_status_start_idx"),
            models.Index(fields=["kpj"], name="enrolment_kpj_idx", condition=~Q(kpj="")),
        ]
        constraints = [
            # No double cover (domain.md §3): one active enrolment per worker and benefit.
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(status="active", benefit_jkk=True),
                name="enrolment_one_active_jkk",
            ),
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(status="active", benefit_jkm=True),
                name="enrolment_one_active_jkm",
            ),
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(status="active", benefit_jht=True),
                name="enrolment_one_active_jht",
            ),
            # A worker holds at most one open place in a programme.
            models.UniqueConstraint(
                fields=["worker", "programme"],
                condition=Q(status__in=["draft", "submitted", "active"]),
                name="enrolment_one_open_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(covered_until__isnull=True)
                | Q(covered_from__isnull=True)
                | Q(covered_until__gte=models.F("covered_from")),
                name="enrolment_covered_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(covered_from__isnull=False),
                name="enrolment_active_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Kepesertaan #{self.pk}"


class EnrolmentTransition(models.Model):
    """One change of an enrolment's status: effective date, reason, who and when."""

    scope_region_field = "enrolment__region_code"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    effective_on = models.DateField()
    reason = models.CharField(max_length=16, blank=True)  # an EndReason or "" for the normal path
    note = models.CharField(max_length=500, blank=True)
    actor = account_reference()
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"


class ReturnStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")  # nothing was changed; `error` says why


class ReturnImport(JobRecord, models.Model):
    """A BPJS return file applied to a batch, with the row-level outcome report."""

    job_failed_status = ReturnStatus.FAILED
    job_unfinished_statuses = (ReturnStatus.QUEUED, ReturnStatus.RUNNING)

    scope_region_field = "batch__programme__region__code"

    batch = models.ForeignKey(EnrolmentBatch, on_delete=models.PROTECT, related_name="returns")
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="bpjs/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.QUEUED
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)  # an answer was recorded
    unchanged = models.PositiveIntegerField(default=0)  # the same answer was already recorded
    rejected = models.PositiveIntegerField(default=0)  # the row could not be applied
    skipped = models.PositiveIntegerField(default=0)  # blank, totals, signature lines
    accepted = models.PositiveIntegerField(default=0)  # of the updated: accepted by BPJS
    refused = models.PositiveIntegerField(default=0)  # of the updated: refused by BPJS
    activated = models.PositiveIntegerField(default=0)  # enrolments that became active
    report = models.FileField(upload_to="bpjs/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = account_reference()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
