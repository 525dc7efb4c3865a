"""The Change my password page: any signed-in person with a dashboard password changes it here.

The new password must meet the same policy as one set by an administrator (at least 12
characters, not a common password, not containing the user name). Every other session of the
person ends, so a browser left signed in elsewhere is signed out. A wrong current password counts
as a failed sign-in (five lock the account), so this form cannot be used to guess it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import SESSION_TOKEN_KEY, enrolment_details, recovery_codes_panel
from dashboard.components.plain import escape_markdown
from dashboard.session import CurrentUser
from data_access import second_factor, user_sessions, users
from data_access.db import get_engine, session_scope

PAGE = "account"
FLASH_KEY = "account_page_message"


def render(user: CurrentUser) -> None:
    """Render the Change my password page for `user` (call after the page's guard)."""
    engine = get_engine()
    token = st.session_state.get(SESSION_TOKEN_KEY)

    st.title("Change my password")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash)

    session = user_sessions.check(engine, token, touch=False) if token else None
    if isinstance(session, user_sessions.ActiveSession) and session.method == "sso":
        st.info(
            "You signed in with your organisation account, so your password is managed by your "
            "organisation, not by this dashboard. Change it the way your organisation asks. "
            "Your second factor, too, is your organisation's (its sign-in asks for it)."
        )
        st.stop()

    st.markdown(
        f"Choose a password of at least **{users.MIN_PASSWORD_LENGTH} characters**. Three or four "
        "unrelated words make a long password that is easy to remember. Commonly used passwords "
        "(such as `Password2026!`) are refused, and so is one containing your user name. "
        "When you change it, you are signed out everywhere else."
    )

    with st.form("change_password", clear_on_submit=True):
        current = st.text_input(
            "Current password",
            type="password",
            key="account_current",
            autocomplete="current-password",
        )
        new = st.text_input(
            "New password",
            type="password",
            key="account_new",
            autocomplete="new-password",
            help=f"At least {users.MIN_PASSWORD_LENGTH} characters.",
        )
        repeat = st.text_input(
            "Repeat the new password",
            type="password",
            key="account_repeat",
            autocomplete="new-password",
        )
        submitted = st.form_submit_button("Change password", type="primary")

    if submitted:
        if not current or not new:
            st.error("Enter your current password and a new one.")
        elif new != repeat:
            st.error("The two new passwords are not the same.")
        elif users.is_locked(engine, user.username):
            st.error(
                f"Your account is locked for {users.LOCKOUT_MINUTES} minutes after too many "
                "wrong passwords. Try again later."
            )
        elif users.check_credentials(engine, user.username, current) is None:
            users.register_failure(
                engine, user.username, page=PAGE, reason="wrong current password"
            )
            st.error("Your current password is not right.")
        else:
            try:
                with session_scope(engine) as db:
                    users.change_own_password(
                        db, user.username, current, new, keep_session=token, page=PAGE
                    )
            except users.UserError as problem:
                st.error(str(problem))
            else:
                st.session_state[FLASH_KEY] = (
                    "Your password has been changed. Any other browser or device where you were "
                    "signed in has been signed out."
                )
                st.rerun()

    _second_factor_section(user)


ENROL_SECRET_KEY = "account_totp_secret"
CODES_KEY = "account_recovery_codes"


def _second_factor_section(user: CurrentUser) -> None:
    """Set up a second factor (issue 30): the secret as text, a code to prove it, then the
    recovery codes once. Removing it is for an administrator (Users and roles)."""
    engine = get_engine()
    st.divider()
    st.subheader("Second factor")
    codes = st.session_state.pop(CODES_KEY, None)
    if codes:
        st.success("Your second factor is on. From now on you type a code after your password.")
        recovery_codes_panel(codes)
    state = second_factor.status(engine, user.username)
    if state.enrolled:
        when = f"{state.enrolled_at:%d %b %Y}" if state.enrolled_at else "earlier"
        st.text(
            f"On since {when}, with an authenticator app. Recovery codes left: "
            f"{state.recovery_codes_left} of {second_factor.RECOVERY_CODES}."
        )
        st.caption(
            "Lost your phone and your recovery codes? Ask an administrator to reset your second "
            "factor, then set it up again here."
        )
        return
    required = second_factor.required_for(user.role)
    st.markdown(
        ("Your role **must** have a second factor. " if required else "")
        + "With a second factor, signing in needs your password **and** a 6-digit code from an "
        "authenticator app on your phone (Microsoft Authenticator, Google Authenticator or "
        "similar), so a stolen password alone is not enough."
    )
    secret = st.session_state.setdefault(ENROL_SECRET_KEY, second_factor.new_secret())
    st.markdown(
        "Add this dashboard to the app: paste the address into it, or choose to enter a key "
        "and type the secret. Then type the code the app shows."
    )
    enrolment_details(secret, user.username)
    with st.form("account_enrol", clear_on_submit=True):
        code = st.text_input("Code from your authenticator app", key="account_totp_code")
        submitted = st.form_submit_button("Turn on the second factor", type="primary")
    if submitted:
        try:
            with session_scope(engine) as db:
                made = second_factor.enrol(db, user.username, secret, code or "", page=PAGE)
        except users.UserError as problem:
            st.error(escape_markdown(problem))
            return
        st.session_state.pop(ENROL_SECRET_KEY, None)
        st.session_state[CODES_KEY] = made
        st.rerun()
