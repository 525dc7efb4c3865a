"""Single sign-on identities: which provider subject or email signs in as which account."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, user_sessions
from data_access.models import SsoIdentity, User, UserSession
from data_access.queries_common import frame
from data_access.users import UserError


def normalise_identity(identity: str) -> str:
    return (identity or "").strip().lower()


def link_identity(
    session: so.Session,
    username: str,
    identity: str,
    *,
    actor: str | None = None,
    page: str | None = None,
) -> None:
    """Let the identity-provider identity `identity` (subject or email) sign in as `username`."""
    value = normalise_identity(identity)
    if not value or len(value) > 200:
        raise UserError("Give the identity provider's subject or email address (1-200 characters).")
    user = session.scalars(sa.select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise UserError(f"There is no account called “{username}”.")
    taken = session.scalars(sa.select(SsoIdentity).where(SsoIdentity.identity == value)).first()
    if taken is not None:
        raise UserError(f"The identity “{value}” is already linked to an account.")
    session.add(SsoIdentity(identity=value, user_id=user.id))
    audit_log.record(
        session,
        username=actor,
        event="sso_identity_linked",
        page=page,
        detail=f"{user.username}: {value}",
    )


def list_identities(*, engine: sa.Engine) -> pd.DataFrame:
    """Linked identities: user name and identity, for the Users page and the CLI."""
    stmt = (
        sa.select(User.username, SsoIdentity.identity, SsoIdentity.created_at)
        .join(User, User.id == SsoIdentity.user_id)
        .order_by(User.username, SsoIdentity.identity)
    )
    return frame(engine, stmt)


def unlink_identity(
    session: so.Session, identity: str, *, actor: str | None = None, page: str | None = None
) -> None:
    """Stop an identity signing in; the account's open single sign-on sessions end too."""
    value = normalise_identity(identity)
    link = session.scalars(sa.select(SsoIdentity).where(SsoIdentity.identity == value)).first()
    if link is None:
        raise UserError(f"The identity “{value}” is not linked to any account.")
    session.execute(
        sa.update(UserSession)
        .where(
            UserSession.user_id == link.user_id,
            UserSession.method == "sso",
            UserSession.ended_at.is_(None),
        )
        .values(ended_at=user_sessions.clock(), end_reason="identity unlinked")
    )
    session.delete(link)
    audit_log.record(
        session, username=actor, event="sso_identity_unlinked", page=page, detail=value
    )


def user_for_identities(engine: sa.Engine, identities: list[str]) -> str | None:
    """The active account linked to the first of `identities` that has a link, else None."""
    values = [normalise_identity(i) for i in identities if normalise_identity(i)]
    if not values:
        return None
    stmt = (
        sa.select(SsoIdentity.identity, User.username)
        .join(User, User.id == SsoIdentity.user_id)
        .where(SsoIdentity.identity.in_(values), User.active.is_(True))
    )
    with engine.connect() as connection:
        found = dict(connection.execute(stmt).tuples().all())
    for value in values:
        if value in found:
            return found[value]
    return None
