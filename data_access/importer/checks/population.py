"""The child population a rate per 10,000 is worked out from, when only its numerator is given."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data_access.importer.checks.numbers import Figures
from data_access.importer.checks.periods import Periods
from data_access.importer.checks.report import Report
from data_access.importer.lookups import POPULATION_CODE, Lookups
from data_access.periods import FinancialYear, Quarter, parse_period


def _population_year(period_code: str) -> str:
    """The financial year whose child population a period's rate uses."""
    period = parse_period(period_code)
    if isinstance(period, Quarter):
        return period.financial_year.code
    return FinancialYear(period.fy_start_year).code


def _child_populations(
    lookups: Lookups,
    indicator_key: pd.Series,
    period_code: np.ndarray,
    locality_text: pd.Series,
    value: np.ndarray,
    has_symbol: np.ndarray,
) -> dict[tuple[str, str], float]:
    """{(financial year, locality code or ''): children aged 0-17}: the store, then this file."""
    # A population of 0 (or below) is no denominator: never used to work a rate out.
    populations = {k: v for k, v in lookups.child_population.items() if v and v > 0}
    in_file = (
        (indicator_key == POPULATION_CODE).to_numpy()
        & ~np.isnan(value)
        & (np.nan_to_num(value, nan=0.0) > 0)
        & ~has_symbol
        & np.array([c is not None for c in period_code], dtype=bool)
    )
    for i in np.flatnonzero(in_file):
        populations[(_population_year(str(period_code[i])), locality_text.iat[i].upper())] = float(
            value[i]
        )
    return populations


def _population_for(
    populations: dict[tuple[str, str], float], period_code: str, locality: str
) -> tuple[str, float] | None:
    """(year used, population) for a period: its own year, else the latest year before it."""
    year = _population_year(period_code)
    if (year, locality) in populations:
        return year, populations[(year, locality)]
    # ONS estimates are published a year or more in arrears: the latest earlier one stands in.
    earlier = sorted(y for (y, place) in populations if place == locality and y < year)
    if earlier:
        return earlier[-1], populations[(earlier[-1], locality)]
    return None


def fill_child_population(
    lookups: Lookups,
    unit: np.ndarray,
    indicator_key: pd.Series,
    periods: Periods,
    locality_text: pd.Series,
    figures: Figures,
    has_symbol: np.ndarray,
    denominator_text: pd.Series,
    report: Report,
) -> np.ndarray:
    """Put the child population in the denominator of rates given only as a numerator.

    Fills `figures.denominator` in place and returns which rows needed a population. No
    population for the year is an error; one found (perhaps an earlier year's) is a warning.
    """
    # A rate per 10,000 children given only as a numerator is worked out with the child
    # population (ONS mid-year estimate) the partnership has loaded for that year and locality.
    period_code = periods.code
    value, numerator, denominator = figures.value, figures.numerator, figures.denominator
    is_rate = unit == "rate_per_10k"
    population_used = np.full(len(unit), None, dtype=object)
    needs_population: np.ndarray = is_rate & ~np.isnan(numerator) & np.isnan(denominator)
    if needs_population.any():
        populations = _child_populations(
            lookups, indicator_key, period_code, locality_text, value, has_symbol
        )
        for i in np.flatnonzero(needs_population):
            if period_code[i] is None:
                continue
            found = _population_for(populations, str(period_code[i]), locality_text.iat[i].upper())
            if found is not None:
                denominator[i] = found[1]
                population_used[i] = found[0]
        missing_population = needs_population & np.isnan(denominator) & ~periods.bad
        report.add(
            missing_population,
            "denominator",
            denominator_text,
            lambda i: (
                f"There is no child population for {period_code[i]} to work the rate out from."
            ),
            f"Give the child population in the denominator, or load {POPULATION_CODE} "
            "(the ONS mid-year estimate of children aged 0-17) for that year first.",
        )
        report.add(
            needs_population & ~np.isnan(denominator),
            "denominator",
            "",
            lambda i: (
                f"The rate was worked out with the child population for {population_used[i]}."
            ),
            "No action needed if that population is the right one.",
            severity="warning",
        )
    return needs_population


def check_population_positive(
    indicator_key: pd.Series, value: np.ndarray, value_text: pd.Series, report: Report
) -> None:
    """A child population of 0 (or less) is refused: every rate per 10,000 children of that year
    and place would divide by it."""
    report.add(
        (indicator_key == POPULATION_CODE).to_numpy() & ~np.isnan(value) & (value <= 0),
        "value",
        value_text,
        "The child population is 0 or less. It is the denominator of every rate per 10,000 "
        "children for that year and place, so no rate could be worked out from it.",
        "Give the ONS mid-year estimate of children aged 0-17 (for a locality, its own "
        "estimate); leave the row out if the estimate is not known yet.",
    )
