"""Accounts, bcrypt hashes, roles, lockout and the audit lines every change writes."""

from __future__ import annotations

import datetime as dt

import bcrypt
import pytest
import sqlalchemy as sa

from data_access import users
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import AuditLogEntry, User

GOOD_PASSWORD = "correct horse battery"


def add(
    engine: sa.Engine,
    username: str = "jo.bloggs",
    role: str = "qa_officer",
    password: str = GOOD_PASSWORD,
    **kwargs,
) -> None:
    with session_scope(engine) as session:
        users.create_user(
            session, username, "Jo Bloggs", role, password, actor="admin.one", **kwargs
        )


def events(engine: sa.Engine) -> list[tuple[str | None, str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.event, AuditLogEntry.detail).order_by(
                AuditLogEntry.id
            )
        ).all()
    return [tuple(row) for row in rows]


def account(engine: sa.Engine, username: str) -> User:
    with session_scope(engine) as session:
        return session.scalars(sa.select(User).where(User.username == username)).one()


def test_create_stores_only_a_bcrypt_hash_that_verifies(store):
    add(store, email="jo@example.org")
    user = account(store, "jo.bloggs")
    assert user.password_hash != GOOD_PASSWORD
    assert user.password_hash.startswith("$2")
    assert bcrypt.checkpw(GOOD_PASSWORD.encode(), user.password_hash.encode())
    assert not users.verify_password("wrong password!!", user.password_hash)
    assert user.role == "qa_officer" and user.active and not user.is_demo
    assert events(store) == [("admin.one", "user_created", "jo.bloggs (qa_officer)")]


def test_user_names_are_normalised_to_lower_case(store):
    add(store, username="  Jo.Bloggs ")
    assert account(store, "jo.bloggs").username == "jo.bloggs"


def test_duplicate_user_name_is_refused_and_nothing_is_written(store):
    add(store)
    with pytest.raises(users.UserError, match="already exists"):
        add(store, username="JO.BLOGGS")
    with store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(User)).scalar() == 1
    assert [e[1] for e in events(store)] == ["user_created"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "superuser"}, "Unknown role"),
        ({"username": "x"}, "not a valid user name"),
        ({"username": "jo bloggs"}, "not a valid user name"),
        ({"username": "1jo"}, "not a valid user name"),
        ({"password": "short pass"}, "at least 12"),
        ({"password": " leading space pw"}, "start or end with a space"),
        ({"password": "jo.bloggs-is-my-password"}, "must not contain the user name"),
        ({"password": "x" * 73}, "at most 72 bytes"),
        ({"email": "not-an-email"}, "email address"),
    ],
)
def test_invalid_accounts_are_refused_with_a_message(store, kwargs, message):
    with pytest.raises(users.UserError, match=message):
        add(store, **kwargs)
    assert events(store) == []


def test_demo_accounts_may_have_shorter_passwords(store):
    add(store, username="exec.demo", role="executive", password="demo-2026", is_demo=True)
    assert account(store, "exec.demo").is_demo
    assert users.has_demo_users(engine=store)


def test_set_role_reset_password_and_deactivate_are_logged(store):
    add(store)
    add(store, username="boss.admin", role="admin")
    with session_scope(store) as session:
        users.set_role(session, "jo.bloggs", "executive", actor="boss.admin", page="users")
    with session_scope(store) as session:
        users.reset_password(session, "jo.bloggs", "another long password", actor="boss.admin")
    with session_scope(store) as session:
        users.deactivate(session, "jo.bloggs", actor="boss.admin")
    user = account(store, "jo.bloggs")
    assert user.role == "executive"
    assert users.verify_password("another long password", user.password_hash)
    assert not user.active
    assert events(store)[2:] == [
        ("boss.admin", "role_changed", "jo.bloggs: qa_officer -> executive"),
        ("boss.admin", "password_reset", "jo.bloggs"),
        ("boss.admin", "user_deactivated", "jo.bloggs"),
    ]


