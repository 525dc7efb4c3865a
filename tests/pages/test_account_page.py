"""Change my password: the current password is checked, the policy applies, other sessions end."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access import audit_log, user_sessions, users
from data_access.db import session_scope
from tests.support.signed_in import signed_in_app

PASSWORD = "a long enough password"


@pytest.fixture
def store_with_jo(sqlite_store, use_store):
    with session_scope(sqlite_store) as session:
        users.create_user(session, "jo.bloggs", "Jo Bloggs", "executive", PASSWORD)
    use_store(sqlite_store)
    return sqlite_store


def open_page(token: str | None = None) -> AppTest:
    state = {"_session_token": token} if token else None
    return signed_in_app(
        "account", "executive", username="jo.bloggs", name="Jo Bloggs", state=state, timeout=60
    ).run()


def change(at: AppTest, current: str, new: str, repeat: str | None = None) -> AppTest:
    at.text_input(key="account_current").input(current)
    at.text_input(key="account_new").input(new)
    at.text_input(key="account_repeat").input(new if repeat is None else repeat)
    next(b for b in at.button if b.label == "Change password").click()
    at.run()
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_every_role_may_open_it(store_with_jo):
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Change my password"
    assert errors(at) == []


@pytest.mark.parametrize(
    ("new", "repeat", "message"),
    [
        ("a fresh passphrase", "a different one!!", "The two new passwords are not the same."),
        (
            "too short",
            None,
            f"The password must be at least {users.MIN_PASSWORD_LENGTH} characters",
        ),
        ("Password2026!!", None, "on the list of commonly used passwords"),
        ("jo.bloggs is me forever", None, "must not contain the user name"),
    ],
)
def test_policy_is_enforced(store_with_jo, new, repeat, message):
    at = change(open_page(), PASSWORD, new, repeat)
    assert len(errors(at)) == 1 and message in errors(at)[0]
    assert users.check_credentials(store_with_jo, "jo.bloggs", PASSWORD) is not None


def test_a_wrong_current_password_counts_as_a_failed_sign_in(store_with_jo):
    at = change(open_page(), "not my password", "a fresh passphrase")
    assert errors(at) == ["Your current password is not right."]
    events = audit_log.recent_entries(engine=store_with_jo, event="sign_in_failed")
    assert len(events) == 1
    assert users.check_credentials(store_with_jo, "jo.bloggs", PASSWORD) is not None


def test_changing_it_keeps_this_session_and_ends_the_others(store_with_jo):
    here = user_sessions.start(store_with_jo, "jo.bloggs")
    elsewhere = user_sessions.start(store_with_jo, "jo.bloggs")
    at = change(open_page(here), PASSWORD, "a fresh passphrase")
    assert not at.exception
    assert errors(at) == []
    assert any("Your password has been changed" in s.value for s in at.success)
    assert users.check_credentials(store_with_jo, "jo.bloggs", "a fresh passphrase") is not None
    assert isinstance(user_sessions.check(store_with_jo, here), user_sessions.ActiveSession)
    assert user_sessions.check(store_with_jo, elsewhere).reason == "password changed"
