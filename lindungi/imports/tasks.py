"""Background tasks of the imports app."""

from django_tasks import task

from lindungi.core.jobs import job_running
from lindungi.imports.services import import_run

from .models import WorkerImport


@task()
def import_task(job_id: str) -> None:
    """Process an uploaded worker list with progress; the job's result holds the counts."""
    with job_running(job_id) as run:
        imp = WorkerImport.objects.select_related("created_by").get(pk=run.job.params["import_id"])
        done = import_run(
            imp=imp,
            actor=imp.created_by,
            progress=lambda percent, message: run.progress(percent, 100, message),
        )
        run.result = done.counts()
