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
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.importer.format import SYMBOLS_WITHOUT_VALUE
from data_access.importer.lookups import Lookups
from data_access.importer.reading import RawTable
from data_access.models import GSS_SYMBOLS
from data_access.periods import AcademicYear, FinancialYear, Period, Quarter, parse_period

ISSUE_COLUMNS = ["row", "column", "value", "severity", "problem", "what_to_do"]
# A percentage given with numerator and denominator may be rounded to a whole number.
PERCENTAGE_ROUNDING_TOLERANCE = 0.5 + 1e-9
# A rate per 10,000 is published to one decimal place.
RATE_ROUNDING_TOLERANCE = 0.05 + 1e-9
MAX_COMMENT_CHARS = 2000
# The reference figure rates per 10,000 children are worked out from.
POPULATION_CODE = "CHILD_POPULATION"
NON_NEGATIVE_UNITS = ("count", "percentage", "rate_per_10k", "days")

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


# Numbers written as text. The rules (documented in importer/__init__.py): a plain number with a
# decimal point; thousands written with commas (or spaces) in groups of exactly three digits; a
# comma is never read as a decimal point, and a comma that could be either is refused rather than
# guessed, because guessing once turned 17,5 into 175.
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_ONE_THOUSANDS_GROUP = re.compile(r"^[+-]?\d{1,3},\d{3}$")
_SPACED_THOUSANDS = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_EUROPEAN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+(\.\d{3})*,\d+$")
_EXPONENT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
# No figure in a partnership return comes near this; anything larger is a typing or export error.
MAX_MAGNITUDE = 1e9

# Why a cell is not read as a number (keys of NUMBER_PROBLEMS).
NOT_A_NUMBER, LOOKS_LIKE_DATE, AMBIGUOUS_COMMA, EUROPEAN, EXPONENT, TOO_LARGE, PERCENT_SIGN = (
    "not_a_number",
    "date",
    "ambiguous_comma",
    "european",
    "exponent",
    "too_large",
    "percent",
)


NUMBER_PROBLEMS: dict[str, tuple[str, str]] = {
    NOT_A_NUMBER: (
        "Not a number.",
        "Write the figure as a plain number (e.g. 1234 or 45.5); put c, k, u, x or z "
        "in status_symbol instead of a value.",
    ),
    LOOKS_LIKE_DATE: (
        "This looks like a date, not a number.",
        "Excel may have turned the number into a date: format the cell as Number "
        "and type the figure again.",
    ),
    AMBIGUOUS_COMMA: (
        "The comma could be a decimal point or a thousands separator, so the "
        "figure was not read (it is never guessed).",
        "Use a full stop for decimals (17.5, not 17,5) and no commas in decimals; "
        "write thousands without a separator (1234).",
    ),
    EUROPEAN: (
        "The figure uses full stops for thousands and a comma for decimals "
        "(e.g. 1.234,5), so it was not read.",
        "Write it with a full stop for decimals and no thousands separator, e.g. 1234.5.",
    ),
    EXPONENT: (
        "The figure is in scientific notation (like 1e3).",
        "Write the figure in full as a plain number, e.g. 1000.",
    ),
    TOO_LARGE: (
        f"The figure is larger than {MAX_MAGNITUDE:,.0f}, far beyond anything a "
        "partnership reports.",
        "Check the cell: it may hold an export error or several figures run together.",
    ),
}
UNIT_WORDS = {
    "count": "count",
    "rate_per_10k": "rate per 10,000 children",
    "days": "number of days",
    "score": "score",
    "percentage": "percentage",
}


# A bound instead of an exact figure: ">40" or "more than 40%" is recorded as 40 with the
# qualifier "more than" (published tables say "more than 40%" when the exact figure is withheld).
_BOUND = re.compile(
    r"^(>=|≥|=>|<=|≤|=<|>|<|more than|greater than|over|above|less than|fewer than|under|below|"
    r"at least|at most|no more than|no less than)\s*",
    re.IGNORECASE,
)
_BOUND_WORDS = {
    ">=": "at least",
    "≥": "at least",
    "=>": "at least",
    "no less than": "at least",
    "<=": "at most",
    "≤": "at most",
    "=<": "at most",
    "no more than": "at most",
    ">": "more than",
    "greater than": "more than",
    "over": "more than",
    "above": "more than",
    "<": "less than",
    "fewer than": "less than",
    "under": "less than",
    "below": "less than",
}


