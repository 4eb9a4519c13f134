"""Registry at scale (issue 3): list, NIK lookup and name search over 1,000,000 workers.

    .venv/bin/python bench/registry_bench.py [--workers 1000000] [--requests 200] [--fresh]

Builds the workers itself (synthetic, valid NIKs, spread over Kalimantan Timur's villages),
loads them with COPY into a dedicated PostgreSQL database, then measures the server time of
API requests made in-process (no network), as a regency admin of Kutai Kartanegara and a
province admin of Kalimantan Timur. Prints p50/p95/max per query. Target: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from common import django_setup, percentiles, postgres_database, timed


def build(n: int) -> None:
    import polars as pl
    from django.db import connection
    from django.utils import timezone

    from lindungi.core.bulk import copy_frame
    from lindungi.regions.models import Region
    from lindungi.regions.services import regions_load
    from lindungi.registry.models import Worker
    from lindungi.registry.synth import synth_workers
    from lindungi.registry.validation import WorkerValidator

    if not Region.objects.filter(code="64.02.06.1002").exists():
        stop = timed("load regions")
        regions_load()
        stop()
    have = Worker.objects.count()
    if have == n:
        print(f"  reusing {have:,} workers")
        return
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_worker RESTART IDENTITY CASCADE")
    stop = timed(f"synthesise {n:,} workers")
    frame = synth_workers(n, seed=42, region_code="64")
    stop()
    stop = timed("validate and normalise (the import validator)")
    out = WorkerValidator(root_code="64").validate_frame(
        frame.select(
            "nik",
            "kk_number",
            "full_name",
            "birth_place",
            pl.col("birth_date").cast(pl.String),
            "sex",
            pl.col("village_code").alias("village"),
            "address",
            "rt",
            "rw",
            "phone",
            "occupation",
            pl.col("reported_income").cast(pl.String),
        )
    )
    stop()
    assert out.filter(pl.col("errors").list.len() > 0).height == 0
    now = timezone.now().isoformat()
    rows = out.select(
        "nik",
        "kk_number",
        "full_name",
        "name_key",
        "name_phonetic",
        "birth_place",
        "birth_date",
        "sex",
        pl.col("village_code").alias("village_id"),
        "address",
        "rt",
        "rw",
        "phone",
        pl.col("occupation_code").alias("occupation_id"),
        "occupation_text",
        "reported_income",
        pl.lit("{}").alias("raw"),
        pl.lit("import").alias("source"),
        # a fifth still waits for verification, as in a real regency
        pl.when(pl.int_range(pl.len()) % 5 == 0)
        .then(pl.lit("pending"))
        .otherwise(pl.lit("verified"))
        .alias("verification_status"),
        pl.lit("[]").alias("verification_notes"),
        pl.lit("active").alias("life_status"),
        pl.lit(1).alias("version"),
        pl.lit(now).alias("created_at"),
        pl.lit(now).alias("updated_at"),
    )
    stop = timed("COPY into registry_worker")
    copy_frame("registry_worker", rows)
    stop()
    stop = timed("VACUUM ANALYZE")
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_worker")
    stop()


def measure(requests: int) -> list[tuple[str, dict[str, float], float]]:
    from django.test import Client

    from lindungi.accounts.models import User
    from lindungi.accounts.services import token_issue, user_create
    from lindungi.registry.models import Worker

    def user(username: str, role: str, region: str) -> User:
        existing = User.objects.filter(username=username).first()
        return existing or user_create(
            actor=None, username=username, password="Bench#Pass2026", role=role, region_code=region
        )

    regency = user("bench.kukar", "regency_admin", "64.02")
    province = user("bench.kaltim", "province_admin", "64")
    rng = random.Random(7)
    kukar = list(
        Worker.objects.filter(village__code__startswith="64.02.")
        .values_list("nik", "full_name")
        .order_by("?")[:2000]
    )
    in_scope = Worker.objects.filter(village__code__startswith="64.02.").count()
    print(f"  workers: {Worker.objects.count():,}; in Kutai Kartanegara: {in_scope:,}")

    def auth(u: User) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=u)[1]}"}

    cases = [
        ("list first page (regency, newest)", regency, lambda: {}),
        ("list first page (regency, by name)", regency, lambda: {"sort": "name"}),
        ("list first page (province, newest)", province, lambda: {}),
        ("NIK lookup {nik}", regency, lambda: {"nik": rng.choice(kukar)[0]}),
        ("NIK search {q: <16 digits>}", regency, lambda: {"q": rng.choice(kukar)[0]}),
        ("name search {q: <full name>}", regency, lambda: {"q": rng.choice(kukar)[1]}),
        ("name search with a typo", regency, lambda: {"q": _typo(rng.choice(kukar)[1], rng)}),
        ("name search (province)", province, lambda: {"q": rng.choice(kukar)[1]}),
        (
            "filter sex+age band+occupation",
            regency,
            lambda: {"sex": "P", "age_band": "25-34", "occupation": "nelayan"},
        ),
        ("filter pending verification", regency, lambda: {"verification_status": "pending"}),
    ]
    client = Client()

    def call(query: dict[str, str], headers: dict[str, str]) -> Any:
        # NIKs and names are searched in a POST body (never in a URL); other filters list.
        if {"q", "nik"} & set(query):
            return client.post(
                "/api/v1/workers/search", query, content_type="application/json", **headers
            )
        return client.get("/api/v1/workers", query, **headers)

    results = []
    for label, who, params in cases:
        headers = auth(who)
        call(params(), headers)  # warm
        samples = []
        hits = 0
        for _ in range(requests):
            query = params()
            start = time.perf_counter()
            response = call(query, headers)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content[:300]
            hits += len(response.json()["items"]) > 0
        stats = percentiles(samples)
        results.append((label, stats, hits / requests))
        print(
            f"  {label:<40} p50 {stats['p50']:6.1f} ms  p95 {stats['p95']:6.1f} ms"
            f"  max {stats['max']:6.1f} ms  found {hits}/{requests}",
            flush=True,
        )
    return results


def _typo(name: str, rng: random.Random) -> str:
    # drop one letter of the longest word, keeping its first letter
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) > 3:
        j = rng.randrange(1, len(word))
        words[i] = word[:j] + word[j + 1 :]
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the bench database")
    args = parser.parse_args()
    url = postgres_database("lindungi_bench_registry", fresh=args.fresh)
    print(f"registry benchmark on {url.rsplit('@', 1)[-1]}")
    django_setup(url)
    build(args.workers)
    results = measure(args.requests)
    worst = max(stats["p95"] for _, stats, _ in results)
    print(
        f"\nworst p95: {worst:.1f} ms (target < 100 ms) — {'OK' if worst < 100 else 'OVER TARGET'}"
    )


if __name__ == "__main__":
    main()
