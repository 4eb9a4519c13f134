"""The demo programme of `make run`: Kukar's 2026 APBD programme with a batch answered by BPJS
(most accepted with a KPJ, a few refused with BPJS's reason), and a second batch in draft."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from lindungi.accounts.models import User
from lindungi.programmes.models import Programme
from lindungi.programmes.services import programme_create

from .exchange import return_import_create, return_import_run
from .models import Enrolment
from .services import batch_create, batch_submit

DEMO_NAME = "Perlindungan Pekerja Rentan Kukar 2026"
REFUSALS = ["NIK tidak ditemukan di Dukcapil", "Usia melebihi batas pendaftaran BPU"]


def demo_programme_ensure() -> int:
    """Create the demo programme once; returns the number of active enrolments created."""
    if Programme.objects.filter(name=DEMO_NAME).exists():
        return 0
    admin = User.objects.get(username="admin.kukar")
    bpjs = User.objects.get(username="bpjs.kukar")
    year = timezone.localdate().year
    programme = programme_create(
        actor=admin,
        data={
            "name": DEMO_NAME.replace("2026", str(year)),
            "funder": "APBD_KABKOTA",
            "funder_name": "Pemerintah Kabupaten Kutai Kartanegara",
            "legal_basis": "Perbup Kutai Kartanegara No. 12 Tahun 2025 (contoh)",
            "budget_year": year,
            "budget_amount": 3_000_000_000,
            "start_date": dt.date(year, 1, 1),
            "end_date": dt.date(year, 12, 31),
            "priority_occupations": ["nelayan", "petani"],
            "targets": [
                {"region_code": "64.02.06", "quota": 600},
                {"region_code": "64.02.01", "quota": None},
                {"region_code": "64.02.02", "quota": None},
            ],
        },
    )
    batch = batch_create(
        actor=admin, programme_id=programme.pk, start_date=dt.date(year, 1, 1), limit=900
    )
    batch_submit(actor=admin, batch_id=batch.pk)
    lines = ["NIK;KPJ;STATUS;ALASAN"]
    niks = (
        Enrolment.objects.filter(batch=batch).order_by("id").values_list("worker__nik", flat=True)
    )
    for number, nik in enumerate(niks):
        if number % 40 == 7:
            lines.append(f"{nik};;DITOLAK;{REFUSALS[number % 2]}")
        else:
            lines.append(f"{nik};{26_0000_0000 + number:011d};DITERIMA;")
    ret = return_import_create(
        actor=bpjs,
        batch_id=batch.pk,
        file=io.BytesIO("\n".join(lines).encode()),
        file_name="jawaban-bpjs-batch-1.csv",
        background=False,
    )
    ret = return_import_run(ret=ret, actor=bpjs)
    batch_create(actor=admin, programme_id=programme.pk, limit=150)
    return ret.activated
