"""Four years of plausible history for every indicator in the catalogue, as rows of a return."""

from __future__ import annotations

from data_access import catalogue
from data_access.periods import AcademicYear, FinancialYear, Quarter, quarters_between

FIRST = Quarter(2021, 1)
LAST = Quarter(2024, 4)  # four financial years of quarters: 2021-22 Q1 to 2024-25 Q4
YEARS = [2021, 2022, 2023, 2024]
POPULATION = 50_000


def _plausible_level(spec: catalogue.IndicatorSpec) -> float:
    """A level inside the indicator's plausible range (or an ordinary one)."""
    if spec.plausible_min is not None and spec.plausible_max is not None:
        return max(spec.plausible_min * 2, min(spec.plausible_max / 4, 400.0))
    return 120.0


def _history_row(spec: catalogue.IndicatorSpec, period: str, step: int) -> list[object]:
    """A plausible figure for one indicator and period, the parts given for percentages/rates."""
    if spec.unit == "percentage":
        numerator, denominator = 40 + step, 100
        return [spec.code, period, "", "", "", numerator, denominator, "", ""]
    if spec.unit == "rate_per_10k":
        rate = _plausible_level(spec)
        numerator = round(rate * POPULATION / 10_000) + step
        return [spec.code, period, "", "", "", numerator, POPULATION, "", ""]
    if spec.unit == "count":
        return [spec.code, period, "", "", round(_plausible_level(spec)) + step, "", "", "", ""]
    return [spec.code, period, "", "", 20 + step / 10, "", "", "", ""]


def history_rows() -> list[list[object]]:
    """Four years of history for every indicator: quarters for quarterly ones, years for annual."""
    rows = []
    for spec in catalogue.indicators():
        if spec.frequency == "quarterly":
            periods = [q.code for q in quarters_between(FIRST, LAST)]
        elif spec.frequency == "annual_financial":
            periods = [FinancialYear(y).code for y in YEARS]
        else:
            periods = [AcademicYear(y).code for y in YEARS]
        rows += [_history_row(spec, p, step) for step, p in enumerate(periods)]
    return rows
