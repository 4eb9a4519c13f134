from django.apps import AppConfig


class RegionsConfig(AppConfig):
    """Kemendagri administrative regions: province, regency/city, district, village."""

    name = "lindungi.regions"
    label = "regions"
    verbose_name = "Wilayah"
