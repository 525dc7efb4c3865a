"""Reading the audit log for the audit-log page: filter by user, event and date range."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access.models import AuditLogEntry
from data_access.queries_common import frame

DEFAULT_LIMIT = 5000


def search_entries(
    *,
    engine: sa.Engine,
    username: str | None = None,
    event: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = DEFAULT_LIMIT,
) -> pd.DataFrame:
    """Entries newest first; `start` and `end` are inclusive calendar days (UTC)."""
    stmt = sa.select(
        AuditLogEntry.occurred_at,
        AuditLogEntry.username,
        AuditLogEntry.event,
        AuditLogEntry.page,
        AuditLogEntry.detail,
    )
    if username:
        stmt = stmt.where(AuditLogEntry.username == username)
    if event:
        stmt = stmt.where(AuditLogEntry.event == event)
    if start is not None:
        stmt = stmt.where(AuditLogEntry.occurred_at >= dt.datetime.combine(start, dt.time.min))
    if end is not None:
        after_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
        stmt = stmt.where(AuditLogEntry.occurred_at < after_end)
    stmt = stmt.order_by(AuditLogEntry.occurred_at.desc(), AuditLogEntry.id.desc()).limit(limit)
    return frame(engine, stmt)


def distinct_values(*, engine: sa.Engine) -> dict[str, list[str]]:
    """The user names and event names that occur in the log (for the filter lists)."""
    with engine.connect() as connection:
        usernames = (
            connection.execute(
                sa.select(AuditLogEntry.username)
                .where(AuditLogEntry.username.is_not(None))
                .group_by(AuditLogEntry.username)
                .order_by(AuditLogEntry.username)
            )
            .scalars()
            .all()
        )
        events = (
            connection.execute(
                sa.select(AuditLogEntry.event)
                .group_by(AuditLogEntry.event)
                .order_by(AuditLogEntry.event)
            )
            .scalars()
            .all()
        )
    return {"usernames": [name for name in usernames if name is not None], "events": list(events)}


def date_bounds(*, engine: sa.Engine) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day with an entry, or (None, None) for an empty log."""
    stmt = sa.select(sa.func.min(AuditLogEntry.occurred_at), sa.func.max(AuditLogEntry.occurred_at))
    with engine.connect() as connection:
        first, last = connection.execute(stmt).one()
    return (first.date() if first else None, last.date() if last else None)
