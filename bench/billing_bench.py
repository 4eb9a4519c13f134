"""Monthly contributions at scale (issue 7): bill one month of a programme with 1,000,000 active
enrolments, pay it, and sweep for lapses.

    .venv/bin/python bench/billing_bench.py [--workers 1000000] [--fresh]

Uses its own PostgreSQL database with the registry benchmark's synthetic workers; the active
enrolments are inserted directly (setup, not measured). Baseline in the same run: one bare
INSERT … SELECT computing the same lines (same SQL, same rates) into an ordinary table with the
lines' columns and no key, index or constraint — written to the WAL like the lines are. The same
INSERT into a TEMP table (no WAL at all) is printed beside it for reference.
Three months are billed (each the month's first run: a new partition), the median compared with
the median of three baselines. A further run into a month already partitioned (a second
programme, a re-run after a reversal) is measured and printed too.
Targets: the monthly run ≤ 10 s and ≥ 0.5 × the baseline's speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time
from typing import Any

from common import django_setup, postgres_database
from registry_bench import build


def reset() -> None:
    """Forget an earlier run's programme, enrolments and money (the workers stay)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits"
            " WHERE inhparent = 'billing_contributionline'::regclass"
        )
        for (partition,) in cursor.fetchall():
            cursor.execute(f"DROP TABLE {partition}")
        cursor.execute(
            "TRUNCATE billing_contributionline, enrolment_enrolmenttransition,"
            " programmes_programme RESTART IDENTITY CASCADE"
        )


def enrol_everyone(programme_id: int) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO enrolment_enrolment (worker_id, programme_id, region_code, status,"
            " benefit_jkk, benefit_jkm, benefit_jht, reported_income, start_date, end_date,"
            " covered_from, kpj, bpjs_reason, hold_reason, end_reason, status_changed_at,"
            " created_at) SELECT id, %s, village_id, 'active', true, true, false,"
            " COALESCE(reported_income, 1000000), '2026-01-01', '2026-12-31', '2026-01-01',"
            " '', '', '', '', now(), now() FROM registry_worker",
            [programme_id],
        )
        cursor.execute("ANALYZE enrolment_enrolment")
        cursor.execute("SELECT count(*) FROM enrolment_enrolment")
        return int(cursor.fetchone()[0])


def baseline(programme: object, period: dt.date, *, temporary: bool = False) -> float:
    from django.db import connection, transaction

    from lindungi.billing.contributions import line_select

    select = line_select(programme, period, billed_before=False)  # type: ignore[arg-type]
    kind = "TEMP TABLE" if temporary else "TABLE"
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE {kind} bench_lines (run_id bigint, enrolment_id bigint, worker_id bigint,"
            " period date, jkk integer, jkm integer, jht integer, amount integer)"
        )
        cursor.execute(
            "INSERT INTO bench_lines SELECT 1, s.enrolment_id, s.worker_id, %s, s.jkk, s.jkm,"
            f" s.jht, s.jkk + s.jkm + s.jht FROM ({select.sql}) s",
            [period, *select.params],
        )
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_lines")
    return elapsed


