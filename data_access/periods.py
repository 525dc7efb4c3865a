"""Reporting periods: quarters of the April-March financial year, and whole years.

Three kinds of period, each with its own code:

- a quarter of the financial year, ``2025-26 Q2`` (July-September 2025);
- a financial year, ``2025-26`` (April 2025 to March 2026): annual figures such as the children
  in need census or a year's contacts;
- an academic year, ``AY 2025/26`` (September 2025 to August 2026): figures schools report.

``parse_period`` reads any of them; ``previous_period`` and ``year_earlier`` give the period an
indicator's figure is compared with (the quarter before / the same quarter a year before for a
quarter, the year before for an annual figure), so an annual figure is never judged against a
quarter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

QUARTER = "quarter"
FINANCIAL_YEAR = "financial_year"
ACADEMIC_YEAR = "academic_year"
PERIOD_KINDS = (QUARTER, FINANCIAL_YEAR, ACADEMIC_YEAR)


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter; 2024-25 Q1 is April to June 2024."""

    fy_start_year: int
    quarter: int
    kind = QUARTER

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1-4, not {self.quarter}")

    @property
    def code(self) -> str:
        return f"{self.fy_start_year}-{(self.fy_start_year + 1) % 100:02d} Q{self.quarter}"

    @property
    def start_date(self) -> dt.date:
        month = 4 + 3 * (self.quarter - 1)
        year = self.fy_start_year + (month - 1) // 12
        return dt.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end_date(self) -> dt.date:
        return self.next().start_date - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """Human label, e.g. 'Q2 2026-27 (July to September 2026)'."""
        return f"Q{self.quarter} {self.code.split(' ')[0]} ({self.months_label()})"

    def months_label(self) -> str:
        """The quarter in months a young person recognises, e.g. 'July to September 2026'.

        A quarter never crosses a calendar year (Q4 is January to March), so one year is enough.
        """
        start, end = self.start_date, self.end_date
        return f"{start:%B} to {end:%B} {end:%Y}"

    def next(self) -> Quarter:
        if self.quarter == 4:
            return Quarter(self.fy_start_year + 1, 1)
        return Quarter(self.fy_start_year, self.quarter + 1)

    def previous(self) -> Quarter:
        if self.quarter == 1:
            return Quarter(self.fy_start_year - 1, 4)
        return Quarter(self.fy_start_year, self.quarter - 1)

    def year_earlier(self) -> Quarter:
        return Quarter(self.fy_start_year - 1, self.quarter)

    @property
    def financial_year(self) -> FinancialYear:
        """The financial year this quarter belongs to (what its figures roll up to)."""
        return FinancialYear(self.fy_start_year)

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        fy = day.year if day.month >= 4 else day.year - 1
        quarter = ((day.month - 4) % 12) // 3 + 1
        return cls(fy, quarter)

    @classmethod
    def parse(cls, code: str) -> Quarter:
        """Parse '2024-25 Q1' (also accepts '2024/25 Q1' and '2024-25Q1')."""
        text = code.strip().upper().replace("/", "-").replace(" ", "")
        try:
            years, quarter = text.split("Q")
            start, end = years.split("-")
            fy = int(start)
            if int(end) % 100 != (fy + 1) % 100:
                raise ValueError
            return cls(fy, int(quarter))
        except ValueError as exc:
            raise ValueError(
                f"{code!r} is not a reporting period; write it like '2024-25 Q1'"
            ) from exc


