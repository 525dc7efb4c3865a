"""`qa-dashboard user ...`: add, set-role, reset-password, deactivate, list; no password argv."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from dashboard import cli
from data_access import users
from data_access.db import session_scope
from data_access.models import AuditLogEntry, User


@pytest.fixture
def run(sqlite_store, monkeypatch):
    url = sqlite_store.url.render_as_string(hide_password=False)

    def _run(*argv: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return cli.main(["--database-url", url, *argv])

    return _run


def account(engine, username):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return session.scalars(sa.select(User).where(User.username == username)).one_or_none()


def test_add_set_role_reset_deactivate_and_list(run, sqlite_store, capsys):
    assert run("user", "add", "jo.bloggs", "--name", "Jo Bloggs", "--role", "qa_officer",
               "--password-stdin", stdin="a long enough password\n") == 0
    assert users.verify_password("a long enough password",
                                 account(sqlite_store, "jo.bloggs").password_hash)
    assert run("user", "set-role", "jo.bloggs", "executive") == 0
    assert account(sqlite_store, "jo.bloggs").role == "executive"
    assert run("user", "reset-password", "jo.bloggs", "--password-stdin",
               stdin="another long password\n") == 0
    assert users.verify_password("another long password",
                                 account(sqlite_store, "jo.bloggs").password_hash)
    assert run("user", "deactivate", "jo.bloggs") == 0
    assert not account(sqlite_store, "jo.bloggs").active
    capsys.readouterr()
    assert run("user", "list") == 0
    out = capsys.readouterr().out
    assert "jo.bloggs" in out and "$2" not in out
    with sqlite_store.connect() as conn:
        logged = conn.execute(sa.select(AuditLogEntry.event, AuditLogEntry.page)).all()
    assert [tuple(r) for r in logged] == [
        ("user_created", "cli"), ("role_changed", "cli"), ("password_reset", "cli"),
        ("user_deactivated", "cli"),
    ]


def test_prompted_password_must_be_typed_twice_the_same(run, sqlite_store, monkeypatch, capsys):
    answers = iter(["first long password", "second long password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run("user", "add", "jo.bloggs", "--name", "Jo", "--role", "admin") == 2
    assert "not the same" in capsys.readouterr().err
    assert account(sqlite_store, "jo.bloggs") is None


def test_bad_input_is_an_error_not_a_traceback(run, sqlite_store, capsys):
    assert run("user", "add", "jo.bloggs", "--name", "Jo", "--role", "admin",
               "--password-stdin", stdin="short\n") == 2
    assert "at least 12" in capsys.readouterr().err
    assert run("user", "deactivate", "nobody.here") == 2
    assert "no account" in capsys.readouterr().err


def test_there_is_no_password_argument(run):
    with pytest.raises(SystemExit):
        run("user", "add", "jo.bloggs", "--name", "Jo", "--role", "admin",
            "--password", "a long enough password")
