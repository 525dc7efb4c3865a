"""XmR statistical process control charts, computed as NHSRplotthedots computes them.

NHS England's "Making Data Count" (MDC) has a reference implementation in R, the NHS-R
community's package NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots, version 0.2.2).
This module follows its code; the file each rule comes from is named below, and
``tests/dashboard/test_spc_reference.py`` runs the package's own unit-test, snapshot and vignette
cases against this module.

Which quarters set the limits (the baseline)
--------------------------------------------
A series is cut into *segments*: the first starts at the series' first quarter, and each
recorded change in the process (``rebase_at``, kept in the ``spc_process_change`` table) starts a
new one (``ptd_add_rebase_column.R``; ``rebase_group`` in ``ptd_spc_standard.R``). Within each
segment the mean and the limits come from the segment's *baseline*: its first
``SpcSettings.baseline_points`` quarters, or, when that is ``None`` (the reference's default,
``fix_after_n_points = NULL``), all of the segment's quarters up to the quarter being judged.
Callers must therefore pass an indicator's whole history up to the quarter being judged, never a
display window: the limits are then the same on every screen.

For a segment's baseline x1..xk:

* mean = average of the points; moving ranges MR_i = |x_i - x_(i-1)| (i >= 2);
* outlier screening (``SpcSettings.screen_outliers``, on by default as in the reference; the MDC
  Excel tool does not screen, see the reference's "deviations" vignette): moving ranges of
  3.267 x MR-bar or more are dropped and MR-bar is recomputed from the rest (Nelson 1982);
* process limits = mean +/- 2.66 x MR-bar; "near a limit" = beyond mean +/- (2 x 2.66 / 3) x MR-bar.

Signals (``ptd_calculate_point_type.R``; its rule helpers are in ``spc_rules``), judged within a
segment against its own limits:

* ``outside`` - a point strictly above the upper or below the lower process limit.
* ``trend`` - ``trend_run`` (7, the reference's fixed length; the MDC Excel tool lets you
  choose 6 or 7) or more points in a row each strictly higher (or lower) than the one before.
  Equal neighbours break a trend. A trend point's direction is read from its neighbour within the
  trend, as the reference reads it.
* ``two_of_three`` - two of three consecutive points near a limit (beyond two-thirds of the way
  from the mean to a limit, but not beyond the limit) with *all three* points strictly on the same
  side of the mean. Only the points near the limit are flagged; a point beyond a limit counts as
  the third point but not as one of the two.
* ``shift`` - ``shift_run`` (7) or more points in a row strictly on one side of the mean; a point
  on the mean breaks the run.

A point that carries several signals is labelled by the first in this priority order:
outside > trend > two-of-three > shift (``ptd_special_cause_type``'s ``case_when``). Its side
(above/increasing or below/decreasing) and the indicator's polarity then make it "improving" or
"concerning" (neutral polarity: "special cause (neither improving nor concerning)"). The variation
label describes the latest point, as the MDC icons do.

Assurance (``ptd_calculate_assurance_type.R``) compares the target with the latest segment's
limits: a target outside the limits on the favourable side means the process will "consistently
pass"; on the unfavourable side it will "consistently fail"; between or on a limit, "hit and miss".
That comparison is kept as ``XmRResult.limits_assurance`` (the reference's ``assurance_type``).

The verdict every surface shows (``XmRResult.assurance``, from ``assurance_verdict``) follows
Making Data Count's guidance that assurance describes a *stable* process, which the reference
package leaves to its user:

* **Latest point special cause -> "no assurance: process has changed".** When the latest point
  carries a signal (it is beyond a limit, or part of a trend, a two-of-three or a shift, exactly
  as its variation label says: improving, concerning or neither), the process has changed and
  limits computed before the change say nothing about meeting the target; the words suggest
  recording the change so the limits are recalculated from the new level.
* **The figures overrule the limits.** Never "consistently passing" when each of the latest
  segment's last ``RECENT_POINTS`` (3) figures (fewer if the segment is shorter) missed the
  target, nor "consistently failing" when each met it; the process has changed then too. (With
  limits from the whole segment a miss below a passing limit is itself a point beyond the limit,
  so this guard matters for fixed baselines and other paths to the same verdict.)

How few points (``ptd_add_short_group_warnings.R``): the reference computes limits and signals for
any number of points and warns when a segment has fewer than 13 (``ptd_spc.warning_threshold``);
so does this module (``XmRResult.short_warning``). Below two points in the latest segment there
are no limits, and both labels say "not enough data".

Deviations from the reference, on inputs it does not handle:

* Missing values are dropped with their labels (the reference expects no gaps).
* A flat baseline (every moving range 0) gives limits equal to the mean; the reference's screening
  then drops every moving range and its limits are undefined (NaN).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard.metrics.rag import as_number, meets_target
from dashboard.metrics.spc_rules import (
    SHIFT_RUN,
    TREND_RUN,
    part_of_run,
    rule_of_type,
    run_ends,
    runs_from_ends,
    sign,
    special_cause_types,
    trend_ends,
    two_in_three,
    two_in_three_windows,
)

# The 2.66 factor is 3 / d2 (d2 = 1.128 for moving ranges of two points): three sigma.
LIMIT_FACTOR = 2.66
# "Near a limit" for the two-of-three rule: two sigma (ptd_spc_standard.R's `limitclose`).
NEAR_FACTOR = 2 * (LIMIT_FACTOR / 3)
# D4 for n = 2: a moving range this many times MR-bar or more is screened out as an outlier.
SCREEN_FACTOR = 3.267
# The reference's short-group threshold (its run lengths are in spc_rules).
WARNING_POINTS = 13
# The reference's ptd_spc_options() refuses to fix the limits on fewer than 12 points.
MIN_BASELINE_POINTS = 12
# Process limits need at least one moving range.
MIN_POINTS = 2

IMPROVING = "improving special cause"
CONCERNING = "concerning special cause"
NEITHER = "special cause (neither improving nor concerning)"
COMMON = "common cause"
NOT_ENOUGH = "not enough data"
PASSING = "consistently passing"
FAILING = "consistently failing"
HIT_AND_MISS = "hit and miss"
NO_TARGET = "no target"
# Special cause at the latest point: limits from before the change cannot give assurance.
CHANGED = "no assurance: process has changed"
# The verdicts that claim something about meeting the target from the limits.
LIMIT_VERDICTS = (PASSING, FAILING, HIT_AND_MISS)
# How many of the latest figures must all miss (meet) the target to overrule "passing" ("failing").
RECENT_POINTS = 3

# The reference's point_type values (ptd_point_type in ptd_calculate_point_type.R).
POINT_COMMON = "common_cause"
POINT_IMPROVEMENT = "special_cause_improvement"
POINT_CONCERN = "special_cause_concern"
POINT_NEUTRAL_HIGH = "special_cause_neutral_high"
POINT_NEUTRAL_LOW = "special_cause_neutral_low"
# The reference's assurance_type values, keyed by this module's labels.
REFERENCE_ASSURANCE = {
    PASSING: "consistent_pass",
    FAILING: "consistent_fail",
    HIT_AND_MISS: "inconsistent",
}
POLARITY_DIRECTION = {"higher_is_better": 1, "lower_is_better": -1, "neutral": 0}


@dataclass(frozen=True)
class SpcSettings:
    """The choices behind every control chart; the defaults are the reference's defaults.

    trend_run: points in a row rising (or falling) that make a trend; 7 in the reference, and
        the MDC Excel tool lets you choose 6 or 7.
    shift_run: points in a row on one side of the mean that make a shift (7 in both tools).
    screen_outliers: drop moving ranges of 3.267 x MR-bar or more before computing the limits
        (the reference screens by default; the MDC Excel tool does not).
    baseline_points: fix each segment's mean and limits on its first N points (the reference's
        ``fix_after_n_points``, at least 12); None uses all of the segment's points.
    warning_points: a segment with fewer points than this has trial limits and a warning.
    """

    trend_run: int = TREND_RUN
    shift_run: int = SHIFT_RUN
    screen_outliers: bool = True
    baseline_points: int | None = None
    warning_points: int = WARNING_POINTS

    def __post_init__(self) -> None:
        if self.trend_run < 3:
            raise ValueError("A trend needs at least 3 points in a row (6 or 7 is usual).")
        if self.shift_run < 3:
            raise ValueError("A shift needs at least 3 points in a row (7 is usual).")
        if self.baseline_points is not None and self.baseline_points < MIN_BASELINE_POINTS:
            raise ValueError(
                f"A baseline must have at least {MIN_BASELINE_POINTS} points, as in the "
                f"reference's fix_after_n_points; got {self.baseline_points}."
            )
        if self.warning_points < 0:
            raise ValueError("warning_points cannot be negative.")

    def describe(self) -> str:
        """The settings in words, for the page that shows a chart."""
        baseline = (
            f"the first {self.baseline_points} quarters of each period between recorded changes"
            if self.baseline_points
            else "every quarter since the series began or since the latest recorded change"
        )
        screening = (
            "unusually large quarter-to-quarter jumps (3.267 × the average moving range or more) "
            "are left out of the limits"
            if self.screen_outliers
            else "every quarter-to-quarter jump counts towards the limits"
        )
        return (
            f"Average and process limits from {baseline}; {screening}. Signals: a point outside "
            f"the limits; {self.trend_run} quarters in a row rising or falling; two of three "
            f"quarters near a limit on the same side of the average; {self.shift_run} quarters "
            f"in a row on one side of the average (in that order of priority). Fewer than "
            f"{self.warning_points} quarters give trial limits."
        )


DEFAULT_SETTINGS = SpcSettings()
# The settings the reference package uses when called with its defaults.
REFERENCE_SETTINGS = SpcSettings(
    trend_run=7, shift_run=7, screen_outliers=True, baseline_points=None, warning_points=13
)


def rule_names(settings: SpcSettings = DEFAULT_SETTINGS) -> dict[str, str]:
    """Plain names for the rules, in priority order."""
    return {
        "outside": "a point outside the process limits",
        "trend": f"{settings.trend_run} or more points in a row going the same way",
        "two_of_three": "two of three points close to a process limit",
        "shift": f"{settings.shift_run} or more points in a row on one side of the average",
    }


RULE_NAMES = rule_names()


@dataclass(frozen=True)
class Signal:
    """One signal: which rule, which side of the mean, and the point indices it covers."""

    rule: str
    side: str  # "high" or "low"
    points: tuple[int, ...]


@dataclass(frozen=True)
class Segment:
    """Points ``start``..``end - 1`` share one mean and one pair of limits.

    The baseline is points ``start``..``baseline_end - 1``; ``rebased`` says the segment starts at
    a recorded change in the process rather than at the start of the series.
    """

    start: int
    end: int
    baseline_end: int
    rebased: bool
    mean: float
    mr_bar: float | None
    upper_limit: float | None
    lower_limit: float | None
    screened_out: tuple[int, ...] = ()  # points whose moving range was screened out

    @property
    def size(self) -> int:
        return self.end - self.start

    def short(self, settings: SpcSettings) -> bool:
        return self.size < settings.warning_points


@dataclass
class XmRResult:
    """An XmR chart: the points used, segments and limits, per-point verdicts and labels.

    ``mean``, ``mr_bar``, ``upper_limit`` and ``lower_limit`` are the latest segment's; the
    ``point_*`` lists give each point's own (so a chart can draw steps at a rebase).
    """

    values: list[float]
    labels: list[str]
    settings: SpcSettings = DEFAULT_SETTINGS
    mean: float | None = None
    moving_ranges: list[float | None] = field(default_factory=list)
    mr_bar: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    segments: list[Segment] = field(default_factory=list)
    point_mean: list[float | None] = field(default_factory=list)
    point_upper: list[float | None] = field(default_factory=list)
    point_lower: list[float | None] = field(default_factory=list)
    # The reference's special_cause_type text ("Above UCL", "2 in 3 Below CL"...) and point_type.
    special_cause_types: list[str] = field(default_factory=list)
    point_types: list[str] = field(default_factory=list)
    # The winning rule and side of each point (None for common cause).
    point_rule: list[str | None] = field(default_factory=list)
    point_side: list[str | None] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    variation: str = NOT_ENOUGH
    # What the limits alone say (the reference's assurance_type) and the verdict shown, which
    # withholds assurance while the latest point shows special cause (assurance_verdict).
    limits_assurance: str = NOT_ENOUGH
    assurance: str = NOT_ENOUGH
    enough_data: bool = False
    short_warning: bool = False
    rebase_labels: list[str] = field(default_factory=list)

    def point_sides(self, index: int) -> set[str]:
        """The side of the signal that labels point `index` (empty for common cause)."""
        side = self.point_side[index] if index < len(self.point_side) else None
        return {side} if side else set()

    def point_rules(self, index: int) -> list[str]:
        """The rule that labels point `index` (the highest-priority one), or []."""
        rule = self.point_rule[index] if index < len(self.point_rule) else None
        return [rule] if rule else []

    @property
    def latest_rules(self) -> list[str]:
        return self.point_rules(len(self.values) - 1) if self.values else []

    @property
    def latest_segment(self) -> Segment | None:
        return self.segments[-1] if self.segments else None

    def segment_of(self, index: int) -> Segment | None:
        return next((s for s in self.segments if s.start <= index < s.end), None)

    @property
    def baseline_labels(self) -> tuple[str, str] | None:
        """First and last quarter of the latest segment's baseline."""
        seg = self.latest_segment
        if seg is None:
            return None
        return self.labels[seg.start], self.labels[seg.baseline_end - 1]


