"""A task worker killed mid-task (issue 10, faults): the task is run again, once, to the end.

Unit cases decide who is gone (same machine: the process; elsewhere: the heartbeat; no
heartbeat: not ours to judge) and what happens after too many lost attempts. The fault case kills
a real `manage.py task_worker` with SIGKILL inside an import's transaction and starts another.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lindungi.core.models import Job, WorkerHeartbeat
from lindungi.core.workers import (
    ABANDONED_MESSAGE,
    MAX_ATTEMPTS,
    RESUMED_MESSAGE,
    recover_interrupted_tasks,
    worker_id_for,
)
from lindungi.imports.models import ImportStatus, WorkerImport
from lindungi.imports.services import import_create
from lindungi.registry.models import Worker

from ..helpers import manage_process
from ..imports.files import csv_bytes
from ..imports.test_import_command_and_faults import _rows


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _running_task(job: Job, worker_ids: list[str]) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [str(job.pk)], "kwargs": {}},
        task_path="lindungi.imports.tasks.import_task",
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now(),
        worker_ids=worker_ids,
    )
    Job.objects.filter(pk=job.pk).update(task_result_id=str(task.pk), status=Job.Status.RUNNING)
    return task


def _job(world) -> Job:
    return Job.objects.create(
        kind="imports.workers", label="Impor desa.csv", actor=world.superadmin
    )


def _beat(worker_id: str, *, ago: dt.timedelta = dt.timedelta(0)) -> None:
    host, _, pid = worker_id.rpartition(":")
    seen = timezone.now() - ago
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, host=host, pid=int(pid), started_at=seen, seen_at=seen
    )


@pytest.mark.django_db
def test_a_task_whose_worker_process_is_gone_is_queued_again(world):
    job = _job(world)
    gone = worker_id_for(_dead_pid())
    _beat(gone)
    task = _running_task(job, [gone])

    outcome = recover_interrupted_tasks()

    assert outcome.requeued == [str(task.pk)] and outcome.abandoned == []
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == TaskResultStatus.READY and task.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()  # a worker will claim it
    assert (job.status, job.message) == (Job.Status.QUEUED, RESUMED_MESSAGE)
    assert recover_interrupted_tasks().requeued == []  # once


@pytest.mark.django_db
def test_live_workers_and_workers_without_a_heartbeat_keep_their_tasks(world):
    alive = worker_id_for(os.getpid())
    _beat(alive)
    elsewhere = "node-7:4242"
    _beat(elsewhere, ago=dt.timedelta(seconds=30))
    tasks = [
        _running_task(_job(world), [alive]),
        _running_task(_job(world), [elsewhere]),
        _running_task(_job(world), ["a3f9c2e1b7d64e0f"]),  # a plain db_worker: not ours to judge
    ]

    assert recover_interrupted_tasks().requeued == []
    assert all(DBTaskResult.objects.get(pk=t.pk).status == TaskResultStatus.RUNNING for t in tasks)


@pytest.mark.django_db
def test_a_worker_elsewhere_is_gone_when_its_heartbeat_is_stale(world):
    elsewhere = "node-7:4242"
    _beat(elsewhere, ago=dt.timedelta(minutes=5))
    task = _running_task(_job(world), [elsewhere])

    assert recover_interrupted_tasks().requeued == [str(task.pk)]


@pytest.mark.django_db
def test_after_too_many_lost_attempts_the_job_and_its_import_fail_with_a_message(world, regions):
    imp = import_create(
        actor=world.superadmin,
        file=io.BytesIO(csv_bytes(_rows(2))),
        file_name="desa.csv",
        region_code="64.02",
        background=False,
    )
    job = _job(world)
    WorkerImport.objects.filter(pk=imp.pk).update(job=job, status=ImportStatus.RUNNING)
    gone = [worker_id_for(_dead_pid()) for _ in range(MAX_ATTEMPTS)]
    for worker_id in gone:
        _beat(worker_id)
    task = _running_task(job, gone)

    outcome = recover_interrupted_tasks()

    assert outcome.abandoned == [str(task.pk)] and outcome.requeued == []
    task.refresh_from_db()
    job.refresh_from_db()
    imp.refresh_from_db()
    message = ABANDONED_MESSAGE.format(attempts=MAX_ATTEMPTS)
    assert task.status == TaskResultStatus.FAILED
    assert (job.status, job.error) == (Job.Status.FAILED, message)
    assert (imp.status, imp.error) == (ImportStatus.FAILED, message)
    assert Worker.objects.count() == 0


def _task_worker(env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return manage_process(
        "task_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay",
        "--interval", "0.2", *extra, env=env,
    )  # fmt: skip


def test_a_worker_killed_inside_an_import_leaves_nothing_and_the_next_worker_finishes_it(
    live_db, world, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = _rows(300)
    with django_capture_on_commit_callbacks(execute=True):
        imp = import_create(
            actor=world.regency_admin,
            file=io.BytesIO(csv_bytes(rows)),
            file_name="desa.csv",
            region_code="64.02",
        )
    job = Job.objects.get(pk=imp.job_id)
    assert job.status == Job.Status.QUEUED and job.task_result_id

    marker = tmp_path / "inside-transaction"
    victim = _task_worker(
        {"LINDUNGI_FAULT_AT": "import.apply", "LINDUNGI_FAULT_MARKER": str(marker)}
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert victim.poll() is None, victim.communicate()
        assert time.monotonic() < deadline, "the worker never reached the fault point"
        time.sleep(0.1)
    os.kill(victim.pid, signal.SIGKILL)  # 300 workers written, not committed
    victim.wait(timeout=30)
    assert Worker.objects.count() == 0
    job.refresh_from_db()
    imp.refresh_from_db()
    assert job.status == Job.Status.RUNNING and imp.status == ImportStatus.RUNNING  # stranded

    successor = _task_worker({}, "--batch")  # recovers the task at start, runs it, exits
    _out, err = successor.communicate(timeout=300)
    assert successor.returncode == 0, err

    job.refresh_from_db()
    imp.refresh_from_db()
    task = DBTaskResult.objects.get(pk=job.task_result_id)
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
    assert job.status == Job.Status.SUCCEEDED
    assert imp.status == ImportStatus.DONE and (imp.created, imp.rejected) == (300, 0)
    assert sorted(Worker.objects.values_list("nik", flat=True)) == sorted(r[1] for r in rows)
    assert job.result["created"] == 300
    assert not WorkerHeartbeat.objects.exists()  # the successor left; the victim's removed
