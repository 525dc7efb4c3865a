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

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.importer.format import SYMBOLS_WITHOUT_VALUE
from data_access.importer.lookups import Lookups
from data_access.importer.reading import RawTable
from data_access.models import GSS_SYMBOLS
from data_access.periods import Quarter

ISSUE_COLUMNS = ["row", "column", "value", "severity", "problem", "what_to_do"]
# A percentage given with numerator and denominator may be rounded to a whole number.
PERCENTAGE_ROUNDING_TOLERANCE = 0.5 + 1e-9
NON_NEGATIVE_UNITS = ("count", "percentage", "rate_per_10k", "days")

_NUMBER_NOISE = re.compile(r"[,\s£%']")
_DATE_TEXT = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?$")


@dataclass
class ValidationResult:
    """The checked rows (typed, with ids) and the report of every problem found."""

    rows: pd.DataFrame
    issues: pd.DataFrame
    file_notes: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return int(self.rows["has_error"].sum()) if len(self.rows) else 0

    @property
    def valid_rows(self) -> pd.DataFrame:
        """The rows with no error (warnings allowed): what 'load only the valid rows' loads."""
        return self.rows[~self.rows["has_error"]]

    @property
    def errors(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "error"]

    @property
    def warnings(self) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == "warning"]

    @property
    def ok(self) -> bool:
        return self.errors.empty and len(self.rows) > 0


def _text(series: pd.Series) -> pd.Series:
    """Cells as stripped text ('' for empty); whole floats from Excel lose their '.0'."""

    def one(cell: object) -> str:
        if cell is None:
            return ""
        if isinstance(cell, float):
            if math.isnan(cell):
                return ""
            return str(int(cell)) if cell.is_integer() else repr(cell)
        if isinstance(cell, dt.datetime):
            return cell.isoformat(sep=" ")
        return str(cell).strip()

    return pd.Series([one(c) for c in series], index=series.index, dtype=object)


