from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting pieces every bounded context uses: errors, audit log, background jobs."""

    name = "lindungi.core"
    label = "core"
    verbose_name = "Inti"
