"""Sign-in with AppTest: right and wrong passwords, unknown user, empty fields, lockout, deactivated
accounts, sign-out, the refusal to start without a strong cookie key outside demo mode, explicit
demo mode, and server-side sessions (replayed cookies, revocation, idle and absolute timeouts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import auth
from data_access import user_sessions, users
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import AuditLogEntry

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PASSWORD = "a long enough password"
KEY = "test-cookie-key-Q7vR2mZp9LwX4dNc8hJt3bYf6gKs1uAe"


@pytest.fixture
def accounts(store, use_store, monkeypatch):
    """A store with an active QA officer, an admin and a deactivated executive; a cookie key set."""
    with session_scope(store) as session:
        users.create_user(session, "jo.bloggs", "Jo Bloggs", "qa_officer", PASSWORD)
        users.create_user(session, "ann.admin", "Ann Admin", "admin", PASSWORD)
        users.create_user(session, "old.timer", "Old Timer", "executive", PASSWORD)
        users.deactivate(session, "old.timer")
    monkeypatch.setenv("COOKIE_KEY", KEY)
    monkeypatch.delenv("DEMO_MODE", raising=False)
    for name in ("SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(auth, "_raw_cookie", lambda: None)
    use_store(store)
    return store


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


def signed_in(at: AppTest) -> bool:
    state = at.session_state
    return "authentication_status" in state and state["authentication_status"] is True


def notices(at: AppTest) -> list[str]:
    return [s.value for s in at.success]


def cookie_of(at: AppTest) -> str:
    """The cookie value the browser would hold for this tab's session."""
    token = at.session_state[auth.SESSION_TOKEN_KEY]
    return auth.encode_cookie(token, KEY, utc_now() + dt.timedelta(hours=12))


def open_with_cookie(monkeypatch, raw: str | None) -> AppTest:
    """A new tab (new Streamlit session) whose request carries `raw` as the sign-in cookie."""
    monkeypatch.setattr(auth, "_raw_cookie", lambda: raw)
    at = run_app()
    monkeypatch.setattr(auth, "_raw_cookie", lambda: None)
    return at


@pytest.fixture
def clock(monkeypatch):
    """Move the sessions' clock forward without sleeping: `clock.advance(minutes=31)`."""

    class Clock:
        offset = dt.timedelta(0)

        def advance(self, **delta: float) -> None:
            self.offset += dt.timedelta(**delta)

        def __call__(self) -> dt.datetime:
            return utc_now() + self.offset

    fake = Clock()
    monkeypatch.setattr(user_sessions, "clock", fake)
    return fake


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
    assert any("Signed in as Jo Bloggs" in t.value for t in at.sidebar.text)
    assert logged(accounts) == [("jo.bloggs", "sign_in")]
    assert user_sessions.open_sessions(accounts, "jo.bloggs") == 1


class _InterruptAfter:
    """Start a new run at the first element drawn after `hook` was called, as a busy server does
    when a helper frame (the cookie manager) reports back mid-run: the new run carries the
    browser's widget states, in which the button pressed is no longer pressed."""

    def __init__(self, monkeypatch, module, name: str) -> None:
        from streamlit.delta_generator import DeltaGenerator

        self.armed = self.interrupted = False
        real_hook, real_enqueue = getattr(module, name), DeltaGenerator._enqueue

        def hook(*args, **kwargs):
            self.armed = True
            return real_hook(*args, **kwargs)

        def enqueue(dg, *args, **kwargs):
            if self.armed and not self.interrupted:
                self.interrupted = True
                raise self._rerun()
            return real_enqueue(dg, *args, **kwargs)

        monkeypatch.setattr(module, name, hook)
        monkeypatch.setattr(DeltaGenerator, "_enqueue", enqueue)

    @staticmethod
    def _rerun():
        from streamlit.proto.WidgetStates_pb2 import WidgetStates
        from streamlit.runtime.scriptrunner_utils.exceptions import RerunException
        from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        states = WidgetStates()
        for state in get_script_run_ctx().session_state._state.get_widget_states():
            copy = states.widgets.add()
            copy.CopyFrom(state)
            if copy.WhichOneof("value") == "trigger_value":
                copy.trigger_value = False
        return RerunException(RerunData(widget_states=states))


