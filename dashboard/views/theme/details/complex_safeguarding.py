"""Exploitation and missing in detail: risk levels by quarter, missing episodes by locality."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import charts
from dashboard.components.chart_display import show_chart
from dashboard.components.tables import table_with_download
from dashboard.views.theme.context import ThemeContext
from data_access import themes


def complex_safeguarding_section(ctx: ThemeContext) -> None:
    st.subheader("Young people assessed at risk of exploitation, by level")
    levels = {"CS_RISK_HIGH": "High", "CS_RISK_MEDIUM": "Medium", "CS_RISK_LOW": "Low"}
    parts = []
    for code, level in levels.items():
        rows = ctx.series(code).dropna(subset=["value"])
        parts.append(
            pd.DataFrame(
                {
                    "quarter": rows["period_code"],
                    "level": level,
                    "young_people": rows["value"].astype(float),
                }
            )
        )
    data = pd.concat(parts, ignore_index=True)
    if data.empty:
        st.info("No exploitation risk figures yet.")
    else:
        chart: alt.Chart | alt.LayerChart = charts.stacked_bars(
            data,
            x="quarter",
            value="young_people",
            colour="level",
            title="Exploitation risk levels by quarter",
            x_order=list(ctx.filters.period_codes),
            colour_order=["High", "Medium", "Low"],
            colours=[charts.RED, charts.ORANGE, charts.BLUE],
        )
        show_chart(
            chart,
            "Stacked bar chart of young people assessed at high, medium and low risk "
            "of exploitation in each quarter.",
            key="cs_levels",
        )
        wide = (
            data.pivot_table(index="quarter", columns="level", values="young_people", aggfunc="sum")
            .reindex(columns=["High", "Medium", "Low"])
            .reset_index()
        )
        table_with_download(
            wide.rename(columns={"quarter": "Quarter"}),
            label="risk levels",
            key="cs_levels_table",
            file_stem="exploitation_risk_levels",
        )
    st.subheader("Missing episodes by locality")
    rows = cache.frame(
        themes.breakdown,
        theme_code=ctx.theme_code,
        period_code=ctx.period_code,
        dimension="locality",
        indicator_code="CS_MISSING_EPISODES",
    )
    missing = rows.dropna(subset=["value"])
    if missing.empty:
        st.info(f"No missing-episode figures by locality for {ctx.period_code}.")
    else:
        chart = charts.bar_breakdown(
            missing,
            category="group_name",
            value="value",
            title=f"Missing episodes by locality, {ctx.period_code}",
            unit="count",
            category_title="Locality",
        )
        show_chart(
            chart,
            f"Bar chart of missing episodes in each locality in {ctx.period_code}.",
            key="cs_missing_locality",
        )
