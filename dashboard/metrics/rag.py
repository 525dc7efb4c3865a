"""RAG ratings against target, change between quarters, and value formatting.

A RAG rating uses the catalogue's polarity and tolerance:

* ``higher_is_better``: green at or above target; amber within ``tolerance`` below it
  (``target - tolerance`` itself is amber); red further below.
* ``lower_is_better``: the mirror image (``target + tolerance`` itself is amber).
* ``neutral`` polarity or no target: "no target" (a context measure is never coloured).
* A missing value (None, NaN, or a GSS symbol such as ``c``): "no data".
* A bound ("more than 40%", recorded as 40 with the qualifier "more than"): the rating every
  figure the bound allows would get; "not judged" when those figures would get different ratings
  (more than 40% against a target of 45% could be red, amber or green).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

GREEN, AMBER, RED = "green", "amber", "red"
NO_TARGET, NO_DATA, NOT_JUDGED = "no target", "no data", "not judged"
RAG_VALUES = (RED, AMBER, GREEN, NOT_JUDGED, NO_TARGET, NO_DATA)
# A rating in a word, the same on every surface (tables, tiles, meeting mode, PDF, PowerPoint).
RAG_WORDS = {
    RED: "Red",
    AMBER: "Amber",
    GREEN: "Green",
    NOT_JUDGED: "Not judged",
    NO_TARGET: "No target",
    NO_DATA: "No data",
}
# The bounds the importer records (data_access.importer.checks.numbers): for each, whether the bound
# itself is a possible figure, and which way the possible figures go from it.
BOUNDS = {
    "more than": (False, 1),
    "at least": (True, 1),
    "less than": (False, -1),
    "at most": (True, -1),
}

# Government Statistical Service symbols, as they appear in official statistics.
GSS_LABELS = {
    "c": "c (suppressed)",
    "k": "k (rounds to 0)",
    "u": "u (low reliability)",
    "x": "x (not available)",
    "z": "z (not applicable)",
}
UNIT_SUFFIX = {
    "percentage": "%",
    "rate_per_10k": " per 10,000 children",
    "days": " working days",
    "count": "",
    "score": "",
}
DEFAULT_DECIMALS = {"count": 0, "percentage": 1, "rate_per_10k": 1, "days": 1, "score": 1}


def as_number(value: Any) -> float | None:
    """The value as a float, or None when it is missing (None, NaN, pd.NA, a GSS symbol, text)."""
    if value is None or isinstance(value, bool | str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or math.isinf(number):
        return None
    return number


def rag_status(
    value: Any, target: Any, polarity: str, tolerance: Any = 0.0, qualifier: Any = None
) -> str:
    """Red, amber, green, "not judged", "no target" or "no data" (see the module docstring)."""
    number = as_number(value)
    goal = as_number(target)
    if polarity == "neutral" or goal is None:
        return NO_TARGET if number is not None else NO_DATA
    if number is None:
        return NO_DATA
    slack = as_number(tolerance) or 0.0
    bound = BOUNDS.get(qualifier.strip().lower()) if isinstance(qualifier, str) else None
    if bound is None:
        return _rating(number, goal, slack, polarity)
    # The rating only steps one way as the figure grows, so the figures a bound allows share a
    # rating exactly when its two ends do: the nearest allowed figure and the far end.
    includes_bound, direction = bound
    nearest = number if includes_bound else math.nextafter(number, direction * math.inf)
    ratings = {
        _rating(nearest, goal, slack, polarity),
        _rating(direction * math.inf, goal, slack, polarity),
    }
    return ratings.pop() if len(ratings) == 1 else NOT_JUDGED


def _rating(number: float, goal: float, slack: float, polarity: str) -> str:
    if polarity == "higher_is_better":
        if number >= goal:
            return GREEN
        return AMBER if number >= goal - slack else RED
    if polarity == "lower_is_better":
        if number <= goal:
            return GREEN
        return AMBER if number <= goal + slack else RED
    raise ValueError(f"unknown polarity {polarity!r}")


def meets_target(value: Any, target: Any, polarity: str) -> bool | None:
    """True if the value meets the target, False if not, None when it cannot be judged."""
    number, goal = as_number(value), as_number(target)
    if number is None or goal is None or polarity == "neutral":
        return None
    return number >= goal if polarity == "higher_is_better" else number <= goal


@dataclass(frozen=True)
class Change:
    """The change from an earlier value to the current one."""

    current: float | None
    earlier: float | None
    difference: float | None
    percent: float | None  # relative change, % of the earlier value (None if earlier is 0)
    direction: str  # "up", "down", "no change" or "unknown"
    judgement: str  # "better", "worse", "no change" or "not judged"
    inexact: bool = False  # a bound is one end: the change cannot be given exactly


INEXACT_CHANGE_WORDS = "cannot be given exactly (a bound)"


def inexact_change(current: Any, earlier: Any) -> Change:
    """The change from or to a bound ("more than 40.0%"): not a number, never judged."""
    return Change(as_number(current), as_number(earlier), None, None, "unknown", "not judged", True)


def change(current: Any, earlier: Any, polarity: str = "neutral") -> Change:
    """Compare two values; the judgement uses polarity (neutral measures are never judged)."""
    now, before = as_number(current), as_number(earlier)
    if now is None or before is None:
        return Change(now, before, None, None, "unknown", "not judged")
    difference = now - before
    percent = (difference / abs(before) * 100.0) if before != 0 else None
    if math.isclose(difference, 0.0, abs_tol=1e-9):
        return Change(
            now, before, 0.0, 0.0 if percent is not None else None, "no change", "no change"
        )
    direction = "up" if difference > 0 else "down"
    if polarity == "higher_is_better":
        judgement = "better" if difference > 0 else "worse"
    elif polarity == "lower_is_better":
        judgement = "better" if difference < 0 else "worse"
    else:
        judgement = "not judged"
    return Change(now, before, difference, percent, direction, judgement)


def format_value(
    value: Any,
    unit: str,
    decimals: int | None = None,
    symbol: str | None = None,
    with_unit: bool = True,
) -> str:
    """A value as people read it: "78.0%", "1,234"; symbols spelt out."""
    number = as_number(value)
    if number is None:
        if symbol:
            return GSS_LABELS.get(str(symbol), str(symbol))
        return "no data"
    places = DEFAULT_DECIMALS.get(unit, 1) if decimals is None else decimals
    text = f"{number:,.{places}f}"
    return text + (UNIT_SUFFIX.get(unit, "") if with_unit else "")


def format_figure(
    value: Any,
    unit: str,
    *,
    symbol: str | None = None,
    qualifier: str | None = None,
    with_unit: bool = True,
) -> str:
    """A figure as staff read it, with what qualifies it: "more than 40.0%", "312.4 u".

    A bound (`qualifier`, e.g. "more than") goes before the number; a GSS symbol recorded beside
    a number (u low reliability, k rounds to 0) follows it. Without a number the symbol is
    spelt out, as `format_value` does.
    """
    text = format_value(value, unit, symbol=symbol, with_unit=with_unit)
    if as_number(value) is None:
        return text
    if isinstance(qualifier, str) and qualifier.strip():
        text = f"{qualifier.strip()} {text}"
    if isinstance(symbol, str) and symbol.strip():
        text = f"{text} {symbol.strip()}"
    return text


def format_change(diff: Change, unit: str, decimals: int | None = None) -> str:
    """A signed change: "+2.5 pp" for percentages (percentage points), "-12" for counts."""
    if diff.inexact and diff.current is not None and diff.earlier is not None:
        return INEXACT_CHANGE_WORDS
    if diff.difference is None:
        return "no comparison"
    if diff.direction == "no change":
        return "no change"
    places = DEFAULT_DECIMALS.get(unit, 1) if decimals is None else decimals
    text = f"{diff.difference:+,.{places}f}"
    if unit == "percentage":
        return f"{text} pp"
    if unit == "days":
        return f"{text} days"
    if unit == "rate_per_10k":
        return f"{text} per 10,000"
    return text
