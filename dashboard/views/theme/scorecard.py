"""The theme's scorecard: every indicator's figure and verdicts in one table, with column help."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.rag import rag_label, variation_label
from dashboard.components.tables import show_table
from dashboard.components.terms import SCORECARD_TERMS, help_text, terms_expander
from dashboard.exports import download_table
from dashboard.metrics import rag as ragmod
from dashboard.views.theme.context import ThemeContext, theme_brief
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


SCORECARD_HELP["Target"] = (
    "The figure the partnership aims for this quarter; context measures have no target."
)
SCORECARD_HELP["Changes"] = help_text("pp")
SCORECARD_HELP["RAG and run"] = help_text("rag", "quarter_running")
SCORECARD_HELP["SPC variation and assurance"] = help_text(
    "control_chart",
    "common_cause",
    "special_cause",
    "consistently_passing",
    "consistently_failing",
    "hit_and_miss",
)

# Short headers on the page, so that every column fits at 1440 px (the grid never wraps a
# header); the help gives the full name and meaning, and the CSV keeps the full names.
SHORT_HEADERS = {
    "Note on the figure": "Note",
    "Change on last quarter": "Change",
    "SPC variation": "Variation",
    "SPC assurance": "Assurance",
    "Statistical neighbours": "Neighbours",
}


def _joined(*parts: object) -> str:
    return "; ".join(str(p) for p in parts if isinstance(p, str) and p.strip())


# The merged cells' columns (their headers come from `SHORT_HEADERS`).
RAG_AND_RUN, CHANGES, SPC_BOTH = "RAG and run", "Changes", "SPC variation and assurance"
SHORT_HEADERS.update({RAG_AND_RUN: "RAG", CHANGES: "Change", SPC_BOTH: "SPC"})
MERGED = {
    RAG_AND_RUN: ("RAG", "Quarters running"),
    CHANGES: ("Change on last quarter", "Change on a year earlier"),
    SPC_BOTH: ("SPC variation", "SPC assurance"),
}


def compact_scorecard(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The scorecard as the page shows it: the same rows in fewer, narrower columns.

    Returns the table with merged columns added (the original ones stay, for anyone reading the
    data) and the columns to show, in order. The SPC variation and assurance go in one cell
    ("~ common cause; hit and miss"), as Making Data Count pairs its two icons; the RAG and how
    many quarters it has run go in one ("✘ Red; Missing target 4 quarters running"); the two
    changes go in one ("-1.8 pp on last quarter; +2.0 pp on a year earlier"); a Quarter column
    the same on every row is not shown (the heading says it). Empty columns are left out by the
    table component.
    """
    shown = table.copy()
    order = [str(c) for c in shown.columns]
    for merged, (first, second) in MERGED.items():
        if first not in shown.columns or second not in shown.columns:
            continue
        if merged == CHANGES:
            pairs = [
                (
                    f"{q} on last quarter" if isinstance(q, str) and q.strip() else None,
                    f"{y} on a year earlier" if isinstance(y, str) and y.strip() else None,
                )
                for q, y in zip(shown[first], shown[second], strict=True)
            ]
        else:
            pairs = list(zip(shown[first], shown[second], strict=True))
        shown[merged] = [_joined(a, b) for a, b in pairs]
        order[order.index(first)] = merged
        order.remove(second)
    if "Quarter" in shown.columns and shown["Quarter"].nunique(dropna=False) <= 1:
        order.remove("Quarter")
    return shown, order


def scorecard_column_config(table: pd.DataFrame) -> dict[str, Any]:
    """Column help from the glossary, and short headers, for the scorecard columns `table` has."""
    config = {}
    for name, meaning in SCORECARD_HELP.items():
        if name not in table.columns:
            continue
        config[name] = st.column_config.TextColumn(SHORT_HEADERS.get(name, name), help=meaning)
    return config


def _scorecard_tables(card: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The scorecard's table (for the CSV), the table shown and its columns in order."""
    table = scorecard_table(card)
    return (table, *compact_scorecard(table))


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
    # Formatted once per data version and scope, with the brief, not on every rerun.
    # (The build names the brief by its scope, never a frame: `cache.warm` builds it again for
    # the next data version.)
    scope = (ctx.theme_code, ctx.period_code, ctx.filters.agency_code, ctx.filters.locality_code)
    table, shown, order = cache.derived(
        "theme scorecard table", lambda: _scorecard_tables(theme_brief(*scope)), *scope
    )
    show_table(
        shown,
        key="theme_scorecard_df",
        column_config=scorecard_column_config(shown),
        column_order=order,
    )
    download_table(
        table,
        label="theme indicators",
        file_stem=f"{ctx.theme_code}_indicators_{ctx.period_code}",
        key="theme_scorecard_csv",
    )
    terms_expander(*SCORECARD_TERMS, key="theme_terms")
