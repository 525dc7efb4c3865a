"""The second factor in a browser (issue 30): a person enrols on their Account page, signs in
with a code, is refused a wrong code and a replayed one, and a recovery code works once."""

from __future__ import annotations

import datetime as dt

import pyotp
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.browser import SETTLE_TIMEOUT_MS, wait_for_app

USERNAME = "jo.twofactor"
PASSWORD = "a long enough password for jo"
REFUSED = "That code did not work"


def _create_account(database_url: str) -> None:
    from data_access.db import engine_for, session_scope
    from data_access.users import create_user

    engine = engine_for(database_url)
    with session_scope(engine) as session:
        create_user(session, USERNAME, "Jo Twofactor", "qa_officer", PASSWORD)
    engine.dispose()


def _events(database_url: str, event: str) -> list[str | None]:
    from data_access.db import engine_for
    from data_access.models import AuditLogEntry

    with engine_for(database_url).connect() as connection:
        return list(
            connection.execute(
                sa.select(AuditLogEntry.detail)
                .where(AuditLogEntry.event == event, AuditLogEntry.username == USERNAME)
                .order_by(AuditLogEntry.id)
            ).scalars()
        )


def _password_step(page) -> None:
    wait_for_app(page)
    page.get_by_label("User name").fill(USERNAME)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Second step: your code").wait_for(timeout=SETTLE_TIMEOUT_MS)
    wait_for_app(page)


def _code_step(page, code: str) -> None:
    # A refusal reruns the form: wait for that run to finish, or its old copy is still shown.
    wait_for_app(page)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(code)
    page.get_by_role("button", name="Continue").click()
    wait_for_app(page)


def _signed_in(page) -> None:
    page.get_by_role("button", name="Sign out").wait_for(timeout=SETTLE_TIMEOUT_MS)
    expect(page.get_by_text("Signed in as Jo Twofactor")).to_be_visible()
    wait_for_app(page)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for(timeout=SETTLE_TIMEOUT_MS)
    wait_for_app(page)


def _refused(page) -> None:
    expect(page.get_by_text(REFUSED)).to_be_visible()
    wait_for_app(page)
    assert page.get_by_role("button", name="Sign out").count() == 0


def test_enrol_sign_in_with_a_code_refuse_wrong_and_replayed_codes_recovery_code_once(
    live_server, new_page, ui
):
    _create_account(live_server.database_url)
    page = new_page()
    ui.sign_in(page, USERNAME, PASSWORD)  # no second factor yet: the password is enough

    # Enrol on the Account page: the secret is shown as text (no QR code).
    page.goto(f"{live_server.url}/account")
    wait_for_app(page)
    page.get_by_role("heading", name="Second factor").wait_for(timeout=SETTLE_TIMEOUT_MS)
    secret = page.locator('[data-testid="stCode"]').first.inner_text().strip()
    uri = page.locator('[data-testid="stCode"]').nth(1).inner_text().strip()
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri.replace("\n", "")
    totp = pyotp.TOTP(secret)
    enrolled_at = dt.datetime.now(dt.UTC)
    page.get_by_label("Code from your authenticator app").fill(totp.at(enrolled_at))
    page.get_by_role("button", name="Turn on the second factor").click()
    page.get_by_text("Your second factor is on").wait_for(timeout=SETTLE_TIMEOUT_MS)
    codes = page.locator('[data-testid="stCode"]').first.inner_text().split()
    assert len(codes) == 10
    ui.screenshot(page, "second-factor-enrolled")
    _sign_out(page)

    # A wrong code is refused; the app's next code (a later step, inside the window) signs in.
    _password_step(page)
    _code_step(page, "000000" if totp.at(enrolled_at) != "000000" else "111111")
    _refused(page)
    used = totp.at(enrolled_at + dt.timedelta(seconds=30))
    _code_step(page, used)
    _signed_in(page)
    _sign_out(page)

    # The same code again is a replay: refused.
    _password_step(page)
    _code_step(page, used)
    _refused(page)
    ui.screenshot(page, "second-factor-replay-refused")

    # A recovery code signs in once; the second time it is refused.
    _code_step(page, codes[0])
    _signed_in(page)
    _sign_out(page)
    _password_step(page)
    _code_step(page, codes[0])
    _refused(page)

    refused = _events(live_server.database_url, "second_factor_refused")
    assert refused == ["wrong code", "replayed code", "wrong code"]
    assert _events(live_server.database_url, "recovery_code_used") == ["9 recovery codes left"]
    signed_in = _events(live_server.database_url, "sign_in")
    assert "password and code" in signed_in and "password and recovery code" in signed_in
