"""The executive meeting's decisions and actions, shown on a theme page and on the log page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
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
        label = meetings.STATUS_LABELS.get(str(row["status"]), str(row["status"]))
        if bool(row["overdue"]):
            return f"⚠ {label}, {int(row['days_overdue'])} days overdue"
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


def render_theme_decisions(theme_code: str, *, heading_level: int = 2) -> None:
    """Decisions and actions the executive meeting recorded for `theme_code`, open ones first."""
    st.markdown(f"{'#' * heading_level} Decisions and actions from executive meetings")
    rows = cache.frame(meetings.list_decisions, theme_code=theme_code)
    if rows.empty:
        st.info(
            "The executive meeting has not recorded any decisions or actions for this theme "
            "yet. They appear here once recorded on **Decisions and actions**."
        )
        return
    rows = rows.assign(_open=rows["status"].isin(meetings.OPEN_STATUSES))
    rows = rows.sort_values(["_open", "overdue", "meeting_date"], ascending=[False, False, False])
    open_actions = int(((rows["kind"] == "action") & rows["_open"]).sum())
    overdue = int(rows["overdue"].sum())
    st.caption(
        f"{open_actions} open {'action' if open_actions == 1 else 'actions'}"
        + (f", {overdue} overdue" if overdue else "")
        + "."
    )
    table = decisions_table(rows, with_theme=False)
    st.dataframe(table, hide_index=True, width="stretch")
    download_table(
        table,
        label="decisions and actions",
        file_stem=f"decisions-{theme_code}",
        key=f"dl_decisions_{theme_code}",
    )
