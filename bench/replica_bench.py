"""Reports from a streaming replica (issue 10, docs/scale-out.md), measured on this machine.

    .venv/bin/python bench/replica_bench.py [--rows 100000] [--requests 50]

Sets up (once) a PostgreSQL streaming replica of the local server on port 5433 — a second
cluster made with pg_basebackup, as a province would run it on a second machine; this changes the
machine: it appends `host replication all 127.0.0.1/32 trust` to the main cluster's pg_hba.conf
and creates the cluster `15 replica` (remove with `pg_dropcluster --stop 15 replica`) — then, on a
fresh benchmark database with `--rows` synthetic workers enrolled in a programme:

1. imports `--rows` more workers on the primary and measures how far the replica falls behind
   while it runs (bytes of write-ahead log not yet replayed) and how long after the commit the
   replica shows them;
2. builds the dashboard aggregates on the primary and times the dashboard of the province, with
   `REPORTING_DATABASE_URL` routing it to the replica and without (core/routers.py), checking
   that both show the same panels.

Both servers share this machine's two cores: the figures say what the replica costs and how
fresh it is, not how much load a second machine takes away.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import threading
import time
from pathlib import Path

from common import django_setup, manage_command, postgres_database

REPLICA_PORT = 5433
VERSION = "15"


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def ensure_replica() -> None:
    clusters = _run("pg_lsclusters", "--no-header")
    if any(line.split()[1] == "replica" for line in clusters.splitlines() if line.strip()):
        if "online" not in next(
            line for line in clusters.splitlines() if line.split()[1] == "replica"
        ):
            _run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, "replica", "start")
        return
    print("  setting up the replica cluster on port 5433 (pg_basebackup) …", flush=True)
    hba = Path(f"/etc/postgresql/{VERSION}/main/pg_hba.conf")
    rule = "host replication all 127.0.0.1/32 trust"
    if rule not in hba.read_text():
        hba.write_text(hba.read_text() + f"\n{rule}\n")
        _run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, "main", "reload")
    _run("pg_createcluster", VERSION, "replica", "-p", str(REPLICA_PORT))
    # The replica accepts the same clients as the primary (trust on loopback here).
    Path(f"/etc/postgresql/{VERSION}/replica/pg_hba.conf").write_text(hba.read_text())
    data = Path(f"/var/lib/postgresql/{VERSION}/replica")
    subprocess.run(["find", str(data), "-mindepth", "1", "-delete"], check=True)
    started = time.perf_counter()
    _run(
        "runuser", "-u", "postgres", "--", "pg_basebackup", "-h", "127.0.0.1", "-p", "5432",
        "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast",
    )  # fmt: skip
    _run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, "replica", "start")
    print(f"  replica ready (base backup {time.perf_counter() - started:.0f} s)")


def replica_url(url: str) -> str:
    return url.replace(":5432/", f":{REPLICA_PORT}/")


def wait_for_replay(primary_url: str) -> float:
    """Seconds until the replica has replayed everything the primary has written so far."""
    import psycopg

    with psycopg.connect(primary_url, autocommit=True) as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    started = time.perf_counter()
    with psycopg.connect(replica_url(primary_url), autocommit=True) as replica:
        while replica.execute(
            "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn()) > 0", (target,)
        ).fetchone()[0]:
            time.sleep(0.01)
    return time.perf_counter() - started


def import_with_lag(path: Path, url: str) -> None:
    import psycopg

    samples: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        with (
            psycopg.connect(url, autocommit=True) as primary,
            psycopg.connect(replica_url(url), autocommit=True) as replica,
        ):
            while not stop.is_set():
                written = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
                behind = replica.execute(
                    "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn())", (written,)
                ).fetchone()[0]
                samples.append(max(0, int(behind)))
                time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    seconds, counts, _ = manage_command(["import_workers", str(path), "--region", "64"], url)
    committed = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as primary:
        stored = primary.execute("SELECT count(*) FROM registry_worker").fetchone()[0]
    with psycopg.connect(replica_url(url), autocommit=True) as replica:
        while replica.execute("SELECT count(*) FROM registry_worker").fetchone()[0] < stored:
            time.sleep(0.01)
    visible = time.perf_counter() - committed
    stop.set()
    watcher.join()
    print(
        f"  import of {counts['rows']:,} workers on the primary: {seconds:.1f} s;"
        f" replica behind by p50 {statistics.median(samples) / 1e6:.1f} MB,"
        f" max {max(samples) / 1e6:.1f} MB of WAL; rows visible on the replica"
        f" {visible * 1000:.0f} ms after the import's process ended"
    )


def dashboards(requests: int) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    from lindungi.accounts.models import User
    from lindungi.reporting.dashboard import dashboard

    actor = User.objects.get(username="bench.province")
    timings: dict[str, list[float]] = {"replica": [], "primary": []}
    boards = {}
    primary_only = {k: v for k, v in settings.DATABASES.items() if k != "reporting"}
    for _ in range(requests):
        for where in ("replica", "primary"):
            with override_settings(
                DATABASES=settings.DATABASES if where == "replica" else primary_only
            ):
                started = time.perf_counter()
                board = dashboard(actor=actor, region_code="64")
                timings[where].append((time.perf_counter() - started) * 1000)
            boards[where] = {p.key: p.rows for p in board.panels}
    assert boards["replica"] == boards["primary"], "the replica shows other figures"
    for where, values in timings.items():
        ordered = sorted(values)
        print(
            f"  province dashboard from the {where:8}: p50 {statistics.median(ordered):6.1f} ms,"
            f" p95 {ordered[max(0, round(0.95 * len(ordered)) - 1)]:6.1f} ms"
        )
    print("  the panels are identical on both")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    ensure_replica()
    url = postgres_database("lindungi_bench_replica", fresh=True)
    print(f"replica benchmark: primary {url.rsplit('@', 1)[-1]}, replica port {REPLICA_PORT}")
    os.environ["REPORTING_DATABASE_URL"] = replica_url(url)
    django_setup(url)
    from django.core.management import call_command

    from lindungi.accounts.models import User
    from lindungi.accounts.roles import Role
    from lindungi.regions.services import regions_load
    from lindungi.reporting.snapshot import snapshot_refresh

    regions_load()
    User.objects.create(username="bench.province", role=Role.PROVINCE_ADMIN, region_id="64")
    workdir = Path("/tmp/lindungi-bench")
    workdir.mkdir(exist_ok=True)
    first, second = workdir / "replica_a.csv", workdir / "replica_b.csv"
    for path, seed in ((first, 21), (second, 22)):
        call_command(
            "synth_workers", count=args.rows, seed=seed, region="64", out=str(path),
            stdout=io.StringIO(),
        )  # fmt: skip
    manage_command(["import_workers", str(first), "--region", "64"], url)
    print(f"  replica caught up with the set-up in {wait_for_replay(url):.2f} s")
    import_with_lag(second, url)
    started = time.perf_counter()
    snapshot_refresh()
    built = time.perf_counter() - started
    print(f"  aggregates built on the primary in {built:.1f} s; replayed on the replica"
          f" {wait_for_replay(url) * 1000:.0f} ms later")  # fmt: skip
    dashboards(args.requests)


if __name__ == "__main__":
    main()
