"""`python manage.py dedup_registry --region CODE`

Runs a registry-wide deduplication of a regency or province in this process (for operations
and scheduled runs; the pages queue the same job in the background). The new candidate pairs
go to the review queue; the last line printed is a JSON summary.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.core.errors import DomainError, NotFound
from lindungi.core.forms import domain_error_text
from lindungi.dedup.services import dedup_run_now


class Command(BaseCommand):
    help = "Menjalankan deduplikasi seluruh data pekerja satu kabupaten/kota atau provinsi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="kode provinsi atau kabupaten/kota")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(percent: int, message: str) -> None:
            self.stderr.write(f"{percent:3d}% {message}")

        try:
            outcome = dedup_run_now(region_code=options["region"], progress=progress)
        except NotFound as exc:
            raise CommandError(f"Wilayah {options['region']} tidak ditemukan.") from exc
        except DomainError as exc:
            raise CommandError(domain_error_text(exc)) from exc
        self.stdout.write(json.dumps(dataclasses.asdict(outcome)))
