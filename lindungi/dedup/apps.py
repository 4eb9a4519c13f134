from django.apps import AppConfig


class DedupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lindungi.dedup"
    label = "dedup"
    verbose_name = "Deduplikasi"

    def ready(self) -> None:
        from lindungi.core.workers import fail_with_job

        from .models import DedupRun, RunStatus

        # A job given up after its worker died: the record fails with it (core/workers.py).
        fail_with_job(
            DedupRun, failed=RunStatus.FAILED, unfinished=[RunStatus.QUEUED, RunStatus.RUNNING]
        )
