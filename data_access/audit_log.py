"""The audit log: who did what, when, from which page; each entry chained to the one before.

Tamper evidence: every entry stores the SHA-256 of the entry before it (`prev_hash`) and its own
hash (`entry_hash`) over a canonical serialisation of its fields and `prev_hash`. Changing,
inserting or deleting any entry but the newest breaks the chain at that point, and
`verify_chain` (the `qa-dashboard audit verify` command) reports the first entry that no longer
fits. Removing the newest entries leaves a shorter, valid chain, so `verify_chain` also returns
the head hash, which an operator can note elsewhere (a board minute, a ticket) to anchor it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import AuditLogEntry
from data_access.queries_common import frame

# The hash "before" the first entry.
GENESIS_HASH = "0" * 64
# Version of the canonical serialisation below; stored inside it, so a future change of format
# can be told apart from tampering.
CHAIN_FORMAT = 1
# The key of the PostgreSQL transaction-level advisory lock that serialises appends ("AUDT").
CHAIN_LOCK_KEY = 0x41554454


def _timestamp(value: dt.datetime) -> str:
    return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def canonical_entry(
    *,
    entry_id: int,
    occurred_at: dt.datetime,
    username: str | None,
    event: str,
    page: str | None,
    detail: str | None,
    prev_hash: str,
) -> bytes:
    """The bytes an entry's hash is taken over: sorted-key compact JSON of every field."""
    document = {
        "format": CHAIN_FORMAT,
        "id": entry_id,
        "occurred_at": _timestamp(occurred_at),
        "username": username,
        "event": event,
        "page": page,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def entry_hash(
    *,
    entry_id: int,
    occurred_at: dt.datetime,
    username: str | None,
    event: str,
    page: str | None,
    detail: str | None,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of `canonical_entry`."""
    return hashlib.sha256(
        canonical_entry(
            entry_id=entry_id,
            occurred_at=occurred_at,
            username=username,
            event=event,
            page=page,
            detail=detail,
            prev_hash=prev_hash,
        )
    ).hexdigest()


def _lock_chain(session: so.Session) -> None:
    """Make appends one at a time, so two writers never chain to the same previous entry.

    PostgreSQL: a transaction-level advisory lock, held until this transaction ends. SQLite has
    a single writer: the INSERT in `record` takes the database's write lock before the previous
    entry is read, which serialises appends just the same.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(CHAIN_LOCK_KEY)))


def record(
    session: so.Session,
    *,
    username: str | None,
    event: str,
    page: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry in the caller's transaction, so a change and its log line commit together."""
    _lock_chain(session)
    occurred_at = utc_now()
    entry = AuditLogEntry(
        occurred_at=occurred_at, username=username, event=event, page=page, detail=detail
    )
    session.add(entry)
    session.flush()  # the id, and (on SQLite) the write lock, before the previous entry is read
    previous = session.scalar(
        sa.select(AuditLogEntry.entry_hash)
        .where(AuditLogEntry.id < entry.id)
        .order_by(AuditLogEntry.id.desc())
        .limit(1)
    )
    entry.prev_hash = previous or GENESIS_HASH
    entry.entry_hash = entry_hash(
        entry_id=entry.id,
        occurred_at=occurred_at,
        username=username,
        event=event,
        page=page,
        detail=detail,
        prev_hash=entry.prev_hash,
    )
    session.flush()


def record_event(
    *,
    engine: sa.Engine,
    username: str | None,
    event: str,
    page: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry in a transaction of its own (sign-ins, refusals, exports, views)."""
    with session_scope(engine) as session:
        record(session, username=username, event=event, page=page, detail=detail)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify_chain`."""

    entries: int  # how many entries were checked (all of them when the chain is intact)
    head_hash: str  # the newest entry's hash (GENESIS_HASH for an empty log)
    broken_id: int | None = None  # the first entry that does not fit, or None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None

    def message(self) -> str:
        if self.ok:
            return (
                f"OK: the audit log's {self.entries:,} entries form one unbroken chain; "
                f"newest entry's hash {self.head_hash}."
            )
        return (
            f"BROKEN at entry {self.broken_id}: {self.problem} "
            f"({self.entries:,} entries before it are intact.)"
        )


def verify_chain(*, engine: sa.Engine, batch_size: int = 5000) -> ChainReport:
    """Recompute the chain from the first entry; report the first entry that does not fit."""
    stmt = sa.select(
        AuditLogEntry.id,
        AuditLogEntry.occurred_at,
        AuditLogEntry.username,
        AuditLogEntry.event,
        AuditLogEntry.page,
        AuditLogEntry.detail,
        AuditLogEntry.prev_hash,
        AuditLogEntry.entry_hash,
    ).order_by(AuditLogEntry.id)
    expected_prev = GENESIS_HASH
    checked = 0
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=batch_size).execute(stmt)
        for row in result:
            if row.prev_hash != expected_prev:
                return ChainReport(
                    checked,
                    expected_prev,
                    row.id,
                    "its record of the previous entry's hash does not match that entry: an "
                    "entry before it was changed, removed or inserted",
                )
            recomputed = entry_hash(
                entry_id=row.id,
                occurred_at=row.occurred_at,
                username=row.username,
                event=row.event,
                page=row.page,
                detail=row.detail,
                prev_hash=row.prev_hash,
            )
            if row.entry_hash != recomputed:
                return ChainReport(
                    checked,
                    expected_prev,
                    row.id,
                    "its contents no longer match its hash: the entry was changed",
                )
            expected_prev = row.entry_hash
            checked += 1
    return ChainReport(checked, expected_prev)


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
