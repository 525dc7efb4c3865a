"""Sign-in and sign-out with streamlit-authenticator, fed from the users in the SQL store.

One `Authenticate` is built per run from the active accounts (bcrypt hashes only). We render our
own sign-in form so that we can (a) say "Enter your user name and password" for empty fields,
(b) check the lockout BEFORE the authenticator verifies a password and (c) count failures after;
the authenticator still verifies the password and owns the signed re-authentication cookie.

Refused sign-ins (wrong password, unknown user name, locked account) all get one message, and all
cost one bcrypt check, so neither the words nor the timing say whether a user name exists.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Iterable
from typing import Any

import pandas as pd
import sqlalchemy as sa
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from dashboard.components.plain import escape_inline
from dashboard.navigation import ROLE_LABELS
from dashboard.session import CurrentUser
from data_access import users
from data_access.config import settings
from data_access.db import get_engine

log = logging.getLogger(__name__)

COOKIE_NAME = "lscp_qa_session"
# Half a working day: a shared office PC should not stay signed in overnight.
COOKIE_EXPIRY_DAYS = 0.5
SIGN_OUT_FLAG = "_sign_out_requested"
SIGNED_OUT_NOTICE = "_signed_out_notice"
USERNAME_KEY = "sign_in_username"
PASSWORD_KEY = "sign_in_password"
FORM_KEY = "sign_in_form"

EMPTY_FIELDS_MESSAGE = "Enter your user name and password."
REFUSED_MESSAGE = (
    "Those details did not work. Check your user name and password and try again. "
    f"For security, an account is locked for {users.LOCKOUT_MINUTES} minutes after "
    f"{users.MAX_FAILED_ATTEMPTS} failed attempts in a row; if that may have happened, "
    "wait and try again, or ask the partnership business unit."
)
MISSING_KEY_MESSAGE = (
    "The dashboard cannot start: no cookie key is configured. Set the COOKIE_KEY environment "
    "variable or add COOKIE_KEY to `.streamlit/secrets.toml` (see `secrets.toml.example`), "
    "then restart. Generate one with "
    "`python -c \"import secrets; print(secrets.token_urlsafe(32))\"`."
)
DEMO_BANNER = (
    "**Demo mode.** This dashboard is running on fictional sample data with demo accounts "
    "whose passwords are public. Do not enter real information."
)
NO_STORE_MESSAGE = (
    "The dashboard cannot read its database. Run `qa-dashboard init-db` (or "
    "`qa-dashboard ensure-sample` for the demo), check DATABASE_URL, then reload this page."
)


@functools.cache
def _demo_cookie_key() -> str:
    """A random key for this server process only (demo mode): cookies die with the process."""
    return secrets.token_urlsafe(32)


def _store_is_demo(engine: sa.Engine) -> bool:
    try:
        return users.has_demo_users(engine=engine)
    except sa.exc.SQLAlchemyError:
        log.exception("could not read the users table")
        st.error(NO_STORE_MESSAGE)
        st.stop()
    return False  # unreachable: st.stop() raises


def _cookie_key(demo: bool) -> str:
    key = settings().cookie_key
    if key:
        return key
    if demo:
        return _demo_cookie_key()
    st.error(MISSING_KEY_MESSAGE)
    st.stop()
    return ""  # unreachable


def _build_authenticator(engine: sa.Engine, cookie_key: str) -> stauth.Authenticate:
    return stauth.Authenticate(
        users.credentials_for_authenticator(engine),
        COOKIE_NAME,
        cookie_key,
        COOKIE_EXPIRY_DAYS,
        auto_hash=False,
        # The cookie is read from the request headers (st.context.cookies), so there is nothing
        # to wait for; the library's default 0.7 s pause would only slow every run down.
        login_sleep_time=0,
    )


def authenticate() -> CurrentUser | None:
    """The signed-in user, or None after rendering the sign-in page (the caller then stops)."""
    engine = get_engine()
    demo = _store_is_demo(engine)
    key = _cookie_key(demo)
    if demo:
        st.info(DEMO_BANNER, icon=":material/science:")
    authenticator = _build_authenticator(engine, key)
    state = st.session_state

    if state.pop(SIGN_OUT_FLAG, False):
        _sign_out(authenticator, engine)
    elif state.get("authentication_status") is not True:
        _resume_from_cookie(authenticator, engine)

    if state.get("authentication_status") is True:
        user = _current_account(authenticator, engine)
        if user is not None:
            return user
    return _sign_in_page(authenticator, engine, demo)


def _resume_from_cookie(authenticator: stauth.Authenticate, engine: sa.Engine) -> None:
    """Sign in from a valid cookie (refresh, new tab); a deactivated account's cookie is dropped."""
    try:
        authenticator.login(location="unrendered")
    except LoginError:
        # The cookie names an account that is no longer active.
        authenticator.cookie_controller.delete_cookie()
        _clear_session()
        return
    if st.session_state.get("authentication_status") is True:
        users.register_resumed(engine, st.session_state.get("username"))


def _current_account(authenticator: stauth.Authenticate, engine: sa.Engine) -> CurrentUser | None:
    """Re-read the account each run, so a deactivation or role change takes effect at once."""
    state = st.session_state
    username = state.get("username")
    account = authenticator.authentication_controller.authentication_model.credentials[
        "usernames"
    ].get(username)
    if account is None:
        users.register_sign_out(engine, username, page="sign-in")
        authenticator.cookie_controller.delete_cookie()
        _clear_session()
        state[SIGNED_OUT_NOTICE] = "Your account is no longer active, so you have been signed out."
        return None
    state["roles"] = list(account["roles"])
    state["name"] = account["name"]
    return CurrentUser(username=username, name=account["name"], role=account["roles"][0])


