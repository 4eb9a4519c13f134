"""Dashboard panels at scale (issue 9): every panel of the region dashboard for the province of
Kalimantan Timur, a regency and a district, over 1,000,000 workers and 1,000,000 active
enrolments; server time per panel (p50/p95 of repeated calls, in-process, no HTTP).

    .venv/bin/python bench/dashboard_bench.py [--workers 1000000] [--repeat 15] [--fresh]

Uses the billing benchmark's database (synthetic workers, everyone enrolled in a province
programme, built here if missing). The participant panels read the aggregate tables that
`reporting_refresh` rebuilds (timed here too). Target: every panel for a province ≤ 300 ms (p95).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from billing_bench import enrol_everyone, kaltim_programme
from common import django_setup, percentiles, postgres_database
from registry_bench import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the bench database")
    args = parser.parse_args()
    url = postgres_database("lindungi_bench_billing", fresh=args.fresh)
    print(f"dashboard benchmark on {url.rsplit('@', 1)[-1]}")
    django_setup(url)
    build(args.workers)

    from lindungi.core.actors import SystemActor
    from lindungi.enrolment.models import Enrolment
    from lindungi.reporting import dashboard as board

    actor = SystemActor()
    enrolled = Enrolment.objects.filter(status="active").count()
    if enrolled < args.workers * 0.9:
        programme = kaltim_programme(actor)
        enrolled = enrol_everyone(programme.pk)
    print(f"  {enrolled:,} active enrolments")
    on = dt.date(2026, 11, 23)
    regency = (
        Enrolment.objects.filter(status="active").values_list("region_code", flat=True).first()
    )
    levels = {"province 64": "64", f"regency {regency[:5]}": regency[:5],
              f"district {regency[:8]}": regency[:8]}  # fmt: skip
    from lindungi.reporting.snapshot import snapshot_refresh

    refresh = [snapshot_refresh(on=on) for _ in range(2)]
    print(f"  aggregate tables rebuilt: {refresh[-1].cells:,} cells in"
          f" {min(r.seconds for r in refresh):.2f} s (best of 2)")  # fmt: skip
    panels = {
        "regions": lambda code: board._by_child(actor, board.Region.objects.get(code=code)),
        "trend": lambda code: board._over_time(actor, code, on),
        "occupation": lambda code: board._grouped(actor, code, "occupation_id", {},
                                                  "occupation", "", ""),
        "sex": lambda code: board._grouped(actor, code, "sex", {}, "sex", "", ""),
        "age": lambda code: board._age_bands(actor, code),
        "funder": lambda code: board._grouped(actor, code, "funder", {}, "funder", "", ""),
        "risk": lambda code: board._risk(actor, code),
        "money": lambda code: board.money_panel(code, on),
        "claims": lambda code: board.claims_panel(actor, code),
        "whole page": lambda code: board.dashboard(actor=actor, region_code=code, today=on),
    }  # fmt: skip
    worst = 0.0
    for level, code in levels.items():
        print(f"\n{level}: panel server time (ms, {args.repeat} calls each)")
        for name, build_panel in panels.items():
            samples = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                build_panel(code)
                samples.append((time.perf_counter() - start) * 1000)
            figures = percentiles(samples)
            print(f"  {name:<11} p50 {figures['p50']:8.1f}   p95 {figures['p95']:8.1f}")
            if level.startswith("province") and name != "whole page":
                worst = max(worst, figures["p95"])
    print(f"\nslowest province panel p95: {worst:.0f} ms (target ≤ 300 ms)")


if __name__ == "__main__":
    main()
