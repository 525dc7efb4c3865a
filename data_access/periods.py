"""Reporting periods: quarters of the April-March financial year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial-year quarter; 2024-25 Q1 is April to June 2024."""

    fy_start_year: int
    quarter: int

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
        """Human label, e.g. 'Apr-Jun 2024 (2024-25 Q1)'."""
        start, end = self.start_date, self.end_date
        return f"{start:%b}-{end:%b} {end:%Y} ({self.code})"

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
