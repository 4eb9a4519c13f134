"""Production settings refuse to start without secrets and pass Django's deployment checks."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

from .helpers import child_env

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


# Issue 22, finding 7: `make run` (manage.py's default settings) had DEBUG on, so anonymous
# visitors got Django's technical pages (the URL list, the settings); wsgi.py/asgi.py, what
# gunicorn loads, defaulted to those settings too.
def _settings_of(module: str, **env: str) -> str:
    """`DEBUG SETTINGS_MODULE` as a process that imports `module` (and nothing else) sees them."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    code = f"import {module}; from django.conf import settings; print(settings.DEBUG, settings.SETTINGS_MODULE)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return (result.stdout.strip() or result.stderr.strip().splitlines()[-1]).strip()


@pytest.mark.parametrize("module", ["lindungi.wsgi", "lindungi.asgi"])
def test_what_gunicorn_loads_defaults_to_the_production_settings(module):
    secret = secrets.token_urlsafe(60)
    assert _settings_of(module, SECRET_KEY=secret, ALLOWED_HOSTS="lindungi.example.go.id") == (
        "False lindungi.settings.production"
    )
    # and so without a secret it refuses to start rather than fall back to a development key
    assert "ImproperlyConfigured" in _settings_of(module)


def test_the_local_settings_debug_only_when_asked():
    """manage.py's default (what `make run` uses); the serve test below shows the pages."""
    local = {"DJANGO_SETTINGS_MODULE": "lindungi.settings.local"}
    assert _settings_of("django.conf", **local).startswith("False")
    assert _settings_of("django.conf", **local, DEBUG="1").startswith("True")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_make_run_server_shows_anonymous_visitors_plain_error_pages(live_db):
    port = _free_port()
    env = {
        k: v for k, v in child_env().items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}
    }  # what `make run` has: manage.py's own default settings
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--addr", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, "manage.py serve stopped"
            try:
                status, login = _get(f"http://127.0.0.1:{port}/masuk/")
                break
            except OSError:
                assert time.monotonic() < deadline, "manage.py serve did not start"
                time.sleep(0.5)
        assert status == 200 and "Nama pengguna" in login
        technical = ("URLconf", "Django tried these URL patterns", "DEBUG = True", "Traceback")
        for path in ("/tidak-ada/", "/wilayah/a/b/c/", "/static/tidak-ada.css"):
            status, body = _get(f"http://127.0.0.1:{port}{path}")
            assert status == 404, path
            assert not any(marker in body for marker in technical), path
        # a Host outside ALLOWED_HOSTS: a technical page would list the settings
        status, body = _get(f"http://127.0.0.1:{port}/", host="penyerang.example")
        assert status == 400
        assert "DisallowedHost" not in body and "ALLOWED_HOSTS" not in body
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
