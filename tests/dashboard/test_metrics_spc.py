"""XmR chart calculations, checked against hand-worked examples for each rule.

The reference's own cases are in test_spc_reference.py; these are worked by hand.
"""

from __future__ import annotations

import json
import math

import pytest

from dashboard.metrics import spc, spc_rules

# The MDC Excel tool's choices: no outlier screening (and, for SIX, trends of six points).
EXCEL = spc.SpcSettings(screen_outliers=False)
SIX = spc.SpcSettings(trend_run=6)


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
    # Without screening (the MDC Excel tool): upper limit 14.5 + 2.66 x 15 = 54.4.
    values = [5, 15, 5, 15, 5, 15, 5, 15, 5, 60]
    excel = spc.xmr(values, polarity="higher_is_better", settings=EXCEL)
    assert excel.mean == pytest.approx(14.5)
    assert excel.mr_bar == pytest.approx(15.0)
    assert excel.upper_limit == pytest.approx(54.4)
    assert excel.lower_limit == pytest.approx(-25.4)
    assert signals(excel) == [("outside", "high", (9,))]
    # Screened (the default): 55 >= 3.267 x 15, so MR-bar is 10 and the upper limit 41.1.
    result = spc.xmr(values, polarity="higher_is_better")
    assert result.mr_bar == pytest.approx(10.0)
    assert result.upper_limit == pytest.approx(41.1)
    assert result.segments[0].screened_out == (9,)
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


def test_trend_of_six_rising_points_when_the_run_is_six() -> None:
    # 9, 10, 11, 12, 13, 14 rise five times in a row: six points, a trend when the MDC Excel
    # tool's choice of 6 is made; not with the reference's default of 7.
    # Mean 141/12 = 11.75; MR-bar 30/11; limits 4.49 .. 19.0, so nothing is outside.
    values = [10, 14, 10, 14, 10, 14, 9, 10, 11, 12, 13, 14]
    result = spc.xmr(values, polarity="higher_is_better", settings=spc.SpcSettings(trend_run=6))
    assert result.mean == pytest.approx(11.75)
    assert result.mr_bar == pytest.approx(30 / 11)
    assert signals(result) == [("trend", "high", (6, 7, 8, 9, 10, 11))]
    assert result.variation == spc.IMPROVING
    assert spc.xmr(values, polarity="higher_is_better").signals == []


def test_trend_of_seven_rising_points() -> None:
    values = [10, 14, 10, 14, 10, 14, 8, 9, 10, 11, 12, 13, 14]
    result = spc.xmr(values, polarity="higher_is_better")
    assert signals(result) == [("trend", "high", (6, 7, 8, 9, 10, 11, 12))]
    assert result.latest_rules == ["trend"]
    assert result.variation == spc.IMPROVING


def test_five_rising_points_is_not_a_trend() -> None:
    values = [10, 14, 10, 14, 10, 14, 10, 11, 12, 13, 14]
    assert spc.xmr(values, polarity="higher_is_better", settings=SIX).signals == []


def test_falling_trend_and_equal_neighbours() -> None:
    assert spc.trend_signals([9, 8, 7, 6, 5, 4], run=6) == [
        spc.Signal("trend", "low", (0, 1, 2, 3, 4, 5))
    ]
    assert spc.trend_signals([9, 8, 7, 6, 5, 4]) == []  # seven points by default
    # An equal neighbour breaks the trend.
    assert spc.trend_signals([9, 8, 7, 7, 6, 5, 4], run=6) == []


def test_two_of_three_near_a_limit() -> None:
    # Mean 10, limits 4 and 16: two-sigma bands at 14 and 6. Points 1 and 3 (15) are beyond 14
    # and the point between them (11) is above the mean too, so all three are on one side.
    found = spc.two_of_three_signals([10, 15, 11, 15, 10], mean=10.0, upper=16.0, lower=4.0)
    assert found == [spc.Signal("two_of_three", "high", (1, 3))]
    assert spc.two_of_three_signals([10, 15, 9, 9, 15], mean=10.0, upper=16.0, lower=4.0) == []
    low = spc.two_of_three_signals([5, 5.5, 9], mean=10.0, upper=16.0, lower=4.0)
    assert low == [spc.Signal("two_of_three", "low", (0, 1))]


