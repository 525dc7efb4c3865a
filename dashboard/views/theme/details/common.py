"""Charts more than one theme's own section draws: indicators as lines, an indicator by agency."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components import charts
from dashboard.components.chart_display import show_chart
from dashboard.views.theme.context import ThemeContext
from dashboard.views.theme.figures import (
    breakdown_counts,
    breakdown_total_words,
    largest_figures,
    paged_breakdown_table,
)
from data_access import catalogue


def indicator_lines(
    ctx: ThemeContext, codes: list[str], title: str, unit: str, key: str, description: str
) -> None:
    """One line per indicator in `codes` over the quarters shown (a note when none has figures)."""
    parts = []
    for code in codes:
        rows = ctx.series(code).dropna(subset=["value"])
        if not rows.empty:
            parts.append(
                pd.DataFrame(
                    {
                        "quarter": rows["period_code"],
                        "series": catalogue.indicator(code).name,
                        "value": rows["value"].astype(float),
                    }
                )
            )
    if not parts:
        st.info(f"No figures yet for {title.lower()}.")
        return
    data = pd.concat(parts, ignore_index=True)
    chart = charts.grouped_lines(
        data,
        x="quarter",
        value="value",
        series="series",
        title=title,
        unit=unit,
        x_order=list(ctx.filters.period_codes),
    )
    show_chart(chart, description, key=key)


def agency_breakdown(ctx: ThemeContext, code: str, title: str, key: str) -> None:
    """`code`'s figures by agency this quarter: the largest as bars, all as a paged table."""
    spec = catalogue.indicator(code)
    counts = breakdown_counts(ctx, code, "agency")
    if not counts["figures"]:
        st.info(f"No figures by agency for {spec.name} in {ctx.period_code}.")
        return
    chart = charts.bar_breakdown(
        largest_figures(ctx, code, "agency"),
        category="group_name",
        value="value",
        title=title,
        unit=spec.unit,
        category_title="Agency",
        total=counts["figures"],
    )
    show_chart(chart, f"Bar chart of {spec.name} for each agency in {ctx.period_code}.", key=key)
    paged_breakdown_table(
        ctx,
        code=code,
        dimension="agency",
        total=counts["rows"],
        build=lambda rows: pd.DataFrame({"Agency": rows["group_name"], spec.name: rows["value"]}),
        label=title.lower(),
        key=f"{key}_table",
        file_stem=f"{code}_by_agency_{ctx.period_code}",
    )
    st.caption(breakdown_total_words(ctx, code, "agency"))
