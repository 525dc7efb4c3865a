"""RAG against target, change between quarters, formatting: both polarities, edges, missing data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.metrics import rag


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (95, rag.GREEN),
        (90, rag.GREEN),
        (89.9, rag.AMBER),
        (85, rag.AMBER),
        (84.99, rag.RED),
        (0, rag.RED),
    ],
)
def test_higher_is_better_edges(value: float, expected: str) -> None:
    assert rag.rag_status(value, 90, "higher_is_better", 5) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10, rag.GREEN), (20, rag.GREEN), (20.1, rag.AMBER), (22, rag.AMBER), (22.01, rag.RED)],
)
def test_lower_is_better_edges(value: float, expected: str) -> None:
    assert rag.rag_status(value, 20, "lower_is_better", 2) == expected


def test_zero_tolerance_means_no_amber() -> None:
    assert rag.rag_status(89.99, 90, "higher_is_better", 0) == rag.RED
    assert rag.rag_status(90, 90, "higher_is_better", None) == rag.GREEN


def test_neutral_and_no_target() -> None:
    assert rag.rag_status(120, None, "neutral") == rag.NO_TARGET
    assert rag.rag_status(120, 100, "neutral") == rag.NO_TARGET
    assert rag.rag_status(120, None, "higher_is_better") == rag.NO_TARGET
    assert rag.rag_status(None, None, "neutral") == rag.NO_DATA


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, "c", "x", float("inf")])
def test_missing_values(missing: object) -> None:
    assert rag.as_number(missing) is None
    assert rag.rag_status(missing, 90, "higher_is_better", 5) == rag.NO_DATA
    assert rag.rag_status(missing, 90, "lower_is_better", 5) == rag.NO_DATA
    diff = rag.change(missing, 80, "higher_is_better")
    assert diff.direction == "unknown" and diff.judgement == "not judged"
    assert rag.change(80, missing).difference is None


def test_unknown_polarity_is_an_error() -> None:
    with pytest.raises(ValueError, match="polarity"):
        rag.rag_status(1, 2, "sideways")


def test_change_judged_by_polarity() -> None:
    up = rag.change(80, 75, "higher_is_better")
    assert (up.difference, up.direction, up.judgement) == (5, "up", "better")
    assert up.percent == pytest.approx(5 / 75 * 100)
    assert rag.change(80, 75, "lower_is_better").judgement == "worse"
    assert rag.change(70, 75, "lower_is_better").judgement == "better"
    assert rag.change(70, 75, "higher_is_better").judgement == "worse"
    assert rag.change(70, 75, "neutral").judgement == "not judged"
    same = rag.change(75, 75, "higher_is_better")
    assert (same.direction, same.judgement) == ("no change", "no change")
    from_zero = rag.change(5, 0, "neutral")
    assert from_zero.difference == 5 and from_zero.percent is None


def test_meets_target() -> None:
    assert rag.meets_target(90, 90, "higher_is_better") is True
    assert rag.meets_target(21, 20, "lower_is_better") is False
    assert rag.meets_target(21, 20, "neutral") is None
    assert rag.meets_target("c", 20, "lower_is_better") is None


def test_formatting() -> None:
    assert rag.format_value(78, "percentage") == "78.0%"
    assert rag.format_value(34.56, "rate_per_10k") == "34.6 per 10,000 children"
    assert rag.format_value(1234, "count") == "1,234"
    assert rag.format_value(12.25, "days") == "12.2 working days"
    assert rag.format_value(None, "count", symbol="c") == "c (suppressed)"
    assert rag.format_value(None, "count") == "no data"
    assert rag.format_change(rag.change(78, 80.5), "percentage") == "-2.5 pp"
    assert rag.format_change(rag.change(120, 100), "count") == "+20"
    assert rag.format_change(rag.change(None, 100), "count") == "no comparison"
    assert rag.format_change(rag.change(5, 5), "count") == "no change"


def test_a_figure_shows_its_bound_and_symbol() -> None:
    from dashboard.metrics.rag import format_figure

    assert format_figure(40, "percentage", qualifier="more than") == "more than 40.0%"
    assert format_figure(312.4, "count", symbol="u") == "312 u"
    assert format_figure(312.4, "rate_per_10k", symbol="u", with_unit=False) == "312.4 u"
    assert format_figure(None, "count", symbol="c") == "c (suppressed)"
    assert format_figure(7, "count") == "7"


# A bound ("more than 40%") is rated only when every figure it allows gets the same rating.
@pytest.mark.parametrize(
    ("value", "qualifier", "polarity", "expected"),
    [
        (40, "more than", "higher_is_better", rag.NOT_JUDGED),  # 41 red ... 91 green
        (95, "more than", "higher_is_better", rag.GREEN),  # every allowed figure beats 90
        (90, "more than", "higher_is_better", rag.GREEN),  # 90 itself is not allowed
        (90, "at least", "higher_is_better", rag.GREEN),
        (85, "more than", "higher_is_better", rag.NOT_JUDGED),  # 85.01 amber, 91 green
        (85, "less than", "higher_is_better", rag.RED),  # below 85 only
        (85, "at most", "higher_is_better", rag.NOT_JUDGED),  # 85 amber, 84 red
        (80, "less than", "lower_is_better", rag.GREEN),
        (92, "less than", "lower_is_better", rag.NOT_JUDGED),  # 91 green, 92-ε amber
        (96, "more than", "lower_is_better", rag.RED),
        (40, None, "higher_is_better", rag.RED),  # no bound: the figure as it is
        (40, "", "higher_is_better", rag.RED),
    ],
)
def test_a_bound_is_rated_only_when_every_allowed_figure_agrees(
    value: float, qualifier: str | None, polarity: str, expected: str
) -> None:
    assert rag.rag_status(value, 90, polarity, 5, qualifier) == expected


def test_a_bound_without_a_target_is_still_a_context_measure() -> None:
    assert rag.rag_status(40, None, "higher_is_better", 5, "more than") == rag.NO_TARGET
    assert rag.rag_status(40, 90, "neutral", 5, "more than") == rag.NO_TARGET
