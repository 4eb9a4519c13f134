"""Background tasks of the dedup app."""

from django_tasks import task

from lindungi.core.jobs import job_running

from .models import DedupRun
from .services import dedup_run_execute


@task()
def dedup_task(job_id: str) -> None:
    """A registry-wide deduplication run with progress; the job's result holds its figures."""
    with job_running(job_id) as run:
        dedup = DedupRun.objects.get(pk=run.job.params["run_id"])
        outcome = dedup_run_execute(
            dedup, progress=lambda percent, message: run.progress(percent, 100, message)
        )
        run.result = {
            "records": outcome.records,
            "pairs_compared": outcome.pairs_compared,
            "candidates_found": outcome.candidates_found,
            "candidates_new": outcome.candidates_new,
            "model_version": outcome.model_version,
        }
