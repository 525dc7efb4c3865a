"""XmR statistical process control charts in the style of NHS England's "Making Data Count".

For a series x1..xn (n >= ``MIN_POINTS``):

* mean = average of the points; moving ranges MR_i = |x_i - x_(i-1)| for i >= 2;
* average moving range MR-bar = mean of the moving ranges;
* process limits = mean +/- 2.66 x MR-bar (2.66 = 3 / 1.128, i.e. three sigma for an XmR chart).

Signal rules (each point can carry several; each signal has a side, "high" or "low"):

* ``outside``  - a point above the upper or below the lower process limit.
* ``shift``    - a run of ``SHIFT_RUN`` (7) or more consecutive points on the same side of the
  mean. Making Data Count uses 7; it keeps false alarms rare on short quarterly series while
  still catching a sustained change within two years. A point exactly on the mean breaks a run.
* ``trend``    - ``TREND_RUN`` (6) or more consecutive points each strictly higher (or lower) than
  the one before (so five consecutive increases), as Making Data Count counts it. Equal
  neighbours break a trend.
* ``two_of_three`` - two out of three consecutive points beyond two sigma (two thirds of the way
  from the mean to a limit) on the same side; the point between them may be anywhere.

The variation label describes the latest point, as the Making Data Count icons do: if it belongs to
a signal, the signal's side and the indicator's polarity say "improving special cause" or
"concerning special cause" (neutral polarity: "special cause (neither improving nor concerning)").
When the latest point carries signals on both sides, "concerning" wins so nothing is hidden.
Otherwise "common cause".

The assurance label compares the target with the process limits: a target outside the limits on
the favourable side means the process will "consistently pass"; on the unfavourable side it will
"consistently fail"; a target between (or on) the limits means "hit and miss".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard.metrics.rag import as_number

MIN_POINTS = 8
SHIFT_RUN = 7
TREND_RUN = 6
LIMIT_FACTOR = 2.66

IMPROVING = "improving special cause"
CONCERNING = "concerning special cause"
NEITHER = "special cause (neither improving nor concerning)"
COMMON = "common cause"
NOT_ENOUGH = "not enough data"
PASSING = "consistently passing"
FAILING = "consistently failing"
HIT_AND_MISS = "hit and miss"
NO_TARGET = "no target"

RULE_NAMES = {
    "outside": "a point outside the process limits",
    "shift": f"{SHIFT_RUN} or more points in a row on one side of the average",
    "trend": f"{TREND_RUN} or more points in a row going the same way",
    "two_of_three": "two of three points close to a process limit",
}


@dataclass(frozen=True)
class Signal:
    """One signal: which rule, which side of the mean, and the point indices it covers."""

    rule: str
    side: str  # "high" or "low"
    points: tuple[int, ...]


@dataclass
class XmRResult:
    """An XmR chart: the points used, limits, signals and labels."""

    values: list[float]
    labels: list[str]
    mean: float | None = None
    moving_ranges: list[float | None] = field(default_factory=list)
    mr_bar: float | None = None
    upper_limit: float | None = None
    lower_limit: float | None = None
    signals: list[Signal] = field(default_factory=list)
    variation: str = NOT_ENOUGH
    assurance: str = NOT_ENOUGH
    enough_data: bool = False

    def point_sides(self, index: int) -> set[str]:
        """The sides of the signals that include point `index`."""
        return {s.side for s in self.signals if index in s.points}

    def point_rules(self, index: int) -> list[str]:
        """The rules that flag point `index`, in rule order."""
        found = {s.rule for s in self.signals if index in s.points}
        return [rule for rule in RULE_NAMES if rule in found]

    @property
    def latest_rules(self) -> list[str]:
        return self.point_rules(len(self.values) - 1) if self.values else []


def _outside(values: list[float], upper: float, lower: float) -> list[Signal]:
    found = []
    for i, x in enumerate(values):
        if x > upper:
            found.append(Signal("outside", "high", (i,)))
        elif x < lower:
            found.append(Signal("outside", "low", (i,)))
    return found


def _runs(flags: list[str | None], minimum: int, rule: str) -> list[Signal]:
    """Maximal runs of the same non-None flag at least `minimum` long."""
    found: list[Signal] = []
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            side = flags[start]
            if side is not None and i - start >= minimum:
                found.append(Signal(rule, side, tuple(range(start, i))))
            start = i
    return found


def shift_signals(values: list[float], mean: float, run: int = SHIFT_RUN) -> list[Signal]:
    """Runs of `run`+ consecutive points on one side of the mean (a point on the mean breaks it)."""
    sides = ["high" if x > mean else "low" if x < mean else None for x in values]
    return _runs(sides, run, "shift")


def trend_signals(values: list[float], run: int = TREND_RUN) -> list[Signal]:
    """Runs of `run`+ consecutive points each strictly above (or below) the previous one."""
    found: list[Signal] = []
    steps = [
        "high" if b > a else "low" if b < a else None
        for a, b in zip(values, values[1:], strict=False)
    ]
    # A run of k equal-direction steps covers k + 1 points.
    for signal in _runs(steps, run - 1, "trend"):
        points = (*signal.points, signal.points[-1] + 1)
        found.append(Signal("trend", signal.side, points))
    return found


def two_of_three_signals(
    values: list[float], mean: float, upper: float, lower: float
) -> list[Signal]:
    """Two of three consecutive points beyond two sigma on the same side."""
    high_band = mean + (upper - mean) * 2 / 3
    low_band = mean - (mean - lower) * 2 / 3
    found: list[Signal] = []
    seen: set[tuple[str, tuple[int, ...]]] = set()
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        for side, beyond in (("high", lambda x: x > high_band), ("low", lambda x: x < low_band)):
            hits = tuple(i for i in window if beyond(values[i]))
            if len(hits) >= 2 and (side, hits) not in seen:
                seen.add((side, hits))
                found.append(Signal("two_of_three", side, hits))
    return found


def _variation(signals: list[Signal], last: int, polarity: str) -> str:
    sides = {s.side for s in signals if last in s.points}
    if not sides:
        return COMMON
    if polarity == "neutral":
        return NEITHER
    good = "high" if polarity == "higher_is_better" else "low"
    if any(side != good for side in sides):
        return CONCERNING
    return IMPROVING


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


def xmr(
    values: Sequence[Any],
    *,
    polarity: str = "neutral",
    target: Any = None,
    labels: Sequence[str] | None = None,
    min_points: int = MIN_POINTS,
    two_of_three: bool = True,
) -> XmRResult:
    """Compute an XmR chart for `values` (missing values are dropped with their labels).

    With fewer than `min_points` usable points the limits are still computed when possible (so a
    chart can be drawn) but no signals are reported and both labels say "not enough data"
    (or "no target" for assurance when there is no target).
    """
    raw_labels = list(labels) if labels is not None else [str(i + 1) for i in range(len(values))]
    points = [(as_number(v), lab) for v, lab in zip(values, raw_labels, strict=True)]
    kept = [(v, lab) for v, lab in points if v is not None]
    series = [v for v, _ in kept]
    result = XmRResult(values=series, labels=[lab for _, lab in kept])
    goal = as_number(target)
    no_target = goal is None or polarity == "neutral"
    if no_target:
        result.assurance = NO_TARGET
    if len(series) < 2:
        return result

    mean = sum(series) / len(series)
    ranges = [abs(b - a) for a, b in zip(series, series[1:], strict=False)]
    mr_bar = sum(ranges) / len(ranges)
    result.mean = mean
    result.moving_ranges = [None, *ranges]
    result.mr_bar = mr_bar
    result.upper_limit = mean + LIMIT_FACTOR * mr_bar
    result.lower_limit = mean - LIMIT_FACTOR * mr_bar
    if len(series) < min_points:
        return result

    result.enough_data = True
    signals = _outside(series, result.upper_limit, result.lower_limit)
    signals += shift_signals(series, mean)
    signals += trend_signals(series)
    if two_of_three:
        signals += two_of_three_signals(series, mean, result.upper_limit, result.lower_limit)
    result.signals = signals
    result.variation = _variation(signals, len(series) - 1, polarity)
    result.assurance = assurance_label(result.upper_limit, result.lower_limit, goal, polarity)
    return result


def describe(result: XmRResult) -> str:
    """One plain sentence about the latest point's variation and the assurance against target."""
    if not result.enough_data:
        return (
            f"Not enough data for a control chart yet: {len(result.values)} quarters, "
            f"at least {MIN_POINTS} are needed."
        )
    rules = result.latest_rules
    if rules:
        why = " and ".join(RULE_NAMES[r] for r in rules)
        text = f"The latest quarter shows {result.variation} ({why})."
    else:
        text = "The latest quarter shows common cause variation: no unusual pattern."
    if result.assurance == PASSING:
        text += " On current performance the target will be met consistently."
    elif result.assurance == FAILING:
        text += " On current performance the target will not be met without a change in the system."
    elif result.assurance == HIT_AND_MISS:
        text += (
            " The target lies within the process limits, so it will be met some quarters and"
            " missed in others."
        )
    return text
