"""Background tasks of enrolment: applying a BPJS return file, and the daily lifecycle sweep."""

from django_tasks import task

from lindungi.core.jobs import job_running

from .exchange import return_import_run
from .models import ReturnImport


@task()
def return_import_task(job_id: str) -> None:
    """Apply BPJS's answer file with progress; the job's result holds the outcome counts."""
    with job_running(job_id) as run:
        ret = ReturnImport.objects.select_related("created_by", "batch__programme").get(
            pk=run.job.params["return_id"]
        )
        done = return_import_run(
            ret=ret,
            actor=ret.created_by,
            progress=lambda percent, message: run.progress(percent, 100, message),
        )
        run.result = {
            "rows": done.rows,
            "updated": done.updated,
            "unchanged": done.unchanged,
            "rejected": done.rejected,
            "skipped": done.skipped,
            "accepted": done.accepted,
            "refused": done.refused,
            "activated": done.activated,
        }
