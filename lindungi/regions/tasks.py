"""Background tasks of the regions app."""

from django_tasks import task

from lindungi.core.jobs import job_running

from .services import regions_load


@task()
def regions_load_task(job_id: str) -> None:
    """Reload the shipped region data as a job with progress (started from the regions page)."""
    with job_running(job_id) as run:
        run.result = regions_load(actor=run.actor, progress=run.progress)
