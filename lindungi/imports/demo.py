"""Demo workers for `make run`: a realistic village list of Kutai Kartanegara, imported the way an
admin would import it, then mostly verified by the province admin (maker–checker)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from lindungi.accounts.models import User
from lindungi.registry.management.commands.synth_workers import rows_for, synth_records, write_csv
from lindungi.registry.models import Worker
from lindungi.registry.services import worker_verify_many

from .services import import_create, import_run

DEMO_REGION = "64.02"
DEMO_COUNT = 2000


def demo_workers_ensure(count: int = DEMO_COUNT) -> int:
    """Import the demo workers once (nothing happens when Kukar already has workers)."""
    if Worker.objects.filter(village__code__startswith=f"{DEMO_REGION}.").exists():
        return 0
    admin = User.objects.get(username="admin.kukar")
    checker = User.objects.get(username="prov.kaltim")
    records = synth_records(count, seed=2026, dup_rate=0.0, region=DEMO_REGION)
    # A village operator's demo should show its own village: a tenth live in Loa Ipuh.
    for number, record in enumerate(records):
        if number % 10 == 0:
            record["village_code"] = "64.02.06.1002"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "daftar-pekerja-rentan-kukar-2026.csv"
        write_csv(path, rows_for(records, DEMO_REGION))
        with path.open("rb") as handle:
            imp = import_create(
                actor=admin,
                file=handle,
                file_name=path.name,
                region_code=DEMO_REGION,
                background=False,
            )
        import_run(imp=imp, actor=admin)
    # Most were checked long ago; every seventh still waits for the admin.
    ids = list(Worker.objects.filter(source_import=imp).order_by("id").values_list("id", flat=True))
    worker_verify_many(actor=checker, worker_ids=[pk for n, pk in enumerate(ids) if n % 7])
    return imp.created