@dataclass
class _SegmentVerdicts:
    types: list[str]
    rules: list[str | None]
    sides: list[str | None]
    signals: list[Signal]


def _judge_segment(
    values: list[float],
    mean: float,
    upper: float | None,
    lower: float | None,
    mr_bar: float | None,
    settings: SpcSettings,
    *,
    use_two_of_three: bool,
) -> _SegmentVerdicts:
    """ptd_spc_standard's flags and ptd_special_cause_type for one segment (indices local)."""
    n = len(values)
    relative = [sign(y - mean) for y in values]
    if upper is None or lower is None or mr_bar is None:
        outside = [False] * n
        close = [False] * n
    else:
        near_upper, near_lower = mean + NEAR_FACTOR * mr_bar, mean - NEAR_FACTOR * mr_bar
        outside = [y > upper or y < lower for y in values]
        close = [
            not out and (y < near_lower or y > near_upper)
            for y, out in zip(values, outside, strict=True)
        ]
    trend_run, shift_run = settings.trend_run, settings.shift_run
    trends = trend_ends(values, trend_run)
    shifts = run_ends(relative, shift_run)
    in_trend = part_of_run(trends, trend_run)
    in_shift = part_of_run(shifts, shift_run)
    in_two_of_three = (
        [hit and near for hit, near in zip(two_in_three(close, relative), close, strict=True)]
        if use_two_of_three
        else [False] * n
    )
    types = special_cause_types(
        values,
        relative,
        in_trend,
        in_two_of_three,
        in_shift,
        outside,
        trend_run=trend_run,
        shift_run=shift_run,
    )
    rules: list[str | None] = []
    sides: list[str | None] = []
    for kind in types:
        rule = rule_of_type(kind)
        rules.append(rule)
        high = "Above" in kind or "Increasing" in kind
        sides.append(None if rule is None else "high" if high else "low")

    signals: list[Signal] = []
    for i, out in enumerate(outside):
        if out:
            signals.append(Signal("outside", "high" if relative[i] == 1 else "low", (i,)))
    for direction, points in runs_from_ends(trends, trend_run):
        signals.append(Signal("trend", "high" if direction > 0 else "low", points))
    if use_two_of_three:
        # Overlapping qualifying windows make one signal of the points near the limit in them.
        merged: list[list[int]] = []
        for start in two_in_three_windows(close, relative):
            if merged and start <= merged[-1][1] and relative[start] == relative[merged[-1][0]]:
                merged[-1][1] = start + 2
            else:
                merged.append([start, start + 2])
        for first, last in merged:
            near = tuple(j for j in range(first, last + 1) if close[j])
            signals.append(Signal("two_of_three", "high" if relative[first] > 0 else "low", near))
    for direction, points in runs_from_ends(shifts, shift_run):
        signals.append(Signal("shift", "high" if direction > 0 else "low", points))
    return _SegmentVerdicts(types, rules, sides, signals)


