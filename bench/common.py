"""Shared set-up for the benchmarks: a dedicated PostgreSQL database, Django, timing helpers.

Benchmarks print their figures; they are never unit tests. Each builds its own data.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/{name}"


def postgres_database(name: str, *, fresh: bool) -> str:
    """Create (or reuse) a PostgreSQL database for a benchmark; returns its URL."""
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL.format(name=name)
    admin = url.rsplit("/", 1)[0] + "/postgres"
    database = url.rsplit("/", 1)[1]
    if fresh:
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {database}"], check=True)
    return url


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindungi.settings.local")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def manage_command(args: list[str], url: str | None = None) -> tuple[float, dict[str, Any], float]:
    """(seconds, last-line JSON, peak RSS MiB) of a manage.py command in its own process
    (its own RSS: measured inside the child, so earlier children do not count)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lindungi.settings.local", "DEBUG": "0"}
    if url:
        env["DATABASE_URL"] = url
    # VmHWM, not getrusage's ru_maxrss: Linux carries the parent's high-water mark into a
    # child across fork and exec, so a child of a benchmark that had just synthesised a
    # million rows "peaked" at the benchmark's 2.1 GiB (seen: a 100k-row import reporting it).
    wrapper = (
        "import runpy, sys; sys.argv = ['manage.py', *sys.argv[1:]]\n"
        "try:\n    runpy.run_path('manage.py', run_name='__main__')\n"
        "finally:\n"
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
        "    print('RSS', hwm[0].split()[1], file=sys.stderr)\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr[-3000:])
        raise SystemExit(f"manage.py {args[0]} failed")
    rss_lines = [line for line in done.stderr.splitlines() if line.startswith("RSS ")]
    rss = int(rss_lines[-1].split()[1]) / 1024 if rss_lines else 0.0
    lines = [line for line in done.stdout.strip().splitlines() if line.startswith("{")]
    return elapsed, (json.loads(lines[-1]) if lines else {}), rss


def timed(label: str) -> Callable[[], float]:
    start = time.perf_counter()
    print(f"  {label} …", flush=True)

    def stop() -> float:
        elapsed = time.perf_counter() - start
        print(f"  {label}: {elapsed:.1f} s", flush=True)
        return elapsed

    return stop


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
    }


def peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
