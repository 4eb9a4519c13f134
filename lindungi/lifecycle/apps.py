from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    """Workflows that span apps: a worker's life events followed up in cover and claims."""

    name = "lindungi.lifecycle"
    label = "lifecycle"
    verbose_name = "Peristiwa hidup pekerja"
