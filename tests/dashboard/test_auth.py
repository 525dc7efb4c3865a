"""Sign-in with AppTest: right and wrong passwords, unknown user, empty fields, lockout, deactivated
accounts, sign-out, and the refusal to start without a cookie key outside demo mode."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import auth
from data_access import users
from data_access.db import session_scope
from data_access.models import AuditLogEntry

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PASSWORD = "a long enough password"


@pytest.fixture
def accounts(sqlite_store, use_store, monkeypatch):
    """A store with an active QA officer, an admin and a deactivated executive; a cookie key set."""
    with session_scope(sqlite_store) as session:
        users.create_user(session, "jo.bloggs", "Jo Bloggs", "qa_officer", PASSWORD)
        users.create_user(session, "ann.admin", "Ann Admin", "admin", PASSWORD)
        users.create_user(session, "old.timer", "Old Timer", "executive", PASSWORD)
        users.deactivate(session, "old.timer")
    monkeypatch.setenv("COOKIE_KEY", "test-cookie-key-" + "x" * 32)
    use_store(sqlite_store)
    return sqlite_store


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key=auth.USERNAME_KEY).input(username)
    at.text_input(key=auth.PASSWORD_KEY).input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def logged(engine: sa.Engine) -> list[tuple[str | None, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.event).order_by(AuditLogEntry.id)
        ).all()
    return [tuple(r) for r in rows if r[1] not in ("user_created", "user_deactivated")]


def test_sign_in_page_shows_the_form_and_no_data(accounts):
    at = run_app()
    assert not at.exception
    assert at.title[0].value == "Brookvale Safeguarding Children Partnership"
    assert at.text_input(key=auth.USERNAME_KEY).label == "User name"
    assert at.session_state["authentication_status"] is not True
    assert not at.dataframe
    # No demo accounts in this store: no demo banner.
    assert not any("Demo mode" in i.value for i in at.info)


def test_right_password_signs_in_and_is_logged(accounts):
    at = submit(run_app(), "Jo.Bloggs ", PASSWORD)
    assert not at.exception
    assert errors(at) == []
    assert at.session_state["authentication_status"] is True
    assert at.session_state["username"] == "jo.bloggs"
    assert at.session_state["roles"] == ["qa_officer"]
    assert "Jo Bloggs" in at.sidebar.markdown[0].value
    assert logged(accounts) == [("jo.bloggs", "sign_in")]


def test_wrong_password_and_unknown_user_get_the_same_message(accounts):
    wrong = submit(run_app(), "jo.bloggs", "not the password at all")
    unknown = submit(run_app(), "no.such.person", "not the password at all")
    assert errors(wrong) == [auth.REFUSED_MESSAGE]
    assert errors(unknown) == [auth.REFUSED_MESSAGE]
    assert wrong.session_state["authentication_status"] is not True
    assert unknown.session_state["authentication_status"] is not True
    assert logged(accounts) == [("jo.bloggs", "sign_in_failed"), (None, "sign_in_failed")]


@pytest.mark.parametrize(("username", "password"), [("", ""), ("jo.bloggs", ""), ("", PASSWORD),
                                                    ("   ", "   ")])
def test_empty_fields_ask_for_both(accounts, username, password):
    at = submit(run_app(), username, password)
    assert errors(at) == [auth.EMPTY_FIELDS_MESSAGE]
    assert at.session_state["authentication_status"] is not True
    assert logged(accounts) == []


def test_five_failures_lock_the_account_even_against_the_right_password(accounts):
    at = run_app()
    for _ in range(users.MAX_FAILED_ATTEMPTS):
        submit(at, "jo.bloggs", "wrong wrong wrong")
        assert errors(at) == [auth.REFUSED_MESSAGE]
    assert users.is_locked(accounts, "jo.bloggs")
    submit(at, "jo.bloggs", PASSWORD)
    assert errors(at) == [auth.REFUSED_MESSAGE]  # same words as any other refusal
    assert at.session_state["authentication_status"] is not True
    events = [event for _, event in logged(accounts)]
    assert events.count("account_locked") == 1
    assert "sign_in" not in events
    # Another user is not affected.
    submit(at, "ann.admin", PASSWORD)
    assert at.session_state["authentication_status"] is True


def test_deactivated_account_cannot_sign_in(accounts):
    at = submit(run_app(), "old.timer", PASSWORD)
    assert errors(at) == [auth.REFUSED_MESSAGE]
    assert at.session_state["authentication_status"] is not True


def test_deactivation_takes_effect_on_the_next_run(accounts):
    at = submit(run_app(), "jo.bloggs", PASSWORD)
    assert at.session_state["authentication_status"] is True
    with session_scope(accounts) as session:
        users.deactivate(session, "jo.bloggs", actor="ann.admin")
    at.run()
    assert at.session_state["authentication_status"] is not True
    assert any("no longer active" in s.value for s in at.success)


def test_role_change_takes_effect_on_the_next_run(accounts):
    at = submit(run_app(), "jo.bloggs", PASSWORD)
    with session_scope(accounts) as session:
        users.set_role(session, "jo.bloggs", "youth_council", actor="ann.admin")
    at.run()
    assert at.session_state["roles"] == ["youth_council"]


def test_sign_out_clears_the_session_and_is_logged(accounts):
    at = submit(run_app(), "jo.bloggs", PASSWORD)
    at.sidebar.button(key="sign_out").click()
    at.run()
    assert not at.exception
    assert at.session_state["authentication_status"] is not True
    assert at.session_state["username"] is None
    assert any(s.value == "You have signed out." for s in at.success)
    assert at.text_input(key=auth.USERNAME_KEY)
    assert logged(accounts) == [("jo.bloggs", "sign_in"), ("jo.bloggs", "sign_out")]


def test_refuses_to_start_without_a_cookie_key(accounts, monkeypatch):
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    monkeypatch.setattr("data_access.config._read_secrets", lambda *a, **k: {})
    at = run_app()
    assert errors(at) == [auth.MISSING_KEY_MESSAGE]
    assert not at.text_input


def test_demo_mode_runs_without_a_key_and_says_so(accounts, monkeypatch):
    with session_scope(accounts) as session:
        users.create_user(session, "exec.demo", "Demo Executive", "executive", "demo-exec-2026",
                          is_demo=True)
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    monkeypatch.setattr("data_access.config._read_secrets", lambda *a, **k: {})
    at = run_app()
    assert errors(at) == []
    assert any("Demo mode" in i.value for i in at.info)
    assert "Demo accounts" in [s.value for s in at.subheader]
    assert "exec.demo" in at.table[0].value.index
    submit(at, "exec.demo", "demo-exec-2026")
    assert at.session_state["authentication_status"] is True
    assert any("Demo mode" in i.value for i in at.info)  # the banner stays on every page


def test_normalise_demo_accounts_accepts_common_shapes():
    rows = [{"username": "a.demo", "role": "admin", "password": "p1"}]
    assert auth._normalise_demo_accounts(rows) == rows
    assert auth._normalise_demo_accounts({"a.demo": {"role": "admin", "password": "p1"}}) == rows
    assert auth._normalise_demo_accounts([("a.demo", "A", "admin", "p1")]) == rows
