"""The audit log: who did what, when, from which page."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access.db import session_scope
from data_access.models import AuditLogEntry
from data_access.queries_common import frame


def record(
    session: so.Session,
    *,
    username: str | None,
    event: str,
    page: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry in the caller's transaction, so a change and its log line commit together."""
    session.add(AuditLogEntry(username=username, event=event, page=page, detail=detail))


def record_event(
    *,
    engine: sa.Engine,
    username: str | None,
    event: str,
    page: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry in a transaction of its own (sign-ins, refusals)."""
    with session_scope(engine) as session:
        record(session, username=username, event=event, page=page, detail=detail)


def recent_entries(
    *, engine: sa.Engine, limit: int = 500, username: str | None = None, event: str | None = None
) -> pd.DataFrame:
    """The newest audit-log entries first, optionally for one user or one kind of event."""
    stmt = sa.select(
        AuditLogEntry.occurred_at,
        AuditLogEntry.username,
        AuditLogEntry.event,
        AuditLogEntry.page,
        AuditLogEntry.detail,
    ).order_by(AuditLogEntry.occurred_at.desc(), AuditLogEntry.id.desc())
    if username:
        stmt = stmt.where(AuditLogEntry.username == username)
    if event:
        stmt = stmt.where(AuditLogEntry.event == event)
    return frame(engine, stmt.limit(limit))
