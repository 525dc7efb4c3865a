"""The server-side role check every page runs before it reads any data."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import navigation
from dashboard.exports import CURRENT_PAGE_STATE
from dashboard.session import CurrentUser, current_user
from data_access import audit_log
from data_access.db import get_engine

log = logging.getLogger(__name__)


def require_page(key: str) -> CurrentUser:
    """Return the signed-in user if their role may open page `key`; otherwise refuse and stop.

    Navigation already hides pages a role may not open; this check is what stops a typed URL,
    a bookmarked link or a stale tab from another account.
    """
    spec = navigation.page(key)
    user = current_user()
    if user is None:
        st.title(spec.title)
        st.warning("You are not signed in. Please sign in from the dashboard's home page.")
        st.stop()
    if user.role not in spec.roles:
        try:
            audit_log.record_event(
                engine=get_engine(),
                username=user.username,
                event="access_refused",
                page=key,
                detail=f"role {user.role} may not open {key}",
            )
        except Exception:  # noqa: BLE001 - a refusal must never fail because logging did
            log.exception("could not record refused access")
        st.title(spec.title)
        st.error(
            f"Your account ({user.role_label}) does not have access to **{spec.title}**. "
            "If you think you need it, ask the partnership business unit."
        )
        st.stop()
    st.session_state[CURRENT_PAGE_STATE] = key  # names the page in export and view log entries
    return user
