"""Deduplication quality and scale (issue 5).

    .venv/bin/python bench/dedup_bench.py [--rows 1000000] [--small 100000] [--new 10000]
                                          [--synthetic 100000] [--skip-scale]
    .venv/bin/python bench/dedup_bench.py --write-default-model   # retrain the shipped model

Quality: `manage.py dedup_file` (its own process: time and peak RSS) on FEBRL1 and FEBRL2 and on
a synthetic Indonesian list with 10% planted duplicates; pairwise precision/recall/F1 against
the truth, beside the identifier-only baseline. Scale, on PostgreSQL: a registry of `--small`
and then `--rows` workers (with 10% planted duplicates) imported with `import_workers`, a
registry-wide `dedup_registry` job on each (pairs compared, seconds, peak RSS, growth from the
small to the large registry), then `--new` new workers imported against the large registry:
the import runs the incremental (link-mode) check, reported with the import time of the same
file into an empty registry as the baseline.
Targets: synthetic F1 ≥ 0.98 with precision ≥ 0.99; FEBRL F1 ≥ 0.99; 1M job ≤ 300 s with
peak RSS ≤ 6 GiB; 10k new against 1M ≤ 30 s; pairs and time close to linear.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path
from typing import Any

from common import django_setup, manage_command, postgres_database


def synth(count: int, out: Path, *, seed: int, layout: str, dup_rate: float = 0.1) -> None:
    if out.exists():
        return
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(
        "synth_workers",
        count=count,
        seed=seed,
        dup_rate=dup_rate,
        region="64",
        layout=layout,
        out=str(out),
        stdout=io.StringIO(),
    )
    print(f"  synthesised {count:,} records in {time.perf_counter() - started:.1f} s")


# --- quality ----------------------------------------------------------------------------------


def quality(workdir: Path, synthetic: int) -> dict[str, Any]:
    import polars as pl

    from lindungi.dedup.evaluation import (
        febrl_person_list,
        identifier_only_scores,
        scores_of,
        synthetic_truth,
    )

    results: dict[str, Any] = {}
    sources = {}
    for name in ("dataset1", "dataset2"):
        path = workdir / f"febrl_{name}.csv"
        sources[f"FEBRL{name[-1]}"] = (path, febrl_person_list(name, path))
    path = workdir / f"persons_{synthetic}.csv"
    synth(synthetic, path, seed=5, layout="persons")
    sources[f"synthetic {synthetic:,}"] = (path, synthetic_truth(path))
    for label, (source, truth) in sources.items():
        out = workdir / f"{source.stem}.clusters.csv"
        seconds, summary, rss = manage_command(["dedup_file", str(source), "--out", str(out)])
        scores = scores_of(pl.read_csv(out, infer_schema=False), truth)
        baseline = identifier_only_scores(source, truth)
        results[label] = {**summary, "scores": scores, "seconds": seconds, "rss": rss}
        print(
            f"  {label:<18} {truth.height:>8,} records: P {scores.precision:.4f} "
            f"R {scores.recall:.4f} F1 {scores.f1:.4f} | identifier only F1 {baseline.f1:.3f}"
            f" | {summary['pairs_compared']:,} pairs compared | {seconds:.1f} s"
            f" | peak RSS {rss:,.0f} MiB",
            flush=True,
        )
    return results


# --- scale on PostgreSQL ----------------------------------------------------------------------


def reset_registry() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE dedup_merge, dedup_candidatepair, dedup_deduprun, registry_lifeevent,"
            " registry_heir, registry_worker RESTART IDENTITY CASCADE"
        )
        cursor.execute("DELETE FROM imports_workerimport")


def registry_job(rows: int, url: str, workdir: Path) -> dict[str, Any]:
    path = workdir / f"registry_{rows}.csv"
    synth(rows, path, seed=21, layout="village")
    reset_registry()
    seconds, counts, _ = manage_command(["import_workers", str(path), "--region", "64"], url)
    print(f"  imported {counts.get('created', 0):,} workers in {seconds:.1f} s", flush=True)
    seconds, summary, rss = manage_command(["dedup_registry", "--region", "64"], url)
    result = {**summary, "rows": counts.get("created", rows), "seconds": seconds, "rss": rss}
    print(
        f"  registry job over {result['records']:,} workers: {seconds:.1f} s"
        f" (engine {summary['seconds']:.1f} s) | {summary['pairs_compared']:,} pairs compared"
        f" = {summary['pairs_compared'] / max(1, summary['records']):.1f} per record"
        f" | {summary['candidates_found']:,} candidate pairs | peak RSS {rss:,.0f} MiB",
        flush=True,
    )
    return result


def incremental(new: int, url: str, workdir: Path) -> dict[str, float]:
    """Import `new` workers into the registry as it is, then (baseline) into an empty one."""
    from lindungi.dedup.models import DedupRun, RunKind

    path = workdir / f"new_{new}.csv"
    synth(new, path, seed=97, layout="village", dup_rate=0.0)
    seconds, counts, rss = manage_command(["import_workers", str(path), "--region", "64"], url)
    run = DedupRun.objects.filter(kind=RunKind.INCREMENTAL).order_by("-id").first()
    check = run.seconds if run else 0.0
    held = counts.get("held", 0)
    print(
        f"  {new:,} new workers against the registry: import {seconds:.1f} s end to end"
        f" (link-mode scoring {check:.1f} s), {counts.get('created', 0):,} created,"
        f" {held} held as probable duplicates, peak RSS {rss:,.0f} MiB",
        flush=True,
    )
    reset_registry()
    baseline, _, _ = manage_command(["import_workers", str(path), "--region", "64"], url)
    print(f"  baseline: the same file into an empty registry {baseline:.1f} s", flush=True)
    return {"seconds": seconds, "baseline": baseline, "check": check}


def write_default_model(workdir: Path, records: int) -> None:
    from lindungi.dedup import engine
    from lindungi.dedup.persons import read_person_list

    path = workdir / f"persons_{records}.csv"
    synth(records, path, seed=5, layout="persons")
    frame, _ = read_person_list(path)
    model = engine.train(engine.prepare(frame), start=engine.default_model())
    engine.save_default_model(model)
    print(f"  default model retrained on {records:,} synthetic records: {model.version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--skip-scale", action="store_true", help="quality figures only")
    parser.add_argument("--write-default-model", action="store_true")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "lindungi-bench"))
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = postgres_database("lindungi_bench_dedup", fresh=True)
    print(f"dedup benchmark on {url.rsplit('@', 1)[-1]}")
    django_setup(url)
    from lindungi.regions.services import regions_load

    regions_load()
    if args.write_default_model:
        write_default_model(workdir, args.synthetic)
        return
    print("quality (dedup_file)")
    found = quality(workdir, args.synthetic)
    if not args.skip_scale:
        print("scale (PostgreSQL registry)")
        small = registry_job(args.small, url, workdir)
        large = registry_job(args.rows, url, workdir)
        inc = incremental(args.new, url, workdir)
    print("\nfigures")
    for label, r in found.items():
        s = r["scores"]
        print(f"  {label}: F1 {s.f1:.4f}, precision {s.precision:.4f}, recall {s.recall:.4f}")
    print("  (targets: synthetic F1 ≥ 0.98 with precision ≥ 0.99; FEBRL F1 ≥ 0.99)")
    if args.skip_scale:
        return
    growth = large["records"] / small["records"]
    print(
        f"  registry job at {large['records']:,}: {large['seconds']:.1f} s (target ≤ 300),"
        f" peak RSS {large['rss']:,.0f} MiB (target ≤ 6,144)"
    )
    print(
        f"  {args.new:,} new against {large['records']:,}: {inc['seconds']:.1f} s (target ≤ 30);"
        f" {inc['seconds'] / inc['baseline']:.1f} × the same import into an empty registry"
    )
    print(
        f"  records × {growth:.1f} → pairs compared × "
        f"{large['pairs_compared'] / max(1, small['pairs_compared']):.1f},"
        f" job time × {large['seconds'] / small['seconds']:.1f} (linear: × {growth:.1f})"
    )


if __name__ == "__main__":
    main()
