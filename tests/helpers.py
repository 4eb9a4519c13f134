"""Test-only helpers."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

_append_only = import_module("lindungi.core.migrations.0002_audit_append_only")

# The suite runs twice in CI (.ci/run): on SQLite, then on PostgreSQL.
POSTGRES = connection.vendor == "postgresql"


def requires_postgres(why: str) -> pytest.MarkDecorator:
    """Run the test only in the PostgreSQL run; `why` says what SQLite lacks."""
    return pytest.mark.skipif(not POSTGRES, reason=f"PostgreSQL only (the CI's second run): {why}")


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
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER'] or ''}@{host}:{port}/{db['NAME']}"


ROOT = Path(__file__).resolve().parent.parent


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process on the test database (local settings)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "lindungi.settings.local",
        **extra,
    }


def manage_process(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`manage.py ARGS` in its own process on the test database, output captured as text."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_env(**(env or {})),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
