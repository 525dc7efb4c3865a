"""Shared browser-test infrastructure: a live dashboard on the sample store, and headless Chromium.

Fixtures
- `live_server` (session): the app running on a private copy of the sample store; `.url`,
  `.database_url`, `.log_path`.
- `browser` (session): Playwright Chromium (Debian's /usr/bin/chromium), headless.
- `signed_in_page(role)` (function): a new page, in a new browser context (its own cookies),
  1440x900, signed in as that role's demo account and settled.
- `new_page()` (function): a new page in a new context, not signed in, at the app's home page.

Helpers and constants (`sign_in`, `wait_for_app`, `screenshot`, `sidebar_titles`, `DEMO_LOGINS`,
`SETTLE_TIMEOUT_MS`, the axe-core helpers, ...) are in tests/support/browser.py.

Every test in this folder is marked `browser` automatically.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.browser import (
    CHROMIUM,
    DEMO_LOGINS,
    SERVER_LOGS,
    SETTLE_TIMEOUT_MS,
    VIEWPORT,
    BrowserHelpers,
    LiveServer,
    ensure_demo_users,
    free_port,
    sample_source,
    sign_in,
    wait_for_app,
    wait_for_health,
)
from tests.support.paths import ROOT
from tests.support.stores import copy_sqlite_store


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The dashboard running on a private copy of the sample store, on a free local port."""
    workdir = tmp_path_factory.mktemp("live")
    database_url = copy_sqlite_store(sample_source(request, workdir), workdir / "live.db")
    ensure_demo_users(database_url)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = os.environ.copy()
    env.update(
        {
            "DATABASE_URL": database_url,
            "COOKIE_KEY": secrets.token_urlsafe(32),
            # The demo accounts sign in (and are listed) only in explicit demo mode.
            "DEMO_MODE": "1",
            "QA_DASHBOARD_DATA_DIR": str(workdir / "data"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    log_path = SERVER_LOGS / f"streamlit-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboard" / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        wait_for_health(url, process, log_path)
        yield LiveServer(url=url, database_url=database_url, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium through Playwright's sync API."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium): browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright (python) is not installed; browser tests skipped")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        # Every page and every `expect` in every test waits as long as a settle may take.
        from playwright.sync_api import expect

        expect.set_options(timeout=SETTLE_TIMEOUT_MS)
        opened = chromium.new_context

        def new_context(*args, **kwargs):
            context = opened(*args, **kwargs)
            context.set_default_timeout(SETTLE_TIMEOUT_MS)
            context.set_default_navigation_timeout(SETTLE_TIMEOUT_MS)
            return context

        chromium.new_context = new_context
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server: LiveServer) -> Iterator[Callable[[], object]]:
    """Factory: a new page in a fresh context (no cookies), opened at the app and settled."""
    contexts = []

    def _open():
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url)
        wait_for_app(page)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def signed_in_page(new_page) -> Callable[[str], object]:
    """Factory: `signed_in_page("qa_officer")` -> a settled page signed in as that demo account."""

    def _open(role: str):
        username, password = DEMO_LOGINS[role]
        page = new_page()
        sign_in(page, username, password)
        return page

    return _open


@pytest.fixture(scope="session")
def ui() -> BrowserHelpers:
    """`ui.sign_in(page, user, password)`, `ui.wait_for_app(page)`, `ui.screenshot(page, name)`,
    `ui.sidebar_titles(page)`."""
    return BrowserHelpers()
