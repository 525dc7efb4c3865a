"""A second factor for password accounts: time-based one-time codes and recovery codes (issue 30).

A person enrols on their Account page: the dashboard makes a secret, the person adds it to an
authenticator app (as the otpauth:// address or the secret typed in) and proves it with a code;
ten one-use recovery codes are shown once and kept only as SHA-256 hashes. At sign-in, after the
password, a code from the app (this 30-second step or the one either side) or an unused recovery
code is asked for. A code is accepted once: the last accepted time-step is kept and a code of
that step or an earlier one is refused as a replay. With REQUIRE_SECOND_FACTOR on,
administrators and QA officers must have one (they enrol at sign-in). An administrator resets a
lost one (Users and roles, or `qa-dashboard user reset-second-factor`). Single sign-on accounts
use their identity provider's second factor. Everything is audit-logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import pyotp
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, user_sessions
from data_access.clock import utc_now
from data_access.config import settings
from data_access.db import session_scope
from data_access.models import RecoveryCode, User
from data_access.users import UserError, normalise_username

RECOVERY_CODES = 10
ROLES_REQUIRED = ("admin", "qa_officer")
# A code of the step before or after the current one is accepted (clocks drift; people type).
VALID_WINDOW = 1
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_secret() -> str:
    """A fresh base32 secret for an authenticator app (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app takes (pasted, or typed as the secret)."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=username, issuer_name=settings().partnership_name
    )


def required_for(role: str) -> bool:
    """True when REQUIRE_SECOND_FACTOR is on and `role` is one that must have a second factor."""
    return settings().require_second_factor and role in ROLES_REQUIRED


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _clean_recovery(code: str) -> str:
    return "".join(c for c in (code or "").lower() if c.isalnum())


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _matching_step(secret: str, code: str, now: dt.datetime | None) -> int | None:
    """The time-step (counter) `code` belongs to within the window around `now`, else None."""
    digits = "".join(c for c in (code or "") if not c.isspace())
    if not (digits.isdigit() and len(digits) == 6):
        return None
    totp = pyotp.TOTP(secret)
    moment = now or dt.datetime.now(dt.UTC)
    current = totp.timecode(moment)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _user(session: so.Session, username: str) -> User:
    name = normalise_username(username)
    user = session.scalars(sa.select(User).where(User.username == name)).one_or_none()
    if user is None:
        raise UserError(f"There is no account called “{username}”.")
    return user


def _replace_recovery_codes(session: so.Session, user: User) -> list[str]:
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(_clean_recovery(code))))
    return codes


def enrol(
    session: so.Session,
    username: str,
    secret: str,
    code: str,
    *,
    page: str | None = None,
    now: dt.datetime | None = None,
) -> list[str]:
    """Turn the second factor on for `username` once `code` proves the app holds `secret`.

    Returns the ten recovery codes, to be shown once. UserError (nothing changed) if the code
    is wrong or the account already has a second factor.
    """
    user = _user(session, username)
    if user.totp_secret:
        raise UserError(
            "A second factor is already set up for this account. An administrator can reset it."
        )
    step = _matching_step(secret, code, now)
    if step is None:
        raise UserError(
            "That code does not match. Check the authenticator app's clock and type the code "
            "it shows now (6 digits)."
        )
    user.totp_secret = secret
    user.totp_enrolled_at = utc_now()
    user.totp_last_step = step
    codes = _replace_recovery_codes(session, user)
    audit_log.record(
        session,
        username=user.username,
        event="second_factor_enrolled",
        page=page,
        detail=f"authenticator app and {RECOVERY_CODES} recovery codes",
    )
    return codes


@dataclass(frozen=True)
class Check:
    """The outcome of `check_code`: accepted (and how), or refused (and why, for the log)."""

    accepted: bool
    how: str  # "code", "recovery code", "wrong code", "replayed code", "not enrolled"


def check_code(
    engine: sa.Engine,
    username: str,
    code: str,
    *,
    page: str | None = "sign-in",
    now: dt.datetime | None = None,
) -> Check:
    """Check a sign-in's second factor: an app code not used before, or an unused recovery code.

    Accepting a code records its step (so it cannot be used again); a recovery code is used up.
    A refusal is audit-logged (`second_factor_refused`), and so is a recovery code's use.
    """
    name = normalise_username(username)
    with session_scope(engine) as session:
        user = session.scalars(
            sa.select(User).where(User.username == name).with_for_update()
        ).one_or_none()
        if user is None or not user.totp_secret:
            outcome = Check(False, "not enrolled")
        else:
            step = _matching_step(user.totp_secret, code, now)
            if step is not None and step > (user.totp_last_step or -1):
                user.totp_last_step = step
                return Check(True, "code")
            if step is not None:
                outcome = Check(False, "replayed code")
            else:
                outcome = _use_recovery_code(session, user, code)
                if outcome.accepted:
                    left = _recovery_codes_left(session, user.id)
                    audit_log.record(
                        session,
                        username=user.username,
                        event="recovery_code_used",
                        page=page,
                        detail=f"{left} recovery code{'s' if left != 1 else ''} left",
                    )
                    return outcome
        audit_log.record(
            session,
            username=name,
            event="second_factor_refused",
            page=page,
            detail=outcome.how,
        )
        return outcome


def _use_recovery_code(session: so.Session, user: User, code: str) -> Check:
    cleaned = _clean_recovery(code)
    if len(cleaned) != 10:
        return Check(False, "wrong code")
    row = session.scalars(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(cleaned),
            RecoveryCode.used_at.is_(None),
        )
    ).first()
    if row is None:
        return Check(False, "wrong code")
    row.used_at = utc_now()
    return Check(True, "recovery code")


def _recovery_codes_left(session: so.Session, user_id: int) -> int:
    return int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


@dataclass(frozen=True)
class Status:
    """Whether an account has a second factor, since when, and how many recovery codes are left."""

    enrolled: bool
    enrolled_at: dt.datetime | None = None
    recovery_codes_left: int = 0


def status(engine: sa.Engine, username: str) -> Status:
    """The second-factor status of `username` (not enrolled for an unknown account)."""
    with session_scope(engine) as session:
        user = session.scalars(
            sa.select(User).where(User.username == normalise_username(username))
        ).one_or_none()
        if user is None or not user.totp_secret:
            return Status(False)
        return Status(True, user.totp_enrolled_at, _recovery_codes_left(session, user.id))


def reset(
    session: so.Session, username: str, *, actor: str | None = None, page: str | None = None
) -> None:
    """Remove an account's second factor and recovery codes (it was lost); the person is signed
    out everywhere and sets one up again (at sign-in, when it is required)."""
    user = _user(session, username)
    if not user.totp_secret:
        raise UserError(f"“{user.username}” has no second factor to reset.")
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user_sessions.revoke_all(session, user.id, "second factor reset")
    audit_log.record(
        session, username=actor, event="second_factor_reset", page=page, detail=user.username
    )
