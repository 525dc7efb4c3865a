"""Shared browser-test infrastructure: a live dashboard on the sample store, and headless Chromium.

Fixtures
- `live_server` (session): the app running on a private copy of the sample store; `.url`,
  `.database_url`, `.log_path`.
- `browser` (session): Playwright Chromium (Debian's /usr/bin/chromium), headless.
- `signed_in_page(role)` (function): a new page, in a new browser context (its own cookies),
  1440x900, signed in as that role's demo account and settled.
- `new_page()` (function): a new page in a new context, not signed in, at the app's home page.

Helpers (import from `tests.browser.conftest`): `sign_in`, `wait_for_app`, `screenshot`,
`sidebar_titles`, `DEMO_LOGINS`.

Every test in this folder is marked `browser` automatically.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from sample_data.demo_accounts import DEMO_ACCOUNTS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SERVER_LOGS = ROOT / "test-artifacts" / "server-logs"
HEALTH_TIMEOUT_S = 60
# How long a wait on the page may take before the test fails: generous, because CI machines are
# shared and a busy one can take tens of seconds to rerun a page. A wait ends as soon as its
# condition holds, so this only costs time when something is really wrong.
SETTLE_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1440, "height": 900}

# The sample's demo accounts (role -> user name, password); demo-only, public.
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    account.role: (account.username, account.password) for account in DEMO_ACCOUNTS
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    log_path: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_demo_users(url: str) -> None:
    """Add the demo accounts if the store lacks them (before the sample generator creates them)."""
    from data_access.db import engine_for, session_scope
    from data_access.models import User
    from data_access.users import create_user

    engine = engine_for(url)
    with session_scope(engine) as session:
        existing = set(session.scalars(sa.select(User.username)))
        for account in DEMO_ACCOUNTS:
            if account.username not in existing:
                create_user(
                    session,
                    account.username,
                    account.display_name,
                    account.role,
                    account.password,
                    is_demo=True,
                )
    engine.dispose()


def _sample_source(request: pytest.FixtureRequest, workdir: Path) -> Path:
    """The sample store's file; an empty migrated store if the sample generator is not there yet."""
    try:
        import sample_data.generator  # noqa: F401
    except ImportError:
        from data_access import migrate
        from data_access.db import engine_for, session_scope
        from data_access.reference import sync_catalogue

        path = workdir / "empty-source.db"
        engine = engine_for(f"sqlite:///{path.as_posix()}")
        migrate.upgrade(engine)
        with session_scope(engine) as session:
            sync_catalogue(session)
        engine.dispose()
        return path
    sample_url = request.getfixturevalue("sample_db_url")
    from data_access.db import engine_for

    engine_for(sample_url).dispose()
    return Path(sa.make_url(sample_url).database or "")


def _wait_for_health(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {process.returncode}:\n{log_path.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(
        f"streamlit did not answer {url}/_stcore/health within {HEALTH_TIMEOUT_S} s:\n"
        f"{log_path.read_text()[-3000:]}"
    )


@pytest.fixture(scope="session")
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The dashboard running on a private copy of the sample store, on a free local port."""
    workdir = tmp_path_factory.mktemp("live")
    source = _sample_source(request, workdir)
    store = workdir / "live.db"
    shutil.copyfile(source, store)
    database_url = f"sqlite:///{store.as_posix()}"
    _ensure_demo_users(database_url)

    port = _free_port()
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
        _wait_for_health(url, process, log_path)
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

        def new_context(*args, **kwargs):  # type: ignore[no-untyped-def]
            context = opened(*args, **kwargs)
            context.set_default_timeout(SETTLE_TIMEOUT_MS)
            context.set_default_navigation_timeout(SETTLE_TIMEOUT_MS)
            return context

        chromium.new_context = new_context  # type: ignore[method-assign]
        yield chromium
        chromium.close()


# --- helpers -------------------------------------------------------------------------------------


def wait_for_app(page, timeout: float = SETTLE_TIMEOUT_MS) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has connected and finished running the script (no rerun pending)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app) return false;
            if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
            if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
            if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
            // Lazily loaded widgets show a skeleton until their code has arrived.
            const skeletons = document.querySelectorAll(
                '[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]');
            return [...skeletons].every(el => el.offsetParent === null);
        }""",
        timeout=timeout,
    )


def sign_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Fill in and submit the sign-in form, then wait for the signed-in app to settle."""
    wait_for_app(page)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    # The sign-out button is in the sidebar of every signed-in page (even a role with no pages).
    page.get_by_role("button", name="Sign out").wait_for(timeout=SETTLE_TIMEOUT_MS)
    wait_for_app(page)


def sidebar_titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The page titles listed in the sidebar navigation, in order."""
    # The app draws its own navigation (dashboard/components/site_nav.py): page links in the
    # sidebar's `site_nav` container; the title is the link's Markdown text (the icon is apart).
    labels = page.locator(
        '.st-key-site_nav a[data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"]'
    )
    return [label.inner_text().strip() for label in labels.all()]


def open_page(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Click a page's link in the sidebar navigation and wait for it to settle."""
    page.locator(
        '.st-key-site_nav a[data-testid="stPageLink-NavLink"]', has_text=title
    ).first.click()
    wait_for_app(page)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def new_page(browser, live_server: LiveServer) -> Iterator[Callable[[], object]]:  # type: ignore[no-untyped-def]
    """Factory: a new page in a fresh context (no cookies), opened at the app and settled."""
    contexts = []

    def _open():  # type: ignore[no-untyped-def]
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
def signed_in_page(new_page) -> Callable[[str], object]:  # type: ignore[no-untyped-def]
    """Factory: `signed_in_page("qa_officer")` -> a settled page signed in as that demo account."""

    def _open(role: str):  # type: ignore[no-untyped-def]
        username, password = DEMO_LOGINS[role]
        page = new_page()
        sign_in(page, username, password)
        return page

    return _open


@dataclass(frozen=True)
class BrowserHelpers:
    """The helpers above, as a fixture, so test modules need not import this conftest."""

    sign_in: Callable[..., None] = sign_in
    wait_for_app: Callable[..., None] = wait_for_app
    sidebar_titles: Callable[..., list[str]] = sidebar_titles
    screenshot: Callable[..., Path] = screenshot
    demo_logins: tuple[tuple[str, str, str], ...] = tuple(
        (role, user, password) for role, (user, password) in DEMO_LOGINS.items()
    )


@pytest.fixture(scope="session")
def ui() -> BrowserHelpers:
    """`ui.sign_in(page, user, password)`, `ui.wait_for_app(page)`, `ui.screenshot(page, name)`,
    `ui.sidebar_titles(page)`."""
    return BrowserHelpers()
