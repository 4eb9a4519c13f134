"""Deduplication records: the models used, the runs, the candidate pairs people review, merges.

A candidate pair is stored once per pair of workers (lower id first). Its decision is final for
the pair: a pair judged *different people* never comes back in a later run; a merged pair stays
as the record of why the merge happened.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.fields import account_reference
from lindungi.core.models import JobRecord
from lindungi.core.scope import ScopedQuerySet, scope_q


class MatchModel(models.Model):
    """A trained Splink model (settings JSON with m/u parameters) and the version naming it."""

    version = models.CharField(max_length=60, unique=True)
    region_code = models.CharField(max_length=13, blank=True)  # the scope it was trained on
    trained_on = models.PositiveIntegerField()  # records in the training sample
    created_at = models.DateTimeField(default=timezone.now)
    settings = models.JSONField()

    def __str__(self) -> str:
        return self.version


class RunKind(models.TextChoices):
    REGISTRY = "registry", _("Seluruh data wilayah")
    INCREMENTAL = "incremental", _("Data baru terhadap register")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class DedupRun(JobRecord, models.Model):
    job_failed_status = RunStatus.FAILED
    job_unfinished_statuses = (RunStatus.QUEUED, RunStatus.RUNNING)
    scope_region_field = "region_code"

    kind = models.CharField(max_length=12, choices=RunKind.choices)
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    region_code = models.CharField(max_length=13)
    started_by = account_reference()
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_import = models.ForeignKey(
        "imports.WorkerImport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dedup_runs",
    )
    model = models.ForeignKey(MatchModel, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    pairs_compared = models.BigIntegerField(default=0)
    candidates_found = models.PositiveIntegerField(default=0)  # pairs at/above the threshold
    candidates_new = models.PositiveIntegerField(default=0)  # not seen in an earlier run
    seconds = models.FloatField(default=0)
    error = models.CharField(max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.region_code} #{self.pk}"


class Decision(models.TextChoices):
    OPEN = "open", _("Perlu ditinjau")
    SAME = "same", _("Orang yang sama (digabung)")
    DIFFERENT = "different", _("Orang berbeda")
    SKIPPED = "skipped", _("Dilewati")
    OBSOLETE = "obsolete", _("Tidak berlaku lagi")  # one side was merged with a third worker


class CandidatePairQuerySet(ScopedQuerySet):
    def visible_to(self, actor: Any) -> CandidatePairQuerySet:
        """A pair shows two people side by side: visible only when both live in the actor's
        scope (a pair across two regencies is the province's to decide)."""
        return super().visible_to(actor).filter(scope_q(actor, "region_code_b"))

    def open(self) -> CandidatePairQuerySet:
        return self.filter(decision__in=[Decision.OPEN, Decision.SKIPPED])


class CandidatePair(models.Model):
    """Two workers who are probably one person. `region_code` is the village of the lower-id
    worker: a pair is visible to an account that sees that worker's village."""

    scope_region_field = "region_code"

    worker_a = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    worker_b = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=13)
    region_code_b = models.CharField(max_length=13)
    probability = models.FloatField()
    match_weight = models.FloatField()
    # Match weight per compared field (positive: the field agrees, negative: it disagrees).
    evidence = models.JSONField(default=dict)
    run = models.ForeignKey(DedupRun, on_delete=models.PROTECT, related_name="pairs")
    model_version = models.CharField(max_length=60)
    found_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.OPEN)
    decided_by = account_reference()
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    objects = CandidatePairQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker_a", "worker_b"], name="dedup_pair_once"),
            models.CheckConstraint(
                condition=models.Q(worker_a__lt=models.F("worker_b")), name="dedup_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["decision", "-probability"], name="dedup_pair_queue"),
            models.Index(fields=["region_code", "decision"], name="dedup_pair_region"),
        ]

    def __str__(self) -> str:
        return f"{self.worker_a_id}~{self.worker_b_id} ({self.probability:.3f})"


class MergeQuerySet(ScopedQuerySet):
    def visible_to(self, actor: Any) -> MergeQuerySet:
        """A merge names both workers: visible only when both live in the actor's scope."""
        return self.filter(
            scope_q(actor, "survivor__village__code") & scope_q(actor, "merged__village__code")
        )


class Merge(models.Model):
    """`merged` became a tombstone pointing at `survivor`; `moved` lists every row repointed
    (model label → primary keys) so an un-merge puts exactly those rows back."""

    scope_region_field = "region_code"

    survivor = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(
        CandidatePair, null=True, blank=True, on_delete=models.PROTECT, related_name="merges"
    )
    region_code = models.CharField(max_length=13)
    moved = models.JSONField(default=dict)
    merged_by = account_reference()
    merged_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=255, blank=True)
    undone_by = account_reference()
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.CharField(max_length=255, blank=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            # A worker is merged away at most once at a time.
            models.UniqueConstraint(
                fields=["merged"],
                condition=models.Q(undone_at__isnull=True),
                name="dedup_merge_active_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.merged_id}→{self.survivor_id}"
