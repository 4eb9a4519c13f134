"""`python manage.py billing_sweep [--date YYYY-MM-DD]`: the money routine — bill the current
month of running programmes (AUTO_BILLING), lapse enrolments past the arrears limit, raise the
alerts that are due and e-mail them. Idempotent; `manage.py scheduler` runs it every hour."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lindungi.billing.services import billing_sweep
from lindungi.core.context import action_context


class Command(BaseCommand):
    help = "Menagih iuran bulan berjalan, menghentikan kepesertaan yang menunggak, mengirim peringatan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Hari yang diproses")

    def handle(self, *args: Any, **options: Any) -> None:
        with action_context("cli"):
            result = billing_sweep(on=options["date"])
        self.stdout.write(json.dumps(result))
