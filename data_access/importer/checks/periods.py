"""Reading each row's period for its indicator's frequency, and the checks of the period cell."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.importer.checks.cells import objects
from data_access.importer.checks.report import Report
from data_access.periods import AcademicYear, FinancialYear, Period, Quarter, parse_period

# For each frequency: the kind of period, its name, and how to write one.
_FREQUENCY_PERIOD: dict[
    str, tuple[type[Quarter] | type[FinancialYear] | type[AcademicYear], str, str]
] = {
    "quarterly": (
        Quarter,
        "quarter",
        "write the quarter like 2025-26 Q2 (April-March financial years)",
    ),
    "annual_financial": (
        FinancialYear,
        "financial year",
        "write the financial year like 2025-26 (April 2025 to March 2026)",
    ),
    "annual_academic": (
        AcademicYear,
        "academic year",
        "write the academic year like AY 2025/26 (September 2025 to August 2026)",
    ),
}


def _period_for(
    cell: object, frequency: str, today: dt.date
) -> tuple[str | None, str | None, bool]:
    """(period code, problem, read from a date) for one distinct period cell and frequency."""
    kind_class, kind_words, how = _FREQUENCY_PERIOD.get(frequency, _FREQUENCY_PERIOD["quarterly"])
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    period: Period
    if isinstance(cell, dt.date):
        period = kind_class.containing(cell)
        from_date = True
    else:
        text = "" if cell is None else str(cell).strip()
        if not text:
            return None, "No period given.", False
        try:
            period = parse_period(text)
            from_date = False
        except ValueError:
            try:
                period = kind_class.containing(dt.date.fromisoformat(text[:10]))
                from_date = True
            except ValueError:
                return None, f"'{text}' is not a {kind_words}.", False
        if not isinstance(period, kind_class):
            return (
                None,
                (
                    f"This indicator is reported for each {kind_words}, but "
                    f"'{text}' is a {_KIND_WORDS[period.kind]}: {how}."
                ),
                False,
            )
    if not 2000 <= period.fy_start_year <= 2100:
        return None, f"{period.code} is outside the years this dashboard covers.", from_date
    if period.end_date >= today:
        return (
            None,
            (
                f"{period.code} has not ended yet (it ends on "
                f"{period.end_date:%d %B %Y}); returns are for periods that have ended."
            ),
            from_date,
        )
    return period.code, None, from_date


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


_KIND_WORDS = {
    "quarter": "quarter",
    "financial_year": "financial year",
    "academic_year": "academic year",
}


@dataclass
class Periods:
    shown: pd.Series  # the cells as text, as written
    code: np.ndarray  # the period's code, None where it could not be read
    bad: np.ndarray  # the period was refused


def check_periods(
    cells: pd.Series, shown: pd.Series, indicator_refs: pd.Series, today: dt.date, report: Report
) -> Periods:
    """A period that is not one of its indicator's kind, or has not ended; a date (a warning)."""
    frequency = [r.frequency if r is not None else "quarterly" for r in indicator_refs]
    # Each distinct (cell, frequency) is read once, and each row points at its reading.
    distinct_periods: dict[tuple[object, str], int] = {}
    reading = np.array(
        [
            distinct_periods.setdefault(
                (c if isinstance(c, (dt.date, dt.datetime)) else t, f), len(distinct_periods)
            )
            for c, t, f in zip(cells, shown, frequency, strict=True)
        ],
        dtype=np.int64,
    )
    readings = [_period_for(key[0], key[1], today) for key in distinct_periods]
    period_code = objects([r[0] for r in readings])[reading]
    period_problem = objects([r[1] for r in readings])[reading]
    period_from_date = np.array([r[2] for r in readings], dtype=bool)[reading]
    bad_period = np.array([p is not None for p in period_problem], dtype=bool)
    advice_for = {
        f: _sentence(_FREQUENCY_PERIOD.get(f, _FREQUENCY_PERIOD["quarterly"])[2])
        + "; only periods that have ended can be loaded."
        for f in set(frequency)
    }
    period_advice = objects([advice_for[f] for f in frequency])
    report.add(bad_period, "period", shown, period_problem, period_advice)
    report.add(
        period_from_date & ~bad_period,
        "period",
        shown,
        lambda i: f"A date was given; it was read as {period_code[i]}.",
        "Check this is the period you meant; write it like 2025-26 Q2 (a quarter), "
        "2025-26 (a financial year) or AY 2025/26 (an academic year) to be sure.",
        severity="warning",
    )
    return Periods(shown=shown, code=period_code, bad=bad_period)
