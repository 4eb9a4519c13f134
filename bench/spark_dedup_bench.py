"""The deduplication model on Splink's Spark backend (issue 10, docs/scale-out.md).

    .venv/bin/pip install 'pyspark>=3.5,<4'      # not a dependency: a national job's engine
    .venv/bin/python bench/spark_dedup_bench.py [--records 20000]

Lindungi trains and predicts with Splink on DuckDB (lindungi/dedup/engine.py). The national
path runs the same model on Spark. This run takes a synthetic person list with 10% planted
duplicates, trains the model on DuckDB, then predicts the pairs with that one model on both
backends — DuckDB, and Spark in local mode on this machine's two cores with Splink's similarity
jar — and compares: the pairs found, their probabilities, and precision/recall against the
truth. The engine's comparisons are written in DuckDB SQL; `spark_settings` below rewrites
them for Spark (quoting, and the list and date functions that differ), which is the whole port.
"""

from __future__ import annotations

import argparse
import io
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from common import django_setup

# DuckDB → Spark SQL for the constructs the engine uses.
_REWRITES = [
    (r"jaro_winkler_similarity\(", "jaro_winkler("),
    (r'list_has_all\("(\w+)", "(\w+)"\)', r"size(array_except(`\2`, `\1`)) = 0"),
    (r"len\(list_intersect\(", "size(array_intersect("),
    (r'len\("(\w+)"\)', r"size(`\1`)"),
    (r"date_diff\('day', \"(\w+)\", \"(\w+)\"\)", r"datediff(`\2`, `\1`)"),
    (r'"(\w+)"', r"`\1`"),
]


def to_spark(sql: str) -> str:
    for pattern, replacement in _REWRITES:
        sql = re.sub(pattern, replacement, sql)
    return sql


def spark_settings(settings: dict[str, Any]) -> dict[str, Any]:
    out = dict(settings, sql_dialect="spark")
    out["comparisons"] = [
        dict(
            comparison,
            comparison_levels=[
                dict(level, sql_condition=to_spark(level["sql_condition"]))
                for level in comparison["comparison_levels"]
            ],
        )
        for comparison in settings["comparisons"]
    ]
    out["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": to_spark(rule if isinstance(rule, str) else rule["blocking_rule"]),
         "sql_dialect": "spark"}
        for rule in settings["blocking_rules_to_generate_predictions"]
    ]  # fmt: skip
    return out


def spark_predict(prepared: Any, settings: dict[str, Any], threshold: float) -> tuple[Any, float]:
    import polars as pl
    from pyspark.sql import SparkSession
    from splink import Linker
    from splink.backends.spark import SparkAPI, similarity_jar_location

    started = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("lindungi-dedup")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", "4g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.local.dir", tempfile.gettempdir())
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(Path(tempfile.gettempdir()) / "lindungi-spark"))
    warm = time.perf_counter() - started
    started = time.perf_counter()
    parquet = Path(tempfile.gettempdir()) / "lindungi-spark-records.parquet"
    prepared.write_parquet(parquet)  # how a national job would hand Spark the records
    frame = spark.read.parquet(str(parquet))
    api = SparkAPI(spark_session=spark)
    linker = Linker(api.register(frame), spark_settings(settings), log_level="ERROR")
    predictions = linker.inference.predict(
        threshold_match_probability=threshold
    ).as_pandas_dataframe()
    pairs = pl.from_pandas(predictions[["unique_id_l", "unique_id_r", "match_probability"]])
    seconds = time.perf_counter() - started
    spark.stop()
    print(f"  Spark session started in {warm:.1f} s (JVM, not counted below)")
    return pairs, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()
    django_setup("sqlite:///" + str(Path(tempfile.gettempdir()) / "lindungi-spark-bench.sqlite3"))
    import polars as pl
    from django.core.management import call_command

    from lindungi.dedup import engine
    from lindungi.dedup.evaluation import scores_of, synthetic_truth
    from lindungi.dedup.persons import read_person_list
    from lindungi.regions.models import Region
    from lindungi.regions.services import regions_load

    if not Region.objects.exists():
        regions_load()
    workdir = Path(tempfile.gettempdir()) / "lindungi-bench"
    workdir.mkdir(exist_ok=True)
    path = workdir / f"persons_{args.records}.csv"
    if not path.exists():
        call_command(
            "synth_workers", count=args.records, seed=5, layout="persons", dup_rate=0.1,
            out=str(path), stdout=io.StringIO(),
        )  # fmt: skip
    frame, _ = read_person_list(path)
    truth = synthetic_truth(path)
    given = frame.select("id", "given_id")
    prepared = engine.prepare(frame)
    print(f"spark deduplication benchmark: {prepared.height:,} records")
    started = time.perf_counter()
    model = engine.train(prepared, start=engine.default_model())
    print(f"  model trained on DuckDB in {time.perf_counter() - started:.1f} s")
    threshold = engine.REVIEW_THRESHOLD
    duck = engine.predict(prepared, model, threshold=threshold)
    duck_pairs = duck.pairs.select(
        pl.col("id_l"), pl.col("id_r"), pl.col("match_probability").alias("p_duckdb")
    )
    spark_pairs, spark_seconds = spark_predict(
        prepared, engine._prediction_settings(model), threshold
    )
    spark_pairs = spark_pairs.select(
        pl.min_horizontal("unique_id_l", "unique_id_r").cast(pl.Int64).alias("id_l"),
        pl.max_horizontal("unique_id_l", "unique_id_r").cast(pl.Int64).alias("id_r"),
        pl.col("match_probability").alias("p_spark"),
    ).unique(["id_l", "id_r"])
    both = duck_pairs.join(spark_pairs, on=["id_l", "id_r"], how="full", coalesce=True)
    same = both.filter(pl.col("p_duckdb").is_not_null() & pl.col("p_spark").is_not_null())
    drift = same.select((pl.col("p_duckdb") - pl.col("p_spark")).abs().max()).item()
    print(f"  predict on DuckDB {duck.seconds:.1f} s: {duck_pairs.height:,} pairs ≥ {threshold}")
    print(f"  predict on Spark  {spark_seconds:.1f} s: {spark_pairs.height:,} pairs ≥ {threshold}")
    print(
        f"  pairs found by both: {same.height:,}; only DuckDB {duck_pairs.height - same.height},"
        f" only Spark {spark_pairs.height - same.height}; largest probability difference"
        f" {drift if drift is not None else 0:.2e}"
    )
    for label, pairs, column in (
        ("DuckDB", duck_pairs, "p_duckdb"),
        ("Spark", spark_pairs, "p_spark"),
    ):
        found = pairs.filter(pl.col(column) >= engine.CLUSTER_THRESHOLD).rename(
            {column: "match_probability"}
        )
        labels = engine.clusters(frame["id"], found, engine.CLUSTER_THRESHOLD)
        named = (
            given.join(labels, on="id", how="left")
            .join(given.rename({"id": "cluster_id", "given_id": "cluster_given"}), on="cluster_id")
            .sort("id")
            .select(pl.col("given_id").alias("id"), pl.col("cluster_given").alias("cluster_id"))
        )
        scores = scores_of(named.cast(pl.String), truth)
        print(
            f"  {label:6} against the truth: precision {scores.precision:.4f},"
            f" recall {scores.recall:.4f}, F1 {scores.f1:.4f}"
        )


if __name__ == "__main__":
    main()
