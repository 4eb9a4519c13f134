import datetime as dt

import pytest

from lindungi.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from lindungi.core.models import AuditEvent
from lindungi.dedup.models import CandidatePair, Decision, DedupRun, Merge
from lindungi.dedup.services import dedup_run_execute, pair_decide, worker_merge, worker_unmerge
from lindungi.lifecycle.life_events import life_event_record
from lindungi.registry.models import Heir, LifeEvent, Worker
from lindungi.registry.selectors import worker_history
from lindungi.registry.services import heir_add, worker_create, worker_update

pytestmark = pytest.mark.django_db

SITI = {
    "nik": "6402065205800003",
    "full_name": "Siti Aminah",
    "birth_date": "12-05-1980",
    "sex": "P",
    "village": "Loa Ipuh",
    "occupation": "pedagang",
    "address": "Jl. Mangga No. 5",
    "phone": "0812 1111 2222",
}
HJ_SITI = {**SITI, "nik": "6402065205800004", "full_name": "Hj. SITI AMINAH"}


def _pair(world):
    a = worker_create(actor=world.village_operator, data=SITI)
    b = worker_create(actor=world.village_operator, data=HJ_SITI)
    heir_add(
        actor=world.village_operator,
        worker_id=a.pk,
        data={"full_name": "Ani", "relationship": "child", "birth_date": "01-07-2012"},
    )
    heir_add(
        actor=world.village_operator,
        worker_id=b.pk,
        data={"full_name": "Budi", "relationship": "spouse"},
    )
    heir_add(
        actor=world.village_operator,
        worker_id=b.pk,
        data={"full_name": "Cici", "relationship": "child", "birth_date": "02-03-2010"},
    )
    life_event_record(
        actor=world.village_operator,
        worker_id=b.pk,
        kind="moved_out",
        event_date=dt.date(2026, 3, 1),
        reason="pindah ke Samarinda",
    )
    version = Worker.objects.get(pk=b.pk).version
    worker_update(
        actor=world.village_operator,
        worker_id=b.pk,
        version=version,
        data={**HJ_SITI, "phone": "0813 2222 3333"},
    )
    return Worker.objects.get(pk=a.pk), Worker.objects.get(pk=b.pk)


def _rows(worker):
    return (
        sorted(Heir.objects.filter(worker=worker).values_list("pk", flat=True)),
        sorted(LifeEvent.objects.filter(worker=worker).values_list("pk", flat=True)),
    )


def test_merge_moves_every_row_and_unmerge_puts_exactly_them_back(world):
    a, b = _pair(world)
    a_heirs, a_events = _rows(a)
    b_heirs, b_events = _rows(b)
    assert len(b_heirs) == 2 and len(b_events) == 1
    b_history = set(worker_history(worker=b).values_list("pk", flat=True))

    merge = worker_merge(actor=world.regency_admin, survivor_id=a.pk, merged_id=b.pk, reason="sama")

    b.refresh_from_db()
    assert b.merged_into_id == a.pk  # a tombstone, never deleted
    assert _rows(b) == ([], [])
    assert _rows(a) == (sorted(a_heirs + b_heirs), sorted(a_events + b_events))
    assert merge.moved == {
        "registry.heir": {"worker": b_heirs},
        "registry.lifeevent": {"worker": b_events},
    }
    # The survivor's history includes the merged record's history and the merge itself.
    a_history = set(worker_history(worker=a).values_list("pk", flat=True))
    assert b_history <= a_history
    assert AuditEvent.objects.filter(action="worker.merge", object_id=str(a.pk)).exists()
    assert not Worker.objects.live().filter(pk=b.pk).exists()

    # A heir added to the survivor after the merge stays with it on un-merge.
    later = heir_add(
        actor=world.village_operator,
        worker_id=a.pk,
        data={"full_name": "Dedi", "relationship": "sibling"},
    )
    worker_unmerge(actor=world.regency_admin, merge_id=merge.pk, reason="ternyata berbeda")

    b.refresh_from_db()
    assert b.merged_into_id is None
    assert _rows(b) == (b_heirs, b_events)
    assert _rows(a) == (sorted([*a_heirs, later.pk]), a_events)
    merge.refresh_from_db()
    assert merge.undone_by == world.regency_admin and merge.undo_reason == "ternyata berbeda"
    assert AuditEvent.objects.filter(action="worker.unmerge", object_id=str(b.pk)).exists()
    with pytest.raises(Conflict):
        worker_unmerge(actor=world.regency_admin, merge_id=merge.pk, reason="lagi")


