"""Single sign-on end to end: Streamlit's st.login against a real OpenID Connect provider.

The provider is `oidc-provider-mock` (a Flask app built on Authlib) started by this module on a
free port; its authorisation page lets the test type the subject to sign in as. The dashboard
runs in its own process with an [auth] section pointing at it, on a copy of the sample store
(not in demo mode) holding a QA officer linked to the verified email `jo.qa@example.org` and an
administrator linked to the subject `admin-subject-123`, both at this provider, which may match
emails (SSO_EMAIL_ISSUERS). The provider knows a few people with chosen claims (issue 30).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from dashboard import navigation
from tests.support.browser import (
    SERVER_LOGS,
    SETTLE_TIMEOUT_MS,
    VIEWPORT,
    free_port,
    wait_for_app,
    wait_for_health,
)
from tests.support.paths import ROOT
from tests.support.stores import copy_sqlite_store

oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
pytest.importorskip("authlib")

JO_EMAIL = "jo.qa@example.org"
ADMIN_SUBJECT = "admin-subject-123"
# Subjects the provider signs in, with the claims it sends about each.
KNOWN = "jo-verified"  # email jo.qa@example.org, verified: signs in as Jo
UNVERIFIED = "jo-unverified"  # the same email, not verified: refused
EMAIL_IS_A_SUBJECT = "email-is-a-subject"  # email "admin-subject-123", verified: refused
NEAR_SUBJECT = "  Admin-Subject-123 "  # the admin's subject in another case, with spaces: refused
UNKNOWN = "stranger@example.org"
PROVIDER_USERS = {
    KNOWN: {"email": JO_EMAIL, "email_verified": True},
    UNVERIFIED: {"email": JO_EMAIL, "email_verified": False},
    EMAIL_IS_A_SUBJECT: {"email": ADMIN_SUBJECT, "email_verified": True},
    NEAR_SUBJECT: {},
}


@dataclass(frozen=True)
class SsoApp:
    url: str
    database_url: str


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID Connect provider, on localhost and a free port, for this module."""
    saved = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain HTTP on localhost, in this test only
    try:
        people = [oidc_provider_mock.User(sub=s, claims=c) for s, c in PROVIDER_USERS.items()]
        with oidc_provider_mock.run_server_in_thread(
            port=free_port(), user_claims=people
        ) as server:
            yield f"http://localhost:{server.server_port}"
    finally:
        if saved is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = saved


@pytest.fixture(scope="module")
def sso_app(provider: str, sample_db_url: str, tmp_path_factory) -> Iterator[SsoApp]:
    from data_access.db import engine_for, session_scope
    from data_access.sso_identities import link_identity
    from data_access.users import create_user

    workdir = tmp_path_factory.mktemp("sso")
    database_url = copy_sqlite_store(sample_db_url, workdir / "sso.db")
    engine = engine_for(database_url)
    with session_scope(engine) as session:
        create_user(session, "jo.qa", "Jo Quality", "qa_officer", secrets.token_urlsafe(24))
        create_user(session, "ann.admin", "Ann Admin", "admin", secrets.token_urlsafe(24))
        session.flush()
        link_identity(session, "jo.qa", JO_EMAIL, issuer=provider, kind="email", actor="test")
        link_identity(session, "ann.admin", ADMIN_SUBJECT, issuer=provider, actor="test")
    engine.dispose()

    port = free_port()
    url = f"http://localhost:{port}"
    secrets_file = workdir / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "lscp-qa-dashboard"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    env = os.environ.copy()
    env.pop("DEMO_MODE", None)
    env.update(
        {
            "DATABASE_URL": database_url,
            "COOKIE_KEY": secrets.token_urlsafe(32),
            "COOKIE_SECURE": "0",  # plain HTTP in the test
            "SSO_EMAIL_ISSUERS": provider,
            "AUTHLIB_INSECURE_TRANSPORT": "1",
            "QA_DASHBOARD_DATA_DIR": str(workdir / "data"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    log_path = SERVER_LOGS / f"streamlit-sso-{port}.log"
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
        "--secrets.files",
        str(secrets_file),
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        wait_for_health(f"http://127.0.0.1:{port}", process, log_path)
        yield SsoApp(url=url, database_url=database_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=VIEWPORT)
    yield ctx
    ctx.close()


def sign_in_with_provider(page, app: SsoApp, subject: str) -> None:
    page.goto(app.url)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in with your organisation account").click()
    # The provider's own authorisation page: type the subject to sign in as.
    page.wait_for_selector('input[name="sub"]', timeout=SETTLE_TIMEOUT_MS)
    page.fill('input[name="sub"]', subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(app.url)), timeout=SETTLE_TIMEOUT_MS)
    wait_for_app(page)


def audit(app: SsoApp, event: str) -> list[tuple[str | None, str | None]]:
    from data_access.db import engine_for
    from data_access.models import AuditLogEntry

    with engine_for(app.database_url).connect() as conn:
        rows = conn.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.detail)
            .where(AuditLogEntry.event == event)
            .order_by(AuditLogEntry.id)
        ).all()
    return [tuple(r) for r in rows]