def test_a_sign_in_run_interrupted_after_the_check_still_signs_in(accounts, monkeypatch):
    """The sign-in is kept in the session before anything is drawn: an interruption at the next
    element once the password has been accepted loses neither the sign-in nor the cookie."""
    interruption = _InterruptAfter(monkeypatch, users, "register_success")
    at = submit(run_app(), "jo.bloggs", PASSWORD)
    assert interruption.interrupted
    assert not at.exception
    assert signed_in(at) and at.session_state["username"] == "jo.bloggs"
    assert any("Signed in as Jo Bloggs" in t.value for t in at.sidebar.text)
    # The cookie is still due to be written (the next runs write it until the browser has it).
    assert auth.PENDING_COOKIE_KEY in at.session_state
    assert user_sessions.open_sessions(accounts, "jo.bloggs") == 1


def test_a_refusal_survives_an_interrupted_run(accounts, monkeypatch):
    interruption = _InterruptAfter(monkeypatch, users, "register_failure")
    at = submit(run_app(), "jo.bloggs", "not the password at all")
    assert interruption.interrupted
    assert not at.exception
    assert errors(at) == [auth.REFUSED_MESSAGE]
    assert not signed_in(at)


def test_wrong_password_and_unknown_user_get_the_same_message(accounts):
    wrong = submit(run_app(), "jo.bloggs", "not the password at all")
    unknown = submit(run_app(), "no.such.person", "not the password at all")
    assert errors(wrong) == [auth.REFUSED_MESSAGE]
    assert errors(unknown) == [auth.REFUSED_MESSAGE]
    assert wrong.session_state["authentication_status"] is not True
    assert unknown.session_state["authentication_status"] is not True
    assert logged(accounts) == [("jo.bloggs", "sign_in_failed"), (None, "sign_in_failed")]


@pytest.mark.parametrize(
    ("username", "password"), [("", ""), ("jo.bloggs", ""), ("", PASSWORD), ("   ", "   ")]
)
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
    # The old role's session ends at once; signing in again gives the new role.
    assert not signed_in(at)
    assert notices(at) == [auth.ENDED_NOTICES["role changed"]]
    submit(at, "jo.bloggs", PASSWORD)
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
    assert user_sessions.open_sessions(accounts, "jo.bloggs") == 0


def test_refuses_to_start_without_a_cookie_key(accounts, monkeypatch):
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    monkeypatch.setattr("data_access.config._read_secrets", lambda *a, **k: {})
    at = run_app()
    assert errors(at) == [auth.MISSING_KEY_MESSAGE]
    assert not at.text_input


@pytest.mark.parametrize(
    "key",
    [
        "CHANGE_ME",
        "change_me",
        "short-key",
        "x" * 31,
        "some_signature_key",
        " " * 32,
        "a" * 32,
        "ab" * 24,
        "abcabcabcdefdefdefghighighijkjkjk",
    ],
)
def test_refuses_to_start_with_an_example_or_short_key(accounts, monkeypatch, key):
    monkeypatch.setenv("COOKIE_KEY", key)
    at = run_app()
    assert len(errors(at)) == 1
    assert errors(at)[0].startswith("The dashboard cannot start:")
    assert "secrets.token_urlsafe(48)" in errors(at)[0]
    assert not at.text_input


def test_a_cookie_forged_with_the_example_key_does_not_sign_in(accounts, monkeypatch):
    # The attack from the review: a cookie for the real admin, signed with the documented key,
    # in the old format (a user name and a far expiry) and in the new one (a made-up session id).
    import jwt

    far = (dt.datetime.now() + dt.timedelta(days=3650)).timestamp()
    for key in ("CHANGE_ME", KEY):
        for payload in (
            {"username": "ann.admin", "exp_date": far},
            {"sid": "made-up-session-id", "exp": int(far)},
        ):
            at = open_with_cookie(monkeypatch, jwt.encode(payload, key, algorithm="HS256"))
            assert not at.exception
            assert not signed_in(at)
            assert at.text_input(key=auth.USERNAME_KEY)
    # With the example key configured the app does not even start.
    monkeypatch.setenv("COOKIE_KEY", "CHANGE_ME")
    at = open_with_cookie(
        monkeypatch,
        jwt.encode({"username": "ann.admin", "exp_date": far}, "CHANGE_ME", algorithm="HS256"),
    )
    assert not signed_in(at) and not at.text_input


