"""Server-side sign-in sessions: the browser holds a random id; the store says if it counts.

A session ends when its owner signs out, when an administrator resets the password, deactivates
the account or changes its role (every session of that user ends), after `idle` without a run,
or `absolute` after it began. The app checks the record on every run, so a copied cookie, an
open tab and a second browser all stop working at the same moment.

Only the SHA-256 of a session id is stored. `clock` is the one source of "now" here, so tests
can move time forward instead of sleeping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import User, UserSession

# Tests replace this (monkeypatch `data_access.user_sessions.clock`) to move time forward.
clock = utc_now


@dataclass(frozen=True)
class Limits:
    """How long a session may sit unused, and how long it may last at most."""

    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)

    @classmethod
    def from_settings(cls) -> Limits:
        from data_access.config import settings

        current = settings()
        return cls(
            idle=dt.timedelta(minutes=current.session_idle_minutes),
            absolute=dt.timedelta(hours=current.session_max_hours),
        )


@dataclass(frozen=True)
class ActiveSession:
    """A session that is still valid, with its owner's current account details."""

    username: str
    name: str
    role: str
    method: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Refusal:
    """Why a session id no longer signs anyone in (for the notice and the audit log)."""

    reason: str
    username: str | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(
    engine: sa.Engine, username: str, *, method: str = "password", limits: Limits | None = None
) -> str:
    """Open a session for an active account and return its id (256 random bits) for the cookie."""
    limits = limits or Limits.from_settings()
    now = clock()
    token = secrets.token_urlsafe(32)
    with session_scope(engine) as session:
        user = session.scalars(
            sa.select(User).where(User.username == username, User.active.is_(True))
        ).one()
        session.add(
            UserSession(
                token_hash=token_hash(token),
                user_id=user.id,
                method=method,
                created_at=now,
                last_seen_at=now,
                expires_at=now + limits.absolute,
            )
        )
    return token


def check(
    engine: sa.Engine, token: str | None, *, limits: Limits | None = None, touch: bool = True
) -> ActiveSession | Refusal:
    """The session behind `token` if it is still valid (and mark it used), else why not.

    An idle or over-age session is ended here, so it cannot come back if the limits change.
    """
    if not token:
        return Refusal("no session")
    limits = limits or Limits.from_settings()
    now = clock()
    with session_scope(engine) as session:
        row = session.execute(
            sa.select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == token_hash(token))
            .with_for_update()
        ).one_or_none()
        if row is None:
            return Refusal("unknown session")
        record, user = row
        if record.ended_at is not None:
            return Refusal(record.end_reason or "ended", user.username)
        if not user.active:
            _end(record, now, "account deactivated")
            return Refusal("account deactivated", user.username)
        if now >= record.expires_at or now - record.created_at >= limits.absolute:
            _end(record, now, "absolute timeout")
            audit_log.record(
                session, username=user.username, event="session_expired", detail="absolute timeout"
            )
            return Refusal("absolute timeout", user.username)
        if now - record.last_seen_at >= limits.idle:
            _end(record, now, "idle timeout")
            audit_log.record(
                session, username=user.username, event="session_expired", detail="idle timeout"
            )
            return Refusal("idle timeout", user.username)
        if touch:
            record.last_seen_at = now
        return ActiveSession(
            username=user.username,
            name=user.display_name,
            role=user.role,
            method=record.method,
            expires_at=record.expires_at,
        )


def _end(record: UserSession, now: dt.datetime, reason: str) -> None:
    record.ended_at = now
    record.end_reason = reason[:40]


def end(engine: sa.Engine, token: str | None, reason: str = "signed out") -> None:
    """End one session (nothing happens for an unknown or already ended id)."""
    if not token:
        return
    with session_scope(engine) as session:
        record = session.scalars(
            sa.select(UserSession).where(
                UserSession.token_hash == token_hash(token), UserSession.ended_at.is_(None)
            )
        ).one_or_none()
        if record is not None:
            _end(record, clock(), reason)


def revoke_all(session: so.Session, user_id: int, reason: str) -> int:
    """End every open session of one user, in the caller's transaction; returns how many."""
    result = cast(
        "sa.CursorResult[Any]",
        session.execute(
            sa.update(UserSession)
            .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
            .values(ended_at=clock(), end_reason=reason[:40])
        ),
    )
    return int(result.rowcount or 0)


def revoke_all_for(engine: sa.Engine, username: str, reason: str) -> int:
    """End every open session of `username` (sign-out ends them all, on every device)."""
    with session_scope(engine) as session:
        user_id = session.scalar(sa.select(User.id).where(User.username == username))
        if user_id is None:
            return 0
        return revoke_all(session, user_id, reason)


def last_revocation(engine: sa.Engine, username: str) -> dt.datetime | None:
    """When the newest ended session of `username` ended (SSO refuses identity proofs older)."""
    stmt = (
        sa.select(sa.func.max(UserSession.ended_at))
        .join(User, User.id == UserSession.user_id)
        .where(User.username == username)
    )
    with engine.connect() as connection:
        return connection.execute(stmt).scalar()


def open_sessions(engine: sa.Engine, username: str) -> int:
    """How many sessions of `username` have not ended (they may still have timed out)."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(UserSession)
        .join(User, User.id == UserSession.user_id)
        .where(User.username == username, UserSession.ended_at.is_(None))
    )
    with engine.connect() as connection:
        return int(connection.execute(stmt).scalar() or 0)
