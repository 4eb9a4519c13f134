"""One workflow for a worker's life changing, whichever door it comes through: the worker's page,
the API or an imported file record the event, end the cover on its date, open the JKM claim of a
death with cover, and leave one audit row per worker in its history (issue 23)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client

from lindungi.claims.models import ClaimCase
from lindungi.core.models import AuditEvent
from lindungi.enrolment.models import Enrolment, EnrolmentStatus
from lindungi.imports.services import import_create, import_run
from lindungi.lifecycle.life_events import life_event_cancel, life_event_record
from lindungi.registry.models import LifeEvent
from lindungi.registry.selectors import worker_history

from ..billing.helpers import co_funded, enrol_all
from ..conftest import client_for
from ..imports.files import csv_bytes

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def covered(kukar):
    programme = co_funded(
        kukar, funders=[{"funder": "APBD_KABKOTA", "name": "Pemkab Kukar", "share_bp": 10000}]
    )
    enrol_all(kukar, programme)
    return programme


def _import(kukar, rows):
    operator = kukar.world.village_operator
    imp = import_create(
        actor=operator, file=io.BytesIO(csv_bytes(rows)), file_name="desa.csv",
        region_code="64.02.06.1002", background=False,
    )  # fmt: skip
    return import_run(imp=imp, actor=operator)


def _row(worker, keterangan):
    return ["1", worker.nik, worker.full_name, "Tenggarong, 12-05-1980", "L", "", "",
            "Loa Ipuh", "", "", keterangan]  # fmt: skip


def _followed_up(worker):
    enrolment = Enrolment.objects.get(worker=worker)
    case = ClaimCase.objects.get(worker=worker)
    return (enrolment.status, enrolment.covered_until, case.kind, case.event_date)


def test_an_imported_death_is_in_the_workers_history_and_followed_up(kukar, covered):
    worker = kukar.workers[1]
    _import(kukar, [_row(worker, "Meninggal dunia 02-03-2026")])
    history = list(worker_history(worker=worker).filter(action="worker.life_event"))
    assert len(history) == 1
    entry = history[0]
    assert entry.changes["life_status"] == ["active", "deceased"]
    assert entry.changes["life_status_date"] == [None, "2026-03-02"]
    assert entry.changes["event"][1]["kind"] == "deceased"
    assert entry.actor_username == "op.loaipuh" and entry.note == "impor desa.csv"
    worker.refresh_from_db()
    assert (worker.life_status, worker.life_status_date) == ("deceased", D(2026, 3, 2))
    assert _followed_up(worker) == ("ended", D(2026, 3, 2), "JKM", D(2026, 3, 2))
    # The same file again records nothing more: no event, no history row, no case.
    _import(kukar, [_row(worker, "Meninggal dunia 02-03-2026")])
    assert LifeEvent.objects.filter(worker=worker).count() == 1
    assert worker_history(worker=worker).filter(action="worker.life_event").count() == 1
    assert ClaimCase.objects.filter(worker=worker).count() == 1


def test_the_page_the_api_and_an_import_end_cover_and_open_claims_alike(kukar, covered):
    page, api, imported = kukar.workers[0], kukar.workers[1], kukar.workers[2]
    operator = kukar.world.village_operator
    response = client_for(operator).post(
        f"/pekerja/{page.pk}/peristiwa/",
        {"ev-kind": "deceased", "ev-event_date": "2026-03-02", "ev-reason": "Sakit"},
    )
    assert response.status_code == 302
    from lindungi.accounts.services import token_issue

    _, raw = token_issue(user=operator, name="t")
    response = Client().post(
        f"/api/v1/workers/{api.pk}/events",
        {"kind": "deceased", "event_date": "2026-03-02", "reason": "Sakit"},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    _import(kukar, [_row(imported, "Meninggal 02-03-2026")])
    for worker in (page, api, imported):
        assert _followed_up(worker) == (
            "ended", D(2026, 3, 2), "JKM", D(2026, 3, 2)
        ), worker  # fmt: skip
        assert worker_history(worker=worker).filter(action="worker.life_event").count() == 1


def test_cancelling_an_event_restores_the_cover_it_ended(kukar, covered):
    worker = kukar.workers[3]
    operator = kukar.world.village_operator
    event = life_event_record(actor=operator, worker_id=worker.pk, kind="moved_out",
                              event_date=D(2026, 4, 1), reason="Pindah ke Samarinda")  # fmt: skip
    assert Enrolment.objects.get(worker=worker).status == EnrolmentStatus.ENDED
    life_event_cancel(actor=operator, event_id=event.pk, reason="Salah catat")
    enrolment = Enrolment.objects.get(worker=worker)
    assert (enrolment.status, enrolment.covered_until) == (EnrolmentStatus.ACTIVE, None)
    actions = list(
        AuditEvent.objects.filter(object_id=str(worker.pk), object_type="registry.worker")
        .filter(action__startswith="worker.life_event")
        .values_list("action", flat=True)
    )
    assert sorted(actions) == ["worker.life_event", "worker.life_event_cancel"]
