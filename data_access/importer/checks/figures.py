"""Checks of each figure as a whole: worked out from its parts, given, in range, agreeing, whole."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_access.importer.checks.codes import StatusSymbols
from data_access.importer.checks.numbers import Figures
from data_access.importer.checks.report import Report
from data_access.importer.format import SYMBOLS_WITHOUT_VALUE
from data_access.importer.reading import RawTable

# A percentage given with numerator and denominator may be rounded to a whole number.
PERCENTAGE_ROUNDING_TOLERANCE = 0.5 + 1e-9
# A rate per 10,000 is published to one decimal place.
RATE_ROUNDING_TOLERANCE = 0.05 + 1e-9
NON_NEGATIVE_UNITS = ("count", "percentage", "rate_per_10k", "days")


@dataclass
class Derived:
    derivable: np.ndarray  # the value was blank and is worked out from its parts
    worked_out: np.ndarray  # scale x numerator / denominator, NaN without a positive denominator


def derive_values(figures: Figures, unit: np.ndarray) -> Derived:
    """Work out a blank percentage or rate from its numerator and denominator (into `figures`)."""
    value, numerator, denominator = figures.value, figures.numerator, figures.denominator
    is_rate = unit == "rate_per_10k"
    built_from_parts = (unit == "percentage") | is_rate
    scale = np.where(is_rate, 10_000.0, 100.0)
    derivable = (
        np.isnan(value)
        & built_from_parts
        & ~np.isnan(numerator)
        & ~np.isnan(denominator)
        & (denominator > 0)
        & (numerator >= 0)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        worked_out = np.where(denominator > 0, scale * numerator / denominator, np.nan)
    figures.value = np.where(derivable, np.round(worked_out, 1), value)
    return Derived(derivable=derivable, worked_out=worked_out)


def check_uncalculated_formulas(
    table: RawTable, row_numbers: np.ndarray, report: Report
) -> np.ndarray:
    """Figures that are formulas saved without a result; returns which value cells are such."""
    n = len(row_numbers)
    # A formula saved without its calculated value reads as an empty cell: say so, rather than
    # "No value", so the officer knows the figure is there but was never worked out.
    value_uncalculated = np.zeros(n, dtype=bool)
    for column in ("value", "numerator", "denominator"):
        uncalculated = (
            np.array([(int(r), column) in table.uncalculated for r in row_numbers], dtype=bool)
            if table.uncalculated
            else np.zeros(n, dtype=bool)
        )
        report.add(
            uncalculated,
            column,
            "(formula)",
            "This cell holds a formula that was saved without its result, so there is no "
            "figure to read.",
            "Open the file in Excel so the formula is calculated and save it again, or "
            "type the figure in as a number.",
        )
        if column == "value":
            value_uncalculated = uncalculated
    return value_uncalculated


def check_value_given(
    value_text: pd.Series,
    figures: Figures,
    derived: Derived,
    symbols: StatusSymbols,
    needs_population: np.ndarray,
    value_uncalculated: np.ndarray,
    report: Report,
) -> None:
    """No value and nothing to work it out from; a value beside a symbol that replaces it."""
    value_cell_blank = (value_text == "").to_numpy() & ~value_uncalculated
    symbol_replaces_value = symbols.has & symbols.text.isin(SYMBOLS_WITHOUT_VALUE).to_numpy()
    report.add(
        value_cell_blank & ~derived.derivable & ~symbols.has & ~needs_population,
        "value",
        "",
        "No value.",
        "Give the figure, or a status symbol (c, k, u, x or z) if it cannot be given.",
    )
    report.add(
        symbol_replaces_value & ~np.isnan(figures.value) & ~value_cell_blank,
        "value",
        value_text,
        lambda i: f"A value is given with status symbol '{symbols.text.iat[i]}'.",
        "Leave value blank when the symbol is c (suppressed), x (not available) or "
        "z (not applicable).",
    )


def check_ranges(
    figures: Figures, unit: np.ndarray, text: dict[str, pd.Series], report: Report
) -> None:
    """Negative figures, percentages outside 0-100, and a numerator above its denominator."""
    value, numerator, denominator = figures.value, figures.numerator, figures.denominator
    is_percentage = unit == "percentage"
    non_negative = np.isin(unit, NON_NEGATIVE_UNITS)
    report.add(
        non_negative & ~is_percentage & (value < 0),
        "value",
        text["value"],
        "A negative figure for a count, rate or number of days.",
        "Counts, rates and days cannot be below 0: check the figure.",
    )
    report.add(
        is_percentage & ((value < 0) | (value > 100)),
        "value",
        text["value"],
        "A percentage outside 0-100.",
        "Write percentages as numbers from 0 to 100 (45.5 for 45.5%, not 0.455 or 4550).",
    )
    for column, values in (("numerator", numerator), ("denominator", denominator)):
        report.add(
            values < 0,
            column,
            text[column],
            f"A negative {column}.",
            f"The {column} is a count and cannot be below 0.",
        )
    report.add(
        numerator > denominator,
        "numerator",
        text["numerator"],
        lambda i: f"The numerator is larger than the denominator ({denominator[i]:g}).",
        "The numerator counts part of the denominator: check the two are not swapped.",
    )


def check_parts_agree(
    figures: Figures,
    unit: np.ndarray,
    derived: Derived,
    text: dict[str, pd.Series],
    report: Report,
) -> None:
    """A percentage or rate that its numerator and denominator do not give; a zero denominator."""
    value, numerator, denominator = figures.value, figures.numerator, figures.denominator
    worked_out = derived.worked_out
    is_percentage = unit == "percentage"
    is_rate = unit == "rate_per_10k"
    built_from_parts = is_percentage | is_rate
    tolerance = np.where(is_rate, RATE_ROUNDING_TOLERANCE, PERCENTAGE_ROUNDING_TOLERANCE)
    consistent_parts = (
        built_from_parts
        & ~derived.derivable
        & ~np.isnan(value)
        & (denominator > 0)
        & (numerator <= denominator)
        & (numerator >= 0)
    )
    inconsistent = consistent_parts & (np.abs(value - worked_out) > tolerance)
    report.add(
        inconsistent & is_percentage,
        "value",
        text["value"],
        lambda i: (
            f"The value does not match numerator / denominator, which is {worked_out[i]:.1f}%."
        ),
        "Check the value, numerator and denominator; the value should be "
        "100 x numerator / denominator.",
    )
    report.add(
        inconsistent & is_rate,
        "value",
        text["value"],
        lambda i: (
            f"The rate does not match its numerator and denominator, which give "
            f"{worked_out[i]:.1f} per 10,000."
        ),
        "Check the value, numerator and denominator; the rate should be "
        "10,000 x numerator / denominator (the child population), to one decimal place.",
    )
    zero_denominator = built_from_parts & (denominator == 0) & ~np.isnan(value)
    report.add(
        zero_denominator,
        "denominator",
        text["denominator"],
        "The denominator is 0, so there is no percentage or rate.",
        "Leave value blank and put z (not applicable) in status_symbol.",
    )


def check_whole_counts(
    value: np.ndarray, unit: np.ndarray, value_text: pd.Series, report: Report
) -> None:
    """A count that is not a whole number (a warning: some 'counts' are averages)."""
    whole = np.isnan(value) | (np.abs(value - np.round(value)) < 1e-9)
    report.add(
        (unit == "count") & ~whole,
        "value",
        value_text,
        "A count that is not a whole number.",
        "Check the figure; counts are usually whole numbers.",
        severity="warning",
    )
