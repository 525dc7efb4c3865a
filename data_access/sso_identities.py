"""Single sign-on links: which identity at which provider signs in as which account (issue 30).

A link names the provider that issued the identity (its `iss` claim, the issuer) and what the
identity is:

- a **subject** (`sub` claim): the provider's own id for the person, compared exactly, as
  OpenID Connect requires (case and spaces count; nothing is trimmed or lower-cased);
- an **email** address: matched only when the provider says the address is verified
  (`email_verified` is true) AND the provider is one allowed to match emails (setting
  `SSO_EMAIL_ISSUERS`). Where people can set their own email at the provider (guest or
  multi-tenant directories) an unverified email would be an account takeover.

An email claim is never compared with subject links, nor a subject with email links, and a
link from one provider never matches another's. Every refusal says why, for the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, user_sessions
from data_access.config import settings
from data_access.models import SSO_KINDS, SsoIdentity, User, UserSession
from data_access.queries_common import frame
from data_access.users import UserError

MAX_IDENTITY_LENGTH = 200
MAX_ISSUER_LENGTH = 300
NO_ISSUER_HELP = (
    "Give the provider's issuer (its `iss`, e.g. "
    "https://login.microsoftonline.com/TENANT-ID/v2.0), or set SSO_ISSUER to make one the default."
)


def normalise_email(email: str) -> str:
    """An email address as links keep it: lower case (surrounding spaces are not removed)."""
    return (email or "").lower()


def _clean_issuer(issuer: str | None) -> str:
    value = (issuer or "").strip() or (settings().sso_issuer or "")
    if not value:
        raise UserError(NO_ISSUER_HELP)
    if len(value) > MAX_ISSUER_LENGTH:
        raise UserError(f"An issuer has at most {MAX_ISSUER_LENGTH} characters.")
    return value


def _clean_identity(identity: str, kind: str) -> str:
    if kind not in SSO_KINDS:
        raise UserError("A link is to a subject or to an email address.")
    if kind == "email":
        value = normalise_email((identity or "").strip())
        local, at, domain = value.partition("@")
        if not (local and at and "." in domain) or any(c.isspace() for c in value):
            raise UserError(f"“{identity}” is not an email address.")
    else:
        value = identity or ""
        if not value:
            raise UserError("Give the identity provider's subject identifier.")
        if value != value.strip() or any(not c.isprintable() for c in value):
            # Subjects are compared exactly: a stray space would make a link nobody matches.
            raise UserError(
                "A subject identifier has no spaces at either end and no control characters; "
                "copy it exactly as the provider sends it."
            )
    if len(value) > MAX_IDENTITY_LENGTH:
        raise UserError(f"An identity has at most {MAX_IDENTITY_LENGTH} characters.")
    return value


def link_identity(
    session: so.Session,
    username: str,
    identity: str,
    *,
    issuer: str | None = None,
    kind: str = "subject",
    actor: str | None = None,
    page: str | None = None,
) -> None:
    """Let `identity` (a subject, or a verified email) at provider `issuer` sign in as `username`.

    `issuer` defaults to the SSO_ISSUER setting.
    """
    provider = _clean_issuer(issuer)
    value = _clean_identity(identity, kind)
    user = session.scalars(sa.select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise UserError(f"There is no account called “{username}”.")
    taken = session.scalars(
        sa.select(SsoIdentity).where(
            SsoIdentity.issuer == provider, SsoIdentity.kind == kind, SsoIdentity.identity == value
        )
    ).first()
    if taken is not None:
        raise UserError(f"The {kind} “{value}” at {provider} is already linked to an account.")
    session.add(SsoIdentity(issuer=provider, kind=kind, identity=value, user_id=user.id))
    audit_log.record(
        session,
        username=actor,
        event="sso_identity_linked",
        page=page,
        detail=f"{user.username}: {kind} {value} at {provider}",
    )


def list_identities(*, engine: sa.Engine) -> pd.DataFrame:
    """Linked identities with their provider, for the Users page and the CLI."""
    stmt = (
        sa.select(
            SsoIdentity.id,
            User.username,
            SsoIdentity.issuer,
            SsoIdentity.kind,
            SsoIdentity.identity,
            SsoIdentity.created_at,
        )
        .join(User, User.id == SsoIdentity.user_id)
        .order_by(User.username, SsoIdentity.issuer, SsoIdentity.kind, SsoIdentity.identity)
    )
    return frame(engine, stmt)


def _remove(session: so.Session, link: SsoIdentity, actor: str | None, page: str | None) -> None:
    session.execute(
        sa.update(UserSession)
        .where(
            UserSession.user_id == link.user_id,
            UserSession.method == "sso",
            UserSession.ended_at.is_(None),
        )
        .values(ended_at=user_sessions.clock(), end_reason="identity unlinked")
    )
    detail = f"{link.kind} {link.identity} at {link.issuer or '(provider not recorded)'}"
    session.delete(link)
    audit_log.record(
        session, username=actor, event="sso_identity_unlinked", page=page, detail=detail
    )


def unlink_identity(
    session: so.Session,
    identity: str,
    *,
    issuer: str | None = None,
    kind: str = "subject",
    actor: str | None = None,
    page: str | None = None,
) -> None:
    """Stop an identity signing in; the account's open single sign-on sessions end too."""
    value = normalise_email(identity.strip()) if kind == "email" else identity
    provider = (issuer or "").strip() or (settings().sso_issuer or "")
    link = session.scalars(
        sa.select(SsoIdentity).where(
            SsoIdentity.issuer == provider, SsoIdentity.kind == kind, SsoIdentity.identity == value
        )
    ).first()
    if link is None:
        raise UserError(
            f"The {kind} “{value}” at {provider or '(no provider given)'} is not linked to any "
            "account."
        )
    _remove(session, link, actor, page)


