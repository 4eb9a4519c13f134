"""The review pages: queue, side-by-side comparison, decisions, run start and undo."""

import pytest

from lindungi.dedup.models import CandidatePair, Decision, DedupRun, Merge
from lindungi.dedup.services import dedup_run_execute
from lindungi.registry.models import Worker

from ..conftest import client_for
from .test_merge_and_queue import _pair

pytestmark = pytest.mark.django_db


def _found_pair(world):
    a, b = _pair(world)
    dedup_run_execute(DedupRun.objects.create(kind="registry", region_code="64.02"))
    return a, b, CandidatePair.objects.get()


def test_queue_and_comparison_show_what_agrees_and_what_does_not(world):
    a, b, pair = _found_pair(world)
    client = client_for(world.regency_admin)
    queue = client.get("/duplikat/")
    assert queue.status_code == 200
    assert f'data-pair="{pair.pk}"' in queue.text and "Hj. SITI AMINAH" in queue.text
    page = client.get(f"/duplikat/{pair.pk}/")
    assert page.status_code == 200
    html = page.text
    assert 'data-field="name" data-agrees="1"' in html
    assert 'data-field="birth_date" data-agrees="1"' in html
    assert 'class="field-disagrees" data-field="phone"' in html
    assert a.nik not in html and b.nik not in html  # NIKs masked on the review page
    assert "Loa Ipuh (64.02.06.1002)" in html


def test_deciding_on_the_page_merges_and_undo_separates_again(world):
    a, b, pair = _found_pair(world)
    client = client_for(world.regency_admin)
    response = client.post(
        f"/duplikat/{pair.pk}/keputusan/", {"decision": "same", "survivor_id": str(a.pk)}
    )
    assert response.status_code == 302 and response["Location"] == "/duplikat/"
    assert Worker.objects.get(pk=b.pk).merged_into_id == a.pk
    pair.refresh_from_db()
    assert pair.decision == Decision.SAME and pair.decided_by == world.regency_admin
    # A second decision on the same pair is refused with a message; nothing changes.
    again = client.post(f"/duplikat/{pair.pk}/keputusan/", {"decision": "different"}, follow=True)
    assert "sudah diputuskan" in again.text
    assert CandidatePair.objects.get(pk=pair.pk).decision == Decision.SAME

    merge = Merge.objects.get()
    refused = client.post(f"/duplikat/gabungan/{merge.pk}/batal/", {"reason": " "}, follow=True)
    assert "alasan" in refused.text.lower()
    assert Worker.objects.get(pk=b.pk).merged_into_id == a.pk
    client.post(f"/duplikat/gabungan/{merge.pk}/batal/", {"reason": "kembar"})
    assert Worker.objects.get(pk=b.pk).merged_into_id is None


def test_operators_cannot_open_the_queue_and_outsiders_cannot_see_the_pair(world):
    _, _, pair = _found_pair(world)
    assert client_for(world.village_operator).get("/duplikat/").status_code == 403
    assert client_for(world.balikpapan_admin).get(f"/duplikat/{pair.pk}/").status_code == 404
    response = client_for(world.balikpapan_admin).post(
        f"/duplikat/{pair.pk}/keputusan/", {"decision": "different"}
    )
    assert response.status_code == 404
    assert CandidatePair.objects.get(pk=pair.pk).decision == Decision.OPEN


def test_starting_a_run_from_the_page(world):
    _pair(world)
    client = client_for(world.regency_admin)
    response = client.post("/duplikat/jalankan/", {"region": "64.02"}, follow=True)
    assert response.status_code == 200
    run = DedupRun.objects.get()
    assert run.region_code == "64.02" and run.job is not None
    refused = client.post("/duplikat/jalankan/", {"region": "64.02.06"}, follow=True)
    assert "per kabupaten/kota atau per provinsi" in refused.text
    assert DedupRun.objects.count() == 1


def test_the_command_runs_through_the_same_rules(world, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    a, b = _pair(world)
    call_command("dedup_registry", "--region", "64.02")
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["records"] == 2 and summary["candidates_new"] == 1
    pair = CandidatePair.objects.get()
    assert (pair.worker_a_id, pair.worker_b_id) == (a.pk, b.pk)
    assert DedupRun.objects.get().status == "done"
    with pytest.raises(CommandError, match="per kabupaten/kota atau per provinsi"):
        call_command("dedup_registry", "--region", "64.02.06")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("dedup_registry", "--region", "99.99")
    assert DedupRun.objects.count() == 1
