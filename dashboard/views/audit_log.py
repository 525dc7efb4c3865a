"""The Audit log page: sign-ins, failures, lockouts, sign-outs and every data change, filterable."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.components.tables import show_table
from dashboard.exports import download_table
from dashboard.session import CurrentUser
from data_access import audit_trail
from data_access.db import get_engine

ALL_USERS = "All users"
ALL_EVENTS = "All events"
DEFAULT_DAYS = 30


def render(user: CurrentUser) -> None:
    """Render the Audit log page for `user` (call after the page's guard)."""
    st.title("Audit log")
    st.caption(
        "Who did what, when and from which page: sign-ins, failed sign-ins, lockouts, sign-outs, "
        "refused pages and every change made through the dashboard. Times are UTC."
    )

    # Read straight from the store, not through the shared cache: the log grows with every sign-in
    # and a cached copy would hide the newest entries, which are the ones people come here for.
    engine = get_engine()
    first_day, last_day = audit_trail.date_bounds(engine=engine)
    if first_day is None or last_day is None:
        st.info("Nothing has been logged yet. Sign-ins and data changes will appear here.")
        st.stop()
    choices = audit_trail.distinct_values(engine=engine)

    left, middle, right = st.columns(3)
    who = left.selectbox("User", [ALL_USERS, *choices["usernames"]], key="audit_log_user")
    what = middle.selectbox(
        "Event",
        [ALL_EVENTS, *choices["events"]],
        key="audit_log_event",
        format_func=lambda e: e if e == ALL_EVENTS else e.replace("_", " ").capitalize(),
    )
    today = dt.datetime.now(dt.UTC).date()
    latest = max(last_day, today)
    period = right.date_input(
        "Date range",
        value=(max(first_day, latest - dt.timedelta(days=DEFAULT_DAYS)), latest),
        min_value=first_day,
        max_value=latest,
        key="audit_log_dates",
        format="DD/MM/YYYY",
    )
    if not isinstance(period, tuple) or len(period) != 2:
        st.info("Choose the last day of the date range as well.")
        st.stop()
    start, end = period

    entries = audit_trail.search_entries(
        engine=engine,
        username=None if who == ALL_USERS else who,
        event=None if what == ALL_EVENTS else what,
        start=start,
        end=end,
    )
    if entries.empty:
        st.info("No entries match these filters. Widen the date range or choose all users.")
        st.stop()

    if len(entries) >= audit_trail.DEFAULT_LIMIT:
        st.warning(
            f"Showing the newest {audit_trail.DEFAULT_LIMIT:,} entries only; narrow the filters to "
            "see older ones."
        )
    table = entries.rename(
        columns={
            "occurred_at": "When (UTC)",
            "username": "User",
            "event": "Event",
            "page": "Page",
            "detail": "Detail",
        }
    ).fillna("")
    show_table(table)
    st.caption(f"{len(table):,} entries, {start:%d/%m/%Y} to {end:%d/%m/%Y}.")
    download_table(
        table, label="these audit-log entries", file_stem="audit-log", key="audit_log_download"
    )
