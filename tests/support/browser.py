"""Helpers for the browser tests (tests/browser/): a live dashboard, headless Chromium, axe-core.

- Constants: `SETTLE_TIMEOUT_MS` (how long any wait on a page may take), `VIEWPORT`,
  `DEMO_LOGINS` (role -> demo user name and password), `CHROMIUM`, `SCREENSHOTS`, `SERVER_LOGS`.
- A live server's pieces: `LiveServer`, `free_port`, `sample_source`, `ensure_demo_users`,
  `wait_for_health`.
- On a page: `wait_for_app`, `sign_in`, `sidebar_titles`, `open_page`, `screenshot`;
  `BrowserHelpers` (the `ui` fixture).
- axe-core results: `blocking` (the serious and critical violations), `describe`.

The fixtures that use them are in tests/browser/conftest.py.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from sample_data.demo_accounts import DEMO_ACCOUNTS
from tests.support.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SERVER_LOGS = ROOT / "test-artifacts" / "server-logs"
HEALTH_TIMEOUT_S = 60
# How long a wait on the page may take before the test fails: generous, because CI machines are
# shared and a busy one can take tens of seconds to rerun a page. A wait ends as soon as its
# condition holds, so this only costs time when something is really wrong.
SETTLE_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1440, "height": 900}

# The sample generator's demo accounts (role -> user name, password); demo-only, public.
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    account.role: (account.username, account.password) for account in DEMO_ACCOUNTS
}


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    log_path: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_demo_users(url: str) -> None:
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


def sample_source(request: pytest.FixtureRequest, workdir: Path) -> str:
    """The sample store's URL; an empty migrated store's if the sample generator is not there yet."""
    from data_access.db import engine_for

    try:
        import sample_data.generator  # noqa: F401
    except ImportError:
        from data_access import migrate
        from data_access.db import session_scope
        from data_access.reference import sync_catalogue

        url = f"sqlite:///{(workdir / 'empty-source.db').as_posix()}"
        engine = engine_for(url)
        migrate.upgrade(engine)
        with session_scope(engine) as session:
            sync_catalogue(session)
        engine.dispose()
        return url
    return request.getfixturevalue("sample_db_url")


def wait_for_health(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
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


def wait_for_app(page, timeout: float = SETTLE_TIMEOUT_MS) -> None:
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


def sign_in(page, username: str, password: str) -> None:
    """Fill in and submit the sign-in form, then wait for the signed-in app to settle."""
    wait_for_app(page)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    # The sign-out button is in the sidebar of every signed-in page (even a role with no pages).
    page.get_by_role("button", name="Sign out").wait_for(timeout=SETTLE_TIMEOUT_MS)
    wait_for_app(page)


def sidebar_titles(page) -> list[str]:
    """The page titles listed in the sidebar navigation, in order."""
    # The app draws its own navigation (dashboard/components/site_nav.py): page links in the
    # sidebar's `site_nav` container; the title is the link's Markdown text (the icon is apart).
    labels = page.locator(
        '.st-key-site_nav a[data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"]'
    )
    return [label.inner_text().strip() for label in labels.all()]


def open_page(page, title: str) -> None:
    """Click a page's link in the sidebar navigation and wait for it to settle."""
    page.locator(
        '.st-key-site_nav a[data-testid="stPageLink-NavLink"]', has_text=title
    ).first.click()
    wait_for_app(page)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass(frozen=True)
class BrowserHelpers:
    """The helpers above, as one object (the `ui` fixture)."""

    sign_in: Callable[..., None] = sign_in
    wait_for_app: Callable[..., None] = wait_for_app
    sidebar_titles: Callable[..., list[str]] = sidebar_titles
    screenshot: Callable[..., Path] = screenshot
    demo_logins: tuple[tuple[str, str, str], ...] = tuple(
        (role, user, password) for role, (user, password) in DEMO_LOGINS.items()
    )


# --- axe-core -------------------------------------------------------------------------------------

BLOCKING_IMPACTS = ("serious", "critical")


def blocking(results: dict) -> list[dict]:
    """The serious and critical violations in an axe-core result."""
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """Violations as short JSON, for an assertion message."""
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ],
        indent=1,
    )