def _parse_number_text(
    text: str, whole_numbers: bool, allow_bound: bool = False
) -> tuple[float, str | None, bool, str | None]:
    """(value, problem, had a % sign, bound qualifier) for a number written as text.

    The value is NaN when there is a problem. `whole_numbers`: the indicator is a count, so
    "1,234" can only mean one thousand two hundred and thirty-four (a count is never 1.234).
    `allow_bound`: a leading ">", "more than"... is read as a bound (value column only).
    """
    qualifier = None
    if allow_bound:
        bound = _BOUND.match(text.strip())
        if bound:
            word = bound.group(1).lower()
            qualifier = _BOUND_WORDS.get(word, word)
            text = text.strip()[bound.end() :]
    value, problem, percent = _parse_plain_number(text, whole_numbers)
    return value, problem, percent, qualifier


def _parse_plain_number(text: str, whole_numbers: bool) -> tuple[float, str | None, bool]:
    if _DATE_TEXT.match(text):
        return math.nan, LOOKS_LIKE_DATE, False
    body = text.strip()
    if body.startswith("'"):  # Excel's "store as text" prefix
        body = body[1:]
    body = body.replace("£", "")
    percent = body.rstrip().endswith("%")
    if percent:
        body = body.rstrip()[:-1]
    body = body.strip()
    compact = _SPACES.sub("", body)
    if _SPACES.search(body) and not _SPACED_THOUSANDS.match(_SPACES.sub(" ", body)):
        return math.nan, NOT_A_NUMBER, percent
    if _PLAIN.match(compact):
        value = float(compact)
    elif _THOUSANDS.match(compact):
        if _ONE_THOUSANDS_GROUP.match(compact) and not whole_numbers:
            return math.nan, AMBIGUOUS_COMMA, percent
        value = float(compact.replace(",", ""))
    elif _DECIMAL_COMMA.match(compact):
        return math.nan, AMBIGUOUS_COMMA, percent
    elif _EUROPEAN.match(compact):
        return math.nan, EUROPEAN, percent
    elif _EXPONENT.match(compact):
        return math.nan, EXPONENT, percent
    else:
        return math.nan, NOT_A_NUMBER, percent
    if abs(value) > MAX_MAGNITUDE:
        return math.nan, TOO_LARGE, percent
    return value, None, percent


