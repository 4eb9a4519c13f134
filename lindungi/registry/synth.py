"""Realistic synthetic Indonesian workers, vectorised (a million rows in seconds).

Names come from Faker's `id_ID` lists; NIKs are valid and consistent with the district of
issue, birth date and sex (domain.md §4); villages and occupations come from the seeded data.
Used by tests, benchmarks and the demo world. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl
from faker.providers.address.id_ID import Provider as AddressProvider
from faker.providers.person.id_ID import Provider as PersonProvider

from lindungi.regions.models import Level, Region
from lindungi.regions.names import normalise

# (occupation text as operators write it, weight); the validator maps the text to a category.
OCCUPATION_TEXTS: list[tuple[str, float]] = [
    ("Petani", 0.22),
    ("Petani sawit", 0.08),
    ("Pekebun karet", 0.04),
    ("Nelayan", 0.10),
    ("Pedagang", 0.08),
    ("PKL", 0.04),
    ("Buruh harian lepas", 0.14),
    ("Ojek", 0.06),
    ("Sopir", 0.03),
    ("Tukang batu", 0.05),
    ("Pengrajin anyaman", 0.02),
    ("Perangkat desa", 0.04),
    ("Ketua RT", 0.03),
    ("Anggota BPD", 0.01),
    ("Ibu rumah tangga", 0.03),
    ("Serabutan", 0.03),
]
INCOMES = np.array([1_000_000, 1_500_000, 2_000_000, 3_000_000])
INCOME_WEIGHTS = np.array([0.85, 0.08, 0.05, 0.02])
FIRST_MALE = list(PersonProvider.first_names_male)
FIRST_FEMALE = list(PersonProvider.first_names_female)
LAST_MALE = list(PersonProvider.last_names_male)
LAST_FEMALE = list(PersonProvider.last_names_female)
STREETS = list(AddressProvider.streets)


@dataclass(frozen=True)
class Villages:
    codes: np.ndarray
    district_prefixes: np.ndarray  # six-digit NIK prefixes of each village's district
    names: np.ndarray
    regency_names: np.ndarray


def villages_under(region_code: str | None) -> Villages:
    qs = Region.objects.filter(level=Level.VILLAGE, is_active=True)
    if region_code:
        qs = qs.filter(code__startswith=f"{region_code}.") | qs.filter(code=region_code)
    rows = list(qs.order_by("code").values_list("code", "name"))
    if not rows:
        raise ValueError(f"no villages under {region_code}")
    regency_codes = sorted({code[:5] for code, _ in rows})
    regency_names = {
        r.code: r.name.replace("Kabupaten ", "").replace("Kota ", "")
        for r in Region.objects.filter(code__in=regency_codes)
    }
    return Villages(
        codes=np.array([code for code, _ in rows]),
        district_prefixes=np.array([code[:8].replace(".", "") for code, _ in rows]),
        names=np.array([name for _, name in rows]),
        regency_names=np.array([regency_names[code[:5]] for code, _ in rows]),
    )


def synth_workers(
    count: int, *, seed: int, region_code: str | None = "64", today: dt.date | None = None
) -> pl.DataFrame:
    """`count` distinct synthetic workers living in villages under `region_code`.

    Columns: person_id, nik, kk_number, full_name, birth_place, birth_date (Date), sex,
    village_code, village_name, address, rt, rw, phone, occupation, reported_income.
    """
    rng = np.random.default_rng(seed)
    villages = villages_under(region_code)
    today = today or dt.date(2026, 1, 1)
    n = count

    village_idx = rng.integers(0, len(villages.codes), n)
    female = rng.random(n) < 0.5
    first = np.where(
        female,
        np.array(FIRST_FEMALE)[rng.integers(0, len(FIRST_FEMALE), n)],
        np.array(FIRST_MALE)[rng.integers(0, len(FIRST_MALE), n)],
    )
    last = np.where(
        female,
        np.array(LAST_FEMALE)[rng.integers(0, len(LAST_FEMALE), n)],
        np.array(LAST_MALE)[rng.integers(0, len(LAST_MALE), n)],
    )
    middle = np.where(
        female,
        np.array(FIRST_FEMALE)[rng.integers(0, len(FIRST_FEMALE), n)],
        np.array(FIRST_MALE)[rng.integers(0, len(FIRST_MALE), n)],
    )
    shape = rng.random(n)  # 15% one name, 60% two names, 25% three names
    # Ages 18–65 on `today`.
    oldest = (today - dt.date(today.year - 66, today.month, 1)).days
    youngest = (today - dt.date(today.year - 18, today.month, 1)).days
    birth_days = rng.integers(youngest, oldest, n)
    # 90% hold a NIK issued in their own district, 10% elsewhere in the region.
    issued_idx = np.where(rng.random(n) < 0.9, village_idx, rng.integers(0, len(villages.codes), n))
    has_phone = rng.random(n) < 0.8
    phone_digits = rng.integers(10**8, 10**9, n)
    phone_prefix = np.array(["0812", "0813", "0821", "0852", "0853", "0857", "0878", "0895"])[
        rng.integers(0, 8, n)
    ]
    occupations = np.array([text for text, _ in OCCUPATION_TEXTS])
    weights = np.array([w for _, w in OCCUPATION_TEXTS])
    frame = pl.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "first": first,
            "middle": middle,
            "last": last,
            "shape": shape,
            "female": female,
            "birth_days": birth_days,
            "village_code": villages.codes[village_idx],
            "village_name": villages.names[village_idx],
            "birth_place": np.where(
                rng.random(n) < 0.7,
                villages.regency_names[village_idx],
                villages.regency_names[rng.integers(0, len(villages.codes), n)],
            ),
            "nik_prefix": villages.district_prefixes[issued_idx],
            "street": np.array(STREETS)[rng.integers(0, len(STREETS), n)],
            "house": rng.integers(1, 250, n),
            "rt": rng.integers(1, 16, n),
            "rw": rng.integers(1, 8, n),
            "phone": np.where(has_phone, np.char.add(phone_prefix, phone_digits.astype(str)), ""),
            "occupation": occupations[rng.choice(len(occupations), n, p=weights / weights.sum())],
            "reported_income": INCOMES[rng.choice(len(INCOMES), n, p=INCOME_WEIGHTS)],
            "kk_serial": rng.integers(1, 9999, n),
            "kk_days": rng.integers(300, 6000, n),
        }
    )
    frame = frame.with_columns(
        (pl.lit(today) - pl.duration(days=pl.col("birth_days"))).cast(pl.Date).alias("birth_date")
    )
    day = pl.col("birth_date").dt.day() + pl.when(pl.col("female")).then(40).otherwise(0)
    dob = pl.format(
        "{}{}{}",
        day.cast(pl.String).str.zfill(2),
        pl.col("birth_date").dt.month().cast(pl.String).str.zfill(2),
        (pl.col("birth_date").dt.year() % 100).cast(pl.String).str.zfill(2),
    )
    frame = frame.with_columns(dob.alias("dob"))
    # Serial 0001… among people of the same district and birth date: unique NIKs by construction.
    frame = frame.with_columns(
        pl.int_range(1, pl.len() + 1).over(["nik_prefix", "dob"]).alias("serial")
    )
    kk_date = pl.lit(today) - pl.duration(days=pl.col("kk_days"))
    full_name = (
        pl.when(pl.col("shape") < 0.15)
        .then(pl.col("first"))
        .when(pl.col("shape") < 0.75)
        .then(pl.concat_str(["first", "last"], separator=" "))
        .otherwise(pl.concat_str(["first", "middle", "last"], separator=" "))
    )
    return frame.select(
        "person_id",
        pl.concat_str(["nik_prefix", "dob", pl.col("serial").cast(pl.String).str.zfill(4)]).alias(
            "nik"
        ),
        pl.concat_str(
            [
                "nik_prefix",
                kk_date.dt.strftime("%d%m%y"),
                pl.col("kk_serial").cast(pl.String).str.zfill(4),
            ]
        ).alias("kk_number"),
        full_name.alias("full_name"),
        "birth_place",
        "birth_date",
        pl.when(pl.col("female")).then(pl.lit("P")).otherwise(pl.lit("L")).alias("sex"),
        "village_code",
        "village_name",
        pl.format("Jl. {} No. {}", "street", "house").alias("address"),
        pl.col("rt").cast(pl.String).str.zfill(3),
        pl.col("rw").cast(pl.String).str.zfill(3),
        "phone",
        "occupation",
        "reported_income",
    )


def village_name_key(name: str) -> str:
    return normalise(name)
