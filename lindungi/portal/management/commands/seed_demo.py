"""`python manage.py seed_demo`: the demo world of `make run` (idempotent), and its logins."""

from typing import Any

from django.core.management.base import BaseCommand

from lindungi.billing.demo import demo_finance_ensure
from lindungi.claims.demo import demo_claims_ensure
from lindungi.core.context import action_context
from lindungi.enrolment.demo import demo_programme_ensure
from lindungi.imports.demo import demo_workers_ensure
from lindungi.lifecycle.life_events import life_event_record
from lindungi.portal.demo import DEMO_PASSWORD, demo_accounts_ensure


class Command(BaseCommand):
    help = "Membuat data demo (akun per peran di Kutai Kartanegara) bila belum ada."

    def handle(self, *args: Any, **options: Any) -> None:
        with action_context("cli"):
            accounts = demo_accounts_ensure()
            workers = demo_workers_ensure()
            covered = demo_programme_ensure()
            billed = demo_finance_ensure()
            claims = demo_claims_ensure(life_event_record=life_event_record)
        created = sum(1 for _, was_created in accounts if was_created)
        self.stdout.write(f"Akun demo: {created} dibuat, {len(accounts) - created} sudah ada.")
        self.stdout.write(f"Pekerja demo di Kutai Kartanegara: {workers} dibuat.")
        self.stdout.write(f"Program demo Kukar: {covered} kepesertaan aktif dibuat.")
        self.stdout.write(f"Iuran demo: {billed} bulan ditagih.")
        self.stdout.write(f"Klaim demo: {claims} kematian diikuti.")
        self.stdout.write("")
        self.stdout.write("  Masuk di http://127.0.0.1:8000/masuk/ dengan salah satu akun berikut")
        self.stdout.write(f"  (kata sandi semua akun demo: {DEMO_PASSWORD})")
        self.stdout.write("")
        for account, _ in accounts:
            region = account.region_code or "nasional"
            self.stdout.write(f"    {account.username:<16} {account.role:<18} {region}")
        self.stdout.write("")
