"""People who may sign in: accounts, roles, bcrypt password hashes and lockout bookkeeping.

Password policy (NIST SP 800-63B style: length, not composition rules):
- at least 12 characters for a real account (8 for a demo account in the sample store);
- at most 72 bytes in UTF-8, because bcrypt ignores (bcrypt 5 refuses) anything longer;
- no leading or trailing spaces, because the sign-in form strips them before checking;
- not the same as, and not containing, the user name;
- not on the list of common passwords shipped in `common_passwords.txt` (compared in lower case).

A password longer than 72 bytes is refused at sign-in after one bcrypt check of the same cost as
any other, so neither the length nor the user name changes how long a refusal takes.

Lockout: 5 failed sign-ins in a row lock the account for 15 minutes; a successful sign-in or a
password reset clears the count. Every change here writes an audit-log line in the same
transaction as the change itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, user_sessions
from data_access.clock import utc_now
from data_access.config import settings
from data_access.db import session_scope
from data_access.models import ROLES, User, UserSession
from data_access.queries_common import frame

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{2,59}$")
USERNAME_RULE = (
    "3 to 60 characters: lower-case letters, digits, dots, hyphens or underscores, "
    "starting with a letter"
)
MIN_PASSWORD_LENGTH = 12
MIN_DEMO_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_MINUTES = 15
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


class UserError(ValueError):
    """A request about an account that cannot be carried out; the message is for a person."""


@dataclass(frozen=True)
class FailureOutcome:
    """What one failed sign-in did (for logging and tests; never shown to the person signing in)."""

    known_user: bool
    attempts: int
    locked_now: bool


def normalise_username(username: str) -> str:
    """User names compare in lower case without surrounding spaces (as the authenticator does)."""
    return (username or "").strip().lower()


def hash_password(password: str) -> str:
    """A bcrypt hash of `password` (the only form in which a password is ever stored)."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True if `password` matches the bcrypt `password_hash`.

    Over 72 bytes bcrypt 5 refuses at once (older versions silently truncate): spend one
    ordinary check instead and say no, so a long password costs what any other does.
    """
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        burn_password_check(password)
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except ValueError:
        return False


@functools.cache
def _timing_dummy_hash() -> str:
    # Made once per process with the default cost, so it costs what a real check costs.
    return hash_password("no such account")


def burn_password_check(password: str) -> None:
    """Spend the time of one bcrypt check, so refusals do not reveal whether an account exists."""
    data = password.encode("utf-8")[:MAX_PASSWORD_BYTES] or b"x"
    bcrypt.checkpw(data, _timing_dummy_hash().encode("ascii"))


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case (one a line; # starts a comment)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def is_common_password(password: str) -> bool:
    """True if `password`, or it with spaces, digits or punctuation removed, is a common one."""
    lowered = password.lower()
    letters_only = re.sub(r"[^a-z]", "", lowered)
    common = common_passwords()
    return lowered in common or lowered.replace(" ", "") in common or letters_only in common


def check_credentials(engine: sa.Engine, username: str, password: str) -> User | None:
    """The active account if `password` is its password, else None; always one bcrypt check.

    Unknown names, deactivated accounts and over-long passwords go through the same single
    check (against a dummy hash of the same cost), so the time taken says nothing.
    """
    name = normalise_username(username)
    with session_scope(engine) as session:
        user = _get(session, name)
        if user is not None:
            session.expunge(user)
    if user is None or not user.active:
        burn_password_check(password)
        return None
    return user if verify_password(password, user.password_hash) else None


def validate_username(username: str) -> str:
    """The normalised user name, or UserError saying what a valid one looks like."""
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise UserError(f"“{username}” is not a valid user name. Use {USERNAME_RULE}.")
    return name


def validate_role(role: str) -> str:
    """`role` if it is one of ROLES, else UserError listing them."""
    if role not in ROLES:
        raise UserError(f"Unknown role “{role}”. Choose one of: {', '.join(ROLES)}.")
    return role


def validate_password(password: str, *, username: str, is_demo: bool = False) -> None:
    """Raise UserError if `password` breaks the policy in this module's docstring."""
    minimum = MIN_DEMO_PASSWORD_LENGTH if is_demo else MIN_PASSWORD_LENGTH
    if password is None or len(password) < minimum:
        raise UserError(f"The password must be at least {minimum} characters long.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError(f"The password must be at most {MAX_PASSWORD_BYTES} bytes long.")
    if password != password.strip():
        raise UserError("The password must not start or end with a space.")
    if username and username.lower() in password.lower():
        raise UserError("The password must not contain the user name.")
    if not is_demo and is_common_password(password):
        raise UserError(
            "That password is on the list of commonly used passwords that attackers try first. "
            "Choose another: a few unrelated words make a long password that is easy to remember."
        )


def _get(session: so.Session, username: str, *, for_update: bool = False) -> User | None:
    stmt = sa.select(User).where(User.username == normalise_username(username))
    if for_update:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).one_or_none()


