"""Recorded changes in a process: where an indicator's control chart starts new limits (rebasing).

Making Data Count rebases a chart only when the process itself changed (a new service model, a
changed definition or recording system) and the change is understood, never to make a signal go
away. A quality assurance officer records the first quarter of the new process and why; every
screen then passes ``rebase_periods()[code]`` to ``spc.xmr(rebase_at=...)``, so all views agree.
Recording and withdrawing are written to the audit log in the same transaction.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access import audit_log
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import Indicator, ReportingPeriod, SpcProcessChange
from data_access.queries_common import frame

MAX_REASON_CHARS = 1000
MAX_NAME_CHARS = 100

CHANGE_COLUMNS = [
    "id",
    "indicator_code",
    "indicator_name",
    "period_code",
    "reason",
    "recorded_by",
    "recorded_at",
    "withdrawn_by",
    "withdrawn_at",
    "withdrawal_reason",
]


class ProcessChangeError(ValueError):
    """A change that cannot be recorded or withdrawn; the message says why, in plain words."""


def _reason_problems(reason: str | None, what: str) -> list[str]:
    text = (reason or "").strip()
    if not text:
        return [f"Say {what}."]
    if len(text) > MAX_REASON_CHARS:
        return [
            f"The reason is {len(text):,} characters long; "
            f"keep it to {MAX_REASON_CHARS:,} or fewer."
        ]
    return []


def _person_problems(name: str | None) -> list[str]:
    person = (name or "").strip()
    if not person:
        return ["The change must be recorded under a signed-in user's name."]
    if len(person) > MAX_NAME_CHARS:
        return [f"A user name longer than {MAX_NAME_CHARS} characters cannot be recorded."]
    return []


def record_change(
    *,
    engine: sa.Engine,
    indicator_code: str,
    period_code: str,
    reason: str,
    recorded_by: str,
    page: str | None = "theme",
) -> int:
    """Record that `indicator_code`'s process changed from `period_code`; return the new id.

    Raises ProcessChangeError, writing nothing, when the indicator or quarter is unknown, the
    reason is missing or too long, or a live change is already recorded for that quarter.
    """
    problems = _reason_problems(reason, "what changed in the process and when")
    problems += _person_problems(recorded_by)
    with session_scope(engine) as session:
        indicator = session.scalar(sa.select(Indicator).where(Indicator.code == indicator_code))
        if indicator is None:
            problems.append(f"'{indicator_code}' is not an indicator in the catalogue.")
        period = session.scalar(
            sa.select(ReportingPeriod).where(ReportingPeriod.code == period_code)
        )
        if period is None:
            problems.append(f"'{period_code}' is not a quarter the store knows.")
        existing = session.scalar(
            sa.select(SpcProcessChange.id).where(
                SpcProcessChange.indicator_code == indicator_code,
                SpcProcessChange.period_code == period_code,
                SpcProcessChange.withdrawn_at.is_(None),
            )
        )
        if existing is not None:
            problems.append(
                f"A change from {period_code} is already recorded for this indicator; withdraw "
                "it first to record it again."
            )
        if problems:
            raise ProcessChangeError(" ".join(problems))
        row = SpcProcessChange(
            indicator_code=indicator_code,
            period_code=period_code,
            reason=reason.strip(),
            recorded_by=recorded_by.strip(),
        )
        session.add(row)
        session.flush()
        audit_log.record(
            session,
            username=recorded_by.strip(),
            event="spc_change_recorded",
            page=page,
            detail=f"process change {row.id}: {indicator_code} from {period_code}",
        )
        return row.id


def withdraw_change(
    *,
    engine: sa.Engine,
    change_id: int,
    withdrawn_by: str,
    reason: str,
    page: str | None = "theme",
) -> None:
    """Withdraw a recorded change (the row is kept, marked withdrawn, and the chart's limits no
    longer restart there). Raises ProcessChangeError when it is unknown or already withdrawn."""
    problems = _reason_problems(reason, "why the change is withdrawn")
    problems += _person_problems(withdrawn_by)
    with session_scope(engine) as session:
        row = session.get(SpcProcessChange, change_id)
        if row is None:
            problems.append(f"There is no recorded change number {change_id}.")
        elif row.withdrawn_at is not None:
            problems.append(f"Change number {change_id} was already withdrawn.")
        if problems:
            raise ProcessChangeError(" ".join(problems))
        assert row is not None
        row.withdrawn_by = withdrawn_by.strip()
        row.withdrawn_at = utc_now()
        row.withdrawal_reason = reason.strip()
        audit_log.record(
            session,
            username=withdrawn_by.strip(),
            event="spc_change_withdrawn",
            page=page,
            detail=f"process change {row.id}: {row.indicator_code} from {row.period_code}",
        )


def list_changes(
    *,
    engine: sa.Engine,
    indicator_code: str | None = None,
    include_withdrawn: bool = False,
) -> pd.DataFrame:
    """Recorded changes, by indicator then quarter (columns `CHANGE_COLUMNS`)."""
    stmt = (
        sa.select(
            SpcProcessChange.id,
            SpcProcessChange.indicator_code,
            Indicator.name.label("indicator_name"),
            SpcProcessChange.period_code,
            SpcProcessChange.reason,
            SpcProcessChange.recorded_by,
            SpcProcessChange.recorded_at,
            SpcProcessChange.withdrawn_by,
            SpcProcessChange.withdrawn_at,
            SpcProcessChange.withdrawal_reason,
        )
        .join(Indicator, Indicator.code == SpcProcessChange.indicator_code)
        .join(ReportingPeriod, ReportingPeriod.code == SpcProcessChange.period_code)
        .order_by(Indicator.sort_order, ReportingPeriod.start_date, SpcProcessChange.id)
    )
    if indicator_code is not None:
        stmt = stmt.where(SpcProcessChange.indicator_code == indicator_code)
    if not include_withdrawn:
        stmt = stmt.where(SpcProcessChange.withdrawn_at.is_(None))
    return frame(engine, stmt, CHANGE_COLUMNS)


def rebase_periods(
    *, engine: sa.Engine, indicator_codes: list[str] | None = None
) -> dict[str, list[str]]:
    """{indicator code: [first quarter of each new process, in date order]} for live changes,
    ready for ``spc.xmr(rebase_at=...)``; indicators without a change are absent."""
    stmt = (
        sa.select(SpcProcessChange.indicator_code, SpcProcessChange.period_code)
        .join(ReportingPeriod, ReportingPeriod.code == SpcProcessChange.period_code)
        .where(SpcProcessChange.withdrawn_at.is_(None))
        .order_by(SpcProcessChange.indicator_code, ReportingPeriod.start_date)
    )
    if indicator_codes is not None:
        stmt = stmt.where(SpcProcessChange.indicator_code.in_(indicator_codes))
    found: dict[str, list[str]] = {}
    with engine.connect() as connection:
        for code, period in connection.execute(stmt):
            found.setdefault(code, []).append(period)
    return found
