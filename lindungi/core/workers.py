"""Task workers that die mid-task: who is alive, and what happens to the task they held.

django-tasks' database worker marks a task RUNNING when it claims it and never looks at it
again if the worker is killed (kill -9, out of memory, a machine lost): the task, its job and
the import or run behind it would say "Diproses" forever. `manage.py task_worker` (the worker
Lindungi runs) writes a heartbeat and, at start and every minute, looks for RUNNING tasks whose
worker is gone:

- a worker on this machine is gone when its process is;
- a worker on another machine is gone when its heartbeat is older than `STALE_AFTER`;
- a task claimed by a worker that writes no heartbeat (a plain `db_worker`) is left alone.

Such a task is queued again: every task writes in transactions (stage, then apply), so the
killed attempt left nothing half-applied and the next attempt ends as a clean run would. After
`MAX_ATTEMPTS` claims the task is given up instead (a file that kills its worker must not kill
every worker in turn): its job fails with a message, and so does the record the job carried (an
import, a run: every model declared a `JobRecord`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import Job, JobRecord, WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
RECOVER_EVERY_SECONDS = 60
STALE_AFTER = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 3
PRUNE_AFTER = dt.timedelta(days=1)

RESUMED_MESSAGE = (
    "Dilanjutkan: proses latar sempat berhenti; tidak ada data yang setengah tersimpan"
)
ABANDONED_MESSAGE = (
    "Proses latar berhenti {attempts} kali saat menjalankan tugas ini; tidak ada data yang "
    "berubah. Hubungi admin sistem sebelum menjalankannya lagi."
)


def this_host() -> str:
    return socket.gethostname()[:40]


def worker_id_for(pid: int | None = None) -> str:
    """`host:pid`: unique among running workers, and tells where to look for the process."""
    return f"{this_host()}:{pid or os.getpid()}"


def _parse(worker_id: str) -> tuple[str, int] | None:
    host, sep, pid = worker_id.rpartition(":")
    return (host, int(pid)) if sep and pid.isdigit() else None


def process_alive(pid: int) -> bool:
    """Whether a process runs (a killed child its parent has not reaped yet counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def worker_alive(worker_id: str, beat: WorkerHeartbeat | None, now: dt.datetime) -> bool | None:
    """True/False when it can be told; None for a worker that writes no heartbeat."""
    if beat is None:
        return None
    parsed = _parse(worker_id)
    if parsed is not None and parsed[0] == this_host():
        return process_alive(parsed[1])
    return now - beat.seen_at < STALE_AFTER


def heartbeat(worker_id: str, *, started: bool = False) -> None:
    now = timezone.now()
    parsed = _parse(worker_id)
    defaults = {
        "seen_at": now,
        "host": parsed[0] if parsed else "",
        "pid": parsed[1] if parsed else 0,
    }
    if started:
        defaults["started_at"] = now
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults=defaults)


def heartbeat_end(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)  # task result ids
    abandoned: list[str] = field(default_factory=list)


def recover_interrupted_tasks(*, now: dt.datetime | None = None) -> Recovery:
    """Queue again (or give up) the RUNNING tasks whose worker is gone."""
    now = now or timezone.now()
    beats = {beat.worker_id: beat for beat in WorkerHeartbeat.objects.all()}
    outcome = Recovery()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("id", "worker_ids")
    for result in running:
        holder = result.worker_ids[-1] if result.worker_ids else ""
        if worker_alive(holder, beats.get(holder), now) is not False:
            continue
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=result.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is None or task.worker_ids != result.worker_ids:
                continue  # finished or claimed again meanwhile
            job = Job.objects.filter(task_result_id=str(task.pk)).first()
            attempts = len(task.worker_ids)
            if attempts >= MAX_ATTEMPTS:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = "lindungi.core.workers.WorkerLost"
                task.traceback = f"worker {holder} stopped; given up after {attempts} attempts"
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                if job is not None:
                    error = ABANDONED_MESSAGE.format(attempts=attempts)
                    Job.objects.filter(pk=job.pk).update(
                        status=Job.Status.FAILED, error=error, finished_at=now
                    )
                    _records_fail(job, error, now)
                outcome.abandoned.append(str(task.pk))
                logger.error(
                    "task %s given up: worker %s stopped %s times", task.pk, holder, attempts
                )
            else:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                if job is not None:
                    Job.objects.filter(pk=job.pk).update(
                        status=Job.Status.QUEUED, message=RESUMED_MESSAGE
                    )
                outcome.requeued.append(str(task.pk))
                logger.warning("task %s queued again: its worker %s stopped", task.pk, holder)
    dead_here = [
        beat.worker_id
        for beat in beats.values()
        if beat.host == this_host() and not process_alive(beat.pid)
    ]
    WorkerHeartbeat.objects.filter(
        Q(worker_id__in=dead_here) | Q(seen_at__lt=now - PRUNE_AFTER)
    ).delete()
    return outcome


def _records_fail(job: Job, error: str, now: dt.datetime) -> None:
    """The records the abandoned job carried (of every `JobRecord` model) fail with it."""
    for model in apps.get_models():
        if issubclass(model, JobRecord):
            model._default_manager.filter(job=job, status__in=model.job_unfinished_statuses).update(
                status=model.job_failed_status, error=error[:255], finished_at=now
            )
