"""Readable tables: every row shown, every column wide enough, words not codes.

Streamlit's data grid has a fixed height of about ten rows and sizes columns from a sample, so a
scorecard of 18 rows scrolled inside a box and cut its columns ("SPC a..."). `show_table` sets the
height from the number of rows (up to `MAX_ROWS_SHOWN`), gives each column a width from its longest
text, and, when the columns cannot all fit the page at 1440 px, narrows the longest text columns and
lets their text wrap onto more lines (the grid wraps only rows taller than 4rem). When even six
lines are not enough, the widest columns are narrowed until the table fits (their longest words
then break): a table never scrolls sideways at 1440 px. A column with nothing in any row (an empty
"Note on the figure") is not shown, and dates and times are shown as dates (to the minute at most).
`table_with_download` adds the table's CSV download under it.
"""

from __future__ import annotations

import copy
import hashlib
import math
import pickle
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.exports import download_table

# Tables up to this many rows are drawn whole; longer ones scroll (a page of 60 rows already).
MAX_ROWS_SHOWN = 60
ROW_PX = 35  # Streamlit's default row (and header) height
BORDER_PX = 3
# The main column's width at a 1440 px window with the sidebar open (wide layout).
PAGE_WIDTH_PX = 960
CHAR_PX = 6.7  # average width of a character of the grid's 14 px font (measured)
CELL_PADDING_PX = 20
HEADER_EXTRA_PX = 16  # room for the header's menu icon
WRAP_LINE_PX = 21
# The grid wraps text only in rows taller than 4rem (64 px).
MIN_WRAP_ROW_PX = 70
MAX_WRAP_ROW_PX = 170

# Every status code the store keeps, in words. One mapping, used by every table and page.
STATUS_WORDS = {
    "planned": "Planned",
    "open": "Open",
    "in_progress": "In progress",
    "complete": "Complete",
    "cancelled": "Cancelled",
    "closed": "Closed",
    "answered": "Answered",
    "accepted": "Accepted",
    "escalated": "Escalated",
}


def status_words(code: object) -> str:
    """'in_progress' -> 'In progress'; an unknown code is spelt out the same way."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    text = str(code)
    return STATUS_WORDS.get(text, text.replace("_", " ").strip().capitalize())


DATE_FORMAT = "D MMM YYYY"  # how the grid shows a date: 7 Dec 2026
DATETIME_FORMAT = "D MMM YYYY, HH:mm"  # a time to the minute, never to the second


def sector_words(code: object) -> str:
    """An agency sector as a word: 'health' -> 'Health', 'local_authority' -> 'Local authority'."""
    return status_words(code)


def _text(value: object) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, pd.Timestamp):
        # As the grid shows it (DATE_FORMAT / DATETIME_FORMAT).
        if value == value.normalize():
            return value.strftime("%d %b %Y")
        return value.strftime("%d %b %Y, %H:%M")
    return str(value)


def is_blank(value: object) -> bool:
    """Nothing to show: None, NaN, an empty or blank text, an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, np.ndarray)):
        return len(value) == 0
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def empty_columns(table: pd.DataFrame) -> list[str]:
    """The columns with nothing in any row (none when the table has no rows): not worth their room
    on the page (the CSV download keeps them)."""
    if table.empty:
        return []
    empty = []
    for column in table.columns:
        values = table[column]
        if values.isna().all():
            empty.append(str(column))
            continue
        try:
            distinct = values.drop_duplicates()
        except TypeError:  # unhashable cells (lists): every cell
            distinct = values
        if all(is_blank(value) for value in distinct):
            empty.append(str(column))
    return empty


def _distinct_texts(values: pd.Series) -> set[str]:
    """The column's texts, each once: worked out from its distinct values (a column of 8,000
    agencies and three ratings has three texts to measure, not 8,000)."""
    try:
        distinct = values.drop_duplicates()  # a Series: its cells keep their type (Timestamps)
    except TypeError:  # unhashable cells (lists): every cell, as before
        distinct = values
    return {_text(value) for value in distinct}


