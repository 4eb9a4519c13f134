"""Background jobs a person starts and watches: a `Job` row tracks a django-tasks task.

A service calls `job_start` inside its transaction; the task is enqueued only after commit.
The task body runs inside `job_running`, which marks the job running, reports progress and
records the outcome. Progress is written outside any transaction the task holds, so work is
structured in committed steps (stage, then apply) and the page sees each step.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from .context import action_context
from .errors import CoreError, DomainError
from .models import Job

logger = logging.getLogger(__name__)


def job_start(
    *,
    actor: Any,
    kind: str,
    label: str,
    task: Any,
    region_code: str = "",
    params: dict[str, Any] | None = None,
    total: int | None = None,
) -> Job:
    """Record a job and enqueue `task(job_id)` once the surrounding transaction commits."""
    job = Job.objects.create(
        kind=kind,
        label=label[:200],
        actor=actor if getattr(actor, "pk", None) is not None else None,
        region_code=region_code,
        params=params or {},
        total=total,
    )

    def enqueue() -> None:
        result = task.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


class JobRun:
    """Handle given to a task body: progress reporting and the result to store."""

    # Progress rows are written at most this often, plus always on the last step.
    MIN_INTERVAL_S = 0.5

    def __init__(self, job: Job) -> None:
        self.job = job
        self.result: dict[str, Any] = {}
        self._last_write = 0.0

    @property
    def actor(self) -> Any:
        return self.job.actor

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and now - self._last_write < self.MIN_INTERVAL_S:
            return
        self._last_write = now
        updates: dict[str, Any] = {"done": done, "updated_at": timezone.now()}
        if total is not None:
            updates["total"] = total
        if message:
            updates["message"] = message[:255]
        Job.objects.filter(pk=self.job.pk).update(**updates)


@contextlib.contextmanager
def job_running(job_id: str) -> Iterator[JobRun]:
    """Run a job's body: running → succeeded with `run.result`, or failed with a safe message."""
    job = Job.objects.select_related("actor").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), error=""
    )
    run = JobRun(job)
    try:
        with action_context("task"):
            yield run
    except DomainError as exc:
        _finish(job, Job.Status.FAILED, error=exc.message)
        return
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, error=str(CoreError.INTERNAL.label))
        raise
    _finish(job, Job.Status.SUCCEEDED, result=run.result)


def _finish(
    job: Job, status: str, *, error: str = "", result: dict[str, Any] | None = None
) -> None:
    updates: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if result is not None:
        updates["result"] = result
    Job.objects.filter(pk=job.pk).update(**updates)
