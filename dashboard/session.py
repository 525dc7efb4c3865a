"""Who is signed in, read from Streamlit's session state (set by the sign-in in dashboard.auth)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.navigation import ROLE_LABELS


@dataclass(frozen=True)
class CurrentUser:
    username: str
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def current_user() -> CurrentUser | None:
    """The signed-in user, or None. streamlit-authenticator keeps `roles` as a list."""
    state = st.session_state
    if state.get("authentication_status") is not True:
        return None
    username = state.get("username")
    roles = state.get("roles") or []
    if not username or not roles:
        return None
    return CurrentUser(username=username, name=state.get("name") or username, role=roles[0])
