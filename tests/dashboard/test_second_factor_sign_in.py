"""Sign-in with a second factor (issue 30), in AppTest: with REQUIRE_SECOND_FACTOR an
administrator without one sets it up before any page opens; an executive is not asked; a right
password alone opens nothing for someone enrolled."""

from __future__ import annotations

import pyotp
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import auth
from data_access import second_factor, users
from data_access.db import session_scope
from data_access.models import AuditLogEntry
from tests.dashboard.test_auth import KEY, PASSWORD, run_app, signed_in, submit


@pytest.fixture
def required(store, use_store, monkeypatch):
    with session_scope(store) as session:
        users.create_user(session, "ann.admin", "Ann Admin", "admin", PASSWORD)
        users.create_user(session, "eve.exec", "Eve Exec", "executive", PASSWORD)
    monkeypatch.setenv("COOKIE_KEY", KEY)
    monkeypatch.setenv("REQUIRE_SECOND_FACTOR", "1")
    monkeypatch.delenv("DEMO_MODE", raising=False)
    monkeypatch.setattr(auth, "_raw_cookie", lambda: None)
    use_store(store)
    return store


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    return at


def test_an_administrator_without_one_enrols_at_sign_in(required):
    at = submit(run_app(), "ann.admin", PASSWORD)
    assert not signed_in(at)
    assert any("Set up your second factor" in h.value for h in at.subheader)
    secret = at.code[0].value
    assert at.code[1].value.startswith("otpauth://totp/")
    at.text_input(key=auth.ENROL_CODE_KEY).input("000000")
    _click(at, "Turn on the second factor")
    assert not signed_in(at) and any("does not match" in e.value for e in at.error)
    at.text_input(key=auth.ENROL_CODE_KEY).input(pyotp.TOTP(secret).now())
    _click(at, "Turn on the second factor")
    assert not signed_in(at)
    codes = at.code[0].value.split()
    assert len(codes) == 10
    _click(at, "I have kept them: continue")
    assert signed_in(at) and at.session_state["username"] == "ann.admin"
    assert second_factor.status(required, "ann.admin").enrolled
    with required.connect() as connection:
        details = connection.execute(
            sa.select(AuditLogEntry.detail).where(AuditLogEntry.event == "sign_in")
        ).scalars()
        assert list(details) == ["password and a new second factor"]


def test_a_right_password_alone_opens_nothing_for_someone_enrolled(required):
    secret = second_factor.new_secret()
    with session_scope(required) as session:
        second_factor.enrol(session, "ann.admin", secret, pyotp.TOTP(secret).now())
    at = submit(run_app(), "ann.admin", PASSWORD)
    assert not signed_in(at)
    assert auth.SESSION_TOKEN_KEY not in at.session_state
    at.text_input(key=auth.SECOND_FACTOR_CODE_KEY).input("12345")
    _click(at, "Continue")
    assert not signed_in(at) and any("did not work" in e.value for e in at.error)
    _click(at, "Back to sign-in")
    assert at.text_input(key=auth.USERNAME_KEY) and not signed_in(at)


def test_an_executive_is_not_asked(required):
    at = submit(run_app(), "eve.exec", PASSWORD)
    assert signed_in(at)
