from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Bulk import of worker lists from the Excel and CSV files villages keep (domain.md §4)."""

    name = "lindungi.imports"
    label = "imports"
    verbose_name = "Impor data"
