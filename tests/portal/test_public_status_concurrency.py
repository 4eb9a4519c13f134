"""The public check's limits hold under concurrent requests (issue 22): N requests at once get at
most the limit of answers — counted and checked in one step, against the live test database."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from lindungi.core.models import AuditEvent

URL = "/api/v1/public/status"


@pytest.fixture
def limits(settings):
    settings.LINDUNGI = {**settings.LINDUNGI, "PUBLIC_CHECK_MIN_SECONDS": 0,
                         "PUBLIC_CHECK_PER_ADDRESS_PER_MINUTE": 10,
                         "PUBLIC_CHECK_PER_NIK_PER_HOUR": 5}  # fmt: skip


def _at_once(requests: list[tuple[str, str]]) -> list[int]:
    """Post every (nik, address) from its own thread and connection, all released together."""
    barrier = threading.Barrier(len(requests))
    statuses: list[Any] = [None] * len(requests)

    def ask(index: int, nik: str, address: str) -> None:
        try:
            barrier.wait(timeout=30)
            response = Client().post(URL, {"nik": nik, "birth_date": "1980-05-12"},
                                     content_type="application/json", REMOTE_ADDR=address)  # fmt: skip
            statuses[index] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _results() -> list[str]:
    rows = AuditEvent.objects.filter(action="public.status_check")
    return sorted(rows.values_list("changes__result", flat=True))


def test_sixteen_requests_from_one_address_get_ten_answers(live_db, limits):
    statuses = _at_once([(f"640206120580{9000 + n}", "203.0.113.50") for n in range(16)])
    assert sorted(statuses) == [200] * 10 + [429] * 6
    assert _results() == ["not_found"] * 10 + ["rate_limited"] * 6


def test_eight_requests_for_one_nik_from_eight_addresses_get_five_answers(live_db, limits):
    statuses = _at_once([("6402061205809999", f"203.0.113.{n}") for n in range(8)])
    assert sorted(statuses) == [200] * 5 + [429] * 3
    assert _results() == ["not_found"] * 5 + ["rate_limited"] * 3