def open_sessions(app: SsoApp, username: str) -> int:
    from data_access.db import engine_for
    from data_access.user_sessions import open_sessions as count

    return count(engine_for(app.database_url), username)


def eventually(check, what: str, timeout_s: float = SETTLE_TIMEOUT_MS / 1000) -> None:
    """Poll `check()` until it holds: the server writes the audit line and the session, and the
    browser's helper frame the cookie, on their own time on a busy machine."""
    import time

    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout_s:.0f} s: {what}")
        time.sleep(0.25)


def test_known_user_lands_on_their_role_page_then_signs_out_for_good(sso_app, context, ui):
    page = context.new_page()
    sign_in_with_provider(page, sso_app, KNOWN)
    landing = navigation.pages_for_role("qa_officer")[0].title
    page.get_by_role("heading", name=landing, exact=True).first.wait_for(timeout=SETTLE_TIMEOUT_MS)
    expect(page.get_by_text("Signed in as Jo Quality")).to_be_visible()
    assert not page.get_by_text(re.compile("Demo mode")).count()
    eventually(
        lambda: ("jo.qa", "single sign-on") in audit(sso_app, "sign_in"),
        "the sign-in is in the audit log",
    )
    # At least one: Streamlit may connect the landing page twice before the cookie is written.
    eventually(lambda: open_sessions(sso_app, "jo.qa") >= 1, "a server-side session is open")
    ui.screenshot(page, "sso-signed-in-qa")
    # The sign-in cookie is written by the authenticator's helper frame, late on a busy machine.
    eventually(
        lambda: "lscp_qa_session" in {c["name"] for c in context.cookies()},
        "the browser holds the sign-in cookie",
    )
    copied = context.cookies()

    # Writing the cookie reruns the page: a click while that rerun redraws the sidebar can land
    # on the button being replaced, and is lost (seen once under load). Click a settled page.
    wait_for_app(page)
    page.get_by_role("button", name="Sign out").click()
    # The provider asks to confirm ending its own session, then returns to the dashboard.
    page.wait_for_url(re.compile(r"/oauth2/end_session"), timeout=SETTLE_TIMEOUT_MS)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(re.escape(sso_app.url)), timeout=SETTLE_TIMEOUT_MS)
    wait_for_app(page)
    expect(
        page.get_by_role("button", name="Sign in with your organisation account")
    ).to_be_visible()
    eventually(lambda: open_sessions(sso_app, "jo.qa") == 0, "signing out ended the session")
    eventually(
        lambda: ("jo.qa", None) in audit(sso_app, "sign_out"), "the sign-out is in the audit log"
    )

    # Replaying every cookie the signed-in browser held opens nothing.
    replay = context.browser.new_context(viewport=VIEWPORT)
    try:
        replay.add_cookies(copied)
        again = replay.new_page()
        again.goto(sso_app.url)
        wait_for_app(again)
        expect(
            again.get_by_role("button", name="Sign in with your organisation account")
        ).to_be_visible()
        assert again.get_by_role("button", name="Sign out").count() == 0
        assert open_sessions(sso_app, "jo.qa") == 0
        ui.screenshot(again, "sso-replayed-cookies-refused")
    finally:
        replay.close()


@pytest.mark.parametrize(
    ("subject", "why"),
    [
        (UNKNOWN, "no account is linked to subject 'stranger@example.org'"),
        (UNVERIFIED, f"does not say the email '{JO_EMAIL}' is verified"),
        (EMAIL_IS_A_SUBJECT, f"or to the verified email '{ADMIN_SUBJECT}'"),
        (NEAR_SUBJECT, f"no account is linked to subject {NEAR_SUBJECT!r}"),
    ],
    ids=["unknown", "unverified-email", "email-equal-to-a-subject", "subject-case-and-spaces"],
)
def test_an_identity_without_an_exact_or_verified_link_is_refused_and_logged(
    sso_app, context, ui, subject, why
):
    page = context.new_page()
    sign_in_with_provider(page, sso_app, subject)
    page.get_by_role("heading", name="Ask your administrator for access").wait_for(
        timeout=SETTLE_TIMEOUT_MS
    )
    expect(page.get_by_text(f"Subject: {subject.strip()}")).to_be_visible()
    assert page.locator(".st-key-site_nav").count() == 0
    assert page.get_by_text("Signed in as").count() == 0
    assert page.get_by_role("button", name="Sign out").count() == 1  # only the provider's
    eventually(
        lambda: any(why in (detail or "") for _, detail in audit(sso_app, "sso_refused")),
        f"the refusal ({why}) is in the audit log",
    )
    assert open_sessions(sso_app, "jo.qa") == 0 and open_sessions(sso_app, "ann.admin") == 0
    ui.screenshot(page, f"sso-refused-{subject.strip().lower()}")