def test_a_valid_cookie_resumes_the_session_in_a_new_tab(accounts, monkeypatch):
    first = submit(run_app(), "jo.bloggs", PASSWORD)
    second = open_with_cookie(monkeypatch, cookie_of(first))
    assert signed_in(second)
    assert second.session_state["username"] == "jo.bloggs"
    assert ("jo.bloggs", "session_resumed") in logged(accounts)


def test_a_replayed_cookie_after_sign_out_is_refused(accounts, monkeypatch):
    at = submit(run_app(), "jo.bloggs", PASSWORD)
    copied = cookie_of(at)
    other_tab = open_with_cookie(monkeypatch, copied)
    assert signed_in(other_tab)
    at.sidebar.button(key="sign_out").click()
    at.run()
    assert not signed_in(at)
    # The copied token no longer opens anything, and the tab that was open is signed out too.
    assert not signed_in(open_with_cookie(monkeypatch, copied))
    other_tab.run()
    assert not signed_in(other_tab)
    assert notices(other_tab) == [auth.ENDED_NOTICES["signed out"]]


def test_a_replayed_cookie_after_a_password_reset_is_refused(accounts, monkeypatch):
    at = submit(run_app(), "jo.bloggs", PASSWORD)
    copied = cookie_of(at)
    with session_scope(accounts) as session:
        users.reset_password(session, "jo.bloggs", "a brand new passphrase", actor="ann.admin")
    assert not signed_in(open_with_cookie(monkeypatch, copied))
    at.run()  # the open tab, without any cookie, is signed out on its next run
    assert not signed_in(at)
    assert notices(at) == [auth.ENDED_NOTICES["password reset"]]


def test_an_idle_session_expires(accounts, clock):
    at = submit(run_app(), "jo.bloggs", PASSWORD)
    clock.advance(minutes=29)
    at.run()
    assert signed_in(at)  # each run counts as activity
    clock.advance(minutes=29)
    at.run()
    assert signed_in(at)
    clock.advance(minutes=31)
    at.run()
    assert not signed_in(at)
    assert notices(at) == [
        "You were signed out after 30 minutes without activity. Sign in again to carry on."
    ]
    assert ("jo.bloggs", "session_expired") in logged(accounts)


def test_the_idle_and_absolute_limits_are_configurable(accounts, clock, monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("SESSION_MAX_HOURS", "1")
    at = submit(run_app(), "jo.bloggs", PASSWORD)
    for _ in range(14):  # active every 4 minutes: 56 minutes in all
        clock.advance(minutes=4)
        at.run()
        assert signed_in(at)
    clock.advance(minutes=4)
    at.run()
    assert not signed_in(at)
    assert notices(at) == ["Your session reached its 1-hour limit. Sign in again to carry on."]


def test_demo_accounts_are_not_shown_or_accepted_without_demo_mode(accounts, monkeypatch):
    with session_scope(accounts) as session:
        users.create_user(
            session, "admin.demo", "Demo Admin", "admin", "demo-admin-2026", is_demo=True
        )
    at = run_app()
    assert not any("Demo mode" in i.value for i in at.info)
    assert "Demo accounts" not in [s.value for s in at.subheader]
    assert not at.table
    submit(at, "admin.demo", "demo-admin-2026")
    assert errors(at) == [auth.REFUSED_MESSAGE]
    assert not signed_in(at)


def test_an_over_long_password_is_refused_like_any_other(accounts):
    at = submit(run_app(), "jo.bloggs", PASSWORD + "x" * 80)
    assert errors(at) == [auth.REFUSED_MESSAGE]
    assert not signed_in(at)


def test_demo_mode_runs_without_a_key_and_says_so(accounts, monkeypatch):
    with session_scope(accounts) as session:
        users.create_user(
            session, "exec.demo", "Demo Executive", "executive", "demo-exec-2026", is_demo=True
        )
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    monkeypatch.setenv("DEMO_MODE", "1")
    monkeypatch.setattr("data_access.config._read_secrets", lambda *a, **k: {})
    at = run_app()
    assert errors(at) == []
    assert any("Demo mode" in i.value for i in at.info)
    assert "Demo accounts" in [s.value for s in at.subheader]
    assert "exec.demo" in at.table[0].value.index
    submit(at, "exec.demo", "demo-exec-2026")
    assert at.session_state["authentication_status"] is True
    assert any("Demo mode" in i.value for i in at.info)  # the banner stays on every page
