from django.apps import AppConfig


class DedupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lindungi.dedup"
    label = "dedup"
    verbose_name = "Deduplikasi"