def test_unknown_role_or_user_is_refused(store):
    add(store)
    with session_scope(store) as session, pytest.raises(users.UserError, match="Unknown role"):
        users.set_role(session, "jo.bloggs", "chief")
    with session_scope(store) as session, pytest.raises(users.UserError, match="no account"):
        users.deactivate(session, "nobody.here")


def test_the_last_active_admin_cannot_be_deactivated(store):
    add(store, username="only.admin", role="admin")
    with session_scope(store) as session, pytest.raises(users.UserError, match="last active"):
        users.deactivate(session, "only.admin", actor="someone.else")
    with session_scope(store) as session, pytest.raises(users.UserError, match="your own"):
        users.deactivate(session, "only.admin", actor="only.admin")


def test_credentials_dict_has_active_users_hashes_and_roles_only(store):
    add(store)
    add(store, username="gone.away", role="executive")
    with session_scope(store) as session:
        users.deactivate(session, "gone.away")
    creds = users.credentials_for_authenticator(store)
    assert set(creds["usernames"]) == {"jo.bloggs"}
    entry = creds["usernames"]["jo.bloggs"]
    assert entry["roles"] == ["qa_officer"]
    assert entry["name"] == "Jo Bloggs"
    assert str(entry["password"]).startswith("$2")


def test_list_users_never_shows_hashes(store):
    add(store)
    listing = users.list_users(engine=store)
    assert list(listing["username"]) == ["jo.bloggs"]
    assert not any("hash" in column or "password" in column for column in listing.columns)


def test_five_failures_lock_for_fifteen_minutes_then_unlock(store):
    add(store)
    start = dt.datetime(2026, 1, 5, 9, 0)
    for attempt in range(1, 5):
        outcome = users.register_failure(store, "jo.bloggs", now=start)
        assert outcome == users.FailureOutcome(known_user=True, attempts=attempt, locked_now=False)
        assert not users.is_locked(store, "jo.bloggs", now=start)
    outcome = users.register_failure(store, "jo.bloggs", now=start)
    assert outcome.locked_now
    assert users.is_locked(store, "jo.bloggs", now=start + dt.timedelta(minutes=14, seconds=59))
    assert not users.is_locked(store, "jo.bloggs", now=start + dt.timedelta(minutes=15, seconds=1))
    # A failure while locked does not extend or re-count the lock.
    users.register_failure(store, "jo.bloggs", now=start + dt.timedelta(minutes=1))
    assert account(store, "jo.bloggs").locked_until == start + dt.timedelta(minutes=15)
    logged = [e[1] for e in events(store)]
    assert logged.count("account_locked") == 1
    assert logged.count("sign_in_failed") == 6


def test_success_clears_the_failure_count(store):
    add(store)
    for _ in range(4):
        users.register_failure(store, "jo.bloggs")
    users.register_success(store, "jo.bloggs")
    assert account(store, "jo.bloggs").failed_attempts == 0
    outcome = users.register_failure(store, "jo.bloggs")
    assert outcome.attempts == 1 and not outcome.locked_now
    assert ("jo.bloggs", "sign_in", None) in events(store)


def test_password_reset_unlocks(store):
    add(store)
    now = utc_now()
    for _ in range(5):
        users.register_failure(store, "jo.bloggs", now=now)
    assert users.is_locked(store, "jo.bloggs")
    with session_scope(store) as session:
        users.reset_password(session, "jo.bloggs", "brand new password")
    assert not users.is_locked(store, "jo.bloggs")


def test_unknown_user_failure_is_logged_without_the_name_typed(store):
    outcome = users.register_failure(store, "my secret password")
    assert outcome == users.FailureOutcome(known_user=False, attempts=0, locked_now=False)
    assert events(store) == [(None, "sign_in_failed", "unknown user name")]
    assert not users.is_locked(store, "my secret password")


def test_deactivated_user_failure_is_not_counted(store):
    add(store)
    add(store, username="boss.admin", role="admin")
    with session_scope(store) as session:
        users.deactivate(session, "jo.bloggs")
    users.register_failure(store, "jo.bloggs")
    assert account(store, "jo.bloggs").failed_attempts == 0
    assert events(store)[-1] == ("jo.bloggs", "sign_in_failed", "account deactivated")


