"""`python manage.py create_user --username U --password P --role ROLE --region CODE`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.accounts.roles import Role
from lindungi.accounts.services import user_create
from lindungi.core.context import action_context
from lindungi.core.errors import DomainError, FieldErrors


class Command(BaseCommand):
    help = "Membuat akun pengguna dengan satu peran dan satu wilayah kewenangan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--region", default=None, help="Kode wilayah, mis. 64.02.06.1002")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with action_context("cli"):
                user = user_create(
                    actor=None,
                    username=options["username"],
                    password=options["password"],
                    role=options["role"],
                    region_code=options["region"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    email=options["email"],
                )
        except FieldErrors as exc:
            lines = [f"{field}: {e['message']}" for field, errs in exc.fields.items() for e in errs]
            raise CommandError("\n".join(lines)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        region = user.region_id or "nasional"
        self.stdout.write(f"Akun {user.username} ({user.role}, {region}) dibuat.")