def latest_complete_quarter(today: dt.date | None = None) -> Quarter:
    """The last quarter that has ended by `today`."""
    return Quarter.containing(today or dt.date.today()).previous()


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from `first` to `last` inclusive."""
    out = []
    current = first
    while current <= last:
        out.append(current)
        current = current.next()
    return out


@dataclass(frozen=True, order=True)
class FinancialYear:
    """An April-March financial year; 2025-26 is April 2025 to March 2026."""

    fy_start_year: int
    kind = FINANCIAL_YEAR
    quarter = 0  # stored as quarter 0: the whole year

    @property
    def code(self) -> str:
        return f"{self.fy_start_year}-{(self.fy_start_year + 1) % 100:02d}"

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.fy_start_year, 4, 1)

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.fy_start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        """Human label, e.g. '2025-26 (April 2025 to March 2026)'."""
        return f"{self.code} (April {self.fy_start_year} to March {self.fy_start_year + 1})"

    def next(self) -> FinancialYear:
        return FinancialYear(self.fy_start_year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.fy_start_year - 1)

    def year_earlier(self) -> FinancialYear:
        return self.previous()

    def quarters(self) -> list[Quarter]:
        return [Quarter(self.fy_start_year, q) for q in (1, 2, 3, 4)]

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)


@dataclass(frozen=True, order=True)
class AcademicYear:
    """A September-August school year; AY 2025/26 is September 2025 to August 2026."""

    fy_start_year: int  # the calendar year the school year starts in (same column as the others)
    kind = ACADEMIC_YEAR
    quarter = 0

    @property
    def code(self) -> str:
        return f"AY {self.fy_start_year}/{(self.fy_start_year + 1) % 100:02d}"

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.fy_start_year, 9, 1)

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.fy_start_year + 1, 8, 31)

    @property
    def label(self) -> str:
        """Human label, e.g. 'AY 2025/26 (September 2025 to August 2026)'."""
        return f"{self.code} (September {self.fy_start_year} to August {self.fy_start_year + 1})"

    def next(self) -> AcademicYear:
        return AcademicYear(self.fy_start_year + 1)

    def previous(self) -> AcademicYear:
        return AcademicYear(self.fy_start_year - 1)

    def year_earlier(self) -> AcademicYear:
        return self.previous()

    @classmethod
    def containing(cls, day: dt.date) -> AcademicYear:
        return cls(day.year if day.month >= 9 else day.year - 1)


Period = Quarter | FinancialYear | AcademicYear

_FINANCIAL_YEAR = re.compile(r"^(?:FY)?(\d{4})[-/](\d{2}|\d{4})$")
_ACADEMIC_YEAR = re.compile(r"^(?:AY|ACADEMICYEAR)(\d{4})[-/](\d{2}|\d{4})$")


def _two_years(start: str, end: str) -> int:
    first = int(start)
    if int(end) % 100 != (first + 1) % 100:
        raise ValueError
    return first


def parse_period(code: str) -> Period:
    """Parse a quarter ('2025-26 Q2'), financial year ('2025-26') or academic year ('AY 2025/26').

    Also accepted: '/' for '-' in a financial year ('2025/26'), 'FY 2025-26', '-' in an academic
    year ('AY 2025-26') and four-digit second years ('2025-2026').
    """
    text = str(code).strip().upper().replace(" ", "")
    if "Q" in text:
        return Quarter.parse(code)
    try:
        academic = _ACADEMIC_YEAR.match(text)
        if academic:
            return AcademicYear(_two_years(*academic.groups()))
        financial = _FINANCIAL_YEAR.match(text)
        if financial:
            return FinancialYear(_two_years(*financial.groups()))
    except ValueError:
        pass
    raise ValueError(
        f"{code!r} is not a reporting period; write a quarter like '2025-26 Q2', a financial "
        "year like '2025-26' or an academic year like 'AY 2025/26'"
    )


def period_kind(code: str) -> str:
    """'quarter', 'financial_year' or 'academic_year' for a period code."""
    return parse_period(code).kind


def previous_period(code: str) -> str:
    """The period before: the previous quarter for a quarter, the year before for a year."""
    return parse_period(code).previous().code


def year_earlier(code: str) -> str:
    """The same period a year before: '2025-26 Q2' -> '2024-25 Q2'; '2025-26' -> '2024-25'."""
    return parse_period(code).year_earlier().code


def period_label(code: str) -> str:
    """A human label for any period code: 'Q2 2026-27 (July to September 2026)', '2025-26
    (April 2025 to March 2026)'. A code that is not a period is returned as it is."""
    try:
        return parse_period(code).label
    except ValueError:
        return code


# What a file is, in words: by its format or its name's extension.
FILE_WORDS = {
    "csv": "CSV file",
    "xlsx": "Excel file",
    "xls": "Excel file",
    "pdf": "PDF file",
    "pptx": "PowerPoint file",
}


def file_words(format_or_name: str) -> str:
    """'CSV file', 'Excel file', 'PDF file'... for a format ('csv') or a file name ('x.xlsx')."""
    text = (format_or_name or "").strip()
    extension = text.rsplit(".", 1)[-1].lower()
    return FILE_WORDS.get(extension, f"{extension.upper()} file" if extension else "file")


def period_file_label(period_code: str | None, format_or_name: str) -> str:
    """A file for a period, in words: 'Q2 2026-27 (July to September 2026), CSV file'. Without
    a period (a file of several), 'Several periods, CSV file'."""
    period = period_label(period_code) if period_code else "Several periods"
    return f"{period}, {file_words(format_or_name)}"
