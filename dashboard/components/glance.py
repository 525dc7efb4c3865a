"""The quarter at a glance on screen: the Green/Amber/Red counts as four figures, and the measures
that need attention most (`dashboard.metrics.glance`, from the one quarter brief).

Meeting mode's overview screen and the overview page's first screen both draw it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.components.rag import rag_badge_html
from dashboard.metrics.glance import COUNTED, Glance


def rag_counts(glance: Glance, *, key: str) -> None:
    """Four bordered figures: how many headline measures are green, amber, red, or context."""
    with st.container(key=key):
        columns = st.columns(len(COUNTED))
        for column, (rag, label) in zip(columns, COUNTED, strict=True):
            column.metric(label, glance.counts[rag], border=True)
    if glance.not_judged:
        st.caption(
            f"{glance.not_judged} {'measure is' if glance.not_judged == 1 else 'measures are'} "
            'not judged: the figure is a bound (such as "more than 40%") that could fall either '
            "side of the target."
        )


def attention_lines(glance: Glance, *, key: str) -> None:
    """The few measures that need attention most, one line each (badge, name, value, why)."""
    flagged = glance.top_attention
    if flagged.empty:
        st.success(glance.attention_sentence())
        return
    with st.container(key=key):
        for row in flagged.itertuples(index=False):
            st.markdown(
                f"{rag_badge_html(str(row.rag))} **{row.name}** ({row.theme_name}): "
                f"{row.display_value}. {str(row.attention_reasons).capitalize()}.",
                unsafe_allow_html=True,
            )
