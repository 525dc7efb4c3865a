"""What is going well and what needs attention, for the youth pages, from the staff pages' verdicts.

The youth pages never judge a figure themselves: a measure is "going well" exactly when the
staff narrative could call it going well (on target, green, and not needing attention), and "not
going well yet" exactly when the brief says it needs attention (red, concerning special cause or
consistently failing its target). Both come from one row of the quarter brief
(`dashboard.metrics.brief.quarter_brief`), so the youth page can never list the partnership's top
red measure under "What is going well".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.metrics import rag as ragmod

GOING_WELL = "working_well"
NOT_GOING_WELL = "not_working_well"


def is_going_well(row: Any) -> bool:
    """THE "going well" rule (staff narrative and youth pages): green and needing no attention.

    A figure held as unusual at import and confirmed (`unusual_mark`) is never "going well" on
    the strength of that one figure.
    """
    mark = row.get("unusual_mark") if hasattr(row, "get") else None
    confirmed_unusual = isinstance(mark, str) and mark != ""
    return row["rag"] == ragmod.GREEN and not bool(row["needs_attention"]) and not confirmed_unusual


def is_not_going_well(row: Any) -> bool:
    """THE "needs attention" rule: the brief's `needs_attention` verdict."""
    return bool(row["needs_attention"])


def verdict_of(row: Any) -> str | None:
    """GOING_WELL, NOT_GOING_WELL, or None (no figure, no target, or amber without a concern)."""
    if ragmod.as_number(row["value"]) is None:
        return None
    if is_not_going_well(row):
        return NOT_GOING_WELL
    if is_going_well(row):
        return GOING_WELL
    return None


def sections(brief: pd.DataFrame, codes: list[str] | None = None) -> dict[str, list[str]]:
    """{GOING_WELL: [codes], NOT_GOING_WELL: [codes]} for the brief's rows (in its order),
    limited to `codes` when given (e.g. a theme's youth measures)."""
    out: dict[str, list[str]] = {GOING_WELL: [], NOT_GOING_WELL: []}
    for _, row in brief.iterrows():
        if codes is not None and row["code"] not in codes:
            continue
        verdict = verdict_of(row)
        if verdict is not None:
            out[verdict].append(str(row["code"]))
    return out
