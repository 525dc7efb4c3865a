"""The partnership's yearly report (Working Together 2023): the year's records read from the store,
and each draft made kept with its checksum, like a board pack (issue 29)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access import audit_log, learning
from data_access.board_packs import sha256_hex as sha256_hex
from data_access.db import session_scope
from data_access.models import ReportingPeriod, YearlyReport
from data_access.queries_common import frame

REPORT_FORMATS = ("pdf", "docx")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


class ReportError(ValueError):
    """A report that cannot be made or kept; the message says why, in plain words."""


@dataclass(frozen=True)
class ReportYear:
    """A financial year, April to March: "2025-26"."""

    code: str
    start: dt.date
    end: dt.date

    @property
    def fy_start_year(self) -> int:
        return self.start.year

    @property
    def words(self) -> str:
        return f"April {self.start.year} to March {self.end.year}"


def parse_year(code: str) -> ReportYear:
    """'2025-26' -> the year 1 April 2025 to 31 March 2026; ReportError for anything else."""
    match = _YEAR.match((code or "").strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ReportError(
            f"'{code}' is not a financial year; write it like 2025-26 (April 2025 to March 2026)."
        )
    start = int(match.group(1))
    return ReportYear(code.strip(), dt.date(start, 4, 1), dt.date(start + 1, 3, 31))


def quarters_of(*, engine: sa.Engine, year: ReportYear) -> list[str]:
    """The year's quarters in the store, in order ("2025-26 Q1" ...)."""
    stmt = (
        sa.select(ReportingPeriod.code)
        .where(
            ReportingPeriod.kind == "quarter",
            ReportingPeriod.fy_start_year == year.fy_start_year,
        )
        .order_by(ReportingPeriod.quarter)
    )
    with engine.connect() as connection:
        return list(connection.scalars(stmt))


def _in_year(df: pd.DataFrame, column: str, year: ReportYear) -> pd.DataFrame:
    if df.empty:
        return df
    when = pd.to_datetime(df[column], errors="coerce")
    return df[(when >= pd.Timestamp(year.start)) & (when <= pd.Timestamp(year.end))]


def rapid_reviews_in(*, engine: sa.Engine, year: ReportYear, today: dt.date) -> pd.DataFrame:
    """Serious incidents notified in the year, with their timeliness."""
    return _in_year(learning.rapid_reviews(engine=engine, today=today), "notified_on", year)


def reviews_in(*, engine: sa.Engine, year: ReportYear, today: dt.date) -> pd.DataFrame:
    """Learning reviews decided or published in the year (any kind)."""
    reviews = learning.learning_reviews(engine=engine, today=today)
    if reviews.empty:
        return reviews
    decided = _in_year(reviews, "decided_on", year)
    published = _in_year(reviews, "published_on", year)
    return reviews[reviews["id"].isin(set(decided["id"]) | set(published["id"]))]


def actions_for_year(*, engine: sa.Engine, year: ReportYear, today: dt.date) -> pd.DataFrame:
    """Actions completed in the year, or still open at its end (or now, if sooner)."""
    acts = learning.actions(engine=engine, today=min(today, year.end))
    if acts.empty:
        return acts
    done = _in_year(acts, "completed_on", year)
    still_open = acts[acts["status"].isin(learning.OPEN_STATUSES)]
    return acts[acts["id"].isin(set(done["id"]) | set(still_open["id"]))]


def record_report(
    *,
    engine: sa.Engine,
    year_code: str,
    file_format: str,
    file_name: str,
    content: bytes,
    generated_by: str,
    page: str | None = "yearly_report",
) -> int:
    """Keep a made report's bytes with its checksum; the audit-log line in the same transaction."""
    parse_year(year_code)
    if file_format not in REPORT_FORMATS:
        raise ReportError(f"'{file_format}' is not a report format; use pdf or docx.")
    if not content:
        raise ReportError("The report file is empty, so it was not kept.")
    checksum = sha256_hex(content)
    with session_scope(engine) as session:
        row = YearlyReport(
            year_code=year_code,
            file_format=file_format,
            file_name=file_name,
            checksum=checksum,
            content=content,
            size_bytes=len(content),
            generated_by=generated_by,
        )
        session.add(row)
        session.flush()
        audit_log.record(
            session,
            username=generated_by,
            event="yearly_report_generated",
            page=page,
            detail=f"yearly report {row.id}: {year_code} {file_format}, {len(content):,} bytes, "
            f"sha256 {checksum}",
        )
        return row.id


def list_reports(*, engine: sa.Engine) -> pd.DataFrame:
    """Reports kept, newest first: id, year_code, file_format, file_name, size_bytes, checksum,
    generated_by, generated_at."""
    stmt = sa.select(
        YearlyReport.id,
        YearlyReport.year_code,
        YearlyReport.file_format,
        YearlyReport.file_name,
        YearlyReport.size_bytes,
        YearlyReport.checksum,
        YearlyReport.generated_by,
        YearlyReport.generated_at,
    ).order_by(YearlyReport.generated_at.desc(), YearlyReport.id.desc())
    return frame(engine, stmt)


def report_bytes(*, engine: sa.Engine, report_id: int) -> bytes:
    with engine.connect() as connection:
        content = connection.scalar(
            sa.select(YearlyReport.content).where(YearlyReport.id == report_id)
        )
    if content is None:
        raise ReportError(f"There is no yearly report number {report_id}.")
    return bytes(content)