def point_type(special_cause_type: str, polarity: str) -> str:
    """ptd_point_type: the reference's point_type from a special_cause_type and a polarity."""
    if "Above" in special_cause_type or "Increasing" in special_cause_type:
        v = 1
    elif "Below" in special_cause_type or "Decreasing" in special_cause_type:
        v = -1
    else:
        return POINT_COMMON
    direction = POLARITY_DIRECTION.get(polarity, 0)
    if direction == 0:
        return POINT_NEUTRAL_HIGH if v > 0 else POINT_NEUTRAL_LOW
    return POINT_IMPROVEMENT if v * direction > 0 else POINT_CONCERN


VARIATION_OF_POINT = {
    POINT_COMMON: COMMON,
    POINT_IMPROVEMENT: IMPROVING,
    POINT_CONCERN: CONCERNING,
    POINT_NEUTRAL_HIGH: NEITHER,
    POINT_NEUTRAL_LOW: NEITHER,
}


# --- Limits -------------------------------------------------------------------------------------


def baseline_limits(
    baseline: Sequence[float], *, screen_outliers: bool = True
) -> tuple[float, float | None, tuple[int, ...]]:
    """Mean, MR-bar (after screening) and the indices (within `baseline`) screened out."""
    mean = sum(baseline) / len(baseline)
    ranges = [abs(b - a) for a, b in zip(baseline, baseline[1:], strict=False)]
    if not ranges:
        return mean, None, ()
    mr_bar = sum(ranges) / len(ranges)
    screened: tuple[int, ...] = ()
    if screen_outliers:
        kept = [r for r in ranges if r < SCREEN_FACTOR * mr_bar]
        # With every range 0 nothing is below 0 x 3.267; the reference's limits are then NaN.
        # A flat baseline is a real process (100% every quarter), so keep MR-bar at 0.
        if kept:
            screened = tuple(i + 1 for i, r in enumerate(ranges) if r >= SCREEN_FACTOR * mr_bar)
            mr_bar = sum(kept) / len(kept)
    return mean, mr_bar, screened


