"""`python manage.py bpjs_return BATCH_ID PATH [--report OUT.csv] [--user U]`: apply BPJS's
answer file to a submitted batch (the same service as the page). Last stdout line: JSON."""

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.core.context import action_context
from lindungi.core.errors import DomainError
from lindungi.core.forms import domain_error_text
from lindungi.enrolment.exchange import return_import_create, return_import_run

from .enrolment_batch import actor_from


class Command(BaseCommand):
    help = "Menerapkan berkas jawaban BPJS (NIK, KPJ, status, alasan) pada sebuah batch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch_id", type=int)
        parser.add_argument("path")
        parser.add_argument("--report", help="Tulis laporan per baris (CSV)")
        parser.add_argument("--user", help="Nama pengguna yang tercatat sebagai pelaku")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options["user"])
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            with action_context("cli"), path.open("rb") as handle:
                ret = return_import_create(
                    actor=actor,
                    batch_id=options["batch_id"],
                    file=handle,
                    file_name=path.name,
                    background=False,
                )
                ret = return_import_run(
                    ret=ret,
                    actor=actor,
                    progress=lambda p, m: print(f"{p:3d}% {m}", file=sys.stderr),
                )
        except DomainError as exc:
            raise CommandError(domain_error_text(exc)) from exc
        if options["report"] and ret.report:
            with ret.report.open("rb") as source, Path(options["report"]).open("wb") as out:
                shutil.copyfileobj(source, out)
        counts = {
            name: getattr(ret, name)
            for name in ("rows", "updated", "unchanged", "rejected", "skipped", "accepted",
                         "refused", "activated")
        }  # fmt: skip
        self.stdout.write(json.dumps({"return_id": ret.pk, **counts}))