# A layout looks at this many of a column's longest texts (a column of 8,000 agency names is as
# wide as its longest few).
LONGEST_TEXTS = 300


def _string_texts(values: pd.Series) -> list[str] | None:
    """The distinct texts of a column of strings, without a Python call per cell; None when the
    column holds anything else."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return None
    if not pd.api.types.is_string_dtype(values.dtype):
        return None
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in (
        "string",
        "empty",
    ):
        return None
    # One `unique`, read out through Arrow where the column is Arrow-backed: dropping missing
    # values and duplicates as frame operations, or iterating an Arrow array cell by cell, was
    # most of a truly cold page's table layouts.
    distinct = values.unique()
    to_arrow = getattr(distinct, "__arrow_array__", None)
    cells = to_arrow().to_pylist() if to_arrow is not None else list(distinct)
    texts = [str(cell) for cell in cells if not _missing(cell)]
    if len(texts) < len(cells):
        texts.append("")  # what `_text` shows for a missing value
    return texts


def _missing(cell: object) -> bool:
    """None, NaN, NaT or pd.NA (never text)."""
    return cell is None or (not isinstance(cell, str) and bool(pd.isna(cell)))


def _number_texts(values: pd.Series, limit: int) -> list[str] | None:
    """Enough distinct texts of a column of numbers to hold its `limit` longest: the `limit`
    largest in size and the `limit` most negative (a number's text only grows with its size, and
    a minus sign adds one); None when the column holds anything else."""
    dtype = values.dtype
    if pd.api.types.is_float_dtype(dtype):
        kind: type = float
    elif pd.api.types.is_signed_integer_dtype(dtype):
        kind = np.int64
    else:  # text, dates, booleans, categories, unsigned or complex numbers: cell by cell
        return None
    present = values.dropna()
    numbers = np.unique(present.to_numpy(dtype=kind))
    if len(numbers) > 2 * limit:
        sizes = np.abs(numbers.astype(float))
        infinite = ~np.isfinite(sizes)  # "inf" is short: kept, but not in place of a large number
        sizes[infinite] = -1.0
        chosen = set(np.argsort(sizes, kind="stable")[-limit:].tolist())
        finite = np.flatnonzero(~infinite)
        chosen.update(finite[:limit].tolist())  # np.unique sorts: the most negative
        chosen.update(np.flatnonzero(infinite).tolist())
        numbers = numbers[sorted(chosen)]
    texts = {_text(number.item() if kind is np.int64 else number) for number in numbers}
    if len(present) < len(values):
        texts.add("")
    return list(texts)


def _longest_texts(values: pd.Series, limit: int | None = None) -> list[str]:
    """The column's distinct texts, longest first (equal lengths in text order), at most `limit`.

    Columns of strings and of numbers are measured without formatting every cell: a table of
    8,000 agencies is drawn on every rerun of its page.
    """
    texts = _string_texts(values)
    if texts is None and limit is not None:
        texts = _number_texts(values, limit)
    if texts is None:
        texts = list(_distinct_texts(values))
    if limit is not None and len(texts) > limit:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        cutoff = np.partition(lengths, len(texts) - limit)[len(texts) - limit]
        texts = [text for text, length in zip(texts, lengths, strict=True) if length >= cutoff]
    return sorted(texts, key=lambda text: (-len(text), text))[:limit]


def _lines(text: str, chars_per_line: int) -> int:
    """How many lines `text` takes when wrapped at word boundaries into `chars_per_line`."""
    lines, used = 1, 0
    for word in text.split():
        if len(word) > chars_per_line:
            return 10_000  # the grid would break the word (a date, a reference): too narrow
        need = len(word) if used == 0 else used + 1 + len(word)
        if need <= chars_per_line:
            used = need
        else:
            lines, used = lines + 1, len(word)
    return lines


def _header_width(header: str) -> int:
    return int(math.ceil(len(header) * CHAR_PX + CELL_PADDING_PX + HEADER_EXTRA_PX))


def natural_width(table: pd.DataFrame, column: object, header: str | None = None) -> int:
    """Pixels a column needs to show its header and its longest value on one line."""
    longest = max((len(text) for text in _longest_texts(table[column], 1)), default=0)
    return max(
        _header_width(header or str(column)),
        int(math.ceil(longest * CHAR_PX + CELL_PADDING_PX)),
        60,
    )


NAMED_WIDTHS = {"small": 75, "medium": 200, "large": 400}


MAX_LINES = 6


def _width_for_lines(texts: list[str], lines: int, floor: int) -> int:
    """The narrowest width (px, 10 px steps, at least `floor`) at which every text fits `lines`."""
    width = floor
    longest = max((len(t) for t in texts), default=0)
    ceiling = max(floor, int(math.ceil(longest * CHAR_PX + CELL_PADDING_PX)))
    while width < ceiling:
        per_line = max(int((width - CELL_PADDING_PX) / CHAR_PX), 1)
        if all(_lines(t, per_line) <= lines for t in texts):
            return width
        width += 10
    return ceiling


def layout(
    table: pd.DataFrame,
    *,
    fixed: dict[str, int] | None = None,
    headers: dict[str, str] | None = None,
    page_width: int = PAGE_WIDTH_PX,
) -> tuple[dict[str, int], int | None]:
    """Column widths (px) and a row height (None = one line) so that the table fits `page_width`.

    Columns in `fixed` (name -> px) keep that width; `headers` gives a column's shown label where
    it differs from its name (headers never wrap). Each column is as narrow as lets its texts fit
    in as few lines as possible: one line if the table fits like that, else two, and so on up to
    six; the rows are then made that tall (the grid wraps text only in tall rows).
    """
    fixed = fixed or {}
    headers = headers or {}
    by_name = {str(c): c for c in table.columns}
    texts = {
        name: _longest_texts(table[column], LONGEST_TEXTS)
        for name, column in by_name.items()
        if name not in fixed
    }
    floors = {name: max(60, _header_width(headers.get(name, name))) for name in texts}
    widths: dict[str, int] = {}
    for lines in range(1, MAX_LINES + 1):
        widths = dict(fixed)
        for name in texts:
            widths[name] = _width_for_lines(texts[name], lines, floors[name])
        if sum(widths.values()) <= page_width:
            break
    narrowed = sum(widths.values()) > page_width
    if narrowed:
        _narrow_to_fit(widths, set(texts), page_width)
        lines = MAX_LINES + 2  # narrower than six lines allow: the tallest rows
    widths = {name: widths[name] for name in by_name}
    if lines == 1:
        return widths, None
    return widths, min(max(MIN_WRAP_ROW_PX, lines * WRAP_LINE_PX + 12), MAX_WRAP_ROW_PX)


NARROWEST_PX = 60


def _narrow_to_fit(widths: dict[str, int], free: set[str], page_width: int) -> None:
    """Narrow the widest of the `free` columns, 10 px at a time, until the table fits the page
    (or every free column is at `NARROWEST_PX`). A last resort: words then break across lines,
    and a long header may be cut (its help still gives it whole); better than a hidden column."""
    while sum(widths.values()) > page_width:
        wide = [name for name in free if widths[name] > NARROWEST_PX]
        if not wide:
            return
        widest = max(wide, key=lambda name: (widths[name], name))
        widths[widest] = max(NARROWEST_PX, widths[widest] - 10)


def table_height(rows: int, row_px: int | None = None) -> int:
    """The height that shows every row of a table of `rows` rows (up to `MAX_ROWS_SHOWN`)."""
    if rows > MAX_ROWS_SHOWN:
        return ROW_PX + MAX_ROWS_SHOWN * (row_px or ROW_PX) + BORDER_PX
    return ROW_PX + max(rows, 1) * (row_px or ROW_PX) + BORDER_PX


def show_table(
    table: pd.DataFrame | Any,
    *,
    key: str | None = None,
    column_config: dict[str, Any] | None = None,
    data: pd.DataFrame | None = None,
    drop_empty: bool = True,
    column_order: list[str] | None = None,
) -> None:
    """A data grid showing every row (up to 60) and every column readable at 1440 px.

    `column_order` names the columns shown, in order (the others stay in the data, unseen).
    Columns with nothing in any row are left out (`drop_empty=False` keeps them); date and time
    columns without settings are shown as dates ("7 Dec 2026", "7 Dec 2026, 14:05").

    `table` may be a pandas Styler (for coloured cells); then pass the underlying frame as
    `data` so the widths can be measured. Columns given in `column_config` keep their settings
    (a width set there is respected); the others get a width from their content.
    """
    frame = data if data is not None else table
    shown, config, height, row_px, hidden = _planned(frame, column_config, column_order, drop_empty)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=height,
        row_height=row_px,
        column_config=config,
        column_order=shown if hidden else None,
        key=key,
    )


# A table's plan (columns shown, their widths and settings, the row height), by its content: a
# page shows the same tables on every rerun of every session until the data change, and working
# the widths out again was the largest share of a warm page. Keyed by the pickled table and
# settings, so a table with other content (another quarter, another role's columns) gets its own.
_PLANS: OrderedDict[bytes, tuple[list[str], dict[str, Any], int, int | None, bool]] = OrderedDict()
_PLANS_MAX = 256
_PLANS_LOCK = threading.Lock()


def _planned(
    frame: pd.DataFrame,
    column_config: dict[str, Any] | None,
    column_order: list[str] | None,
    drop_empty: bool,
) -> tuple[list[str], dict[str, Any], int, int | None, bool]:
    """`_plan`, remembered by content (a copy of the remembered settings is returned)."""
    try:
        key: bytes | None = hashlib.sha256(
            pickle.dumps((frame, column_config, column_order, drop_empty), protocol=5)
        ).digest()
    except Exception:  # noqa: BLE001 - something that cannot be pickled: work it out afresh
        key = None
    if key is not None:
        with _PLANS_LOCK:
            kept = _PLANS.get(key)
            if kept is not None:
                _PLANS.move_to_end(key)
        if kept is not None:
            shown, config, height, row_px, hidden = kept
            return list(shown), copy.deepcopy(config), height, row_px, hidden
    plan = _plan(frame, column_config, column_order, drop_empty)
    if key is not None:
        with _PLANS_LOCK:
            _PLANS[key] = (list(plan[0]), copy.deepcopy(plan[1]), *plan[2:])
            while len(_PLANS) > _PLANS_MAX:
                _PLANS.popitem(last=False)
    return plan


def _plan(
    frame: pd.DataFrame,
    column_config: dict[str, Any] | None,
    column_order: list[str] | None,
    drop_empty: bool,
) -> tuple[list[str], dict[str, Any], int, int | None, bool]:
    """The columns shown, their settings (widths worked out), the grid's height and row height,
    and whether any column is hidden."""
    if column_order is not None:
        wanted = set(column_order)
        hidden = {str(c) for c in frame.columns if str(c) not in wanted}
        frame = frame[[c for c in column_order if c in frame.columns]]
    else:
        hidden = set()
    if drop_empty:
        hidden |= set(empty_columns(frame))
    shown = [column for column in frame.columns if str(column) not in hidden]
    frame = frame[shown]
    config: dict[str, Any] = dict(column_config or {})
    for column in frame.columns:
        name = str(column)
        if name in config or not pd.api.types.is_datetime64_any_dtype(frame[column].dtype):
            continue
        values = frame[column].dropna()
        if len(values) and (values == values.dt.normalize()).all():
            config[name] = st.column_config.DateColumn(name, format=DATE_FORMAT)
        else:
            config[name] = st.column_config.DatetimeColumn(name, format=DATETIME_FORMAT)
    fixed: dict[str, int] = {}
    headers: dict[str, str] = {}
    names = {str(column) for column in frame.columns}
    for name, settings in config.items():
        if str(name) not in names:
            continue
        settings = settings if isinstance(settings, dict) else {}
        if settings.get("label"):
            headers[str(name)] = str(settings["label"])
        width = settings.get("width")
        if isinstance(width, int):
            fixed[str(name)] = width
        elif isinstance(width, str) and width in NAMED_WIDTHS:
            fixed[str(name)] = NAMED_WIDTHS[width]
    widths, row_px = layout(frame, fixed=fixed, headers=headers)
    for column in frame.columns:
        name = str(column)
        if name in fixed:
            continue
        settings = dict(config.get(name) or {})
        settings["width"] = widths[name]
        config[name] = settings
    return (
        [str(column) for column in shown],
        config,
        table_height(len(frame), row_px),
        row_px,
        bool(hidden),
    )


def table_with_download(
    table: pd.DataFrame,
    *,
    label: str,
    file_stem: str,
    key: str,
    column_config: dict[str, Any] | None = None,
) -> None:
    """A table (`show_table`) and its CSV download; the widgets' keys are `key` + _df / _csv."""
    show_table(table, column_config=column_config, key=f"{key}_df")
    download_table(table, label=label, file_stem=file_stem, key=f"{key}_csv")


