"""Official-statistics suppression for what young people and the public see.

Follows the DfE children-in-need publication: counts from 1 to 5 are shown as `c`; a second
(secondary) cell is hidden wherever a total, or the other cells of a row or column, would let a
reader work a hidden count out; 0 stays 0; rates and percentages to one decimal place; the
Government Statistical Service symbols are kept as symbols, never as sentinel numbers.
Pure functions, no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import pandas as pd

SUPPRESSED = "c"  # suppressed to protect confidentiality
ROUNDS_TO_ZERO = "k"  # rounds to 0 but is not 0
LOW_RELIABILITY = "u"
NOT_AVAILABLE = "x"
NOT_APPLICABLE = "z"
GSS_SYMBOLS = (SUPPRESSED, ROUNDS_TO_ZERO, LOW_RELIABILITY, NOT_AVAILABLE, NOT_APPLICABLE)

# Counts from 1 to LARGEST_SUPPRESSED are replaced by `c`.
LARGEST_SUPPRESSED = 5

# One plain sentence per symbol; a page's legend lists only the symbols it actually shows.
SYMBOL_SENTENCES = {
    SUPPRESSED: "c means the number is hidden because it is between 1 and 5, or because it "
    "could be worked out from the other numbers, so nobody can guess who it is about.",
    "0": "0 means none.",
    ROUNDS_TO_ZERO: "k means the number is more than zero but too small to show.",
    LOW_RELIABILITY: "u means the number may not be right, so do not rely on it.",
    NOT_AVAILABLE: "x means we do not have this number.",
    NOT_APPLICABLE: "z means this number does not apply here.",
}
# Kept for callers that show the whole list (the staff glossary); the youth pages use
# `symbols_in` + `SYMBOL_SENTENCES` so their legend explains only what is on the page.
SUPPRESSION_EXPLANATION = " ".join(SYMBOL_SENTENCES.values())

Cell = int | float | str | None


def is_symbol(value: object) -> bool:
    """True if `value` is one of the GSS symbols c, k, u, x, z."""
    return isinstance(value, str) and value.strip().lower() in GSS_SYMBOLS


def _number(value: object) -> float | None:
    """The numeric value of a cell, or None when it is a symbol, missing or not a number."""
    if value is None or isinstance(value, bool) or is_symbol(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def needs_primary_suppression(value: object) -> bool:
    """True for a count from 1 to 5 (0 and larger counts are safe to show).

    A non-integer count is judged as it would be shown, so 5.4 is hidden and 0.2 is not zero.
    """
    number = _number(value)
    return number is not None and 0 < number < LARGEST_SUPPRESSED + 0.5


def format_count(value: object) -> str:
    """A count for display: symbols as they are, 1-5 as `c`, missing as `x`, else '1,234'."""
    if is_symbol(value):
        return str(value).strip().lower()
    number = _number(value)
    if number is None:
        return NOT_AVAILABLE
    if needs_primary_suppression(number):
        return SUPPRESSED
    return f"{round(number):,}"


def rate_needs_suppression(numerator: object = None, denominator: object = None) -> bool:
    """True when a percentage or rate would reveal a small number of children.

    The rule (DfE children-in-need practice, applied to every count a figure is built on):
    a percentage or rate is hidden when its numerator, its denominator, or the difference
    between them is from 1 to 5. Each of those is a count of children: "12 of 13 had a plan"
    tells the reader that exactly 1 young person did not, so 92.3% is hidden just as "1 of 13"
    would be. For a rate per 10,000 children the denominator is a population, so in practice
    only a small numerator hides it. A symbol in either count hides the figure too.
    """
    for count in (numerator, denominator):
        if is_symbol(count) or needs_primary_suppression(count):
            return True
    top, bottom = _number(numerator), _number(denominator)
    if top is not None and bottom is not None:
        return needs_primary_suppression(bottom - top)
    return False


def format_rate(value: object, *, numerator: object = None, denominator: object = None) -> str:
    """A rate or percentage to one decimal place.

    `c` when the numerator, the denominator or the difference between them is from 1 to 5
    (see `rate_needs_suppression`); `k` when it is not zero but rounds to 0.0; `x` when
    missing; a GSS symbol is passed through (a symbol in a count wins over the value).
    """
    if is_symbol(value):
        return str(value).strip().lower()
    for count in (numerator, denominator):
        if is_symbol(count):
            return str(count).strip().lower()
    if rate_needs_suppression(numerator, denominator):
        return SUPPRESSED
    number = _number(value)
    if number is None:
        return NOT_AVAILABLE
    if number != 0 and round(number, 1) == 0:
        return ROUNDS_TO_ZERO
    return f"{number:,.1f}"


def symbols_in(shown: object) -> list[str]:
    """The GSS symbols (and 0) that appear as whole cells or words in what a page shows.

    `shown` is a string, a DataFrame or an iterable of either; the result keeps the order of
    `SYMBOL_SENTENCES` so a legend reads the same on every page.
    """
    found: set[str] = set()

    def visit(item: object) -> None:
        if isinstance(item, pd.DataFrame):
            for value in item.to_numpy().ravel():
                visit(value)
        elif isinstance(item, str):
            text = item.strip().lower()
            if text in SYMBOL_SENTENCES:
                found.add(text)
        elif isinstance(item, (list, tuple, set)):
            for value in item:
                visit(value)

    visit(shown)
    return [symbol for symbol in SYMBOL_SENTENCES if symbol in found]


def suppression_mask(
    values: pd.DataFrame,
    *,
    total_row: Hashable | None = None,
    total_column: Hashable | None = None,
    rows_add_up: bool = True,
    columns_add_up: bool = True,
) -> pd.DataFrame:
    """Which cells of a table of counts must be shown as `c` (primary and secondary).

    Each row and each column is a group whose cells add up (to its total, when the table shows
    one, or to a total published elsewhere). In a group where exactly one cell is hidden as `c`,
    the others would give it away, so the smallest other non-zero visible cell of that group is
    hidden too (a total counts as a cell of its row and column, so a total that would reveal
    the hidden cell is hidden when nothing smaller can be). Repeats until no group gives a cell
    away. Cells that already hold a symbol count as hidden; `x`, `z`, `u`, `k` protect nothing,
    so a group whose only hidden cell is one of those needs no secondary suppression.
    Set `rows_add_up` / `columns_add_up` to False for a direction whose cells do not add up
    (for example, different measures side by side).
    """
    numbers = values.map(_number)
    symbol = values.map(is_symbol)
    source_c = values.map(lambda v: is_symbol(v) and str(v).strip().lower() == SUPPRESSED)
    suppressed = numbers.map(needs_primary_suppression) | source_c
    hidden = suppressed | symbol | numbers.isna()

    groups: list[list[tuple[Hashable, Hashable]]] = []
    if rows_add_up:
        groups += [[(r, c) for c in values.columns] for r in values.index]
    if columns_add_up:
        groups += [[(r, c) for r in values.index] for c in values.columns]

    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden_cells = [cell for cell in group if hidden.at[cell]]
            if len(hidden_cells) != 1 or not suppressed.at[hidden_cells[0]]:
                continue
            candidates = [
                cell for cell in group if not hidden.at[cell] and (numbers.at[cell] or 0) > 0
            ]
            if not candidates:
                continue  # the others are all zero; nothing can be hidden that would help
            # Smallest first; on a tie hide a body cell rather than a total.
            chosen = min(
                candidates,
                key=lambda cell: (
                    numbers.at[cell],
                    cell[0] == total_row or cell[1] == total_column,
                ),
            )
            suppressed.at[chosen] = True
            hidden.at[chosen] = True
            changed = True
    return suppressed


def suppress_table(
    values: pd.DataFrame,
    *,
    total_row: Hashable | None = None,
    total_column: Hashable | None = None,
    rows_add_up: bool = True,
    columns_add_up: bool = True,
) -> pd.DataFrame:
    """A table of counts as display text with primary and secondary suppression applied.

    Every cell becomes a string: '1,234', '0', 'c' or a GSS symbol. See `suppression_mask`.
    """
    mask = suppression_mask(
        values,
        total_row=total_row,
        total_column=total_column,
        rows_add_up=rows_add_up,
        columns_add_up=columns_add_up,
    )
    shown = values.map(format_count).astype(object)
    shown[mask] = SUPPRESSED
    return shown


def suppress_counts(values: Sequence[Cell], *, has_total: bool = True) -> list[str]:
    """A list of counts that add up (the last one being their total when `has_total`).

    The total is treated like any other cell of the group: if exactly one count is hidden, the
    next smallest is hidden as well so the total cannot reveal it.
    """
    frame = pd.DataFrame({"count": list(values)}, dtype=object)
    total_row = len(values) - 1 if has_total and values else None
    shown = suppress_table(frame, total_row=total_row, rows_add_up=False)
    return list(shown["count"])
