"""The participant export of a full regency (issue 9): 250,000 workers to Excel with memory that
does not grow with the rows — the export of a district (~10× smaller) in its own process is the
baseline for memory.

    .venv/bin/python bench/export_bench.py [--rows 250000]

Uses the billing benchmark's database (1M synthetic Kalimantan Timur workers, everyone enrolled);
the largest regency is topped up to `--rows` workers by moving workers of another regency into
one of its villages (setup, not measured). Targets: ≤ 30 s, peak RSS flat in the row count.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from common import ROOT, django_setup, postgres_database
from registry_bench import build


def child(url: str, code: str) -> None:
    """Run one export in this process and print its figures as JSON."""
    import resource

    django_setup(url)
    from lindungi.core.actors import SystemActor
    from lindungi.reporting.exports import export_build, export_request

    export = export_request(actor=SystemActor(), region_code=code)
    start = time.perf_counter()
    result = export_build(export.pk)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    export.refresh_from_db()
    print(json.dumps({"rows": result["rows"], "seconds": seconds, "rss_mib": rss,
                      "bytes": export.file.size}))  # fmt: skip


def run_child(url: str, code: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", code],
        cwd=ROOT, env={**os.environ, "BENCH_URL": url}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def top_up(rows: int) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(village_id, 1, 5), count(*) FROM registry_worker GROUP BY 1"
            " ORDER BY 2 DESC LIMIT 2"
        )
        (largest, count), (other, _) = cursor.fetchall()
        missing = rows - int(count)
        if missing > 0:
            cursor.execute(
                "SELECT code FROM regions_region WHERE code LIKE %s AND level = 'village'"
                " ORDER BY code LIMIT 1",
                [f"{largest}.%"],
            )
            village = cursor.fetchone()[0]
            cursor.execute(
                "UPDATE registry_worker SET village_id = %s WHERE id IN (SELECT id FROM"
                " registry_worker WHERE village_id LIKE %s ORDER BY id LIMIT %s)",
                [village, f"{other}.%", missing],
            )
            cursor.execute(
                "UPDATE enrolment_enrolment e SET region_code = w.village_id FROM registry_worker"
                " w WHERE w.id = e.worker_id AND e.region_code <> w.village_id"
            )
    return str(largest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(os.environ["BENCH_URL"], args.child)
        return
    url = postgres_database("lindungi_bench_billing", fresh=False)
    print(f"export benchmark on {url.rsplit('@', 1)[-1]}")
    django_setup(url)
    build(args.workers)
    regency = top_up(args.rows)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(village_id, 1, 8), count(*) FROM registry_worker WHERE village_id"
            " LIKE %s GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [f"{regency}.%"],
        )
        district = cursor.fetchone()[0]
    small = run_child(url, district)
    large = run_child(url, regency)
    for label, figures in (("district " + district, small), ("regency " + regency, large)):
        print(f"  {label:<18} {figures['rows']:>9,} rows  {figures['seconds']:6.1f} s"
              f"  {figures['rows'] / figures['seconds']:>9,.0f} rows/s"
              f"  peak RSS {figures['rss_mib']:6.0f} MiB  file {figures['bytes'] / 2**20:5.1f} MiB")  # fmt: skip
    print(f"\nregency export: {large['rows']:,} rows in {large['seconds']:.1f} s (target ≤ 30 s);"
          f" peak RSS {large['rss_mib']:.0f} MiB vs {small['rss_mib']:.0f} MiB for"
          f" {small['rows']:,} rows (target: flat)")  # fmt: skip


if __name__ == "__main__":
    main()
