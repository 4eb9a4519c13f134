"""Deduplicating any person list (`dedup_file`): read, match, cluster, write.

Input: a CSV with a header; `id`, `full_name` and `birth_date` are required, `nik`, `sex`,
`address`, `village_code` and `phone` optional; every value but `id` may be empty, and `nik`
may be any identifier. Output: `id,cluster_id` for every input row, in input order; rows judged
to be the same person share a `cluster_id` (the `id` of the cluster's first row).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from . import engine

REQUIRED = ("id", "full_name", "birth_date")
# Below this many records the data cannot teach the model much: the shipped model is used.
MIN_TRAINING_RECORDS = 1_000


class PersonListError(ValueError):
    """The file cannot be read as a person list; the message says why (in Indonesian)."""


@dataclass(frozen=True)
class DedupResult:
    clusters: pl.DataFrame  # id (as given), cluster_id
    records: int
    pairs_compared: int
    pairs_found: int
    unreadable_dates: int
    model: engine.Model


def read_person_list(path: Path) -> tuple[pl.DataFrame, int]:
    """The records as engine input (`id` numbered 0…n-1) plus the ids as given in `given_id`."""
    try:
        raw = pl.read_csv(
            path,
            infer_schema=False,
            encoding="utf8-lossy",
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, OSError) as exc:
        raise PersonListError(f"Berkas tidak dapat dibaca sebagai CSV: {exc}") from exc
    raw = raw.rename({c: c.strip().lstrip("\ufeff").lower() for c in raw.columns})
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise PersonListError("Kolom wajib tidak ada: " + ", ".join(missing))
    ids = raw["id"].str.strip_chars()
    if ids.is_null().any() or (ids == "").any():
        row = int(((ids.is_null()) | (ids == "")).arg_true()[0]) + 2
        raise PersonListError(f"Baris {row}: kolom id kosong; setiap baris wajib punya id.")
    if ids.is_duplicated().any():
        dup = ids.filter(ids.is_duplicated())[0]
        raise PersonListError(f"id {dup!r} muncul lebih dari sekali; id harus unik.")
    text_dates = raw["birth_date"].str.strip_chars()
    dates = text_dates.str.to_date("%Y-%m-%d", strict=False)
    unreadable = int((dates.is_null() & text_dates.is_not_null() & (text_dates != "")).sum())
    frame = raw.with_columns(
        pl.int_range(0, pl.len(), dtype=pl.Int64).alias("id"),
        ids.alias("given_id"),
        dates.alias("birth_date"),
    )
    return frame, unreadable


def dedup_person_list(
    path: Path, *, threshold: float = engine.CLUSTER_THRESHOLD, seed: int = 42
) -> DedupResult:
    frame, unreadable = read_person_list(path)
    prepared = engine.prepare(frame)
    start = engine.default_model()
    model = (
        engine.train(prepared, seed=seed, start=start)
        if prepared.height >= MIN_TRAINING_RECORDS
        else engine.scaled_model(start, prepared.height)
    )
    prediction = engine.predict(prepared, model, threshold=min(threshold, engine.REVIEW_THRESHOLD))
    labels = engine.clusters(frame["id"], prediction.pairs, threshold)
    given = frame.select("id", "given_id")
    out = (
        given.join(labels, on="id", how="left")
        .join(
            given.rename({"id": "cluster_id", "given_id": "cluster_given"}),
            on="cluster_id",
            how="left",
        )
        .sort("id")
        .select(pl.col("given_id").alias("id"), pl.col("cluster_given").alias("cluster_id"))
    )
    found = prediction.pairs.filter(pl.col("match_probability") >= threshold).height
    return DedupResult(
        clusters=out,
        records=frame.height,
        pairs_compared=prediction.pairs_compared,
        pairs_found=found,
        unreadable_dates=unreadable,
        model=model,
    )


def write_clusters(result: DedupResult, out: Path) -> None:
    buffer = io.BytesIO()
    result.clusters.write_csv(buffer)
    out.write_bytes(buffer.getvalue())
