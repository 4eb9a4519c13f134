"""Load test (issue 10): gunicorn on loopback, PostgreSQL with 1,000,000 workers, locust headless.

    .venv/bin/python bench/load_bench.py [--users 20] [--minutes 5] [--workers 3] [--threads 4]

Uses the registry benchmark's database (built by bench/registry_bench.py when missing), starts
gunicorn with the production settings (gthread workers, as deploy/lindungi-web.service), runs
the mix of bench/locustfile.py — public status checks, name searches, list pages, worker reads
and edits — for the given time, and prints requests/s, p50/p95/p99 per request kind and
overall, and the errors. Locust runs on the same two cores as the server and the database.

The public status check answers no sooner than PUBLIC_CHECK_MIN_SECONDS (0.4 s, against NIK
enumeration): its latency is that floor plus the work, and it is reported beside the rest.
The per-address limit is raised for the run (every request comes from 127.0.0.1; behind the
proxy each citizen has their own address); the per-NIK limit stays.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, django_setup, postgres_database

PORT = 8765


def sample(path: Path) -> None:
    from lindungi.accounts.models import User
    from lindungi.accounts.services import token_issue, user_create
    from lindungi.registry.models import Worker

    user = User.objects.filter(username="load.kukar").first() or user_create(
        actor=None,
        username="load.kukar",
        password="Load#Pass2026",
        role="regency_admin",
        region_code="64.02",
    )
    kukar = list(
        Worker.objects.filter(village__code__startswith="64.02.")
        .order_by("?")
        .values_list("pk", "nik", "birth_date", "full_name")[:5000]
    )
    path.write_text(
        json.dumps(
            {
                "token": token_issue(user=user, name="load")[1],
                "ids": [w[0] for w in kukar],
                "public": [[w[1], w[2].strftime("%d-%m-%Y")] for w in kukar],
                "names": [w[3] for w in kukar],
            }
        ),
        encoding="utf-8",
    )


def serve(url: str, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lindungi.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BEHIND_PROXY": "0",
        "PUBLIC_CHECK_PER_ADDRESS_PER_MINUTE": "1000000",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "lindungi.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/openapi.json", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not answer within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    url = postgres_database("lindungi_bench_registry", fresh=False)
    django_setup(url)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_worker")
        count = cursor.fetchone()[0]
    if count < 1_000_000:
        import registry_bench

        registry_bench.build(1_000_000)
    workdir = Path(tempfile.mkdtemp(prefix="lindungi-load-"))
    sample(workdir / "sample.json")
    connection.close()
    server = serve(url, args.workers, args.threads)
    try:
        seconds = int(args.minutes * 60)
        print(
            f"load: {args.users} users, {seconds} s, gunicorn {args.workers} workers × "
            f"{args.threads} threads, 1,000,000 workers in PostgreSQL",
            flush=True,
        )
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(max(1, args.users // 5)),
                "--run-time",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(workdir / "load"),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            env={**os.environ, "LOAD_SAMPLE": str(workdir / "sample.json")},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report(workdir / "load_stats.csv", workdir / "load_failures.csv")


def report(stats: Path, failures: Path) -> None:
    rows = list(csv.DictReader(stats.open(encoding="utf-8")))
    print(
        f"\n{'request':<34} {'reqs':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    )
    for row in rows:
        print(
            f"{row['Name'] or row['Type']:<34} {row['Request Count']:>7} {row['Failure Count']:>5}"
            f" {float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
    for line in list(csv.DictReader(failures.open(encoding="utf-8")))[:10]:
        print(
            f"  failure: {line['Method']} {line['Name']}: {line['Error'][:120]} ×{line['Occurrences']}"
        )
    print("(latencies in ms)")


if __name__ == "__main__":
    main()
