"""kill -9 in the middle of a write (issue 10): an import, a contribution run and a merge.

Each operation runs in its own process (`manage.py`, the same service code the web server and
the task worker run) and stops at a checkpoint inside its transaction; then either that
process or — on PostgreSQL — the database backend serving it is killed with SIGKILL (the
database restarts every connection and recovers from its log). Afterwards the tables are
compared with a checksum taken before: nothing half-written. The same operation then runs again
to the end and is compared with what a clean run gives: nothing lost, nothing applied twice.

The web server itself (gunicorn, master and workers) is killed inside a merge request at the
end of this file; the task worker inside an import in tests/core/test_task_worker.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from lindungi.accounts.services import token_issue
from lindungi.billing.models import ContributionRun, Invoice
from lindungi.dedup.models import CandidatePair, DedupRun, Merge
from lindungi.enrolment.models import Enrolment
from lindungi.registry.models import Heir, Worker
from lindungi.registry.services import heir_add

from .billing.helpers import co_funded, enrol_all
from .enrolment.conftest import kukar  # noqa: F401 — the fixture
from .helpers import POSTGRES, ROOT, child_env, manage_process, requires_postgres
from .imports.files import csv_bytes
from .imports.test_import_command_and_faults import _rows

TABLES = {
    "billing": [
        "SELECT id, period, lines, amount, status FROM billing_contributionrun ORDER BY id",
        "SELECT run_id, funder_id, amount, status FROM billing_invoice ORDER BY number",
        "SELECT count(*), coalesce(sum(amount), 0) FROM billing_contributionline",
    ],
    "import": [
        "SELECT count(*), coalesce(sum(version), 0) FROM registry_worker",
        "SELECT count(*) FROM core_auditevent WHERE action = 'worker.import'",
    ],
    "merge": [
        "SELECT id, merged_into_id, version FROM registry_worker ORDER BY id",
        "SELECT id, worker_id FROM registry_heir ORDER BY id",
        "SELECT id, worker_id, status FROM enrolment_enrolment ORDER BY id",
        "SELECT count(*) FROM dedup_merge",
    ],
}


def checksum(kind: str) -> str:
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for sql in TABLES[kind]:
            cursor.execute(sql)
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


def _shell(code: str, fault: str | None = None, marker: Path | None = None) -> subprocess.Popen:
    env = {"LINDUNGI_FAULT_AT": fault, "LINDUNGI_FAULT_MARKER": str(marker)} if fault else {}
    return manage_process("shell", "-c", code, env=env)


def _wait_for(marker: Path, victim: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert victim.poll() is None, victim.communicate()
        assert time.monotonic() < deadline, "the operation never reached its fault point"
        time.sleep(0.1)


def _kill_backend_of(victim: subprocess.Popen) -> None:
    """SIGKILL the PostgreSQL backend holding the victim's open transaction: the server ends
    every connection, recovers from its write-ahead log, and accepts connections again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    assert len(pids) == 1, pids
    os.kill(pids[0], signal.SIGKILL)
    # The postmaster learns of the death a moment later and only then ends every other
    # connection. A connection opened in between would be ended too, so wait until this
    # test's own connection has been ended: from then on the server refuses new ones until
    # its recovery is over.
    deadline = time.monotonic() + 60
    while True:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:
            break
        assert time.monotonic() < deadline, "PostgreSQL did not end the other connections"
        time.sleep(0.1)
    connection.close()
    deadline = time.monotonic() + 60
    while True:
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            break
        except Exception:
            connection.close()
            assert time.monotonic() < deadline, "PostgreSQL did not come back"
            time.sleep(0.5)
    victim.kill()  # it would only find its connection gone
    victim.wait(timeout=30)


def _crash(kind: str, code: str, fault: str, tmp_path: Path, target: str) -> None:
    before = checksum(kind)
    marker = tmp_path / f"{fault}-{target}"
    victim = _shell(code, fault, marker)
    _wait_for(marker, victim)
    if target == "process":
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
    else:
        _kill_backend_of(victim)
    assert checksum(kind) == before  # nothing of the killed transaction is visible


TARGETS = ["process", "database"] if POSTGRES else ["process"]


@pytest.mark.parametrize("target", TARGETS)
def test_a_contribution_run_killed_midway_bills_nothing_then_exactly_once(
    live_db,
    kukar,  # noqa: F811 — the imported fixture
    tmp_path,
    target,
):
    programme = co_funded(kukar)
    enrol_all(kukar, programme)
    code = (
        "from lindungi.accounts.models import User;"
        "from lindungi.billing.services import contribution_run;"
        f"o = contribution_run(actor=User.objects.get(username='admin.kukar'),"
        f" programme_id={programme.pk}, period='2026-01', today=__import__('datetime').date(2026, 1, 20));"
        "print(o.run.lines, o.run.amount)"
    )
    _crash("billing", code, "billing.run", tmp_path, target)
    assert ContributionRun.objects.count() == 0 and Invoice.objects.count() == 0

    rerun = _shell(code)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    billed = Enrolment.objects.filter(programme=programme, status="active").count()
    lines, amount = (int(v) for v in out.split()[-2:])
    assert lines == billed == 5
    run = ContributionRun.objects.get()
    assert (run.lines, run.amount) == (lines, amount)
    assert sum(Invoice.objects.values_list("amount", flat=True)) == amount
    again = _shell(code.replace("print(o.run.lines, o.run.amount)", "print(o.created)"))
    out, err = again.communicate(timeout=300)
    assert out.split()[-1] == "False" and ContributionRun.objects.count() == 1  # not twice


