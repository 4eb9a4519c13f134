"""Production settings refuse to start without secrets and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "lindungi.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_fails_loudly_without_a_secret():
    result = _manage("check", ALLOWED_HOSTS="lindungi.example.go.id")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_embedded_secret():
    result = _manage(
        "check",
        SECRET_KEY="insecure-local-only-key-do-not-use-in-production-7c1f",
        ALLOWED_HOSTS="x",
    )
    assert result.returncode != 0


def test_production_passes_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="lindungi.example.go.id",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