def _require(session: so.Session, username: str) -> User:
    user = _get(session, username, for_update=True)
    if user is None:
        raise UserError(f"There is no account called “{username}”.")
    return user


def create_user(
    session: so.Session,
    username: str,
    display_name: str,
    role: str,
    password: str,
    email: str | None = None,
    is_demo: bool = False,
    *,
    actor: str | None = None,
    page: str | None = None,
) -> User:
    """Add an account with a bcrypt-hashed password; UserError if any field is not acceptable."""
    name = validate_username(username)
    display = (display_name or "").strip()
    if not display or len(display) > 120:
        raise UserError("Give the person's name (1 to 120 characters).")
    validate_role(role)
    validate_password(password, username=name, is_demo=is_demo)
    mail = (email or "").strip() or None
    if mail is not None and (len(mail) > 200 or not EMAIL_PATTERN.match(mail)):
        raise UserError(f"“{email}” does not look like an email address.")
    if _get(session, name) is not None:
        raise UserError(f"An account called “{name}” already exists.")
    user = User(
        username=name,
        display_name=display,
        email=mail,
        password_hash=hash_password(password),
        role=role,
        active=True,
        failed_attempts=0,
        is_demo=is_demo,
    )
    session.add(user)
    session.flush()
    audit_log.record(
        session,
        username=actor,
        event="user_created",
        page=page,
        detail=f"{name} ({role}){' demo account' if is_demo else ''}",
    )
    return user


def set_role(
    session: so.Session,
    username: str,
    role: str,
    *,
    actor: str | None = None,
    page: str | None = None,
) -> None:
    """Change an account's role."""
    validate_role(role)
    user = _require(session, username)
    if user.role == role:
        raise UserError(f"{user.username} already has the role {role}.")
    if user.role == "admin" and user.active and _active_admins(session) <= 1:
        raise UserError(
            f"{user.username} is the last active administrator; make someone else an "
            "administrator first."
        )
    old = user.role
    user.role = role
    # A new role means signing in again: no open session keeps the old role's pages.
    user_sessions.revoke_all(session, user.id, "role changed")
    audit_log.record(
        session,
        username=actor,
        event="role_changed",
        page=page,
        detail=f"{user.username}: {old} -> {role}",
    )


def reset_password(
    session: so.Session,
    username: str,
    password: str,
    *,
    actor: str | None = None,
    page: str | None = None,
) -> None:
    """Give an account a new password and clear any lockout."""
    user = _require(session, username)
    validate_password(password, username=user.username, is_demo=user.is_demo)
    user.password_hash = hash_password(password)
    user.failed_attempts = 0
    user.locked_until = None
    user_sessions.revoke_all(session, user.id, "password reset")
    audit_log.record(
        session, username=actor, event="password_reset", page=page, detail=user.username
    )


def change_own_password(
    session: so.Session,
    username: str,
    current: str,
    new: str,
    *,
    keep_session: str | None = None,
    page: str | None = "account",
) -> None:
    """A signed-in person changes their own password; every other session of theirs ends."""
    user = _require(session, username)
    if not verify_password(current or "", user.password_hash):
        raise UserError("Your current password is not right.")
    if new == current:
        raise UserError("The new password must be different from the current one.")
    validate_password(new, username=user.username, is_demo=user.is_demo)
    user.password_hash = hash_password(new)
    user.failed_attempts = 0
    user.locked_until = None
    stmt = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep_session:
        stmt = stmt.where(UserSession.token_hash != user_sessions.token_hash(keep_session))
    session.execute(stmt.values(ended_at=user_sessions.clock(), end_reason="password changed"))
    audit_log.record(
        session, username=user.username, event="password_changed", page=page, detail=user.username
    )


