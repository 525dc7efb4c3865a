"""Training in detail: learners by agency, knowledge before and after, Kirkpatrick levels."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import charts, paging
from dashboard.components.chart_display import show_chart
from dashboard.components.tables import table_with_download
from dashboard.metrics import rag as ragmod
from dashboard.views.theme.context import ThemeContext
from data_access import themes

# What the evaluation chart draws: the column of each quarter's evaluations, and its line's name.
EVALUATION_LINES = (
    ("pre_pct", "Good or better before"),
    ("post_pct", "Good or better after"),
    ("objectives_met_pct", "Objectives met"),
)


def training_section(ctx: ThemeContext) -> None:
    """The training theme's own section: its three parts, each with its heading."""
    learners_section(ctx)
    evaluation_section(ctx)
    kirkpatrick_section(ctx)


# --- Learners by agency ------------------------------------------------------------------------


def learners_section(ctx: ThemeContext) -> None:
    """How many learners each agency sent this quarter: chart and paged table."""
    st.subheader("Learners by agency")
    totals = cache.query(themes.training_learners_totals, period_code=ctx.period_code)
    if totals["agencies"] == 0:
        st.info(f"No training attendance recorded for {ctx.period_code}.")
        return
    # A large partnership sends learners from thousands of agencies: the chart draws the
    # largest, the table a page at a time, both fetched from the store in that order.
    learners_chart(ctx, totals)
    learners_table(ctx, totals)


def learners_chart(ctx: ThemeContext, totals: dict[str, int]) -> None:
    """The agencies that sent the most learners this quarter, as bars."""
    largest = cache.frame(
        themes.training_learners_by_agency, period_code=ctx.period_code, limit=charts.MAX_BARS
    )
    chart = charts.bar_breakdown(
        largest,
        category="agency",
        value="learners",
        title=f"Learners by agency, {ctx.period_code}",
        unit="count",
        category_title="Agency",
        total=totals["agencies"],
    )
    show_chart(
        chart,
        f"Bar chart of {totals['learners']:,} learners from "
        f"{totals['agencies']:,} agencies in {ctx.period_code}.",
        key="tr_learners",
    )


def learners_table(ctx: ThemeContext, totals: dict[str, int]) -> None:
    """Every agency's learners this quarter, most first, a page at a time."""
    period = ctx.period_code
    paging.paged_table(
        total=totals["agencies"],
        noun="agencies",
        order="most learners first",
        fetch_page=lambda offset, limit: cache.frame(
            themes.training_learners_by_agency, period_code=period, offset=offset, limit=limit
        ),
        fetch_all=lambda: cache.frame(themes.training_learners_by_agency, period_code=period),
        build=lambda rows: rows.rename(columns=str.capitalize),
        label="learners by agency",
        key="tr_learners_table",
        page_key=paging.page_key("tr_learners_page", period),
        file_stem=f"learners_by_agency_{period}",
    )


# --- Knowledge before and after ----------------------------------------------------------------


def evaluation_section(ctx: ThemeContext) -> None:
    """Course evaluations over the quarters shown: self-rated knowledge before and after."""
    st.subheader("Knowledge before and after training")
    evaluation = cache.frame(
        themes.training_evaluation_by_quarter,
        from_period=ctx.filters.from_period,
        to_period=ctx.filters.to_period,
    )
    if evaluation.empty:
        st.info("No course evaluations recorded in the selected quarters.")
        return
    chart = charts.grouped_lines(
        evaluation_lines(evaluation),
        x="quarter",
        value="value",
        series="series",
        title="Self-rated knowledge before and after, and objectives met",
        unit="percentage",
        x_order=list(evaluation["period_code"]),
    )
    show_chart(chart, uplift_description(evaluation.iloc[-1]), key="tr_uplift")
    table_with_download(
        evaluation.drop(columns=["start_date"]),
        label="course evaluations",
        key="tr_eval_table",
        file_stem="training_evaluations",
    )


def evaluation_lines(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The quarters' evaluations as the chart's long frame (quarter, series, value)."""
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "quarter": evaluation["period_code"],
                    "series": label,
                    "value": evaluation[column],
                }
            )
            for column, label in EVALUATION_LINES
        ],
        ignore_index=True,
    ).dropna(subset=["value"])


def uplift_description(last: pd.Series) -> str:
    """The evaluation chart's text: the latest quarter's knowledge before and after, and uplift."""
    return (
        f"Three lines, the axis fitted to them. In {last['period_code']}, "
        f"{ragmod.format_value(last['pre_pct'], 'percentage')} rated their knowledge good "
        f"or better "
        f"before and {ragmod.format_value(last['post_pct'], 'percentage')} after "
        f"(uplift "
        f"{ragmod.format_value(last['uplift_pct'], 'percentage', with_unit=False)} points)."
    )


# --- Kirkpatrick levels ------------------------------------------------------------------------


def kirkpatrick_section(ctx: ThemeContext) -> None:
    """Follow-up respondents by Kirkpatrick level over the year to the selected quarter."""
    st.subheader("Impact on practice (Kirkpatrick levels)")
    levels = cache.frame(themes.kirkpatrick_levels, period_code=ctx.period_code)
    if levels["follow_ups"].sum() == 0:
        st.info("No follow-ups recorded in the year to the selected quarter.")
        return
    chart = charts.bar_breakdown(
        levels,
        category="level_name",
        value="respondents",
        title="Follow-up respondents by Kirkpatrick level (last 4 quarters)",
        unit="count",
        category_title="Kirkpatrick level",
    )
    show_chart(
        chart,
        "Bar chart of follow-up respondents at each Kirkpatrick level: 1 reaction, "
        "2 learning, 3 behaviour, 4 results.",
        key="tr_kirkpatrick",
    )
    table_with_download(
        levels,
        label="Kirkpatrick levels",
        key="tr_kirk_table",
        file_stem=f"kirkpatrick_levels_{ctx.period_code}",
    )
