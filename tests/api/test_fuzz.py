"""API fuzzing (issue 10): every operation of `/api/v1/openapi.json`, with data generated from
the schema by schemathesis, as a national and as a regency account — no 5xx, every response
with a documented status matches its documented schema, and every write the API accepts leaves
a row in the audit log.

CI runs a few examples per operation; the full run is one command:

    FUZZ_EXAMPLES=100 .venv/bin/pytest tests/api/test_fuzz.py -p no:cacheprovider

(with DATABASE_URL set, on PostgreSQL).
Operations that end the caller's own session are called last by no one: revoking the token the
fuzzer authenticates with would turn every later case into a 401 and hide the rest.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from lindungi.accounts.services import token_issue
from lindungi.core.models import AuditEvent
from lindungi.registry.services import worker_create

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
# CI: a regency account (scoped: the more refusals to get right); the full run adds a national one
ROLES = ["regency_admin", "superadmin"] if "FUZZ_EXAMPLES" in os.environ else ["regency_admin"]
SELF_ENDING = {("DELETE", "/api/v1/auth/token")}
# POSTs that compute an answer and change nothing (every other accepted write leaves audit rows)
READ_ONLY = {
    ("POST", "/api/v1/benefits/estimate"),
    ("POST", "/api/v1/programmes/{programme_id}/eligibility"),
    ("POST", "/api/v1/workers/search"),  # a read, posted so no NIK or name stands in the URL
}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def in_test_transaction():
    """Requests go through the real WSGI handler; like Django's test client, keep it from
    closing the test's database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world, in_test_transaction):
    """Bearer tokens of a national and a regency account, with a few workers to find."""
    for nik, name, sex, birth in [
        ("6402061205800001", "Budi Santoso", "L", "1980-05-12"),
        ("6402065705850002", "Siti Aminah", "P", "1985-05-17"),
    ]:
        worker_create(
            actor=world.regency_admin,
            data={
                "nik": nik,
                "full_name": name,
                "sex": sex,
                "birth_date": birth,
                "village": "64.02.06.1002",
            },
        )
    return {
        "superadmin": token_issue(user=world.superadmin, name="fuzz")[1],
        "regency_admin": token_issue(user=world.regency_admin, name="fuzz")[1],
    }


@pytest.mark.django_db
@schema.exclude(method=[m for m, _ in SELF_ENDING], path=[p for _, p in SELF_ENDING]).parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_and_every_answer_matches_its_schema(case, role, tokens):
    """…and every accepted write leaves an audit row (the audit log is complete)."""
    before = AuditEvent.objects.count()
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {tokens[role]}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
    accepted_write = case.method != "GET" and 200 <= response.status_code < 300
    if accepted_write and (case.method, case.path) not in READ_ONLY:
        assert AuditEvent.objects.count() > before, f"{case.method} {case.path}: no audit row"
