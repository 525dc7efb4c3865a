"""How a figure rolls up over time and across agencies or localities: one rule per kind, here.

Every indicator declares its kind in the catalogue (`aggregation:` in indicators.yaml); the
year's figure from its quarters, a total across agencies or localities and the words that say how
a figure was made all come from `roll_up` and `rule_words` below. Pure Python, no SQL.

| kind                 | over time (quarters to a year)             | across agencies / localities     |
|----------------------|--------------------------------------------|----------------------------------|
| events               | added up                                   | added up                         |
| on_a_day             | the last period's (never added up)         | added up (the same day)          |
| percentage           | 100 x summed numerators / summed denominators                                 |
| percentage_on_a_day  | the last period's                          | from summed parts                |
| rate                 | 10,000 x summed numerators / the population (the last period's)               |
| rate_on_a_day        | the last period's                          | summed numerators / summed population |
| mean                 | weighted by its denominator (none without) | weighted by its denominator      |
| mean_on_a_day        | the last period's                          | weighted by its denominator      |
| not_rolled_up        | not rolled up (the catalogue says why)     | not rolled up                    |

A percentage or rate is never averaged or summed; a count on a day is never summed over time.
A figure that cannot be rolled up honestly (a missing period, a missing numerator or
denominator, a kind that does not roll up) has no value and a reason in words instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

EVENTS = "events"
ON_A_DAY = "on_a_day"
PERCENTAGE = "percentage"
PERCENTAGE_ON_A_DAY = "percentage_on_a_day"
RATE = "rate"
RATE_ON_A_DAY = "rate_on_a_day"
MEAN = "mean"
MEAN_ON_A_DAY = "mean_on_a_day"
NOT_ROLLED_UP = "not_rolled_up"

OVER_TIME, ACROSS = "time", "across"

# Each kind, the units it may describe, and what it is in words (the catalogue checks the pair).
KINDS: dict[str, tuple[frozenset[str], str]] = {
    EVENTS: (frozenset({"count"}), "a count of events in the period"),
    ON_A_DAY: (frozenset({"count"}), "a count on a day (the last day of the period)"),
    PERCENTAGE: (frozenset({"percentage"}), "a percentage of events in the period"),
    PERCENTAGE_ON_A_DAY: (frozenset({"percentage"}), "a percentage on a day"),
    RATE: (frozenset({"rate_per_10k"}), "a rate per 10,000 children of events in the period"),
    RATE_ON_A_DAY: (frozenset({"rate_per_10k"}), "a rate per 10,000 children on a day"),
    MEAN: (frozenset({"count", "days", "score"}), "a mean (weighted by what it is a mean of)"),
    MEAN_ON_A_DAY: (frozenset({"count", "days", "score"}), "a mean on a day"),
    NOT_ROLLED_UP: (
        frozenset({"count", "percentage", "rate_per_10k", "days", "score"}),
        "not rolled up",
    ),
}
# The kinds whose year is the last period's figure.
LAST_PERIOD = frozenset({ON_A_DAY, PERCENTAGE_ON_A_DAY, RATE_ON_A_DAY, MEAN_ON_A_DAY})
SCALE = {"percentage": 100.0, "rate_per_10k": 10_000.0}

# How the year is made from its quarters, in the words every surface shows.
TIME_WORDS = {
    EVENTS: "the four quarters added up",
    ON_A_DAY: "the last quarter's figure (a count on the day, not added up)",
    PERCENTAGE: "worked out again from the four quarters' numerators and denominators added up",
    PERCENTAGE_ON_A_DAY: "the last quarter's figure (a percentage on the day)",
    RATE: "the four quarters' numerators added up, per 10,000 children (the year's child "
    "population)",
    RATE_ON_A_DAY: "the last quarter's figure (a rate on the day, not added up)",
    MEAN: "the quarters' means weighted by what each is a mean of",
    MEAN_ON_A_DAY: "the last quarter's figure (a mean on the day)",
    NOT_ROLLED_UP: "not rolled up",
}
# How a total across agencies or localities is made, in words.
ACROSS_WORDS = {
    EVENTS: "added up",
    ON_A_DAY: "added up (the same day everywhere)",
    PERCENTAGE: "worked out again from the numerators and denominators added up",
    PERCENTAGE_ON_A_DAY: "worked out again from the numerators and denominators added up",
    RATE: "the numerators added up, per 10,000 of the child populations added up",
    RATE_ON_A_DAY: "the numerators added up, per 10,000 of the child populations added up",
    MEAN: "the means weighted by what each is a mean of",
    MEAN_ON_A_DAY: "the means weighted by what each is a mean of",
    NOT_ROLLED_UP: "not added up",
}


@dataclass(frozen=True)
class Part:
    """One period's (or one agency's or locality's) figure with its numerator and denominator."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Rolled:
    """A rolled-up figure: value None with `reason` when it cannot be rolled up honestly."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    reason: str | None = None


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def part(value: Any, numerator: Any = None, denominator: Any = None) -> Part:
    """A Part from loose values (NaN, None, strings of numbers are all understood)."""
    return Part(_number(value), _number(numerator), _number(denominator))


def check_kind(kind: str, unit: str) -> str | None:
    """Why `kind` cannot describe a figure in `unit` (None when it can)."""
    if kind not in KINDS:
        return f"unknown aggregation {kind!r} (one of {', '.join(KINDS)})"
    units, _ = KINDS[kind]
    if unit not in units:
        return f"aggregation {kind!r} cannot describe a figure in {unit!r}"
    return None


def rule_words(kind: str, over: str = OVER_TIME, note: str | None = None) -> str:
    """How a figure of `kind` is rolled up, in words; `note` says why it is not rolled up."""
    words = (TIME_WORDS if over == OVER_TIME else ACROSS_WORDS).get(kind, kind)
    if kind == NOT_ROLLED_UP and note:
        return f"{words}: {note}"
    return words


def _from_parts(parts: Sequence[Part], unit: str, *, same_population: bool) -> Rolled:
    numerators = [p.numerator for p in parts]
    denominators = [p.denominator for p in parts]
    if any(n is None for n in numerators) or any(d is None for d in denominators):
        return Rolled(
            None, reason="a numerator or denominator is missing, so it cannot be worked out again"
        )
    numerator = math.fsum(n for n in numerators if n is not None)
    if same_population:
        # The child population of one place and year: the same each quarter, never added up.
        denominator = denominators[-1]
    else:
        denominator = math.fsum(d for d in denominators if d is not None)
    if not denominator:
        return Rolled(None, numerator, denominator, reason="the denominator is 0")
    value = SCALE[unit] * numerator / denominator
    return Rolled(round(value, 1), numerator, denominator)


def roll_up(kind: str, unit: str, parts: Sequence[Part], *, over: str = OVER_TIME) -> Rolled:
    """Roll `parts` up by the rule of `kind`.

    `over=OVER_TIME`: `parts` are consecutive periods, oldest first (the year from its quarters);
    every period must have a figure. `over=ACROSS`: `parts` are the agencies or localities of one
    period (their total). Returns `Rolled`, with a reason instead of a value when the figure
    cannot be rolled up honestly.
    """
    if kind == NOT_ROLLED_UP:
        return Rolled(None, reason="this measure is not rolled up")
    if not parts:
        return Rolled(None, reason="no figures")
    if any(p.value is None for p in parts):
        missing = sum(p.value is None for p in parts)
        return Rolled(None, reason=f"{missing} of {len(parts)} figures are missing")
    if over == OVER_TIME and kind in LAST_PERIOD:
        last = parts[-1]
        return Rolled(last.value, last.numerator, last.denominator)
    if kind in (EVENTS, ON_A_DAY):
        return Rolled(math.fsum(p.value for p in parts if p.value is not None))
    if kind in (PERCENTAGE, PERCENTAGE_ON_A_DAY):
        return _from_parts(parts, unit, same_population=False)
    if kind in (RATE, RATE_ON_A_DAY):
        return _from_parts(parts, unit, same_population=over == OVER_TIME)
    if kind in (MEAN, MEAN_ON_A_DAY):
        weights = [p.denominator for p in parts]
        if any(w is None for w in weights):
            return Rolled(
                None,
                reason="a mean is weighted by what it is a mean of, and that is not recorded",
            )
        total = math.fsum(w for w in weights if w is not None)
        if not total:
            return Rolled(None, reason="the denominator is 0")
        weighted = math.fsum(
            p.value * p.denominator
            for p in parts
            if p.value is not None and p.denominator is not None
        )
        return Rolled(round(weighted / total, 1), weighted, total)
    raise ValueError(f"unknown aggregation {kind!r}")
