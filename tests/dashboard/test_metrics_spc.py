"""XmR chart calculations, checked against hand-worked examples for each rule."""

from __future__ import annotations

import math

import pytest

from dashboard.metrics import spc


def signals(result: spc.XmRResult) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(s.rule, s.side, s.points) for s in result.signals]


def test_limits_hand_worked() -> None:
    # 48, 52 alternating: mean 50; every moving range 4, so MR-bar 4; limits 50 +/- 2.66 x 4.
    result = spc.xmr([48, 52] * 4, polarity="higher_is_better", target=40)
    assert result.mean == pytest.approx(50.0)
    assert result.moving_ranges[0] is None
    assert result.moving_ranges[1:] == [4.0] * 7
    assert result.mr_bar == pytest.approx(4.0)
    assert result.upper_limit == pytest.approx(60.64)
    assert result.lower_limit == pytest.approx(39.36)
    assert result.signals == []
    assert result.variation == spc.COMMON
    assert result.enough_data


def test_point_outside_the_limits() -> None:
    # Sum 145 over 10 points: mean 14.5. Moving ranges: eight of 10 and one of 55 -> MR-bar 15.
    # Upper limit 14.5 + 2.66 x 15 = 54.4, so 60 is outside; alternating points give no run.
    values = [5, 15, 5, 15, 5, 15, 5, 15, 5, 60]
    result = spc.xmr(values, polarity="higher_is_better")
    assert result.mean == pytest.approx(14.5)
    assert result.mr_bar == pytest.approx(15.0)
    assert result.upper_limit == pytest.approx(54.4)
    assert result.lower_limit == pytest.approx(-25.4)
    assert signals(result) == [("outside", "high", (9,))]
    assert result.variation == spc.IMPROVING
    assert spc.xmr(values, polarity="lower_is_better").variation == spc.CONCERNING
    assert spc.xmr(values, polarity="neutral").variation == spc.NEITHER


def test_point_below_the_lower_limit() -> None:
    values = [55, 45, 55, 45, 55, 45, 55, 45, 55, 0]
    result = spc.xmr(values, polarity="higher_is_better")
    assert ("outside", "low", (9,)) in signals(result)
    assert result.variation == spc.CONCERNING


def test_shift_of_seven_points_on_one_side_of_the_mean() -> None:
    # Sum 190 over 15 points: mean 12.667. The last seven (13/14) are all above it.
    values = [16, 8, 16, 8, 16, 8, 16, 8, 13, 14, 13, 14, 13, 14, 13]
    result = spc.xmr(values, polarity="lower_is_better")
    assert result.mean == pytest.approx(190 / 15)
    assert signals(result) == [("shift", "high", (8, 9, 10, 11, 12, 13, 14))]
    assert result.variation == spc.CONCERNING


def test_six_points_on_one_side_is_not_a_shift() -> None:
    values = [16, 8, 16, 8, 16, 8, 16, 8, 13, 14, 13, 14, 13, 14]
    assert spc.xmr(values, polarity="lower_is_better").signals == []


def test_a_point_on_the_mean_breaks_a_run() -> None:
    # Mean is exactly 10; the run above is interrupted by a point at 10.
    assert spc.shift_signals([11, 11, 11, 10, 11, 11, 11, 11], mean=10.0) == []
    assert spc.shift_signals([11] * 7, mean=10.0) == [spc.Signal("shift", "high", tuple(range(7)))]


def test_trend_of_six_rising_points() -> None:
    # 9, 10, 11, 12, 13, 14 rise five times in a row: six points, a trend (Making Data Count).
    # Mean 141/12 = 11.75; MR-bar 30/11; limits 4.49 .. 19.0, so nothing is outside.
    values = [10, 14, 10, 14, 10, 14, 9, 10, 11, 12, 13, 14]
    result = spc.xmr(values, polarity="higher_is_better")
    assert result.mean == pytest.approx(11.75)
    assert result.mr_bar == pytest.approx(30 / 11)
    assert signals(result) == [("trend", "high", (6, 7, 8, 9, 10, 11))]
    assert result.variation == spc.IMPROVING


