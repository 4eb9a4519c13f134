from django.apps import AppConfig


class BillingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lindungi.billing"
    label = "billing"
    verbose_name = "Iuran dan anggaran"
