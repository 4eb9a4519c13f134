"""`python manage.py reporting_refresh [--date YYYY-MM-DD]`: rebuild the dashboard's aggregate
tables from the enrolments; `manage.py scheduler` runs it every REPORTING_REFRESH_SECONDS."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lindungi.reporting.snapshot import snapshot_refresh


class Command(BaseCommand):
    help = "Menghitung ulang tabel ringkasan dasbor dari data kepesertaan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Hari yang dihitung")

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = snapshot_refresh(on=options["date"])
        self.stdout.write(json.dumps({"cells": snapshot.cells, "seconds": snapshot.seconds}))
