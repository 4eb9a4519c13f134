from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lindungi.programmes"
    label = "programmes"
    verbose_name = "Program"
