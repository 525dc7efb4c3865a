"""Sign-in and sign-out: local accounts (streamlit-authenticator) and single sign-on (st.login).

Every sign-in, local or through the organisation's identity provider, opens a server-side
session (data_access.user_sessions). The browser's cookie holds only that session's random id,
signed with COOKIE_KEY; the tab keeps the id in its session state. Every run checks the record,
so sign-out, a password reset, deactivation, a role change, the idle limit (30 minutes) and the
absolute limit (12 hours) end the session in every tab and for every copy of the cookie at once.

The cookie is written by streamlit-authenticator's JavaScript cookie component, so it cannot be
HttpOnly: the server-side check is the protection (a stolen id is worthless once the session has
ended). It is SameSite=Strict, and Secure unless COOKIE_SECURE=0 or demo mode.

Refused sign-ins (wrong password, unknown user name, locked account, over-long password) all get
one message and all cost exactly one bcrypt check, so neither the words nor the timing say
whether a user name exists.

Demo mode is chosen explicitly (DEMO_MODE=1, `qa-dashboard run --demo`, `make run`); only then
are the demo accounts listed, allowed to sign in, and a one-off cookie key used.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
import time
from typing import Any

import jwt
import pandas as pd
import sqlalchemy as sa
import streamlit as st
import streamlit_authenticator as stauth

from dashboard.components.plain import escape_markdown
from dashboard.navigation import ROLE_LABELS
from dashboard.session import CurrentUser
from data_access import audit_log, second_factor, sso_identities, user_sessions, users
from data_access.config import COOKIE_KEY_HOWTO, cookie_key_problem, settings
from data_access.db import get_engine, session_scope
from sample_data.demo_accounts import DEMO_ACCOUNTS

log = logging.getLogger(__name__)

COOKIE_NAME = "lscp_qa_session"
SESSION_TOKEN_KEY = "_session_token"
# The sign-in cookie until the browser reports holding it (see `_confirm_cookie`).
PENDING_COOKIE_KEY = "_sign_in_cookie_pending"
SIGN_OUT_FLAG = "_sign_out_requested"
SIGNED_OUT_NOTICE = "_signed_out_notice"
SIGN_IN_REFUSAL = "_sign_in_refusal"
SSO_REFUSAL_LOGGED = "_sso_refusal_logged"
USERNAME_KEY = "sign_in_username"
PASSWORD_KEY = "sign_in_password"
FORM_KEY = "sign_in_form"
SSO_BUTTON_KEY = "sign_in_sso"
# The second step of a password sign-in (issue 30): who passed the first, and when.
PENDING_SECOND_FACTOR = "_pending_second_factor"
SECOND_FACTOR_REFUSAL = "_second_factor_refusal"
SECOND_FACTOR_CODE_KEY = "sign_in_second_factor_code"
SECOND_FACTOR_FORM_KEY = "sign_in_second_factor"
ENROL_CODE_KEY = "sign_in_enrol_code"
# The password step counts this long; then the person starts again.
SECOND_FACTOR_SECONDS = 300
SECOND_FACTOR_REFUSED_MESSAGE = (
    "That code did not work. Type the 6-digit code your authenticator app shows now (each code "
    "works once), or one of your recovery codes. Failed attempts count towards the lockout."
)
# An identity provider's proof of sign-in counts for a new session only this long after it was
# issued, and never if it is older than the user's last ended session: a copied identity cookie
# cannot reopen a session that was signed out or revoked.
SSO_FRESH_SECONDS = 300

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
    "then restart. " + COOKIE_KEY_HOWTO
)
DEMO_BANNER = (
    "**Demo mode.** This dashboard is running on fictional sample data with demo accounts "
    "whose passwords are public. Do not enter real information."
)
NO_STORE_MESSAGE = (
    "The dashboard cannot read its database. Run `qa-dashboard init-db` (it also brings an "
    "older store up to date), check DATABASE_URL, then reload this page."
)
UNKNOWN_IDENTITY_TITLE = "Ask your administrator for access"
UNKNOWN_IDENTITY_MESSAGE = (
    "You signed in with your organisation's account, but no account in this dashboard is "
    "linked to it yet. Ask your administrator (the partnership business unit) to give you "
    "access, quoting the identity below. Your attempt has been recorded."
)
ENDED_NOTICES = {
    "signed out": "You have been signed out (you signed out in another window).",
    "password reset": "Your password was reset, so you have been signed out. "
    "Sign in with the new password.",
    "password changed": "Your password was changed, so you have been signed out here. "
    "Sign in with the new password.",
    "account deactivated": "Your account is no longer active, so you have been signed out.",
    "role changed": "Your role has changed, so you have been signed out. Sign in again to see "
    "the pages of your new role.",
    "second factor reset": "Your second factor was reset by an administrator, so you have been "
    "signed out. Sign in again and set up a new one.",
}


def key_problem_message(problem: str) -> str:
    return f"The dashboard cannot start: {problem} {COOKIE_KEY_HOWTO} Then restart."


@functools.cache
def _demo_cookie_key() -> str:
    """A random key for this server process only (demo mode): cookies die with the process."""
    return secrets.token_urlsafe(32)


def _check_store(engine: sa.Engine) -> None:
    try:
        # The users and sessions tables exist (a store not yet migrated to them says so here).
        users.has_demo_users(engine=engine)
        user_sessions.open_sessions(engine, "")
    except sa.exc.SQLAlchemyError:
        log.exception("could not read the users table")
        st.error(NO_STORE_MESSAGE)
        st.stop()


def _cookie_key(demo: bool) -> str:
    """The configured key if it is strong; in demo mode a one-off key otherwise; else stop."""
    key = settings().cookie_key
    problem = cookie_key_problem(key)
    if problem is None:
        return key or ""
    if demo:
        return _demo_cookie_key()
    st.error(MISSING_KEY_MESSAGE if not key else key_problem_message(problem))
    st.stop()
    return ""  # unreachable


def _build_authenticator(engine: sa.Engine, cookie_key: str, demo: bool) -> stauth.Authenticate:
    credentials = users.credentials_for_authenticator(engine, include_demo=demo)
    return stauth.Authenticate(
        credentials,
        COOKIE_NAME,
        cookie_key,
        settings().session_max_hours / 24,
        auto_hash=False,
        login_sleep_time=0,
    )


def authenticate() -> CurrentUser | None:
    """The signed-in user, or None after rendering the sign-in page (the caller then stops)."""
    engine = get_engine()
    _check_store(engine)
    demo = settings().demo_mode
    key = _cookie_key(demo)
    if demo:
        st.info(DEMO_BANNER, icon=":material/science:")
    authenticator = _build_authenticator(engine, key, demo)
    state = st.session_state

    if state.pop(SIGN_OUT_FLAG, False):
        _sign_out(authenticator, engine)
        return _sign_in_page(authenticator, engine, demo, key)

    user = _current_session(authenticator, engine, key, demo)
    if user is not None:
        return user
    if state.get(PENDING_SECOND_FACTOR):
        return _second_factor_page(authenticator, engine, demo, key)
    if sso_configured() and _sso_logged_in():
        user = _sso_sign_in(authenticator, engine, key, demo)
        if user is not None or state.get(SSO_REFUSAL_LOGGED):
            return user
    return _sign_in_page(authenticator, engine, demo, key)


# --- the session record: checked on every run -----------------------------------------------


def _raw_cookie() -> str | None:
    """The sign-in cookie as the browser sent it when this tab connected (None if absent)."""
    cookies = st.context.cookies
    return cookies.get(COOKIE_NAME) if cookies else None


def read_cookie_token(cookie_key: str) -> str | None:
    """The session id in the request's sign-in cookie, if it is there and signed with our key."""
    return decode_cookie(_raw_cookie(), cookie_key)


