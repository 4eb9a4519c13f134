"""Partitioning the registry by region (issue 10, docs/scale-out.md), measured at a smaller scale.

    .venv/bin/python bench/partition_bench.py [--requests 100] [--insert 100000]

Needs the registry benchmark's database (1,000,000 workers of Kalimantan Timur:
`bench/registry_bench.py --fresh` builds it). The national design partitions `registry_worker`
by province; the benchmark data is one province, so this run partitions one level down, by
regency (10 partitions of 14,000–228,000 workers): the same mechanism at a tenth of the scale.

Builds two copies of the workers with the registry's own indexes — `bench_flat` (one table,
as today) and `bench_part` (LIST-partitioned on a `regency_code` column) — and measures, in the
same run, the queries a regency makes (first list page, name search, the count of a dashboard),
an import of new workers into one regency, the maintenance of one regency (VACUUM ANALYZE),
and taking a regency out (DETACH PARTITION CONCURRENTLY: how a province moves to its own node).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import psycopg
from common import postgres_database

COLUMNS = "id, nik, full_name, name_phonetic, village_id, birth_date, sex, merged_into_id"
DOC = (  # the registry's search document (registry migrations 0010, 0012)
    "array_to_tsvector(array_remove(string_to_array((name_phonetic::text || ' '"
    " || left(replace(village_id::text, '.', ''), 2) || ' '"
    " || left(replace(village_id::text, '.', ''), 4) || ' '"
    " || left(replace(village_id::text, '.', ''), 6) || ' '"
    " || replace(village_id::text, '.', '')), ' '), ''))"
)


def build(cur: psycopg.Cursor, regencies: list[str]) -> None:
    cur.execute("DROP TABLE IF EXISTS bench_flat, bench_part, bench_detached CASCADE")
    select = f"SELECT {COLUMNS}, left(village_id, 5) AS regency_code FROM registry_worker"
    started = time.perf_counter()
    cur.execute(f"CREATE TABLE bench_flat AS {select}")
    cur.execute("ALTER TABLE bench_flat ADD PRIMARY KEY (id)")
    cur.execute("CREATE UNIQUE INDEX ON bench_flat (nik)")
    cur.execute("CREATE INDEX ON bench_flat (village_id varchar_pattern_ops, id)")
    cur.execute(f"CREATE INDEX bench_flat_search ON bench_flat USING gin ({DOC})")
    flat = time.perf_counter() - started
    started = time.perf_counter()
    cur.execute(
        "CREATE TABLE bench_part (LIKE bench_flat INCLUDING DEFAULTS) PARTITION BY LIST (regency_code)"
    )
    for code in regencies:
        cur.execute(
            f"CREATE TABLE bench_part_{code.replace('.', '_')} PARTITION OF bench_part"
            f" FOR VALUES IN ('{code}')"
        )
    cur.execute(f"INSERT INTO bench_part {select}")
    # A unique index of a partitioned table must hold the partition key: NIK is unique per
    # regency here, not across them (see docs/scale-out.md for what that means nationally).
    cur.execute("ALTER TABLE bench_part ADD PRIMARY KEY (id, regency_code)")
    cur.execute("CREATE UNIQUE INDEX ON bench_part (nik, regency_code)")
    cur.execute("CREATE INDEX ON bench_part (village_id varchar_pattern_ops, id)")
    cur.execute(f"CREATE INDEX bench_part_search ON bench_part USING gin ({DOC})")
    part = time.perf_counter() - started
    print(f"  built: one table {flat:.1f} s, partitioned {part:.1f} s (copy + indexes)")


def timed(cur: psycopg.Cursor, sql: str, params: tuple) -> float:
    started = time.perf_counter()
    cur.execute(sql, params)
    cur.fetchall()
    return (time.perf_counter() - started) * 1000


def queries(cur: psycopg.Cursor, regencies: list[str], requests: int) -> None:
    rng = random.Random(7)
    names = {}
    for code in regencies:
        cur.execute(
            "SELECT name_phonetic FROM bench_flat WHERE regency_code = %s ORDER BY id LIMIT 200",
            (code,),
        )
        names[code] = [row[0].split() for row in cur.fetchall()]
    plans = {
        "list first page (regency, newest)": (
            "SELECT id, full_name FROM {t} WHERE village_id LIKE %s AND merged_into_id IS NULL"
            " {key} ORDER BY id DESC LIMIT 25"
        ),
        "name search (regency)": (
            f"SELECT id, full_name FROM {{t}} WHERE {DOC} @@ to_tsquery('simple', %s)"
            " AND village_id LIKE %s {key} ORDER BY id DESC LIMIT 25"
        ),
        "count (regency dashboard)": "SELECT count(*) FROM {t} WHERE village_id LIKE %s {key}",
    }
    print(f"  {'query':36} {'one table p50/p95':>20} {'partitioned p50/p95':>22}  (ms)")
    for label, template in plans.items():
        samples: dict[str, list[float]] = {"flat": [], "part": []}
        for _ in range(requests):
            code = rng.choice(regencies)
            tokens = rng.choice(names[code])
            tsquery = " & ".join([f"{t}:*" for t in tokens[:2]] + [code.replace(".", "")])
            scope = (f"{code}.%",)
            params = (tsquery, *scope) if "search" in label else scope
            for table in ("flat", "part"):
                key = "AND regency_code = %s" if table == "part" else ""
                sql = template.format(t=f"bench_{table}", key=key)
                samples[table].append(
                    timed(cur, sql, params + ((code,) if table == "part" else ()))
                )
        figures = {
            table: (
                statistics.median(values),
                sorted(values)[max(0, round(0.95 * len(values)) - 1)],
            )
            for table, values in samples.items()
        }
        print(
            f"  {label:36} {figures['flat'][0]:8.1f} / {figures['flat'][1]:7.1f}"
            f"   {figures['part'][0]:9.1f} / {figures['part'][1]:7.1f}"
        )


def insert(cur: psycopg.Cursor, regency: str, rows: int) -> None:
    """New workers for one regency, into each layout, rolled back after timing."""
    cur.execute("SELECT max(id) FROM bench_flat")
    top = cur.fetchone()[0]
    cur.execute(
        "CREATE TEMP TABLE bench_new AS"
        f" SELECT {COLUMNS}, regency_code FROM bench_flat WHERE regency_code = %s LIMIT %s",
        (regency, rows),
    )
    cur.execute(
        "UPDATE bench_new SET id = id + %s, nik = lpad((id + %s)::text, 16, '9')", (top, top)
    )
    figures = {}
    for table in ("flat", "part"):
        cur.execute("SAVEPOINT bench")
        started = time.perf_counter()
        cur.execute(f"INSERT INTO bench_{table} SELECT * FROM bench_new")
        figures[table] = time.perf_counter() - started
        cur.execute("ROLLBACK TO SAVEPOINT bench")
    cur.execute("DROP TABLE bench_new")
    count = rows
    print(
        f"  import of {count:,} new workers into {regency}: one table {figures['flat']:.1f} s"
        f" ({count / figures['flat']:,.0f} rows/s), partitioned {figures['part']:.1f} s"
        f" ({count / figures['part']:,.0f} rows/s)"
    )


def maintenance(conn: psycopg.Connection, regency: str) -> None:
    conn.autocommit = True
    with conn.cursor() as cur:
        partition = f"bench_part_{regency.replace('.', '_')}"
        timings = {}
        for label, sql in (
            ("VACUUM ANALYZE, one table", "VACUUM ANALYZE bench_flat"),
            (f"VACUUM ANALYZE, partition {regency}", f"VACUUM ANALYZE {partition}"),
            (
                f"DETACH PARTITION {regency} CONCURRENTLY",
                f"ALTER TABLE bench_part DETACH PARTITION {partition} CONCURRENTLY",
            ),
        ):
            started = time.perf_counter()
            cur.execute(sql)
            timings[label] = time.perf_counter() - started
        for label, seconds in timings.items():
            print(f"  {label:44} {seconds:6.2f} s")
        cur.execute(f"SELECT count(*) FROM {partition}")
        print(
            f"  the detached regency keeps its {cur.fetchone()[0]:,} workers as a table of its own"
        )
        cur.execute("DROP TABLE IF EXISTS bench_flat, bench_part CASCADE")
        cur.execute(f"DROP TABLE IF EXISTS {partition}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--insert", type=int, default=100_000)
    args = parser.parse_args()
    url = postgres_database("lindungi_bench_registry", fresh=False)
    print(f"partition benchmark on {url.rsplit('@', 1)[-1]}")
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM registry_worker")
            total = cur.fetchone()[0]
            if total < 100_000:
                raise SystemExit("build the registry first: bench/registry_bench.py --fresh")
            cur.execute("SELECT DISTINCT left(village_id, 5) FROM registry_worker ORDER BY 1")
            regencies = [row[0] for row in cur.fetchall()]
            print(f"  {total:,} workers in {len(regencies)} regencies")
            cur.execute("SET max_parallel_workers_per_gather = 0")  # as the application's lists
            build(cur, regencies)
            conn.commit()
            conn.autocommit = True
            cur.execute("VACUUM ANALYZE bench_flat")
            cur.execute("VACUUM ANALYZE bench_part")
            conn.autocommit = False
            queries(cur, regencies, args.requests)
            largest = "64.02"
            insert(cur, largest, args.insert)
            conn.commit()
        maintenance(conn, largest)


if __name__ == "__main__":
    main()
