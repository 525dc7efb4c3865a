"""The three timeliness figures of issue 29 as catalogue indicators, quarter by quarter.

One rule (`quarter_parts`) makes each quarter's numerator and denominator from the learning
records; `refresh` writes them as the partnership's `IndicatorValue` rows in the caller's
transaction, so the scorecard, the overview, the export, the board pack and the Practice reviews
page all read the same stored figures. Every write to the records calls `refresh` (the forms in
`data_access.learning`, the spreadsheet imports, the sample generator), and `refresh_if_due`,
which each server process runs once a day, writes a quarter that ended with no record changed.

- LR_RAPID_REVIEWS_15WD: of the rapid reviews whose 15-working-day deadline (counted from the
  notification) fell in the quarter, those completed by it;
- LR_REVIEWS_PUBLISHED_6M: of the local practice reviews whose six-month deadline (from the
  decision) fell in the quarter, those published by it;
- LR_ACTIONS_OVERDUE: of the actions due before the quarter's end and not complete when it began,
  those still not complete at its end (cancelled actions left out).

Quarters are counted by deadline, so a quarter's figure is settled when it ends: it changes
only when a record of that quarter is corrected. A percentage is always worked out from its
parts (value = 100 x numerator / denominator), never averaged. A quarter where nothing fell due
holds GSS symbol "z" (not applicable) once the series has begun.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.exc import IntegrityError

from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.learning import (
    OPEN_STATUSES,
    RAPID_REVIEW_WITHIN_WORKING_DAYS,
    add_working_days,
    publish_by,
)
from data_access.models import (
    CaseReviewAction,
    Indicator,
    IndicatorValue,
    LearningReview,
    RapidReview,
    ReportingPeriod,
)
from data_access.queries_common import frame

RAPID = "LR_RAPID_REVIEWS_15WD"
PUBLISHED = "LR_REVIEWS_PUBLISHED_6M"
OVERDUE = "LR_ACTIONS_OVERDUE"
CODES = (RAPID, PUBLISHED, OVERDUE)
NOT_APPLICABLE = "z"


@dataclass(frozen=True)
class Records:
    """What the rule reads: dates only, no text."""

    # (notified_on, completed_on or None) per rapid review
    rapid: Sequence[tuple[dt.date, dt.date | None]]
    # (decided_on, published_on or None) per local practice review with a decision date
    local: Sequence[tuple[dt.date, dt.date | None]]
    # (due_date, status, completed_on or None) per action
    actions: Sequence[tuple[dt.date, str, dt.date | None]]


@dataclass(frozen=True)
class Parts:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The percentage, from the parts (None when nothing fell due)."""
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)


def rapid_review_deadline(notified_on: dt.date) -> dt.date:
    return add_working_days(notified_on, RAPID_REVIEW_WITHIN_WORKING_DAYS)


def quarter_parts(records: Records, start: dt.date, end: dt.date) -> dict[str, Parts]:
    """The three figures' parts for the quarter from `start` to `end` (inclusive)."""
    rapid = [
        done is not None and done <= deadline
        for notified, done in records.rapid
        if start <= (deadline := rapid_review_deadline(notified)) <= end
    ]
    local = [
        published is not None and published <= deadline
        for decided, published in records.local
        if start <= (deadline := publish_by(decided)) <= end
    ]
    overdue = [
        status in OPEN_STATUSES or (done is not None and done > end)
        for due, status, done in records.actions
        if status != "cancelled" and due < end and not (done is not None and done < start)
    ]
    return {
        RAPID: Parts(sum(rapid), len(rapid)),
        PUBLISHED: Parts(sum(local), len(local)),
        OVERDUE: Parts(sum(overdue), len(overdue)),
    }


def read_records(connection: sa.Connection | so.Session) -> Records:
    """The dates the rule reads, from the store (a session sees its own unflushed-then-flushed
    rows, so a form's new record counts in the figures it writes)."""
    rapid = connection.execute(sa.select(RapidReview.notified_on, RapidReview.decided_on)).all()
    local = connection.execute(
        sa.select(LearningReview.decided_on, LearningReview.published_on).where(
            LearningReview.kind == "local_review", LearningReview.decided_on.is_not(None)
        )
    ).all()
    actions = connection.execute(
        sa.select(CaseReviewAction.due_date, CaseReviewAction.status, CaseReviewAction.completed_on)
    ).all()
    return Records(
        rapid=[(n, d) for n, d in rapid],
        local=[(d, p) for d, p in local if d is not None],
        actions=[(due, status, done) for due, status, done in actions],
    )


def series(
    records: Records, quarters: Iterable[tuple[str, dt.date, dt.date]]
) -> dict[str, list[tuple[str, Parts]]]:
    """Each figure's quarters, from the first quarter anything fell due in: (code, parts)."""
    out: dict[str, list[tuple[str, Parts]]] = {code: [] for code in CODES}
    for period_code, start, end in quarters:
        for code, parts in quarter_parts(records, start, end).items():
            if parts.denominator or out[code]:
                out[code].append((period_code, parts))
    return out


