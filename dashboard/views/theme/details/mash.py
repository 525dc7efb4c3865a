"""The front door (MASH) in detail: contacts by source and outcome, strategy discussions."""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.components import charts
from dashboard.components.chart_display import show_chart
from dashboard.components.tables import table_with_download
from dashboard.views.theme.context import ThemeContext
from dashboard.views.theme.details.common import indicator_lines
from data_access import themes


def mash_section(ctx: ThemeContext) -> None:
    st.subheader("Where contacts came from, and what happened")
    contacts = cache.frame(themes.mash_contacts_by_source, period_code=ctx.period_code)
    if contacts.empty:
        st.info(f"No individual front-door contacts are recorded for {ctx.period_code}.")
    else:
        data = contacts.assign(
            source=contacts["source"].str.replace("_", " ").str.capitalize(),
            outcome=contacts["outcome"].str.replace("_", " ").str.capitalize(),
        )
        chart = charts.stacked_bars(
            data,
            x="source",
            value="contacts",
            colour="outcome",
            title=f"Contacts by source and outcome, {ctx.period_code}",
            x_title="Source",
        )
        top = data.groupby("source")["contacts"].sum().sort_values(ascending=False)
        show_chart(
            chart,
            (
                f"Stacked bar chart of {int(top.sum()):,} contacts by source, split by outcome; "
                f"most came from {top.index[0].lower()} ({int(top.iloc[0]):,})."
            ),
            key="mash_sources",
        )
        by_source = data.groupby("source", as_index=False)[["contacts", "decided_within_1wd"]].sum()
        by_source["Decided within 1 working day (%)"] = (
            by_source["decided_within_1wd"] / by_source["contacts"] * 100
        ).round(1)
        table = by_source.rename(
            columns={
                "source": "Source",
                "contacts": "Contacts",
                "decided_within_1wd": "Decided within 1 working day",
            }
        )
        table_with_download(
            table,
            label="contacts by source",
            key="mash_sources_table",
            file_stem=f"mash_contacts_by_source_{ctx.period_code}",
        )
    st.subheader("Strategy discussions")
    indicator_lines(
        ctx,
        ["MASH_STRATEGY_DISCUSSIONS"],
        "Strategy discussions",
        "count",
        "mash_strategy",
        "Line chart of strategy discussions held each quarter.",
    )
