"""The top of a theme page: the quarter in brief, the headline tiles and the trend charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components import charts
from dashboard.components.chart_display import show_chart
from dashboard.components.kpi import kpi_tile
from dashboard.components.plain import escape_inline
from dashboard.metrics import narrative
from dashboard.metrics import rag as ragmod
from dashboard.views.theme.context import ThemeContext
from data_access import catalogue

TILES_PER_ROW = 3


def narrative_section(ctx: ThemeContext) -> None:
    headline = ctx.scorecard[ctx.scorecard["headline"]]
    sentences = narrative.theme_narrative(headline if not headline.empty else ctx.scorecard)
    with st.container(border=True, key="narrative"):
        st.markdown(
            f"**The quarter in brief ({ctx.period_code}, "
            f"{escape_inline(ctx.filters.scope_label)})**"
        )
        st.markdown(" ".join(sentences))


def tiles_section(ctx: ThemeContext) -> None:
    st.header("Headline figures")
    headline = ctx.scorecard[ctx.scorecard["headline"]]
    if headline.empty:
        st.info("This theme has no headline indicators in the catalogue.")
        return
    if ctx.filters.agency_code or ctx.filters.locality_code:
        st.caption(
            f"Figures for {escape_inline(ctx.filters.scope_label)}. Indicators not reported at "
            "this level show 'no data'."
        )
    rows = [headline.iloc[i : i + TILES_PER_ROW] for i in range(0, len(headline), TILES_PER_ROW)]
    for chunk in rows:
        columns = st.columns(TILES_PER_ROW)
        for column, (_, row) in zip(columns, chunk.iterrows(), strict=False):
            with column:
                kpi_tile(row, key=f"tile_{row['code']}")


def trend_description(
    name: str,
    series: pd.DataFrame,
    unit: str,
    target: float | None,
    comparators: pd.DataFrame | None,
) -> str:
    """The short text under a trend chart: what is plotted, range, latest value, target."""
    values = series.dropna(subset=["value"])
    if values.empty:
        return f"No figures for {name} in the selected quarters."
    first, last = values.iloc[0], values.iloc[-1]
    text = (
        f"Line chart of {name.lower() if name[:2].istitle() else name} by quarter, "
        f"{first['period_code']} to {last['period_code']}; "
        f"latest {ragmod.format_value(last['value'], unit)}"
    )
    if target is not None:
        text += f"; dashed green line: target {ragmod.format_value(target, unit)}"
    if comparators is not None and not comparators.empty:
        kinds = sorted({charts.SERIES_LABELS.get(k, k) for k in comparators["comparator_type"]})
        text += f"; comparator lines: {', '.join(kinds)}"
    return text + "."


def trend_chart_for(ctx: ThemeContext, code: str, *, key: str) -> None:
    spec = catalogue.indicator(code)
    series = ctx.series(code)
    if series["value"].notna().sum() == 0:
        st.info(
            f"No figures for **{spec.name}** in these quarters for "
            f"{escape_inline(ctx.filters.scope_label)}."
        )
        return
    comparators = (
        ctx.comparators[ctx.comparators["code"] == code] if not ctx.comparators.empty else None
    )
    target = spec.target if spec.has_target else None
    chart = charts.trend_chart(
        series, name=spec.name, unit=spec.unit, target=target, comparators=comparators
    )
    show_chart(chart, trend_description(spec.name, series, spec.unit, target, comparators), key=key)


def trends_section(ctx: ThemeContext) -> None:
    st.header("Trends")
    headline = [i for i in catalogue.indicators(ctx.theme_code) if i.headline]
    for start in range(0, len(headline), 2):
        columns = st.columns(2)
        for column, spec in zip(columns, headline[start : start + 2], strict=False):
            with column:
                trend_chart_for(ctx, spec.code, key=f"trend_{spec.code}")
    others = [i for i in catalogue.indicators(ctx.theme_code) if not i.headline and not i.is_annual]
    if others:
        names = {i.code: i.name for i in others}
        choice = st.selectbox(
            "Show the trend for another indicator",
            list(names),
            format_func=lambda option: names.get(option, option),
            key="other_trend",
        )
        trend_chart_for(ctx, choice, key="trend_other")
