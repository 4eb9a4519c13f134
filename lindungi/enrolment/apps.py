from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lindungi.enrolment"
    label = "enrolment"
    verbose_name = "Kepesertaan"

    def ready(self) -> None:
        from lindungi.core.workers import fail_with_job

        from .models import ReturnImport, ReturnStatus

        # A job given up after its worker died: the record fails with it (core/workers.py).
        fail_with_job(
            ReturnImport,
            failed=ReturnStatus.FAILED,
            unfinished=[ReturnStatus.QUEUED, ReturnStatus.RUNNING],
        )
