"""The Write assurance summaries page: a group's summary for a theme and quarter, and history.

Saving adds a new summary (the earlier one for the same theme, quarter and group is kept and
marked superseded), writes an audit-log line in the same transaction, then clears the cache.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import cache
from dashboard.components.plain import escape_markdown
from dashboard.components.summary import summary_panel
from dashboard.components.tables import show_table, status_words
from dashboard.exports import download_table
from dashboard.session import CurrentUser
from data_access import assurance, catalogue
from data_access.assurance import CATEGORY_LABELS, SummaryError, save_assurance_summary
from data_access.db import get_engine, session_scope
from data_access.indicators import list_periods
from data_access.periods import latest_complete_quarter

PAGE_KEY = "assurance_summaries"
SAVED_MESSAGE_KEY = "assurance_summary_saved_message"


def lines(text: str) -> list[str]:
    """One point per line; bullets ("-", "*", "•") at the start of a line are dropped."""
    points = []
    for line in (text or "").splitlines():
        cleaned = line.strip().lstrip("-*•").strip()
        if cleaned:
            points.append(cleaned)
    return points


def render(user: CurrentUser) -> None:
    """Render the page (call after the page's guard)."""
    st.title("Write assurance summaries")
    st.caption(
        "After a partnership group has presented its evidence and been challenged, record what is "
        "working well, what isn't, and what needs to happen next. Saving again for the same theme, "
        "quarter and group keeps the earlier version in the history."
    )
    saved = st.session_state.pop(SAVED_MESSAGE_KEY, None)
    if saved:
        st.success(saved)
    periods = cache.frame(list_periods)
    if periods.empty:
        st.info(
            "There are no reporting periods in the store yet. Load a quarterly return first, "
            "or run `qa-dashboard init-db`."
        )
        return
    themes = {t.code: t.name for t in catalogue.themes()}
    codes = list(periods["code"])
    latest = latest_complete_quarter().code
    default_period = latest if latest in codes else codes[-1]
    left, right = st.columns(2)
    theme_code = left.selectbox(
        "Theme",
        list(themes),
        format_func=lambda option: themes.get(option, option),
        key="summary_theme",
    )
    period_code = right.selectbox(
        "Quarter", codes, index=codes.index(default_period), key="summary_period"
    )

    current = cache.frame(assurance.summaries, period_code=period_code, theme_code=theme_code)
    st.header("Current summary")
    summary_panel(current, period_code=period_code, heading_level=3)

    st.header("Write a new summary")
    latest_group = current.iloc[0] if not current.empty else None
    prefill = {
        c: "\n".join(current[current["category"] == c]["text"]) if latest_group is not None else ""
        for c in CATEGORY_LABELS
    }
    form_key = f"summary_form_{theme_code}_{period_code}".replace(" ", "_")
    with st.form(form_key, clear_on_submit=False):
        group = st.text_input(
            "Group that agreed it",
            max_chars=assurance.MAX_GROUP_LENGTH,
            value=str(latest_group["group_name"]) if latest_group is not None else "",
            placeholder="e.g. MASH Steering Group",
            key=f"{form_key}_group",
        )
        meeting = st.date_input(
            "Meeting date",
            value=dt.date.today(),
            max_value=dt.date.today(),
            format="DD/MM/YYYY",
            key=f"{form_key}_date",
        )
        texts = {}
        for category, label in CATEGORY_LABELS.items():
            texts[category] = st.text_area(
                f"{label} (one point per line)",
                value=prefill[category],
                height=120,
                key=f"{form_key}_{category}",
            )
        submitted = st.form_submit_button("Save summary", type="primary")
    if submitted:
        items = {category: lines(text) for category, text in texts.items()}
        try:
            with session_scope(get_engine()) as session:
                new_id = save_assurance_summary(
                    session,
                    theme_code,
                    period_code,
                    group,
                    meeting,
                    user.username,
                    items,
                    page=PAGE_KEY,
                )
        except SummaryError as problem:
            st.error(f"The summary was not saved: {escape_markdown(problem)}")
        else:
            cache.clear()
            # Rerun so the "current summary" panel above the form shows what was just saved.
            st.session_state[SAVED_MESSAGE_KEY] = (
                f"Saved summary {new_id} for {themes[theme_code]}, {period_code}. "
                "It now shows on the theme page and the overview."
            )
            st.rerun()

    st.header("History")
    history = cache.frame(assurance.summary_history, theme_code=theme_code)
    if history.empty:
        st.info(f"No summaries have been written for {themes[theme_code]} yet.")
    else:
        shown = history.drop(
            columns=["summary_id", "theme_code", "superseded_by_id"], errors="ignore"
        )
        shown = shown.rename(
            columns={
                "period_code": "Quarter",
                "group_name": "Group",
                "meeting_date": "Meeting",
                "author": "Written by",
                "created_at": "Written",
                "items": "Items",
                "status": "Status",
            }
        )
        if "Status" in shown.columns:
            shown["Status"] = shown["Status"].map(status_words)
        show_table(shown, key="summary_history_df")
        download_table(
            history,
            label="summary history",
            file_stem=f"summaries_{theme_code}",
            key="summary_history_csv",
        )
