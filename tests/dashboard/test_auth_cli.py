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
def run(store, monkeypatch):
    url = store.url.render_as_string(hide_password=False)

    def _run(*argv: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return cli.main(["--database-url", url, *argv])

    return _run


def account(engine, username):
    with session_scope(engine) as session:
        return session.scalars(sa.select(User).where(User.username == username)).one_or_none()


def test_add_set_role_reset_deactivate_and_list(run, store, capsys):
    assert (
        run(
            "user",
            "add",
            "jo.bloggs",
            "--name",
            "Jo Bloggs",
            "--role",
            "qa_officer",
            "--password-stdin",
            stdin="a long enough password\n",
        )
        == 0
    )
    assert users.verify_password(
        "a long enough password", account(store, "jo.bloggs").password_hash
    )
    assert run("user", "set-role", "jo.bloggs", "executive") == 0
    assert account(store, "jo.bloggs").role == "executive"
    assert (
        run(
            "user",
            "reset-password",
            "jo.bloggs",
            "--password-stdin",
            stdin="another long password\n",
        )
        == 0
    )
    assert users.verify_password("another long password", account(store, "jo.bloggs").password_hash)
    assert run("user", "deactivate", "jo.bloggs") == 0
    assert not account(store, "jo.bloggs").active
    capsys.readouterr()
    assert run("user", "list") == 0
    out = capsys.readouterr().out
    assert "jo.bloggs" in out and "$2" not in out
    with store.connect() as conn:
        logged = conn.execute(sa.select(AuditLogEntry.event, AuditLogEntry.page)).all()
    assert [tuple(r) for r in logged] == [
        ("user_created", "cli"),
        ("role_changed", "cli"),
        ("password_reset", "cli"),
        ("user_deactivated", "cli"),
    ]


def test_prompted_password_must_be_typed_twice_the_same(run, store, monkeypatch, capsys):
    answers = iter(["first long password", "second long password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run("user", "add", "jo.bloggs", "--name", "Jo", "--role", "admin") == 2
    assert "not the same" in capsys.readouterr().err
    assert account(store, "jo.bloggs") is None


def test_bad_input_is_an_error_not_a_traceback(run, store, capsys):
    assert (
        run(
            "user",
            "add",
            "jo.bloggs",
            "--name",
            "Jo",
            "--role",
            "admin",
            "--password-stdin",
            stdin="short\n",
        )
        == 2
    )
    assert "at least 12" in capsys.readouterr().err
    assert run("user", "deactivate", "nobody.here") == 2
    assert "no account" in capsys.readouterr().err


def test_there_is_no_password_argument(run):
    with pytest.raises(SystemExit):
        run(
            "user",
            "add",
            "jo.bloggs",
            "--name",
            "Jo",
            "--role",
            "admin",
            "--password",
            "a long enough password",
        )


def test_the_last_admin_cannot_be_demoted_or_deactivated(run, store, capsys):
    assert (
        run(
            "user",
            "add",
            "ann.admin",
            "--name",
            "Ann",
            "--role",
            "admin",
            "--password-stdin",
            stdin="a long enough password\n",
        )
        == 0
    )
    assert run("user", "set-role", "ann.admin", "qa_officer") == 2
    assert "last active administrator" in capsys.readouterr().err
    assert run("user", "deactivate", "ann.admin") == 2
    assert "last active administrator" in capsys.readouterr().err
    assert account(store, "ann.admin").role == "admin"
    assert account(store, "ann.admin").active


def test_common_passwords_are_refused_at_the_command_line(run, store, capsys):
    assert (
        run(
            "user",
            "add",
            "jo.bloggs",
            "--name",
            "Jo",
            "--role",
            "qa_officer",
            "--password-stdin",
            stdin="Password123456\n",
        )
        == 2
    )
    assert "commonly used" in capsys.readouterr().err
    assert account(store, "jo.bloggs") is None


def test_sso_identities_are_linked_and_unlinked(run, store, capsys, monkeypatch):
    from data_access import sso_identities

    assert (
        run(
            "user",
            "add",
            "jo.bloggs",
            "--name",
            "Jo",
            "--role",
            "qa_officer",
            "--password-stdin",
            stdin="a long enough password\n",
        )
        == 0
    )
    issuer = "https://idp.example.org"
    claims = {"iss": issuer, "sub": "s-1", "email": "jo@example.org", "email_verified": True}
    assert run("user", "link-sso", "jo.bloggs", "jo@example.org", "--email") == 2
    assert "issuer" in capsys.readouterr().err  # no --issuer and no SSO_ISSUER
    args = ("--email", "--issuer", issuer)
    assert run("user", "link-sso", "jo.bloggs", "jo@example.org", *args) == 0
    monkeypatch.setenv("SSO_EMAIL_ISSUERS", issuer)
    assert sso_identities.match(store, claims).username == "jo.bloggs"
    assert run("user", "link-sso", "jo.bloggs", "JO@example.org", *args) == 2
    assert "already linked" in capsys.readouterr().err
    assert run("user", "unlink-sso", "jo@example.org", *args) == 0
    assert sso_identities.match(store, claims).username is None


def test_a_second_factor_is_reset_from_the_command_line(run, store, capsys):
    import pyotp

    from data_access import second_factor

    with session_scope(store) as session:
        users.create_user(session, "jo.bloggs", "Jo", "qa_officer", "a long enough password")
    secret = second_factor.new_secret()
    with session_scope(store) as session:
        second_factor.enrol(session, "jo.bloggs", secret, pyotp.TOTP(secret).now())
    assert run("user", "reset-second-factor", "jo.bloggs") == 0
    assert not second_factor.status(store, "jo.bloggs").enrolled
    with store.connect() as connection:
        event = connection.execute(
            sa.select(AuditLogEntry.event, AuditLogEntry.detail, AuditLogEntry.page)
            .order_by(AuditLogEntry.id.desc())
            .limit(1)
        ).one()
    assert tuple(event) == ("second_factor_reset", "jo.bloggs", "cli")
    assert run("user", "reset-second-factor", "jo.bloggs") == 2
    assert "no second factor" in capsys.readouterr().err
