"""Probabilistic person matching with Splink on DuckDB — the engine behind every dedup entry point.

Pure data in, pure data out (Polars frames), no Django: the registry-wide job, the incremental
check of an upload, the `dedup_file` command and the benchmark all call the same functions.

Input columns (only `id`, `full_name` and `birth_date` are required, any value but `id` may be
null): `id` (int), `nik` (any identifier string), `full_name`, `birth_date` (Date), `sex`,
`address`, `village_code`, `phone`.

How Indonesian records disagree and how the model copes (Fellegi–Sunter, parameters estimated by
Splink from the data itself, no labels):

- NIK: exact, one edit (a mistyped digit or two adjacent digits swapped), two edits.
- Names: titles (`H.`, `Hj.`, `Drs.`, `S.Pd.`…) removed; `M.`/`Muh.`/`Mochammad`… read as
  `muhammad`; compared exactly, with the token order ignored, by phonetic key (spelling variants
  such as `Sitti`/`Siti`, `Djoko`/`Joko`), one name contained in the other, then Jaro–Winkler.
- Birth date: exact, within a day, day and month swapped, one digit off, same year.
- Sex, village → district → regency, phone and address complete the evidence.

Blocking (which pairs are compared at all) only ever joins records that share a rare key — a NIK,
a birth date with a first-name sound or a district, a whole-name sound with a birth year or
village — so the pairs per record stay bounded as the registry grows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from lindungi.registry.names import phonetic_keys

logger = logging.getLogger(__name__)

ENGINE_VERSION = "lindungi-dedup-1"
INPUT_COLUMNS = ("id", "nik", "full_name", "birth_date", "sex", "address", "village_code", "phone")
# Records with at least this match probability are candidate pairs worth a person's look.
REVIEW_THRESHOLD = 0.5
# Records with at least this probability are clustered as one person by `dedup_file`.
CLUSTER_THRESHOLD = 0.9
# Training uses at most this many records: enough for stable parameters, bounded time.
TRAINING_SAMPLE = 300_000

# Tokens that are titles or degrees, never part of a person's name (after dots are dropped).
TITLES = frozenset(
    [
        "h",
        "hj",
        "hajah",
        "hajjah",
        "haji",
        "drs",
        "dra",
        "dr",
        "dr",
        "ir",
        "prof",
        "ust",
        "ustadz",
        "ustad",
        "kh",
        "tgk",
        "teuku",
        "cut",
        "spd",
        "spdi",
        "sag",
        "sth",
        "sh",
        "se",
        "ssos",
        "sip",
        "skom",
        "st",
        "sked",
        "skm",
        "sp",
        "spsi",
        "sfarm",
        "ssi",
        "sn",
        "sps",
        "amd",
        "amdkeb",
        "amdkep",
        "ama",
        "amk",
        "mpd",
        "msi",
        "mm",
        "mh",
        "mag",
        "mkes",
        "mt",
        "msc",
        "bsc",
        "ba",
        "ma",
        "phd",
        "hc",
        "ners",
    ]
)
MUHAMMAD = frozenset(
    [
        "m",
        "muh",
        "muhd",
        "moh",
        "mohd",
        "mhd",
        "mochammad",
        "mochamad",
        "mohammad",
        "mohamad",
        "mohamed",
        "muhamad",
        "muhammed",
        "muchammad",
        "muchamad",
        "mukhammad",
        "mukhamad",
        "muhammat",
        "mahmmad",
        "muhmmad",
    ]
)

ProgressFn = Callable[[int, str], None]


def _no_progress(_percent: int, _step: str) -> None:
    return None


# ---------------------------------------------------------------------------------------------
# Features


def _name_tokens_expr(name: pl.Expr) -> pl.Expr:
    """Lower-case ASCII tokens with titles dropped and `Muhammad` variants unified."""
    text = (
        name.fill_null("")
        .str.normalize("NFKD")
        .str.replace_all(r"[^\x00-\x7f]", "")
        .str.to_lowercase()
        # `S.Pd.` → `spd`, `H. Ahmad` → `h ahmad`: a dot inside a word joins, a dot before a
        # space or the end separates.
        .str.replace_all(r"\.(\s|$)", " ")
        .str.replace_all(r"(\w)\.(\w)", "$1$2")
        .str.replace_all(r"[^a-z]+", " ")
        .str.strip_chars()
    )
    return (
        text.str.split(" ")
        .list.eval(
            pl.when(pl.element().is_in(list(MUHAMMAD)))
            .then(pl.lit("muhammad"))
            .otherwise(pl.element())
        )
        .list.eval(pl.element().filter(~pl.element().is_in(list(TITLES)) & (pl.element() != "")))
    )


def _blank_to_null(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(value == "").then(None).otherwise(value).alias(column)


def prepare(records: pl.DataFrame) -> pl.DataFrame:
    """The comparison columns Splink needs, computed once in Polars (vectorised)."""
    frame = records
    for column in INPUT_COLUMNS:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    frame = frame.select(
        pl.col("id").cast(pl.Int64).alias("unique_id"),
        _blank_to_null("nik").str.replace_all(r"[\s.\-']", ""),
        pl.col("full_name").cast(pl.String),
        pl.col("birth_date").cast(pl.Date),
        _blank_to_null("sex").str.to_uppercase(),
        _blank_to_null("address")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.strip_chars()
        .alias("address"),
        _blank_to_null("village_code"),
        _blank_to_null("phone").str.replace_all(r"\D", "").str.replace(r"^(62|0)", ""),
    )
    frame = frame.with_columns(_name_tokens_expr(pl.col("full_name")).alias("name_tokens"))
    frame = frame.with_columns(
        pl.col("name_tokens").list.join(" ").alias("name_norm"),
        pl.col("name_tokens").list.sort().list.join(" ").alias("name_sorted"),
        pl.col("name_tokens").list.first().alias("first_token"),
    )
    phon = phonetic_keys(frame["name_norm"]).str.strip_chars()
    frame = frame.with_columns(phon.alias("name_phon"))
    frame = frame.with_columns(
        pl.col("name_phon").str.split(" ").list.sort().list.join(" ").alias("name_phon_sorted"),
        pl.col("name_phon").str.split(" ").list.first().alias("first_phon"),
        pl.col("birth_date").dt.strftime("%Y%m%d").alias("dob_text"),
        pl.col("birth_date").dt.year().alias("birth_year"),
        pl.col("village_code").str.slice(0, 8).alias("district_code"),
        pl.col("village_code").str.slice(0, 5).alias("regency_code"),
        pl.col("address").str.strip_chars().str.split(" ").list.unique().alias("address_tokens"),
    )
    empty = [
        "name_norm",
        "name_sorted",
        "first_token",
        "name_phon",
        "name_phon_sorted",
        "first_phon",
    ]
    return frame.with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in empty]
    ).drop("full_name")


# ---------------------------------------------------------------------------------------------
# The model


def _level(sql: str, label: str, *, null: bool = False) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
    if null:
        level["is_null_level"] = True
    return level


def _comparison(name: str, levels: list[dict[str, Any]], description: str) -> dict[str, Any]:
    return {
        "output_column_name": name,
        "comparison_description": description,
        "comparison_levels": [*levels, _level("ELSE", "else")],
    }


COMPARISONS: list[dict[str, Any]] = [
    _comparison(
        "nik",
        [
            _level('"nik_l" IS NULL OR "nik_r" IS NULL', "null", null=True),
            _level('"nik_l" = "nik_r"', "exact"),
            _level('damerau_levenshtein("nik_l", "nik_r") <= 1', "one digit or transposition"),
            _level('levenshtein("nik_l", "nik_r") <= 2', "two digits"),
        ],
        "NIK or other identifier",
    ),
    _comparison(
        "name",
        [
            _level('"name_norm_l" IS NULL OR "name_norm_r" IS NULL', "null", null=True),
            _level('"name_norm_l" = "name_norm_r"', "exact"),
            _level('"name_sorted_l" = "name_sorted_r"', "same words, other order"),
            _level('"name_phon_sorted_l" = "name_phon_sorted_r"', "same sound"),
            _level(
                'jaro_winkler_similarity("name_sorted_l", "name_sorted_r") >= 0.92', "JW >= 0.92"
            ),
            _level(
                'list_has_all("name_tokens_l", "name_tokens_r") '
                'OR list_has_all("name_tokens_r", "name_tokens_l")',
                "one name contains the other",
            ),
            _level('jaro_winkler_similarity("name_sorted_l", "name_sorted_r") >= 0.8', "JW >= 0.8"),
            _level('"first_phon_l" = "first_phon_r"', "same first name sound"),
        ],
        "Full name (titles removed, token order and spelling variants tolerated)",
    ),
    _comparison(
        "birth_date",
        [
            _level('"birth_date_l" IS NULL OR "birth_date_r" IS NULL', "null", null=True),
            _level('"birth_date_l" = "birth_date_r"', "exact"),
            _level(
                'abs(date_diff(\'day\', "birth_date_l", "birth_date_r")) <= 1', "within one day"
            ),
            _level(
                'year("birth_date_l") = year("birth_date_r") '
                'AND month("birth_date_l") = day("birth_date_r") '
                'AND day("birth_date_l") = month("birth_date_r")',
                "day and month swapped",
            ),
            _level('levenshtein("dob_text_l", "dob_text_r") <= 1', "one digit off"),
            _level('"birth_year_l" = "birth_year_r"', "same year"),
        ],
        "Birth date",
    ),
    _comparison(
        "sex",
        [
            _level('"sex_l" IS NULL OR "sex_r" IS NULL', "null", null=True),
            _level('"sex_l" = "sex_r"', "exact"),
        ],
        "Sex",
    ),
    _comparison(
        "village_code",
        [
            _level('"village_code_l" IS NULL OR "village_code_r" IS NULL', "null", null=True),
            _level('"village_code_l" = "village_code_r"', "same village"),
            _level('"district_code_l" = "district_code_r"', "same district"),
            _level('"regency_code_l" = "regency_code_r"', "same regency"),
            _level('damerau_levenshtein("village_code_l", "village_code_r") <= 1', "one digit off"),
        ],
        "Domicile village",
    ),
    _comparison(
        "address",
        [
            _level('"address_l" IS NULL OR "address_r" IS NULL', "null", null=True),
            _level('"address_l" = "address_r"', "exact"),
            _level('jaro_winkler_similarity("address_l", "address_r") >= 0.92', "JW >= 0.92"),
            _level(
                'len(list_intersect("address_tokens_l", "address_tokens_r")) * 2 '
                '>= 0.6 * (len("address_tokens_l") + len("address_tokens_r"))',
                "most words shared",
            ),
            _level(
                'len(list_intersect("address_tokens_l", "address_tokens_r")) * 2 '
                '>= 0.3 * (len("address_tokens_l") + len("address_tokens_r"))',
                "some words shared",
            ),
        ],
        "Address",
    ),
    _comparison(
        "phone",
        [
            _level('"phone_l" IS NULL OR "phone_r" IS NULL', "null", null=True),
            _level('"phone_l" = "phone_r"', "exact"),
        ],
        "Phone",
    ),
]

# Most rules pair records sharing a key whose blocks stay small as a registry grows: a village
# (a bounded population) or a birth date with a name sound. Name sound + birth year over the
# whole run is kept for recall (one person listed in two regencies with a different date): it
# is the one rule whose pairs grow faster than the records (see bench/dedup_bench.py).
BLOCKING_RULES = [
    'l."nik" = r."nik"',
    'l."birth_date" = r."birth_date" AND l."first_phon" = r."first_phon"',
    'l."birth_date" = r."birth_date" AND l."village_code" = r."village_code"',
    'l."name_phon_sorted" = r."name_phon_sorted" AND l."birth_year" = r."birth_year"',
    'l."name_phon_sorted" = r."name_phon_sorted" AND l."village_code" = r."village_code"',
    'l."village_code" = r."village_code" AND l."first_phon" = r."first_phon"'
    ' AND l."birth_year" = r."birth_year"',
    'l."phone" = r."phone"',
    'l."address" = r."address" AND l."village_code" = r."village_code"',
]
TRAINING_BLOCKS = [
    'l."birth_date" = r."birth_date" AND l."first_phon" = r."first_phon"',
    'l."name_phon_sorted" = r."name_phon_sorted" AND l."birth_year" = r."birth_year"',
    'l."nik" = r."nik"',
]
DETERMINISTIC_RULES = [
    'l."nik" = r."nik" AND l."birth_year" = r."birth_year"',
    'l."name_norm" = r."name_norm" AND l."birth_date" = r."birth_date"',
]


def base_settings(link_type: str = "dedupe_only") -> dict[str, Any]:
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": COMPARISONS,
        "blocking_rules_to_generate_predictions": BLOCKING_RULES,
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,
        "additional_columns_to_retain": [],
        "probability_two_random_records_match": 0.0001,
        "em_convergence": 0.001,
        "max_iterations": 25,
    }


@dataclass
class Model:
    """A trained Splink model: its settings JSON and a version that names it."""

    settings: dict[str, Any]
    trained_on: int
    trained_at: str
    version: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256(json.dumps(self.settings, sort_keys=True).encode()).hexdigest()
        self.version = f"{ENGINE_VERSION}-{digest[:12]}"


def _connection(memory_limit: str = "4GB") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/lindungi-duckdb'")
    con.execute("SET preserve_insertion_order = false")
    return con


def _linker(frames: list[pl.DataFrame], settings: dict[str, Any], con: duckdb.DuckDBPyConnection):  # type: ignore[no-untyped-def]
    from splink import Linker
    from splink.backends.duckdb import DuckDBAPI

    api = DuckDBAPI(connection=con)
    registered = [api.register(frame.to_arrow()) for frame in frames]
    return Linker(registered if len(registered) > 1 else registered[0], settings, log_level=None)


def train(
    prepared: pl.DataFrame,
    *,
    seed: int = 42,
    progress: ProgressFn = _no_progress,
    start: Model | None = None,
) -> Model:
    """Estimate the model's parameters from the records themselves (no labels needed).

    Training starts from `start` (or Splink's defaults); a step the data cannot support — too
    few records, no pair in a training block — keeps the parameters it started with, so a small
    file still gets a sound model.
    """
    sample = prepared
    if prepared.height > TRAINING_SAMPLE:
        sample = prepared.sample(TRAINING_SAMPLE, seed=seed)
    settings = dict(start.settings) if start else base_settings()
    settings["link_type"] = "dedupe_only"
    con = _connection()
    steps: list[tuple[str, Callable[[Any], Any]]] = [
        (
            "prior",
            lambda lk: lk.training.estimate_probability_two_random_records_match(
                DETERMINISTIC_RULES, recall=0.8
            ),
        ),
        (
            "u",
            lambda lk: lk.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=seed),
        ),
        *[
            (
                "em",
                lambda lk, rule=rule: (
                    lk.training.estimate_parameters_using_expectation_maximisation(
                        rule, estimate_without_term_frequencies=True
                    )
                ),
            )
            for rule in TRAINING_BLOCKS
        ],
    ]
    try:
        linker = _linker([sample], settings, con)
        for number, (name, step) in enumerate(steps):
            progress(round(100 * number / len(steps)), name)
            before = linker.misc.save_model_to_json()
            try:
                step(linker)
            except Exception as exc:
                # A failed step (e.g. a training block with no pairs: NIKs unique in a clean
                # registry) can leave Splink's settings half-changed: start again from before.
                logger.warning("dedup training step %s skipped: %s", name, type(exc).__name__)
                linker = _linker([sample], before, con)
        trained = linker.misc.save_model_to_json()
        if len(trained["comparisons"]) != len(settings["comparisons"]):
            raise RuntimeError("training lost a comparison")
    finally:
        con.close()
    _fill_untrained(trained)
    if not trained.get("probability_two_random_records_match", 0) > 0:
        # No match found by the deterministic rules (a clean list): keep the starting model's
        # expectation of duplicates per record rather than a prior of zero.
        fallback = scaled_model(start, sample.height) if start else None
        trained["probability_two_random_records_match"] = (
            fallback.settings["probability_two_random_records_match"]
            if fallback and fallback.trained_on
            else 1 / max(2, sample.height)
        )
    # The prior was estimated on the sample; pairs grow with n², matches with n.
    if prepared.height > sample.height:
        trained["probability_two_random_records_match"] *= sample.height / prepared.height
    return Model(
        settings=trained,
        trained_on=sample.height,
        trained_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


DEFAULT_MODEL_PATH = Path(__file__).with_name("default_model.json")


def default_model() -> Model:
    """The model shipped with Lindungi (trained on synthetic Indonesian data by
    `bench/dedup_bench.py --write-default-model`), the start for training and the model for
    lists too small to train on."""
    if not DEFAULT_MODEL_PATH.exists():
        return Model(settings=base_settings(), trained_on=0, trained_at="")
    stored = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    return Model(
        settings=stored["settings"],
        trained_on=stored["trained_on"],
        trained_at=stored["trained_at"],
    )


def save_default_model(model: Model) -> None:
    payload = {
        "trained_on": model.trained_on,
        "trained_at": model.trained_at,
        "settings": model.settings,
    }
    DEFAULT_MODEL_PATH.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")


def scaled_model(model: Model, records: int) -> Model:
    """`model` for a list of `records`: the prior that two random records match scales with
    1/n (each person has a bounded number of duplicates while pairs grow with n²)."""
    settings = json.loads(json.dumps(model.settings))
    if model.trained_on and records:
        prior = settings["probability_two_random_records_match"] * model.trained_on / records
        settings["probability_two_random_records_match"] = min(prior, 0.05)
    return Model(settings=settings, trained_on=model.trained_on, trained_at=model.trained_at)


# When a level never occurs in the training data its m or u stays unknown; these neutral values
# keep such a level from swinging a prediction (match weight ≈ 0) instead of failing.
def _fill_untrained(settings: dict[str, Any]) -> None:
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m = level.get("m_probability")
            u = level.get("u_probability")
            if m is None and u is None:
                level["m_probability"] = level["u_probability"] = 0.01
            elif m is None:
                level["m_probability"] = u
            elif u is None:
                level["u_probability"] = m


# ---------------------------------------------------------------------------------------------
# Prediction

PAIR_COLUMNS = ["id_l", "id_r", "match_probability", "match_weight", "agreement"]


def _collect_pairs(linker: Any, predictions: Any, con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    table = predictions.physical_name
    weights = [f'round("mw_{c["output_column_name"]}", 2)' for c in COMPARISONS]
    names = [c["output_column_name"] for c in COMPARISONS]
    agreement = "[" + ", ".join(weights) + "]"
    frame = con.sql(
        f"""
        SELECT least(unique_id_l, unique_id_r)::BIGINT AS id_l,
               greatest(unique_id_l, unique_id_r)::BIGINT AS id_r,
               match_probability, match_weight, {agreement} AS agreement
        FROM {table}
        """  # noqa: S608 - table and column names are Splink's own, not input
    ).pl()
    predictions.drop_table_from_database_and_remove_from_cache()
    return frame.with_columns(
        pl.col("agreement").list.to_struct(fields=names).alias("agreement")
    ).unique(["id_l", "id_r"], keep="first")


@dataclass
class Prediction:
    pairs: pl.DataFrame  # id_l < id_r, match_probability, match_weight, agreement (struct)
    pairs_compared: int
    seconds: float


def _prediction_settings(model: Model) -> dict[str, Any]:
    """The model's trained parameters with this version's blocking rules: which pairs get
    compared is a property of the code (kept bounded as registries grow), not of a stored
    model."""
    return dict(
        model.settings,
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
    )


def _count_blocked(linker: Any) -> int:
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    try:
        return int(
            linker._db_api._execute_sql_against_backend(
                f"SELECT count(*) FROM {blocked.physical_name}"  # noqa: S608
            ).fetchall()[0][0]
        )
    finally:
        blocked.drop_table_from_database_and_remove_from_cache()


def predict(
    prepared: pl.DataFrame,
    model: Model,
    *,
    threshold: float = REVIEW_THRESHOLD,
    count_pairs: bool = True,
) -> Prediction:
    """Pairs within `prepared` at or above `threshold`."""
    started = time.perf_counter()
    con = _connection()
    try:
        settings = _prediction_settings(model)
        linker = _linker([prepared], settings, con)
        compared = _count_blocked(linker) if count_pairs else 0
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        pairs = _collect_pairs(linker, predictions, con)
    finally:
        con.close()
    return Prediction(pairs=pairs, pairs_compared=compared, seconds=time.perf_counter() - started)


def predict_between(
    new: pl.DataFrame,
    existing: pl.DataFrame,
    model: Model,
    *,
    threshold: float = REVIEW_THRESHOLD,
    within_new: bool = True,
) -> Prediction:
    """Pairs of a new record with an existing one (and, by default, among the new records),
    without comparing the existing records with each other."""
    from splink.backends.duckdb import DuckDBAPI

    started = time.perf_counter()
    con = _connection()
    try:
        settings = _prediction_settings(model)
        api = DuckDBAPI(connection=con)
        left = api.register(new.to_arrow(), table_name="new_records")
        right = api.register(existing.to_arrow(), table_name="existing_records")
        linker = _linker_for_api(api, left, settings)
        results = [
            linker.inference.predict_between(
                left,
                right,
                link_type="link_only",
                threshold_match_probability=threshold,
                warning_mode="never",
            )
        ]
        if within_new and new.height > 1:
            results.append(
                linker.inference.predict_within(
                    left, threshold_match_probability=threshold, warning_mode="never"
                )
            )
        pairs = pl.concat([_collect_pairs(linker, r, con) for r in results])
    finally:
        con.close()
    return Prediction(
        pairs=pairs.unique(["id_l", "id_r"], keep="first"),
        pairs_compared=0,
        seconds=time.perf_counter() - started,
    )


def _linker_for_api(api: Any, table: Any, settings: dict[str, Any]) -> Any:
    from splink import Linker

    del api
    return Linker(table, settings, log_level=None)


# ---------------------------------------------------------------------------------------------
# Clusters


def clusters(ids: Iterable[int], pairs: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Connected components of the pairs at or above `threshold`: `id`, `cluster_id` for every id
    (a record matched to nothing is its own cluster; the cluster id is its smallest member id)."""
    ids_frame = pl.DataFrame({"id": list(ids)}, schema={"id": pl.Int64})
    edges = pairs.filter(pl.col("match_probability") >= threshold).select("id_l", "id_r")
    label = ids_frame.with_columns(pl.col("id").alias("cluster_id"))
    if edges.height == 0:
        return label
    # Label propagation: each round every node takes the smallest label among its neighbours.
    both = pl.concat(
        [edges, edges.select(pl.col("id_r").alias("id_l"), pl.col("id_l").alias("id_r"))]
    )
    while True:
        neighbour = (
            both.join(label, left_on="id_r", right_on="id", how="inner")
            .group_by("id_l")
            .agg(pl.col("cluster_id").min().alias("neighbour_min"))
        )
        updated = label.join(neighbour, left_on="id", right_on="id_l", how="left").with_columns(
            pl.min_horizontal(
                "cluster_id", pl.col("neighbour_min").fill_null(pl.col("cluster_id"))
            ).alias("new_label")
        )
        changed = updated.filter(pl.col("new_label") != pl.col("cluster_id")).height
        label = updated.select("id", pl.col("new_label").alias("cluster_id"))
        if changed == 0:
            return label


# ---------------------------------------------------------------------------------------------
# Evaluation


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        truth = self.true_positives + self.false_negatives
        return self.true_positives / truth if truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _pairs_of(clusters_frame: pl.DataFrame, key: str) -> pl.DataFrame:
    members = clusters_frame.select("id", key)
    return (
        members.join(members, on=key, suffix="_r")
        .filter(pl.col("id") < pl.col("id_r"))
        .select(pl.col("id").alias("a"), pl.col("id_r").alias("b"))
    )


def pairwise_scores(predicted: pl.DataFrame, truth: pl.DataFrame) -> Scores:
    """Precision/recall/F1 over pairs: `predicted` has id, cluster_id; `truth` has id, entity."""
    found = _pairs_of(predicted, "cluster_id")
    true = _pairs_of(truth, "entity")
    tp = found.join(true, on=["a", "b"], how="inner").height
    return Scores(tp, found.height - tp, true.height - tp)