def test_two_of_three_third_point_must_be_on_the_same_side() -> None:
    # The old rule let the third point be anywhere; the reference needs all three on one side
    # (a point on the mean is on neither side).
    for middle in (9, 10):
        assert (
            spc.two_of_three_signals([10, 15, middle, 15, 10], mean=10.0, upper=16.0, lower=4.0)
            == []
        )


def test_point_beyond_a_limit_is_not_one_of_the_two() -> None:
    # 17 is outside (beyond 16): it is the third point but does not count as near a limit, so
    # 17 and one point at 15 are not two of three; 15, 17, 15 are.
    assert spc.two_of_three_signals([10, 15, 17, 10], mean=10.0, upper=16.0, lower=4.0) == []
    found = spc.two_of_three_signals([10, 15, 17, 15, 10], mean=10.0, upper=16.0, lower=4.0)
    assert found == [spc.Signal("two_of_three", "high", (1, 3))]


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


def test_few_points_are_judged_with_a_trial_limit_warning() -> None:
    # The reference computes limits and signals for any number of points and warns below 13.
    result = spc.xmr([5, 15, 5, 15, 5, 15, 100], polarity="higher_is_better", target=10)
    assert result.enough_data
    assert result.short_warning
    assert result.variation == spc.IMPROVING  # 100 is above the (screened) upper limit 36.6
    # The limits alone say hit and miss; with special cause at the latest point the process has
    # changed, so the verdict shown withholds assurance (issue 26: this used to say hit and miss).
    assert result.limits_assurance == spc.HIT_AND_MISS
    assert result.assurance == spc.CHANGED
    assert "trial limits" in spc.describe(result)
    assert "only 7 quarters" in spc.describe(result)


def test_one_point_is_not_enough_data() -> None:
    result = spc.xmr([5], polarity="higher_is_better", target=10)
    assert not result.enough_data
    assert result.variation == spc.NOT_ENOUGH
    assert result.assurance == spc.NOT_ENOUGH
    assert result.upper_limit is None
    assert "Not enough data" in spc.describe(result)
    assert spc.xmr([], polarity="neutral").assurance == spc.NO_TARGET


def test_missing_values_are_dropped_with_their_labels() -> None:
    labels = [f"Q{i}" for i in range(10)]
    values = [48, 52, None, 48, math.nan, 52, 48, 52, 48, 52]
    result = spc.xmr(values, polarity="higher_is_better", labels=labels)
    assert len(result.values) == 8
    assert "Q2" not in result.labels and "Q4" not in result.labels
    assert result.enough_data


def test_rule_priority_decides_a_point_with_several_signals() -> None:
    # Seven points above the mean that also fall for seven points: a high shift and a falling
    # trend. The old code said "concerning" whenever any signal was unfavourable; the reference
    # labels the point by its highest-priority rule (outside > trend > two-of-three > shift).
    values = [5, 9, 5, 9, 5, 9, 5, 9, 5, 9, 14, 13, 12.5, 12, 11.5, 11, 10.5]
    result = spc.xmr(values, polarity="lower_is_better", settings=EXCEL)
    last = len(values) - 1
    assert {s.rule for s in result.signals if last in s.points} == {"shift", "trend"}
    assert result.latest_rules == ["trend"]
    assert result.special_cause_types[-1] == "7 Point Trend (Decreasing)"
    assert result.variation == spc.IMPROVING  # falling is good for this indicator
    # A point outside the limits outranks the trend it belongs to.
    jump = [10, 11] * 6 + [16, 15, 14, 13, 12, 11, 3]
    outside = spc.xmr(jump, polarity="higher_is_better")
    assert outside.latest_rules == ["outside"]
    assert outside.special_cause_types[-1] == "Below LCL"


