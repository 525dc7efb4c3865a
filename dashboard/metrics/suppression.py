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

SUPPRESSION_EXPLANATION = (
    "Where you see **c**, the number is between 1 and 5, or it has been hidden because it could "
    "be worked out from the other numbers. We hide small numbers so that nobody can guess who "
    "they are about. **0** means none. **x** means the figure is not available, **z** that it "
    "does not apply, **k** that it is less than 0.05 but not zero, and **u** that it is not "
    "reliable enough to use."
)

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


def format_rate(value: object, *, numerator: object = None) -> str:
    """A rate or percentage to one decimal place.

    `c` when the count behind it (`numerator`) is from 1 to 5; `k` when it is not zero but
    rounds to 0.0; `x` when missing; a GSS symbol is passed through.
    """
    if is_symbol(value):
        return str(value).strip().lower()
    if is_symbol(numerator):
        return str(numerator).strip().lower()
    if needs_primary_suppression(numerator):
        return SUPPRESSED
    number = _number(value)
    if number is None:
        return NOT_AVAILABLE
    if number != 0 and round(number, 1) == 0:
        return ROUNDS_TO_ZERO
    return f"{number:,.1f}"


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
