from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The web pages: layout, sign-in, home, account management, audit log, jobs, regions."""

    name = "lindungi.portal"
    label = "portal"
    verbose_name = "Portal"
