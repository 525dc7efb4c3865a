"""The executive meeting's decisions and actions, shown on a theme page and on the log page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.tables import (
    days_overdue_text,
    highlight_overdue,
    show_table,
    status_words,
)
from dashboard.exports import download_table
from data_access import meetings


def _date(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


def decisions_table(rows: pd.DataFrame, *, with_theme: bool = True) -> pd.DataFrame:
    """The log as people read it: dates spelt out, status in words, overdue said in the status."""

    def status(row: pd.Series) -> str:
        label = meetings.STATUS_LABELS.get(str(row["status"])) or status_words(row["status"])
        if bool(row["overdue"]):
            return f"{days_overdue_text(row['days_overdue'])} ({label.lower()})"
        return label

    table = pd.DataFrame(
        {
            "Number": rows["id"].astype(int),
            "Meeting": rows["meeting_date"].map(_date),
            "Type": rows["kind"].map(meetings.KIND_LABELS),
            "Theme": rows["theme_name"].fillna("All themes"),
            "Decision or action": rows["text"],
            "Owner": rows["owner"].fillna(""),
            "Due": rows["due_date"].map(_date),
            "Status": [status(row) for _, row in rows.iterrows()],
        }
    )
    return table if with_theme else table.drop(columns=["Theme"])


def sort_overdue_first(rows: pd.DataFrame) -> pd.DataFrame:
    """Overdue first (most overdue at the top), then other open items, then closed; newest
    meeting first within each."""
    rows = rows.assign(_open=rows["status"].isin(meetings.OPEN_STATUSES))
    return rows.sort_values(
        ["overdue", "days_overdue", "_open", "meeting_date"],
        ascending=[False, False, False, False],
    )


def _theme_log(theme_code: str) -> tuple[pd.DataFrame, int, int] | None:
    """The theme's log as shown (open ones first), its open actions and overdue items; None
    when it has none."""
    rows = cache.frame(meetings.list_decisions, theme_code=theme_code)
    if rows.empty:
        return None
    rows = sort_overdue_first(rows)
    open_actions = int(((rows["kind"] == "action") & rows["_open"]).sum())
    overdue = int(rows["overdue"].sum())
    return decisions_table(rows, with_theme=False), open_actions, overdue


def render_theme_decisions(theme_code: str, *, heading_level: int = 2) -> None:
    """Decisions and actions the executive meeting recorded for `theme_code`, open ones first."""
    st.markdown(f"{'#' * heading_level} Decisions and actions from executive meetings")
    # Worked out once per data version, not on every rerun of every session.
    log = cache.derived("theme decisions", lambda: _theme_log(theme_code), theme_code)
    if log is None:
        st.info(
            "The executive meeting has not recorded any decisions or actions for this theme "
            "yet. They appear here once recorded on **Decisions and actions**."
        )
        return
    table, open_actions, overdue = log
    st.caption(
        f"{open_actions} open {'action' if open_actions == 1 else 'actions'}"
        + (f", {overdue} overdue" if overdue else "")
        + "."
    )
    show_table(highlight_overdue(table, "Status"), data=table, key=f"decisions_{theme_code}")
    download_table(
        table,
        label="decisions and actions",
        file_stem=f"decisions-{theme_code}",
        key=f"dl_decisions_{theme_code}",
    )