def _numbers(
    series: pd.Series, whole_numbers: np.ndarray, allow_bound: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse a numeric column: (values, problem per row or None, had-a-%-sign mask, bounds).

    Each distinct text is parsed once (a return repeats the same few spellings many times).
    """
    n = len(series)
    values = np.full(n, np.nan)
    problems = np.full(n, None, dtype=object)
    percent = np.zeros(n, dtype=bool)
    bounds = np.full(n, None, dtype=object)
    cache: dict[tuple[str, bool], tuple[float, str | None, bool, str | None]] = {}
    for i, cell in enumerate(series):
        if cell is None:
            continue
        if isinstance(cell, bool):
            problems[i] = NOT_A_NUMBER
        elif isinstance(cell, (int, float, np.integer, np.floating)):
            number = float(cell)
            if math.isnan(number):
                continue  # an empty cell pandas filled in
            if not math.isfinite(number):
                problems[i] = NOT_A_NUMBER
            elif abs(number) > MAX_MAGNITUDE:
                problems[i] = TOO_LARGE
            else:
                values[i] = number
        elif isinstance(cell, (dt.date, dt.time)):
            problems[i] = LOOKS_LIKE_DATE
        else:
            text = str(cell).strip()
            if not text:
                continue
            key = (text, bool(whole_numbers[i]))
            if key not in cache:
                cache[key] = _parse_number_text(text, key[1], allow_bound)
            values[i], problems[i], percent[i], bounds[i] = cache[key]
    return values, problems, percent, bounds


_FREQUENCY_PERIOD = {
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


def _objects(values: list[object]) -> np.ndarray:
    """An object array holding these very objects (np.array could copy or reshape them)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _case(series: pd.Series, method: str) -> pd.Series:
    """`series.str.upper()` / `.str.lower()` of text cells, one object per distinct text.

    A return repeats the same few codes on every row: a new string for each cell would cost
    several MB a column at 100,000 rows.
    """
    done: dict[str, str] = {}
    changed = [done[t] if t in done else done.setdefault(t, getattr(t, method)()) for t in series]
    return pd.Series(_objects(changed), index=series.index, dtype=object, copy=False)


def _lookup(keys: pd.Series, mapping: dict) -> pd.Series:
    """Map keys through a dict, leaving None (never NaN) where a key is unknown."""
    return pd.Series([mapping.get(k) for k in keys], index=keys.index, dtype=object)


def _suggest(code: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(code.upper(), choices, n=1, cutoff=0.75)
    return f" Did you mean {close[0]}?" if close else ""


def _advice(codes: pd.Series, unknown: np.ndarray, choices: list[str], advice: str) -> np.ndarray:
    """Per row: the advice, plus 'Did you mean ...?' for unknown codes (each distinct code once)."""
    out = np.empty(len(codes), dtype=object)
    out.fill(advice)  # one string shared by every row (np.full would copy it for each)
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

    def add(
        self,
        mask: np.ndarray,
        column: str,
        values: pd.Series | np.ndarray | str | Callable[[int], str],
        problem: pd.Series | str | Callable[[int], str],
        what_to_do: pd.Series | str,
        severity: str = "error",
    ) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if severity == "error":
            self.error_mask |= mask

        def pick(x: pd.Series | np.ndarray | str | Callable[[int], str]) -> object:
            if isinstance(x, str):
                return x
            if callable(x):  # built only for the rows that have the problem
                return [x(int(i)) for i in np.flatnonzero(mask)]
            return np.asarray(x, dtype=object)[mask]

        self.parts.append(
            pd.DataFrame(
                {
                    "row": self.row_numbers[mask],
                    "column": self.headings.get(column, column) or column,
                    "value": pick(values),
                    "severity": severity,
                    "problem": pick(problem),
                    "what_to_do": pick(what_to_do),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS})
        issues = pd.concat(self.parts, ignore_index=True)
        issues["value"] = issues["value"].map(lambda v: "" if v is None else str(v))
        issues["_order"] = issues["severity"].map({"error": 0, "warning": 1})
        issues = issues.sort_values(["row", "_order"], kind="stable").drop(columns="_order")
        return issues.reset_index(drop=True)[ISSUE_COLUMNS]


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
    populations = dict(lookups.child_population)
    in_file = (
        (indicator_key == POPULATION_CODE).to_numpy()
        & ~np.isnan(value)
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


def validate_table(
    table: RawTable, lookups: Lookups, submitting_agency: str | None = None
) -> ValidationResult:
    """Check every row of `table` against the catalogue, agencies, localities and periods."""
    cells = table.cells
    n = len(cells)
    row_numbers = np.asarray(table.row_numbers, dtype=np.int64)
    report = _Report(row_numbers, table.headings)
    text = {name: _text(cells[name]) for name in cells.columns}  # each column's cells as text

    # --- codes ----------------------------------------------------------------------------------
    indicator_text = text["indicator_code"]
    indicator_key = _case(indicator_text, "upper")
    indicator_refs = _lookup(indicator_key, lookups.indicators)
    known_indicator = indicator_refs.notna().to_numpy()
    blank = (indicator_key == "").to_numpy()
    report.add(
        blank,
        "indicator_code",
        indicator_text,
        "No indicator code.",
        "Write the indicator's code, as listed on the template's Guidance sheet.",
    )
    unknown = ~known_indicator & ~blank
    report.add(
        unknown,
        "indicator_code",
        indicator_text,
        "Unknown indicator code.",
        _advice(
            indicator_key,
            unknown,
            sorted(lookups.indicators),
            "Use a code from the Guidance sheet.",
        ),
    )
    indicator_id = indicator_refs.map(lambda r: r.id if r is not None else None)
    unit = _objects([r.unit if r is not None else "" for r in indicator_refs])

    period_shown = text["period"]
    frequency = [r.frequency if r is not None else "quarterly" for r in indicator_refs]
    # Each distinct (cell, frequency) is read once, and each row points at its reading.
    distinct_periods: dict[tuple[object, str], int] = {}
    reading = np.array(
        [
            distinct_periods.setdefault(
                (c if isinstance(c, (dt.date, dt.datetime)) else t, f), len(distinct_periods)
            )
            for c, t, f in zip(cells["period"], period_shown, frequency, strict=True)
        ],
        dtype=np.int64,
    )
    readings = [_period_for(key[0], key[1], lookups.today) for key in distinct_periods]
    period_code = _objects([r[0] for r in readings])[reading]
    period_problem = _objects([r[1] for r in readings])[reading]
    period_from_date = np.array([r[2] for r in readings], dtype=bool)[reading]
    bad_period = np.array([p is not None for p in period_problem], dtype=bool)
    advice_for = {
        f: _sentence(_FREQUENCY_PERIOD.get(f, _FREQUENCY_PERIOD["quarterly"])[2])
        + "; only periods that have ended can be loaded."
        for f in set(frequency)
    }
    period_advice = _objects([advice_for[f] for f in frequency])
    report.add(bad_period, "period", period_shown, period_problem, period_advice)
    report.add(
        period_from_date & ~bad_period,
        "period",
        period_shown,
        lambda i: f"A date was given; it was read as {period_code[i]}.",
        "Check this is the period you meant; write it like 2025-26 Q2 (a quarter), "
        "2025-26 (a financial year) or AY 2025/26 (an academic year) to be sure.",
        severity="warning",
    )

    agency_text = text["agency_code"]
    agency_key = _case(agency_text, "upper")
    agency_refs = _lookup(agency_key, lookups.agencies)
    has_agency = (agency_text != "").to_numpy()
    known_agency = agency_refs.notna().to_numpy()
    agency_choices = sorted(lookups.agencies)
    unknown_agency = has_agency & ~known_agency
    report.add(
        unknown_agency,
        "agency_code",
        agency_text,
        "Unknown agency code.",
        _advice(
            agency_text,
            unknown_agency,
            agency_choices,
            "Use an agency code from the template, or leave blank for the whole partnership.",
        ),
    )
    inactive = np.array([r is not None and not r.active for r in agency_refs], dtype=bool)
    report.add(
        inactive,
        "agency_code",
        agency_text,
        "This agency is marked inactive.",
        "Check the agency code; ask an administrator if the agency is active again.",
        severity="warning",
    )
    agency_id = agency_refs.map(lambda r: r.id if r is not None else None)

    locality_text = text["locality_code"]
    locality_key = _case(locality_text, "upper")
    locality_id = _lookup(locality_key, lookups.localities)
    has_locality = (locality_text != "").to_numpy()
    known_locality = locality_id.notna().to_numpy()
    locality_choices = sorted(lookups.localities)
    unknown_locality = has_locality & ~known_locality
    report.add(
        unknown_locality,
        "locality_code",
        locality_text,
        "Unknown locality code.",
        _advice(
            locality_text,
            unknown_locality,
            locality_choices,
            "Use a locality code from the Guidance sheet, or leave blank for all localities.",
        ),
    )

    symbol_text = _case(text["status_symbol"], "lower")
    has_symbol = (symbol_text != "").to_numpy()
    good_symbol = symbol_text.isin(GSS_SYMBOLS).to_numpy()
    report.add(
        has_symbol & ~good_symbol,
        "status_symbol",
        text["status_symbol"],
        "Not a Government Statistical Service symbol.",
        "Use one of c (suppressed), k (rounds to 0), u (low reliability), "
        "x (not available), z (not applicable), or leave blank.",
    )

    # --- numbers --------------------------------------------------------------------------------
    numbers = {}
    whole_numbers = unit == "count"
    for column in ("value", "numerator", "denominator"):
        # A numerator or denominator is always a count of children or cases.
        whole = whole_numbers if column == "value" else np.ones(n, dtype=bool)
        values, problems, percent, bounds = _numbers(
            cells[column], whole, allow_bound=column == "value"
        )
        if column == "value":
            qualifier = bounds
        shown = text[column]
        for code, (problem, what_to_do) in NUMBER_PROBLEMS.items():
            report.add(problems == code, column, shown, problem, what_to_do)
        # A % sign is only right on a percentage's value; on a count it changes what the figure
        # means, so it is refused rather than dropped.
        wrong_percent = percent & (problems == None)  # noqa: E711 - elementwise
        if column == "value":
            wrong_percent &= unit != "percentage"
        report.add(
            wrong_percent,
            column,
            shown,
            lambda i: (
                f"A % sign on a figure that is a "
                f"{UNIT_WORDS.get(unit[i], 'number')}, not a percentage."
            ),
            "Write the figure as a plain number without %; check you have the right "
            "indicator code.",
        )
        values = np.where(wrong_percent, np.nan, values)
        numbers[column] = values
    value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
    is_percentage = unit == "percentage"
    is_rate = unit == "rate_per_10k"
    built_from_parts = is_percentage | is_rate
    scale = np.where(is_rate, 10_000.0, 100.0)

    # A rate per 10,000 children given only as a numerator is worked out with the child
    # population (ONS mid-year estimate) the partnership has loaded for that year and locality.
    population_used = np.full(n, None, dtype=object)
    needs_population = is_rate & ~np.isnan(numerator) & np.isnan(denominator)
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
        missing_population = needs_population & np.isnan(denominator) & ~bad_period
        report.add(
            missing_population,
            "denominator",
            text["denominator"],
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
    value = np.where(derivable, np.round(worked_out, 1), value)

    # A formula saved without its calculated value reads as an empty cell: say so, rather than
    # "No value", so the officer knows the figure is there but was never worked out.
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
    value_cell_blank = (text["value"] == "").to_numpy() & ~value_uncalculated
    symbol_replaces_value = has_symbol & symbol_text.isin(SYMBOLS_WITHOUT_VALUE).to_numpy()
    report.add(
        value_cell_blank & ~derivable & ~has_symbol & ~needs_population,
        "value",
        "",
        "No value.",
        "Give the figure, or a status symbol (c, k, u, x or z) if it cannot be given.",
    )
    report.add(
        symbol_replaces_value & ~np.isnan(value) & ~value_cell_blank,
        "value",
        text["value"],
        lambda i: f"A value is given with status symbol '{symbol_text.iat[i]}'.",
        "Leave value blank when the symbol is c (suppressed), x (not available) or "
        "z (not applicable).",
    )

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
    tolerance = np.where(is_rate, RATE_ROUNDING_TOLERANCE, PERCENTAGE_ROUNDING_TOLERANCE)
    consistent_parts = (
        built_from_parts
        & ~derivable
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
    comment_length = text["comment"].str.len().to_numpy()
    report.add(
        comment_length > MAX_COMMENT_CHARS,
        "comment",
        lambda i: text["comment"].iat[i][:60] + "...",
        lambda i: (
            f"The comment is {comment_length[i]:,} characters long; a comment on "
            f"one figure can be at most {MAX_COMMENT_CHARS:,}."
        ),
        "Shorten the comment to a sentence or two about this figure; send longer notes "
        "to the partnership separately.",
    )
    whole = np.isnan(value) | (np.abs(value - np.round(value)) < 1e-9)
    report.add(
        (unit == "count") & ~whole,
        "value",
        text["value"],
        "A count that is not a whole number.",
        "Check the figure; counts are usually whole numbers.",
        severity="warning",
    )

    # --- the breakdown is one the catalogue expects -----------------------------------------------
    # A plain list: a pandas map would turn a missing sector into NaN, which reads as true (and
    # once produced "Agencies in the nan sector" for an unknown agency code).
    sectors = [r.sector if r is not None else None for r in agency_refs]
    unexpected_breakdown = []
    not_their_sector = []
    locality_not_declared = []
    for ref, sector, with_agency, with_locality in zip(
        indicator_refs, sectors, has_agency, has_locality, strict=True
    ):
        if ref is None:
            unexpected_breakdown.append(False)
            not_their_sector.append(False)
            locality_not_declared.append(False)
            continue
        by_agency = "agency" in ref.breakdowns
        unexpected_breakdown.append(bool(with_agency and sector and not by_agency))
        not_their_sector.append(
            bool(with_agency and sector and by_agency and sector not in ref.reported_by)
        )
        locality_not_declared.append(bool(with_locality and "locality" not in ref.breakdowns))
    report.add(
        np.array(unexpected_breakdown, dtype=bool),
        "agency_code",
        agency_text,
        "This indicator is reported for the partnership as a whole, not per agency.",
        "Leave agency_code blank unless the partnership asked for an agency figure.",
        severity="warning",
    )
    report.add(
        np.array(not_their_sector, dtype=bool),
        "agency_code",
        agency_text,
        lambda i: f"Agencies in the {sectors[i]} sector are not expected to report this indicator.",
        "Check the indicator code; the figure will still be loaded.",
        severity="warning",
    )
    report.add(
        np.array(locality_not_declared, dtype=bool),
        "locality_code",
        locality_text,
        "This indicator is not normally broken down by locality.",
        "Check the locality code; the figure will still be loaded.",
        severity="warning",
    )
    file_notes = list(table.notes)
    if submitting_agency:
        submitter = lookups.agencies.get(submitting_agency.strip().upper())
        if submitter is None:
            file_notes.append(
                f"There is no agency with code '{submitting_agency}', so the "
                "return will be recorded without an agency."
            )
        else:
            foreign = has_agency & known_agency & (agency_key != submitter.code.upper()).to_numpy()
            report.add(
                foreign,
                "agency_code",
                agency_text,
                f"The file is being loaded as {submitter.code}'s return but this row is "
                "for another agency.",
                "Check the agency code; the figure will still be loaded.",
                severity="warning",
            )

    # --- duplicates: the same figure twice ------------------------------------------------------
    keys = pd.DataFrame(
        {
            "indicator": indicator_key.to_numpy(),
            "period": np.where(pd.isna(period_code), period_shown.to_numpy(), period_code),
            "agency": agency_key.to_numpy(),
            "locality": locality_key.to_numpy(),
        }
    )
    duplicated = keys.duplicated(keep=False).to_numpy() & ~blank
    if duplicated.any():
        groups = keys[duplicated].groupby(list(keys.columns), sort=False).ngroup()
        rows_of_group = (
            pd.Series(row_numbers[duplicated])
            .groupby(groups.to_numpy())
            .agg(lambda rows: ", ".join(str(r) for r in rows))
        )
        listing = groups.map(rows_of_group).to_numpy()
        message = np.empty(n, dtype=object)
        message.fill("")
        message[duplicated] = [
            f"The same indicator, period, agency and locality appear in rows {rows}."
            for rows in listing
        ]
        report.add(
            duplicated,
            "indicator_code",
            indicator_text,
            message,
            "Keep one row for each figure and delete the others.",
        )

    issues = report.frame()

    def text_column(values: object) -> pd.Series:
        # object dtype keeps None as None (pandas would otherwise infer a string dtype with NaN).
        return pd.Series(list(values), dtype=object)  # type: ignore[call-overload]

    rows = pd.DataFrame(
        {
            "row": row_numbers,
            "indicator_code": text_column(
                r.code if r is not None else None for r in indicator_refs
            ),
            "period_code": text_column(period_code),
            "agency_code": text_column(r.code if r is not None else None for r in agency_refs),
            "locality_code": text_column(
                np.where(has_locality & known_locality, locality_key.to_numpy(), None)
            ),
            "indicator_id": text_column(indicator_id),
            "agency_id": text_column(agency_id),
            "locality_id": text_column(locality_id),
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "status_symbol": text_column(
                np.where(has_symbol & good_symbol, symbol_text.to_numpy(), None)
            ),
            "comment": text_column(text["comment"]),
            "qualifier": text_column(qualifier),
            "has_error": report.error_mask,
        },
        copy=False,
    )  # the columns are this function's own: no second copy of them
    return ValidationResult(rows=rows, issues=issues, file_notes=file_notes)
