"""The schools and colleges audit page's pieces: the chart keeps every standard's label whole at
page and narrow widths, says its counts in words, and the non-returners' status is worded."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.views import education_audit as view
from data_access import catalogue
from tests.dashboard.test_chart_labels import NARROW_WIDTH, PAGE_WIDTH, svg_texts


def _counts() -> pd.DataFrame:
    standards = catalogue.standards("education_175_157")
    return pd.DataFrame(
        {
            "standard_number": [s.number for s in standards],
            "standard": [s.title for s in standards],
            "green": [40 + s.number for s in standards],
            "amber": [20 - s.number for s in standards],
            "red": [3] * len(standards),
        }
    )


@pytest.mark.parametrize("width", [PAGE_WIDTH, NARROW_WIDTH])
def test_every_standard_keeps_its_label(width: int) -> None:
    counts = _counts()
    chart = view.charts.stacked_bars(
        view.chart_frame(counts),
        x="standard",
        value="settings",
        colour="rating",
        title="t",
        x_order=[view.short_label(n) for n in counts["standard_number"]],
        colour_order=list(view.RATING_COLOURS),
        colours=list(view.RATING_COLOURS.values()),
    )
    texts = svg_texts(chart, width)
    for number in counts["standard_number"]:
        assert f"S{number}" in texts
    assert {"Green", "Amber", "Red"} <= set(texts)


def test_the_chart_in_words_names_each_standard_and_its_counts() -> None:
    words = view.chart_description(_counts())
    assert "S7 Filtering and monitoring: 47 green, 13 amber, 3 red" in words
    assert len(view.chart_frame(_counts())) == 13 * 3


def test_a_late_return_and_a_missing_one_are_worded() -> None:
    today = dt.date(2026, 3, 1)
    due = dt.date(2026, 1, 30)
    assert view.status_text(dt.date(2026, 2, 14), due, today) == "Returned late on 14 Feb 2026"
    assert view.status_text(None, due, today) == "⚠ 30 days overdue"
    assert view.status_text(None, dt.date(2026, 3, 5), today) == "Not returned (not yet due)"
