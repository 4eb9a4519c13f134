"""`python manage.py import_workers PATH --region CODE [--dry-run] [--report OUT.csv] [--user U]`

Progress goes to stderr; the last line of stdout is one JSON object with the counts.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.accounts.models import User
from lindungi.core.actors import SystemActor
from lindungi.core.context import action_context
from lindungi.core.errors import DomainError
from lindungi.imports.services import import_create, import_run


class Command(BaseCommand):
    help = "Mengimpor daftar pekerja dari berkas Excel (.xlsx) atau CSV."
    # The system checks import every URL and API module (about a second); a batch import
    # serves no URL. `manage.py check` and the web server still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--region", required=True, help="Kode wilayah unggahan, mis. 64.02")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, tanpa menyimpan")
        parser.add_argument("--report", help="Tulis laporan per baris (row,status,nik,messages)")
        parser.add_argument("--user", help="Nama pengguna yang tercatat sebagai pengimpor")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        actor: Any = SystemActor()
        if options["user"]:
            actor = User.objects.filter(username=options["user"].lower(), is_active=True).first()
            if actor is None:
                raise CommandError(f"Pengguna {options['user']} tidak ditemukan atau tidak aktif.")

        def progress(percent: int, message: str) -> None:
            sys.stderr.write(f"[{percent:3d}%] {message}\n")
            sys.stderr.flush()

        try:
            with action_context("cli"), path.open("rb") as handle:
                imp = import_create(
                    actor=actor,
                    file=handle,
                    file_name=path.name,
                    region_code=options["region"],
                    dry_run=options["dry_run"],
                    background=False,
                )
                imp = import_run(imp=imp, actor=actor, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if options["report"]:
            with imp.report.open("rb") as source:
                Path(options["report"]).write_bytes(source.read())
        self.stdout.write(json.dumps(imp.counts()))
