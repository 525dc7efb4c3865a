"""Rolling back a loaded submission: its figures withdrawn, the ones they replaced current again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, clock, self_assessment_import, user_agencies
from data_access.db import session_scope
from data_access.models import IndicatorValue, Submission

# Ids per IN (...) list, and figures restored per set-based statement.
_CHUNK = 500


class RollbackError(ValueError):
    """A submission cannot be rolled back; the message says why."""


@dataclass
class RollbackResult:
    submission_id: int
    withdrawn: int
    restored: int
    message: str


def rollback_submission(
    *, engine: sa.Engine, submission_id: int, username: str, page: str | None = "data_management"
) -> RollbackResult:
    """Withdraw a submission's figures and make the figures they replaced current again.

    All or nothing. Refused (RollbackError) if the submission does not exist, is already rolled
    back, or any of its figures has since been replaced by a later submission (roll that back
    first).
    """
    # A mapped class's table, which the declarative base types as the wider FromClause.
    table = cast(sa.Table, IndicatorValue.__table__)
    with session_scope(engine) as session:
        submission = session.get(Submission, submission_id)
        if submission is None:
            raise RollbackError(f"There is no submission {submission_id}.")
        if (
            user_agencies.scope_for(session, username) is not None
            and submission.submitted_by != username
        ):
            raise RollbackError(
                f"Submission {submission_id} was loaded by {submission.submitted_by}; an agency "
                "submitter may roll back only its own submissions."
            )
        if submission.status == "rolled_back":
            when = (
                f" on {submission.rolled_back_at:%d %b %Y at %H:%M}"
                if submission.rolled_back_at
                else ""
            )
            raise RollbackError(
                f"Submission {submission_id} was already rolled back{when} by "
                f"{submission.rolled_back_by or 'someone'}."
            )
        if submission.source == self_assessment_import.SOURCE:
            return _withdraw_returns(session, submission, username, page)
        values = session.execute(
            sa.select(table.c.id, table.c.is_current, table.c.superseded_by_id).where(
                table.c.submission_id == submission_id
            )
        ).all()
        replaced_by = {v.superseded_by_id for v in values if not v.is_current}
        if replaced_by:
            later = session.execute(
                sa.select(
                    Submission.id,
                    Submission.file_name,
                    Submission.submitted_at,
                    Submission.submitted_by,
                )
                .join(IndicatorValue, IndicatorValue.submission_id == Submission.id)
                .where(IndicatorValue.id.in_(sorted(i for i in replaced_by if i is not None)))
                .distinct()
                .order_by(Submission.id)
            ).all()
            listing = (
                "; ".join(
                    f"submission {s.id} ({s.file_name}, loaded {s.submitted_at:%d %b %Y} by "
                    f"{s.submitted_by})"
                    for s in later
                )
                or "a later change"
            )
            raise RollbackError(
                f"Submission {submission_id} cannot be rolled back: "
                f"{sum(not v.is_current for v in values)} of its figures have since been "
                f"replaced by {listing}. Roll back the later submission(s) first."
            )
        value_ids = [v.id for v in values]
        predecessors: list[tuple[int, int]] = []  # (restored row, withdrawn row)
        for start in range(0, len(value_ids), _CHUNK):
            chunk = value_ids[start : start + _CHUNK]
            # A withdrawn figure of a rolled-back submission also points here; it is not a
            # predecessor and must stay withdrawn.
            predecessors += [
                tuple(r)
                for r in session.execute(
                    sa.select(table.c.id, table.c.superseded_by_id)
                    .outerjoin(Submission, Submission.id == table.c.submission_id)
                    .where(
                        table.c.superseded_by_id.in_(chunk),
                        sa.or_(Submission.id.is_(None), Submission.status != "rolled_back"),
                    )
                ).all()
            ]
        for start in range(0, len(value_ids), _CHUNK):
            chunk = value_ids[start : start + _CHUNK]
            session.execute(sa.update(table).where(table.c.id.in_(chunk)).values(is_current=False))
        session.flush()
        # Set-based, a chunk of restored figures at a time (row by row, a large rollback ran at
        # a few thousand rows a second). First the withdrawn figure points at the figure it had
        # replaced (found while that one still names it), then that one is current again.
        restored_ids = [old for old, _ in predecessors]
        earlier = table.alias("earlier")
        for start in range(0, len(restored_ids), _CHUNK):
            chunk = restored_ids[start : start + _CHUNK]
            session.execute(
                sa.update(table)
                .where(
                    table.c.id.in_(
                        sa.select(earlier.c.superseded_by_id).where(earlier.c.id.in_(chunk))
                    )
                )
                .values(
                    superseded_by_id=sa.select(sa.func.max(earlier.c.id))
                    .where(earlier.c.superseded_by_id == table.c.id, earlier.c.id.in_(chunk))
                    .scalar_subquery()
                )
            )
            session.execute(
                sa.update(table)
                .where(table.c.id.in_(chunk))
                .values(is_current=True, superseded_by_id=None)
            )
        submission.status = "rolled_back"
        submission.rolled_back_at = clock.utc_now()
        submission.rolled_back_by = username
        audit_log.record(
            session,
            username=username,
            event="rollback",
            page=page,
            detail=(
                f"submission {submission_id} ({submission.file_name}): {len(value_ids)} "
                f"figure(s) withdrawn, {len(predecessors)} earlier figure(s) restored"
            ),
        )
        return RollbackResult(
            submission_id,
            len(value_ids),
            len(predecessors),
            f"Submission {submission_id} was rolled back: {len(value_ids)} figure(s) withdrawn "
            f"and {len(predecessors)} earlier figure(s) made current again.",
        )


def _withdraw_returns(
    session: so.Session, submission: Submission, username: str, page: str | None
) -> RollbackResult:
    """Roll back a file of self-assessment returns: its returns deleted, so a corrected file
    (or a later return) can take their place."""
    withdrawn = self_assessment_import.withdraw_returns(session, submission)
    submission.status = "rolled_back"
    submission.rolled_back_at = clock.utc_now()
    submission.rolled_back_by = username
    audit_log.record(
        session,
        username=username,
        event="rollback",
        page=page,
        detail=(
            f"submission {submission.id} ({submission.file_name}, sha256 "
            f"{submission.checksum}): {withdrawn} self-assessment return(s) withdrawn"
        ),
    )
    return RollbackResult(
        submission.id,
        withdrawn,
        0,
        f"Submission {submission.id} was rolled back: {withdrawn} self-assessment return(s) "
        "withdrawn.",
    )