def assurance_label(upper: float, lower: float, target: float | None, polarity: str) -> str:
    """Consistently passing / failing / hit and miss, or "no target"."""
    if target is None or polarity == "neutral":
        return NO_TARGET
    if polarity == "higher_is_better":
        if lower > target:
            return PASSING
        if upper < target:
            return FAILING
        return HIT_AND_MISS
    if upper < target:
        return PASSING
    if lower > target:
        return FAILING
    return HIT_AND_MISS


def assurance_verdict(
    limits_assurance: str,
    *,
    latest_special: bool,
    recent: Sequence[float] = (),
    target: float | None = None,
    polarity: str = "neutral",
) -> str:
    """The assurance every surface shows, from what the limits say (`assurance_label`).

    `latest_special`: the latest point carries a special-cause signal. `recent`: the latest
    segment's last figures (up to ``RECENT_POINTS``), oldest first. While the latest point
    shows special cause the process has changed, so no verdict from the limits stands
    (``CHANGED``); nor does "consistently passing" when every recent figure missed the target,
    or "consistently failing" when every one met it.
    """
    if limits_assurance not in LIMIT_VERDICTS:
        return limits_assurance
    if latest_special:
        return CHANGED
    statuses = [meets_target(v, target, polarity) for v in recent]
    if statuses and None not in statuses:
        if limits_assurance == PASSING and not any(statuses):
            return CHANGED
        if limits_assurance == FAILING and all(statuses):
            return CHANGED
    return limits_assurance


