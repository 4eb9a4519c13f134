import pytest
from django.db import DatabaseError, connection, transaction

from lindungi.core.audit import audit_record, audit_record_many, diff
from lindungi.core.context import action_context
from lindungi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_record_carries_actor_context_and_changes(world):
    with action_context("cli", ip="10.0.0.7"):
        event = audit_record(
            actor=world.regency_admin,
            action="thing.update",
            object_type="x.thing",
            object_id=42,
            region_code="64.02",
            changes={"a": [1, 2]},
        )
    event.refresh_from_db()
    assert (event.actor_username, event.actor_role) == ("admin.kukar", "regency_admin")
    assert (event.channel, event.ip, event.object_id) == ("cli", "10.0.0.7", "42")
    assert event.changes == {"a": [1, 2]}


def test_diff_keeps_only_changed_fields():
    assert diff({"a": 1, "b": "x", "c": None}, {"a": 1, "b": "y", "c": ""}) == {"b": ["x", "y"]}


def test_events_cannot_be_changed_through_the_orm(world):
    event = audit_record(actor=None, action="x")
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE core_auditevent SET action = 'forged'", "DELETE FROM core_auditevent"]
)
def test_events_cannot_be_changed_in_the_database(world, statement):
    audit_record(actor=None, action="original")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.filter(action="original").count() == 1
    assert not AuditEvent.objects.filter(action="forged").exists()


def test_bulk_records(world):
    n = audit_record_many(
        actor=world.regency_admin,
        action="worker.import",
        object_type="registry.worker",
        items=[(i, "64.02.06.1002", {"status": [None, "created"]}) for i in range(1, 2501)],
    )
    assert n == 2500
    assert (
        AuditEvent.objects.filter(action="worker.import", region_code="64.02.06.1002").count()
        == 2500
    )
