"""Rows of a small CSV or XLSX file made from one of the setup templates, as text, with the
formula cells found (issue 29: self-assessment returns and education settings).

The importers built on this check every row and say each problem in a sentence naming its row
(as Excel numbers it: the heading is row 1) and the fix; nothing here writes to the store.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field

from openpyxl import load_workbook

from data_access.spreadsheet_safety import is_formula_text

MAX_BYTES = 5_000_000
# A borough's schools rating thirteen standards each is a few thousand rows.
MAX_ROWS = 20_000


class ImportProblem(ValueError):
    """The file cannot be imported; `problems` says why, one sentence each (nothing written)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass
class SheetRows:
    """The file's rows as {heading: text}, each with its spreadsheet row number."""

    checksum: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_cells(data: bytes) -> list[list[tuple[object, bool]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(
            ["The file is not saved as UTF-8 text; save it again as 'CSV UTF-8' or as Excel."]
        ) from exc
    return [[(value, False) for value in row] for row in csv.reader(io.StringIO(text))]


def _xlsx_cells(data: bytes) -> list[list[tuple[object, bool]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same sentence
        raise ImportProblem(
            [f"The file could not be read as an Excel workbook ({type(exc).__name__})."]
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [
            [(cell.value, getattr(cell, "data_type", None) == "f") for cell in row]
            for row in sheet.iter_rows()
        ]
    finally:
        workbook.close()


def read_rows(
    data: bytes, file_name: str, columns: tuple[str, ...], required: tuple[str, ...]
) -> SheetRows:
    """The rows of the file's first sheet under the template's `columns` (headings matched
    ignoring case and spaces); ImportProblem when the file cannot be read or lacks a column.

    A formula, or text a spreadsheet would run as one (=, +, -, @ first), is a problem of its
    row: the importer keeps text, never formulas."""
    if len(data) > MAX_BYTES:
        raise ImportProblem([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    name = file_name.lower()
    if name.endswith(".csv"):
        cells = _csv_cells(data)
    elif name.endswith(".xlsx"):
        cells = _xlsx_cells(data)
    else:
        raise ImportProblem(["Choose a .csv or .xlsx file made from the template."])
    if not cells:
        raise ImportProblem(["The file is empty; start from the template."])
    wanted = {c.casefold(): c for c in columns}
    headings = [wanted.get(_text(v).casefold()) for v, _ in cells[0]]
    missing = [c for c in required if c not in headings]
    if missing:
        raise ImportProblem(
            [
                "The file has no column "
                + ", ".join(f"'{c}'" for c in missing)
                + "; start from the template."
            ]
        )
    if len(cells) - 1 > MAX_ROWS:
        raise ImportProblem(
            [f"The file has {len(cells) - 1:,} rows; load at most {MAX_ROWS:,} at a time."]
        )
    found = SheetRows(checksum=sha256_hex(data))
    for number, row in enumerate(cells[1:], start=2):
        values = {c: "" for c in columns}
        for heading, (value, is_formula) in zip(headings, row, strict=False):
            if heading is None:
                continue
            text = _text(value)
            if is_formula or is_formula_text(text):
                found.problems.append(
                    f"Row {number}: the '{heading}' cell holds a formula or starts with "
                    f"'{text[:1]}', which a spreadsheet would run; type the value itself, "
                    "beginning with a letter or a figure."
                )
                text = ""
            values[heading] = text
        if any(values.values()):
            found.rows.append((number, values))
    return found


def parse_date(text: str) -> dt.date | None:
    """A date written 31/03/2026 or 2026-03-31; None when it is neither."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def day_words(day: dt.date) -> str:
    """'1 Dec 2024'."""
    return f"{day.day} {day:%b %Y}"
