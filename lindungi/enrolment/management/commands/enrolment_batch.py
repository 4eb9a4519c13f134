"""`python manage.py enrolment_batch PROGRAMME_ID [--start DATE] [--limit N] [--village CODE]…
[--occupation CODE]… [--renewal] [--submit] [--export OUT.xlsx|OUT.csv] [--user U]`

Proposes and creates a batch with the same services as the pages; with --submit marks it sent
to BPJS, with --export writes its registration file. The last line of stdout is JSON.
"""

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.accounts.models import User
from lindungi.core.actors import SystemActor
from lindungi.core.context import action_context
from lindungi.core.errors import DomainError
from lindungi.core.forms import domain_error_text
from lindungi.enrolment.exchange import batch_file
from lindungi.enrolment.selectors import batch_counts
from lindungi.enrolment.services import batch_create, batch_submit


def actor_from(username: str | None) -> Any:
    if not username:
        return SystemActor()
    user = User.objects.filter(username=username.lower(), is_active=True).first()
    if user is None:
        raise CommandError(f"Pengguna {username} tidak ditemukan atau tidak aktif.")
    return user


class Command(BaseCommand):
    help = "Membuat batch pendaftaran BPJS dari pekerja yang memenuhi syarat sebuah program."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme_id", type=int)
        parser.add_argument("--start", type=dt.date.fromisoformat, help="Tanggal mulai")
        parser.add_argument("--limit", type=int)
        parser.add_argument("--village", action="append", default=[], help="Kode wilayah")
        parser.add_argument("--occupation", action="append", default=[], help="Kode pekerjaan")
        parser.add_argument("--renewal", action="store_true", help="Perpanjangan")
        parser.add_argument("--submit", action="store_true", help="Tandai terkirim ke BPJS")
        parser.add_argument("--export", help="Tulis berkas pendaftaran (.xlsx atau .csv)")
        parser.add_argument("--user", help="Nama pengguna yang tercatat sebagai pelaku")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options["user"])
        try:
            with action_context("cli"):
                batch = batch_create(
                    actor=actor,
                    programme_id=options["programme_id"],
                    start_date=options["start"],
                    villages=options["village"],
                    occupations=options["occupation"],
                    limit=options["limit"],
                    renewal=options["renewal"],
                )
                if options["submit"]:
                    batch_submit(actor=actor, batch_id=batch.pk)
                if options["export"]:
                    target = Path(options["export"])
                    fmt = "csv" if target.suffix.lower() == ".csv" else "xlsx"
                    _, _, handle = batch_file(actor=actor, batch_id=batch.pk, fmt=fmt)
                    with handle, target.open("wb") as out:
                        shutil.copyfileobj(handle, out)
                counts = batch_counts(actor=actor, batch=batch)
        except DomainError as exc:
            raise CommandError(domain_error_text(exc)) from exc
        self.stdout.write(json.dumps({"batch_id": batch.pk, "number": batch.number, **counts}))
