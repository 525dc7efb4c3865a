"""The Decisions and actions page: the executive meeting's log, by theme and meeting."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import cache
from dashboard.components.decisions import decisions_table, sort_overdue_first
from dashboard.components.plain import escape_inline
from dashboard.components.tables import highlight_overdue, show_table
from dashboard.exports import download_table
from dashboard.navigation import STAFF
from dashboard.session import CurrentUser
from data_access import catalogue, meetings
from data_access.db import get_engine
from data_access.models import ACTION_STATUSES, DECISION_KINDS

ALL = "all"

NO_THEME = "none"

FLASH_KEY = "decisions_flash"


def render(user: CurrentUser) -> None:
    """Render the Decisions and actions page for `user` (call after the page's guard)."""
    st.title("Decisions and actions")
    st.caption(
        "What the executive partnership meeting decided, and the actions it set, with an owner and "
        "a due date. Actions also appear on their theme's page."
    )
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))

    theme_names = {t.code: t.name for t in catalogue.themes()}
    dates = cache.query(meetings.meeting_dates)

    # --- The log ----------------------------------------------------------------------------------
    left, middle, right, last = st.columns([2, 2, 1.5, 1.5])
    theme = left.selectbox(
        "Theme",
        [ALL, *theme_names, NO_THEME],
        key="decisions_theme",
        format_func=lambda c: {ALL: "All themes", NO_THEME: "Not about one theme"}.get(
            c, theme_names.get(c, c)
        ),
    )
    meeting = middle.selectbox(
        "Meeting",
        [ALL, *dates],
        key="decisions_meeting",
        format_func=lambda d: "All meetings" if d == ALL else f"{d.day} {d:%B %Y}",
    )
    kind = right.selectbox(
        "Type",
        [ALL, *DECISION_KINDS],
        key="decisions_kind",
        format_func=lambda k: (
            "Decisions and actions" if k == ALL else meetings.KIND_LABELS[k] + "s"
        ),
    )
    open_only = last.toggle("Only open items", key="decisions_open_only")

    rows = cache.frame(
        meetings.list_decisions,
        theme_code=None if theme in (ALL, NO_THEME) else theme,
        meeting_date=None if meeting == ALL else meeting,
        kind=None if kind == ALL else kind,
        open_only=open_only,
    )
    if theme == NO_THEME:
        rows = rows[rows["theme_code"].isna()]

    st.header("The log")
    if rows.empty:
        if not dates:
            st.info(
                "No decisions or actions have been recorded yet."
                + (
                    " Record the first one with the form below."
                    if user.role in STAFF
                    else " The quality assurance officer records them after each meeting."
                )
            )
        else:
            st.info("Nothing matches these filters. Try another theme, meeting or type.")
    else:
        overdue = int(rows["overdue"].sum())
        open_actions = int(
            ((rows["kind"] == "action") & rows["status"].isin(meetings.OPEN_STATUSES)).sum()
        )
        a, b, c = st.columns(3)
        a.metric("Shown", len(rows))
        b.metric("Open actions", open_actions)
        c.metric("Overdue actions", overdue)
        table = decisions_table(sort_overdue_first(rows))
        show_table(highlight_overdue(table, "Status"), data=table, key="decisions_log")
        download_table(
            table,
            label="decisions and actions",
            file_stem="decisions-and-actions",
            key="dl_decisions",
        )

    if user.role not in STAFF:
        st.caption("Quality assurance officers and administrators record decisions and actions.")
        st.stop()

    # --- Record a decision or action (QA officer, admin) ------------------------------------------
    st.header("Record a decision or action")
    with st.form("add_decision", clear_on_submit=False):
        first, second, third = st.columns(3)
        meeting_date = first.date_input(
            "Meeting date *", value=dt.date.today(), key="new_meeting", format="DD/MM/YYYY"
        )
        new_kind = second.radio(
            "Type *",
            DECISION_KINDS,
            key="new_kind",
            horizontal=True,
            format_func=meetings.KIND_LABELS.get,
        )
        new_theme = third.selectbox(
            "Theme",
            [NO_THEME, *theme_names],
            key="new_theme",
            format_func=lambda c: "Not about one theme" if c == NO_THEME else theme_names[c],
        )
        text = st.text_area(
            "What was decided, or what needs to be done *",
            key="new_text",
            max_chars=meetings.MAX_TEXT_CHARS,
        )
        owner_col, due_col = st.columns(2)
        owner = owner_col.text_input(
            "Owner (needed for an action)",
            key="new_owner",
            max_chars=meetings.MAX_OWNER_CHARS,
            help="A person, role or agency, e.g. 'Head of MASH, council'.",
        )
        due = due_col.date_input(
            "Due date (needed for an action)", value=None, key="new_due", format="DD/MM/YYYY"
        )
        submitted = st.form_submit_button("Save", type="primary", key="save_decision")
    if submitted:
        entry = meetings.NewDecision(
            meeting_date=meeting_date,
            kind=new_kind,
            text=text or "",
            theme_code=None if new_theme == NO_THEME else new_theme,
            owner=owner or None,
            due_date=due,
        )
        problems = meetings.validate(entry)
        if problems:
            st.error(
                "Nothing was saved. Please fix the following:\n\n"
                + "\n".join(f"- {escape_inline(p)}" for p in problems)
            )
        else:
            try:
                new_id = meetings.add_decision(
                    engine=get_engine(), entry=entry, recorded_by=user.username
                )
            except meetings.DecisionError as exc:
                st.error(f"Nothing was saved. {escape_inline(exc)}")
            else:
                cache.clear()
                st.session_state[FLASH_KEY] = (
                    f"{meetings.KIND_LABELS[new_kind]} {new_id} recorded for the meeting on "
                    f"{meeting_date.day} {meeting_date:%B %Y}."
                )
                st.rerun()

    # --- Update a status --------------------------------------------------------------------------
    st.header("Update a status")
    everything = cache.frame(meetings.list_decisions)
    if everything.empty:
        st.caption("Once something is recorded, its status can be updated here.")
        st.stop()
    labels = {
        int(row["id"]): f"{int(row['id'])}: {str(row['text'])[:80]} "
        f"({meetings.STATUS_LABELS[str(row['status'])]})"
        for _, row in everything.iterrows()
    }
    with st.form("update_decision"):
        chosen = st.selectbox(
            "Decision or action",
            list(labels),
            key="update_id",
            format_func=lambda option: labels.get(option, option),
        )
        new_status = st.selectbox(
            "New status",
            ACTION_STATUSES,
            key="update_status",
            format_func=lambda option: meetings.STATUS_LABELS.get(option, option),
        )
        update = st.form_submit_button("Save the status", type="primary", key="save_status")
    if update:
        try:
            meetings.update_status(
                engine=get_engine(),
                decision_id=int(chosen),
                status=new_status,
                updated_by=user.username,
            )
        except meetings.DecisionError as exc:
            st.error(f"Nothing was saved. {escape_inline(exc)}")
        else:
            cache.clear()
            st.session_state[FLASH_KEY] = (
                f"Number {chosen} is now {meetings.STATUS_LABELS[new_status].lower()}."
            )
            st.rerun()