def unlink_by_id(
    session: so.Session, link_id: int, *, actor: str | None = None, page: str | None = None
) -> None:
    """Remove the link with id `link_id` (the Users page lists links with their ids)."""
    link = session.get(SsoIdentity, link_id)
    if link is None:
        raise UserError("That link no longer exists.")
    _remove(session, link, actor, page)


@dataclass(frozen=True)
class Match:
    """The outcome of `match`: the account to sign in as, or why nobody is signed in."""

    username: str | None
    refusal: str | None = None  # a sentence for the audit log when `username` is None
    identity: str = ""  # what to quote to an administrator


def _claim_text(value: object) -> str:
    return value if isinstance(value, str) else ""


def email_is_verified(claims: Mapping[str, object]) -> bool:
    """True only if the provider's `email_verified` claim says so (true, or the string "true")."""
    verified = claims.get("email_verified")
    return verified is True or verified == "true"


def match(engine: sa.Engine, claims: Mapping[str, object]) -> Match:
    """The active account the provider's claims sign in as, by subject first, then by email."""
    issuer = _claim_text(claims.get("iss"))
    subject = _claim_text(claims.get("sub"))
    email = _claim_text(claims.get("email"))
    quoted = f"subject {subject!r} at {issuer or '(no issuer)'}"
    if not issuer or not subject:
        return Match(None, "the provider sent no issuer or no subject", quoted)

    def find(kind: str, value: str) -> str | None:
        stmt = (
            sa.select(SsoIdentity.identity, User.username)
            .join(User, User.id == SsoIdentity.user_id)
            .where(
                SsoIdentity.issuer == issuer,
                SsoIdentity.kind == kind,
                SsoIdentity.identity == value,
                User.active.is_(True),
            )
        )
        with engine.connect() as connection:
            rows = connection.execute(stmt).tuples().all()
        # Exact in Python too, whatever a database's collation might fold.
        return next((name for stored, name in rows if stored == value), None)

    username = find("subject", subject)
    if username is not None:
        return Match(username, identity=quoted)
    if not email:
        return Match(None, f"no account is linked to {quoted}", quoted)
    if issuer not in settings().sso_email_issuers:
        return Match(
            None,
            f"no account is linked to {quoted}; the email {email!r} is not used because this "
            "provider is not allowed to match emails (SSO_EMAIL_ISSUERS)",
            quoted,
        )
    if not email_is_verified(claims):
        return Match(
            None,
            f"no account is linked to {quoted}; the provider does not say the email "
            f"{email!r} is verified",
            quoted,
        )
    username = find("email", normalise_email(email))
    if username is None:
        return Match(
            None, f"no account is linked to {quoted} or to the verified email {email!r}", quoted
        )
    return Match(username, identity=f"verified email {email!r} at {issuer}")
