"""The "what's working well / what isn't / what needs to happen next" panel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components.plain import escape_inline
from data_access.assurance import CATEGORY_LABELS


def _date_text(value: object) -> str:
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def summary_panel(
    items: pd.DataFrame, *, period_code: str, heading_level: int = 3, show_theme: bool = False
) -> None:
    """Show each current summary's three lists, with the group and meeting date it came from.

    `items` is `data_access.assurance.summaries(...)` (one row per point).
    """
    marker = "#" * heading_level
    if items.empty:
        st.info(
            f"No assurance summary has been written for {period_code} yet. Quality assurance "
            "officers add them on **Write assurance summaries** after the group has met."
        )
        return
    for summary_id, summary in items.groupby("summary_id", sort=False):
        first = summary.iloc[0]
        title = f"{escape_inline(first['theme_name'])}: " if show_theme else ""
        with st.container(border=True, key=f"summary_{summary_id}"):
            st.markdown(f"{marker} {title}{escape_inline(first['group_name'])}")
            st.caption(
                f"Agreed at the meeting on {_date_text(first['meeting_date'])} · "
                f"written by {escape_inline(first['author'])} · {period_code}"
            )
            columns = st.columns(3)
            for column, (category, label) in zip(columns, CATEGORY_LABELS.items(), strict=True):
                points = summary[summary["category"] == category]["text"].tolist()
                with column:
                    st.markdown(f"**{label}**")
                    if points:
                        st.markdown("\n".join(f"- {escape_inline(p)}" for p in points))
                    else:
                        st.caption("Nothing recorded.")