def test_describe_mentions_rule_and_assurance() -> None:
    # The point outside the limits changes the process: the old limits' "consistently failing"
    # (target 100 above the upper limit) no longer stands (issue 26; this used to say it did).
    result = spc.xmr([5, 15, 5, 15, 5, 15, 5, 15, 5, 60], polarity="higher_is_better", target=100)
    text = spc.describe(result)
    assert "improving special cause" in text
    assert "outside the process limits" in text
    assert result.limits_assurance == spc.FAILING
    assert "will not be met" not in text
    assert "The process has changed" in text and "record the change" in text
    stable = spc.xmr([5, 15, 5, 15, 5, 15, 5, 15, 5, 15], polarity="higher_is_better", target=100)
    assert "will not be met" in spc.describe(stable)


# --- Settings, baseline and rebasing ----------------------------------------------------------


def test_settings_are_validated_and_described() -> None:
    with pytest.raises(ValueError, match="trend"):
        spc.SpcSettings(trend_run=2)
    with pytest.raises(ValueError, match="baseline"):
        spc.SpcSettings(baseline_points=8)
    words = spc.SpcSettings(trend_run=6, screen_outliers=False, baseline_points=12).describe()
    assert "first 12 quarters" in words and "6 quarters in a row" in words
    assert "every quarter-to-quarter jump counts" in words
    assert "left out of the limits" in spc.DEFAULT_SETTINGS.describe()
    assert spc.rule_names(SIX)["trend"].startswith("6 or more")


def test_limits_come_from_the_baseline_not_later_points() -> None:
    # A baseline of 12 alternating 48/52 quarters: mean 50, MR-bar 4, limits 39.36 .. 60.64.
    # Later quarters (a step up to 70) do not move the limits, so they are signals.
    values = [48, 52] * 6 + [70, 71, 70]
    fixed = spc.xmr(
        values, polarity="higher_is_better", settings=spc.SpcSettings(baseline_points=12)
    )
    assert fixed.mean == pytest.approx(50.0)
    assert fixed.upper_limit == pytest.approx(60.64)
    assert fixed.segments[0].baseline_end == 12
    assert fixed.baseline_labels == ("1", "12")
    assert fixed.latest_rules == ["outside"]
    # Without a fixed baseline every quarter counts, so the limits widen with the step.
    loose = spc.xmr(values, polarity="higher_is_better")
    assert loose.mean == pytest.approx((600 + 211) / 15)
    assert loose.segments[0].baseline_end == 15


def test_rebase_starts_new_limits_at_a_recorded_change() -> None:
    labels = [f"Q{i}" for i in range(20)]
    values = [48, 52] * 5 + [78, 82] * 5
    result = spc.xmr(
        values, labels=labels, polarity="higher_is_better", target=75, rebase_at=["Q10"]
    )
    assert [(s.start, s.end, s.rebased) for s in result.segments] == [
        (0, 10, False),
        (10, 20, True),
    ]
    assert result.rebase_labels == ["Q10"]
    # Per-point mean and limits step at the change; the headline limits are the latest segment's.
    assert result.point_mean[9] == pytest.approx(50) and result.point_mean[10] == pytest.approx(80)
    assert result.point_upper[:10] == [pytest.approx(60.64)] * 10
    assert result.mean == pytest.approx(80.0)
    assert result.lower_limit == pytest.approx(69.36)
    assert result.moving_ranges[10] is None  # no moving range across a change
    # Without the rebase the step is a shift and the limits straddle both processes.
    assert result.variation == spc.COMMON
    assert result.assurance == spc.HIT_AND_MISS
    plain = spc.xmr(values, labels=labels, polarity="higher_is_better", target=75)
    assert plain.variation == spc.IMPROVING
    assert "since the change in the process recorded at Q10" in spc.describe(result)


def test_rebase_at_a_missing_quarter_starts_at_the_next_figure() -> None:
    labels = ["Q1", "Q2", "Q3", "Q4", "Q5"]
    result = spc.xmr([1, 2, None, 4, 5], labels=labels, rebase_at=["Q3", "Q9"])
    assert [s.start for s in result.segments] == [0, 2]
    assert result.rebase_labels == ["Q4"]
    # A change at the first quarter is the series' own start, not a rebase.
    assert len(spc.xmr([1, 2, 3], labels=["a", "b", "c"], rebase_at=["a"]).segments) == 1


