"""Reading numbers written in a return (never guessing) and the checks of each figure's cells."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.importer.checks.report import Report

_DATE_TEXT = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?$")

# Numbers written as text. The rules (documented in importer/__init__.py): a plain number with a
# decimal point; thousands written with commas (or spaces) in groups of exactly three digits; a
# comma is never read as a decimal point, and a comma that could be either is refused rather than
# guessed, because guessing once turned 17,5 into 175.
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_ONE_THOUSANDS_GROUP = re.compile(r"^[+-]?\d{1,3},\d{3}$")
_SPACED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_EUROPEAN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+(\.\d{3})*,\d+$")
_EXPONENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
# No figure in a partnership return comes near this; anything larger is a typing or export error.
MAX_MAGNITUDE = 1e9

# Why a cell is not read as a number (keys of NUMBER_PROBLEMS).
NOT_A_NUMBER, LOOKS_LIKE_DATE, AMBIGUOUS_COMMA, EUROPEAN, EXPONENT, TOO_LARGE, PERCENT_SIGN = (
    "not_a_number",
    "date",
    "ambiguous_comma",
    "european",
    "exponent",
    "too_large",
    "percent",
)


NUMBER_PROBLEMS: dict[str, tuple[str, str]] = {
    NOT_A_NUMBER: (
        "Not a number.",
        "Write the figure as a plain number (e.g. 1234 or 45.5); put c, k, u, x or z "
        "in status_symbol instead of a value.",
    ),
    LOOKS_LIKE_DATE: (
        "This looks like a date, not a number.",
        "Excel may have turned the number into a date: format the cell as Number "
        "and type the figure again.",
    ),
    AMBIGUOUS_COMMA: (
        "The comma could be a decimal point or a thousands separator, so the "
        "figure was not read (it is never guessed).",
        "Use a full stop for decimals (17.5, not 17,5) and no commas in decimals; "
        "write thousands without a separator (1234).",
    ),
    EUROPEAN: (
        "The figure uses full stops for thousands and a comma for decimals "
        "(e.g. 1.234,5), so it was not read.",
        "Write it with a full stop for decimals and no thousands separator, e.g. 1234.5.",
    ),
    EXPONENT: (
        "The figure is in scientific notation (like 1e3).",
        "Write the figure in full as a plain number, e.g. 1000.",
    ),
    TOO_LARGE: (
        f"The figure is larger than {MAX_MAGNITUDE:,.0f}, far beyond anything a "
        "partnership reports.",
        "Check the cell: it may hold an export error or several figures run together.",
    ),
}
UNIT_WORDS = {
    "count": "count",
    "rate_per_10k": "rate per 10,000 children",
    "days": "number of days",
    "score": "score",
    "percentage": "percentage",
}


# A bound instead of an exact figure: ">40" or "more than 40%" is recorded as 40 with the
# qualifier "more than" (published tables say "more than 40%" when the exact figure is withheld).
_BOUND = re.compile(
    r"^(>=|≥|=>|<=|≤|=<|>|<|more than|greater than|over|above|less than|fewer than|under|below|"
    r"at least|at most|no more than|no less than)\s*",
    re.IGNORECASE,
)
_BOUND_WORDS = {
    ">=": "at least",
    "≥": "at least",
    "=>": "at least",
    "no less than": "at least",
    "<=": "at most",
    "≤": "at most",
    "=<": "at most",
    "no more than": "at most",
    ">": "more than",
    "greater than": "more than",
    "over": "more than",
    "above": "more than",
    "<": "less than",
    "fewer than": "less than",
    "under": "less than",
    "below": "less than",
}


def _parse_number_text(
    text: str, whole_numbers: bool, allow_bound: bool = False
) -> tuple[float, str | None, bool, str | None]:
    """(value, problem, had a % sign, bound qualifier) for a number written as text.

    The value is NaN when there is a problem. `whole_numbers`: the indicator is a count, so
    "1,234" can only mean one thousand two hundred and thirty-four (a count is never 1.234).
    `allow_bound`: a leading ">", "more than"... is read as a bound (value column only).
    """
    qualifier = None
    if allow_bound:
        bound = _BOUND.match(text.strip())
        if bound:
            word = bound.group(1).lower()
            qualifier = _BOUND_WORDS.get(word, word)
            text = text.strip()[bound.end() :]
    value, problem, percent = _parse_plain_number(text, whole_numbers)
    return value, problem, percent, qualifier


def _parse_plain_number(text: str, whole_numbers: bool) -> tuple[float, str | None, bool]:
    if _DATE_TEXT.match(text):
        return math.nan, LOOKS_LIKE_DATE, False
    body = text.strip()
    if body.startswith("'"):  # Excel's "store as text" prefix
        body = body[1:]
    body = body.replace("£", "")
    percent = body.rstrip().endswith("%")
    if percent:
        body = body.rstrip()[:-1]
    body = body.strip()
    compact = _SPACES.sub("", body)
    if _SPACES.search(body) and not _SPACED_THOUSANDS.match(_SPACES.sub(" ", body)):
        return math.nan, NOT_A_NUMBER, percent
    if _PLAIN.match(compact):
        value = float(compact)
    elif _THOUSANDS.match(compact):
        if _ONE_THOUSANDS_GROUP.match(compact) and not whole_numbers:
            return math.nan, AMBIGUOUS_COMMA, percent
        value = float(compact.replace(",", ""))
    elif _DECIMAL_COMMA.match(compact):
        return math.nan, AMBIGUOUS_COMMA, percent
    elif _EUROPEAN.match(compact):
        return math.nan, EUROPEAN, percent
    elif _EXPONENT.match(compact):
        return math.nan, EXPONENT, percent
    else:
        return math.nan, NOT_A_NUMBER, percent
    if abs(value) > MAX_MAGNITUDE:
        return math.nan, TOO_LARGE, percent
    return value, None, percent


def _numbers(
    series: pd.Series, whole_numbers: np.ndarray, allow_bound: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse a numeric column: (values, problem per row or None, had-a-%-sign mask, bounds).

    Each distinct text is parsed once (a return repeats the same few spellings many times).
    """
    n = len(series)
    values = np.full(n, np.nan)
    problems = np.full(n, None, dtype=object)
    percent = np.zeros(n, dtype=bool)
    bounds = np.full(n, None, dtype=object)
    cache: dict[tuple[str, bool], tuple[float, str | None, bool, str | None]] = {}
    for i, cell in enumerate(series):
        if cell is None:
            continue
        if isinstance(cell, bool):
            problems[i] = NOT_A_NUMBER
        elif isinstance(cell, (int, float, np.integer, np.floating)):
            number = float(cell)
            if math.isnan(number):
                continue  # an empty cell pandas filled in
            if not math.isfinite(number):
                problems[i] = NOT_A_NUMBER
            elif abs(number) > MAX_MAGNITUDE:
                problems[i] = TOO_LARGE
            else:
                values[i] = number
        elif isinstance(cell, (dt.date, dt.time)):
            problems[i] = LOOKS_LIKE_DATE
        else:
            text = str(cell).strip()
            if not text:
                continue
            key = (text, bool(whole_numbers[i]))
            if key not in cache:
                cache[key] = _parse_number_text(text, key[1], allow_bound)
            values[i], problems[i], percent[i], bounds[i] = cache[key]
    return values, problems, percent, bounds


