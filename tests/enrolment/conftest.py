"""A small Kutai Kartanegara world for programmes and enrolment: verified workers in two
villages of Tenggarong, one too young, one unverified, one in Balikpapan (outside)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from lindungi.programmes.models import Programme
from lindungi.programmes.services import programme_create
from lindungi.registry.models import Worker
from lindungi.registry.services import worker_create, worker_verify_many

from ..conftest import World

LOA_IPUH = "64.02.06.1002"
NAMES = ["Budi Santoso", "Siti Aminah", "Andi Pratama", "Rahmat Hidayat", "Dewi Lestari",
         "Fajar Nugroho", "Yusuf Maulana", "Aminah Bakri", "Hendra Wijaya"]  # fmt: skip


def person(serial: int, *, born: str = "12-05-1980", village: str = "Loa Ipuh", **extra: Any):
    day, month, year = born.split("-")
    nik = f"640206{day}{month}{year[2:]}{serial:04d}"
    return {
        "nik": nik,
        "full_name": NAMES[serial - 1],
        "birth_place": "Tenggarong",
        "birth_date": born,
        "sex": "L",
        "village": village,
        "occupation": extra.pop("occupation", "petani"),
        "reported_income": "1.000.000",
        **extra,
    }


@dataclass
class Kukar:
    world: World
    workers: list[Worker]  # verified, eligible, Loa Ipuh
    young: Worker  # 14 years old on 1 January 2026
    unverified: Worker
    outside: Worker  # Manggar, Kota Balikpapan


@pytest.fixture
def kukar(world: World) -> Kukar:
    workers = [
        worker_create(actor=world.village_operator, data=person(n, occupation=occ))
        for n, occ in enumerate(["petani", "nelayan", "petani", "pedagang", "ojek"], start=1)
    ]
    young = worker_create(actor=world.village_operator, data=person(6, born="02-03-2012"))
    unverified = worker_create(actor=world.village_operator, data=person(7))
    outside = worker_create(
        actor=world.manggar_operator,
        data={**person(8, village="Manggar"), "nik": "6471011205800008"},
    )
    worker_verify_many(actor=world.regency_admin, worker_ids=[w.pk for w in [*workers, young]])
    worker_verify_many(actor=world.balikpapan_admin, worker_ids=[outside.pk])
    for w in [*workers, young, unverified, outside]:
        w.refresh_from_db()
    return Kukar(world, workers, young, unverified, outside)


PROGRAMME = {
    "name": "Perlindungan Pekerja Rentan Kukar 2026",
    "funder": "APBD_KABKOTA",
    "funder_name": "Pemkab Kutai Kartanegara",
    "legal_basis": "Perbup Kukar No. 12/2025",
    "budget_year": 2026,
    "budget_amount": 3_000_000_000,
    "start_date": dt.date(2026, 1, 1),
    "end_date": dt.date(2026, 12, 31),
    "targets": [{"region_code": "64.02.06", "quota": None}],
}


@pytest.fixture
def programme(kukar: Kukar) -> Programme:
    return programme_create(actor=kukar.world.regency_admin, data=PROGRAMME)
