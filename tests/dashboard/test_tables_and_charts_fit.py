"""Tables and charts that fit (issue 26, items 6 and 7): empty columns left out, every layout
within the page, dates as dates, the slips' wording, and the chart specs (fitted percentage axes,
straight sparklines, no partnership target across locality bars, readable meeting charts)."""

from __future__ import annotations

import base64
import datetime as dt

import pandas as pd
import pytest

from dashboard.components import charts, tables
from dashboard.views import meeting_mode
from dashboard.views.section11 import late_sentence
from dashboard.views.theme.breakdown import group_target
from dashboard.views.theme.scorecard import compact_scorecard, scorecard_column_config
from data_access import catalogue


def test_an_empty_column_is_left_out_but_not_a_column_with_anything_in_it() -> None:
    frame = pd.DataFrame(
        {
            "Indicator": ["A", "B"],
            "Note on the figure": ["", None],
            "Trend": [[], []],
            "England": ["", "80.0%"],
        }
    )
    assert tables.empty_columns(frame) == ["Note on the figure", "Trend"]
    assert tables.empty_columns(frame.iloc[0:0]) == []


def test_a_table_too_wide_even_at_six_lines_is_narrowed_to_fit() -> None:
    wide = pd.DataFrame({f"A long column heading number {n}": ["word " * 30] for n in range(12)})
    widths, row = tables.layout(wide)
    assert sum(widths.values()) <= tables.PAGE_WIDTH_PX
    assert row == tables.MAX_WRAP_ROW_PX


def test_dates_are_measured_as_the_grid_shows_them() -> None:
    assert tables._text(pd.Timestamp("2026-12-07")) == "07 Dec 2026"
    assert tables._text(pd.Timestamp("2026-12-07 14:05:33")) == "07 Dec 2026, 14:05"
    assert ":33" not in tables.DATETIME_FORMAT


def test_a_future_date_is_not_zero_days_overdue() -> None:
    today = dt.date(2026, 12, 7)
    assert tables.due_text(dt.date(2026, 12, 19), today) == "due in 12 days"
    assert tables.due_text(dt.date(2026, 12, 8), today) == "due tomorrow"
    assert tables.due_text(dt.date(2026, 12, 7), today) == "due today"
    assert tables.due_text(dt.date(2026, 12, 6), today) == "⚠ 1 day overdue"
    assert tables.due_text(None, today) == "no due date"
    assert "0 days" not in tables.due_text(dt.date(2026, 12, 7), today)


def test_plurals_agree_with_their_counts() -> None:
    assert tables.plural(1, "active agency") == "1 active agency"
    assert tables.plural(3, "active agency") == "3 active agencies"
    assert tables.plural(2, "day") == "2 days"
    one = late_sentence(1, 1, "2025-26")
    assert one == "**1 active agency** has not returned for 2025-26; **it is late**."
    assert "agencies" not in one and "them are" not in one
    assert "**1 of them is late**" in late_sentence(5, 1, "2025-26")
    assert "**3 of them are late**" in late_sentence(5, 3, "2025-26")
    assert late_sentence(4, 0, "2025-26") == "**4 active agencies** have not returned for 2025-26."


def test_statuses_and_sectors_in_words() -> None:
    assert tables.status_words("in_progress") == "In progress"
    assert tables.sector_words("health") == "Health"
    assert tables.sector_words("local_authority") == "Local authority"


def scorecard(rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Indicator": ["Contacts decided within one working day of receipt"] * rows,
            "Quarter": ["2025-26 Q2"] * rows,
            "Value": ["79.1%"] * rows,
            "Note on the figure": [""] * rows,
            "Change on last quarter": ["-2.0 pp"] * rows,
            "Change on a year earlier": ["-5.1 pp"] * rows,
            "Target": ["90.0%"] * rows,
            "RAG": ["✘ Red"] * rows,
            "Quarters running": ["Missing target 4 quarters running"] * rows,
            "SPC variation": ["! concerning special cause"] * rows,
            "SPC assurance": ["consistently failing"] * rows,
            "England": ["82.0%"] * rows,
            "Statistical neighbours": ["83.2%"] * rows,
        }
    )


