"""Validation and normalisation of worker data — the one implementation every entry point uses.

Forms, the API, file imports and commands all call `WorkerValidator`. It works on a Polars frame
of raw text columns (an import's million rows, or the single row of a form) and returns the
normalised columns plus, per row, the errors that reject it and the warnings that keep it
*perlu verifikasi* (domain.md §4). Each issue is `{field, code, arg}`; `code` is a
`RegistryError` and `arg` fills the `{arg}` of its Indonesian message.

Input columns (all text, any may be absent): nik, kk_number, full_name, birth_place, birth_date,
birth_place_date (a combined "tempat/tgl lahir"), sex, village (code or name), address, rt, rw,
rt_rw (combined "003/005"), phone, occupation, reported_income; and `nik_is_number` (boolean:
the spreadsheet cell held a number, not text — the Excel hazard).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import polars as pl
from django.utils import timezone

from lindungi.core.dates import years_before
from lindungi.core.errors import DomainError
from lindungi.regions.models import Level, Region
from lindungi.regions.selectors import RegionNameIndex, region_code_clean

from .errors import RegistryError
from .models import OccupationCategory, Sex
from .names import phonetic_keys, phonetic_token

INPUT_COLUMNS = [
    "nik",
    "kk_number",
    "full_name",
    "birth_place",
    "birth_date",
    "birth_place_date",
    "sex",
    "village",
    "address",
    "rt",
    "rw",
    "rt_rw",
    "phone",
    "occupation",
    "reported_income",
]
OUTPUT_COLUMNS = [
    "nik",
    "kk_number",
    "full_name",
    "name_key",
    "name_phonetic",
    "birth_place",
    "birth_date",
    "sex",
    "village_code",
    "address",
    "rt",
    "rw",
    "phone",
    "occupation_code",
    "occupation_text",
    "reported_income",
]
ISSUE = pl.Struct({"field": pl.String, "code": pl.String, "arg": pl.String})

_MONTHS = {
    "01": ["januari", "january", "jan"],
    "02": ["februari", "pebruari", "february", "feb", "peb"],
    "03": ["maret", "march", "mar"],
    "04": ["april", "apr"],
    "05": ["mei", "may"],
    "06": ["juni", "june", "jun"],
    "07": ["juli", "july", "jul"],
    "08": ["agustus", "august", "agu", "agt", "ags", "aug"],
    "09": ["september", "sept", "sep"],
    "10": ["oktober", "october", "okt", "oct"],
    "11": ["november", "nopember", "nov", "nop"],
    "12": ["desember", "december", "des", "dec"],
}
_SEX_VALUES = {
    "l": "L", "lk": "L", "laki": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L",
    "pria": "L", "male": "L", "m": "L",
    "p": "P", "pr": "P", "pere": "P", "perempuan": "P", "wanita": "P", "w": "P", "female": "P",
    "f": "P",
}  # fmt: skip
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Issue:
    field: str
    code: str
    arg: str | None = None

    @property
    def message(self) -> str:
        label = str(RegistryError(self.code).label)
        return label.format(arg=self.arg if self.arg is not None else "")

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass
class RowResult:
    """The outcome for one row: normalised values, errors (reject) and warnings (verify)."""

    values: dict[str, Any]
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def field_errors(self) -> dict[str, list[dict[str, str]]]:
        grouped: dict[str, list[dict[str, str]]] = {}
        for issue in self.errors:
            grouped.setdefault(issue.field, []).append(
                {"code": issue.code, "message": issue.message}
            )
        return grouped


def _issue(
    cond: pl.Expr, field_name: str, code: RegistryError, arg: pl.Expr | None = None
) -> pl.Expr:
    arg_expr = arg.cast(pl.String) if arg is not None else pl.lit(None, dtype=pl.String)
    return pl.when(cond).then(
        pl.struct(field=pl.lit(field_name), code=pl.lit(code.value), arg=arg_expr)
    )


def _issues(parts: list[pl.Expr]) -> pl.Expr:
    return pl.concat_list(parts).list.drop_nulls()


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _clean_text(expr: pl.Expr) -> pl.Expr:
    """Trim and collapse inner whitespace; empty becomes null."""
    return _blank_to_null(expr.cast(pl.String).str.replace_all(r"\s+", " "))


# Reference sets (provinces, districts, a scope's villages, occupations) are shared by the
# validators of one process for a few minutes: building them took ~75 ms of every single-worker
# edit (bench/load_bench.py). Saving a region or an occupation clears them (apps.py); loading the
# region data clears them too; other processes see a change within REFERENCE_TTL_SECONDS.
REFERENCE_TTL_SECONDS = 300.0
_shared: dict[tuple[str, str | None], tuple[float, Any]] = {}


def reference_cache_clear(**_: Any) -> None:
    _shared.clear()


def _shared_value(name: str, root_code: str | None, build: Callable[[], Any]) -> Any:
    now = time.monotonic()
    hit = _shared.get((name, root_code))
    if hit is not None and now - hit[0] < REFERENCE_TTL_SECONDS:
        return hit[1]
    value = build()
    _shared[(name, root_code)] = (now, value)
    return value


class ReferenceData:
    """The sets validation checks against (shared within the process, see above)."""

    def __init__(self, root_code: str | None) -> None:
        self.root_code = root_code

    def load(self) -> None:
        """Read every set now (before a long COPY holds the connection)."""
        _ = self.provinces, self.districts, self.villages, self.occupations

    @property
    def provinces(self) -> list[str]:
        # Current and historical province codes (domain.md §4: reject unknown provinces).
        return _shared_value(
            "provinces",
            None,
            lambda: list(
                Region.objects.filter(level=Level.PROVINCE).values_list("code", flat=True)
            ),
        )

    @property
    def districts(self) -> list[str]:
        def build() -> list[str]:
            codes = Region.objects.filter(level=Level.DISTRICT, is_active=True).values_list(
                "code", flat=True
            )
            return [code.replace(".", "") for code in codes]

        return _shared_value("districts", None, build)

    @property
    def villages(self) -> RegionNameIndex:
        return _shared_value(
            "villages", self.root_code, lambda: RegionNameIndex(self.root_code, Level.VILLAGE)
        )

    @property
    def occupations(self) -> list[tuple[str, str, list[str]]]:
        return _shared_value(
            "occupations",
            None,
            lambda: [
                (o.code, o.name.casefold(), [k for k in o.keywords.split(",") if k.strip()])
                for o in OccupationCategory.objects.all()
            ],
        )


_EXPRESSIONS: dict[tuple[Any, ...], Any] = {}
_T = TypeVar("_T")


def _built_once(method: Callable[..., _T]) -> Callable[..., _T]:
    """The validator's expressions depend on their arguments and `today` only: built once per
    day and reused (building them cost a single-row edit more than evaluating them)."""

    @functools.wraps(method)
    def wrapper(self: WorkerValidator, *args: Any) -> _T:
        key = (method.__name__, args, self.today)
        try:
            return cast(_T, _EXPRESSIONS[key])
        except KeyError:
            if len(_EXPRESSIONS) > 64:
                _EXPRESSIONS.clear()
            built = _EXPRESSIONS[key] = method(self, *args)
            return built

    return wrapper


class WorkerValidator:
    """Validates and normalises worker rows for one region (the upload's or the actor's scope)."""

    def __init__(self, *, root_code: str | None, today: dt.date | None = None) -> None:
        self.reference = ReferenceData(root_code)
        self.today = today or timezone.localdate()

    # --- public entry points ------------------------------------------------------------------

    def validate_one(self, raw: Mapping[str, Any]) -> RowResult:
        """A single row (a form or an API request)."""
        row = {name: _as_text(raw.get(name)) for name in INPUT_COLUMNS if name in raw}
        frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.String)) if row else None
        if frame is None:
            frame = pl.DataFrame({"nik": [None]}, schema={"nik": pl.String})
        if "nik_is_number" in raw:
            frame = frame.with_columns(nik_is_number=pl.lit(bool(raw["nik_is_number"])))
        result = self.validate_frame(frame).row(0, named=True)
        return RowResult(
            values={name: result[name] for name in OUTPUT_COLUMNS},
            errors=[Issue(**i) for i in result["errors"]],
            warnings=[Issue(**i) for i in result["warnings"]],
        )

    def validate_frame(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Every row of `frame`: the normalised OUTPUT_COLUMNS plus `errors` and `warnings`.

        Three lazy stages, each collected once: the steps between them need the data itself
        (month names to rewrite, distinct villages and occupations to resolve, name keys). A
        single-row form or API edit pays three plans instead of one per step.
        """
        lazy = (
            self._with_all_inputs(frame)
            .with_columns(self._split_combined())
            .with_columns(self._nik_parts())
            .with_columns(self._parsed_fields())
            .with_columns(self._date_text("birth_date_in", "bd"))
        )
        frame = self._with_month_names(lazy.collect(), "bd")
        lazy = self._date_stages(frame.lazy(), "bd").with_columns(
            pl.col("bd_date").alias("birth_date_parsed"),
            pl.col("bd_problem").alias("birth_date_problem"),
        )
        frame = self._with_lookups(lazy, frame).with_columns(self._derived_from_nik()).collect()
        return (
            frame.lazy()
            .with_columns(phonetic_keys(frame["full_name"].fill_null("")).alias("name_phonetic"))
            .with_columns(errors=self._errors(), warnings=self._warnings())
            .select([*OUTPUT_COLUMNS, "errors", "warnings"])
            .collect()
        )

    def parse_dates(self, values: pl.Series) -> pl.Series:
        """Dates as operators write them (the birth-date rules), null where not a valid date."""
        frame = pl.DataFrame({"value": values.cast(pl.String)}).with_columns(
            self._date_text("value", "d")
        )
        frame = self._with_month_names(frame, "d")
        return self._date_stages(frame.lazy(), "d").collect().get_column("d_date")

    # --- steps --------------------------------------------------------------------------------

    def _with_all_inputs(self, frame: pl.DataFrame) -> pl.LazyFrame:
        missing = [
            pl.lit(None, dtype=pl.String).alias(name)
            for name in INPUT_COLUMNS
            if name not in frame.columns
        ]
        if "nik_is_number" not in frame.columns:
            missing.append(pl.lit(False).alias("nik_is_number"))
        lazy = frame.lazy().with_columns(missing) if missing else frame.lazy()
        # Inputs are renamed `in_…` so that the normalised outputs never shadow them.
        return lazy.select(
            [pl.col(name).cast(pl.String).alias(f"in_{name}") for name in INPUT_COLUMNS]
            + [pl.col("nik_is_number").fill_null(False).cast(pl.Boolean).alias("in_nik_is_number")]
        )

    @_built_once
    def _split_combined(self) -> list[pl.Expr]:
        # "Tenggarong, 12-05-1980": the place before the last comma (or space), the date after.
        combined = _clean_text(pl.col("in_birth_place_date"))
        date_forms = [
            r"\d{1,2}[\s./-]*[A-Za-z]+[\s./-]*\d{2,4}",  # 12 Mei 1980
            r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}",  # 12-05-1980
            r"\d{4}-\d{2}-\d{2}",  # 1980-05-12
        ]
        pattern = rf"^(.*?)[,\s]+({'|'.join(date_forms)})$"
        place = combined.str.extract(pattern, 1)
        date = combined.str.extract(pattern, 2)
        # A combined cell that is only a date, or only a place.
        date_only = combined.str.contains(r"^\d")
        rt_rw = _clean_text(pl.col("in_rt_rw"))
        return [
            pl.coalesce(
                _clean_text(pl.col("in_birth_place")),
                pl.when(date_only).then(None).otherwise(pl.coalesce(place, combined)),
            ).alias("birth_place_in"),
            pl.coalesce(
                _blank_to_null(pl.col("in_birth_date")),
                pl.when(date_only).then(combined).otherwise(date),
            ).alias("birth_date_in"),
            pl.coalesce(_blank_to_null(pl.col("in_rt")), rt_rw.str.extract(r"^\s*(\d+)", 1)).alias(
                "rt_in"
            ),
            pl.coalesce(
                _blank_to_null(pl.col("in_rw")), rt_rw.str.extract(r"[/\-\s]+(\d+)\s*$", 1)
            ).alias("rw_in"),
            (rt_rw.is_not_null() & ~rt_rw.str.contains(r"^\d{1,3}\s*[/\-\s]\s*\d{1,3}$"))
            .fill_null(False)
            .alias("rt_rw_bad"),
        ]

    @_built_once
    def _nik_parts(self) -> list[pl.Expr]:
        raw = _blank_to_null(pl.col("in_nik"))
        # Spaces, dots, dashes and a leading apostrophe are how operators keep Excel from
        # turning the NIK into a number; they are not part of it.
        cleaned = raw.str.replace(r"^'", "").str.replace_all(r"[\s.\-]", "")
        scientific = raw.str.contains(r"(?i)^\d+([.,]\d+)?e\+?\d+$")
        return [
            raw.alias("nik_raw"),
            cleaned.alias("nik_clean"),
            scientific.fill_null(False).alias("nik_scientific"),
            cleaned.str.slice(6, 2).cast(pl.Int32, strict=False).alias("nik_day_raw"),
            cleaned.str.slice(8, 2).cast(pl.Int32, strict=False).alias("nik_month"),
            cleaned.str.slice(10, 2).cast(pl.Int32, strict=False).alias("nik_yy"),
        ]

    @_built_once
    def _parsed_fields(self) -> list[pl.Expr]:
        nik = pl.col("nik_clean")
        digits16 = nik.str.contains(r"^\d{16}$").fill_null(False)
        day_raw, month, yy = pl.col("nik_day_raw"), pl.col("nik_month"), pl.col("nik_yy")
        day = pl.when(day_raw > 40).then(day_raw - 40).otherwise(day_raw)
        nik_sex = pl.when(day_raw > 40).then(pl.lit("P")).otherwise(pl.lit("L"))

        valid_day = ((day_raw >= 1) & (day_raw <= 31)) | ((day_raw >= 41) & (day_raw <= 71))
        valid_month = (month >= 1) & (month <= 12)
        exists_1900 = _date_exists(1900 + yy, month, day)
        exists_2000 = _date_exists(2000 + yy, month, day)

        def nik_date(century: int) -> pl.Expr:
            # Safe placeholders where the parts are invalid; those rows are masked below.
            return pl.date(
                century + yy.fill_null(0),
                pl.when(valid_month).then(month).otherwise(1),
                pl.when(valid_day).then(day).otherwise(1),
            )

        return [
            digits16.alias("nik_ok_shape"),
            day.alias("nik_day"),
            nik_sex.alias("nik_sex"),
            (digits16 & valid_day & valid_month).alias("nik_date_parts_ok"),
            (exists_1900 | exists_2000).fill_null(False).alias("nik_date_exists"),
            pl.when(digits16 & valid_day & valid_month & exists_2000)
            .then(nik_date(2000))
            .alias("nik_date_2000"),
            pl.when(digits16 & valid_day & valid_month & exists_1900)
            .then(nik_date(1900))
            .alias("nik_date_1900"),
            self._parse_sex(pl.col("in_sex")).alias("sex_parsed"),
            self._parse_phone(pl.col("in_phone")).alias("phone_parsed"),
            self._parse_income(pl.col("in_reported_income")).alias("income_parsed"),
            _clean_text(pl.col("in_full_name")).alias("name_clean"),
            _clean_text(pl.col("in_kk_number")).str.replace_all(r"[\s.\-']", "").alias("kk_clean"),
            _pad3(pl.col("rt_in")).alias("rt_clean"),
            _pad3(pl.col("rw_in")).alias("rw_clean"),
        ]

    # Dates as operators write them; day before month; a non-existent date is an error. The
    # parse adds `{prefix}_date` (Date or null) and `{prefix}_problem` (a RegistryError code or
    # null), built in stages: one large expression would be re-planned for every reference.

    @staticmethod
    def _date_text(source: str, prefix: str) -> pl.Expr:
        return _clean_text(pl.col(source)).str.to_lowercase().alias(f"{prefix}_text")

    @staticmethod
    def _with_month_names(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
        """Month names ("12 Mei 1980") rewritten to numbers, only on the rows that have letters."""
        t = f"{prefix}_text"
        worded = frame.select(pl.col(t).str.contains("[a-z]").fill_null(False)).to_series()
        if not worded.any():
            return frame
        text = pl.col(t)
        for number, names in _MONTHS.items():
            # ASCII word boundaries: the Unicode ones make the regex slow to build.
            pattern = rf"(?-u:\b)(?:{'|'.join(names)})(?-u:\b)\.?"
            text = text.str.replace_all(pattern, f" {number} ")
        rewritten = frame.filter(worded).select(text.str.strip_chars())
        return frame.with_columns(
            frame.get_column(t).scatter(worded.arg_true(), rewritten.to_series())
        )

    def _date_stages(self, frame: pl.LazyFrame, prefix: str) -> pl.LazyFrame:
        for stage in self._date_expressions(prefix):
            frame = frame.with_columns(stage)
        return frame

    @_built_once
    def _date_expressions(self, prefix: str) -> list[list[pl.Expr]]:
        t = f"{prefix}_text"
        dashed = pl.col(t).str.replace_all(r"[\s./\-]+", "-")
        shapes = [
            # ISO dates, possibly with the time part of a spreadsheet date cell
            pl.col(t)
            .str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", 1)
            .alias(f"{prefix}_iso"),
            dashed.str.extract(r"^(\d{1,2}-\d{1,2}-\d{4})$", 1).alias(f"{prefix}_dmy"),
            pl.col(t).str.extract(r"^(\d{8})$", 1).alias(f"{prefix}_compact"),  # 12051980
            pl.col(t)
            .str.extract(r"^(\d{5})(?:\.0+)?$", 1)
            .cast(pl.Int64, strict=False)
            .alias(f"{prefix}_serial"),  # an Excel date serial
            dashed.str.contains(r"^\d{1,2}-\d{1,2}-\d{2}$").alias(f"{prefix}_2digit"),
        ]
        iso, dmy, compact = (
            pl.col(f"{prefix}_iso"),
            pl.col(f"{prefix}_dmy"),
            pl.col(f"{prefix}_compact"),
        )
        serial = pl.col(f"{prefix}_serial")
        parsing = [
            pl.coalesce(
                iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
                dmy.str.strptime(pl.Date, "%d-%m-%Y", strict=False),
                compact.str.strptime(pl.Date, "%d%m%Y", strict=False),
                pl.when(serial.is_between(1, 80000)).then(
                    pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial)
                ),
            ).alias(f"{prefix}_parsed"),
            (iso.is_not_null() | dmy.is_not_null() | compact.is_not_null()).alias(
                f"{prefix}_shaped"
            ),
        ]
        parsed = pl.col(f"{prefix}_parsed")
        problem = (
            pl.when(pl.col(t).is_null())
            .then(None)
            .when(parsed.is_null() & pl.col(f"{prefix}_2digit"))
            .then(pl.lit(RegistryError.DATE_YEAR_2DIGIT.value))
            .when(parsed.is_null() & pl.col(f"{prefix}_shaped"))
            .then(pl.lit(RegistryError.DATE_NOT_EXIST.value))
            .when(parsed.is_null())
            .then(pl.lit(RegistryError.DATE_INVALID.value))
            .when(parsed > pl.lit(self.today))
            .then(pl.lit(RegistryError.DATE_FUTURE.value))
            .when(parsed < pl.lit(dt.date(1900, 1, 1)))
            .then(pl.lit(RegistryError.DATE_TOO_OLD.value))
        )
        return [
            shapes,
            parsing,
            [problem.alias(f"{prefix}_problem")],
            [pl.when(pl.col(f"{prefix}_problem").is_null()).then(parsed).alias(f"{prefix}_date")],
        ]

    @staticmethod
    def _parse_sex(raw: pl.Expr) -> pl.Expr:
        text = _clean_text(raw).str.to_lowercase().str.replace_all(r"[.\s]+$", "")
        return text.replace_strict(_SEX_VALUES, default=None, return_dtype=pl.String)

    @staticmethod
    def _parse_phone(raw: pl.Expr) -> pl.Expr:
        text = _blank_to_null(raw)
        digits = text.str.replace_all(r"\D", "")
        national = (
            pl.when(digits.str.starts_with("62"))
            .then(digits.str.slice(2))
            .when(digits.str.starts_with("0"))
            .then(digits.str.slice(1))
            .otherwise(digits)
        )
        shape_ok = text.str.contains(r"^[\d\s().\-/+]+$") & national.str.contains(
            r"^[1-9]\d{7,11}$"
        )
        return pl.when(shape_ok).then(pl.lit("+62") + national)

    @staticmethod
    def _parse_income(raw: pl.Expr) -> pl.Expr:
        text = _clean_text(raw).str.to_lowercase().str.replace(r"^rp\.?\s*", "")
        juta = text.str.extract(r"^(\d+(?:[.,]\d+)?)\s*(?:jt|juta)$", 1)
        juta_value = (juta.str.replace(",", ".").cast(pl.Float64, strict=False) * 1_000_000).round(
            0
        )
        # 1.000.000 / 1,000,000 / 1000000 / 1.500.000,00
        plain = text.str.replace(r"[.,]00$", "").str.replace_all(r"[.,\s]", "")
        number = pl.when(plain.str.contains(r"^\d{1,12}$")).then(plain.cast(pl.Int64, strict=False))
        return pl.coalesce(juta_value.cast(pl.Int64, strict=False), number)

    def _with_lookups(self, lazy: pl.LazyFrame, frame: pl.DataFrame) -> pl.LazyFrame:
        """`lazy` joined with the villages and occupations resolved from `frame`'s inputs."""
        ref = self.reference
        villages = frame.get_column("in_village").drop_nulls().unique().to_list()
        resolved = [self._resolve_village(v) for v in villages]
        village_map = pl.DataFrame(
            {
                "in_village": villages,
                "village_code": [r[0] for r in resolved],
                "village_problem": [r[1] for r in resolved],
                "village_detail": [r[2] for r in resolved],
            },
            schema={
                "in_village": pl.String,
                "village_code": pl.String,
                "village_problem": pl.String,
                "village_detail": pl.String,
            },
        )
        occupations = frame.get_column("in_occupation").drop_nulls().unique().to_list()
        codes = {code: name for code, name, _ in self.reference.occupations}
        occupation_map = pl.DataFrame(
            {
                "in_occupation": occupations,
                "occupation_code": [self._occupation(o) for o in occupations],
                # A bare category code (`buruh_harian_lepas`) is not free text worth keeping.
                "occupation_is_code": [
                    o.strip() in codes and o.strip() != codes[o.strip()] for o in occupations
                ],
            },
            schema={
                "in_occupation": pl.String,
                "occupation_code": pl.String,
                "occupation_is_code": pl.Boolean,
            },
        )
        provinces = pl.Series(ref.provinces, dtype=pl.String)
        districts = pl.Series(ref.districts, dtype=pl.String)
        return (
            lazy.join(
                village_map.lazy(),
                on="in_village",
                how="left",
                nulls_equal=False,
                maintain_order="left",
            )
            .join(
                occupation_map.lazy(),
                on="in_occupation",
                how="left",
                nulls_equal=False,
                maintain_order="left",
            )
            .with_columns(
                pl.col("nik_clean")
                .str.slice(0, 2)
                .is_in(provinces.implode())
                .alias("nik_province_ok"),
                pl.col("nik_clean")
                .str.slice(0, 6)
                .is_in(districts.implode())
                .alias("nik_district_ok"),
            )
        )

    def _resolve_village(self, raw: str) -> tuple[str | None, str | None, str | None]:
        """(code, problem code, detail) for one distinct village value."""
        text = " ".join(raw.split())
        if not text:
            return None, None, None
        index = self.reference.villages
        try:
            return index.resolve(text).code, None, None
        except DomainError as exc:
            try:
                code = region_code_clean(text)
            except DomainError:
                code = None
            if code and Region.objects.filter(code=code, level=Level.VILLAGE).exists():
                return None, RegistryError.VILLAGE_OUT_OF_SCOPE.value, code
            problem = (
                RegistryError.VILLAGE_AMBIGUOUS
                if exc.code == "region_name_ambiguous"
                else RegistryError.VILLAGE_NOT_FOUND
            )
            return None, problem.value, exc.message

    def _occupation(self, raw: str) -> str:
        """The category for free text: its code or name, else the longest keyword it contains."""
        text = " ".join(raw.split()).casefold()
        options = self.reference.occupations
        for code, name, _keywords in options:
            if text in (code, name):
                return code
        words = f" {re.sub(r'[^0-9a-z]+', ' ', text)} "
        best, best_length = "lainnya", 0
        for code, _name, keywords in options:
            for keyword in keywords:
                key = keyword.strip()
                if key and f" {key} " in words and len(key) > best_length:
                    best, best_length = code, len(key)
        return best

    @_built_once
    def _derived_from_nik(self) -> list[pl.Expr]:
        nik_ok = (
            pl.col("nik_ok_shape")
            & ~pl.col("in_nik_is_number")
            & pl.col("nik_province_ok").fill_null(False)
            & pl.col("nik_date_parts_ok")
            & pl.col("nik_date_exists")
            & (pl.col("nik_clean").str.slice(12, 4) != "0000")
        )
        # The NIK carries only a two-digit year: the 2000s when that makes a working-age adult.
        adult_2000 = pl.col("nik_date_2000") <= pl.lit(years_before(self.today, 15))
        nik_birth = pl.coalesce(
            pl.when(adult_2000).then(pl.col("nik_date_2000")),
            pl.col("nik_date_1900"),
            pl.col("nik_date_2000"),
        )
        name = pl.col("name_clean")
        return [
            nik_ok.alias("nik_valid"),
            pl.when(nik_ok).then(pl.col("nik_clean")).alias("nik"),
            pl.when(pl.col("kk_clean").str.contains(r"^\d{16}$"))
            .then(pl.col("kk_clean"))
            .otherwise(pl.lit(""))
            .alias("kk_number"),
            name.alias("full_name"),
            name.str.to_lowercase().alias("name_key"),
            pl.col("birth_place_in").fill_null("").alias("birth_place"),
            pl.coalesce(
                pl.col("birth_date_parsed"),
                pl.when(pl.col("birth_date_in").is_null() & nik_ok).then(nik_birth),
            ).alias("birth_date"),
            pl.coalesce(
                pl.col("sex_parsed"),
                pl.when(_clean_text(pl.col("in_sex")).is_null() & nik_ok).then(pl.col("nik_sex")),
            ).alias("sex"),
            _clean_text(pl.col("in_address")).fill_null("").alias("address"),
            pl.col("rt_clean").fill_null("").alias("rt"),
            pl.col("rw_clean").fill_null("").alias("rw"),
            pl.col("phone_parsed").fill_null("").alias("phone"),
            pl.col("occupation_code").fill_null("lainnya"),
            # Free text as entered; none when the category's own code was given.
            pl.when(pl.col("occupation_is_code").fill_null(False))
            .then(pl.lit(""))
            .otherwise(_clean_text(pl.col("in_occupation")).fill_null("").str.slice(0, 100))
            .alias("occupation_text"),
            pl.col("income_parsed").alias("reported_income"),
        ]

    @_built_once
    def _errors(self) -> pl.Expr:
        nik_raw = pl.col("nik_raw")
        shape = pl.col("nik_ok_shape")
        digits_only = pl.col("nik_clean").str.contains(r"^\d+$")
        parts = [
            _issue(nik_raw.is_null(), "nik", RegistryError.NIK_REQUIRED),
            _issue(
                pl.col("in_nik_is_number") & nik_raw.is_not_null(),
                "nik",
                RegistryError.NIK_EXCEL_NUMBER,
            ),
            _issue(
                pl.col("nik_scientific") & ~pl.col("in_nik_is_number"),
                "nik",
                RegistryError.NIK_SCIENTIFIC,
                nik_raw,
            ),
            _issue(
                nik_raw.is_not_null()
                & ~pl.col("nik_scientific")
                & ~pl.col("in_nik_is_number")
                & ~digits_only,
                "nik",
                RegistryError.NIK_NOT_DIGITS,
                nik_raw,
            ),
            _issue(
                digits_only & ~shape & ~pl.col("in_nik_is_number"),
                "nik",
                RegistryError.NIK_LENGTH,
                pl.col("nik_clean").str.len_chars(),
            ),
            _issue(
                shape & ~pl.col("in_nik_is_number") & ~pl.col("nik_province_ok"),
                "nik",
                RegistryError.NIK_PROVINCE,
                pl.col("nik_clean").str.slice(0, 2),
            ),
            _issue(
                shape
                & ~pl.col("in_nik_is_number")
                & ~_between(pl.col("nik_day_raw"), 1, 31)
                & ~_between(pl.col("nik_day_raw"), 41, 71),
                "nik",
                RegistryError.NIK_DAY,
                pl.col("nik_clean").str.slice(6, 2),
            ),
            _issue(
                shape & ~pl.col("in_nik_is_number") & ~_between(pl.col("nik_month"), 1, 12),
                "nik",
                RegistryError.NIK_MONTH,
                pl.col("nik_clean").str.slice(8, 2),
            ),
            _issue(
                pl.col("nik_date_parts_ok")
                & ~pl.col("in_nik_is_number")
                & ~pl.col("nik_date_exists"),
                "nik",
                RegistryError.NIK_DATE,
                pl.col("nik_clean").str.slice(6, 6),
            ),
            _issue(
                shape
                & ~pl.col("in_nik_is_number")
                & (pl.col("nik_clean").str.slice(12, 4) == "0000"),
                "nik",
                RegistryError.NIK_SERIAL,
            ),
            _issue(
                pl.col("kk_clean").is_not_null() & ~pl.col("kk_clean").str.contains(r"^\d{16}$"),
                "kk_number",
                RegistryError.KK_INVALID,
                _clean_text(pl.col("in_kk_number")),
            ),
            _issue(pl.col("name_clean").is_null(), "full_name", RegistryError.NAME_REQUIRED),
            _issue(
                pl.col("name_clean").str.len_chars() > 150, "full_name", RegistryError.NAME_TOO_LONG
            ),
            _issue(
                pl.col("name_clean").str.contains(r"[^\p{L}\s.,'’`\-]"),
                "full_name",
                RegistryError.NAME_INVALID,
            ),
            _issue(
                pl.col("birth_place_in").str.len_chars() > 100,
                "birth_place",
                RegistryError.BIRTH_PLACE_TOO_LONG,
            ),
            _issue(
                pl.col("birth_date_in").is_null() & ~pl.col("nik_valid"),
                "birth_date",
                RegistryError.BIRTH_DATE_REQUIRED,
            ),
        ]
        for code in (
            RegistryError.DATE_YEAR_2DIGIT,
            RegistryError.DATE_NOT_EXIST,
            RegistryError.DATE_INVALID,
            RegistryError.DATE_FUTURE,
            RegistryError.DATE_TOO_OLD,
        ):
            parts.append(
                _issue(
                    pl.col("birth_date_problem") == code.value,
                    "birth_date",
                    code,
                    pl.col("birth_date_in"),
                )
            )
        sex_given = _clean_text(pl.col("in_sex"))
        village_given = _clean_text(pl.col("in_village"))
        parts += [
            _issue(sex_given.is_null() & ~pl.col("nik_valid"), "sex", RegistryError.SEX_REQUIRED),
            _issue(
                sex_given.is_not_null() & pl.col("sex_parsed").is_null(),
                "sex",
                RegistryError.SEX_INVALID,
                sex_given,
            ),
            _issue(village_given.is_null(), "village", RegistryError.VILLAGE_REQUIRED),
        ]
        for code in (
            RegistryError.VILLAGE_NOT_FOUND,
            RegistryError.VILLAGE_AMBIGUOUS,
            RegistryError.VILLAGE_OUT_OF_SCOPE,
        ):
            parts.append(
                _issue(
                    pl.col("village_problem") == code.value,
                    "village",
                    code,
                    pl.col("village_detail"),
                )
            )
        rt_bad = pl.col("rt_in").is_not_null() & pl.col("rt_clean").is_null()
        rw_bad = pl.col("rw_in").is_not_null() & pl.col("rw_clean").is_null()
        phone_given = _clean_text(pl.col("in_phone"))
        income_given = _clean_text(pl.col("in_reported_income"))
        parts += [
            _issue(
                _clean_text(pl.col("in_address")).str.len_chars() > 255,
                "address",
                RegistryError.ADDRESS_TOO_LONG,
            ),
            _issue(
                pl.col("rt_rw_bad") | rt_bad | rw_bad,
                "rt_rw",
                RegistryError.RT_RW_INVALID,
                pl.coalesce(
                    _clean_text(pl.col("in_rt_rw")),
                    pl.concat_str(
                        [pl.col("rt_in").fill_null(""), pl.col("rw_in").fill_null("")],
                        separator="/",
                    ),
                ),
            ),
            _issue(
                phone_given.is_not_null() & pl.col("phone_parsed").is_null(),
                "phone",
                RegistryError.PHONE_INVALID,
                phone_given,
            ),
            _issue(
                income_given.is_not_null() & pl.col("income_parsed").is_null(),
                "reported_income",
                RegistryError.INCOME_INVALID,
                income_given,
            ),
        ]
        return _issues(parts)

    @_built_once
    def _warnings(self) -> pl.Expr:
        valid = pl.col("nik_valid")
        birth = pl.col("birth_date_parsed")
        nik_ddmmyy = pl.col("nik_clean").str.slice(6, 6)
        birth_matches = (
            (birth.dt.day() == pl.col("nik_day"))
            & (birth.dt.month() == pl.col("nik_month"))
            & ((birth.dt.year() % 100) == pl.col("nik_yy"))
        )
        nik_day = pl.col("nik_day").cast(pl.String).str.zfill(2)
        nik_date_text = pl.concat_str(
            [
                nik_day,
                pl.col("nik_month").cast(pl.String).str.zfill(2),
                pl.col("nik_yy").cast(pl.String).str.zfill(2),
            ],
            separator="-",
        )
        return _issues(
            [
                _issue(
                    valid & ~pl.col("nik_district_ok"),
                    "nik",
                    RegistryError.NIK_DISTRICT_UNKNOWN,
                    pl.col("nik_clean").str.slice(0, 6),
                ),
                _issue(
                    valid & birth.is_not_null() & ~birth_matches,
                    "birth_date",
                    RegistryError.NIK_BIRTH_DATE_MISMATCH,
                    nik_date_text,
                ),
                _issue(
                    valid
                    & pl.col("sex_parsed").is_not_null()
                    & (pl.col("sex_parsed") != pl.col("nik_sex")),
                    "sex",
                    RegistryError.NIK_SEX_MISMATCH,
                ),
                _issue(
                    valid & pl.col("birth_date_in").is_null(),
                    "birth_date",
                    RegistryError.BIRTH_DATE_FROM_NIK,
                    nik_ddmmyy,
                ),
                _issue(
                    valid & _clean_text(pl.col("in_sex")).is_null(),
                    "sex",
                    RegistryError.SEX_FROM_NIK,
                    pl.col("nik_sex"),
                ),
            ]
        )


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _between(expr: pl.Expr, low: int, high: int) -> pl.Expr:
    return ((expr >= low) & (expr <= high)).fill_null(False)


def _date_exists(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Whether year-month-day is a calendar date (Gregorian leap years), without parsing text."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days_in_month = (
        pl.when(month == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
    return (month >= 1) & (month <= 12) & (day >= 1) & (day <= days_in_month)


def _pad3(expr: pl.Expr) -> pl.Expr:
    text = _clean_text(expr)
    return pl.when(text.str.contains(r"^\d{1,3}$")).then(text.str.zfill(3))


def sex_label(code: str) -> str:
    return str(Sex(code).label)


def issues_from(items: Iterable[Mapping[str, Any]]) -> list[Issue]:
    return [Issue(field=i["field"], code=i["code"], arg=i.get("arg")) for i in items]


__all__ = [
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "Issue",
    "RowResult",
    "WorkerValidator",
    "issues_from",
    "phonetic_token",
]  # fmt: skip
