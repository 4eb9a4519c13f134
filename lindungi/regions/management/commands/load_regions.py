"""`python manage.py load_regions`: load or refresh all Indonesian regions (idempotent)."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lindungi.core.context import action_context
from lindungi.core.errors import DomainError
from lindungi.regions.services import regions_load


class Command(BaseCommand):
    help = "Memuat data wilayah Kemendagri (provinsi, kabupaten/kota, kecamatan, desa/kelurahan)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(done: int, total: int, message: str) -> None:
            sys.stderr.write(f"  {done:>6}/{total} {message}\n")

        try:
            with action_context("cli"):
                summary = regions_load(progress=progress if options["verbosity"] > 1 else None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        levels = summary["levels"]
        counts = ", ".join(f"{name} {info['rows']}" for name, info in levels.items())
        changed = sum(info["inserted"] + info["updated"] for info in levels.values())
        self.stdout.write(
            f"Wilayah dimuat: {counts}; {changed} baris baru/berubah, "
            f"{summary['deactivated']} dinonaktifkan ({time.perf_counter() - started:.1f} s)."
        )
