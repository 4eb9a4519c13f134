from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lindungi.enrolment"
    label = "enrolment"
    verbose_name = "Kepesertaan"
