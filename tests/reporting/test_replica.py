"""Dashboards and coverage reports read from a reporting replica when one is configured
(core/routers.py); writes and every other read stay on the primary.

The "replica" here is the test settings' `reporting` alias: a second connection to the test
database, as `REPORTING_DATABASE_URL` would configure one — what matters is which connection each
query takes. bench/replica_bench.py runs the same against a real streaming replica.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from lindungi.core.models import Job
from lindungi.core.routers import REPORTING, ReportingRouter, reporting_reads
from lindungi.registry.models import Worker
from lindungi.reporting.dashboard import dashboard
from lindungi.reporting.selectors import coverage
from lindungi.reporting.snapshot import snapshot_refresh

from ..billing.helpers import co_funded, enrol_all

TODAY = dt.date(2026, 11, 23)


def _panels(board):
    return {panel.key: panel.rows for panel in board.panels}


def test_the_router_sends_only_report_reads_to_the_replica(settings):
    router = ReportingRouter()
    settings.REPORTING_REPLICA = True
    assert router.db_for_read(Worker) is None  # outside a report: the primary
    with reporting_reads():
        assert router.db_for_read(Worker) == REPORTING
        assert router.db_for_write(Worker) == "default"
    assert router.db_for_read(Worker) is None
    assert router.allow_migrate(REPORTING, "registry") is False
    settings.REPORTING_REPLICA = False
    with reporting_reads():
        assert router.db_for_read(Worker) is None  # no replica configured: nothing changes


@pytest.mark.django_db(transaction=True, databases=["default", REPORTING])
def test_a_dashboard_reads_the_replica_and_shows_what_the_primary_shows(live_db, kukar, settings):
    enrol_all(kukar, co_funded(kukar))
    snapshot_refresh(on=TODAY)  # committed: the replica connection sees it
    actor = kukar.world.regency_admin
    primary_board = dashboard(actor=actor, region_code="64.02", today=TODAY)
    primary_report = coverage(actor=actor, region_code="64.02", year=2026)

    settings.REPORTING_REPLICA = True
    replica = connections[REPORTING]
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        board = dashboard(actor=actor, region_code="64.02", today=TODAY)
        report = coverage(actor=actor, region_code="64.02", year=2026)
        with reporting_reads():
            Job.objects.create(kind="x", label="a write inside a report")

    assert replica.connection is not connection.connection  # its own session
    assert len(on_replica) > 10
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in on_replica.captured_queries)
    assert [q["sql"].split()[0].upper() for q in on_primary.captured_queries] == ["INSERT"]
    regions = board.panel("regions")
    assert regions.rows[regions.links.index("64.02.06")][1] == 5
    assert _panels(board) == _panels(primary_board)
    assert report == primary_report
