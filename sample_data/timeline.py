"""The quarters the sample covers, and small helpers for shaping a series over them."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np

from data_access.periods import Quarter, latest_complete_quarter, quarters_between

FIRST_QUARTER = Quarter(2019, 1)  # April-June 2019
# The first national lockdown (April-June 2020) and the January 2021 lockdown.
LOCKDOWN_QUARTERS = (Quarter(2020, 1), Quarter(2020, 4))


@dataclass(frozen=True)
class Timeline:
    """Every quarter from April 2019 to the latest complete quarter before `today`."""

    today: dt.date
    quarters: tuple[Quarter, ...]

    @classmethod
    def until(cls, today: dt.date) -> Timeline:
        last = latest_complete_quarter(today)
        if last < FIRST_QUARTER:
            raise ValueError(
                f"today ({today.isoformat()}) is before the end of the first sample quarter "
                f"({FIRST_QUARTER.code}); pick a later date"
            )
        return cls(today, tuple(quarters_between(FIRST_QUARTER, last)))

    @property
    def n(self) -> int:
        return len(self.quarters)

    @property
    def latest(self) -> Quarter:
        return self.quarters[-1]

    def index(self, quarter: Quarter) -> int:
        return self.quarters.index(quarter)

    def ramp(self, t: int, start: float, end: float, t0: int = 0, t1: int | None = None) -> float:
        """Linear from `start` at quarter t0 to `end` at t1 (default: the last), flat outside."""
        t1 = self.n - 1 if t1 is None else t1
        if t1 <= t0:
            return end if t >= t1 else start
        if t <= t0:
            return start
        if t >= t1:
            return end
        return start + (end - start) * (t - t0) / (t1 - t0)

    def from_end(self, t: int) -> int:
        """How many quarters before the latest this is (0 = latest)."""
        return self.n - 1 - t

    def is_lockdown(self, t: int) -> bool:
        return self.quarters[t] in LOCKDOWN_QUARTERS


def stable_int(*parts: object) -> int:
    """A deterministic 32-bit integer from any parts (Python's hash() is salted per process)."""
    text = "|".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big")


def rng_for(seed: int, *parts: object) -> np.random.Generator:
    """An independent random stream per component, so changing one part leaves the others alone."""
    return np.random.default_rng([seed, stable_int(*parts)])


def at_time(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """`day` plus a number of Monday-Friday days (bank holidays ignored)."""
    current = day
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        current += dt.timedelta(days=step)
        if current.weekday() < 5:
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Monday-Friday days after `start` up to and including `end`."""
    return int(np.busday_count(start + dt.timedelta(days=1), end + dt.timedelta(days=1)))