def kaltim_programme(actor: Any) -> Any:
    """A fresh province programme (70/30 province–regencies) with every worker enrolled."""
    from lindungi.programmes.services import programme_create

    reset()
    programme = programme_create(
        actor=actor,
        data={
            "name": "Kaltim Bench Iuran 2026",
            "region_code": "64",
            "funder": "APBD_PROVINSI",
            "funder_name": "Pemprov Kalimantan Timur",
            "legal_basis": "Pergub (bench)",
            "budget_year": 2026,
            "budget_amount": 250_000_000_000,
            "start_date": dt.date(2026, 1, 1),
            "end_date": dt.date(2026, 12, 31),
            "targets": [{"region_code": "64"}],
            "funders": [
                {"funder": "APBD_PROVINSI", "name": "Pemprov Kaltim", "share_bp": 7000},
                {"funder": "APBD_KABKOTA", "name": "Pemkab (bersama)", "share_bp": 3000},
            ],
        },
    )
    return programme


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the bench database")
    args = parser.parse_args()
    url = postgres_database("lindungi_bench_billing", fresh=args.fresh)
    print(f"billing benchmark on {url.rsplit('@', 1)[-1]}")
    django_setup(url)
    build(args.workers)

    from lindungi.billing.selectors import programme_finance
    from lindungi.billing.services import (
        contribution_run,
        contribution_run_reverse,
        enrolments_lapse_due,
        payment_record,
    )
    from lindungi.core.actors import SystemActor

    actor = SystemActor()
    programme = kaltim_programme(actor)
    enrolled = enrol_everyone(programme.pk)
    print(f"  {enrolled:,} active enrolments")
    january = dt.date(2026, 1, 1)
    figures: dict[str, float] = {}
    floor = statistics.median(baseline(programme, january) for _ in range(3))
    figures["baseline INSERT … SELECT (median of 3)"] = floor
    figures["(same INSERT into a TEMP table, median)"] = statistics.median(
        baseline(programme, january, temporary=True) for _ in range(3)
    )

    def bill(period: dt.date, label: str) -> Any:
        start = time.perf_counter()
        outcome = contribution_run(
            actor=actor, programme_id=programme.pk, period=period, today=period
        )
        figures[label] = time.perf_counter() - start
        assert outcome.run is not None, outcome
        assert outcome.run.lines == enrolled, outcome
        print(f"  {outcome.message}")
        return outcome.run

    january, february, march = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
    runs = {
        "january": bill(january, "monthly run: January (lines + invoices)"),
        "february": bill(february, "monthly run: February (January kept)"),
        "march": bill(march, "monthly run: March (two months kept)"),
    }
    start = time.perf_counter()
    again = contribution_run(
        actor=actor, programme_id=programme.pk, period=january, today=dt.date(2026, 1, 2)
    )
    figures["same month again (nothing billed)"] = time.perf_counter() - start
    assert not again.created

    for funder, invoice in zip(
        programme.funders.order_by("-share_bp"),
        runs["january"].invoices.order_by("-share_bp"),
        strict=True,
    ):
        start = time.perf_counter()
        payment_record(
            actor=actor,
            programme_id=programme.pk,
            data={"funder_id": funder.pk, "paid_on": "2026-01-10", "amount": invoice.amount,
                  "reference": f"SP2D-{funder.pk}"},
            today=dt.date(2026, 1, 10),
        )  # fmt: skip
        figures[f"payment {funder.share_bp // 100}% (settles lines)"] = time.perf_counter() - start
    runs["january"].refresh_from_db()
    assert runs["january"].paid_on is not None

    start = time.perf_counter()
    finance = programme_finance(programme, on=dt.date(2026, 1, 15))
    figures["finance summary + forecast"] = time.perf_counter() - start
    print(
        f"  invoiced Rp{finance.invoiced:,}, paid Rp{finance.paid:,}, runs out"
        f" {finance.runout_date or 'after the programme'}"
    )
    start = time.perf_counter()
    lapsed = enrolments_lapse_due(on=dt.date(2026, 5, 20))
    figures["lapse sweep (unpaid months, none past limit)"] = time.perf_counter() - start
    assert not lapsed

    start = time.perf_counter()
    contribution_run_reverse(actor=actor, run_id=runs["february"].pk, note="bench")
    figures["reversal of February (lines deleted)"] = time.perf_counter() - start
    bill(february, "February again (into its partition)")

    print("\nfigures (seconds):")
    for name, seconds in figures.items():
        print(f"  {name:<46} {seconds:7.2f}  ({seconds / floor:5.1f}× baseline)")
    months = [value for name, value in figures.items() if name.startswith("monthly run:")]
    run = statistics.median(months)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nmonthly run over {enrolled:,} enrolments (median of 3 months, slowest"
        f" {max(months):.2f} s): {run:.2f} s"
        f" (target ≤ 10 s); speed {floor / run:.2f} × the bare INSERT … SELECT (target ≥ 0.5);"
        f" RSS {rss:.0f} MiB"
    )
    again_run = figures["February again (into its partition)"]
    print(
        f"a further run into a month already partitioned (another programme, a re-run):"
        f" {again_run:.2f} s, speed {floor / again_run:.2f} ×"
    )


if __name__ == "__main__":
    main()
