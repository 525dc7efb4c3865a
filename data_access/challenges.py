"""The youth council's challenge loop: a young person challenges an agency about a standard, a
quality assurance officer records the agency's answer. Nothing here is ever deleted; a challenge's
`status` is its latest state and every response is kept with its date and author.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from data_access import audit_log
from data_access.audits import ValidationError
from data_access.clock import utc_now
from data_access.config import challenge_deadline_days
from data_access.db import session_scope
from data_access.models import (
    CHALLENGE_KINDS,
    Agency,
    ChallengeResponse,
    S11Cycle,
    S11Standard,
    YouthChallenge,
)
from data_access.queries_common import frame

MAX_CHALLENGE_CHARS = 2000
MAX_RESPONSE_CHARS = 4000
# A response moves the challenge on; "open" is only ever the starting state.
RESPONSE_STATUSES = ("answered", "accepted", "escalated")
KIND_LABELS = {"question": "A question", "evidence_request": "A request for evidence"}
STATUS_LABELS = {
    "open": "Waiting for an answer",
    "answered": "Answered",
    "accepted": "Answer accepted",
    "escalated": "Escalated to the partnership",
}

__all__ = [
    "ValidationError",
    "create_challenge",
    "record_response",
    "list_challenges",
    "list_responses",
    "overdue_challenges",
    "youth_members",
    "MAX_CHALLENGE_CHARS",
    "MAX_RESPONSE_CHARS",
    "RESPONSE_STATUSES",
]


def create_challenge(
    *,
    engine: sa.Engine,
    username: str,
    agency_id: int | None,
    standard_id: int | None,
    kind: str,
    text: str,
    cycle_id: int | None = None,
    page: str = "youth_section11",
) -> int:
    """Record a youth council member's challenge; return its id.

    Raises ValidationError (nothing saved) for empty or over-long text, an agency that does not
    exist or is no longer active, a standard that does not exist, or an unknown kind.
    """
    problems: list[str] = []
    body = (text or "").strip()
    if not body:
        problems.append("Please write your challenge before sending it.")
    elif len(body) > MAX_CHALLENGE_CHARS:
        problems.append(
            f"Your challenge is {len(body):,} characters long. Please keep it to "
            f"{MAX_CHALLENGE_CHARS:,} characters or fewer."
        )
    if kind not in CHALLENGE_KINDS:
        problems.append("Choose whether this is a question or a request for evidence.")
    if not username:
        problems.append("You need to be signed in to send a challenge.")
    with session_scope(engine) as session:
        agency = session.get(Agency, agency_id) if agency_id is not None else None
        if agency_id is None:
            problems.append("Choose which organisation your challenge is for.")
        elif agency is None or not agency.active:
            problems.append("Choose an agency from the list: that agency is not one we know.")
        standard = session.get(S11Standard, standard_id) if standard_id is not None else None
        if standard_id is None:
            problems.append("Choose which standard your challenge is about.")
        elif standard is None:
            problems.append("Choose a standard from the list: that standard is not one we know.")
        if cycle_id is not None and session.get(S11Cycle, cycle_id) is None:
            problems.append("That Section 11 round does not exist.")
        if problems:
            raise ValidationError(problems)
        challenge = YouthChallenge(
            agency_id=agency_id,
            standard_id=standard_id,
            cycle_id=cycle_id,
            kind=kind,
            text=body,
            author=username,
            created_at=utc_now(),
            status="open",
        )
        session.add(challenge)
        session.flush()
        audit_log.record(
            session,
            username=username,
            event="youth_challenge_created",
            page=page,
            detail=f"challenge {challenge.id} to agency {agency_id} on standard {standard_id}",
        )
        return challenge.id


def record_response(
    *,
    engine: sa.Engine,
    username: str,
    challenge_id: int | None,
    text: str,
    status: str,
    page: str = "youth_challenges",
) -> int:
    """Record the agency's answer to a challenge and move the challenge to `status`.

    Raises ValidationError (nothing saved) for empty or over-long text, an unknown status or a
    challenge that does not exist. Earlier responses are kept.
    """
    problems: list[str] = []
    body = (text or "").strip()
    if not body:
        problems.append("Enter the agency's response.")
    elif len(body) > MAX_RESPONSE_CHARS:
        problems.append(
            f"The response is {len(body):,} characters long; the limit is {MAX_RESPONSE_CHARS:,}."
        )
    if status not in RESPONSE_STATUSES:
        problems.append("Choose the challenge's status: answered, accepted or escalated.")
    if not username:
        problems.append("You must be signed in to record a response.")
    with session_scope(engine) as session:
        challenge = session.get(YouthChallenge, challenge_id) if challenge_id is not None else None
        if challenge is None:
            problems.append("That challenge does not exist.")
        if problems:
            raise ValidationError(problems)
        assert challenge is not None
        previous = challenge.status
        response = ChallengeResponse(
            challenge_id=challenge.id,
            text=body,
            author=username,
            created_at=utc_now(),
            status_after=status,
        )
        session.add(response)
        challenge.status = status
        session.flush()
        audit_log.record(
            session,
            username=username,
            event="youth_challenge_response",
            page=page,
            detail=f"challenge {challenge.id}: {previous} -> {status}",
        )
        return response.id


def list_challenges(
    *,
    engine: sa.Engine,
    author: str | None = None,
    status: str | None = None,
    agency_id: int | None = None,
    now: dt.datetime | None = None,
    deadline_days: int | None = None,
) -> pd.DataFrame:
    """Challenges, newest first, optionally one author's, one status or one agency's.

    Columns: id, created_at, author, agency_id, agency, standard_id, standard_number, standard,
    youth_description, kind, kind_label, text, status, status_label, responses, last_response_at,
    first_response_at, waited_days (days from sending to the first answer, or to `now` while
    unanswered), answered (bool), overdue (unanswered for longer than the partnership's
    deadline, `deadline_days`, default from settings).
    """
    response_counts = (
        sa.select(
            ChallengeResponse.challenge_id.label("challenge_id"),
            sa.func.count().label("responses"),
            sa.func.max(ChallengeResponse.created_at).label("last_response_at"),
            sa.func.min(ChallengeResponse.created_at).label("first_response_at"),
        )
        .group_by(ChallengeResponse.challenge_id)
        .subquery()
    )
    stmt = (
        sa.select(
            YouthChallenge.id,
            YouthChallenge.created_at,
            YouthChallenge.author,
            YouthChallenge.agency_id,
            Agency.name.label("agency"),
            YouthChallenge.standard_id,
            S11Standard.number.label("standard_number"),
            S11Standard.title.label("standard"),
            S11Standard.youth_description,
            YouthChallenge.kind,
            YouthChallenge.text,
            YouthChallenge.status,
            sa.func.coalesce(response_counts.c.responses, 0).label("responses"),
            response_counts.c.last_response_at,
            response_counts.c.first_response_at,
        )
        .join(Agency, Agency.id == YouthChallenge.agency_id)
        .join(S11Standard, S11Standard.id == YouthChallenge.standard_id)
        .outerjoin(response_counts, response_counts.c.challenge_id == YouthChallenge.id)
        .order_by(YouthChallenge.created_at.desc(), YouthChallenge.id.desc())
    )
    if author is not None:
        stmt = stmt.where(YouthChallenge.author == author)
    if status is not None:
        stmt = stmt.where(YouthChallenge.status == status)
    if agency_id is not None:
        stmt = stmt.where(YouthChallenge.agency_id == agency_id)
    challenges = frame(engine, stmt)
    challenges.insert(10, "kind_label", challenges["kind"].map(KIND_LABELS))
    challenges.insert(13, "status_label", challenges["status"].map(STATUS_LABELS))
    return _with_waiting_time(challenges, now=now, deadline_days=deadline_days)


def _with_waiting_time(
    challenges: pd.DataFrame, *, now: dt.datetime | None, deadline_days: int | None
) -> pd.DataFrame:
    """Add waited_days, answered and overdue: one rule for every page that shows a challenge."""
    deadline = deadline_days if deadline_days is not None else challenge_deadline_days()
    moment = pd.Timestamp(now or utc_now())
    created = pd.to_datetime(challenges["created_at"])
    first = pd.to_datetime(challenges["first_response_at"])
    answered = first.notna()
    until = first.where(answered, moment)
    # Whole days elapsed; a challenge sent today has waited 0 days.
    waited = (until.dt.normalize() - created.dt.normalize()).dt.days.clip(lower=0)
    challenges["waited_days"] = waited.fillna(0).astype(int)
    challenges["answered"] = answered.astype(bool)
    challenges["overdue"] = (~answered) & (challenges["waited_days"] > deadline)
    return challenges


def overdue_challenges(
    *, engine: sa.Engine, now: dt.datetime | None = None, deadline_days: int | None = None
) -> pd.DataFrame:
    """Challenges with no answer after the partnership's deadline, longest waiting first.

    Same columns as `list_challenges`; `deadline_days` defaults to the setting
    `YOUTH_CHALLENGE_DEADLINE_DAYS` (28 days).
    """
    every = list_challenges(engine=engine, now=now, deadline_days=deadline_days)
    late = every[every["overdue"]]
    return late.sort_values(["waited_days", "id"], ascending=[False, True]).reset_index(drop=True)


def list_responses(
    *, engine: sa.Engine, author: str | None = None, challenge_id: int | None = None
) -> pd.DataFrame:
    """Responses in the order they were recorded, optionally only to one challenge author's
    challenges or to one challenge.

    Columns: id, challenge_id, created_at, author, text, status_after, status_label.
    """
    stmt = (
        sa.select(
            ChallengeResponse.id,
            ChallengeResponse.challenge_id,
            ChallengeResponse.created_at,
            ChallengeResponse.author,
            ChallengeResponse.text,
            ChallengeResponse.status_after,
        )
        .join(YouthChallenge, YouthChallenge.id == ChallengeResponse.challenge_id)
        .order_by(ChallengeResponse.created_at, ChallengeResponse.id)
    )
    if author is not None:
        stmt = stmt.where(YouthChallenge.author == author)
    if challenge_id is not None:
        stmt = stmt.where(ChallengeResponse.challenge_id == challenge_id)
    responses = frame(engine, stmt)
    responses["status_label"] = responses["status_after"].map(STATUS_LABELS)
    return responses


def challenge_count(*, engine: sa.Engine) -> int:
    """How many challenges are stored (for checks that nothing was saved)."""
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count(YouthChallenge.id))).scalar_one())


def response_count(*, engine: sa.Engine) -> int:
    """How many responses are stored."""
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count(ChallengeResponse.id))).scalar_one())


def youth_members(*, engine: sa.Engine) -> pd.DataFrame:
    """Active youth council accounts (username, display_name): whose page staff may preview."""
    from data_access.models import User

    stmt = (
        sa.select(User.username, User.display_name)
        .where(User.role == "youth_council", User.active.is_(True))
        .order_by(User.username)
    )
    return frame(engine, stmt)
