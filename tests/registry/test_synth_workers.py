import csv

import polars as pl
import pytest
from django.core.management import call_command

from lindungi.registry.validation import WorkerValidator

pytestmark = pytest.mark.django_db


def test_synthetic_workers_are_valid_and_duplicates_have_ground_truth(regions, tmp_path):
    out = tmp_path / "kukar.csv"
    call_command("synth_workers", count=400, seed=5, dup_rate=0.1, region="64.02", out=str(out))
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.height == 400
    assert frame.columns[:3] == ["NO", "NIK", "NAMA LENGKAP"]
    truth = list(csv.DictReader((tmp_path / "kukar.truth.csv").open()))
    assert len(truth) == 400
    people = {}
    for row in truth:
        people.setdefault(row["person_id"], []).append(row["record_id"])
    assert sum(len(ids) - 1 for ids in people.values()) == 40  # 10% second listings
    validated = WorkerValidator(root_code="64.02").validate_frame(
        frame.select(
            pl.col("NIK").alias("nik"),
            pl.col("NAMA LENGKAP").alias("full_name"),
            pl.col("TANGGAL LAHIR").alias("birth_date"),
            pl.col("L/P").alias("sex"),
            pl.col("DESA/KELURAHAN").alias("village"),
        )
    )
    originals = {ids[0] for ids in people.values()}
    first = validated.with_row_index("i").filter(
        pl.col("i").cast(pl.String).is_in([str(int(r) - 1) for r in originals])
    )
    assert first.filter(pl.col("errors").list.len() > 0).height == 0  # real people are valid


def test_synthetic_xlsx_is_a_messy_village_file(regions, tmp_path):
    from lindungi.core.spreadsheets.readers import read_table
    from lindungi.imports.columns import WORKER_LIST

    out = tmp_path / "desa.xlsx"
    call_command("synth_workers", count=50, seed=2, region="64.02.06", out=str(out))
    table = read_table(out, "desa.xlsx", spec=WORKER_LIST)
    assert table.header.row_index == 3  # title rows above the header
    assert table.frame.height > 50  # total and signature lines below the data
