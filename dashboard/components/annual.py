"""Annual figures in words: one table of a year's brief, shared by the theme pages and the pack.

Pure pandas (no streamlit), so the board pack says exactly what the page says. Every verdict
(figure, change on the year before, RAG against the annual target, SPC) is a column of the brief
(`dashboard.metrics.brief.annual_brief`); this module only words and arranges them.
"""

from __future__ import annotations

import pandas as pd

from dashboard.metrics import rag as ragmod
from data_access.catalogue import UNIT_LABELS
from data_access.periods import parse_period

# Short headers, so that nine columns fit the page; each has a help text on the page.
COLUMNS = [
    "Indicator",
    "Figure",
    "Unit",
    "Year before",
    "Change",
    "RAG",
    "Target",
    "SPC",
    "Note",
]
MEANINGS = {
    "Figure": "The year's figure: rates and percentages to one decimal place, counts whole.",
    "Year before": "The figure for the year before, which the change is worked out from.",
    "Change": "The change on the year before: for percentages in percentage points (pp), "
              "otherwise in the figure's own unit; (better) or (worse) where a direction is "
              "better.",
    "RAG": "Red, amber or green against the annual target (a context measure has no target).",
    "Target": "The annual target: what the year's figure is judged against, never a quarter's.",
    "SPC": "The control chart over the years: variation of the latest year; assurance "
           "against the target.",
    "Note": "What qualifies the figure: a statistical symbol's meaning (u: low reliability), a "
            "bound (the figure is more than or less than the value shown) and the partner's "
            "comment.",
}
STAFF_ONLY = ("Note",)
# The RAG words of every table (dashboard.components.rag.SHORT_RAG), here without streamlit so the
# board pack can use them; a test keeps the two the same.
RAG_WORDS = {
    ragmod.RED: "Red",
    ragmod.AMBER: "Amber",
    ragmod.GREEN: "Green",
    ragmod.NO_TARGET: "No target",
    ragmod.NO_DATA: "No data",
}


def year_label(code: str) -> str:
    """'April 2024 to March 2025 (2024-25)' for any year code."""
    return parse_period(code).label


def year_before_words(row: pd.Series) -> str:
    """'321.5 per 10,000 children in 2023-24', or 'no figure for 2023-24'."""
    before = row["previous_period_code"]
    if ragmod.as_number(row["previous"]) is None:
        return f"no figure for {before}"
    return f"{ragmod.format_value(row['previous'], str(row['unit']))} in {before}"


def change_words(row: pd.Series) -> str:
    """The brief's change on the year before, in words: '+25.2 per 10,000 on 2023-24 (better)'.

    'no comparison: no figure for 2023-24' when the year before has no figure.
    """
    before = row["previous_period_code"]
    if ragmod.as_number(row["change"]) is None:
        if ragmod.as_number(row["value"]) is None:
            return "no comparison: no figure this year"
        return f"no comparison: no figure for {before}"
    text = f"{row['change_display']} on {before}"
    judgement = str(row["change_judgement"])
    if judgement in ("better", "worse"):
        text += f" ({judgement})"
    return text


def rag_words(row: pd.Series) -> str:
    """'Green', 'Amber', 'Red', 'No target', 'No data' (the brief's RAG, in words)."""
    return RAG_WORDS.get(str(row["rag"]), str(row["rag"]).capitalize())


def target_words(row: pd.Series) -> str:
    target = ragmod.as_number(row["target"])
    if target is None or row["polarity"] == "neutral":
        return "no target"
    return ragmod.format_value(target, str(row["unit"]))


def annual_table(rows: pd.DataFrame, *, with_notes: bool = True) -> pd.DataFrame:
    """A year's brief (`brief.annual_brief` rows) as people read it: columns `COLUMNS`.

    Figures as the brief formats them (rates and percentages to one decimal place, counts whole);
    `with_notes=False` drops the staff-only note (partners' comments) for youth views.
    """
    columns = [c for c in COLUMNS if with_notes or c not in STAFF_ONLY]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame(
        {
            "Indicator": rows["name"].astype(str),
            "Figure": rows["display_value"].astype(str),
            "Unit": [UNIT_LABELS.get(str(u), str(u)) for u in rows["unit"]],
            "Year before": [year_before_words(r) for _, r in rows.iterrows()],
            "Change": [change_words(r) for _, r in rows.iterrows()],
            "RAG": [rag_words(r) for _, r in rows.iterrows()],
            "Target": [target_words(r) for _, r in rows.iterrows()],
            "SPC": rows["spc_display"].astype(str),
            "Note": rows["note"].fillna("").astype(str),
        }
    )
    return table[columns].reset_index(drop=True)


def chart_description(name: str, unit: str, periods: list[str], values: list) -> str:
    """The text under a year-on-year chart: what is plotted, the years, the latest figure."""
    shown = [(p, v) for p, v in zip(periods, values, strict=True)
             if ragmod.as_number(v) is not None]
    if not shown:
        return f"No annual figures for {name}."
    (first, _), (last, latest) = shown[0], shown[-1]
    return (
        f"Line chart of {name} by year, {first} to {last}; latest "
        f"{ragmod.format_value(latest, unit)} in {last}."
    )
