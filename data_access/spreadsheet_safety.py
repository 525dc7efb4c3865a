"""Text that a spreadsheet would run as a formula, made inert (CSV, XLSX and board-pack cells).

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice when the file is opened, or when the text is pasted into a sheet (CSV or formula
injection). Such text typed by a person or carried by a file is kept as text: with a leading
apostrophe in CSV and in the board pack's tables, and as a string cell with Excel's own
"quote prefix" in XLSX (what Excel records when someone types an apostrophe first).
"""

from __future__ import annotations

import re

import pandas as pd
from openpyxl.workbook.workbook import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# A figure as the board pack prints it ("-2.1", "+3", "-12.5%", "-4 pp", "-1,234"), alone or
# followed by plain words ("+200 on 2024-25", "-2.8 pp on last quarter"): data. Nothing a
# formula needs to do harm (+ = | ! ; " ' @ after the figure) may follow.
_FIGURE = re.compile(
    r"^[+-]?\d[\d,]*(\.\d+)?\s*(%|pp|percentage points?)?( [A-Za-z0-9][\w ,.%()/-]*)?$"
)


def is_formula_text(value: object) -> bool:
    """True for text a spreadsheet would treat as a formula (a plain signed number is data)."""
    return (
        isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _NUMERIC.match(value)
    )


def neutralise_cell(value: object) -> object:
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe.

    Plain negative numbers stored as text ("-3.5") are left alone: they are data, not formulas.
    """
    return "'" + value if isinstance(value, str) and is_formula_text(value) else value


def neutralise_text(text: str) -> str:
    """`neutralise_cell` for a board-pack cell: figures such as "-2.1%" or "-4 pp" stay as they are."""
    if _FIGURE.match(text):
        return text
    return "'" + text if is_formula_text(text) else text


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells cannot run as spreadsheet formulas."""
    safe = df.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            # Cell by cell, keeping the column's dtype: `map` would turn a column of whole
            # numbers and blanks into floats ("868.0").
            safe[column] = pd.Series(
                [neutralise_cell(v) for v in safe[column]],
                index=safe.index,
                dtype=safe[column].dtype,
            )
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe


def neutralise_workbook(workbook: Workbook) -> int:
    """Make every formula-like text cell of `workbook` a string with a quote prefix; return how
    many. openpyxl stores any text starting with "=" as a formula, so this runs just before a
    workbook holding people's or files' text is saved."""
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_formula_text(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed
