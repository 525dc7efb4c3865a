"""The overview page: scorecard of headline indicators, needs-attention list, summaries, links."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import charts, youth
from dashboard.components.filters import sidebar_filters
from dashboard.components.glance import attention_lines, rag_counts
from dashboard.components.learning import render_learning_attention
from dashboard.components.published import overview_context
from dashboard.components.rag import rag_badge_html, rag_label, variation_label
from dashboard.components.summary import summary_panel
from dashboard.components.tables import show_table as show_grid
from dashboard.components.terms import SCORECARD_TERMS, terms_expander
from dashboard.exports import download_built, download_table
from dashboard.metrics import brief, narrative
from dashboard.metrics import rag as ragmod
from dashboard.metrics.glance import quarter_glance
from dashboard.metrics.scorecard import flagged_value, needs_attention
from dashboard.metrics.scorecard_export import scorecard_export
from dashboard.session import CurrentUser
from dashboard.views.theme import theme_link
from dashboard.views.theme.scorecard import compact_scorecard, scorecard_column_config
from data_access import assurance, catalogue
from data_access.indicators import periods_with_data


def overview_table(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as shown: one row per headline indicator, with a trend column of values."""

    def comparator(row: pd.Series, key: str) -> str:
        value = ragmod.as_number(row[key])
        return ragmod.format_value(value, row["unit"]) if value is not None else ""

    return pd.DataFrame(
        {
            "Theme": card["theme_name"],
            "Indicator": card["name"],
            # A figure held as unusual and confirmed is flagged in its own cell; who confirmed
            # it and when is in the note.
            "Value": [
                flagged_value(v, m)
                for v, m in zip(card["display_value"], card["unusual_mark"], strict=True)
            ],
            "Note on the figure": card["figure_note"].fillna(""),
            "Trend": card["trend_values"].map(lambda values: [v for v in values if v is not None]),
            "Change on last quarter": card["change_display"],
            # Rows say "missing target 4 quarters running": the target they miss is beside them.
            "Target": [
                ragmod.format_value(r["target"], r["unit"])
                if ragmod.as_number(r["target"]) is not None and r["polarity"] != "neutral"
                else "no target"
                for _, r in card.iterrows()
            ],
            "RAG": card["rag"].map(rag_label),
            "Quarters running": card["run_display"],
            "SPC variation": card["spc_variation"].map(variation_label),
            "SPC assurance": card["spc_assurance"],
            "England": [comparator(r, "england") for _, r in card.iterrows()],
            "Statistical neighbours": [
                comparator(r, "stat_neighbours") for _, r in card.iterrows()
            ],
        }
    )


def overview_brief(period_code: str) -> pd.DataFrame:
    """The headline measures' brief for a quarter, read once per data version and shared by
    every session (`cache.derived`): never change it."""
    return cache.derived(
        "overview brief",
        lambda: cache.frame(brief.quarter_brief, period_code=period_code, headline_only=True),
        period_code,
    )


