"""The Change my password page: any signed-in person with a dashboard password changes it here.

The new password must meet the same policy as one set by an administrator (at least 12
characters, not a common password, not containing the user name). Every other session of the
person ends, so a browser left signed in elsewhere is signed out. A wrong current password counts
as a failed sign-in (five lock the account), so this form cannot be used to guess it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import SESSION_TOKEN_KEY
from dashboard.session import CurrentUser
from data_access import user_sessions, users
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
            "organisation, not by this dashboard. Change it the way your organisation asks."
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
