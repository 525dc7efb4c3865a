"""The reference's signal rules (ptd_calculate_point_type.R) over one segment's figures.

Plain functions of sequences, as NHSRplotthedots writes them: runs on one side of the mean, trends,
two of three points near a limit, and each point's special_cause_type label by priority. The
control chart that uses them (limits, segments, verdicts) is `dashboard.metrics.spc`.
"""

from __future__ import annotations

from collections.abc import Sequence

# The reference's fixed run lengths (ptd_calculate_point_type.R).
SHIFT_RUN = 7
TREND_RUN = 7
# Rules in the reference's priority order: a point carrying several is labelled by the first.
RULE_PRIORITY = ("outside", "trend", "two_of_three", "shift")


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


def run_ends(flags: Sequence[int], run: int) -> list[int]:
    """ptd_seven_point_one_side_mean: at each point, the common side of the `run` points ending
    there (all equal and non-zero), else 0."""
    ends = []
    for i, flag in enumerate(flags):
        window = flags[i - run + 1 : i + 1] if i >= run - 1 else []
        ends.append(flag if window and flag != 0 and all(f == flag for f in window) else 0)
    return ends


def trend_ends(values: Sequence[float], run: int) -> list[int]:
    """ptd_seven_point_trend: 1 (-1) where the `run` points ending there all rise (fall)."""
    ends = [0] * len(values)
    for i in range(run - 1, len(values)):
        steps = {sign(values[j] - values[j - 1]) for j in range(i - run + 2, i + 1)}
        if steps == {1}:
            ends[i] = 1
        elif steps == {-1}:
            ends[i] = -1
    return ends


def part_of_run(ends: Sequence[int], run: int) -> list[bool]:
    """ptd_part_of_seven_trend: a point belongs to a run that ends at it or within the next
    `run - 1` points."""
    return [any(e != 0 for e in ends[i : i + run]) for i in range(len(ends))]


def two_in_three_windows(close: Sequence[bool], relative: Sequence[int]) -> list[int]:
    """Starts of the windows of three consecutive points with at least two near a limit and all
    three strictly on the same side of the mean (the test inside ptd_two_in_three)."""
    return [
        start
        for start in range(len(close) - 2)
        if sum(1 for j in range(start, start + 3) if close[j]) >= 2
        and abs(sum(relative[start : start + 3])) == 3
    ]


def two_in_three(close: Sequence[bool], relative: Sequence[int]) -> list[bool]:
    """ptd_two_in_three: the point lies in such a window. The reference pads the series with
    zeros, so a window running off either end never counts."""
    hits = [False] * len(close)
    for start in two_in_three_windows(close, relative):
        for j in range(start, start + 3):
            hits[j] = True
    return hits


def runs_from_ends(ends: Sequence[int], run: int) -> list[tuple[int, tuple[int, ...]]]:
    """(direction, points) for each run: the `run` points ending at each flagged end, with
    overlapping windows of the same direction merged."""
    found: list[tuple[int, list[int]]] = []
    for end, direction in enumerate(ends):
        if direction == 0:
            continue
        window = list(range(end - run + 1, end + 1))
        if found and found[-1][0] == direction and found[-1][1][-1] >= window[0]:
            found[-1][1].extend(p for p in window if p > found[-1][1][-1])
        else:
            found.append((direction, window))
    return [(direction, tuple(points)) for direction, points in found]


def special_cause_types(
    y: Sequence[float],
    relative: Sequence[int],
    in_trend: Sequence[bool],
    in_two_of_three: Sequence[bool],
    in_shift: Sequence[bool],
    outside: Sequence[bool],
    *,
    trend_run: int = TREND_RUN,
    shift_run: int = SHIFT_RUN,
) -> list[str]:
    """ptd_special_cause_type: each point's label, by priority outside > trend > two-of-three >
    shift, in the reference's words ("Above UCL", "7 Point Trend (Increasing)", "2 in 3 Below CL",
    "7 Points Above CL", "Common Cause")."""
    n = len(y)
    types = []
    for i in range(n):
        above = "Above" if relative[i] > 0 else "Below"
        if outside[i]:
            types.append("Above UCL" if relative[i] == 1 else "Below LCL")
        elif in_trend[i]:
            # The direction comes from the next point when it is in a trend too, otherwise from
            # the previous one (the `sdy` lines of ptd_special_cause_type).
            if i + 1 < n and in_trend[i + 1]:
                step = sign(y[i + 1] - y[i])
            else:
                step = sign(y[i] - y[i - 1]) if i > 0 else 0
            way = "In" if step == 1 else "De"
            types.append(f"{trend_run} Point Trend ({way}creasing)")
        elif in_two_of_three[i]:
            types.append(f"2 in 3 {above} CL")
        elif in_shift[i]:
            types.append(f"{shift_run} Points {above} CL")
        else:
            types.append("Common Cause")
    return types


def rule_of_type(special_cause_type: str) -> str | None:
    """This module's rule name for one of the reference's special_cause_type labels."""
    if special_cause_type.endswith(("UCL", "LCL")):
        return "outside"
    if "Point Trend" in special_cause_type:
        return "trend"
    if special_cause_type.startswith("2 in 3"):
        return "two_of_three"
    if "Points" in special_cause_type:
        return "shift"
    return None
