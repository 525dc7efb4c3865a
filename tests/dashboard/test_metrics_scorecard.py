"""build_scorecard: one row per indicator with value, change, RAG, SPC, comparators, severity."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.metrics import spc
from dashboard.metrics.scorecard import SCORECARD_COLUMNS, build_scorecard, needs_attention
from data_access.periods import Quarter, quarters_between

QUARTERS = [q.code for q in quarters_between(Quarter(2022, 1), Quarter(2024, 4))]


def history(
    code: str,
    values: list[float | None],
    *,
    unit: str = "percentage",
    polarity: str = "higher_is_better",
    target: float | None = 90.0,
    tolerance: float = 5.0,
    order: int = 0,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": code,
            "name": f"Indicator {code}",
            "theme_code": "mash",
            "theme_name": "MASH",
            "unit": unit,
            "polarity": polarity,
            "target": target,
            "tolerance": tolerance,
            "period_code": QUARTERS[-len(values) :],
            "value": values,
            "status_symbol": None,
            "headline": True,
            "sort_order": order,
        }
    )


def test_columns_and_values() -> None:
    values = [93, 94, 92.5, 93.5, 94, 92, 93, 91, 92, 84, 80, 78]
    comparators = pd.DataFrame(
        {
            "code": ["A", "A", "A"],
            "comparator_type": ["england", "england", "statistical_neighbours"],
            "period_code": ["2023-24 Q4", "2025-26 Q1", "2024-25 Q2"],
            "value": [85.0, 99.0, 83.0],
        }
    )
    card = build_scorecard(history("A", values), comparators, "2024-25 Q4")
    assert list(card.columns) == SCORECARD_COLUMNS
    row = card.iloc[0]
    assert row["value"] == 78 and row["display_value"] == "78.0%"
    assert row["previous"] == 80 and row["change"] == pytest.approx(-2)
    assert row["year_ago"] == 91 and row["year_ago_change"] == pytest.approx(-13)
    assert row["rag"] == "red"
    assert row["spc_variation"] == spc.CONCERNING
    assert row["england"] == 85.0  # the later (2025-26) figure is after the quarter, so not used
    assert row["stat_neighbours"] == 83.0
    assert row["severity"] >= 5
    assert row["needs_attention"]
    assert "red against target" in row["attention_reasons"]
    assert len(row["trend_values"]) == 8


def test_older_quarter_is_judged_as_it_was() -> None:
    values = [93, 94, 92.5, 93.5, 94, 92, 93, 91, 92, 84, 80, 78]
    card = build_scorecard(history("A", values), pd.DataFrame(), "2024-25 Q1")
    row = card.iloc[0]
    assert row["value"] == 92 and row["rag"] == "green"
    assert not row["needs_attention"]


def test_missing_and_neutral_indicators() -> None:
    frame = pd.concat(
        [
            history("A", [None] * 3 + [80.0], order=0),
            history("B", [100, 120], unit="count", polarity="neutral", target=None, order=1),
            pd.DataFrame(
                [
                    {
                        "code": "C",
                        "name": "Empty",
                        "theme_code": "mash",
                        "unit": "count",
                        "polarity": "neutral",
                        "target": None,
                        "tolerance": 0.0,
                        "period_code": None,
                        "value": None,
                        "status_symbol": None,
                        "sort_order": 2,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    card = build_scorecard(frame, pd.DataFrame(), "2024-25 Q4").set_index("code")
    assert card.loc["A", "spc_variation"] == spc.NOT_ENOUGH
    assert card.loc["B", "rag"] == "no target"
    assert card.loc["B", "spc_assurance"] == spc.NO_TARGET
    assert card.loc["C", "rag"] == "no data"
    assert card.loc["C", "display_value"] == "no data"


def test_needs_attention_orders_by_severity() -> None:
    frame = pd.concat(
        [
            history("AMBER", [88.0] * 12, order=0),
            history("RED", [93, 94, 92.5, 93.5, 94, 92, 93, 91, 92, 84, 80, 78], order=1),
            history("GREEN", [95.0] * 12, order=2),
        ],
        ignore_index=True,
    )
    flagged = needs_attention(build_scorecard(frame, pd.DataFrame(), "2024-25 Q4"))
    assert list(flagged["code"]) == ["RED", "AMBER"]  # amber is consistently failing, red worse


def test_empty_history() -> None:
    card = build_scorecard(pd.DataFrame(), pd.DataFrame(), "2024-25 Q4")
    assert card.empty and list(card.columns) == SCORECARD_COLUMNS


def test_a_missing_quarter_is_not_skipped_over() -> None:
    """Last quarter is the quarter before; quarters running are consecutive quarters."""
    frame = history("A", [95, 96, 97, 98, 99, 99, 99, 99])
    frame = frame[frame["period_code"] != QUARTERS[-2]]  # no row at all for the previous quarter
    row = build_scorecard(frame, pd.DataFrame(), QUARTERS[-1]).iloc[0]
    assert row["previous"] is None and row["change_display"] == "no comparison"
    assert row["run_length"] == 1
    assert row["run_display"] == "On target this quarter"
    assert row["sentence"] == "Indicator A was 99.0%, above the 90.0% target."
    assert row["trend_values"][-2] is None  # the sparkline shows the gap


def test_run_length_counts_the_whole_history() -> None:
    values = [95.0] * 12
    row = build_scorecard(history("A", values), pd.DataFrame(), QUARTERS[-1]).iloc[0]
    assert row["run_length"] == 12
    assert row["run_display"] == "On target 12 quarters running"
    assert row["sentence"].endswith("for the twelfth quarter running.")
    assert row["spc_display"] == f"{row['spc_variation'].capitalize()}; {row['spc_assurance']}"
    chart = row["spc_chart"]
    assert isinstance(chart, spc.XmRResult) and chart.labels[-1] == QUARTERS[-1]
    assert len(chart.values) == 12
