"""Headless Chromium (Debian's package) driven by Playwright against the live test server.

No browser is downloaded: `/usr/bin/chromium` must exist (`apt-get install chromium`).
`.ci/run` installs it and sets LINDUNGI_REQUIRE_BROWSER=1, so CI fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("LINDUNGI_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"Chromium not found at {CHROMIUM}; install it with `apt-get install chromium`"
            )
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any, live_db: None) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto(page.base_url + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-primary")
    page.wait_for_url(page.base_url + "/")


def wait_for_htmx(page: Any) -> None:
    """Wait until HTMX has finished requests, swaps and settling (new elements are live)."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
