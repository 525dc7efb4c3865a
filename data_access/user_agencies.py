"""People belong to agencies: which agencies an account is linked to, and what that lets an
agency submitter load (its own agencies' returns, nothing else)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log
from data_access.db import session_scope
from data_access.importer.checks.breakdowns import AgencyScope
from data_access.models import Agency, User, UserAgency
from data_access.queries_common import frame
from data_access.users import UserError, normalise_username

# The role whose loads are limited to its own agencies.
SUBMITTER_ROLE = "agency_submitter"


def agency_codes(session: so.Session, username: str) -> list[str]:
    """The codes of the agencies `username` is linked to, A to Z."""
    return list(
        session.scalars(
            sa.select(Agency.code)
            .join(UserAgency, UserAgency.agency_id == Agency.id)
            .join(User, User.id == UserAgency.user_id)
            .where(User.username == normalise_username(username))
            .order_by(Agency.code)
        )
    )


def links(*, engine: sa.Engine) -> pd.DataFrame:
    """Every account's linked agencies: username, agency_code."""
    stmt = (
        sa.select(User.username, Agency.code.label("agency_code"))
        .join(UserAgency, UserAgency.user_id == User.id)
        .join(Agency, Agency.id == UserAgency.agency_id)
        .order_by(User.username, Agency.code)
    )
    return frame(engine, stmt)


def set_agencies(
    session: so.Session,
    username: str,
    codes: Iterable[str],
    *,
    actor: str | None = None,
    page: str | None = None,
) -> list[str]:
    """Link `username` to exactly these agencies (replacing earlier links); audit-logged."""
    user = session.scalar(sa.select(User).where(User.username == normalise_username(username)))
    if user is None:
        raise UserError(f"There is no account called “{username}”.")
    wanted = sorted({c.strip().upper() for c in codes if c.strip()})
    found = {
        code.upper(): agency_id
        for agency_id, code in session.execute(
            sa.select(Agency.id, Agency.code).where(sa.func.upper(Agency.code).in_(wanted))
        )
    }
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise UserError(
            f"There is no agency with code {', '.join(unknown)}; see `qa-dashboard agencies list`."
        )
    before = agency_codes(session, user.username)
    if [c.upper() for c in before] == wanted:
        return before
    session.execute(sa.delete(UserAgency).where(UserAgency.user_id == user.id))
    session.add_all(UserAgency(user_id=user.id, agency_id=found[c]) for c in wanted)
    session.flush()
    audit_log.record(
        session,
        username=actor,
        event="user_agencies_changed",
        page=page,
        detail=f"{user.username}: {', '.join(before) or 'none'} -> {', '.join(wanted) or 'none'}",
    )
    return wanted


def scope_for(session: so.Session, username: str) -> AgencyScope | None:
    """What `username` may load: None (anyone's figures) unless it is an agency submitter, whose
    scope is its linked agencies (none linked: nothing may be loaded)."""
    row = session.execute(
        sa.select(User.id, User.role).where(User.username == normalise_username(username))
    ).one_or_none()
    if row is None or row.role != SUBMITTER_ROLE:
        return None
    linked = session.execute(
        sa.select(Agency.code, Agency.sector)
        .join(UserAgency, UserAgency.agency_id == Agency.id)
        .where(UserAgency.user_id == row.id, Agency.active.is_(True))
    ).all()
    return AgencyScope(
        username=normalise_username(username),
        codes=frozenset(code.upper() for code, _ in linked),
        sectors=frozenset(sector for _, sector in linked),
    )


def scope_of(*, engine: sa.Engine, username: str) -> AgencyScope | None:
    """`scope_for` in a session of its own (for a page checking an upload)."""
    with session_scope(engine) as session:
        return scope_for(session, username)


def linked_agencies(*, engine: sa.Engine, username: str) -> pd.DataFrame:
    """The active agencies `username` is linked to: id, code, name, A to Z by code."""
    stmt = (
        sa.select(Agency.id, Agency.code, Agency.name)
        .join(UserAgency, UserAgency.agency_id == Agency.id)
        .join(User, User.id == UserAgency.user_id)
        .where(User.username == normalise_username(username), Agency.active.is_(True))
        .order_by(Agency.code)
    )
    return frame(engine, stmt)