@requires_postgres("kills the database server")
def test_an_import_whose_database_dies_midway_leaves_nothing_then_imports_once(live_db, tmp_path):
    """The process kill of an import is in tests/imports/test_import_command_and_faults.py."""
    path = tmp_path / "desa.csv"
    path.write_bytes(csv_bytes(_rows(300)))
    code = (
        "from django.core.management import call_command;"
        f"call_command('import_workers', {str(path)!r}, '--region', '64.02')"
    )
    _crash("import", code, "import.apply", tmp_path, "database")
    assert Worker.objects.count() == 0

    for expected in ({"created": 300, "unchanged": 0}, {"created": 0, "unchanged": 300}):
        run = _shell(code)
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        counts = json.loads(out.strip().splitlines()[-1])
        assert {k: counts[k] for k in expected} == expected
    assert sorted(Worker.objects.values_list("nik", flat=True)) == sorted(r[1] for r in _rows(300))


@pytest.mark.parametrize("target", TARGETS)
def test_a_merge_killed_midway_moves_nothing_then_moves_everything_once(
    live_db,
    kukar,  # noqa: F811 — the imported fixture
    tmp_path,
    target,
):
    survivor, merged = kukar.workers[0], kukar.workers[1]
    heir_add(
        actor=kukar.world.regency_admin,
        worker_id=merged.pk,
        data={"full_name": "Sri Wahyuni", "relationship": "spouse"},
    )
    code = (
        "from lindungi.accounts.models import User;"
        "from lindungi.dedup.services import worker_merge;"
        f"m = worker_merge(actor=User.objects.get(username='admin.kukar'), survivor_id={survivor.pk},"
        f" merged_id={merged.pk}, reason='uji gangguan');"
        "print(m.pk)"
    )
    _crash("merge", code, "dedup.merge", tmp_path, target)
    assert Merge.objects.count() == 0
    assert Worker.objects.get(pk=merged.pk).merged_into_id is None
    assert Heir.objects.get().worker_id == merged.pk

    rerun = _shell(code)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert Worker.objects.get(pk=merged.pk).merged_into_id == survivor.pk
    assert Heir.objects.get().worker_id == survivor.pk
    assert int(out.split()[-1]) == Merge.objects.get().pk
    twice = _shell(code)
    _, err = twice.communicate(timeout=300)
    assert twice.returncode != 0 and Merge.objects.count() == 1  # a tombstone is not merged again


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _web_server(port: int, marker: Path | None = None) -> subprocess.Popen:
    """gunicorn as deploy/lindungi-web.service runs it (gthread), on the test database."""
    env = child_env(DEBUG="0")
    if marker:
        env |= {"LINDUNGI_FAULT_AT": "dedup.merge", "LINDUNGI_FAULT_MARKER": str(marker)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lindungi.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--worker-class", "gthread", "--workers", "2", "--threads", "2",
         "--timeout", "300"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: master and workers die together
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, server.communicate()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5):
                return server
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)


def _decide(port: int, token: str, pair_id: int) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/dedup/pairs/{pair_id}/decision",
        data=json.dumps({"decision": "same", "note": "uji gangguan"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_the_web_server_killed_inside_a_merge_request_merges_nothing_then_exactly_once(
    live_db,
    kukar,  # noqa: F811 — the imported fixture
    tmp_path,
):
    """kill -9 of gunicorn (the worker holding the request's transaction, then the master)
    while a reviewer's "same person" decision merges two records; a new server; the retry."""
    survivor, merged = kukar.workers[0], kukar.workers[1]
    heir_add(
        actor=kukar.world.regency_admin,
        worker_id=merged.pk,
        data={"full_name": "Sri Wahyuni", "relationship": "spouse"},
    )
    run = DedupRun.objects.create(kind="registry", region_code="64.02", status="done")
    pair = CandidatePair.objects.create(
        worker_a=survivor, worker_b=merged, region_code=survivor.village_id,
        region_code_b=merged.village_id, probability=0.99, match_weight=10, run=run,
        model_version="uji",
    )  # fmt: skip
    _, token = token_issue(user=kukar.world.regency_admin, name="uji gangguan")
    before = checksum("merge")
    marker = tmp_path / "merge-in-request"
    port = _free_port()
    server = _web_server(port, marker)
    answers: list[object] = []
    client = threading.Thread(target=lambda: answers.append(_try(_decide, port, token, pair.pk)))
    client.start()
    _wait_for(marker, server)
    holder = int(marker.read_text())  # the gunicorn worker inside the merge's transaction
    assert holder != server.pid and os.getpgid(holder) == server.pid
    os.killpg(server.pid, signal.SIGKILL)  # master and every worker, as systemd's kill would
    server.wait(timeout=30)
    client.join(timeout=60)
    assert answers and isinstance(answers[0], OSError)  # the reviewer saw the connection drop
    assert checksum("merge") == before
    pair.refresh_from_db()
    assert pair.decision == "open" and Merge.objects.count() == 0

    server = _web_server(port)  # restarted
    try:
        status, body = _decide(port, token, pair.pk)  # the reviewer tries again
        assert (status, body["decision"]) == (200, "same")
        again, refusal = _decide(port, token, pair.pk)
        assert again == 409 and refusal["code"] == "DEDUP_ALREADY_DECIDED"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert Worker.objects.get(pk=merged.pk).merged_into_id == survivor.pk
    assert Heir.objects.get().worker_id == survivor.pk
    assert Merge.objects.count() == 1


def _try(call, *args):
    try:
        return call(*args)
    except OSError as dropped:
        return dropped
