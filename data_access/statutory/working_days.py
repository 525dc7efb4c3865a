"""Working days in England: Monday to Friday, less England's bank holidays.

The bank holidays come from the maintained ``holidays`` package (``GB``, subdivision ``ENG``),
so a new year's holidays, and one-off ones such as a coronation, need no edit here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np

# The years any census can mention (plans last years; a referral may be old).
_FIRST_YEAR = 1990
_LAST_YEAR = 2045


@lru_cache(maxsize=1)
def _calendar() -> np.busdaycalendar:
    england = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(_FIRST_YEAR, _LAST_YEAR + 1)
    )
    days = np.array(sorted(england.keys()), dtype="datetime64[D]")
    return np.busdaycalendar(weekmask="1111100", holidays=days)


def bank_holidays(year: int) -> list[dt.date]:
    """England's bank holidays in a calendar year (for messages and tests)."""
    return sorted(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is `start`).

    The day a timescale starts is day 0: an assessment authorised the next working day after
    the referral took 1 working day.
    """
    if end < start:
        return -working_days_between(end, start)
    first = np.datetime64(start + dt.timedelta(days=1), "D")
    last = np.datetime64(end + dt.timedelta(days=1), "D")
    return int(np.busday_count(first, last, busdaycal=_calendar()))