# --- Backward-compatible whole-series helpers (one segment, no priority) ------------------------


def shift_signals(values: list[float], mean: float, run: int = SHIFT_RUN) -> list[Signal]:
    """Runs of `run`+ consecutive points strictly on one side of the mean."""
    relative = [sign(x - mean) for x in values]
    return [
        Signal("shift", "high" if direction > 0 else "low", points)
        for direction, points in runs_from_ends(run_ends(relative, run), run)
    ]


def trend_signals(values: list[float], run: int = TREND_RUN) -> list[Signal]:
    """Runs of `run`+ consecutive points each strictly above (or below) the previous one."""
    return [
        Signal("trend", "high" if direction > 0 else "low", points)
        for direction, points in runs_from_ends(trend_ends(values, run), run)
    ]


def two_of_three_signals(
    values: list[float], mean: float, upper: float, lower: float
) -> list[Signal]:
    """Points near a limit in a window of three all on one side of the mean (reference rule)."""
    mr_bar = (upper - mean) / LIMIT_FACTOR
    verdicts = _judge_segment(
        values, mean, upper, lower, mr_bar, DEFAULT_SETTINGS, use_two_of_three=True
    )
    return [s for s in verdicts.signals if s.rule == "two_of_three"]


# --- The calculation ------------------------------------------------------------------------------


