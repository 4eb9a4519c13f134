"""Fixtures of the import tests."""

import pytest

from lindungi.registry.services import worker_create


@pytest.fixture
def registered(world):
    op = world.village_operator
    siti = worker_create(
        actor=op,
        data={
            "nik": "6402065705850002",
            "full_name": "Siti Aminah",
            "birth_place": "Tenggarong",
            "birth_date": "17-05-1985",
            "sex": "P",
            "village": "Loa Ipuh",
            "phone": "0811 1111 1111",
        },
    )
    rizki = worker_create(
        actor=op,
        data={
            "nik": "6402060101700004",
            "full_name": "Muhammad Rizki",
            "birth_place": "Tenggarong",
            "birth_date": "01-01-1970",
            "sex": "L",
            "village": "Loa Ipuh",
        },
    )
    worker_create(
        actor=world.manggar_operator,
        data={
            "nik": "6471011005900006",
            "full_name": "Aminah",
            "birth_date": "10-05-1990",
            "sex": "P",
            "village": "Manggar",
        },
    )
    return {"siti": siti, "rizki": rizki}
