"""The Section 11 matrix as a table: every cell says its rating in words, with a colour as well."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

# (symbol + word, background, text colour): each pair has contrast of at least 4.5:1.
RATING_CELL = {
    "green": ("✔ Green", "#00703c", "#ffffff"),
    "amber": ("▲ Amber", "#ffdd00", "#0b0c0c"),
    "red": ("✖ Red", "#d4351c", "#ffffff"),
}
CHANGE_TEXT = {
    "improved": "↑ improved",
    "declined": "↓ declined",
    "same": "= same",
    "new": "new",
}
NOT_RATED = "–"


# The matrix's cells say the change with a mark only (the key above the matrix gives the words),
# so that all eleven standards fit across the page at 1440 px.
CHANGE_MARK = {"improved": "↑", "declined": "↓", "same": "=", "new": "new"}


def cell_text(rating: str | None, change: str | None) -> str:
    """'✔ Green ↑': the rating in words and the change since the previous cycle as a mark."""
    if not rating or rating not in RATING_CELL:
        return NOT_RATED
    text = RATING_CELL[rating][0]
    return f"{text} {CHANGE_MARK.get(change or '', change or '')}" if change else text


def matrix_column_config(wide: pd.DataFrame) -> dict[str, dict]:
    """Short headers ('S1') for the standards, the full name as the header's help text."""
    return {
        column: st.column_config.Column(column.split(" ", 1)[0], help=column)
        for column in wide.columns
        if column != "Agency"
    }


def standards_key(wide: pd.DataFrame) -> str:
    """'S1: Senior lead for safeguarding; S2: ...' for the line above the matrix."""
    return (
        "; ".join(
            f"**{c.split(' ', 1)[0]}** {c.split(' ', 1)[1]}" for c in wide.columns if c != "Agency"
        )
        + "."
    )


def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Agencies as rows and 'S1 Senior lead…' standards as columns, each cell `cell_text`."""
    if matrix.empty:
        return pd.DataFrame()
    frame = matrix[["agency", "standard_number", "standard", "rating", "change"]].copy()
    # A few standards, many agencies: name each standard once, then look the names up.
    standards = frame[["standard_number", "standard"]].drop_duplicates()
    names = {
        (n, t): f"S{n} {t}"
        for n, t in zip(standards["standard_number"], standards["standard"], strict=True)
    }
    # Built column-wise: mapping a MultiIndex of every rating was most of the warm page.
    frame["column"] = (
        "S" + frame["standard_number"].astype(int).astype(str) + " " + frame["standard"].astype(str)
    )
    # cell_text for every row at once (a matrix can hold tens of thousands of ratings).
    words = frame["rating"].map({r: cell[0] for r, cell in RATING_CELL.items()})
    change = frame["change"].fillna("").astype(str)
    marks = change.map(CHANGE_MARK).fillna(change)
    with_change = words + " " + marks
    frame["cell"] = with_change.where(change != "", words).where(words.notna(), NOT_RATED)
    order = [names[key] for key in sorted(names, key=lambda k: k[0])]
    wide = frame.pivot(index="agency", columns="column", values="cell").reindex(columns=order)
    return wide.fillna(NOT_RATED).reset_index().rename(columns={"agency": "Agency"})


def _cell_style(value: object) -> str:
    for _rating, (text, background, colour) in RATING_CELL.items():
        if isinstance(value, str) and value.startswith(text):
            return f"background-color: {background}; color: {colour}"
    return ""


def styled_matrix(wide: pd.DataFrame) -> Styler:
    """The wide matrix with each rating cell coloured (the words are already in the cell)."""
    return wide.style.map(_cell_style)


ALL_SECTORS = "All sectors"
# The matrix shows this many agencies at a time (the store pages): a page fits on the screen
# without a scroll box of its own, and colouring its cells (pandas Styler) stays quick.
AGENCIES_PER_PAGE = 50


def show_matrix(wide: pd.DataFrame) -> None:
    """A page of the wide matrix as a table, each rating cell coloured as well as worded."""
    from dashboard.components.tables import show_table

    show_table(
        styled_matrix(wide), data=wide, key="s11_matrix", column_config=matrix_column_config(wide)
    )


def matrix_export(matrix: pd.DataFrame) -> pd.DataFrame:
    """The long-form matrix as the CSV download gives it."""
    return matrix[
        [
            "agency",
            "sector",
            "standard_number",
            "standard",
            "rating_label",
            "previous_label",
            "change",
        ]
    ].rename(
        columns={
            "agency": "Agency",
            "sector": "Sector",
            "standard_number": "Standard number",
            "standard": "Standard",
            "rating_label": "Rating",
            "previous_label": "Previous rating",
            "change": "Change",
        }
    )


def detail_table(detail: pd.DataFrame) -> pd.DataFrame:
    """An agency's return as a readable table."""
    return pd.DataFrame(
        {
            "Standard": [
                f"{n}. {t}"
                for n, t in zip(detail["standard_number"], detail["standard"], strict=True)
            ],
            "Rating": [RATING_CELL.get(r, (NOT_RATED,))[0] for r in detail["rating"]],
            "Change since last cycle": [CHANGE_TEXT.get(c, c) for c in detail["change"]],
            "Previous rating": detail["previous_label"].fillna("–"),
            "Evidence summary": detail["evidence_summary"],
            "Improvement action": detail["improvement_action"].fillna("–"),
        }
    )