def _shown_scorecard(card: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The overview's scorecard as shown, and its columns in order."""
    shown, order = compact_scorecard(overview_table(card))
    # Straight-lined (the grid's own line-chart column draws smoothed curves).
    # The scorecard's rows are tall (wrapped names): a picture the shape of its cell.
    shown["Trend"] = shown["Trend"].map(lambda v: charts.sparkline_svg(v, size=(90, 100)))
    return shown, order


def attention_section(card: pd.DataFrame, period_code: str) -> None:
    st.header("Needs attention")
    flagged = needs_attention(card)
    if flagged.empty:
        st.success(
            f"No headline measure is red, shows concerning special cause variation or is "
            f"consistently failing its target in {period_code}."
        )
        return
    st.caption(
        "Red against target, concerning special cause variation (a change in the bad direction "
        "that is unlikely to be chance), or consistently failing the target (it will not be met "
        "unless the way the work is done changes); most severe first."
    )
    for _, row in flagged.iterrows():
        with st.container(border=True, key=f"attention_{row['code']}"):
            st.markdown(
                f"{rag_badge_html(row['rag'])} **{row['name']}** ({row['theme_name']}): "
                f"{row['display_value']}",
                unsafe_allow_html=True,
            )
            st.caption(f"Why: {row['attention_reasons']}. {row['sentence']}")
    table = flagged[
        [
            "theme_name",
            "name",
            "display_value",
            "rag",
            "spc_variation",
            "spc_assurance",
            "attention_reasons",
            "severity",
        ]
    ].rename(
        columns={
            "theme_name": "Theme",
            "name": "Indicator",
            "display_value": "Value",
            "rag": "RAG",
            "spc_variation": "SPC variation",
            "spc_assurance": "SPC assurance",
            "attention_reasons": "Why",
            "severity": "Severity",
        }
    )
    download_table(
        table,
        label="needs-attention list",
        file_stem=f"needs_attention_{period_code}",
        key="attention_csv",
    )


def render(user: CurrentUser) -> None:
    """Render the overview page for `user` (call after the page's guard); its cached figures are
    remembered, to be warmed again after a data change (`cache.warm`)."""
    with cache.remembered("overview"):
        _render(user)


def _render(user: CurrentUser) -> None:
    """The overview page's body.

    The first screen is the quarter at a glance, before any prose: the Green/Amber/Red counts of
    the headline measures and the few that need attention most, from the quarter brief through
    `dashboard.metrics.glance` (the same numbers as meeting mode and the board pack's cover).
    """
    st.title("Overview")
    periods = cache.frame(periods_with_data)
    filters = sidebar_filters(list(periods["code"]), key="overview")
    period_code = filters.period_code
    # The brief is read once per data version and shared by every session (never changed here).
    card = overview_brief(period_code) if period_code is not None else None
    if card is not None:
        glance = quarter_glance(card)
        st.header(f"The quarter at a glance ({period_code})")
        rag_counts(glance, key="overview_rag_counts")
        st.subheader("Needs attention most")
        attention_lines(glance, key="overview_glance_attention")

    st.caption(
        "Every headline measure for the quarter, what needs attention, and the assurance "
        "groups' summaries. Open a theme for trends, breakdowns and audits."
    )
    youth.overdue_challenges_notice(user)

    st.header("Themes")
    columns = st.columns(len(catalogue.themes()))
    for column, spec in zip(columns, catalogue.themes(), strict=True):
        with column:
            theme_link(spec.code, period_code=period_code)

    overview_context(period_code)

    if period_code is None or card is None:
        st.info(
            "No figures have been loaded yet. A quality assurance officer can load partners' "
            "quarterly returns on **Load quarterly returns**; the scorecard of "
            f"{sum(1 for i in catalogue.indicators() if i.headline)} headline measures will then "
            "appear here."
        )
        return

    with st.container(border=True, key="narrative"):
        st.markdown(f"**The quarter in brief ({period_code})**")
        st.markdown(" ".join(narrative.theme_narrative(card)))

    attention_section(card, period_code)
    render_learning_attention()

    st.header("Scorecard")
    st.caption(
        "Trend: the last eight quarters. RAG compares the quarter with the target "
        "(context measures have no target); SPC (statistical process control) reads the "
        "measure's control chart: is a change more than the normal ups and downs, and will the "
        "target be met? Hover over a column heading for what it means, or open "
        '"What these terms mean" below the table.'
    )
    # Formatted (sparklines drawn) once per data version and quarter, with the brief.
    shown, order = cache.derived(
        "overview scorecard", lambda: _shown_scorecard(overview_brief(period_code)), period_code
    )
    column_config = scorecard_column_config(shown)
    column_config["Trend"] = st.column_config.ImageColumn(
        "Trend", help="Last eight quarters, the latest marked with a dot", width=100
    )
    show_grid(shown, key="scorecard_df", column_config=column_config, column_order=order)
    terms_expander(*SCORECARD_TERMS, key="overview_terms")
    # Every indicator of the catalogue, as `qa-dashboard scorecard` writes it: made when pressed.
    download_built(
        lambda: cache.frame(scorecard_export, period_code=period_code),
        label="the scorecard",
        file_stem=f"scorecard_{period_code.replace(' ', '_')}",
        key="scorecard_csv",
        rows=len(catalogue.indicators()),
    )
    st.caption(
        "The download lists every indicator (not only the headline ones) in the same words, "
        "with the figure's numerator and denominator and how it was made; "
        "`qa-dashboard scorecard` writes the same file."
    )

    st.header("Assurance summaries this quarter")
    items = cache.frame(assurance.summaries, period_code=period_code)
    summary_panel(items, period_code=period_code, heading_level=3, show_theme=True)
