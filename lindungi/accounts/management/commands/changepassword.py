"""`python manage.py changepassword USERNAME`: Django's command of the same name, through the
service.

Django's own command saves the password directly: the account's API tokens would survive and
nothing would be audited. This one takes its place (`lindungi.accounts` is listed before
`django.contrib.auth` in INSTALLED_APPS for that) and calls `user_set_password` like every other
door.
"""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.accounts.models import User
from lindungi.accounts.services import user_set_password
from lindungi.core.context import action_context
from lindungi.core.errors import DomainError, FieldErrors


class Command(BaseCommand):
    help = "Mengganti kata sandi sebuah akun; semua token API akun itu dicabut."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip().lower()
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"Akun {username} tidak ditemukan.")
        password = getpass.getpass("Kata sandi baru: ")
        if not password:
            raise CommandError("Dibatalkan: kata sandi kosong.")
        if getpass.getpass("Ulangi kata sandi baru: ") != password:
            raise CommandError("Kedua kata sandi tidak sama. Tidak ada yang diubah.")
        try:
            with action_context("cli"):
                user_set_password(actor=None, user=user, password=password)
        except FieldErrors as exc:
            messages = [e["message"] for errors in exc.fields.values() for e in errors]
            raise CommandError("\n".join(messages)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Kata sandi {user.username} diganti; token API-nya dicabut.")