def refresh(
    session: so.Session, *, today: dt.date | None = None, now: dt.datetime | None = None
) -> int:
    """Write the figures of every quarter ended by `today` as current partnership values, in the
    caller's transaction; a changed figure supersedes the old row (history kept). `now` stamps
    the rows written (the sample gives its own, so that a rebuild is the same row for row).
    Returns how many rows were written or retired."""
    today = today or dt.date.today()
    now = now or utc_now()
    session.flush()
    indicator_ids = dict(
        session.execute(sa.select(Indicator.code, Indicator.id).where(Indicator.code.in_(CODES)))
        .tuples()
        .all()
    )
    if len(indicator_ids) < len(CODES):
        return 0  # a store whose catalogue predates these indicators
    periods = session.execute(
        sa.select(
            ReportingPeriod.id,
            ReportingPeriod.code,
            ReportingPeriod.start_date,
            ReportingPeriod.end_date,
        )
        .where(ReportingPeriod.kind == "quarter", ReportingPeriod.end_date <= today)
        .order_by(ReportingPeriod.start_date)
    ).all()
    period_ids = {code: pid for pid, code, _, _ in periods}
    figures = series(read_records(session), [(c, s, e) for _, c, s, e in periods])
    current = {
        (row.indicator_id, row.period_id): row
        for row in session.scalars(
            sa.select(IndicatorValue).where(
                IndicatorValue.indicator_id.in_(indicator_ids.values()),
                IndicatorValue.is_current.is_(True),
                IndicatorValue.agency_id.is_(None),
                IndicatorValue.locality_id.is_(None),
            )
        )
    }
    written = 0
    for code, quarters in figures.items():
        for period_code, parts in quarters:
            key = (indicator_ids[code], period_ids[period_code])
            symbol = None if parts.denominator else NOT_APPLICABLE
            old = current.pop(key, None)
            if old is not None and (
                old.value,
                old.numerator,
                old.denominator,
                old.status_symbol,
            ) == (
                parts.value,
                float(parts.numerator),
                float(parts.denominator),
                symbol,
            ):
                continue
            row = IndicatorValue(
                indicator_id=key[0],
                period_id=key[1],
                value=parts.value,
                numerator=parts.numerator,
                denominator=parts.denominator,
                status_symbol=symbol,
                is_current=True,
                created_at=now,
            )
            if old is not None:
                old.is_current = False
                session.flush()  # one current row per quarter (a partial unique index)
            session.add(row)
            session.flush()
            if old is not None:
                old.superseded_by_id = row.id
            written += 1
    # A quarter no longer in a series (its records were removed) keeps no current figure.
    for old in current.values():
        old.is_current = False
        written += 1
    session.flush()
    return written


def refresh_if_due(*, engine: sa.Engine, today: dt.date | None = None) -> int:
    """Write the figures of quarters that ended since they were last written; how many rows.

    A quarter can end, or its period first appear with a return, while nobody changes a learning
    record: the figures are written then by this check, which the server makes once a day
    (`dashboard.upkeep`) and which costs two small queries when nothing is due. Two processes
    checking at once write once: the other's write meets the one-current-figure index and is
    given up (0), since the figures it would write are the same.
    """
    today = today or dt.date.today()
    ended = sa.select(sa.func.max(ReportingPeriod.end_date)).where(
        ReportingPeriod.kind == "quarter", ReportingPeriod.end_date <= today
    )
    held = (
        sa.select(sa.func.max(ReportingPeriod.end_date))
        .join(IndicatorValue, IndicatorValue.period_id == ReportingPeriod.id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            Indicator.code.in_(CODES),
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
        )
    )
    with engine.connect() as connection:
        last_ended, last_held = connection.scalar(ended), connection.scalar(held)
    if last_ended is None or (last_held is not None and last_held >= last_ended):
        return 0
    try:
        with session_scope(engine) as session:
            return refresh(session, today=today)
    except IntegrityError:
        return 0


def stored(*, engine: sa.Engine) -> pd.DataFrame:
    """The figures as stored (what every surface reads), oldest quarter first.

    Columns: period_code, code, value, numerator, denominator, status_symbol.
    """
    stmt = (
        sa.select(
            ReportingPeriod.code.label("period_code"),
            Indicator.code,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.status_symbol,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(
            Indicator.code.in_(CODES),
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
        )
        .order_by(ReportingPeriod.start_date, Indicator.sort_order)
    )
    return frame(engine, stmt)


def latest_quarter(*, engine: sa.Engine) -> str | None:
    """The latest quarter holding any of the figures (None before the first)."""
    rows = stored(engine=engine)
    return None if rows.empty else str(rows["period_code"].iloc[-1])