def test_a_change_at_the_latest_quarter_leaves_it_unjudged() -> None:
    labels = [f"Q{i}" for i in range(9)]
    result = spc.xmr(
        [48, 52] * 4 + [90], labels=labels, polarity="higher_is_better", target=60, rebase_at=["Q8"]
    )
    assert not result.enough_data
    assert result.variation == spc.NOT_ENOUGH
    assert result.upper_limit is None and result.mean == 90
    assert "1 quarter(s) since the change in the process recorded at Q8" in spc.describe(result)


def test_flat_baseline_has_limits_on_the_mean() -> None:
    # Every moving range 0: the reference's screening leaves no range (NaN limits); here the
    # limits sit on the mean so a target can still be judged.
    result = spc.xmr([100.0] * 12, polarity="higher_is_better", target=95)
    assert result.upper_limit == result.lower_limit == 100.0
    assert result.variation == spc.COMMON
    assert result.assurance == spc.PASSING


def test_reference_labels_per_point() -> None:
    result = spc.xmr([5, 15, 5, 15, 5, 15, 5, 15, 5, 60], polarity="lower_is_better")
    assert result.special_cause_types[-1] == "Above UCL"
    assert result.point_types[-1] == spc.POINT_CONCERN
    assert result.point_types[:-1] == [spc.POINT_COMMON] * 9
    assert result.point_rules(9) == ["outside"] and result.point_sides(9) == {"high"}
    assert result.point_rules(0) == [] and result.point_sides(0) == set()


def test_old_names_still_work() -> None:
    # Other modules import these; their values follow the reference now.
    assert (spc_rules.SHIFT_RUN, spc_rules.TREND_RUN, spc.MIN_POINTS) == (7, 7, 2)
    assert set(spc.RULE_NAMES) == {"outside", "trend", "two_of_three", "shift"}
    assert spc.xmr([48, 52] * 4, min_points=9).variation == spc.NOT_ENOUGH
    no_two = spc.xmr([10, 15, 11, 15, 10, 10, 10, 10], two_of_three=False)
    assert all(s.rule != "two_of_three" for s in no_two.signals)


# --- The chart (dashboard/components/charts.py) ---------------------------------------------


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _spc_spec(result: spc.XmRResult, unit: str = "count", target: float | None = None) -> dict:
    from dashboard.components import charts

    chart = charts.spc_chart(
        result, name="Contacts", unit=unit, polarity="higher_is_better", target=target
    )
    return chart.to_dict(validate=True)


def test_chart_y_axis_covers_data_limits_and_target_not_zero() -> None:
    # Limits around 836-911 must not sit in a thin band on a 0-1,000 axis (issue 14, item 6).
    values = [870, 880, 860, 875, 885, 865, 872, 878, 868, 874, 882, 866, 871]
    result = spc.xmr(values, polarity="higher_is_better", target=900)
    spec = _spc_spec(result, target=900)
    domains = {
        json.dumps(layer["encoding"]["y"]["scale"]["domain"])
        for layer in _layers(spec)
        if "y" in layer.get("encoding", {}) and "domain" in layer["encoding"]["y"].get("scale", {})
    }
    assert len(domains) == 1
    low, high = json.loads(domains.pop())
    assert low > 0
    assert low <= min(result.lower_limit, *values)
    assert high >= max(result.upper_limit, 900, *values)
    assert all(
        layer["encoding"]["y"]["scale"].get("zero") is False
        for layer in _layers(spec)
        if "scale" in layer.get("encoding", {}).get("y", {})
    )


def test_percentage_axis_stays_within_0_and_100() -> None:
    from dashboard.components import charts

    result = spc.xmr([97, 99, 98, 100, 96, 99, 98, 97], polarity="higher_is_better")
    low, high = charts.spc_domain(result, "percentage")
    assert 0 < low < 96 and high == 100


