"""Test-only helpers."""

from __future__ import annotations

from importlib import import_module

from django.db.backends.base.base import BaseDatabaseWrapper

_append_only = import_module("lindungi.core.migrations.0002_audit_append_only")


def audit_triggers(connection: BaseDatabaseWrapper, *, active: bool) -> None:
    """Switch the audit log's append-only triggers on or off — only ever in the test database,
    where a transactional test ends by flushing every table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"ALTER TABLE core_auditevent {'ENABLE' if active else 'DISABLE'} TRIGGER USER"
            )
        elif connection.vendor == "sqlite":
            if active:
                for statement in _append_only.SQLITE_UP:
                    cursor.execute(
                        statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS")
                    )
            else:
                for statement in _append_only.SQLITE_DOWN:
                    cursor.execute(statement)


def database_url() -> str:
    """The test database as a DATABASE_URL, for the child processes of the fault tests."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER'] or ''}@{host}:{port}/{db['NAME']}"
