"""`python manage.py dedup_registry --region CODE`

Runs a registry-wide deduplication of a regency or province in this process (for operations
and scheduled runs; the pages queue the same job in the background). The new candidate pairs
go to the review queue; the last line printed is a JSON summary.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.dedup.models import DedupRun, RunKind, RunStatus
from lindungi.dedup.services import RUN_LEVELS, dedup_run_execute
from lindungi.regions.models import Region


class Command(BaseCommand):
    help = "Menjalankan deduplikasi seluruh data pekerja satu kabupaten/kota atau provinsi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="kode provinsi atau kabupaten/kota")

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"Wilayah {options['region']} tidak ditemukan.")
        if region.level not in RUN_LEVELS:
            raise CommandError("Deduplikasi dijalankan per kabupaten/kota atau per provinsi.")
        busy = DedupRun.objects.filter(
            region_code=region.code, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).exists()
        if busy:
            raise CommandError("Deduplikasi untuk wilayah ini sedang berjalan.")
        run = DedupRun.objects.create(kind=RunKind.REGISTRY, region_code=region.code)

        def progress(percent: int, message: str) -> None:
            self.stderr.write(f"{percent:3d}% {message}")

        outcome = dedup_run_execute(run, progress=progress)
        self.stdout.write(json.dumps({"run_id": run.pk, **outcome.__dict__}))
