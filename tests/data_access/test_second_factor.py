"""The second factor (issue 30) on SQLite and PostgreSQL: enrolment proved by a code, codes
accepted once (a replayed time-step refused), recovery codes hashed and used once, reset by an
administrator, everything audit-logged."""

from __future__ import annotations

import datetime as dt
import hashlib

import pyotp
import pytest
import sqlalchemy as sa

from data_access import second_factor, user_sessions, users
from data_access.db import session_scope
from data_access.models import AuditLogEntry, RecoveryCode, User

NOW = dt.datetime(2026, 12, 7, 21, 0, 0, tzinfo=dt.UTC)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_at(moment: dt.datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(moment)


def events(engine: sa.Engine) -> list[tuple[str | None, str, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.event, AuditLogEntry.detail).order_by(
                AuditLogEntry.id
            )
        ).all()
    return [tuple(r) for r in rows]


@pytest.fixture
def enrolled(store: sa.Engine) -> tuple[sa.Engine, list[str]]:
    with session_scope(store) as session:
        users.create_user(session, "jo.qa", "Jo", "qa_officer", "a long enough password")
    with session_scope(store) as session:
        codes = second_factor.enrol(session, "jo.qa", SECRET, code_at(NOW), page="account", now=NOW)
    return store, codes


def test_enrolment_needs_a_right_code_and_keeps_only_hashes(store: sa.Engine) -> None:
    with session_scope(store) as session:
        users.create_user(session, "jo.qa", "Jo", "qa_officer", "a long enough password")
    with session_scope(store) as session, pytest.raises(users.UserError, match="does not match"):
        second_factor.enrol(session, "jo.qa", SECRET, "000000", now=NOW)
    assert not second_factor.status(store, "jo.qa").enrolled
    with session_scope(store) as session:
        codes = second_factor.enrol(session, "jo.qa", SECRET, code_at(NOW), page="account", now=NOW)
    assert len(codes) == 10 and len(set(codes)) == 10
    with store.connect() as connection:
        hashes = set(connection.execute(sa.select(RecoveryCode.code_hash)).scalars())
    assert not hashes & set(codes)  # never the codes themselves
    assert hashlib.sha256(codes[0].replace("-", "").encode()).hexdigest() in hashes
    status = second_factor.status(store, "jo.qa")
    assert status.enrolled and status.recovery_codes_left == 10
    listing = users.list_users(engine=store)
    assert listing.set_index("username").loc["jo.qa", "second_factor"]
    assert not any("secret" in column for column in listing.columns)
    assert ("jo.qa", "second_factor_enrolled") in [(u, e) for u, e, _ in events(store)]
    with session_scope(store) as session, pytest.raises(users.UserError, match="already"):
        second_factor.enrol(session, "jo.qa", SECRET, code_at(NOW), now=NOW)


def test_a_code_works_once_and_a_replayed_or_older_step_is_refused(enrolled) -> None:
    store, _ = enrolled
    later = NOW + dt.timedelta(seconds=60)
    assert second_factor.check_code(store, "jo.qa", code_at(later), now=later).accepted
    replay = second_factor.check_code(store, "jo.qa", code_at(later), now=later)
    assert not replay.accepted and replay.how == "replayed code"
    # The code of the step before is inside the window, but older than the one used: refused.
    before = second_factor.check_code(
        store, "jo.qa", code_at(later - dt.timedelta(seconds=30)), now=later
    )
    assert not before.accepted and before.how == "replayed code"
    wrong = second_factor.check_code(store, "jo.qa", "123456", now=later + dt.timedelta(hours=1))
    assert not wrong.accepted and wrong.how == "wrong code"
    nxt = later + dt.timedelta(seconds=30)
    assert second_factor.check_code(store, "jo.qa", code_at(nxt), now=nxt).accepted
    refused = [d for _, e, d in events(store) if e == "second_factor_refused"]
    assert refused == ["replayed code", "replayed code", "wrong code"]


def test_a_recovery_code_works_once(enrolled) -> None:
    store, codes = enrolled
    first = second_factor.check_code(store, "jo.qa", f"  {codes[3].upper()} ", now=NOW)
    assert first.accepted and first.how == "recovery code"
    again = second_factor.check_code(store, "jo.qa", codes[3], now=NOW)
    assert not again.accepted and again.how == "wrong code"
    assert second_factor.status(store, "jo.qa").recovery_codes_left == 9
    assert ("jo.qa", "recovery_code_used", "9 recovery codes left") in events(store)


def test_an_administrator_resets_it_and_the_person_is_signed_out(enrolled) -> None:
    store, codes = enrolled
    token = user_sessions.start(store, "jo.qa", method="password")
    with session_scope(store) as session:
        second_factor.reset(session, "jo.qa", actor="ann.admin", page="users")
    assert not second_factor.status(store, "jo.qa").enrolled
    assert isinstance(user_sessions.check(store, token), user_sessions.Refusal)
    assert not second_factor.check_code(store, "jo.qa", codes[0], now=NOW).accepted
    with store.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
        assert connection.scalar(sa.select(User.totp_secret)) is None
    assert ("ann.admin", "second_factor_reset", "jo.qa") in events(store)
    with session_scope(store) as session, pytest.raises(users.UserError, match="no second"):
        second_factor.reset(session, "jo.qa", actor="ann.admin")


def test_required_only_for_administrators_and_qa_officers_when_set(monkeypatch) -> None:
    monkeypatch.delenv("REQUIRE_SECOND_FACTOR", raising=False)
    monkeypatch.setattr("data_access.config._read_secrets", lambda *a, **k: {})
    assert not second_factor.required_for("admin")
    monkeypatch.setenv("REQUIRE_SECOND_FACTOR", "1")
    assert second_factor.required_for("admin") and second_factor.required_for("qa_officer")
    assert not second_factor.required_for("executive")
    assert not second_factor.required_for("youth_council")