def _numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse a numeric column: (values with NaN for blank/bad, bad-mask, looks-like-a-date mask)."""
    values = np.full(len(series), np.nan)
    bad = np.zeros(len(series), dtype=bool)
    dates = np.zeros(len(series), dtype=bool)
    texts: dict[int, str] = {}
    for i, cell in enumerate(series):
        if cell is None:
            continue
        if isinstance(cell, bool):
            bad[i] = True
        elif isinstance(cell, (int, float, np.integer, np.floating)):
            values[i] = float(cell)
            bad[i] = not math.isfinite(values[i])
            if bad[i]:
                values[i] = np.nan
        elif isinstance(cell, (dt.date, dt.time)):
            bad[i] = dates[i] = True
        else:
            text = str(cell).strip()
            if text:
                texts[i] = text
    if texts:
        index = np.fromiter(texts.keys(), dtype=np.int64, count=len(texts))
        raw = pd.Series(list(texts.values()), dtype=object)
        cleaned = raw.str.replace(_NUMBER_NOISE, "", regex=True)
        # Accounting negatives "(12)" are rare in returns and ambiguous; treat as not a number.
        parsed = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
        finite = np.isfinite(parsed)
        values[index[finite]] = parsed[finite]
        bad[index[~finite]] = True
        looks_like_date = raw.str.match(_DATE_TEXT).to_numpy(dtype=bool)
        dates[index[looks_like_date]] = True
    return values, bad, dates


def _quarter_for(cell: object, today: dt.date) -> tuple[str | None, str | None, bool]:
    """(period code, problem, read from a date) for one distinct period cell."""
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        quarter = Quarter.containing(cell)
        from_date = True
    else:
        text = "" if cell is None else str(cell).strip()
        if not text:
            return None, "No period given.", False
        try:
            quarter = Quarter.parse(text)
            from_date = False
        except ValueError:
            try:
                quarter = Quarter.containing(dt.date.fromisoformat(text[:10]))
                from_date = True
            except ValueError:
                return None, f"'{text}' is not a quarter.", False
    if not 2000 <= quarter.fy_start_year <= 2100:
        return None, f"{quarter.code} is outside the years this dashboard covers.", from_date
    if quarter.end_date >= today:
        return None, (f"{quarter.code} has not ended yet (it ends on "
                      f"{quarter.end_date:%d %B %Y}); returns are for quarters that have ended."
                      ), from_date
    return quarter.code, None, from_date


def _lookup(keys: pd.Series, mapping: dict) -> pd.Series:
    """Map keys through a dict, leaving None (never NaN) where a key is unknown."""
    return pd.Series([mapping.get(k) for k in keys], index=keys.index, dtype=object)


def _suggest(code: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(code.upper(), choices, n=1, cutoff=0.75)
    return f" Did you mean {close[0]}?" if close else ""


def _advice(codes: pd.Series, unknown: np.ndarray, choices: list[str], advice: str) -> np.ndarray:
    """Per row: the advice, plus 'Did you mean ...?' for unknown codes (each distinct code once)."""
    out = np.full(len(codes), advice, dtype=object)
    if unknown.any():
        hints = {code: _suggest(code, choices) for code in codes[unknown].unique()}
        out[unknown] = [advice + hints[c] for c in codes[unknown]]
    return out


class _Report:
    def __init__(self, row_numbers: np.ndarray, headings: dict[str, str]) -> None:
        self.row_numbers = row_numbers
        self.headings = headings
        self.parts: list[pd.DataFrame] = []
        self.error_mask = np.zeros(len(row_numbers), dtype=bool)

    def add(self, mask: np.ndarray, column: str, values: pd.Series | np.ndarray | str,
            problem: pd.Series | str, what_to_do: pd.Series | str,
            severity: str = "error") -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if severity == "error":
            self.error_mask |= mask

        def pick(x: pd.Series | np.ndarray | str) -> object:
            if isinstance(x, str):
                return x
            return np.asarray(x, dtype=object)[mask]

        self.parts.append(pd.DataFrame({
            "row": self.row_numbers[mask],
            "column": self.headings.get(column, column) or column,
            "value": pick(values),
            "severity": severity,
            "problem": pick(problem),
            "what_to_do": pick(what_to_do),
        }))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS})
        issues = pd.concat(self.parts, ignore_index=True)
        issues["value"] = issues["value"].map(lambda v: "" if v is None else str(v))
        issues["_order"] = issues["severity"].map({"error": 0, "warning": 1})
        issues = issues.sort_values(["row", "_order"], kind="stable").drop(columns="_order")
        return issues.reset_index(drop=True)[ISSUE_COLUMNS]


def validate_table(table: RawTable, lookups: Lookups,
                   submitting_agency: str | None = None) -> ValidationResult:
    """Check every row of `table` against the catalogue, agencies, localities and periods."""
    cells = table.cells
    n = len(cells)
    row_numbers = np.asarray(table.row_numbers, dtype=np.int64)
    report = _Report(row_numbers, table.headings)
    text = {name: _text(cells[name]) for name in cells.columns}  # each column's cells as text

    # --- codes ----------------------------------------------------------------------------------
    indicator_text = text["indicator_code"]
    indicator_key = indicator_text.str.upper()
    indicator_refs = _lookup(indicator_key, lookups.indicators)
    known_indicator = indicator_refs.notna().to_numpy()
    blank = (indicator_key == "").to_numpy()
    report.add(blank, "indicator_code", indicator_text, "No indicator code.",
               "Write the indicator's code, as listed on the template's Guidance sheet.")
    unknown = ~known_indicator & ~blank
    report.add(unknown, "indicator_code", indicator_text, "Unknown indicator code.",
               _advice(indicator_key, unknown, sorted(lookups.indicators),
                       "Use a code from the Guidance sheet."))
    indicator_id = indicator_refs.map(lambda r: r.id if r is not None else None)
    unit = indicator_refs.map(lambda r: r.unit if r is not None else "").to_numpy(dtype=object)

    period_shown = text["period"]
    period_keys = [c if isinstance(c, (dt.date, dt.datetime)) else t
                   for c, t in zip(cells["period"], period_shown, strict=True)]
    distinct_periods = {key: _quarter_for(key, lookups.today) for key in set(period_keys)}
    period_code = np.array([distinct_periods[k][0] for k in period_keys], dtype=object)
    period_problem = np.array([distinct_periods[k][1] for k in period_keys], dtype=object)
    period_from_date = np.array([distinct_periods[k][2] for k in period_keys], dtype=bool)
    bad_period = np.array([p is not None for p in period_problem], dtype=bool)
    report.add(bad_period, "period", period_shown, period_problem,
               "Write the quarter like 2025-26 Q2 (April-March financial years); only quarters "
               "that have ended can be loaded.")
    report.add(period_from_date & ~bad_period, "period", period_shown,
               pd.Series(period_code).map(lambda c: f"A date was given; it was read as {c}."),
               "Check this is the quarter you meant; write it like 2025-26 Q2 to be sure.",
               severity="warning")

    agency_text = text["agency_code"]
    agency_refs = _lookup(agency_text.str.upper(), lookups.agencies)
    has_agency = (agency_text != "").to_numpy()
    known_agency = agency_refs.notna().to_numpy()
    agency_choices = sorted(lookups.agencies)
    unknown_agency = has_agency & ~known_agency
    report.add(unknown_agency, "agency_code", agency_text, "Unknown agency code.",
               _advice(agency_text, unknown_agency, agency_choices,
                       "Use an agency code from the template, or leave blank for the whole "
                       "partnership."))
    inactive = np.array([r is not None and not r.active for r in agency_refs], dtype=bool)
    report.add(inactive, "agency_code", agency_text, "This agency is marked inactive.",
               "Check the agency code; ask an administrator if the agency is active again.",
               severity="warning")
    agency_id = agency_refs.map(lambda r: r.id if r is not None else None)

    locality_text = text["locality_code"]
    locality_id = _lookup(locality_text.str.upper(), lookups.localities)
    has_locality = (locality_text != "").to_numpy()
    known_locality = locality_id.notna().to_numpy()
    locality_choices = sorted(lookups.localities)
    unknown_locality = has_locality & ~known_locality
    report.add(unknown_locality, "locality_code", locality_text, "Unknown locality code.",
               _advice(locality_text, unknown_locality, locality_choices,
                       "Use a locality code from the Guidance sheet, or leave blank for all "
                       "localities."))

    symbol_text = text["status_symbol"].str.lower()
    has_symbol = (symbol_text != "").to_numpy()
    good_symbol = symbol_text.isin(GSS_SYMBOLS).to_numpy()
    report.add(has_symbol & ~good_symbol, "status_symbol", text["status_symbol"],
               "Not a Government Statistical Service symbol.",
               "Use one of c (suppressed), k (rounds to 0), u (low reliability), "
               "x (not available), z (not applicable), or leave blank.")

    # --- numbers --------------------------------------------------------------------------------
    numbers = {}
    for column in ("value", "numerator", "denominator"):
        values, bad, dates = _numbers(cells[column])
        shown = text[column]
        report.add(bad & dates, column, shown, "This looks like a date, not a number.",
                   "Excel may have turned the number into a date: format the cell as Number and "
                   "type the figure again.")
        report.add(bad & ~dates, column, shown, "Not a number.",
                   "Write the figure as a plain number (e.g. 1234 or 45.5); put c, k, u, x or z "
                   "in status_symbol instead of a value.")
        numbers[column] = values
    value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
    is_percentage = unit == "percentage"

    derivable = (np.isnan(value) & is_percentage & ~np.isnan(numerator)
                 & ~np.isnan(denominator) & (denominator > 0) & (numerator >= 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        worked_out = np.where(denominator > 0, 100.0 * numerator / denominator, np.nan)
    value = np.where(derivable, np.round(worked_out, 1), value)

    value_cell_blank = (text["value"] == "").to_numpy()
    symbol_replaces_value = has_symbol & symbol_text.isin(SYMBOLS_WITHOUT_VALUE).to_numpy()
    report.add(value_cell_blank & ~derivable & ~has_symbol, "value", "",
               "No value.",
               "Give the figure, or a status symbol (c, k, u, x or z) if it cannot be given.")
    report.add(symbol_replaces_value & ~np.isnan(value) & ~value_cell_blank, "value",
               text["value"],
               symbol_text.map(lambda s: f"A value is given with status symbol '{s}'."),
               "Leave value blank when the symbol is c (suppressed), x (not available) or "
               "z (not applicable).")

    non_negative = np.isin(unit, NON_NEGATIVE_UNITS)
    report.add(non_negative & ~is_percentage & (value < 0), "value", text["value"],
               "A negative figure for a count, rate or number of days.",
               "Counts, rates and days cannot be below 0: check the figure.")
    report.add(is_percentage & ((value < 0) | (value > 100)), "value", text["value"],
               "A percentage outside 0-100.",
               "Write percentages as numbers from 0 to 100 (45.5 for 45.5%, not 0.455 or 4550).")
    for column, values in (("numerator", numerator), ("denominator", denominator)):
        report.add(values < 0, column, text[column], f"A negative {column}.",
                   f"The {column} is a count and cannot be below 0.")
    report.add(numerator > denominator, "numerator", text["numerator"],
               pd.Series(denominator).map(lambda d: f"The numerator is larger than the "
                                          f"denominator ({d:g})."),
               "The numerator counts part of the denominator: check the two are not swapped.")
    inconsistent = (is_percentage & ~derivable & ~np.isnan(value) & (denominator > 0)
                    & (numerator <= denominator) & (numerator >= 0)
                    & (np.abs(value - worked_out) > PERCENTAGE_ROUNDING_TOLERANCE))
    report.add(inconsistent, "value", text["value"],
               pd.Series(worked_out).map(lambda w: f"The value does not match numerator / "
                                         f"denominator, which is {w:.1f}%."),
               "Check the value, numerator and denominator; the value should be "
               "100 x numerator / denominator.")
    zero_denominator = is_percentage & (denominator == 0) & ~np.isnan(value)
    report.add(zero_denominator, "denominator", text["denominator"],
               "The denominator is 0, so there is no percentage.",
               "Leave value blank and put z (not applicable) in status_symbol.")
    whole = np.isnan(value) | (np.abs(value - np.round(value)) < 1e-9)
    report.add((unit == "count") & ~whole, "value", text["value"],
               "A count that is not a whole number.",
               "Check the figure; counts are usually whole numbers.", severity="warning")

    # --- the breakdown is one the catalogue expects -----------------------------------------------
    sectors = agency_refs.map(lambda r: r.sector if r is not None else None)
    unexpected_breakdown = []
    not_their_sector = []
    locality_not_declared = []
    for ref, sector, with_agency, with_locality in zip(indicator_refs, sectors, has_agency,
                                                       has_locality, strict=True):
        if ref is None:
            unexpected_breakdown.append(False)
            not_their_sector.append(False)
            locality_not_declared.append(False)
            continue
        by_agency = "agency" in ref.breakdowns
        unexpected_breakdown.append(bool(with_agency and sector and not by_agency))
        not_their_sector.append(bool(with_agency and sector and by_agency
                                     and sector not in ref.reported_by))
        locality_not_declared.append(bool(with_locality and "locality" not in ref.breakdowns))
    report.add(np.array(unexpected_breakdown, dtype=bool), "agency_code", agency_text,
               "This indicator is reported for the partnership as a whole, not per agency.",
               "Leave agency_code blank unless the partnership asked for an agency figure.",
               severity="warning")
    report.add(np.array(not_their_sector, dtype=bool), "agency_code", agency_text,
               pd.Series([f"Agencies in the {s} sector are not expected to report this "
                          "indicator." for s in sectors]),
               "Check the indicator code; the figure will still be loaded.", severity="warning")
    report.add(np.array(locality_not_declared, dtype=bool), "locality_code", locality_text,
               "This indicator is not normally broken down by locality.",
               "Check the locality code; the figure will still be loaded.", severity="warning")
    file_notes = list(table.notes)
    if submitting_agency:
        submitter = lookups.agencies.get(submitting_agency.strip().upper())
        if submitter is None:
            file_notes.append(f"There is no agency with code '{submitting_agency}', so the "
                              "return will be recorded without an agency.")
        else:
            foreign = has_agency & known_agency & (agency_text.str.upper()
                                                   != submitter.code.upper()).to_numpy()
            report.add(foreign, "agency_code", agency_text,
                       f"The file is being loaded as {submitter.code}'s return but this row is "
                       "for another agency.",
                       "Check the agency code; the figure will still be loaded.",
                       severity="warning")

    # --- duplicates: the same figure twice ------------------------------------------------------
    keys = pd.DataFrame({
        "indicator": indicator_key.to_numpy(),
        "period": np.where(pd.isna(period_code), period_shown.to_numpy(), period_code),
        "agency": agency_text.str.upper().to_numpy(),
        "locality": locality_text.str.upper().to_numpy(),
    })
    duplicated = keys.duplicated(keep=False).to_numpy() & ~blank
    if duplicated.any():
        groups = keys[duplicated].groupby(list(keys.columns), sort=False).ngroup()
        rows_of_group = pd.Series(row_numbers[duplicated]).groupby(groups.to_numpy()).agg(
            lambda rows: ", ".join(str(r) for r in rows))
        listing = groups.map(rows_of_group).to_numpy()
        message = np.full(n, "", dtype=object)
        message[duplicated] = [f"The same indicator, period, agency and locality appear in rows "
                               f"{rows}." for rows in listing]
        report.add(duplicated, "indicator_code", indicator_text, message,
                   "Keep one row for each figure and delete the others.")

    issues = report.frame()
    def text_column(values: object) -> pd.Series:
        # object dtype keeps None as None (pandas would otherwise infer a string dtype with NaN).
        return pd.Series(list(values), dtype=object)  # type: ignore[call-overload]

    rows = pd.DataFrame({
        "row": row_numbers,
        "indicator_code": text_column(r.code if r is not None else None for r in indicator_refs),
        "period_code": text_column(period_code),
        "agency_code": text_column(r.code if r is not None else None for r in agency_refs),
        "locality_code": text_column(
            np.where(has_locality & known_locality, locality_text.str.upper().to_numpy(), None)),
        "indicator_id": text_column(indicator_id),
        "agency_id": text_column(agency_id),
        "locality_id": text_column(locality_id),
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "status_symbol": text_column(
            np.where(has_symbol & good_symbol, symbol_text.to_numpy(), None)),
        "comment": text_column(text["comment"]),
        "has_error": report.error_mask,
    })
    return ValidationResult(rows=rows, issues=issues, file_notes=file_notes)