def _segment_starts(raw_labels: list[str], kept: list[int], rebase_at: Sequence[str]) -> list[int]:
    """Indices (into the kept points) where a recorded change starts a new segment.

    A change recorded at a quarter whose figure is missing starts at the next quarter that has one.
    """
    wanted = {str(label) for label in rebase_at}
    starts: set[int] = set()
    for raw_index, label in enumerate(raw_labels):
        if label not in wanted:
            continue
        following = next((k for k, r in enumerate(kept) if r >= raw_index), None)
        if following is not None and following > 0:
            starts.add(following)
    return sorted(starts)


def xmr(
    values: Sequence[Any],
    *,
    polarity: str = "neutral",
    target: Any = None,
    labels: Sequence[str] | None = None,
    min_points: int = MIN_POINTS,
    two_of_three: bool = True,
    settings: SpcSettings | None = None,
    rebase_at: Sequence[str] = (),
) -> XmRResult:
    """Compute an XmR chart for `values` (missing values are dropped with their labels).

    `labels` name the points (quarter codes); `rebase_at` lists labels where a recorded change in
    the process starts a new segment with its own baseline. Pass the indicator's whole history up
    to the quarter being judged: the limits come from the baseline, not from a display window.

    With fewer than `min_points` points in the latest segment (at least 2, for a moving range) the
    latest point is not judged, and both labels say "not enough data" (or "no target" for
    assurance); limits are still given where they can be computed.
    """
    settings = settings or DEFAULT_SETTINGS
    raw_labels = (
        [str(x) for x in labels] if labels is not None else [str(i + 1) for i in range(len(values))]
    )
    if len(raw_labels) != len(values):
        raise ValueError(f"{len(values)} values but {len(raw_labels)} labels.")
    points = [(as_number(v), i) for i, v in enumerate(values)]
    kept = [(v, i) for v, i in points if v is not None and not math.isnan(v)]
    series = [v for v, _ in kept]
    kept_index = [i for _, i in kept]
    result = XmRResult(values=series, labels=[raw_labels[i] for i in kept_index], settings=settings)
    goal = as_number(target)
    no_target = goal is None or polarity == "neutral"
    if no_target:
        result.assurance = result.limits_assurance = NO_TARGET
    n = len(series)
    if n == 0:
        return result

    starts = [0, *_segment_starts(raw_labels, kept_index, rebase_at)]
    result.rebase_labels = [result.labels[s] for s in starts[1:]]
    bounds = list(zip(starts, [*starts[1:], n], strict=True))
    result.moving_ranges = [None] * n
    result.point_mean = [None] * n
    result.point_upper = [None] * n
    result.point_lower = [None] * n
    result.special_cause_types = ["Common Cause"] * n
    result.point_types = [POINT_COMMON] * n
    result.point_rule = [None] * n
    result.point_side = [None] * n
    for start, end in bounds:
        chunk = series[start:end]
        baseline_end = start + min(len(chunk), settings.baseline_points or len(chunk))
        mean, mr_bar, screened = baseline_limits(
            series[start:baseline_end], screen_outliers=settings.screen_outliers
        )
        upper = mean + LIMIT_FACTOR * mr_bar if mr_bar is not None else None
        lower = mean - LIMIT_FACTOR * mr_bar if mr_bar is not None else None
        segment = Segment(
            start=start,
            end=end,
            baseline_end=baseline_end,
            rebased=start > 0,
            mean=mean,
            mr_bar=mr_bar,
            upper_limit=upper,
            lower_limit=lower,
            screened_out=tuple(start + i for i in screened),
        )
        result.segments.append(segment)
        for i in range(start, end):
            result.point_mean[i], result.point_upper[i], result.point_lower[i] = mean, upper, lower
            if i > start:
                result.moving_ranges[i] = abs(series[i] - series[i - 1])
        verdicts = _judge_segment(
            chunk, mean, upper, lower, mr_bar, settings, use_two_of_three=two_of_three
        )
        for offset, (kind, rule, side) in enumerate(
            zip(verdicts.types, verdicts.rules, verdicts.sides, strict=True)
        ):
            i = start + offset
            result.special_cause_types[i] = kind
            result.point_types[i] = point_type(kind, polarity)
            result.point_rule[i], result.point_side[i] = rule, side
        result.signals += [
            Signal(s.rule, s.side, tuple(start + p for p in s.points)) for s in verdicts.signals
        ]

    latest = result.segments[-1]
    result.mean, result.mr_bar = latest.mean, latest.mr_bar
    result.upper_limit, result.lower_limit = latest.upper_limit, latest.lower_limit
    result.short_warning = latest.short(settings)
    if latest.size < max(min_points, MIN_POINTS) or latest.upper_limit is None:
        # The latest point cannot be judged: say so rather than "common cause".
        return result
    result.enough_data = True
    result.variation = VARIATION_OF_POINT[result.point_types[-1]]
    assert latest.lower_limit is not None
    result.limits_assurance = assurance_label(
        latest.upper_limit, latest.lower_limit, goal, polarity
    )
    recent = series[max(latest.start, n - RECENT_POINTS) :]
    result.assurance = assurance_verdict(
        result.limits_assurance,
        latest_special=result.point_rule[-1] is not None,
        recent=recent,
        target=goal,
        polarity=polarity,
    )
    return result


