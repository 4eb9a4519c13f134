"""Enrolment at scale (issue 6): propose and create a batch of 100,000 enrolments out of
1,000,000 workers, then submit it, export its BPJS file and apply a 100,000-row answer.

    .venv/bin/python bench/enrolment_bench.py [--workers 1000000] [--batch 100000] [--fresh]

Uses its own PostgreSQL database with the registry benchmark's synthetic workers of Kalimantan
Timur (a fifth still unverified). A province programme targets the whole province; the batch
is limited to --batch workers. Baseline in the same run: a bare INSERT … SELECT of the same
number of rows into a scratch table (the floor any set-based batch can reach).
Target: propose + create ≤ 20 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import resource
import time

from common import django_setup, postgres_database, timed
from registry_bench import build


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE enrolment_enrolmenttransition, enrolment_returnimport, enrolment_enrolment,"
            " enrolment_enrolmentbatch, programmes_programmetarget, programmes_programmefunder,"
            " programmes_programme RESTART IDENTITY CASCADE"
        )


def baseline(n: int) -> float:
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_baseline AS SELECT id AS worker_id, village_id AS region_code,"
            " 1 AS programme_id, 'draft'::varchar AS status, now() AS created_at"
            " FROM registry_worker WHERE verification_status = 'verified' ORDER BY id LIMIT %s",
            [n],
        )
        cursor.execute("DROP TABLE bench_baseline")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the bench database")
    args = parser.parse_args()
    url = postgres_database("lindungi_bench_enrolment", fresh=args.fresh)
    print(f"enrolment benchmark on {url.rsplit('@', 1)[-1]}")
    django_setup(url)
    build(args.workers)
    reset()

    from lindungi.core.actors import SystemActor
    from lindungi.enrolment.exchange import batch_file, return_import_create, return_import_run
    from lindungi.enrolment.models import Enrolment
    from lindungi.enrolment.services import batch_create, batch_submit, eligibility_preview
    from lindungi.programmes.services import programme_create

    actor = SystemActor()
    programme = programme_create(
        actor=actor,
        data={
            "name": "Kaltim Peduli Pekerja Rentan 2026",
            "region_code": "64",
            "funder": "APBD_PROVINSI",
            "funder_name": "Pemprov Kalimantan Timur",
            "legal_basis": "Pergub (bench)",
            "budget_year": 2026,
            "start_date": dt.date(2026, 1, 1),
            "end_date": dt.date(2026, 12, 31),
            "priority_occupations": ["nelayan"],
            "targets": [{"region_code": "64"}],
        },
    )
    figures: dict[str, float] = {}
    floor = baseline(args.batch)
    figures["baseline INSERT … SELECT"] = floor

    start = time.perf_counter()
    preview = eligibility_preview(
        actor=actor, programme_id=programme.pk, start_date=dt.date(2026, 1, 1), limit=args.batch
    )
    figures["propose (eligibility preview)"] = time.perf_counter() - start
    print(
        f"  eligible {preview.eligible:,} of {sum(preview.reasons.values()):,};"
        f" proposed {preview.proposed:,}; reasons {preview.reasons}"
    )
    start = time.perf_counter()
    batch = batch_create(
        actor=actor, programme_id=programme.pk, start_date=dt.date(2026, 1, 1), limit=args.batch
    )
    figures["create batch"] = time.perf_counter() - start
    created = Enrolment.objects.filter(batch=batch).count()
    assert created == args.batch, created

    stop = timed("submit")
    start = time.perf_counter()
    batch_submit(actor=actor, batch_id=batch.pk)
    figures["submit"] = time.perf_counter() - start
    stop()
    for fmt in ("csv", "xlsx"):
        start = time.perf_counter()
        _, _, handle = batch_file(actor=actor, batch_id=batch.pk, fmt=fmt)
        size = len(handle.read())
        figures[f"export {fmt} ({size / 1e6:.1f} MB)"] = time.perf_counter() - start

    niks = Enrolment.objects.filter(batch=batch).values_list("worker__nik", flat=True)
    lines = ["NIK;KPJ;STATUS;ALASAN"]
    for number, nik in enumerate(niks.iterator(chunk_size=10_000)):
        if number % 50 == 0:
            lines.append(f"{nik};;DITOLAK;NIK tidak ditemukan di Dukcapil")
        else:
            lines.append(f"{nik};{26_0000_0000 + number:011d};DITERIMA;")
    ret = return_import_create(
        actor=actor,
        batch_id=batch.pk,
        file=io.BytesIO("\n".join(lines).encode()),
        file_name="jawaban.csv",
        background=False,
    )
    start = time.perf_counter()
    ret = return_import_run(ret=ret, actor=actor)
    figures["apply BPJS answer + activate"] = time.perf_counter() - start
    print(f"  answer: accepted {ret.accepted:,}, refused {ret.refused:,}, active {ret.activated:,}")

    print("\nfigures (seconds):")
    for name, seconds in figures.items():
        print(f"  {name:<34} {seconds:7.2f}  ({seconds / floor:5.1f}× baseline)")
    total = figures["propose (eligibility preview)"] + figures["create batch"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\npropose + create {args.batch:,}: {total:.2f} s (target ≤ 20 s) —"
        f" {'OK' if total <= 20 else 'OVER TARGET'}; peak RSS {rss:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