def test_chart_steps_at_a_rebase_and_marks_it() -> None:
    from dashboard.components import charts

    labels = [f"Q{i}" for i in range(20)]
    values = [48, 52] * 5 + [78, 82] * 5
    result = spc.xmr(values, labels=labels, polarity="higher_is_better", rebase_at=["Q10"])
    frame = charts.spc_frame(result, "higher_is_better", "count")
    assert frame["segment"].tolist() == [0] * 10 + [1] * 10
    assert frame.loc[9, "mean"] == pytest.approx(50) and frame.loc[10, "mean"] == pytest.approx(80)
    spec = _spc_spec(result)
    text = json.dumps(spec)
    assert charts.REBASE_MARK in text
    rules = [
        layer
        for layer in _layers(spec)
        if layer.get("mark", {}).get("type") == "rule"
        and layer.get("encoding", {}).get("x", {}).get("field") == "quarter"
    ]
    assert len(rules) == 1
    marks = spec["datasets"][rules[0]["data"]["name"]]
    assert marks == [{"quarter": "Q10", "mark": charts.REBASE_MARK}]
    # The mean and limits are drawn as one line per segment, so they step at the change.
    mean_layers = [
        layer
        for layer in _layers(spec)
        if layer.get("encoding", {}).get("y", {}).get("field") == "level"
        and layer.get("mark", {}).get("type") == "line"
    ]
    assert len(mean_layers) == 3
    assert all(layer["encoding"]["detail"]["field"] == "segment" for layer in mean_layers)


def test_chart_marks_the_end_of_a_fixed_baseline() -> None:
    from dashboard.components import charts

    labels = [f"Q{i}" for i in range(16)]
    settings = spc.SpcSettings(baseline_points=12)
    result = spc.xmr([48, 52] * 8, labels=labels, settings=settings)
    markers = charts.spc_markers(result)
    assert markers.to_dict("records") == [{"quarter": "Q11", "mark": charts.BASELINE_END_MARK}]
    assert charts.BASELINE_END_MARK in json.dumps(_spc_spec(result))
    assert charts.spc_markers(spc.xmr([48, 52] * 8, labels=labels)).empty


def test_chart_subtitle_warns_about_trial_limits() -> None:
    from dashboard.components import charts

    short = spc.xmr([48, 52] * 4, polarity="higher_is_better", target=40)
    assert "Trial limits: fewer than 13 quarters (8)" in charts.spc_subtitle(short)
    assert "Trial limits" not in charts.spc_subtitle(spc.xmr([48, 52] * 7))
    assert "Too few quarters" in charts.spc_subtitle(spc.xmr([48]))


# --- Assurance follows Making Data Count: no assurance from limits while the process changes ----

STABLE_HIGH = [95.2, 94.8, 95.6, 94.9, 95.1, 95.4, 94.7, 95.3, 95.0, 95.5, 94.6, 95.2, 95.1, 94.9]
STABLE_LOW = [70.2, 69.8, 70.6, 69.9, 70.1, 70.4, 69.7, 70.3, 70.0, 70.5, 69.6, 70.2, 70.1, 69.9]


def test_a_drop_below_target_with_special_cause_is_not_consistently_passing() -> None:
    # Issue 26: 79% against 90%, missing four quarters running, after a long stable history above
    # it. The limits (from all of the segment) still lie above 90: the old verdict was
    # "consistently passing" and "the target will be met consistently".
    values = [*STABLE_HIGH, 79.4, 78.8, 79.6, 79.1]
    result = spc.xmr(values, polarity="higher_is_better", target=90)
    assert result.variation == spc.CONCERNING
    assert result.limits_assurance == spc.PASSING  # what the old limits alone say
    assert result.assurance == spc.CHANGED
    text = spc.describe(result)
    assert "met consistently" not in text
    assert "The process has changed" in text and "record the change in the process" in text


def test_a_rise_above_target_with_special_cause_is_not_consistently_failing() -> None:
    values = [*STABLE_LOW, 96.1, 95.8, 96.4, 96.0]
    result = spc.xmr(values, polarity="higher_is_better", target=90)
    assert result.variation == spc.IMPROVING
    assert result.limits_assurance == spc.FAILING
    assert result.assurance == spc.CHANGED
    assert "will not be met" not in spc.describe(result)


def test_lower_is_better_follows_the_same_rule() -> None:
    # Re-referrals: stable at 10% against a 20% target, then four quarters at 31%.
    values = [10.0, 10.4, 9.8, 10.2] * 4 + [31.0, 30.6, 31.4, 30.9]
    result = spc.xmr(values, polarity="lower_is_better", target=20)
    assert result.variation == spc.CONCERNING
    assert result.limits_assurance == spc.PASSING
    assert result.assurance == spc.CHANGED