# --- issue 10: last administrator, common passwords, equal timing, sessions, --as, SSO links ---


def test_the_last_admin_cannot_be_demoted(store):
    add(store, username="only.admin", role="admin")
    with session_scope(store) as session, pytest.raises(users.UserError, match="last active"):
        users.set_role(session, "only.admin", "qa_officer", actor="cli")
    assert account(store, "only.admin").role == "admin"
    add(store, username="second.admin", role="admin")
    with session_scope(store) as session:
        users.set_role(session, "only.admin", "qa_officer", actor="second.admin")
    assert account(store, "only.admin").role == "qa_officer"


@pytest.mark.parametrize(
    "password",
    [
        "Password2026!",
        "password123456",
        "qwertyuiop123",
        "Liverpool FC 1892",
        "iloveyou12345",
        "123456789012",
    ],
)
def test_common_passwords_are_refused(store, password):
    with pytest.raises(users.UserError, match="commonly used"):
        add(store, password=password)
    assert users.is_common_password(password)


def test_the_common_password_list_is_shipped_and_sizeable():
    common = users.common_passwords()
    assert len(common) >= 300
    assert {"password", "qwerty", "letmein", "iloveyou"} <= common
    assert not users.is_common_password("tangerine lamppost orbit")


class BcryptSpy:
    """Counts bcrypt checks and records the cost factor of each hash checked."""

    def __init__(self, monkeypatch):
        self.costs: list[int] = []
        real = bcrypt.checkpw

        def checkpw(password: bytes, hashed: bytes) -> bool:
            self.costs.append(int(hashed.split(b"$")[2]))
            return real(password, hashed)

        monkeypatch.setattr(users.bcrypt, "checkpw", checkpw)


@pytest.mark.parametrize("username", ["jo.bloggs", "no.such.person"])
@pytest.mark.parametrize("password", ["wrong password here", "é" * 40, "x" * 200, GOOD_PASSWORD])
def test_every_sign_in_check_costs_exactly_one_bcrypt_of_the_same_cost(
    store, monkeypatch, username, password
):
    # A password over 72 bytes once made a real user name answer one bcrypt faster than an
    # unknown one. Now every path (known or unknown name, any length) runs one check of cost 12.
    add(store)
    users.burn_password_check("warm the dummy hash up")
    spy = BcryptSpy(monkeypatch)
    result = users.check_credentials(store, username, password)
    assert spy.costs == [12]
    assert (result is not None) == (username == "jo.bloggs" and password == GOOD_PASSWORD)


def test_sessions_end_on_password_reset_role_change_and_deactivation(store):
    from data_access import user_sessions

    add(store)
    add(store, username="boss.admin", role="admin")
    for change, reason in (
        (
            lambda s: users.reset_password(s, "jo.bloggs", "another long passphrase"),
            "password reset",
        ),
        (lambda s: users.set_role(s, "jo.bloggs", "executive"), "role changed"),
        (lambda s: users.deactivate(s, "jo.bloggs", actor="boss.admin"), "account deactivated"),
    ):
        tokens = [user_sessions.start(store, "jo.bloggs") for _ in range(2)]
        assert all(
            isinstance(user_sessions.check(store, t), user_sessions.ActiveSession) for t in tokens
        )
        with session_scope(store) as session:
            change(session)
        for token in tokens:
            refusal = user_sessions.check(store, token)
            assert isinstance(refusal, user_sessions.Refusal)
            assert refusal.reason == reason


