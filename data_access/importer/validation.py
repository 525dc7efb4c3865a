"""Row-by-row checks of a return, vectorised over the whole table (no query per row).

Every problem becomes one line of the report: the spreadsheet row number, the column heading as
written in the file, the value found, what is wrong and what to do. Errors stop a row from being
loaded; warnings do not.

Why some things are warnings, not errors: an agency returning an indicator its sector is not
expected to return, or a breakdown the catalogue does not declare, is unusual but not wrong - the
catalogue can lag behind what partners actually collect, and a QA officer should see it and decide,
not have the whole return bounced. The same goes for a count that is not a whole number (some
"counts" are averages, e.g. caseloads) and for an inactive agency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from data_access.importer.checks.breakdowns import (
    AgencyScope,
    check_agency_scope,
    check_breakdowns,
    check_submitting_agency,
)
from data_access.importer.checks.cells import text_cells
from data_access.importer.checks.codes import (
    AgencyCodes,
    IndicatorCodes,
    LocalityCodes,
    StatusSymbols,
    check_agency_codes,
    check_indicator_codes,
    check_locality_codes,
    check_status_symbols,
)
from data_access.importer.checks.comments import check_comment_length
from data_access.importer.checks.duplicates import check_duplicates
from data_access.importer.checks.figures import (
    check_parts_agree,
    check_ranges,
    check_uncalculated_formulas,
    check_value_given,
    check_whole_counts,
    derive_values,
)
from data_access.importer.checks.numbers import Figures, check_numbers
from data_access.importer.checks.periods import Periods, check_periods
from data_access.importer.checks.population import (
    check_population_positive,
    fill_child_population,
)
from data_access.importer.checks.report import Report
from data_access.importer.lookups import Lookups
from data_access.importer.reading import RawTable


@dataclass
class ValidationResult:
    """The checked rows (typed, with ids) and the report of every problem found."""

    rows: pd.DataFrame
    issues: pd.DataFrame
    file_notes: list[str] = field(default_factory=list)
    # Spreadsheet rows left blank (no value, parts, symbol or comment): figures not given, such
    # as the rows of a template a partner did not fill in. Skipped, never errors.
    not_given: list[int] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return int(self.rows["has_error"].sum()) if len(self.rows) else 0

    @property
    def valid_rows(self) -> pd.DataFrame:
        """The rows with no error (warnings allowed): what 'load only the valid rows' loads."""
        errors = self.rows["has_error"].to_numpy()
        if not errors.any():  # a shallow copy, not a second copy of every row
            return self.rows.copy(deep=False)
        return self.rows[~errors]

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "warning"]

    @property
    def ok(self) -> bool:
        return self.errors.empty and len(self.rows) > 0


def validate_table(
    table: RawTable,
    lookups: Lookups,
    submitting_agency: str | None = None,
    scope: AgencyScope | None = None,
) -> ValidationResult:
    """Check every row of `table` against the catalogue, agencies, localities and periods.

    The checks run in a fixed order; the report keeps that order within a row (errors first).
    With a `scope` (an agency submitter's agencies), a row for any other agency is an error.
    Rows whose figure columns are all blank are figures not given (a partial return): they are
    set aside before any check and counted in `ValidationResult.not_given`.
    """
    table, not_given = _without_figures_not_given(table)
    cells = table.cells
    row_numbers = np.asarray(table.row_numbers, dtype=np.int64)
    report = Report(row_numbers, table.headings)
    text = {name: text_cells(cells[name]) for name in cells.columns}  # each column's cells as text

    indicators = check_indicator_codes(text["indicator_code"], lookups, report)
    periods = check_periods(cells["period"], text["period"], indicators.refs, lookups.today, report)
    agencies = check_agency_codes(text["agency_code"], lookups, report)
    localities = check_locality_codes(text["locality_code"], lookups, report)
    symbols = check_status_symbols(text["status_symbol"], report)

    unit = indicators.unit
    figures = check_numbers(cells, text, unit, report)
    check_population_positive(indicators.key, figures.value, text["value"], report)
    needs_population = fill_child_population(
        lookups,
        unit,
        indicators.key,
        periods,
        localities.text,
        figures,
        symbols.has,
        text["denominator"],
        report,
    )
    derived = derive_values(figures, unit)
    value_uncalculated = check_uncalculated_formulas(table, row_numbers, report)
    check_value_given(
        text["value"], figures, derived, symbols, needs_population, value_uncalculated, report
    )
    check_ranges(figures, unit, text, report)
    check_parts_agree(figures, unit, derived, text, report)
    check_comment_length(text["comment"], report)
    check_whole_counts(figures.value, unit, text["value"], report)

    check_breakdowns(indicators.refs, agencies, localities, report)
    check_agency_scope(scope, text["indicator_code"], agencies, report)
    file_notes = [
        *table.notes,
        *check_submitting_agency(submitting_agency, lookups, agencies, report),
    ]
    check_duplicates(indicators, periods, agencies, localities, row_numbers, report)

    issues = report.frame()
    rows = _checked_rows(
        row_numbers,
        indicators,
        periods,
        agencies,
        localities,
        symbols,
        figures,
        text["comment"],
        report.error_mask,
    )
    return ValidationResult(rows=rows, issues=issues, file_notes=file_notes, not_given=not_given)


# A row with all of these blank gives no figure: a template row the partner left empty.
FIGURE_COLUMNS = ("value", "numerator", "denominator", "status_symbol", "comment")


def _without_figures_not_given(table: RawTable) -> tuple[RawTable, list[int]]:
    """The table without its rows that give no figure, and those rows' spreadsheet numbers."""
    blank = np.ones(len(table.row_numbers), dtype=bool)
    for column in FIGURE_COLUMNS:
        blank &= (text_cells(table.cells[column]) == "").to_numpy()
    if table.uncalculated:  # a formula saved without its result is a figure, unreadable
        with_formula = {row for row, _ in table.uncalculated}
        blank &= np.array([r not in with_formula for r in table.row_numbers], dtype=bool)
    if not blank.any():
        return table, []
    given = ~blank
    not_given = [int(r) for r, b in zip(table.row_numbers, blank, strict=True) if b]
    kept = replace(
        table,
        cells=table.cells[given].reset_index(drop=True),
        row_numbers=[int(r) for r, g in zip(table.row_numbers, given, strict=True) if g],
    )
    return kept, not_given


def _text_column(values: Iterable[object]) -> pd.Series:
    # object dtype keeps None as None (pandas would otherwise infer a string dtype with NaN).
    return pd.Series(list(values), dtype=object)


def _checked_rows(
    row_numbers: np.ndarray,
    indicators: IndicatorCodes,
    periods: Periods,
    agencies: AgencyCodes,
    localities: LocalityCodes,
    symbols: StatusSymbols,
    figures: Figures,
    comment_text: pd.Series,
    has_error: np.ndarray,
) -> pd.DataFrame:
    """The rows as loaded: codes as the catalogue spells them, ids, numbers, has_error."""
    return pd.DataFrame(
        {
            "row": row_numbers,
            "indicator_code": _text_column(
                r.code if r is not None else None for r in indicators.refs
            ),
            "period_code": _text_column(periods.code),
            "agency_code": _text_column(r.code if r is not None else None for r in agencies.refs),
            "locality_code": _text_column(
                np.where(localities.has & localities.known, localities.key.to_numpy(), None)
            ),
            "indicator_id": _text_column(indicators.ids),
            "agency_id": _text_column(agencies.ids),
            "locality_id": _text_column(localities.ids),
            "value": figures.value,
            "numerator": figures.numerator,
            "denominator": figures.denominator,
            "status_symbol": _text_column(
                np.where(symbols.has & symbols.good, symbols.text.to_numpy(), None)
            ),
            "comment": _text_column(comment_text),
            "qualifier": _text_column(figures.qualifier),
            "has_error": has_error,
        },
        copy=False,
    )  # the columns are this function's own: no second copy of them
