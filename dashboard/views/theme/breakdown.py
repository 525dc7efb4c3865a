"""The theme's breakdown by agency or locality, and the stored rows behind a figure."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import charts
from dashboard.components.chart_display import picked_category, show_chart
from dashboard.components.plain import escape_markdown
from dashboard.components.tables import table_with_download
from dashboard.exports import log_record_view
from dashboard.metrics import rag as ragmod
from dashboard.views.theme.context import DRILL_DOWN_ROLES, ThemeContext
from dashboard.views.theme.figures import (
    PLURAL,
    breakdown_counts,
    breakdown_total_words,
    largest_figures,
    paged_breakdown_table,
)
from data_access import catalogue, themes
from data_access.annual_figures import figure_note

# Clicking a breakdown bar opens the rows behind it: the chart's point-selection parameter.
BAR_PICK = "bar_pick"


def group_target(spec: catalogue.IndicatorSpec, dimension: str) -> float | None:
    """The target line to draw across an agency's or a locality's bars: none for a count (a
    partnership's target of 800 open assessments is not a target for each of its localities),
    nor for a locality at all (the targets are the partnership's); a percentage, rate or number
    of days target applies to every agency alike."""
    if not spec.has_target or spec.unit == "count" or dimension == "locality":
        return None
    return spec.target


def breakdown_section(ctx: ThemeContext) -> None:
    st.header("Breakdown by agency and locality")
    specs = [i for i in catalogue.indicators(ctx.theme_code) if i.breakdowns and not i.is_annual]
    if not specs:
        st.info("No indicator in this theme is reported by agency or locality.")
        return
    names = {i.code: i.name for i in specs}
    code = st.selectbox(
        "Indicator to break down",
        list(names),
        format_func=lambda option: names.get(option, option),
        key="breakdown_indicator",
    )
    spec = catalogue.indicator(code)
    dimension = st.radio(
        "Break down by",
        list(spec.breakdowns),
        horizontal=True,
        format_func=str.capitalize,
        key="breakdown_dimension",
    )
    counts = breakdown_counts(ctx, code, dimension)
    if not counts["rows"]:
        st.info(f"No {dimension} figures for **{spec.name}** in {ctx.period_code}.")
        drilldown_section(ctx, code, dimension, pd.DataFrame())
        return
    plotted = largest_figures(ctx, code, dimension) if counts["figures"] else pd.DataFrame()
    if not plotted.empty:
        chart = charts.bar_breakdown(
            plotted,
            pick=BAR_PICK if ctx.user.role in DRILL_DOWN_ROLES else None,
            category="group_name",
            value="value",
            title=f"{spec.name} by {dimension}, {ctx.period_code}",
            unit=spec.unit,
            target=group_target(spec, dimension),
            category_title=dimension.capitalize(),
            total=counts["figures"],
        )
        top = plotted.iloc[0]
        description = (
            f"Bar chart of {spec.name} for each {dimension} in {ctx.period_code}; highest "
            f"{top['group_name']} at {ragmod.format_value(top['value'], spec.unit)}."
        )
        if ctx.user.role in DRILL_DOWN_ROLES:
            pickable_breakdown_chart(chart, description, plotted)
        else:
            show_chart(chart, description, key="breakdown_chart")

    def build(rows: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                dimension.capitalize(): rows["group_name"],
                "Value": [
                    ragmod.format_figure(
                        v,
                        spec.unit,
                        symbol=s if isinstance(s, str) else None,
                        qualifier=q if isinstance(q, str) else None,
                    )
                    for v, s, q in zip(
                        rows["value"], rows["status_symbol"], rows["qualifier"], strict=True
                    )
                ],
                "Note on the figure": [
                    figure_note(s, q, c)
                    for s, q, c in zip(
                        rows["status_symbol"], rows["qualifier"], rows["comment"], strict=True
                    )
                ],
                "Numerator": rows["numerator"],
                "Denominator": rows["denominator"],
            }
        )

    shown = paged_breakdown_table(
        ctx,
        code=code,
        dimension=dimension,
        total=counts["rows"],
        build=build,
        label=f"{dimension} breakdown",
        key="breakdown",
        file_stem=f"{code}_{dimension}_{ctx.period_code}",
    )
    st.caption(breakdown_total_words(ctx, code, dimension))
    # The rows one can open: those in the chart (a click picks one) and on the table's page.
    listed = (
        pd.concat([frame for frame in (plotted, shown) if not frame.empty], ignore_index=True)
        if not (plotted.empty and shown.empty)
        else shown
    )
    drilldown_section(
        ctx,
        code,
        dimension,
        listed.drop_duplicates("group_code"),
        paged=counts["rows"] > len(shown),
    )


def pickable_breakdown_chart(
    chart: alt.Chart | alt.LayerChart, description: str, plotted: pd.DataFrame
) -> None:
    """A breakdown chart whose bars open the rows behind them (QA officers and admins).

    A new click sets the drill-down selector below; the selector stays free to change by hand
    until the next click, so the remembered click is compared before it is applied.
    """
    # The caption adds how to pick a bar, so it is written here rather than by `show_chart`.
    event = show_chart(
        chart,
        description,
        key="breakdown_chart",
        caption=False,
        on_select="rerun",
        selection_mode=BAR_PICK,
    )
    st.caption(escape_markdown(description) + " Select a bar to see the stored rows behind it.")
    name = picked_category(event, BAR_PICK, "group_name")
    if name is None or st.session_state.get("_applied_bar_pick") == name:
        return
    st.session_state["_applied_bar_pick"] = name
    codes = dict(zip(plotted["group_name"], plotted["group_code"], strict=True))
    if name in codes:
        st.session_state["drilldown_group"] = codes[name]


def drilldown_section(
    ctx: ThemeContext, code: str, dimension: str, rows: pd.DataFrame, *, paged: bool = False
) -> None:
    """The stored rows behind the figures, all or one group's (`rows`: the groups to offer; with
    `paged`, those in the chart and on the table's page, not every one)."""
    st.subheader("Rows behind the figures")
    if ctx.user.role not in DRILL_DOWN_ROLES:
        st.caption(
            "Quality assurance officers can open the individual returns behind these figures."
        )
        return
    groups = (
        dict(zip(rows["group_code"], rows["group_name"], strict=True)) if not rows.empty else {}
    )
    options = ["", *groups]
    choice = st.selectbox(
        f"Show the stored rows for one {dimension} (or all)",
        options,
        key="drilldown_group",
        format_func=lambda c: f"All rows for {ctx.period_code}" if c == "" else groups[c],
        help=(
            f"Lists the {PLURAL[dimension]} in the chart and on the table's page shown above."
            if paged
            else None
        ),
    )
    kwargs = {"agency_code": choice} if dimension == "agency" else {"locality_code": choice}
    detail = cache.frame(
        themes.drilldown_rows,
        indicator_code=code,
        period_code=ctx.period_code,
        **({k: v for k, v in kwargs.items() if v}),
    )
    if detail.empty:
        st.info("No stored rows match.")
        return
    log_record_view(
        f"rows behind {code}, {ctx.period_code}, {dimension} {choice or 'all'}", rows=len(detail)
    )
    table_with_download(
        detail,
        label="rows behind the figures",
        key="drilldown",
        file_stem=f"{code}_{ctx.period_code}_rows",
    )
