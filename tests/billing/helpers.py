"""A co-funded programme with five workers covered from 1 January 2026."""

from __future__ import annotations

import datetime as dt
import io

from lindungi.enrolment.exchange import return_import_create, return_import_run
from lindungi.enrolment.services import batch_create, batch_submit
from lindungi.programmes.models import Programme
from lindungi.programmes.services import programme_create

from ..enrolment.conftest import PROGRAMME

CO_FUNDED = {
    **PROGRAMME,
    "name": "Pekerja Rentan Kukar 2026 (bersama Pemprov)",
    "budget_amount": 1_000_000,
    "funders": [
        {"funder": "APBD_KABKOTA", "name": "Pemkab Kutai Kartanegara", "share_bp": 6000},
        {"funder": "APBD_PROVINSI", "name": "Pemprov Kalimantan Timur", "share_bp": 4000},
    ],
}


def co_funded(kukar, **changes) -> Programme:
    return programme_create(actor=kukar.world.regency_admin, data={**CO_FUNDED, **changes})


def enrol_all(kukar, programme: Programme, start: dt.date = dt.date(2026, 1, 1)) -> None:
    """Batch, send, and BPJS accepts every eligible worker: cover active from `start`."""
    admin = kukar.world.regency_admin
    batch = batch_create(actor=admin, programme_id=programme.pk, start_date=start)
    batch_submit(actor=admin, batch_id=batch.pk)
    text = "NIK;NAMA;KPJ;STATUS\n" + "\n".join(
        f"{w.nik};{w.full_name};2600{i:07d};DITERIMA" for i, w in enumerate(kukar.workers)
    )
    ret = return_import_create(
        actor=kukar.world.bpjs_officer,
        batch_id=batch.pk,
        file=io.BytesIO(text.encode()),
        file_name="jawaban.csv",
        background=False,
    )
    return_import_run(ret=ret, actor=kukar.world.bpjs_officer)
