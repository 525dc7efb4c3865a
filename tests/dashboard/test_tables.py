"""The shared table component: every row shown, columns fit the page, words not codes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.components import tables


def scorecard_like(rows: int = 18) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Theme": ["Complex safeguarding"] * rows,
            "Indicator": ["Contacts decided within one working day of receipt"] * rows,
            "Value": ["132.2 per 10,000 children"] * rows,
            "RAG": ["Red: off target"] * rows,
            "SPC signal": ["! concerning special cause"] * rows,
            "SPC assurance": ["consistently failing"] * rows,
            "England": ["80.1%"] * rows,
        }
    )


def test_every_row_up_to_sixty_is_shown() -> None:
    for rows in (1, 18, 60):
        assert tables.table_height(rows) == tables.ROW_PX * (rows + 1) + tables.BORDER_PX
    assert tables.table_height(18, 75) == tables.ROW_PX + 18 * 75 + tables.BORDER_PX
    # Longer tables scroll, sixty rows at a time.
    assert tables.table_height(500) == tables.table_height(60)


def test_columns_fit_the_page_by_wrapping_long_text() -> None:
    widths, row = tables.layout(scorecard_like())
    assert sum(widths.values()) <= tables.PAGE_WIDTH_PX
    assert row is not None and row > 64  # the grid wraps text only in rows taller than 4rem
    # Every header is whole: no column narrower than its header.
    for name, width in widths.items():
        assert width >= tables._header_width(name)


def test_a_narrow_table_keeps_one_line_rows_and_whole_words() -> None:
    frame = pd.DataFrame({"Reference": ["MAA-2026-044"], "Date": [dt.date(2026, 11, 12)]})
    widths, row = tables.layout(frame)
    assert row is None
    assert widths["Reference"] >= len("MAA-2026-044") * tables.CHAR_PX


def test_statuses_are_words() -> None:
    assert tables.status_words("in_progress") == "In progress"
    assert tables.status_words("open") == "Open"
    assert tables.status_words("waiting_for_panel") == "Waiting for panel"
    assert tables.status_words(None) == ""


def test_days_overdue_in_words() -> None:
    assert tables.days_overdue_text(41) == "⚠ 41 days overdue"
    assert tables.days_overdue_text(1) == "⚠ 1 day overdue"
    assert tables.days_overdue_text(0) == ""
    assert tables.days_overdue(dt.date(2026, 1, 1), dt.date(2026, 2, 11)) == 41
    assert tables.days_overdue(dt.date(2026, 3, 1), dt.date(2026, 2, 11)) == 0


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02 10:00", None], format="mixed")),
        pd.Series([dt.date(2024, 1, 1), None]),
        pd.Series(pd.to_datetime(["2024-01-01"]).tz_localize("UTC")),
        pd.Series([1.5, None, float("nan")]),
        pd.Series([True, False, True]),
        pd.Series(pd.array([1, None, 1], dtype="Int64")),
        pd.Series(pd.Categorical(["a", "b", "a"])),
        pd.Series(pd.to_timedelta([1, 2], unit="D")),
        pd.Series([[1], [2], [1]]),  # unhashable cells
        pd.Series(["x", 1, None, "x"]),
        pd.Series(["é", "e", "é"], dtype="string[pyarrow]"),
    ],
)
def test_widths_come_from_the_same_texts_as_every_cell(column: pd.Series) -> None:
    """Column widths are measured on distinct values; they must be the texts every cell shows."""
    assert tables._distinct_texts(column) == {tables._text(value) for value in column}


def _slow_longest(column: pd.Series, limit: int) -> list[str]:
    """Every cell formatted, then the longest: what the layout measured before its short cuts."""
    texts = {tables._text(value) for value in column}
    return sorted(texts, key=lambda text: (-len(text), text))[:limit]


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([f"Agency {n:05d}{' and partners' * (n % 4)}" for n in range(2_000)]),
        pd.Series(
            [f"Agency {n}" if n % 7 else None for n in range(2_000)], dtype="string[pyarrow]"
        ),
        pd.Series([f"School {n % 900}" for n in range(2_000)], dtype=object),
        pd.Series([(-1) ** n * n * 37.125 if n % 11 else float("nan") for n in range(2_000)]),
        pd.Series([(-1) ** n * n**2 for n in range(2_000)]),
        pd.Series(pd.array([n if n % 3 else None for n in range(2_000)], dtype="Int64")),
        pd.Series([float("inf"), float("-inf"), *[float(n) for n in range(1_000)]]),
        pd.Series(["x", 1, None, "x"] * 300),
    ],
)
def test_the_longest_texts_are_those_of_every_cell(column: pd.Series) -> None:
    """Columns of many texts or numbers are measured by short cuts; the longest texts (and so the
    widths) are the same as if every cell were formatted."""
    for limit in (1, 10, 300):
        fast = tables._longest_texts(column, limit)
        slow = _slow_longest(column, limit)
        assert [len(text) for text in fast] == [len(text) for text in slow]
        if not pd.api.types.is_numeric_dtype(column.dtype):
            assert fast == slow
    assert sorted(tables._longest_texts(column)) == sorted({tables._text(v) for v in column})


def test_overdue_cells_are_marked_and_a_table_without_any_is_left_plain() -> None:
    plain = pd.DataFrame({"Item": ["a", "b"], "Status": ["Open", "Done"]})
    assert tables.highlight_overdue(plain, "Status") is plain
    marked = pd.DataFrame({"Item": ["a", "b"], "Status": ["3 days overdue (open)", "Done"]})
    styler = tables.highlight_overdue(marked, "Status")
    styler._compute()
    assert tables.OVERDUE_BACKGROUND in str(styler.ctx[(0, 1)])
    assert not styler.ctx.get((1, 1))