def test_five_rising_points_is_not_a_trend() -> None:
    values = [10, 14, 10, 14, 10, 14, 10, 11, 12, 13, 14]
    assert spc.xmr(values, polarity="higher_is_better").signals == []


def test_falling_trend_and_equal_neighbours() -> None:
    assert spc.trend_signals([9, 8, 7, 6, 5, 4]) == [spc.Signal("trend", "low", (0, 1, 2, 3, 4, 5))]
    # An equal neighbour breaks the trend.
    assert spc.trend_signals([9, 8, 7, 7, 6, 5, 4]) == []


def test_two_of_three_near_a_limit() -> None:
    # Mean 10, limits 4 and 16: two-sigma bands at 14 and 6. Points 1 and 3 (15) are beyond 14.
    found = spc.two_of_three_signals([10, 15, 9, 15, 10], mean=10.0, upper=16.0, lower=4.0)
    assert found == [spc.Signal("two_of_three", "high", (1, 3))]
    assert spc.two_of_three_signals([10, 15, 9, 9, 15], mean=10.0, upper=16.0, lower=4.0) == []
    low = spc.two_of_three_signals([5, 5.5, 10], mean=10.0, upper=16.0, lower=4.0)
    assert low == [spc.Signal("two_of_three", "low", (0, 1))]


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        ("higher_is_better", 30, spc.PASSING),  # below the lower limit 39.36
        ("higher_is_better", 70, spc.FAILING),  # above the upper limit 60.64
        ("higher_is_better", 50, spc.HIT_AND_MISS),
        ("higher_is_better", 39.36, spc.HIT_AND_MISS),  # on a limit: not consistently anything
        ("lower_is_better", 70, spc.PASSING),
        ("lower_is_better", 30, spc.FAILING),
        ("lower_is_better", 55, spc.HIT_AND_MISS),
        ("neutral", 50, spc.NO_TARGET),
        ("higher_is_better", None, spc.NO_TARGET),
    ],
)
def test_assurance_against_target(polarity: str, target: float | None, expected: str) -> None:
    result = spc.xmr([48, 52] * 4, polarity=polarity, target=target)
    assert result.assurance == expected


def test_fewer_than_eight_points_is_not_enough_data() -> None:
    result = spc.xmr([5, 15, 5, 15, 5, 15, 100], polarity="higher_is_better", target=10)
    assert not result.enough_data
    assert result.variation == spc.NOT_ENOUGH
    assert result.assurance == spc.NOT_ENOUGH
    assert result.signals == []
    assert result.upper_limit is not None  # limits still drawn for information
    assert "Not enough data" in spc.describe(result)


def test_missing_values_are_dropped_with_their_labels() -> None:
    labels = [f"Q{i}" for i in range(10)]
    values = [48, 52, None, 48, math.nan, 52, 48, 52, 48, 52]
    result = spc.xmr(values, polarity="higher_is_better", labels=labels)
    assert len(result.values) == 8
    assert "Q2" not in result.labels and "Q4" not in result.labels
    assert result.enough_data


def test_concerning_wins_when_latest_point_has_both_sides() -> None:
    # Seven points above the mean, the last of them falling for six points: high shift + low trend.
    values = [0, 0, 0, 0, 0, 0, 0, 0, 20, 19, 18, 17, 16, 15, 14]
    result = spc.xmr(values, polarity="higher_is_better")
    assert {s.rule for s in result.signals if 14 in s.points} >= {"shift", "trend"}
    assert result.variation == spc.CONCERNING


def test_describe_mentions_rule_and_assurance() -> None:
    result = spc.xmr([5, 15, 5, 15, 5, 15, 5, 15, 5, 60], polarity="higher_is_better", target=100)
    text = spc.describe(result)
    assert "improving special cause" in text
    assert "outside the process limits" in text
    assert "will not be met" in text