def test_idle_and_absolute_timeouts_use_the_injectable_clock(store, monkeypatch):
    from data_access import user_sessions

    add(store)
    now = [dt.datetime(2026, 1, 5, 9, 0)]
    monkeypatch.setattr(user_sessions, "clock", lambda: now[0])
    limits = user_sessions.Limits(idle=dt.timedelta(minutes=30), absolute=dt.timedelta(hours=12))
    token = user_sessions.start(store, "jo.bloggs", limits=limits)
    now[0] += dt.timedelta(minutes=29)
    assert isinstance(user_sessions.check(store, token, limits=limits), user_sessions.ActiveSession)
    now[0] += dt.timedelta(minutes=30, seconds=1)
    assert user_sessions.check(store, token, limits=limits).reason == "idle timeout"
    # Ended for good: winding the clock back does not revive it.
    now[0] -= dt.timedelta(hours=1)
    assert user_sessions.check(store, token, limits=limits).reason == "idle timeout"

    token = user_sessions.start(store, "jo.bloggs", limits=limits)
    for _ in range(24):  # active every 29 minutes: 11 h 36 min in all
        now[0] += dt.timedelta(minutes=29)
        assert isinstance(
            user_sessions.check(store, token, limits=limits), user_sessions.ActiveSession
        )
    now[0] += dt.timedelta(minutes=29)
    assert user_sessions.check(store, token, limits=limits).reason == "absolute timeout"


def test_only_a_hash_of_the_session_id_is_stored(store):
    from data_access import user_sessions
    from data_access.models import UserSession

    add(store)
    token = user_sessions.start(store, "jo.bloggs")
    with store.connect() as conn:
        stored = conn.execute(sa.select(UserSession.token_hash)).scalar_one()
    assert stored != token and token not in stored
    assert stored == user_sessions.token_hash(token)


def test_change_own_password_checks_the_current_one_and_ends_other_sessions(store):
    from data_access import user_sessions

    add(store)
    here = user_sessions.start(store, "jo.bloggs")
    elsewhere = user_sessions.start(store, "jo.bloggs")
    with session_scope(store) as session, pytest.raises(users.UserError, match="not right"):
        users.change_own_password(session, "jo.bloggs", "wrong current one", "a fresh passphrase")
    with session_scope(store) as session, pytest.raises(users.UserError, match="at least 12"):
        users.change_own_password(session, "jo.bloggs", GOOD_PASSWORD, "too short")
    with session_scope(store) as session, pytest.raises(users.UserError, match="commonly used"):
        users.change_own_password(session, "jo.bloggs", GOOD_PASSWORD, "Password2026!!")
    with session_scope(store) as session:
        users.change_own_password(
            session, "jo.bloggs", GOOD_PASSWORD, "a fresh passphrase", keep_session=here
        )
    assert users.check_credentials(store, "jo.bloggs", "a fresh passphrase") is not None
    assert isinstance(user_sessions.check(store, here), user_sessions.ActiveSession)
    assert user_sessions.check(store, elsewhere).reason == "password changed"
    assert events(store)[-1] == ("jo.bloggs", "password_changed", "jo.bloggs")


def test_require_active_names_what_is_wrong(store):
    add(store)
    add(store, username="young.one", role="youth_council")
    assert users.require_active(store, " Jo.Bloggs", ("qa_officer", "admin")) == "jo.bloggs"
    with pytest.raises(users.UserError, match="no account"):
        users.require_active(store, "ghost", ("qa_officer",))
    with pytest.raises(users.UserError, match="youth_council"):
        users.require_active(store, "young.one", ("qa_officer", "admin"))
    add(store, username="boss.admin", role="admin")
    with session_scope(store) as session:
        users.deactivate(session, "jo.bloggs", actor="boss.admin")
    with pytest.raises(users.UserError, match="deactivated"):
        users.require_active(store, "jo.bloggs", ("qa_officer",))


def test_sso_identities_link_one_account_each(store):
    from data_access import sso_identities

    issuer = "https://idp.example.org"
    claims = {"iss": issuer, "sub": "sub-123"}
    add(store)
    with session_scope(store) as session:
        sso_identities.link_identity(session, "jo.bloggs", "sub-123", issuer=issuer, actor="cli")
    assert sso_identities.match(store, claims).username == "jo.bloggs"
    assert sso_identities.match(store, {"iss": issuer, "sub": "sub-999"}).username is None
    with session_scope(store) as session, pytest.raises(users.UserError, match="already"):
        sso_identities.link_identity(session, "jo.bloggs", "sub-123", issuer=issuer)
    with session_scope(store) as session:
        sso_identities.unlink_identity(session, "sub-123", issuer=issuer)
    assert sso_identities.match(store, claims).username is None