def changed_process_text(period: str = "quarter") -> str:
    """What the "no assurance: process has changed" verdict means, in the words every surface
    uses (the chart's caption, the glossary's explanation)."""
    return (
        f"The process has changed, so process limits calculated before the change cannot say "
        f"whether the target will be met. Once the new level has settled, record the change in "
        f"the process so the limits are recalculated from the {period} it began."
    )


def describe(result: XmRResult, period: str = "quarter") -> str:
    """One plain sentence about the latest point's variation and the assurance against target.

    `period` names the points: "quarter", or "year" for a chart of annual figures."""
    latest = result.latest_segment
    since = (
        f" since the change in the process recorded at {result.labels[latest.start]}"
        if latest is not None and latest.rebased
        else ""
    )
    if not result.enough_data:
        count = latest.size if latest is not None else 0
        return (
            f"Not enough data for a control chart yet: {count} {period}(s){since}, "
            f"at least {MIN_POINTS} are needed for process limits."
        )
    names = rule_names(result.settings)
    rules = result.latest_rules
    if rules:
        why = " and ".join(names[r] for r in rules)
        text = f"The latest {period} shows {result.variation} ({why})."
    else:
        text = f"The latest {period} shows common cause variation: no unusual pattern."
    if result.assurance == PASSING:
        text += " On current performance the target will be met consistently."
    elif result.assurance == FAILING:
        text += " On current performance the target will not be met without a change in the system."
    elif result.assurance == HIT_AND_MISS:
        text += (
            f" The target lies within the process limits, so it will be met some {period}s and"
            " missed in others."
        )
    elif result.assurance == CHANGED:
        text += " " + changed_process_text(period)
    if result.short_warning and latest is not None:
        text += (
            f" These are trial limits: only {latest.size} {period}s{since} (fewer than "
            f"{result.settings.warning_points}), so they will change as {period}s are added."
        )
    return text
