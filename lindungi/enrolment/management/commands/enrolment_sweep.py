"""`python manage.py enrolment_sweep [--date YYYY-MM-DD]`: the daily cover routine — renewals
and accepted enrolments whose start date has come become active, programmes that are over end
their cover. Idempotent; `manage.py scheduler` (started by `make run`) runs it every hour."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lindungi.core.context import action_context
from lindungi.enrolment.services import enrolment_sweep


class Command(BaseCommand):
    help = "Mengaktifkan kepesertaan yang sudah tiba tanggal mulainya dan mengakhiri yang habis."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Hari yang diproses")

    def handle(self, *args: Any, **options: Any) -> None:
        with action_context("cli"):
            result = enrolment_sweep(on=options["date"])
        self.stdout.write(json.dumps(result))
