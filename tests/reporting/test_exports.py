"""The participant export of a region (issue 9): every worker with its cover, masked NIKs,
formula-neutralised cells, audited request and download, scope."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from lindungi.core.audit import AuditEvent
from lindungi.core.errors import Forbidden, NotFound
from lindungi.registry.models import Worker
from lindungi.reporting.exports import HEADER, export_build, export_request

from ..billing.helpers import co_funded, enrol_all

pytestmark = pytest.mark.django_db


def test_a_regency_export_lists_every_worker_with_cover(kukar, api_token):
    programme = co_funded(kukar)
    enrol_all(kukar, programme)
    Worker.objects.filter(pk=kukar.workers[1].pk).update(full_name='=HYPERLINK("x")')
    admin = kukar.world.regency_admin
    export = export_request(actor=admin, region_code="64.02")
    assert export_build(export.pk) == {"export_id": export.pk, "rows": 7}
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(handle.read())).get_sheet_by_index(0)
    table = rows.to_python()
    assert table[0] == HEADER and len(table) == 1 + 7  # five covered, the young, the unverified
    by_nik = {r[0]: r for r in table[1:]}
    covered = by_nik[f"{kukar.workers[0].nik[:4]}**********{kukar.workers[0].nik[-2:]}"]
    assert covered[8] == programme.name and covered[9]
    assert not any(kukar.workers[0].nik == cell for row in table for cell in row)
    assert any(str(r[1]).startswith("'=HYPERLINK") for r in table[1:])
    client = Client()
    download = client.get(f"/api/v1/reports/exports/{export.pk}/file", **api_token(admin))
    assert download.status_code == 200
    assert AuditEvent.objects.filter(action__startswith="reporting.export").count() == 2


def test_refusals_and_scope(kukar, api_token):
    with pytest.raises(NotFound):
        export_request(actor=kukar.world.regency_admin, region_code="64.71")
    with pytest.raises(Forbidden):
        export_request(actor=kukar.world.auditor, region_code="64.02")
    made = Client().post("/api/v1/reports/exports", {"region_code": "64.02"},
                         content_type="application/json",
                         **api_token(kukar.world.regency_admin))  # fmt: skip
    assert made.status_code == 202 and made.json()["ready"] is False