# --- Overdue ------------------------------------------------------------------------------------

# Dark red text on a pale red cell: 7.4:1 contrast (WCAG AA needs 4.5:1); the words say it too.
OVERDUE_TEXT_COLOUR = "#942514"
OVERDUE_BACKGROUND = "#fbe3df"
OVERDUE_MARK = "⚠"


def days_overdue_text(days: object) -> str:
    """'41 days overdue', '1 day overdue', or '' when not overdue: the one wording everywhere."""
    if days is None or (not isinstance(days, int) and pd.isna(days)):
        return ""
    count = int(days)  # type: ignore[call-overload]
    if count <= 0:
        return ""
    return f"{OVERDUE_MARK} {count:,} day{'s' if count != 1 else ''} overdue"


def due_text(due: object, today: Any) -> str:
    """When an action falls due, in words: '⚠ 41 days overdue', 'due today', 'due tomorrow',
    'due in 12 days', or 'no due date'. Never "0 days overdue" for a date still to come."""
    if due is None or (not isinstance(due, (list, tuple)) and pd.isna(due)):
        return "no due date"
    days = (pd.Timestamp(today).normalize() - pd.Timestamp(due).normalize()).days
    if days > 0:
        return days_overdue_text(days)
    if days == 0:
        return "due today"
    if days == -1:
        return "due tomorrow"
    return f"due in {-days:,} days"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 active agency', '3 active agencies': the count and the noun that agrees with it."""
    if count == 1:
        return f"{count:,} {singular}"
    if plural_form is None:
        if singular.endswith("y") and singular[-2:-1] not in tuple("aeiou"):
            plural_form = singular[:-1] + "ies"
        elif singular.endswith(("s", "x", "ch", "sh")):
            plural_form = singular + "es"
        else:
            plural_form = singular + "s"
    return f"{count:,} {plural_form}"


def days_overdue(due: object, today: Any) -> int:
    """Whole days since `due` (0 when not yet due or no date)."""
    if due is None or pd.isna(due):
        return 0
    return max((pd.Timestamp(today) - pd.Timestamp(due)).days, 0)


def highlight_overdue(table: pd.DataFrame, column: str) -> Any:
    """A Styler that marks the cells of `column` saying 'overdue' in dark red on pale red, bold
    (the table itself when no cell says so)."""

    def style(value: object) -> str:
        if isinstance(value, str) and "overdue" in value:
            return (
                f"color: {OVERDUE_TEXT_COLOUR}; background-color: {OVERDUE_BACKGROUND}; "
                "font-weight: bold"
            )
        return ""

    # A Styler costs a rerun its styling and a second, all-text copy of the table: only when a
    # cell is marked.
    if not any(isinstance(value, str) and "overdue" in value for value in table[column]):
        return table
    return table.style.map(style, subset=[column])
