"""A computed statutory figure, ready to be shown beside its definition or stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from data_access.periods import FinancialYear, Quarter
from data_access.statutory.definitions import BY_KEY, COUNT, PERCENTAGE, RATE


@dataclass(frozen=True)
class ComputedFigure:
    key: str
    period_code: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""  # why the value is missing, or what qualifies it

    @property
    def label(self) -> str:
        return BY_KEY[self.key].label

    @property
    def unit(self) -> str:
        return BY_KEY[self.key].unit

    @property
    def definition(self) -> str:
        return BY_KEY[self.key].definition


def count(key: str, period: str, value: int) -> ComputedFigure:
    return ComputedFigure(key, period, float(value))


def percentage(key: str, period: str, top: int, bottom: int, empty: str = "") -> ComputedFigure:
    if bottom == 0:
        return ComputedFigure(
            key, period, None, float(top), 0.0, empty or "Nothing to divide by (none in the year)."
        )
    return ComputedFigure(key, period, round(100.0 * top / bottom, 1), float(top), float(bottom))


def rate(key: str, period: str, top: int, population: float | None) -> ComputedFigure:
    if not population:
        return ComputedFigure(
            key,
            period,
            None,
            float(top),
            None,
            "Needs the child population: load CHILD_POPULATION for the year, or give it when "
            "importing (--population).",
        )
    return ComputedFigure(
        key, period, round(10_000.0 * top / population, 1), float(top), float(population)
    )


def census_period(reference_date: dt.date) -> tuple[dt.date, dt.date]:
    """1 April of the year before the reference date's year, to the reference date."""
    return dt.date(reference_date.year - 1, 4, 1), reference_date


def census_year_code(reference_date: dt.date) -> str | None:
    """'2024-25' for a reference date of 31 March 2025; None for any other day."""
    if (reference_date.month, reference_date.day) != (3, 31):
        return None
    return FinancialYear(reference_date.year - 1).code


def quarter_code(day: dt.date) -> str:
    return Quarter.containing(day).code


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), the month's last day when it has fewer days."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


__all__ = [
    "COUNT",
    "PERCENTAGE",
    "RATE",
    "ComputedFigure",
    "add_months",
    "census_period",
    "census_year_code",
    "count",
    "percentage",
    "quarter_code",
    "rate",
]