@pytest.mark.parametrize(
    ("rule", "values"),
    [
        ("shift", [10, 12] * 6 + [11.6, 11.4, 11.7, 11.3, 11.5, 11.6, 11.4]),
        ("trend", [10, 12] * 6 + [9.5, 9.9, 10.3, 10.7, 11.1, 11.5, 11.9]),
        ("two_of_three", [10, 12] * 8 + [15.5, 12.5, 15.5]),
    ],
)
def test_every_signal_at_the_latest_point_withholds_assurance(
    rule: str, values: list[float]
) -> None:
    # Not only a point beyond a limit: the latest point in a shift, a trend or a two-of-three.
    result = spc.xmr(values, polarity="higher_is_better", target=5)
    assert result.latest_rules == [rule]
    assert result.limits_assurance == spc.PASSING
    assert result.assurance == spc.CHANGED


def test_an_earlier_signal_leaves_the_limits_verdict_standing() -> None:
    # A one-off high quarter four quarters ago: the latest point is common cause again.
    result = spc.xmr([48, 52] * 4 + [80, 48, 52, 48, 52], polarity="higher_is_better", target=30)
    assert result.point_rule[8] == "outside"
    assert result.variation == spc.COMMON
    assert result.assurance == spc.PASSING


def test_recording_the_change_gives_assurance_from_the_new_limits() -> None:
    # What the words suggest: record the change at the first low quarter; the new limits (from
    # the four quarters since) lie below 90, so the verdict is consistently failing.
    values = [*STABLE_HIGH, 79.4, 78.8, 79.6, 79.1]
    labels = [f"Q{i}" for i in range(len(values))]
    result = spc.xmr(
        values, labels=labels, polarity="higher_is_better", target=90, rebase_at=["Q14"]
    )
    assert result.variation == spc.COMMON
    assert result.assurance == spc.FAILING


@pytest.mark.parametrize(
    ("limits", "special", "recent", "polarity", "expected"),
    [
        (spc.PASSING, True, [95, 96, 95], "higher_is_better", spc.CHANGED),
        (spc.HIT_AND_MISS, True, [95, 85, 95], "higher_is_better", spc.CHANGED),
        (spc.FAILING, True, [80, 81, 80], "higher_is_better", spc.CHANGED),
        # The figures overrule the limits: every recent figure missed (met) the target.
        (spc.PASSING, False, [85, 86, 84], "higher_is_better", spc.CHANGED),
        (spc.PASSING, False, [85, 86, 94], "higher_is_better", spc.PASSING),
        (spc.FAILING, False, [95, 96, 94], "higher_is_better", spc.CHANGED),
        (spc.FAILING, False, [85, 96, 94], "higher_is_better", spc.FAILING),
        (spc.PASSING, False, [95, 96], "lower_is_better", spc.CHANGED),
        (spc.HIT_AND_MISS, False, [85, 86, 84], "higher_is_better", spc.HIT_AND_MISS),
        # Nothing to withhold: no target, or too few points for limits.
        (spc.NO_TARGET, True, [85], "neutral", spc.NO_TARGET),
        (spc.NOT_ENOUGH, True, [85], "higher_is_better", spc.NOT_ENOUGH),
    ],
)
def test_assurance_verdict(
    limits: str, special: bool, recent: list[float], polarity: str, expected: str
) -> None:
    got = spc.assurance_verdict(
        limits, latest_special=special, recent=recent, target=90, polarity=polarity
    )
    assert got == expected


def test_the_guard_holds_with_a_fixed_baseline() -> None:
    # Limits fixed on the first 12 quarters; with the reference's own rules the three misses are
    # points beyond the lower limit, and the verdict is never "consistently passing".
    settings = spc.SpcSettings(baseline_points=12)
    values = [*STABLE_HIGH, 88.0, 87.5, 88.2]
    result = spc.xmr(values, polarity="higher_is_better", target=90, settings=settings)
    assert result.limits_assurance == spc.PASSING
    assert result.assurance != spc.PASSING
