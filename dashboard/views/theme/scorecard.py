"""The theme's scorecard: every indicator's figure and verdicts in one table, with column help."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.components.rag import rag_label, variation_label
from dashboard.components.tables import show_table
from dashboard.components.terms import SCORECARD_TERMS, help_text, terms_expander
from dashboard.exports import download_table
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
    "SPC assurance": help_text("consistently_passing", "consistently_failing", "hit_and_miss"),
    "England": help_text("england"),
    "Statistical neighbours": help_text("stat_neighbours"),
}


SCORECARD_HELP["Target"] = (
    "The figure the partnership aims for this quarter; context measures have no target."
)
SCORECARD_HELP["Change"] = help_text("pp")

# Short headers on the page, so that every column fits at 1440 px (the grid never wraps a
# header); the help gives the full name and meaning, and the CSV keeps the full names.
SHORT_HEADERS = {
    "Note on the figure": "Note",
    "Change on last quarter": "Change",
    "SPC variation": "SPC",
    "SPC assurance": "Assurance",
    "Statistical neighbours": "Neighbours",
}


def _joined(*parts: object) -> str:
    return "; ".join(str(p) for p in parts if isinstance(p, str) and p.strip())


def compact_scorecard(table: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as the page shows it: the same rows, fewer and narrower columns.

    The SPC variation and assurance go in one cell ("~ common cause; hit and miss"), as Making
    Data Count pairs its two icons; the RAG and how many quarters it has run go in one ("✘ Red;
    Missing target 4 quarters running"); the two changes go in one ("-1.8 pp on last quarter;
    +2.0 pp on a year earlier"); a Quarter column the same on every row is left out (the heading
    says it).
    Empty columns are left out by the table component.
    """
    shown = table.copy()
    if "Quarters running" in shown.columns and "RAG" in shown.columns:
        shown["RAG"] = [
            _joined(rag, run)
            for rag, run in zip(shown["RAG"], shown["Quarters running"], strict=True)
        ]
        shown = shown.drop(columns=["Quarters running"])
    if "Change on a year earlier" in shown.columns and "Change on last quarter" in shown.columns:
        shown["Change on last quarter"] = [
            _joined(
                f"{q} on last quarter" if isinstance(q, str) and q.strip() else None,
                f"{y} on a year earlier" if isinstance(y, str) and y.strip() else None,
            )
            for q, y in zip(
                shown["Change on last quarter"], shown["Change on a year earlier"], strict=True
            )
        ]
        shown = shown.drop(columns=["Change on a year earlier"])
    if "SPC variation" in shown.columns and "SPC assurance" in shown.columns:
        shown["SPC variation"] = [
            _joined(variation, assurance)
            for variation, assurance in zip(
                shown["SPC variation"], shown["SPC assurance"], strict=True
            )
        ]
        shown = shown.drop(columns=["SPC assurance"])
    if "Quarter" in shown.columns and shown["Quarter"].nunique(dropna=False) <= 1:
        shown = shown.drop(columns=["Quarter"])
    return shown


def scorecard_column_config(table: pd.DataFrame) -> dict[str, Any]:
    """Column help from the glossary, and short headers, for the scorecard columns `table` has."""
    config = {}
    for name, meaning in SCORECARD_HELP.items():
        if name not in table.columns:
            continue
        if name == "RAG" and "Quarters running" not in table.columns:
            meaning = help_text("rag", "quarter_running")
        if name == "SPC variation" and "SPC assurance" not in table.columns:
            meaning = f"{meaning} {SCORECARD_HELP['SPC assurance']}"
        config[name] = st.column_config.TextColumn(SHORT_HEADERS.get(name, name), help=meaning)
    return config


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
    shown = compact_scorecard(table)
    show_table(shown, key="theme_scorecard_df", column_config=scorecard_column_config(shown))
    download_table(
        table,
        label="theme indicators",
        file_stem=f"{ctx.theme_code}_indicators_{ctx.period_code}",
        key="theme_scorecard_csv",
    )
    terms_expander(*SCORECARD_TERMS, key="theme_terms")
