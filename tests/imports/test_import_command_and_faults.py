"""The command line, and a kill -9 in the middle of an import (nothing half-imported)."""

import csv
import io
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from lindungi.registry.models import Worker

from ..helpers import manage_process, requires_postgres
from .files import csv_bytes


def _rows(n: int, offset: int = 0) -> list[list[str]]:
    rows = []
    for i in range(n):
        serial = f"{offset + i + 1:04d}"
        rows.append(
            [
                str(i + 1),
                f"640206120580{serial}",
                f"Pekerja {chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}",
                "Tenggarong, 12-05-1980",
                "L",
                "",
                "",
                "Loa Ipuh",
                "",
                "Petani",
                "",
            ]
        )
    return rows


@pytest.mark.django_db
def test_cli_prints_counts_last_and_writes_the_report(regions, tmp_path, capsys):
    path = tmp_path / "desa.csv"
    rows = [
        *_rows(5),
        ["6", "123", "Salah", "Tenggarong, 12-05-1980", "L", "", "", "Loa Ipuh", "", "", ""],
    ]
    path.write_bytes(csv_bytes(rows, separator=";"))
    report = tmp_path / "laporan.csv"
    call_command("import_workers", str(path), "--region", "64.02.06.1002", "--report", str(report))
    out = capsys.readouterr()
    counts = json.loads(out.out.strip().splitlines()[-1])
    assert counts == {
        "rows": 6,
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "skipped": 0,
    }
    assert "%]" in out.err  # progress goes to stderr
    lines = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert lines[0] == ["row", "status", "nik", "messages"]
    assert lines[1] == ["2", "created", "6402061205800001", ""]
    assert lines[-1] == ["7", "rejected", "123", "NIK harus 16 digit (tertulis 3 digit)."]


@pytest.mark.django_db
def test_cli_dry_run_writes_nothing(regions, tmp_path, capsys):
    path = tmp_path / "desa.csv"
    path.write_bytes(csv_bytes(_rows(3)))
    call_command("import_workers", str(path), "--region", "64.02", "--dry-run")
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["created"] == 3
    assert Worker.objects.count() == 0


@requires_postgres("the name-search GIN index")
@pytest.mark.django_db
def test_an_import_has_the_search_index_merged_once_it_commits(
    regions, tmp_path, django_capture_on_commit_callbacks
):
    """New and changed workers wait in the GIN index's pending list, which every search reads
    whole until it is merged: the import enqueues the merge for after its commit."""
    from lindungi.registry.selectors import phonetic_match
    from lindungi.registry.services import search_index_merge

    def run(name: str, rows: list[list[str]], *, commit_callbacks: bool) -> dict[str, int]:
        path = tmp_path / f"{name}.csv"
        path.write_bytes(csv_bytes(rows))
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=commit_callbacks):
            call_command(
                "import_workers", str(path), "--region", "64.02", stdout=out, stderr=io.StringIO()
            )
        return json.loads(out.getvalue().strip().splitlines()[-1])

    assert run("a", _rows(300), commit_callbacks=False)["created"] == 300
    assert search_index_merge() > 0  # left pending by the import, merged here by hand
    assert run("b", _rows(300, offset=300), commit_callbacks=True)["created"] == 300
    assert search_index_merge() == 0  # the import's own follow-up merged it
    renamed = [[*row[:2], row[2].replace("Pekerja", "Petugas"), *row[3:]] for row in _rows(300)]
    assert run("c", renamed, commit_callbacks=True)["updated"] == 300
    assert search_index_merge() == 0  # an import that only changes workers too
    assert Worker.objects.filter(phonetic_match("pekerja", regions=["64.02"])).count() == 300
    assert Worker.objects.filter(phonetic_match("petugas", regions=["64.02"])).count() == 300


@pytest.mark.django_db
def test_cli_explains_bad_arguments(regions, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "desa.csv"
    path.write_bytes(csv_bytes(_rows(1)))
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_workers", str(tmp_path / "tidak-ada.csv"), "--region", "64.02")
    with pytest.raises(CommandError, match=r"64\.99"):
        call_command("import_workers", str(path), "--region", "64.99")
    with pytest.raises(CommandError, match="tidak ditemukan atau tidak aktif"):
        call_command("import_workers", str(path), "--region", "64.02", "--user", "hantu")


def _import_process(path: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return manage_process("import_workers", str(path), "--region", "64.02", env=env)


def test_killed_in_the_middle_leaves_nothing_and_the_rerun_finishes_the_same(live_db, tmp_path):
    path = tmp_path / "desa.csv"
    rows = [
        *_rows(300),
        [
            "301",
            "6402061205800007",
            "Dobel",
            "Tenggarong, 12-05-1980",
            "L",
            "",
            "",
            "Loa Ipuh",
            "",
            "",
            "",
        ],
    ]
    path.write_bytes(csv_bytes(rows))
    marker = tmp_path / "inside-transaction"
    victim = _import_process(
        path, {"LINDUNGI_FAULT_AT": "import.apply", "LINDUNGI_FAULT_MARKER": str(marker)}
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert victim.poll() is None, victim.communicate()
        assert time.monotonic() < deadline, "the import never reached the fault point"
        time.sleep(0.1)
    os.kill(victim.pid, signal.SIGKILL)  # the workers are written but not committed
    victim.wait(timeout=30)
    assert Worker.objects.count() == 0  # nothing half-imported

    rerun = _import_process(path, {})
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    counts = json.loads(out.strip().splitlines()[-1])
    assert counts == {
        "rows": 301,
        "created": 300,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "skipped": 0,
    }
    assert Worker.objects.count() == 300
    assert sorted(Worker.objects.values_list("nik", flat=True)) == sorted(r[1] for r in rows[:300])
