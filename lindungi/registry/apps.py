from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The worker registry: workers, heirs, life events, verification (domain.md §3–§4)."""

    name = "lindungi.registry"
    label = "registry"
    verbose_name = "Registri pekerja"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from lindungi.regions.models import Region
        from lindungi.regions.signals import regions_loaded

        from .models import OccupationCategory
        from .validation import reference_cache_clear

        regions_loaded.connect(reference_cache_clear, dispatch_uid="refclear-regions-loaded")
        for model in (Region, OccupationCategory):
            post_save.connect(reference_cache_clear, sender=model, dispatch_uid=f"refclear-{model}")
            post_delete.connect(reference_cache_clear, sender=model, dispatch_uid=f"refdel-{model}")
