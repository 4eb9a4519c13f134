import subprocess

import pytest
from django_tasks import task

from lindungi.accounts.models import User
from lindungi.core.errors import CoreError, DomainError
from lindungi.core.jobs import job_running, job_start
from lindungi.core.models import Job
from lindungi.regions.errors import RegionError
from lindungi.regions.tasks import regions_load_task

from ..helpers import manage_process, requires_postgres

pytestmark = pytest.mark.django_db


@task()
def failing_task(job_id: str) -> None:
    with job_running(job_id):
        raise DomainError(RegionError.NOT_FOUND, code="64.99")


@task()
def crashing_task(job_id: str) -> None:
    with job_running(job_id):
        raise ZeroDivisionError("boom")


def test_a_job_runs_its_task_after_commit_and_reports_progress(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            actor=world.superadmin,
            kind="regions.load",
            label="Muat wilayah",
            task=regions_load_task,
        )
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED  # nothing runs before commit
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == job.total == 91600
    assert job.percent == 100
    assert job.result["levels"]["village"]["rows"] == 83762
    assert job.task_result_id


def test_domain_error_fails_the_job_with_its_message(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=world.superadmin, kind="x", label="x", task=failing_task)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Wilayah dengan kode 64.99 tidak ditemukan."


def test_crash_fails_the_job_without_leaking_internals(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=world.superadmin, kind="x", label="x", task=crashing_task)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == str(CoreError.INTERNAL.label)
    assert "boom" not in job.error


def test_the_database_worker_runs_queued_jobs(
    live_db, settings, django_capture_on_commit_callbacks
):
    """The real path of `make run`: the job waits in the database until `task_worker` runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = User.objects.create(username="root", role="superadmin", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=admin, kind="regions.load", label="x", task=regions_load_task)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED  # enqueued in the database, waiting for a worker
    worker = manage_process(
        "task_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*"
    )
    _, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result["levels"]["district"]["rows"] == 7285


@requires_postgres("COPY streams")
def test_progress_reported_inside_a_copy_stream_is_written_at_once(live_db):
    """An import streams its new workers through COPY and reports progress between chunks. Written
    on the streaming connection, the progress waited for the connection's own lock: the task hung
    for ever (seen on a loaded machine, where half a second passes between two chunks). It goes
    through a second connection instead, and the page sees it before the import commits."""
    admin = User.objects.create(username="root", role="superadmin", is_superuser=True)
    job = Job.objects.create(kind="imports.workers", label="x", actor=admin)
    script = (
        "from django.db import connection, transaction\n"
        "from lindungi.core.jobs import JobRun\n"
        "from lindungi.core.models import Job\n"
        f"run = JobRun(Job.objects.get(pk='{job.pk}'))\n"
        "with transaction.atomic(), connection.cursor() as cursor:\n"
        "    cursor.execute('CREATE TEMPORARY TABLE streamed (n int)')\n"
        "    with cursor.cursor.copy('COPY streamed (n) FROM STDIN') as copy:\n"
        "        copy.write(b'1\\n')\n"
        "        run.progress(40, 100, 'Memeriksa dan menyimpan 5.000 baris')\n"
        "        copy.write(b'2\\n')\n"
        "    print('streamed', flush=True)\n"
    )
    child = manage_process("shell", "-c", script)
    try:
        out, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        pytest.fail("the progress write waited for the COPY stream's own connection")
    assert child.returncode == 0, err
    assert "streamed" in out
    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (40, 100, "Memeriksa dan menyimpan 5.000 baris")
