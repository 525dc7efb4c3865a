"""NHSRplotthedots' own tests, snapshots and vignettes, translated to Python and run against spc.py.

The reference is the NHS-R community's R package NHSRplotthedots 0.2.2
(github.com/nhs-r-community/NHSRplotthedots, commit 050b07d). Each test names the R file it comes
from. Cases that only check R plumbing (mocked dplyr calls, S3 dispatch, crosstalk, plotting)
have nothing to translate; cases that mock a helper are translated by calling the matching
Python helper with the values the mock returned.

Data made in R with ``set.seed(123); rnorm(n)`` are written out below (R's Mersenne-Twister and
inversion normal generator, reproduced to the last digit; the snapshot means and limits confirm
them).
"""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from dashboard.metrics import spc, spc_rules

# set.seed(123); rnorm(24)
RNORM_123 = [
    -0.5604756465522126,
    -0.23017748948327996,
    1.558708314149124,
    0.070508391424576,
    0.12928773516094624,
    1.715064986883281,
    0.4609162059892023,
    -1.265061234606534,
    -0.6868528518935261,
    -0.44566197009995806,
    1.2240817974394615,
    0.3598138270573638,
    0.40077145059405217,
    0.1106827159451197,
    -0.5558411347540749,
    1.7869131368030782,
    0.4978504782292394,
    -1.9666171566296382,
    0.7013559015636855,
    -0.47279140772793404,
    -1.0678237059868452,
    -0.21797491465829513,
    -1.0260044483072397,
    -0.7288912292911403,
]
DATA = RNORM_123[:20]
REF = spc.REFERENCE_SETTINGS


def days(n: int, start: dt.date = dt.date(2020, 1, 1)) -> list[str]:
    """`as.Date("2020-01-01") + 1:n` as labels."""
    return [(start + dt.timedelta(days=i)).isoformat() for i in range(1, n + 1)]


def bools(values: list[int]) -> list[bool]:
    return [bool(v) for v in values]


# --- tests/testthat/test-ptd_calculate_point_type.R ---------------------------------------------


def test_seven_point_one_side_mean() -> None:
    # "ptd_seven_point_one_side_mean works as expected"
    assert spc_rules.run_ends([], 7) == []
    assert spc_rules.run_ends([1] * 6, 7) == [0] * 6
    assert spc_rules.run_ends([1] * 6 + [-1], 7) == [0] * 7
    assert spc_rules.run_ends([1] * 8 + [-1], 7) == [0, 0, 0, 0, 0, 0, 1, 1, 0]
    assert spc_rules.run_ends([-1] * 8 + [1], 7) == [0, 0, 0, 0, 0, 0, -1, -1, 0]


def test_part_of_seven_trend() -> None:
    # "ptd_part_of_seven_trend works as expected"
    assert spc_rules.part_of_run([], 7) == []
    assert spc_rules.part_of_run([0] * 6, 7) == bools([0] * 6)
    assert spc_rules.part_of_run([0] * 6 + [1, 0], 7) == bools([1] * 7 + [0])
    assert spc_rules.part_of_run([0] * 7 + [1, 0], 7) == bools([0] + [1] * 7 + [0])
    assert spc_rules.part_of_run([0] * 6 + [-1, 0], 7) == bools([1] * 7 + [0])
    assert spc_rules.part_of_run([0] * 7 + [-1, 0], 7) == bools([0] + [1] * 7 + [0])