@dataclass
class Figures:
    """The figures of each row as numbers (NaN where blank or refused)."""

    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    qualifier: np.ndarray  # 'more than', 'at most'... for a bound, else None


def check_numbers(
    cells: pd.DataFrame, text: dict[str, pd.Series], unit: np.ndarray, report: Report
) -> Figures:
    """Value, numerator and denominator that cannot be read as numbers, or carry a wrong % sign."""
    n = len(cells)
    numbers: dict[str, np.ndarray] = {}
    whole_numbers = unit == "count"
    for column in ("value", "numerator", "denominator"):
        # A numerator or denominator is always a count of children or cases.
        whole = whole_numbers if column == "value" else np.ones(n, dtype=bool)
        values, problems, percent, bounds = _numbers(
            cells[column], whole, allow_bound=column == "value"
        )
        if column == "value":
            qualifier = bounds
        shown = text[column]
        for code, (problem, what_to_do) in NUMBER_PROBLEMS.items():
            report.add(problems == code, column, shown, problem, what_to_do)
        # A % sign is only right on a percentage's value; on a count it changes what the figure
        # means, so it is refused rather than dropped.
        wrong_percent = percent & (problems == None)  # noqa: E711 - elementwise
        if column == "value":
            wrong_percent &= unit != "percentage"
        report.add(
            wrong_percent,
            column,
            shown,
            lambda i: (
                f"A % sign on a figure that is a "
                f"{UNIT_WORDS.get(str(unit[i]), 'number')}, not a percentage."
            ),
            "Write the figure as a plain number without %; check you have the right "
            "indicator code.",
        )
        values = np.where(wrong_percent, np.nan, values)
        numbers[column] = values
    return Figures(numbers["value"], numbers["numerator"], numbers["denominator"], qualifier)
