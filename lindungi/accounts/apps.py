from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts, roles, region scope, sign-in throttling and API tokens."""

    name = "lindungi.accounts"
    label = "accounts"
    verbose_name = "Akun"
