"""Background tasks of the reporting app."""

from django_tasks import task

from lindungi.core.jobs import job_running

from .exports import export_build
from .printing import report_build


@task()
def report_build_task(job_id: str) -> None:
    """Build a printable report (PDF) as a job with progress."""
    with job_running(job_id) as run:
        run.result = report_build(
            int(run.job.params["report_id"]), actor=run.actor, progress=run.progress
        )


@task()
def export_build_task(job_id: str) -> None:
    """Write a region's participant export as a job with progress."""
    with job_running(job_id) as run:
        run.result = export_build(int(run.job.params["export_id"]), progress=run.progress)
