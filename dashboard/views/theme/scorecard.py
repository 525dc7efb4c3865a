"""The theme's scorecard: every indicator's figure and verdicts in one table, with column help."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components.rag import rag_label, variation_label
from dashboard.components.tables import table_with_download
from dashboard.components.terms import SCORECARD_TERMS, help_text, terms_expander
from dashboard.metrics import rag as ragmod
from dashboard.views.theme.context import ThemeContext
from data_access import catalogue


def scorecard_table(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as people read it (text labels for RAG and SPC, formatted comparators)."""
    if card.empty:
        return pd.DataFrame()
    rows = []
    for _, row in card.iterrows():
        rows.append(
            {
                "Indicator": row["name"],
                "Quarter": row["period_code"],
                "Value": row["display_value"],
                "Note on the figure": row["figure_note"] or "",
                "Change on last quarter": row["change_display"],
                "Change on a year earlier": row["year_ago_display"],
                "Target": ragmod.format_value(row["target"], row["unit"])
                if row["target"] is not None and row["polarity"] != "neutral"
                else "no target",
                "RAG": rag_label(row["rag"]),
                "Quarters running": row["run_display"],
                "SPC variation": variation_label(row["spc_variation"]),
                "SPC assurance": row["spc_assurance"],
                "England": ragmod.format_value(row["england"], row["unit"])
                if ragmod.as_number(row["england"]) is not None
                else "",
                "Statistical neighbours": ragmod.format_value(row["stat_neighbours"], row["unit"])
                if ragmod.as_number(row["stat_neighbours"]) is not None
                else "",
            }
        )
    return pd.DataFrame(rows)


SCORECARD_HELP = {
    "Note on the figure": "What qualifies the figure: a GSS symbol's meaning (u: low "
    "reliability), a bound (more than 40%), and the partner's comment as they wrote it.",
    "Change on last quarter": help_text("pp"),
    "Change on a year earlier": help_text("pp"),
    "RAG": help_text("rag"),
    "Quarters running": help_text("quarter_running"),
    "SPC variation": help_text("control_chart", "common_cause", "special_cause"),
    "SPC assurance": help_text(
        "consistently_passing", "consistently_failing", "hit_and_miss", "process_changed"
    ),
    "England": help_text("england"),
    "Statistical neighbours": help_text("stat_neighbours"),
}


def scorecard_column_config(table: pd.DataFrame) -> dict[str, Any]:
    """Column help from the glossary, for the scorecard columns `table` has."""
    return {
        name: st.column_config.TextColumn(name, help=meaning)
        for name, meaning in SCORECARD_HELP.items()
        if name in table.columns
    }


def scorecard_section(ctx: ThemeContext) -> None:
    st.header("Every indicator in this theme")
    annual = [i for i in catalogue.indicators(ctx.theme_code) if i.is_annual]
    st.caption(
        "Every verdict is worked out from all the quarters up to the selected one, not only "
        "those the charts show."
        + (
            f" The {len(annual)} indicators reported once a year are under **Annual figures** "
            "below, compared with the year before."
            if annual
            else ""
        )
    )
    table = scorecard_table(ctx.scorecard)
    table_with_download(
        table,
        label="theme indicators",
        file_stem=f"{ctx.theme_code}_indicators_{ctx.period_code}",
        key="theme_scorecard",
        column_config=scorecard_column_config(table),
    )
    terms_expander(*SCORECARD_TERMS, key="theme_terms")
