"""Cross-cutting records: the append-only audit log and background-job progress."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scope import ScopedQuerySet


class AuditEvent(models.Model):
    """One thing somebody did or saw. Rows are never updated or deleted (database triggers).

    Answers the breach-notification question of UU 27/2022 Pasal 46: who saw what, when.
    """

    class Kind(models.TextChoices):
        CHANGE = "change", _("Perubahan data")  # a create/update/delete-like state change
        VIEW = "view", _("Melihat data pribadi lengkap")  # e.g. the full NIK was shown
        EXPORT = "export", _("Ekspor data pribadi")  # a file with personal data was produced
        AUTH = "auth", _("Autentikasi")  # login, logout, lockout, token issue/revoke
        PUBLIC = "public", _("Akses publik")  # the public status check

    scope_region_field = "region_code"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    action = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Snapshots: the log must read the same even after the account changes.
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    region_code = models.CharField(max_length=13, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=255, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["actor", "at"], name="core_audit_actor_idx"),
            models.Index(fields=["action", "at"], name="core_audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")


class Job(models.Model):
    """A background job started by a person, with progress a page can poll."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")  # recorded; the worker has not picked it up yet
        RUNNING = "running", _("Berjalan")  # the worker is executing it
        SUCCEEDED = "succeeded", _("Selesai")  # finished; `result` holds its summary
        FAILED = "failed", _("Gagal")  # stopped; `error` says why, no partial result was kept

    scope_region_field = "region_code"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(max_length=13, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, int(self.done * 100 / self.total))


class JobRecord:
    """A record whose processing a `Job` carries (an import, a matching run, a BPJS answer): when
    the job is given up after its worker died again and again, the record fails with it
    (`core.workers.recover_interrupted_tasks` finds these models by this base class)."""

    # The record's status when its job is given up, and the statuses that mean "not finished".
    job_failed_status: str
    job_unfinished_statuses: tuple[str, ...]


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life (`manage.py task_worker`, core/workers.py).

    A task whose worker stopped beating — killed, its machine gone — is run again by the
    next worker that looks; every task writes in transactions, so nothing was half-applied.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=64)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.worker_id
