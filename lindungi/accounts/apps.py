from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts, roles, region scope, login lockout and API tokens."""

    name = "lindungi.accounts"
    label = "accounts"
    verbose_name = "Akun"
