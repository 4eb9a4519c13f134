from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lindungi.claims"
    label = "claims"
    verbose_name = "Klaim JKK/JKM"