def test_the_theme_scorecard_fits_with_a_target_column_and_merged_cells() -> None:
    shown, order = compact_scorecard(scorecard())
    assert "Target" in order and "Quarter" not in order
    # The original columns stay in the data (other surfaces' words are checked against them).
    assert {"RAG", "Quarters running", "SPC assurance"} <= set(shown.columns)
    assert shown.loc[0, "RAG and run"] == "✘ Red; Missing target 4 quarters running"
    assert shown.loc[0, "Changes"] == "-2.0 pp on last quarter; -5.1 pp on a year earlier"
    assert shown.loc[0, "SPC variation and assurance"] == (
        "! concerning special cause; consistently failing"
    )
    shown = shown[order]
    config = scorecard_column_config(shown)
    headers = {name: settings["label"] for name, settings in config.items()}
    shown = shown.drop(columns=tables.empty_columns(shown))
    widths, _ = tables.layout(shown, headers=headers)
    assert sum(widths.values()) <= tables.PAGE_WIDTH_PX
    # Every header whole: the fit needed no last-resort narrowing.
    for name, width in widths.items():
        assert width >= tables._header_width(headers.get(name, name)), name


def layers(spec: dict) -> list[dict]:
    out = [spec]
    for layer in spec.get("layer", []) or []:
        out += layers(layer)
    return out


def y_scales(spec: dict) -> list[dict]:
    return [
        view["encoding"]["y"].get("scale", {})
        for view in layers(spec)
        if "encoding" in view and view["encoding"].get("y", {}).get("type") == "quantitative"
    ]


def test_percentage_trend_charts_are_fitted_to_the_data() -> None:
    series = pd.DataFrame({"period_code": ["2025-26 Q1", "2025-26 Q2"], "value": [78.0, 79.1]})
    spec = charts.trend_chart(series, name="Contacts", unit="percentage", target=90).to_dict()
    scales = y_scales(spec)
    assert scales and all(s.get("zero") is False and "domain" not in s for s in scales)
    lines = charts.grouped_lines(
        series.assign(series="A"),
        x="period_code",
        value="value",
        series="series",
        title="t",
        unit="percentage",
    ).to_dict()
    assert all(s.get("zero") is False for s in y_scales(lines))


def test_sparklines_are_straight_lines() -> None:
    spec = charts.sparkline([1, 5, 2, 8], unit="count").to_dict()
    marks = [v["mark"] for v in layers(spec) if isinstance(v.get("mark"), dict)]
    line = [m for m in marks if m["type"] == "line"]
    assert line and all(m.get("interpolate") == "linear" for m in line)
    svg = base64.b64decode(charts.sparkline_svg([1, None, 5, 2]).split(",", 1)[1]).decode()
    assert "<polyline" in svg and " C" not in svg and " Q" not in svg
    assert charts.sparkline_svg([None, None]) == ""


def bars(**kwargs: object) -> dict:
    frame = pd.DataFrame(
        {"group": ["North", "South", "East", "West"], "value": [210, 190, 230, 180]}
    )
    return charts.bar_breakdown(
        frame, category="group", value="value", title="t", unit="count", **kwargs
    ).to_dict()


def test_locality_bars_have_no_partnership_target_and_room_for_their_labels() -> None:
    early_help = [
        i for i in catalogue.indicators() if i.unit == "count" and i.has_target and i.breakdowns
    ]
    for spec in early_help:
        assert group_target(spec, "locality") is None
        assert group_target(spec, "agency") is None
    spec = bars()
    assert not [
        v for v in layers(spec) if isinstance(v.get("mark"), dict) and v["mark"]["type"] == "rule"
    ]
    x = next(v["encoding"]["x"] for v in layers(spec) if v.get("mark", {}).get("type") == "bar")
    low, high = x["scale"]["domain"]
    assert low == 0 and high >= 230 * 1.15  # room past the longest bar for "230"
    assert x["scale"]["zero"] is True


def test_meeting_mode_charts_are_readable_at_their_size() -> None:
    codes = [f"{2019 + n // 4}-{(20 + n // 4) % 100:02d} Q{n % 4 + 1}" for n in range(30)]
    series = pd.DataFrame({"period_code": codes, "value": [70 + (n % 5) for n in range(30)]})
    spec = charts.trend_chart(series, name="Contacts", unit="percentage", target=90).to_dict()
    shown = meeting_mode._chart_spec(spec, 2)
    axes = [
        v["encoding"]["x"]["axis"]
        for v in layers(shown)
        if v.get("encoding", {}).get("x", {}).get("field") == "quarter"
    ]
    assert axes
    for axis in axes:
        assert axis["labelAngle"] == 0
        assert 2 <= len(axis["values"]) <= 8  # not 30 labels on top of each other
    assert shown["autosize"] == {"type": "fit", "contains": "padding"}
    assert shown["config"]["legend"]["orient"] == "bottom"
    assert all(s.get("zero") is False for s in y_scales(shown))


@pytest.mark.parametrize("days", [0, -3])
def test_days_overdue_text_is_blank_when_not_overdue(days: int) -> None:
    assert tables.days_overdue_text(days) == ""
