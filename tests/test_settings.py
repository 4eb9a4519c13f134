"""Production settings refuse to start without secrets and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

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


# Issue 22, finding 7: the placeholder of deploy/lindungi.env.example started production.
EXAMPLE_SECRET = next(
    line.split("=", 1)[1].strip()
    for line in (ROOT / "deploy" / "lindungi.env.example").read_text().splitlines()
    if line.startswith("SECRET_KEY=")
)
PLACEHOLDERS = {
    "the example file's": EXAMPLE_SECRET,
    "the embedded development key": "insecure-local-only-key-do-not-use-in-production-7c1f",
    "startproject's": "django-insecure-" + secrets.token_urlsafe(45),
    "a change-me": "CHANGE_ME_" + secrets.token_urlsafe(45),
    "a replace-this": "replace-this-with-a-long-random-secret-key-for-production-use-2026",
    "a your-secret-key": "your-secret-key-goes-here-" + secrets.token_hex(20),
    "one character": "a" * 64,
    "a repeated pattern": "0123456789" * 6,
    "a run of one character": secrets.token_urlsafe(40) + "xxxxxxxxxxxxxxxxxxxx",
    "a short one": secrets.token_urlsafe(24),
}


def _production_import(secret: str) -> subprocess.CompletedProcess[str]:
    """Importing the production settings, which is what every process does first."""
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-c", "import lindungi.settings.production"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": secret, "ALLOWED_HOSTS": "lindungi.example.go.id"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("secret", PLACEHOLDERS.values(), ids=PLACEHOLDERS.keys())
def test_production_refuses_placeholder_and_weak_secrets(secret):
    result = _production_import(secret)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY" in result.stderr
    assert secret not in result.stderr  # the refusal never echoes the key


@pytest.mark.parametrize(
    "secret",
    [
        secrets.token_urlsafe(60),
        secrets.token_hex(32),  # `openssl rand -hex 32`: 16 distinct characters
        get_random_secret_key(),
    ],
    ids=["token_urlsafe", "hex", "django"],
)
def test_production_accepts_random_secrets(secret):
    result = _production_import(secret)
    assert result.returncode == 0, result.stderr


def test_the_placeholder_stops_manage_py_loudly():
    result = _manage("check", SECRET_KEY=EXAMPLE_SECRET, ALLOWED_HOSTS="lindungi.example.go.id")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "placeholder" in result.stderr
