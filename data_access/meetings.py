"""The executive meeting's decisions and actions log: record, update status, list by theme/meeting.

A decision records what the chair decided; an action also names an owner and a due date. Status
changes are written to the audit log in the same transaction, so the history of who closed what
is kept even though the row shows only the latest status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access import audit_log
from data_access.db import session_scope
from data_access.models import ACTION_STATUSES, DECISION_KINDS, THEMES, MeetingDecision, Theme
from data_access.queries_common import frame

MAX_TEXT_CHARS = 2000
MAX_OWNER_CHARS = 200
# A status that still needs someone to do something.
OPEN_STATUSES = ("open", "in_progress")

STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "complete": "Complete",
    "cancelled": "Cancelled",
}
KIND_LABELS = {"decision": "Decision", "action": "Action"}


class DecisionError(ValueError):
    """A decision or action that cannot be recorded; the message says why, in plain words."""


@dataclass(frozen=True)
class NewDecision:
    """What a person enters on the form; validated by `validate` before anything is written."""

    meeting_date: dt.date
    kind: str
    text: str
    theme_code: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None


def validate(entry: NewDecision) -> list[str]:
    """Every problem with `entry`, in sentences a person understands (empty when it is fine)."""
    problems: list[str] = []
    text = (entry.text or "").strip()
    owner = (entry.owner or "").strip()
    if entry.kind not in DECISION_KINDS:
        problems.append("Choose whether this is a decision or an action.")
    if not isinstance(entry.meeting_date, dt.date):
        problems.append("Give the date of the meeting.")
    if not text:
        problems.append("Write what was decided or what needs to be done.")
    elif len(text) > MAX_TEXT_CHARS:
        problems.append(
            f"The text is {len(text):,} characters long; keep it to {MAX_TEXT_CHARS:,} or fewer."
        )
    if entry.theme_code is not None and entry.theme_code not in THEMES:
        problems.append(f"'{entry.theme_code}' is not one of the partnership's themes.")
    if len(owner) > MAX_OWNER_CHARS:
        problems.append(f"Keep the owner to {MAX_OWNER_CHARS} characters or fewer.")
    if entry.kind == "action":
        if not owner:
            problems.append("An action needs an owner (a person, role or agency).")
        if entry.due_date is None:
            problems.append("An action needs a due date.")
        elif isinstance(entry.meeting_date, dt.date) and entry.due_date < entry.meeting_date:
            problems.append("The due date cannot be before the meeting.")
    return problems


def add_decision(
    *, engine: sa.Engine, entry: NewDecision, recorded_by: str, page: str | None = "decisions"
) -> int:
    """Record a decision or action and its audit-log line together; return the new id.

    Raises DecisionError (nothing written) when the entry is not valid.
    """
    problems = validate(entry)
    if problems:
        raise DecisionError(" ".join(problems))
    with session_scope(engine) as session:
        row = MeetingDecision(
            meeting_date=entry.meeting_date,
            theme_code=entry.theme_code,
            kind=entry.kind,
            text=entry.text.strip(),
            owner=(entry.owner or "").strip() or None,
            due_date=entry.due_date,
            status="open",
            recorded_by=recorded_by,
        )
        session.add(row)
        session.flush()
        audit_log.record(
            session,
            username=recorded_by,
            event="decision_recorded",
            page=page,
            detail=f"{entry.kind} {row.id} for meeting {entry.meeting_date:%Y-%m-%d}"
            f" (theme {entry.theme_code or 'none'})",
        )
        return row.id


def update_status(
    *,
    engine: sa.Engine,
    decision_id: int,
    status: str,
    updated_by: str,
    page: str | None = "decisions",
) -> None:
    """Change a decision or action's status, logging the old and new status in the audit log."""
    if status not in ACTION_STATUSES:
        raise DecisionError(
            f"'{status}' is not a status; choose one of: "
            + ", ".join(STATUS_LABELS[s] for s in ACTION_STATUSES)
            + "."
        )
    with session_scope(engine) as session:
        row = session.get(MeetingDecision, decision_id)
        if row is None:
            raise DecisionError(f"There is no decision or action number {decision_id}.")
        if row.status == status:
            return
        previous = row.status
        row.status = status
        audit_log.record(
            session,
            username=updated_by,
            event="decision_status_changed",
            page=page,
            detail=f"{row.kind} {row.id}: {previous} -> {status}",
        )