def _clear_session() -> None:
    for key in ("name", "username", "email", "roles"):
        st.session_state[key] = None
    st.session_state["authentication_status"] = None


def _sign_out(authenticator: stauth.Authenticate, engine: sa.Engine) -> None:
    username = st.session_state.get("username")
    if st.session_state.get("authentication_status") is True:
        # Clears the session keys and sends the browser the instruction to delete the cookie;
        # the sign-in page is rendered in this same run so that instruction reaches the browser.
        authenticator.logout(location="unrendered")
        users.register_sign_out(engine, username)
    _clear_session()
    st.session_state[SIGNED_OUT_NOTICE] = "You have signed out."


def _sign_in_page(authenticator: stauth.Authenticate, engine: sa.Engine, demo: bool) -> None:
    """Render the sign-in page; on a successful sign-in clear it and return the user instead."""
    page = st.empty()
    with page.container():
        st.title(settings().partnership_name)
        st.markdown(
            "Quality assurance dashboard: the partnership's quarterly figures, audit findings, "
            "Section 11 self-assessments and the youth council's challenges, in one place. "
            "Sign in with the account the partnership business unit gave you."
        )
        # Kept until the next sign-in: the cookie component's own rerun must not wipe it.
        notice = st.session_state.get(SIGNED_OUT_NOTICE)
        if notice:
            st.success(notice)
        with st.form(FORM_KEY, clear_on_submit=False):
            st.subheader("Sign in")
            username = st.text_input("User name", key=USERNAME_KEY, autocomplete="username")
            password = st.text_input(
                "Password", type="password", key=PASSWORD_KEY, autocomplete="current-password"
            )
            submitted = st.form_submit_button("Sign in", type="primary")
        message = st.empty()
        if demo:
            _demo_accounts_table(engine)

    if not submitted:
        return None
    st.session_state.pop(SIGNED_OUT_NOTICE, None)
    if not (username or "").strip() or not (password or "").strip():
        message.error(EMPTY_FIELDS_MESSAGE)
        return None
    user = _check_password(authenticator, engine, username, password)
    if user is None:
        message.error(REFUSED_MESSAGE)
        return None
    page.empty()
    authenticator.cookie_controller.set_cookie()
    return user


def _check_password(
    authenticator: stauth.Authenticate, engine: sa.Engine, username: str, password: str
) -> CurrentUser | None:
    """Lockout first, then the authenticator's bcrypt check, then the bookkeeping."""
    name = users.normalise_username(username)
    model = authenticator.authentication_controller.authentication_model
    known = name in model.credentials["usernames"]
    if users.is_locked(engine, name):
        users.burn_password_check(password)
        users.register_failure(engine, name)
        return None
    if not known:
        users.burn_password_check(password)
    try:
        ok = authenticator.authentication_controller.login(name, password)
    except LoginError:
        ok = False
    if not ok:
        st.session_state["authentication_status"] = None
        users.register_failure(engine, name)
        return None
    st.session_state["logout"] = None
    users.register_success(engine, name)
    state = st.session_state
    return CurrentUser(username=state["username"], name=state["name"], role=state["roles"][0])


def demo_account_rows() -> list[dict[str, str]]:
    """The sample generator's demo accounts (user name, role, password), or [] if unavailable."""
    try:
        from sample_data.generator import DEMO_ACCOUNTS  # type: ignore[attr-defined]
    except ImportError:
        return []
    return _normalise_demo_accounts(DEMO_ACCOUNTS)


def _normalise_demo_accounts(accounts: Any) -> list[dict[str, str]]:
    items: Iterable[Any]
    if isinstance(accounts, dict):
        items = [
            {"username": name, **(value if isinstance(value, dict) else {"password": value})}
            for name, value in accounts.items()
        ]
    else:
        items = accounts
    rows = []
    for item in items:
        record = item if isinstance(item, dict) else getattr(item, "__dict__", None) or (
            item._asdict() if hasattr(item, "_asdict") else {}
        )
        if not record and isinstance(item, tuple | list):
            record = dict(zip(("username", "display_name", "role", "password"), item, strict=False))
        rows.append({
            "username": str(record.get("username", "")),
            "role": str(record.get("role", "")),
            "password": str(record.get("password", "")),
        })
    return [row for row in rows if row["username"]]


def _demo_accounts_table(engine: sa.Engine) -> None:
    accounts = users.demo_users(engine=engine)
    if accounts.empty:
        return
    passwords = {row["username"]: row["password"] for row in demo_account_rows()}
    table = pd.DataFrame({
        "User name": accounts["username"],
        "Role": accounts["role"].map(lambda r: ROLE_LABELS.get(r, r)),
        "Password": accounts["username"].map(lambda u: passwords.get(u, "see the README")),
    })
    st.subheader("Demo accounts")
    st.caption("These accounts exist only in the sample database. Their passwords are public.")
    st.table(table.set_index("User name"))


def _request_sign_out() -> None:
    st.session_state[SIGN_OUT_FLAG] = True


def render_account_panel(user: CurrentUser) -> None:
    """Sidebar: who is signed in, in which role, and a sign-out button."""
    with st.sidebar:
        st.markdown(f"Signed in as **{escape_inline(user.name)}**  \n{user.role_label}")
        st.button("Sign out", key="sign_out", on_click=_request_sign_out,
                  icon=":material/logout:")
