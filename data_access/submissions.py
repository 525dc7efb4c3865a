"""Submission history: files loaded, the figures each brought, what changed between versions.

A figure's predecessor is the row whose `superseded_by_id` points at it and whose submission was not
rolled back. A figure withdrawn by a rollback points (`superseded_by_id`) at the figure restored in
its place, so the change a rolled-back submission made can still be shown.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access.models import (
    Agency,
    Indicator,
    IndicatorValue,
    Locality,
    ReportingPeriod,
    Submission,
)
from data_access.queries_common import frame

SUBMISSION_COLUMNS = [
    "id",
    "submitted_at",
    "file_name",
    "submitted_by",
    "source",
    "agency_code",
    "period_code",
    "row_count",
    "current_figures",
    "status",
    "rolled_back_at",
    "rolled_back_by",
    "checksum",
]


def list_submissions(
    *,
    engine: sa.Engine,
    limit: int = 500,
    agency_code: str | None = None,
    include_sample: bool = True,
    submitted_by: str | None = None,
) -> pd.DataFrame:
    """Loaded files, newest first, with how many of each one's figures are still current
    (only `submitted_by`'s own when given: what an agency submitter sees)."""
    current = (
        sa.select(sa.func.count(IndicatorValue.id))
        .where(IndicatorValue.submission_id == Submission.id, IndicatorValue.is_current.is_(True))
        .correlate(Submission)
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            Submission.id,
            Submission.submitted_at,
            Submission.file_name,
            Submission.submitted_by,
            Submission.source,
            Agency.code.label("agency_code"),
            ReportingPeriod.code.label("period_code"),
            Submission.row_count,
            current.label("current_figures"),
            Submission.status,
            Submission.rolled_back_at,
            Submission.rolled_back_by,
            Submission.checksum,
        )
        .outerjoin(Agency, Agency.id == Submission.agency_id)
        .outerjoin(ReportingPeriod, ReportingPeriod.id == Submission.period_id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        .limit(limit)
    )
    if agency_code:
        stmt = stmt.where(Agency.code == agency_code)
    if not include_sample:
        stmt = stmt.where(Submission.source != "sample")
    if submitted_by is not None:
        stmt = stmt.where(Submission.submitted_by == submitted_by)
    return frame(engine, stmt, SUBMISSION_COLUMNS)


def submission_values(*, engine: sa.Engine, submission_id: int) -> pd.DataFrame:
    """Every figure a submission brought, and whether it is still current."""
    stmt = (
        sa.select(
            Indicator.code.label("indicator_code"),
            ReportingPeriod.code.label("period_code"),
            Agency.code.label("agency_code"),
            Locality.code.label("locality_code"),
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.status_symbol,
            IndicatorValue.is_current,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .outerjoin(Agency, Agency.id == IndicatorValue.agency_id)
        .outerjoin(Locality, Locality.id == IndicatorValue.locality_id)
        .where(IndicatorValue.submission_id == submission_id)
        .order_by(Indicator.sort_order, ReportingPeriod.start_date, Agency.code, Locality.code)
    )
    return frame(engine, stmt)


def submission_changes(*, engine: sa.Engine, submission_id: int) -> pd.DataFrame:
    """What a submission changed: each figure's old value -> new value ('new' where none before).

    Columns: indicator_code, period_code, agency_code, locality_code, old_value, old_symbol,
    new_value, new_symbol, change (new / changed), still_current.
    """
    new = so.aliased(IndicatorValue, name="new_value_row")
    kept = so.aliased(IndicatorValue, name="old_value_row")
    restored = so.aliased(IndicatorValue, name="restored_value_row")
    old_submission = so.aliased(Submission, name="old_submission")
    this = so.aliased(Submission, name="this_submission")
    # The predecessor: points at the new row and was not itself withdrawn by a rollback. Found
    # by a subquery per figure of this file (an index seek on `superseded_by_id`, then a
    # primary-key seek for its submission): as a join condition with EXISTS inside an OR,
    # PostgreSQL merged this file's figures with every superseded figure and hashed all
    # submissions (a quarter of a million at scale 60) to test each, 90 ms for a five-figure
    # file; "IN (every submission not rolled back)" did the same.
    candidate = so.aliased(IndicatorValue, name="candidate_row")
    predecessor_id = (
        sa.select(candidate.id)
        .where(
            candidate.superseded_by_id == new.id,
            sa.or_(
                candidate.submission_id.is_(None),
                sa.exists().where(
                    old_submission.id == candidate.submission_id,
                    old_submission.status != "rolled_back",
                ),
            ),
        )
        .order_by(candidate.id.desc())
        .limit(1)
        .correlate(new)
        .scalar_subquery()
    )
    predecessor = kept.id == predecessor_id
    # ...or, once this submission is rolled back, the figure restored in the new row's place.
    # Two outer joins, not one on "predecessor OR restored": PostgreSQL cannot use an index
    # for a join condition with OR, and scanned every figure's `superseded_by_id` (250 ms for
    # a five-figure file at the benchmark's scale 60). A rollback resets the restored figure's
    # pointer, so at most one of the two finds a row.
    was_restored = sa.and_(this.status == "rolled_back", restored.id == new.superseded_by_id)

    def old(column: str) -> sa.ColumnElement[object]:
        return sa.case(
            (kept.id.is_not(None), getattr(kept, column)), else_=getattr(restored, column)
        )

    stmt = (
        sa.select(
            Indicator.code.label("indicator_code"),
            ReportingPeriod.code.label("period_code"),
            Agency.code.label("agency_code"),
            Locality.code.label("locality_code"),
            old("value").label("old_value"),
            old("status_symbol").label("old_symbol"),
            new.value.label("new_value"),
            new.status_symbol.label("new_symbol"),
            sa.case(
                (sa.and_(kept.id.is_(None), restored.id.is_(None)), "new"), else_="changed"
            ).label("change"),
            new.is_current.label("still_current"),
        )
        .select_from(new)
        .join(this, this.id == new.submission_id)
        .outerjoin(kept, predecessor)
        .outerjoin(restored, was_restored)
        .join(Indicator, Indicator.id == new.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == new.period_id)
        .outerjoin(Agency, Agency.id == new.agency_id)
        .outerjoin(Locality, Locality.id == new.locality_id)
        .where(new.submission_id == submission_id)
        .order_by(Indicator.sort_order, ReportingPeriod.start_date, Agency.code, Locality.code)
    )
    return frame(engine, stmt)


def value_history(
    *,
    engine: sa.Engine,
    indicator_code: str,
    period_code: str,
    agency_code: str | None = None,
    locality_code: str | None = None,
) -> pd.DataFrame:
    """Every version of one figure, oldest first, with the submission that brought it."""
    stmt = (
        sa.select(
            IndicatorValue.id,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.status_symbol,
            IndicatorValue.is_current,
            IndicatorValue.created_at,
            Submission.id.label("submission_id"),
            Submission.file_name,
            Submission.submitted_by,
            Submission.status.label("submission_status"),
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .outerjoin(Agency, Agency.id == IndicatorValue.agency_id)
        .outerjoin(Locality, Locality.id == IndicatorValue.locality_id)
        .outerjoin(Submission, Submission.id == IndicatorValue.submission_id)
        .where(Indicator.code == indicator_code, ReportingPeriod.code == period_code)
        .order_by(IndicatorValue.created_at, IndicatorValue.id)
    )
    stmt = stmt.where(
        Agency.code == agency_code if agency_code else IndicatorValue.agency_id.is_(None)
    )
    stmt = stmt.where(
        Locality.code == locality_code if locality_code else IndicatorValue.locality_id.is_(None)
    )
    return frame(engine, stmt)


def store_counts(*, engine: sa.Engine) -> dict[str, int]:
    """Row counts of the tables an import touches (for before/after comparisons)."""
    with engine.connect() as connection:
        return {
            "indicator_value": connection.scalar(
                sa.select(sa.func.count()).select_from(IndicatorValue)
            )
            or 0,
            "current_values": connection.scalar(
                sa.select(sa.func.count())
                .select_from(IndicatorValue)
                .where(IndicatorValue.is_current.is_(True))
            )
            or 0,
            "submission": connection.scalar(sa.select(sa.func.count()).select_from(Submission))
            or 0,
            "reporting_period": connection.scalar(
                sa.select(sa.func.count()).select_from(ReportingPeriod)
            )
            or 0,
        }