DECISION_COLUMNS = [
    "id",
    "meeting_date",
    "theme_code",
    "theme_name",
    "kind",
    "text",
    "owner",
    "due_date",
    "status",
    "recorded_by",
    "recorded_at",
    "overdue",
    "days_overdue",
]


def list_decisions(
    *,
    engine: sa.Engine,
    theme_code: str | None = None,
    meeting_date: dt.date | None = None,
    kind: str | None = None,
    open_only: bool = False,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Decisions and actions, newest meeting first; overdue = open past its due date.

    Columns: id, meeting_date, theme_code, theme_name, kind, text, owner, due_date, status,
    recorded_by, recorded_at, overdue (bool), days_overdue (int, 0 when not overdue).
    """
    stmt = (
        sa.select(
            MeetingDecision.id,
            MeetingDecision.meeting_date,
            MeetingDecision.theme_code,
            Theme.name.label("theme_name"),
            MeetingDecision.kind,
            MeetingDecision.text,
            MeetingDecision.owner,
            MeetingDecision.due_date,
            MeetingDecision.status,
            MeetingDecision.recorded_by,
            MeetingDecision.recorded_at,
        )
        .outerjoin(Theme, Theme.code == MeetingDecision.theme_code)
        .order_by(
            MeetingDecision.meeting_date.desc(), MeetingDecision.kind.desc(), MeetingDecision.id
        )
    )
    if theme_code is not None:
        stmt = stmt.where(MeetingDecision.theme_code == theme_code)
    if meeting_date is not None:
        stmt = stmt.where(MeetingDecision.meeting_date == meeting_date)
    if kind is not None:
        stmt = stmt.where(MeetingDecision.kind == kind)
    if open_only:
        stmt = stmt.where(MeetingDecision.status.in_(OPEN_STATUSES))
    df = frame(engine, stmt)
    return _with_overdue(df, today or dt.date.today())


def _with_overdue(df: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    due = pd.to_datetime(df["due_date"], errors="coerce")
    days = (pd.Timestamp(today) - due).dt.days
    overdue = df["status"].isin(OPEN_STATUSES) & due.notna() & (days > 0)
    df["overdue"] = overdue.astype(bool)
    df["days_overdue"] = days.where(overdue, 0).fillna(0).astype(int)
    return df[DECISION_COLUMNS]


def meeting_dates(*, engine: sa.Engine) -> list[dt.date]:
    """Dates of meetings with at least one decision or action, newest first."""
    stmt = (
        sa.select(MeetingDecision.meeting_date)
        .group_by(MeetingDecision.meeting_date)
        .order_by(MeetingDecision.meeting_date.desc())
    )
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(stmt)]


def counts_by_theme(*, engine: sa.Engine, today: dt.date | None = None) -> pd.DataFrame:
    """Open and overdue actions per theme (grouped in SQL): theme_code, open_actions, overdue."""
    today = today or dt.date.today()
    is_overdue = sa.and_(MeetingDecision.due_date.is_not(None), MeetingDecision.due_date < today)
    stmt = (
        sa.select(
            MeetingDecision.theme_code,
            sa.func.count().label("open_actions"),
            sa.func.sum(sa.case((is_overdue, 1), else_=0)).label("overdue"),
        )
        .where(MeetingDecision.kind == "action", MeetingDecision.status.in_(OPEN_STATUSES))
        .group_by(MeetingDecision.theme_code)
    )
    return frame(engine, stmt)
