"""Programmes around Kutai Kartanegara: Kukar's own APBD programme (`programme`, from
tests/enrolment/conftest.py), the province's programme over Kukar and Balikpapan, and
Balikpapan's own — enough to see who reads and who changes which."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lindungi.core.models import AuditEvent
from lindungi.enrolment.models import EnrolmentBatch
from lindungi.enrolment.services import batch_create, batch_submit
from lindungi.programmes.models import Programme, ProgrammeFunder, ProgrammeTarget
from lindungi.programmes.services import programme_create
from tests.enrolment.conftest import PROGRAMME, kukar, programme  # noqa: F401 - fixtures

from ..conftest import World

KALTIM = {
    **PROGRAMME,
    "name": "Kaltim Peduli Pekerja Rentan 2026",
    "region_code": "64",
    "funder": "APBD_PROVINSI",
    "funder_name": "Pemprov Kalimantan Timur",
    "legal_basis": "Pergub Kaltim No. 7/2025",
    "budget_amount": 12_000_000_000,
    "targets": [{"region_code": "64.02", "quota": 5614}, {"region_code": "64.71", "quota": 1200}],
}
BALIKPAPAN = {
    **PROGRAMME,
    "name": "Balikpapan Lindungi Pekerja Rentan 2026",
    "funder_name": "Pemkot Balikpapan",
    "legal_basis": "Perwali Balikpapan No. 3/2025",
    "budget_amount": 1_500_000_000,
    "targets": [{"region_code": "64.71.01", "quota": None}],
}


@dataclass
class Programmes:
    kukar: Programme  # 64.02, run by admin.kukar
    kaltim: Programme  # 64, the province's, targets Kukar and Balikpapan
    balikpapan: Programme  # 64.71


@pytest.fixture
def programmes(world: World) -> Programmes:
    """Three programmes without workers (cheap): for scope, pages and the API."""
    return Programmes(
        kukar=programme_create(actor=world.regency_admin, data=PROGRAMME),
        kaltim=programme_create(actor=world.province_admin, data=KALTIM),
        balikpapan=programme_create(actor=world.balikpapan_admin, data=BALIKPAPAN),
    )


def submitted(actor: Any, scheme: Programme) -> EnrolmentBatch:
    """A batch of the programme's eligible workers, sent to BPJS (its enrolments `submitted`)."""
    batch = batch_create(actor=actor, programme_id=scheme.pk, start_date=dt.date(2026, 1, 1))
    return batch_submit(actor=actor, batch_id=batch.pk)


def api_body(**changes: Any) -> dict[str, Any]:
    """PROGRAMME as the JSON an API client sends (dates as ISO text)."""
    data = {**PROGRAMME, **changes}
    for name in ("start_date", "end_date"):
        if isinstance(data.get(name), dt.date):
            data[name] = data[name].isoformat()
    return data


def codes(fields: dict[str, list[dict[str, str]]]) -> dict[str, list[str]]:
    """{field: [code, …]} of a validation error's fields."""
    return {name: [error["code"] for error in errors] for name, errors in fields.items()}


def nothing_written(audit_before: int) -> None:
    """No programme, target or co-funder exists and the audit log did not grow."""
    assert not Programme.objects.exists()
    assert not ProgrammeTarget.objects.exists()
    assert not ProgrammeFunder.objects.exists()
    assert AuditEvent.objects.count() == audit_before