def test_seven_point_trend() -> None:
    # "ptd_seven_point_trend works as expected"
    assert spc_rules.trend_ends([], 7) == []
    assert spc_rules.trend_ends(list(range(1, 7)), 7) == [0] * 6
    assert spc_rules.trend_ends([1, 2, 3, 3, 4, 5, 6], 7) == [0] * 7
    assert spc_rules.trend_ends(list(range(1, 8)), 7) == [0, 0, 0, 0, 0, 0, 1]
    assert spc_rules.trend_ends([2, *range(1, 8), 3], 7) == [0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert spc_rules.trend_ends(list(range(7, 0, -1)), 7) == [0, 0, 0, 0, 0, 0, -1]
    assert spc_rules.trend_ends([2, *range(7, 0, -1), 3], 7) == [0, 0, 0, 0, 0, 0, 0, -1, 0]


def test_two_in_three() -> None:
    # "ptd_two_in_three works as expected"
    assert spc_rules.two_in_three([], []) == []
    assert spc_rules.two_in_three(bools([0, 0, 0]), [0, 0, 0]) == bools([0, 0, 0])
    for close in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert spc_rules.two_in_three(bools(close), [1, 1, 1]) == bools([1, 1, 1])
    assert spc_rules.two_in_three(bools([0, 0, 1, 0, 1, 0, 0]), [1] * 7) == bools(
        [0, 0, 1, 1, 1, 0, 0]
    )
    assert spc_rules.two_in_three(bools([0, 0, 1, 1, 0, 0, 0]), [1] * 7) == bools(
        [0, 1, 1, 1, 1, 0, 0]
    )


def test_two_in_three_on_opposite_sides_of_the_mean() -> None:
    # "ptd_two_in_three works as expected when points are on opposite sides of the mean"
    for close in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert spc_rules.two_in_three(bools(close), [1, -1, 1]) == [False] * 3
    assert (
        spc_rules.two_in_three(bools([0, 0, 1, 0, 1, 0, 0]), [1, -1, 1, -1, 1, -1, 1])
        == [False] * 7
    )
    assert (
        spc_rules.two_in_three(bools([0, 0, 1, 1, 0, 0, 0]), [-1, 1, -1, 1, -1, 1, -1])
        == [False] * 7
    )


@pytest.mark.parametrize(
    ("close", "expected"),
    [
        ([1, 0, 1], [1, 0, 1]),
        ([0, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ],
)
def test_part_of_two_in_three(close: list[int], expected: list[int]) -> None:
    # "ptd_part_of_two_in_three works as expected": only the points near a limit are flagged.
    near = bools(close)
    hits = spc_rules.two_in_three(near, [1] * len(close))
    assert [h and c for h, c in zip(hits, near, strict=True)] == bools(expected)


def test_special_cause_type_priority() -> None:
    # "ptd_special_cause_type works as expected": the mocks' return values become the flags.
    # part_of_seven_trend (trend) c(1, -1, 0, ...); part_of_seven_trend (shift) c(0, 0, 1, -1, ...);
    # part_of_two_in_three c(0, 0, 0, 0, 1, 0, 0, 0); outside_limits c(0, 0, 0, 0, 0, 1, -1, 0).
    types = spc_rules.special_cause_types(
        list(range(1, 9)),
        [1, 1, 1, 1, -1, -1, -1, -1],
        in_trend=bools([1, -1, 0, 0, 0, 0, 0, 0]),
        in_two_of_three=bools([0, 0, 0, 0, 1, 0, 0, 0]),
        in_shift=bools([0, 0, 1, -1, 0, 0, 0, 0]),
        outside=bools([0, 0, 0, 0, 0, 1, -1, 0]),
    )
    assert types == [
        "7 Point Trend (Increasing)",
        "7 Point Trend (Increasing)",
        "7 Points Above CL",
        "7 Points Above CL",
        "2 in 3 Below CL",
        "Below LCL",
        "Below LCL",
        "Common Cause",
    ]


def test_special_cause_type_priority_when_every_rule_fires() -> None:
    # The same case_when, with every flag set on one point: outside wins, then trend, then 2 in 3.
    one = [True]
    assert spc_rules.special_cause_types([5], [1], one, one, one, one) == ["Above UCL"]
    assert (
        spc_rules.special_cause_types(
            [4, 5], [1, 1], [True] * 2, [True] * 2, [True] * 2, [False] * 2
        )
        == ["7 Point Trend (Increasing)"] * 2
    )
    assert spc_rules.special_cause_types([5], [-1], [False], one, one, [False]) == [
        "2 in 3 Below CL"
    ]


@pytest.mark.parametrize(
    ("special_cause_type", "polarity", "expected"),
    [
        ("Above UCL", "higher_is_better", spc.POINT_IMPROVEMENT),
        ("Above UCL", "lower_is_better", spc.POINT_CONCERN),
        ("Below LCL", "higher_is_better", spc.POINT_CONCERN),
        ("7 Point Trend (Increasing)", "higher_is_better", spc.POINT_IMPROVEMENT),
        ("7 Point Trend (Decreasing)", "lower_is_better", spc.POINT_IMPROVEMENT),
        ("2 in 3 Below CL", "lower_is_better", spc.POINT_IMPROVEMENT),
        ("7 Points Above CL", "neutral", spc.POINT_NEUTRAL_HIGH),
        ("7 Points Below CL", "neutral", spc.POINT_NEUTRAL_LOW),
        ("Common Cause", "higher_is_better", spc.POINT_COMMON),
        ("Common Cause", "neutral", spc.POINT_COMMON),
    ],
)
def test_point_type(special_cause_type: str, polarity: str, expected: str) -> None:
    # ptd_point_type (R/ptd_calculate_point_type.R): side x improvement direction.
    assert spc.point_type(special_cause_type, polarity) == expected


# --- tests/testthat/test-ptd_spc_standard.R and _snaps/ptd_spc_standard.md ----------------------


def test_snapshot_r1_limits_and_sides() -> None:
    # "it returns expected values": r1 (screen_outliers = TRUE, no outlier present).
    result = spc.xmr(DATA, labels=days(20), settings=REF)
    assert result.mean == pytest.approx(0.1416238, abs=1e-7)
    assert result.lower_limit == pytest.approx(-3.01138, abs=1e-5)
    assert result.upper_limit == pytest.approx(3.294627, abs=1e-6)
    relative = [1 if y > result.mean else -1 for y in DATA]
    assert relative[:15] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    assert result.point_types == [spc.POINT_COMMON] * 20


def test_snapshot_r2_r3_outlier_screening() -> None:
    # r2: y[15] <- 10 with screening; r3: the same without (the snapshot's r2 and r3).
    data = list(DATA)
    data[14] = 10
    screened = spc.xmr(data, settings=REF)
    unscreened = spc.xmr(data, settings=spc.SpcSettings(screen_outliers=False))
    plain = spc.xmr(DATA, settings=REF)
    assert screened.mean == pytest.approx(0.6694159, abs=1e-7)
    assert screened.lower_limit == pytest.approx(-2.383666, abs=1e-6)
    assert screened.upper_limit == pytest.approx(3.722497, abs=1e-6)
    assert unscreened.mean == pytest.approx(0.6694159, abs=1e-7)
    assert unscreened.lower_limit == pytest.approx(-4.596625, abs=1e-6)
    assert unscreened.upper_limit == pytest.approx(5.935457, abs=1e-6)
    # The moving ranges into and out of the 10 are the ones screened out.
    assert screened.segments[0].screened_out == (14, 15)
    # "check that we have different limits for all of the results"
    limits = {(r.lower_limit, r.upper_limit) for r in (plain, screened, unscreened)}
    assert len(limits) == 3
    width = [r.upper_limit - r.lower_limit for r in (screened, unscreened)]
    assert width[1] > width[0]


def test_rebase_group() -> None:
    # "it sets the rebase_group field": a rebase at row 11 gives groups 0 x 10 and 1 x 10.
    labels = days(20)
    result = spc.xmr(DATA, labels=labels, settings=REF, rebase_at=[labels[10]])
    assert [(s.start, s.end) for s in result.segments] == [(0, 10), (10, 20)]
    assert result.segments[1].rebased and not result.segments[0].rebased
    # Each group has its own limits: the same as charting each half on its own.
    first, second = spc.xmr(DATA[:10], settings=REF), spc.xmr(DATA[10:], settings=REF)
    assert result.point_upper[:10] == [first.upper_limit] * 10
    assert result.point_upper[10:] == [second.upper_limit] * 10
    assert result.upper_limit == second.upper_limit
    assert spc.xmr(DATA, labels=labels, settings=REF).segments[0].end == 20


def test_fix_after_n_points_changes_the_limits() -> None:
    # "setting fix_after_n_points changes the calculations"
    everything = spc.xmr(DATA, settings=REF)
    fixed = spc.xmr(DATA, settings=spc.SpcSettings(baseline_points=12))
    assert fixed.lower_limit != everything.lower_limit
    assert fixed.upper_limit != everything.upper_limit
    # The fixed mean and MR-bar are those of the first 12 points (no outlier among them).
    first = DATA[:12]
    ranges = [abs(b - a) for a, b in zip(first, first[1:], strict=False)]
    assert fixed.mean == pytest.approx(statistics.fmean(first))
    assert fixed.upper_limit == pytest.approx(
        statistics.fmean(first) + 2.66 * statistics.fmean(ranges)
    )
    assert fixed.segments[0].baseline_end == 12 and fixed.segments[0].end == 20


def test_two_of_three_needs_the_same_side_of_the_mean() -> None:
    # "it only reports special cause for 2of3 points close to limits when they are on the same
    # side of the mean"
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    result = spc.xmr(data, labels=days(16), settings=REF, polarity="higher_is_better")
    assert result.point_types[-2:] == [spc.POINT_COMMON, spc.POINT_COMMON]


# --- tests/testthat/test-ptd_spc.R and _snaps/ptd_spc.md (summary output) ------------------------


def test_summary_snapshot_one_group() -> None:
    # s1 and "summary with a target": mean 0.142, lpl -3.01, upl 3.29, n 20, all common cause.
    result = spc.xmr(DATA, labels=days(20), settings=REF, polarity="higher_is_better", target=0.5)
    assert round(result.mean, 3) == 0.142
    assert round(result.lower_limit, 2) == -3.01
    assert round(result.upper_limit, 2) == 3.29
    assert result.point_types.count(spc.POINT_COMMON) == 20
    assert result.variation == spc.COMMON
    assert spc.REFERENCE_ASSURANCE[result.limits_assurance] == "inconsistent"
    assert not result.short_warning


def test_summary_snapshot_rebase_date_not_in_the_data() -> None:
    # s2: rebase = 2020-01-01, a day before the first point: one group, as without a rebase.
    result = spc.xmr(DATA, labels=days(20), settings=REF, rebase_at=["2020-01-01"])
    assert len(result.segments) == 1
    assert round(result.mean, 3) == 0.142 and round(result.upper_limit, 2) == 3.29


@pytest.mark.parametrize(
    ("part", "mean", "lower", "upper"),
    [(slice(0, 10), 0.0746, -2.60, 2.75), (slice(10, 20), 0.209, -3.28, 3.70)],
)
def test_summary_snapshot_facets(part: slice, mean: float, lower: float, upper: float) -> None:
    # s3/s4: facet 0 and facet 1 (ten points each), each with its own limits, all common cause.
    result = spc.xmr(DATA[part], settings=REF)
    assert round(result.mean, 4 if mean < 0.1 else 3) == mean
    assert round(result.lower_limit, 2) == lower
    assert round(result.upper_limit, 2) == upper
    assert result.point_types == [spc.POINT_COMMON] * 10
    assert result.short_warning  # ten points: the reference warns (suppressWarnings in the test)


# --- tests/testthat/test-geom_ptd_icon.R (ptd_get_icons) -----------------------------------------


def test_icons_for_24_points() -> None:
    # "ptd_get_icons transforms the data correctly": common cause; with target 0.5, inconsistent.
    result = spc.xmr(RNORM_123, settings=REF, polarity="higher_is_better")
    assert result.variation == spc.COMMON
    with_target = spc.xmr(RNORM_123, settings=REF, polarity="higher_is_better", target=0.5)
    assert spc.REFERENCE_ASSURANCE[with_target.limits_assurance] == "inconsistent"
    for part in (RNORM_123[:12], RNORM_123[12:]):  # facet = rep(0:1, each = 12)
        faceted = spc.xmr(part, settings=REF, polarity="higher_is_better", target=0.5)
        assert faceted.variation == spc.COMMON
        assert spc.REFERENCE_ASSURANCE[faceted.limits_assurance] == "inconsistent"


# --- tests/testthat/test-ptd_calculate_assurance_type.R ------------------------------------------
# The reference's assurance_type is what the limits say (XmRResult.limits_assurance). It has no
# type for a process that has just changed: the verdict shown (XmRResult.assurance) adds Making
# Data Count's "assurance describes a stable process" on top (spc.assurance_verdict), tested in
# test_metrics_spc.py. In the reference's cases below the latest point is common cause, so both
# agree.


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("higher_is_better", ["consistent_fail", "consistent_pass", "inconsistent"]),
        ("lower_is_better", ["consistent_pass", "consistent_fail", "inconsistent"]),
    ],
)
def test_assurance_type(polarity: str, expected: list[str]) -> None:
    # lpl c(1, 5, 1), upl c(3, 7, 5), target 4.
    got = [
        spc.REFERENCE_ASSURANCE[spc.assurance_label(upper, lower, 4, polarity)]
        for lower, upper in ((1, 3), (5, 7), (1, 5))
    ]
    assert got == expected


def test_assurance_type_neutral_or_no_target() -> None:
    # "...when improvement_direction is neutral" and "...if there is no target": NA.
    assert spc.assurance_label(3, 1, 4, "neutral") == spc.NO_TARGET
    assert spc.assurance_label(3, 1, None, "higher_is_better") == spc.NO_TARGET


def test_assurance_uses_the_latest_group() -> None:
    # "it returns correct values for assurance when rebase": the last row (latest group) decides.
    base = [10.0, 12.0] * 7
    high = [20.0, 22.0] * 7  # limits 15.68 .. 26.32 after the change
    labels = [f"Q{i}" for i in range(28)]
    result = spc.xmr(
        base + high, labels=labels, polarity="lower_is_better", target=14, rebase_at=["Q14"]
    )
    assert result.lower_limit == pytest.approx(21 - 2.66 * 2)
    assert spc.REFERENCE_ASSURANCE[result.limits_assurance] == "consistent_fail"
    before = spc.xmr(base, polarity="lower_is_better", target=14)
    assert spc.REFERENCE_ASSURANCE[before.limits_assurance] == "inconsistent"
    assert (
        result.assurance == result.limits_assurance and before.assurance == before.limits_assurance
    )


# --- tests/testthat/test-ptd_add_short_group_warnings.R ------------------------------------------


@pytest.mark.parametrize(("n", "warned"), [(11, True), (12, False), (20, False)])
def test_short_group_warning_at_a_threshold_of_12(n: int, warned: bool) -> None:
    settings = spc.SpcSettings(warning_points=12)
    assert spc.xmr(RNORM_123[:n], settings=settings).short_warning is warned


def test_short_group_warning_default_threshold_is_13() -> None:
    # getOption("ptd_spc.warning_threshold", 13)
    assert spc.xmr(RNORM_123[:12], settings=REF).short_warning
    assert not spc.xmr(RNORM_123[:13], settings=REF).short_warning


def test_short_group_warning_per_rebase_group() -> None:
    # "it handles facets and rebase groups - warning on one facet": groups of 35, 5, 20 and 20.
    settings = spc.SpcSettings(warning_points=12)
    values = [float(i % 5) for i in range(80)]
    labels = [f"P{i}" for i in range(80)]
    result = spc.xmr(values, labels=labels, settings=settings, rebase_at=["P35", "P40", "P60"])
    assert [s.size for s in result.segments] == [35, 5, 20, 20]
    assert [s.short(settings) for s in result.segments] == [False, True, False, False]
    assert not result.short_warning  # the latest group has 20 points


# --- tests/testthat/test-ptd_add_rebase_column.R --------------------------------------------------


def test_rebase_dates_start_new_groups() -> None:
    # "it correctly sets rebase column when a date vector is passed": rebases on 2020-01-03 and
    # 2020-01-08 among 2020-01-02 .. 2020-01-11 mark rows 2 and 7.
    labels = days(10)
    result = spc.xmr(RNORM_123[:10], labels=labels, rebase_at=["2020-01-03", "2020-01-08"])
    assert [s.start for s in result.segments] == [0, 1, 6]
    assert result.rebase_labels == ["2020-01-03", "2020-01-08"]
    assert [s.start for s in spc.xmr(RNORM_123[:10], labels=labels).segments] == [0]


# --- tests/testthat/test-ptd_spc_options.R --------------------------------------------------------


def test_fix_after_n_points_must_be_at_least_12() -> None:
    with pytest.raises(ValueError, match="at least 12"):
        spc.SpcSettings(baseline_points=11)
    assert spc.SpcSettings(baseline_points=12).baseline_points == 12


def test_defaults_are_the_references() -> None:
    # ptd_spc(): fix_after_n_points = NULL, screen_outliers = TRUE; 7-point rules; threshold 13.
    assert spc.DEFAULT_SETTINGS == spc.REFERENCE_SETTINGS


# --- vignettes/deviations.Rmd: "Treatment of outlying points" -------------------------------------

DEVIATIONS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def test_vignette_screened_outliers() -> None:
    # "R Package Default": UPL 4.6, mean 1.94, LPL -0.72; point 5 special cause improvement.
    result = spc.xmr(DEVIATIONS, labels=days(18, dt.date(2021, 3, 21)), polarity="higher_is_better")
    assert round(result.upper_limit, 2) == 4.6
    assert round(result.mean, 2) == 1.94
    assert round(result.lower_limit, 2) == -0.72
    expected = [spc.POINT_COMMON] * 18
    expected[4] = spc.POINT_IMPROVEMENT
    assert result.point_types == expected


def test_vignette_excel_without_screening() -> None:
    # "Over-riding to replicate Making Data Count Excel output": UPL 6.95, LPL -3.06.
    result = spc.xmr(
        DEVIATIONS, polarity="higher_is_better", settings=spc.SpcSettings(screen_outliers=False)
    )
    assert round(result.upper_limit, 2) == 6.95
    assert round(result.mean, 2) == 1.94
    assert round(result.lower_limit, 2) == -3.06
    assert result.point_types[4] == spc.POINT_IMPROVEMENT


def test_vignette_rebase_gives_three_groups_with_trial_limits() -> None:
    # "Breaking of lines": 36 monthly points rebased at 2017-04-01 and 2018-04-01 -> three groups
    # of 12, each with its own limits and a trial-limit warning (fewer than 13 points).
    months = [f"{2016 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}-01" for m in range(36)]
    values = [float(v) for v in RNORM_123[:12] * 3]
    result = spc.xmr(values, labels=months, rebase_at=["2017-04-01", "2018-04-01"])
    assert [(s.start, s.end) for s in result.segments] == [(0, 12), (12, 24), (24, 36)]
    assert all(s.short(result.settings) for s in result.segments)
    assert result.short_warning


# --- NEWS.md 0.2.2 bug fixes ---------------------------------------------------------------------


def test_trend_crossing_the_mean_is_a_trend_in_both_directions() -> None:
    # Issues #167 and #171: a 7-point trend crossing the mean is a trend (not a shift), coloured
    # by its direction whether it rises or falls.
    flat = [8.0, 12.0] * 5
    rising = flat + [7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0]
    result = spc.xmr(rising, polarity="higher_is_better")
    assert result.special_cause_types[-7:] == ["7 Point Trend (Increasing)"] * 7
    assert result.point_types[-7:] == [spc.POINT_IMPROVEMENT] * 7
    falling = flat + [14.0, 13.0, 12.0, 11.0, 10.0, 9.0, 8.0]
    result = spc.xmr(falling, polarity="higher_is_better")
    assert result.special_cause_types[-7:] == ["7 Point Trend (Decreasing)"] * 7
    assert result.point_types[-7:] == [spc.POINT_CONCERN] * 7


def test_trend_direction_is_read_from_the_neighbour_as_the_reference_does() -> None:
    # ptd_special_cause_type's `sdy`: a trend point takes the direction of the step to the next
    # point when that point is in a trend too. Where a rising trend meets a falling one across
    # two equal points, the top of the rising trend is therefore labelled "Decreasing" - an edge
    # the reference has and this module reproduces rather than silently differing from it.
    wide = [0.0, 8.0] * 3  # wide limits, so no point of the trends is outside them
    values = [*wide, 1.0, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1]
    result = spc.xmr(values, settings=spc.SpcSettings(screen_outliers=False))
    assert result.special_cause_types[:6] == ["Common Cause"] * 6
    assert result.special_cause_types[6:12] == ["7 Point Trend (Increasing)"] * 6
    assert result.special_cause_types[12] == "7 Point Trend (Decreasing)"  # the first 7
    assert result.special_cause_types[13:] == ["7 Point Trend (Decreasing)"] * 7