def test_merge_refuses_tombstones_outsiders_and_operators(world):
    a, b = _pair(world)
    with pytest.raises(Forbidden):
        worker_merge(actor=world.village_operator, survivor_id=a.pk, merged_id=b.pk)
    with pytest.raises(NotFound):
        worker_merge(actor=world.balikpapan_admin, survivor_id=a.pk, merged_id=b.pk)
    with pytest.raises(FieldErrors):
        worker_merge(actor=world.regency_admin, survivor_id=a.pk, merged_id=a.pk)
    worker_merge(actor=world.regency_admin, survivor_id=a.pk, merged_id=b.pk)
    before = (Heir.objects.filter(worker=a).count(), Merge.objects.count())
    with pytest.raises(Conflict):
        worker_merge(actor=world.regency_admin, survivor_id=b.pk, merged_id=a.pk)
    assert (Heir.objects.filter(worker=a).count(), Merge.objects.count()) == before


def test_registry_run_finds_the_pair_and_decisions_are_remembered(world):
    a, b = _pair(world)
    other = worker_create(
        actor=world.village_operator,
        data={
            **SITI,
            "nik": "6402061508750002",
            "full_name": "Joko Widodo",
            "sex": "L",
            "birth_date": "15-08-1975",
            "phone": "",
            "address": "",
        },
    )
    run = DedupRun.objects.create(
        kind="registry", region_code="64.02", started_by=world.regency_admin
    )
    outcome = dedup_run_execute(run)
    assert outcome.records == 3
    pair = CandidatePair.objects.get()
    assert (pair.worker_a_id, pair.worker_b_id) == (a.pk, b.pk)
    assert pair.probability > 0.9
    # NIKs one digit apart count for the match; the changed phone counts against it.
    assert (
        pair.evidence["name"] > 0 and pair.evidence["birth_date"] > 0 and pair.evidence["nik"] > 0
    )
    assert pair.evidence["phone"] < 0
    assert not CandidatePair.objects.filter(worker_b=other).exists()

    with pytest.raises(NotFound):  # outside the Balikpapan admin's scope
        pair_decide(actor=world.balikpapan_admin, pair_id=pair.pk, decision="different")
    pair_decide(actor=world.regency_admin, pair_id=pair.pk, decision="different", note="kembar")
    # A second run never brings a decided pair back.
    rerun = DedupRun.objects.create(kind="registry", region_code="64.02")
    assert dedup_run_execute(rerun).candidates_new == 0
    pair.refresh_from_db()
    assert pair.decision == Decision.DIFFERENT
    with pytest.raises(Conflict):
        pair_decide(actor=world.regency_admin, pair_id=pair.pk, decision="same")


def test_deciding_same_merges_into_the_chosen_survivor(world):
    a, b = _pair(world)
    dedup_run_execute(DedupRun.objects.create(kind="registry", region_code="64.02"))
    pair = CandidatePair.objects.get()
    with pytest.raises(FieldErrors):
        pair_decide(actor=world.regency_admin, pair_id=pair.pk, decision="same", survivor_id=999999)
    pair_decide(actor=world.regency_admin, pair_id=pair.pk, decision="same", survivor_id=b.pk)
    a.refresh_from_db()
    assert a.merged_into_id == b.pk
    assert Merge.objects.get().pair == pair
    assert CandidatePair.objects.get().decision == Decision.SAME
