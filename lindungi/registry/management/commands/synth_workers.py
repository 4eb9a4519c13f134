"""`python manage.py synth_workers --count N --seed S [--dup-rate R] [--region CODE] --out FILE`

Writes realistic synthetic Indonesian workers as the CSV or Excel file a village would keep
(Excel: title rows, the header on row 4, a total row and signatures at the bottom). With
--dup-rate, a share R of the records are second listings of other records, with realistic slips;
the ground truth `record_id,person_id` is written beside the file (FILE.truth.csv).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindungi.regions.models import Level, Region
from lindungi.regions.names import name_key
from lindungi.registry.perturb import perturb_record
from lindungi.registry.synth import synth_workers

HEADERS = [
    "NO", "NIK", "NAMA LENGKAP", "TEMPAT LAHIR", "TANGGAL LAHIR", "L/P", "ALAMAT", "RT/RW",
    "DESA/KELURAHAN", "NO. HP", "PEKERJAAN", "PENGHASILAN",
]  # fmt: skip


def synth_records(count: int, *, seed: int, dup_rate: float, region: str) -> list[dict[str, Any]]:
    duplicates = round(count * dup_rate)
    base = synth_workers(count - duplicates, seed=seed, region_code=region)
    records = base.to_dicts()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    villages = sorted({r["village_code"] for r in records})
    originals = count - duplicates
    for _ in range(duplicates):
        original = records[rng.randrange(originals)]  # a slice per pick would be O(n²)
        records.append(perturb_record(original, rng, villages))
    rng.shuffle(records)
    return records


def village_labels(region: str) -> dict[str, str]:
    """Village code → how the file names it: the name, or the code where the name repeats."""
    villages = Region.objects.filter(level=Level.VILLAGE, is_active=True)
    villages = villages.filter(code__startswith=f"{region}.") | villages.filter(code=region)
    pairs = list(villages.values_list("code", "name"))
    seen: dict[str, int] = {}
    for _, name in pairs:
        seen[name_key(name, "village")] = seen.get(name_key(name, "village"), 0) + 1
    return {code: (name if seen[name_key(name, "village")] == 1 else code) for code, name in pairs}


def rows_for(records: list[dict[str, Any]], region: str) -> list[list[str]]:
    labels = village_labels(region)
    return [
        [
            str(number),
            r["nik"],
            r["full_name"],
            r["birth_place"],
            r["birth_date"].strftime("%d-%m-%Y"),
            r["sex"],
            r["address"],
            f"{r['rt']}/{r['rw']}",
            labels.get(r["village_code"], r["village_code"]),
            r["phone"],
            r["occupation"],
            f"{r['reported_income']:,}".replace(",", "."),
        ]
        for number, r in enumerate(records, start=1)
    ]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    frame = pl.DataFrame(rows, schema=HEADERS, orient="row")
    frame.write_csv(path)


PERSON_HEADERS = ["id", "nik", "full_name", "birth_date", "sex", "address", "village_code", "phone"]


def write_person_list(path: Path, records: list[dict[str, Any]]) -> None:
    """The plain person-list layout of `dedup_file`: one row per record, ISO dates, codes."""
    frame = pl.DataFrame(
        {
            "id": list(range(1, len(records) + 1)),
            "nik": [r["nik"] for r in records],
            "full_name": [r["full_name"] for r in records],
            "birth_date": [r["birth_date"].isoformat() for r in records],
            "sex": [r["sex"] for r in records],
            "address": [r["address"] for r in records],
            "village_code": [r["village_code"] for r in records],
            "phone": [r["phone"] for r in records],
        }
    )
    frame.select(PERSON_HEADERS).write_csv(path)


def write_xlsx(path: Path, rows: list[list[str]], region_name: str) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Data")
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
    sheet.write_string(0, 0, "DAFTAR PEKERJA RENTAN PESERTA BPJS KETENAGAKERJAAN", bold)
    sheet.write_string(1, 0, f"{region_name.upper()} TAHUN 2026", bold)
    for column, title in enumerate(HEADERS):
        sheet.write_string(3, column, title, header)
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value)  # NIKs as text, as they must be
    last = 4 + len(rows)
    sheet.write_string(last, 1, "JUMLAH", bold)
    sheet.write_number(last, 2, len(rows))
    sheet.write_string(last + 2, 9, "Mengetahui,")
    sheet.write_string(last + 3, 9, "Kepala Desa")
    sheet.write_string(last + 6, 9, "(...........................)")
    workbook.close()


class Command(BaseCommand):
    help = (
        "Membuat data pekerja sintetis yang realistis (CSV/Excel), dengan data ganda bila diminta."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--dup-rate", type=float, default=0.0)
        parser.add_argument("--region", default="64.02")
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--layout",
            choices=["village", "persons"],
            default="village",
            help="village: the file a village keeps (for import_workers); "
            "persons: id,nik,full_name,birth_date,… with ISO dates (for dedup_file)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("--out harus berakhiran .csv atau .xlsx")
        if not 0 <= options["dup_rate"] < 1:
            raise CommandError("--dup-rate harus antara 0 dan 1")
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(
                f"Wilayah {options['region']} tidak ditemukan (jalankan load_regions)."
            )
        records = synth_records(
            options["count"], seed=options["seed"], dup_rate=options["dup_rate"], region=region.code
        )
        if options["layout"] == "persons":
            if out.suffix.lower() != ".csv":
                raise CommandError("--layout persons menulis CSV: --out harus berakhiran .csv")
            write_person_list(out, records)
        rows = [] if options["layout"] == "persons" else rows_for(records, region.code)
        if options["layout"] == "persons":
            pass
        elif out.suffix.lower() == ".csv":
            write_csv(out, rows)
        else:
            write_xlsx(out, rows, region.name)
        truth = out.with_name(out.stem + ".truth.csv")
        with truth.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", "person_id"])
            for number, record in enumerate(records, start=1):
                writer.writerow([number, record["person_id"]])
        self.stdout.write(f"{len(records)} baris ditulis ke {out}; kebenaran dasar di {truth}")
