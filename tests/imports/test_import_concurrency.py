"""An import reads the registry before it writes: what others change in between is never
overwritten — the import's transaction is rolled back and it runs again on what is stored now."""

import threading

import psycopg
import pytest
from django.db import connection
from django.db.models import F

from lindungi.core.errors import DomainError
from lindungi.imports import pipeline
from lindungi.imports.models import WorkerImport
from lindungi.registry.models import Worker
from lindungi.registry.services import worker_create

from ..helpers import requires_postgres
from .files import messy_xlsx
from .test_import_outcomes import ROWS, run_file

pytestmark = pytest.mark.django_db

BUDI = "6402061205800001"  # row 6 of ROWS: a new worker
RIZKI = "6402060101700004"  # row 8: a registered worker whose phone the file changes


def change_after_reading(monkeypatch, change, *, times=1):
    """Run `change` right after the import has read the registry (the first `times` runs)."""
    real = pipeline.match_existing
    runs = []

    def reading_then_changing(keys, actor):
        found = real(keys, actor)
        runs.append(True)
        if len(runs) <= times:
            change()
        return found

    monkeypatch.setattr(pipeline, "match_existing", reading_then_changing)
    return runs


def test_a_worker_edited_meanwhile_keeps_the_edit(world, registered, tmp_path, monkeypatch):
    def edit_address():
        Worker.objects.filter(nik=RIZKI).update(
            address="Jl. Sudah Diubah 1", version=F("version") + 1
        )

    runs = change_after_reading(monkeypatch, edit_address)
    imp = run_file(world.village_operator, messy_xlsx(tmp_path / "f.xlsx", ROWS))

    assert len(runs) == 2  # the first run found the worker changed and wrote nothing
    assert imp.status == "done"
    assert imp.counts()["updated"] == 1
    rizki = Worker.objects.get(nik=RIZKI)
    assert rizki.address == "Jl. Sudah Diubah 1"  # the edit made meanwhile is kept
    assert rizki.phone == "+6281399990000"  # and the file's change applied on top of it
    assert rizki.version == registered["rizki"].version + 2


def test_a_nik_registered_meanwhile_is_updated_not_duplicated(
    world, registered, tmp_path, monkeypatch
):
    def register_budi():
        worker_create(
            actor=world.village_operator,
            data={
                "nik": BUDI,
                "full_name": "Budi Santoso",
                "birth_place": "Tenggarong",
                "birth_date": "12-05-1980",
                "sex": "L",
                "village": "Loa Ipuh",
                "phone": "0811 2222 3333",
            },
        )

    runs = change_after_reading(monkeypatch, register_budi)
    imp = run_file(world.village_operator, messy_xlsx(tmp_path / "f.xlsx", ROWS))

    assert len(runs) == 2
    assert imp.status == "done"
    assert imp.counts()["created"] == 2  # rows 13 and 14; row 6 found Budi registered
    assert imp.counts()["updated"] == 2  # Rizki's phone, and Budi's from the file
    assert Worker.objects.filter(nik=BUDI).count() == 1
    assert Worker.objects.get(nik=BUDI).phone == "+6281234567890"


def test_an_import_that_keeps_meeting_changes_gives_up_and_writes_nothing(
    world, registered, tmp_path, monkeypatch
):
    def edit_phone():
        Worker.objects.filter(nik=RIZKI).update(phone="+6281100000000", version=F("version") + 1)

    runs = change_after_reading(monkeypatch, edit_phone, times=99)
    before = Worker.objects.count()
    with pytest.raises(DomainError) as refused:
        run_file(world.village_operator, messy_xlsx(tmp_path / "f.xlsx", ROWS))

    assert refused.value.code == "IMPORT_REGISTRY_CHANGED"
    assert "3 kali" in refused.value.message
    assert len(runs) == 3
    assert Worker.objects.count() == before
    assert not Worker.objects.filter(nik=BUDI).exists()
    assert Worker.objects.get(nik=RIZKI).phone == "+6281100000000"  # the others' change stays
    imp = WorkerImport.objects.get()
    assert imp.status == "failed"
    assert "Tidak ada data yang berubah" in imp.error


@requires_postgres("imports queue on an advisory lock (SQLite has one writer anyway)")
def test_an_import_waits_for_the_one_writing(world, registered, tmp_path):
    """Two imports naming the same NIK would both find it missing: the second waits."""
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    other.execute("SELECT pg_advisory_lock(%s)", [pipeline.IMPORT_LOCK])
    messages = []

    def progress(percent, message):
        messages.append(message)
        if message == "Menunggu impor lain selesai":
            threading.Timer(0.5, other.execute, ["SELECT pg_advisory_unlock_all()"]).start()

    from lindungi.imports.services import import_create, import_run

    path = messy_xlsx(tmp_path / "f.xlsx", ROWS)
    try:
        with path.open("rb") as handle:
            imp = import_create(
                actor=world.village_operator,
                file=handle,
                file_name=path.name,
                region_code="64.02.06.1002",
                background=False,
            )
        imp = import_run(imp=imp, actor=world.village_operator, progress=progress)
    finally:
        other.close()

    assert "Menunggu impor lain selesai" in messages
    assert imp.status == "done"
    assert imp.counts()["created"] == 3
    with connection.cursor() as cursor:  # and the lock is free again
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [pipeline.IMPORT_LOCK])
        assert cursor.fetchone()[0] is True
        cursor.execute("SELECT pg_advisory_unlock(%s)", [pipeline.IMPORT_LOCK])