def decode_cookie(raw: str | None, cookie_key: str) -> str | None:
    """The session id inside a signed cookie value, or None (bad signature, old format, expired)."""
    if not raw:
        return None
    try:
        payload = jwt.decode(raw, cookie_key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    sid = payload.get("sid")
    return sid if isinstance(sid, str) and sid else None


def encode_cookie(token: str, cookie_key: str, expires_at: dt.datetime) -> str:
    """The cookie value: the session id and its expiry, signed (HS256) with COOKIE_KEY."""
    return jwt.encode(
        {"sid": token, "exp": int(expires_at.replace(tzinfo=dt.UTC).timestamp())},
        cookie_key,
        algorithm="HS256",
    )


def _current_session(
    authenticator: stauth.Authenticate, engine: sa.Engine, cookie_key: str, demo: bool
) -> CurrentUser | None:
    """The user of this tab's session (or of the cookie's, after a refresh) if it still counts."""
    state = st.session_state
    token = state.get(SESSION_TOKEN_KEY)
    from_cookie = not token
    if from_cookie:
        token = read_cookie_token(cookie_key)
    if not token:
        if state.get("authentication_status") is True:
            _clear_session()  # signed in without a session record: not any more
        return None
    result = user_sessions.check(engine, token)
    if isinstance(result, user_sessions.Refusal) or (not demo and _is_demo(engine, result)):
        reason = result.reason if isinstance(result, user_sessions.Refusal) else "demo account"
        _end_here(authenticator, reason, notify=not from_cookie)
        return None
    state[SESSION_TOKEN_KEY] = token
    state["authentication_status"] = True
    state["username"] = result.username
    state["name"] = result.name
    state["roles"] = [result.role]
    state["logout"] = None
    if from_cookie:
        users.register_resumed(engine, result.username)
    else:
        _confirm_cookie(authenticator)
    return CurrentUser(username=result.username, name=result.name, role=result.role)


def _confirm_cookie(authenticator: stauth.Authenticate) -> None:
    """Write the sign-in cookie again on each run until the browser reports holding it.

    The cookie is written by a helper frame; a rerun straight after sign-in (the switch to the
    role's first page) can replace that frame before it loads on a busy machine, and the browser
    would then forget the session on refresh. Never in the sign-in run itself, which wrote it.
    """
    pending = st.session_state.get(PENDING_COOKIE_KEY)
    if not pending:
        return
    manager = authenticator.cookie_controller.cookie_model.cookie_manager
    if (manager.cookies or {}).get(COOKIE_NAME) == pending["value"]:
        st.session_state.pop(PENDING_COOKIE_KEY, None)
        return
    manager.set(
        COOKIE_NAME,
        pending["value"],
        expires_at=pending["expires_at"],
        secure=pending["secure"],
        same_site="strict",
    )


def _is_demo(engine: sa.Engine, session: user_sessions.ActiveSession) -> bool:
    return users.is_demo_account(engine, session.username)


def _delete_cookie(authenticator: stauth.Authenticate) -> None:
    manager = authenticator.cookie_controller.cookie_model.cookie_manager
    # Always send the deletion: the helper frame's list of cookies can lag behind the browser's
    # (a cookie written moments ago may not be in it yet). Its `delete` expects the name listed.
    manager.cookies = {**(manager.cookies or {}), COOKIE_NAME: ""}
    manager.delete(COOKIE_NAME)


def _end_here(authenticator: stauth.Authenticate, reason: str, *, notify: bool) -> None:
    """Forget the session in this tab and the browser; say why if the person was using it."""
    _delete_cookie(authenticator)
    _clear_session()
    if notify:
        limits = user_sessions.Limits.from_settings()
        notices = dict(ENDED_NOTICES)
        notices["idle timeout"] = (
            f"You were signed out after {limits.idle.total_seconds() / 60:g} minutes without "
            "activity. Sign in again to carry on."
        )
        notices["absolute timeout"] = (
            f"Your session reached its {limits.absolute.total_seconds() / 3600:g}-hour limit. "
            "Sign in again to carry on."
        )
        st.session_state[SIGNED_OUT_NOTICE] = notices.get(
            reason, "Your session has ended. Sign in again to carry on."
        )


def _clear_session() -> None:
    for key in ("name", "username", "email", "roles"):
        st.session_state[key] = None
    st.session_state["authentication_status"] = None
    st.session_state.pop(SESSION_TOKEN_KEY, None)
    st.session_state.pop(PENDING_COOKIE_KEY, None)


def _open_session(
    authenticator: stauth.Authenticate,
    engine: sa.Engine,
    cookie_key: str,
    username: str,
    method: str,
) -> CurrentUser:
    """Start a server-side session, remember it in this tab and in the browser's cookie."""
    token = user_sessions.start(engine, username, method=method)
    result = user_sessions.check(engine, token)
    assert isinstance(result, user_sessions.ActiveSession)
    state = st.session_state
    state[SESSION_TOKEN_KEY] = token
    state["authentication_status"] = True
    state["username"] = result.username
    state["name"] = result.name
    state["roles"] = [result.role]
    state["logout"] = None
    state.pop(SIGNED_OUT_NOTICE, None)
    state.pop(SIGN_IN_REFUSAL, None)
    cookie = {
        "value": encode_cookie(token, cookie_key, result.expires_at),
        "expires_at": dt.datetime.now() + (result.expires_at - user_sessions.clock()),
        "secure": settings().cookie_secure or None,
    }
    # Kept before it is sent: writing it draws a helper frame, where this run can be
    # interrupted, and the next run (`_confirm_cookie`) then writes it again.
    state[PENDING_COOKIE_KEY] = cookie
    manager = authenticator.cookie_controller.cookie_model.cookie_manager
    manager.set(
        COOKIE_NAME,
        cookie["value"],
        expires_at=cookie["expires_at"],
        secure=cookie["secure"],
        same_site="strict",
    )
    return CurrentUser(username=result.username, name=result.name, role=result.role)


def _sign_out(authenticator: stauth.Authenticate, engine: sa.Engine) -> None:
    """End every session of the person (all tabs and devices), the cookie and any SSO sign-in."""
    state = st.session_state
    username = state.get("username")
    token = state.get(SESSION_TOKEN_KEY)
    if token:
        user_sessions.end(engine, token, "signed out")
    if username:
        user_sessions.revoke_all_for(engine, username, "signed out")
        users.register_sign_out(engine, username)
    _clear_session()
    state[SIGNED_OUT_NOTICE] = "You have signed out."
    if sso_configured() and _sso_logged_in():
        # Clears Streamlit's identity cookie and ends the identity provider's session too, by
        # sending the browser a redirect. Streamlit drops that message if another run starts
        # before it is sent (a new run keeps only lifecycle messages), and deleting the sign-in
        # cookie here would start one (its helper frame reports back): on a busy machine the
        # browser then stayed on the sign-in page, signed in at the provider and holding
        # Streamlit's identity cookie. So nothing else is drawn in this run. The cookie left
        # behind opens nothing (its session is revoked above) and is deleted on the next visit.
        st.logout()
        st.stop()
    _delete_cookie(authenticator)


# --- local accounts ------------------------------------------------------------------------------


def _sign_in_page(
    authenticator: stauth.Authenticate, engine: sa.Engine, demo: bool, cookie_key: str
) -> CurrentUser | None:
    """Render the sign-in page; on a successful sign-in clear it and return the user instead."""
    page = st.empty()
    sso = sso_configured()
    with page.container():
        st.title(settings().partnership_name)
        st.markdown(
            "Quality assurance dashboard: the partnership's quarterly figures, audit findings, "
            "Section 11 self-assessments and the youth council's challenges, in one place."
        )
        # Kept until the next sign-in: the cookie component's own rerun must not wipe it.
        notice = st.session_state.get(SIGNED_OUT_NOTICE)
        if notice:
            st.success(notice)
        if sso:
            st.subheader("Sign in with your organisation account")
            if st.button(
                "Sign in with your organisation account",
                key=SSO_BUTTON_KEY,
                type="primary",
                icon=":material/badge:",
            ):
                st.session_state.pop(SSO_REFUSAL_LOGGED, None)
                st.login()
            st.caption("Or, if the business unit gave you a user name and password:")
        with st.form(FORM_KEY, clear_on_submit=False):
            st.subheader("Sign in" if not sso else "Sign in with a dashboard account")
            username = st.text_input("User name", key=USERNAME_KEY, autocomplete="username")
            password = st.text_input(
                "Password", type="password", key=PASSWORD_KEY, autocomplete="current-password"
            )
            submitted = st.form_submit_button("Sign in", type="secondary" if sso else "primary")
        message = st.empty()
        if demo:
            _demo_accounts_table(engine)

    state = st.session_state
    if not submitted:
        # A refusal stays in view until the next attempt, even if another run starts first.
        if state.get(SIGN_IN_REFUSAL):
            message.error(state[SIGN_IN_REFUSAL])
        return None
    # Nothing is drawn from here until the outcome is kept in the session state. A run can be
    # interrupted at any element it draws (a helper frame reporting back starts a new run, more
    # often on a busy server), and the new run no longer sees the button pressed: drawing
    # before the session was kept lost the sign-in, and the person saw the form again.
    state.pop(SIGNED_OUT_NOTICE, None)
    state.pop(SIGN_IN_REFUSAL, None)
    if not (username or "").strip() or not (password or "").strip():
        state[SIGN_IN_REFUSAL] = EMPTY_FIELDS_MESSAGE
    else:
        name = _check_password(engine, username, password, demo)
        if name is not None and _needs_second_factor(engine, name):
            # The password was right; the session opens only after the second step.
            state[PENDING_SECOND_FACTOR] = {"username": name, "at": time.time()}
            page.empty()
            return _second_factor_page(authenticator, engine, demo, cookie_key)
        if name is not None:
            users.register_success(engine, name)
            user = _open_session(authenticator, engine, cookie_key, name, "password")
            page.empty()
            return user
        state[SIGN_IN_REFUSAL] = REFUSED_MESSAGE
    message.error(state[SIGN_IN_REFUSAL])
    return None


def _check_password(engine: sa.Engine, username: str, password: str, demo: bool) -> str | None:
    """Lockout first, then exactly one bcrypt check (real or dummy), then the bookkeeping."""
    name = users.normalise_username(username)
    if users.is_locked(engine, name):
        users.burn_password_check(password)
        users.register_failure(engine, name)
        return None
    account = users.check_credentials(engine, name, password)
    if account is not None and account.is_demo and not demo:
        # Demo passwords are public: outside demo mode a demo account never signs in.
        account = None
    if account is None:
        users.register_failure(engine, name)
        return None
    return account.username


# --- the second factor (issue 30) ----------------------------------------------------------------


def _needs_second_factor(engine: sa.Engine, username: str) -> bool:
    """True if the account has a second factor, or its role must have one (and will enrol)."""
    if second_factor.status(engine, username).enrolled:
        return True
    role = users.role_of(engine, username)
    return role is not None and second_factor.required_for(role)


def _second_factor_page(
    authenticator: stauth.Authenticate, engine: sa.Engine, demo: bool, cookie_key: str
) -> CurrentUser | None:
    """The second step after a right password: a code (or recovery code), or enrolment when the
    role requires a second factor and the account has none yet. Cleared once signed in."""
    holder = st.empty()
    with holder.container():
        user = _second_step(authenticator, engine, demo, cookie_key)
    if user is not None:
        holder.empty()
    return user


def _second_step(
    authenticator: stauth.Authenticate, engine: sa.Engine, demo: bool, cookie_key: str
) -> CurrentUser | None:
    state = st.session_state
    pending = state[PENDING_SECOND_FACTOR]
    username = pending["username"]
    if time.time() - pending["at"] > SECOND_FACTOR_SECONDS or users.is_locked(engine, username):
        state.pop(PENDING_SECOND_FACTOR, None)
        state[SIGN_IN_REFUSAL] = "That took too long or the account is locked. Sign in again."
        return _sign_in_page(authenticator, engine, demo, cookie_key)
    if pending.get("codes"):
        return _show_recovery_codes(authenticator, engine, cookie_key, pending)
    st.title(settings().partnership_name)
    if not second_factor.status(engine, username).enrolled:
        _enrol_at_sign_in(engine, pending)
        return None
    with st.form(SECOND_FACTOR_FORM_KEY, clear_on_submit=True):
        st.subheader("Second step: your code")
        st.caption(
            "Open your authenticator app and type the code it shows for this dashboard. Lost "
            "your phone? Type one of your recovery codes instead; each works once."
        )
        code = st.text_input(
            "Code from your authenticator app, or a recovery code",
            key=SECOND_FACTOR_CODE_KEY,
            autocomplete="one-time-code",
        )
        submitted = st.form_submit_button("Continue", type="primary")
    message = st.empty()
    if st.button("Back to sign-in", key="second_factor_cancel"):
        state.pop(PENDING_SECOND_FACTOR, None)
        st.rerun()
    if not submitted:
        if state.get(SECOND_FACTOR_REFUSAL):
            message.error(state[SECOND_FACTOR_REFUSAL])
        return None
    state.pop(SECOND_FACTOR_REFUSAL, None)
    result = second_factor.check_code(engine, username, code or "")
    if result.accepted:
        state.pop(PENDING_SECOND_FACTOR, None)
        users.register_success(engine, username, detail=f"password and {result.how}")
        return _open_session(authenticator, engine, cookie_key, username, "password")
    outcome = users.register_failure(engine, username, reason=f"second factor: {result.how}")
    if outcome.locked_now:
        state.pop(PENDING_SECOND_FACTOR, None)
        state[SIGN_IN_REFUSAL] = REFUSED_MESSAGE
        st.rerun()
    state[SECOND_FACTOR_REFUSAL] = SECOND_FACTOR_REFUSED_MESSAGE
    message.error(SECOND_FACTOR_REFUSED_MESSAGE)
    return None


def _enrol_at_sign_in(engine: sa.Engine, pending: dict[str, Any]) -> None:
    """Enrolment for someone whose role must have a second factor and who has none yet."""
    username = pending["username"]
    secret = pending.setdefault("secret", second_factor.new_secret())
    st.subheader("Set up your second factor")
    st.markdown(
        "Your role needs a second factor. Add this dashboard to an authenticator app (Microsoft "
        "Authenticator, Google Authenticator or similar): paste the address below into it, or "
        "choose to enter a key and type the secret. Then type the 6-digit code it shows."
    )
    enrolment_details(secret, username)
    with st.form("sign_in_enrol"):
        code = st.text_input("Code from your authenticator app", key=ENROL_CODE_KEY)
        submitted = st.form_submit_button("Turn on the second factor", type="primary")
    if submitted:
        try:
            with session_scope(engine) as session:
                codes = second_factor.enrol(session, username, secret, code or "", page="sign-in")
        except users.UserError as problem:
            st.error(escape_markdown(problem))
            return None
        pending["codes"] = codes
        st.rerun()
    return None


def enrolment_details(secret: str, username: str) -> None:
    """The secret and the otpauth:// address, as plain text to copy (no QR code)."""
    st.text("Secret (type it into the app if it asks for a key):")
    st.code(secret, language=None)
    st.text("Or this address, which holds the same secret:")
    st.code(second_factor.provisioning_uri(secret, username), language=None, wrap_lines=True)


def recovery_codes_panel(codes: list[str]) -> None:
    """The ten recovery codes, shown once."""
    st.warning(
        "Keep these recovery codes somewhere safe, apart from your phone (printed, or in a "
        "password manager). Each works once if you lose your authenticator app. They are not "
        "shown again."
    )
    st.code("\n".join(codes), language=None)


def _show_recovery_codes(
    authenticator: stauth.Authenticate, engine: sa.Engine, cookie_key: str, pending: dict[str, Any]
) -> CurrentUser | None:
    st.title("Your recovery codes")
    recovery_codes_panel(pending["codes"])
    if st.button("I have kept them: continue", key="second_factor_codes_kept", type="primary"):
        username = pending["username"]
        st.session_state.pop(PENDING_SECOND_FACTOR, None)
        users.register_success(engine, username, detail="password and a new second factor")
        return _open_session(authenticator, engine, cookie_key, username, "password")
    return None


# --- single sign-on (OpenID Connect through st.login) ------------------------------------------


def sso_configured() -> bool:
    """True if `.streamlit/secrets.toml` has an [auth] section for Streamlit's OpenID Connect."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets file at all is the common case
        return False
    if not section:
        return False
    return bool(section.get("client_id") or section.get("redirect_uri"))


def _sso_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - st.user raises when auth is misconfigured
        log.exception("could not read st.user")
        return False


def _sso_claims() -> dict[str, Any]:
    keys = ("sub", "email", "email_verified", "name", "iat", "iss")
    return {key: st.user.get(key) for key in keys}


def _sso_sign_in(
    authenticator: stauth.Authenticate, engine: sa.Engine, cookie_key: str, demo: bool
) -> CurrentUser | None:
    """Map the identity provider's identity to an account and open a session for it."""
    claims = _sso_claims()
    found = sso_identities.match(engine, claims)
    username = found.username
    refusal = found.refusal
    if username is not None and users.is_demo_account(engine, username) and not demo:
        refusal = f"{found.identity} is linked to a demo account, refused outside demo mode"
        username = None
    state = st.session_state
    if username is None:
        if not state.get(SSO_REFUSAL_LOGGED):
            audit_log.record_event(
                engine=engine,
                username=None,
                event="sso_refused",
                page="sign-in",
                detail=refusal,
            )
            state[SSO_REFUSAL_LOGGED] = True
        _unknown_identity_page(claims)
        return None
    issued = claims.get("iat")
    revoked = user_sessions.last_revocation(engine, username)
    now = time.time()
    issued_at = float(issued) if isinstance(issued, int | float) else None
    fresh = issued_at is not None and now - issued_at <= SSO_FRESH_SECONDS
    if fresh and issued_at is not None and revoked is not None:
        fresh = issued_at > revoked.replace(tzinfo=dt.UTC).timestamp()
    if not fresh:
        # An old proof of sign-in (a refresh after sign-out, a copied identity cookie): the
        # person signs in with the provider again, which gives a fresh one.
        return None
    users.register_success(engine, username, detail="single sign-on")
    return _open_session(authenticator, engine, cookie_key, username, "sso")


def _unknown_identity_page(claims: dict[str, Any]) -> None:
    st.title(UNKNOWN_IDENTITY_TITLE)
    st.error(UNKNOWN_IDENTITY_MESSAGE)
    # From the identity provider: shown as plain text, exactly (a subject's spaces count).
    st.text(f"Provider: {claims.get('iss') or 'unknown'}")
    st.text(f"Subject: {claims.get('sub') or 'unknown'}")
    if claims.get("email"):
        verified = "verified" if sso_identities.email_is_verified(claims) else "not verified"
        st.text(f"Email: {claims.get('email')} ({verified} by the provider)")
    if st.button("Sign out", key="sso_unknown_sign_out", icon=":material/logout:"):
        st.session_state.pop(SSO_REFUSAL_LOGGED, None)
        st.logout()


def _demo_accounts_table(engine: sa.Engine) -> None:
    accounts = users.demo_users(engine=engine)
    if accounts.empty:
        return
    passwords = {account.username: account.password for account in DEMO_ACCOUNTS}
    table = pd.DataFrame(
        {
            "User name": accounts["username"],
            "Role": accounts["role"].map(lambda r: ROLE_LABELS.get(r, r)),
            "Password": accounts["username"].map(lambda u: passwords.get(u, "see the README")),
        }
    )
    st.subheader("Demo accounts")
    st.caption("These accounts exist only in the sample database. Their passwords are public.")
    st.table(table.set_index("User name"))


def _request_sign_out() -> None:
    st.session_state[SIGN_OUT_FLAG] = True


def render_account_panel(user: CurrentUser) -> None:
    """Sidebar: who is signed in, in which role, and a sign-out button."""
    with st.sidebar:
        # The name was typed by an administrator: plain text, never Markdown.
        st.text(f"Signed in as {user.name}\n{user.role_label}")
        st.button("Sign out", key="sign_out", on_click=_request_sign_out, icon=":material/logout:")