def deactivate(
    session: so.Session,
    username: str,
    *,
    actor: str | None = None,
    page: str | None = None,
) -> None:
    """Stop an account signing in. The row stays, so the audit log still names its owner."""
    user = _require(session, username)
    if not user.active:
        raise UserError(f"{user.username} is already deactivated.")
    if actor and normalise_username(actor) == user.username:
        raise UserError("You cannot deactivate your own account.")
    if user.role == "admin" and _active_admins(session) <= 1:
        raise UserError("This is the last active administrator; add another one first.")
    user.active = False
    user_sessions.revoke_all(session, user.id, "account deactivated")
    audit_log.record(
        session, username=actor, event="user_deactivated", page=page, detail=user.username
    )


def reactivate(
    session: so.Session,
    username: str,
    *,
    actor: str | None = None,
    page: str | None = None,
) -> None:
    """Let a deactivated account sign in again."""
    user = _require(session, username)
    if user.active:
        raise UserError(f"{user.username} is already active.")
    user.active = True
    user.failed_attempts = 0
    user.locked_until = None
    audit_log.record(
        session, username=actor, event="user_reactivated", page=page, detail=user.username
    )


def _active_admins(session: so.Session) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.role == "admin", User.active.is_(True))
    )
    return int(session.scalar(stmt) or 0)


def list_users(*, engine: sa.Engine, include_inactive: bool = True) -> pd.DataFrame:
    """Accounts for the admin page and the CLI (never the password hashes)."""
    stmt = sa.select(
        User.username,
        User.display_name,
        User.email,
        User.role,
        User.active,
        User.is_demo,
        User.totp_enrolled_at.is_not(None).label("second_factor"),
        User.failed_attempts,
        User.locked_until,
        User.created_at,
    ).order_by(User.username)
    if not include_inactive:
        stmt = stmt.where(User.active.is_(True))
    return frame(engine, stmt)


class DemoAccountRefused(UserError):
    """A demo account named outside demo mode."""


def require_active(engine: sa.Engine, username: str, roles: tuple[str, ...]) -> str:
    """The normalised user name if it is an active account with one of `roles`, else UserError.

    For command-line `--as`: the audit log must name a real person who may make the change.
    """
    name = normalise_username(username)
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(User.active, User.role, User.is_demo).where(User.username == name)
        ).one_or_none()
    if row is None:
        raise UserError(f"There is no account called “{username}”; see `qa-dashboard user list`.")
    if row.is_demo and not settings().demo_mode:
        # Demo passwords are public: outside demo mode a demo account never acts (issue 30).
        raise DemoAccountRefused(
            f"“{name}” is a demo account, whose password is public, so it may act only in demo "
            "mode (DEMO_MODE=1); on this store name your own account."
        )
    if not row.active:
        raise UserError(f"The account “{name}” is deactivated.")
    if row.role not in roles:
        raise UserError(
            f"The account “{name}” has the role {row.role}; this needs one of: {', '.join(roles)}."
        )
    return name


def role_of(engine: sa.Engine, username: str) -> str | None:
    """The role of the account `username`, or None if there is none."""
    stmt = sa.select(User.role).where(User.username == normalise_username(username))
    with engine.connect() as connection:
        return connection.execute(stmt).scalar_one_or_none()


def has_demo_users(*, engine: sa.Engine) -> bool:
    """True if the store holds active demo accounts (the sample database): demo mode."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.is_demo.is_(True), User.active.is_(True))
    )
    with engine.connect() as connection:
        return bool(connection.execute(stmt).scalar())


def demo_users(*, engine: sa.Engine) -> pd.DataFrame:
    """Active demo accounts: user name, name and role (for the demo sign-in page)."""
    stmt = (
        sa.select(User.username, User.display_name, User.role)
        .where(User.is_demo.is_(True), User.active.is_(True))
        .order_by(User.username)
    )
    return frame(engine, stmt)


def is_demo_account(engine: sa.Engine, username: str) -> bool:
    """True if `username` is one of the sample's demo accounts (public passwords)."""
    stmt = sa.select(User.is_demo).where(User.username == normalise_username(username))
    with engine.connect() as connection:
        return bool(connection.execute(stmt).scalar())


