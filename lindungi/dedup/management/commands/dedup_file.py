"""`python manage.py dedup_file IN.csv --out OUT.csv [--threshold P]`

Finds the records of one person in any person list (see `lindungi.dedup.persons`) and writes
`id,cluster_id` for every row. The last line printed is a JSON summary.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.dedup import engine
from lindungi.dedup.persons import PersonListError, dedup_person_list, write_clusters


class Command(BaseCommand):
    help = "Mencari data ganda (orang yang sama) dalam daftar orang CSV; menulis id,cluster_id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "input", help="CSV: id,nik,full_name,birth_date,sex,address,village_code"
        )
        parser.add_argument("--out", required=True, help="CSV keluaran: id,cluster_id")
        parser.add_argument(
            "--threshold",
            type=float,
            default=engine.CLUSTER_THRESHOLD,
            help=f"probabilitas minimum untuk dianggap orang yang sama (bawaan {engine.CLUSTER_THRESHOLD})",
        )
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"])
        if not source.is_file():
            raise CommandError(f"Berkas {source} tidak ditemukan.")
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold harus di antara 0 dan 1 (mis. 0.9).")
        started = time.perf_counter()
        try:
            result = dedup_person_list(source, threshold=options["threshold"], seed=options["seed"])
        except PersonListError as exc:
            raise CommandError(str(exc)) from exc
        write_clusters(result, Path(options["out"]))
        clusters = result.clusters["cluster_id"].n_unique()
        if result.unreadable_dates:
            self.stderr.write(
                f"{result.unreadable_dates} tanggal lahir bukan YYYY-MM-DD; dianggap tidak diketahui."
            )
        self.stdout.write(
            json.dumps(
                {
                    "records": result.records,
                    "clusters": clusters,
                    "records_in_groups": result.records - clusters,
                    "pairs_compared": result.pairs_compared,
                    "pairs_matched": result.pairs_found,
                    "threshold": options["threshold"],
                    "model_version": result.model.version,
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
        )
