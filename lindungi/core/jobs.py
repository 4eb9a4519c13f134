"""Background jobs a person starts and watches: a `Job` row tracks a django-tasks task.

A service calls `job_start` inside its transaction; the task is enqueued only after commit.
The task body runs inside `job_running`, which marks the job running, reports progress and
records the outcome. Progress is written outside any transaction the task holds, so work is
structured in committed steps (stage, then apply) and the page sees each step; progress
reported while an import streams its new workers into the database goes through a second
connection (the streaming one cannot take another query).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
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
        if _connection_streaming():
            _write_aside(self.job.pk, updates)
        else:
            Job.objects.filter(pk=self.job.pk).update(**updates)


def _connection_streaming() -> bool:
    """Whether this thread's database connection is inside a COPY stream (an import writing its
    new workers): psycopg holds the connection's lock for the whole COPY, so a query on it
    from the same thread would wait for itself forever."""
    lock = getattr(getattr(connection, "connection", None), "lock", None)
    return bool(lock is not None and lock.locked())


def _write_aside(job_id: Any, updates: dict[str, Any]) -> None:
    """Progress on a second, autocommit connection: it cannot touch the streaming one, and the
    page sees it at once instead of when the import's transaction commits. Best effort: a
    progress line that cannot be written is skipped, never waited for."""
    quote = connection.ops.quote_name
    column = {f.name: str(f.column) for f in Job._meta.concrete_fields}
    assignments = ", ".join(f"{quote(column[name])} = %s" for name in updates)
    table, key = quote(Job._meta.db_table), quote(column["id"])
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    streaming = connections[DEFAULT_DB_ALIAS]
    side = type(streaming)({**streaming.settings_dict}, alias=f"{streaming.alias}-progress")
    try:
        with side.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
            cursor.execute(sql, [*updates.values(), job_id])
    except DatabaseError:
        logger.warning("job %s: a progress line was not written", job_id)
    finally:
        side.close()


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