def credentials_for_authenticator(
    engine: sa.Engine, *, include_demo: bool = True
) -> dict[str, dict[str, dict[str, object]]]:
    """Active accounts in streamlit-authenticator's credentials format (hashes, not passwords).

    Demo accounts are left out unless `include_demo` (demo mode): their passwords are public.
    """
    stmt = sa.select(
        User.username, User.display_name, User.email, User.password_hash, User.role
    ).where(User.active.is_(True))
    if not include_demo:
        stmt = stmt.where(User.is_demo.is_(False))
    with engine.connect() as connection:
        rows = connection.execute(stmt).all()
    return {
        "usernames": {
            row.username: {
                "name": row.display_name,
                "email": row.email,
                "password": row.password_hash,
                "roles": [row.role],
                "failed_login_attempts": 0,
                "logged_in": False,
            }
            for row in rows
        }
    }


def is_locked(engine: sa.Engine, username: str, *, now: dt.datetime | None = None) -> bool:
    """True if the account exists and is locked at `now` (naive UTC)."""
    stmt = sa.select(User.locked_until).where(User.username == normalise_username(username))
    with engine.connect() as connection:
        locked_until = connection.execute(stmt).scalar_one_or_none()
    return locked_until is not None and locked_until > (now or utc_now())


def register_failure(
    engine: sa.Engine,
    username: str,
    *,
    now: dt.datetime | None = None,
    page: str | None = "sign-in",
    reason: str = "wrong password",
) -> FailureOutcome:
    """Count a failed sign-in; the 5th in a row locks the account for 15 minutes.

    An unknown user name is logged without the name typed, because people sometimes type their
    password into the user-name box and the log is read by other staff.
    """
    now = now or utc_now()
    with session_scope(engine) as session:
        user = _get(session, username, for_update=True)
        if user is None:
            audit_log.record(
                session,
                username=None,
                event="sign_in_failed",
                page=page,
                detail="unknown user name",
            )
            return FailureOutcome(known_user=False, attempts=0, locked_now=False)
        if not user.active:
            audit_log.record(
                session,
                username=user.username,
                event="sign_in_failed",
                page=page,
                detail="account deactivated",
            )
            return FailureOutcome(known_user=True, attempts=user.failed_attempts, locked_now=False)
        if user.locked_until is not None and user.locked_until > now:
            audit_log.record(
                session,
                username=user.username,
                event="sign_in_failed",
                page=page,
                detail="account locked",
            )
            return FailureOutcome(known_user=True, attempts=user.failed_attempts, locked_now=False)
        user.failed_attempts += 1
        attempts = user.failed_attempts
        audit_log.record(
            session,
            username=user.username,
            event="sign_in_failed",
            page=page,
            detail=f"{reason} (attempt {attempts} of {MAX_FAILED_ATTEMPTS})",
        )
        if attempts >= MAX_FAILED_ATTEMPTS:
            user.locked_until = now + dt.timedelta(minutes=LOCKOUT_MINUTES)
            user.failed_attempts = 0
            audit_log.record(
                session,
                username=user.username,
                event="account_locked",
                page=page,
                detail=f"{MAX_FAILED_ATTEMPTS} failed sign-ins; locked for {LOCKOUT_MINUTES} "
                f"minutes until {user.locked_until:%Y-%m-%d %H:%M} UTC",
            )
            return FailureOutcome(known_user=True, attempts=attempts, locked_now=True)
        return FailureOutcome(known_user=True, attempts=attempts, locked_now=False)


def register_success(
    engine: sa.Engine, username: str, *, page: str | None = "sign-in", detail: str | None = None
) -> None:
    """Clear the failure count and log the sign-in."""
    with session_scope(engine) as session:
        user = _get(session, username, for_update=True)
        if user is not None:
            user.failed_attempts = 0
            user.locked_until = None
        audit_log.record(
            session,
            username=normalise_username(username),
            event="sign_in",
            page=page,
            detail=detail,
        )


def register_resumed(engine: sa.Engine, username: str, *, page: str | None = None) -> None:
    """Log a session resumed from a valid sign-in cookie (a refresh or a new tab)."""
    audit_log.record_event(
        engine=engine, username=normalise_username(username), event="session_resumed", page=page
    )


def register_sign_out(engine: sa.Engine, username: str | None, *, page: str | None = None) -> None:
    """Log a sign-out."""
    audit_log.record_event(engine=engine, username=username, event="sign_out", page=page)
