from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Bulk import of worker lists from the Excel and CSV files villages keep (domain.md §4)."""

    name = "lindungi.imports"
    label = "imports"
    verbose_name = "Impor data"

    def ready(self) -> None:
        from lindungi.core.workers import fail_with_job

        from .models import ImportStatus, WorkerImport

        # A job given up after its worker died: the record fails with it (core/workers.py).
        fail_with_job(
            WorkerImport,
            failed=ImportStatus.FAILED,
            unfinished=[ImportStatus.QUEUED, ImportStatus.RUNNING],
        )
