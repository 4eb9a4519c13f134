from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The worker registry: workers, heirs, life events, verification (domain.md §3–§4)."""

    name = "lindungi.registry"
    label = "registry"
    verbose_name = "Registri pekerja"
