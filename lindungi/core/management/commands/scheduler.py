"""`python manage.py scheduler`: runs the routines of settings.LINDUNGI["SCHEDULE"] at their
intervals (started beside the web server and the task worker by `manage.py serve`). Each
routine is an idempotent management command, so a missed or repeated run is harmless."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Menjalankan tugas terjadwal (mis. pengaktifan kepesertaan harian)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Jalankan semua sekali lalu keluar")

    def handle(self, *args: Any, **options: Any) -> None:
        schedule: dict[str, int] = settings.LINDUNGI["SCHEDULE"]
        last: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for command, every in schedule.items():
                if now - last.get(command, -1e12) >= every:
                    last[command] = now
                    try:
                        call_command(command, stdout=self.stdout)
                    except Exception:  # one failing routine must not stop the others
                        logger.exception("scheduled %s failed", command)
            if options["once"]:
                return
            time.sleep(30)
