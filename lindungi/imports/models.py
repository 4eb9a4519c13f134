"""A record of every import: who, when, which file (name and checksum), the outcome counts and
the row report (domain.md §4: every row ends in exactly one outcome)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.models import JobRecord
from lindungi.core.scope import ScopedQuerySet


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")  # uploaded; the worker has not started it
    RUNNING = "running", _("Diproses")  # reading, checking or saving
    DONE = "done", _("Selesai")  # applied; the report is ready
    CHECKED = "checked", _("Diperiksa (uji coba)")  # a dry run: nothing was written
    FAILED = "failed", _("Gagal")  # nothing was written; `error` says why


class RowStatus(models.TextChoices):
    CREATED = "created", _("Baru")  # a new worker was registered
    UPDATED = "updated", _("Diperbarui")  # an existing worker got new values
    UNCHANGED = "unchanged", _("Tidak berubah")  # the worker already had these values
    REJECTED = "rejected", _("Ditolak")  # not imported; the report says why
    SKIPPED = "skipped", _("Dilewati")  # not a data row: blank, a total, a signature line


class WorkerImport(JobRecord, models.Model):
    job_failed_status = ImportStatus.FAILED
    job_unfinished_statuses = (ImportStatus.QUEUED, ImportStatus.RUNNING)
    scope_region_field = "region__code"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    kind = models.CharField(max_length=8, blank=True)  # xlsx / csv
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    header_row = models.PositiveIntegerField(null=True, blank=True)
    columns = models.JSONField(default=dict, blank=True)  # field → header text as written
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    report = models.FileField(upload_to="imports/%Y/%m/", blank=True)  # row,status,nik,messages
    rejected_file = models.FileField(upload_to="imports/%Y/%m/", blank=True)  # to fix and re-upload
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Impor {self.file_name}"

    @property
    def seconds(self) -> float | None:
        """How long the import itself ran (started → finished), to a tenth of a second."""
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 1)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "skipped": self.skipped,
        }
