"""Demo accounts (public passwords) never act outside demo mode, the command line included
(issue 30): `import ... --as qa.demo` on a real store is refused in words, logged, and changes
nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.cli import main
from data_access import users
from data_access.db import session_scope
from data_access.models import AuditLogEntry, Submission
from tests.support.import_corpus import csv_bytes, good_rows, seed_reference


@pytest.fixture
def production(store: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> sa.Engine:
    monkeypatch.delenv("DEMO_MODE", raising=False)
    monkeypatch.setattr("data_access.config._read_secrets", lambda *a, **k: {})
    seed_reference(store)
    with session_scope(store) as session:
        users.create_user(session, "qa.demo", "QA demo", "qa_officer", "demo-qa-2026", is_demo=True)
        users.create_user(session, "jo.cli", "Jo", "qa_officer", "a long enough password")
    return store


def _run(engine: sa.Engine, *args: str) -> int:
    return main(["--database-url", engine.url.render_as_string(hide_password=False), *args])


def _count(engine: sa.Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_import_as_a_demo_account_is_refused_outside_demo_mode(
    production: sa.Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(good_rows()))
    assert _run(production, "import", str(good), "--as", "qa.demo") == 2
    said = capsys.readouterr().out
    assert "“qa.demo” is a demo account, whose password is public" in said
    assert "only in demo mode" in said
    assert _count(production, Submission) == 0
    assert _run(production, "rollback", "1", "--as", "QA.Demo") == 2
    assert "demo account" in capsys.readouterr().out
    with production.connect() as connection:
        refused = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.detail).where(
                AuditLogEntry.event == "demo_account_refused"
            )
        ).all()
    assert [r.username for r in refused] == [None, None]
    assert "--as qa.demo on the data_management command" in refused[0].detail
    # A real account does the same work.
    assert _run(production, "import", str(good), "--as", "jo.cli") == 0
    assert _count(production, Submission) == 1


def test_a_demo_account_may_act_in_demo_mode(
    production: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(users.DemoAccountRefused):
        users.require_active(production, "qa.demo", ("qa_officer",))
    monkeypatch.setenv("DEMO_MODE", "1")
    assert users.require_active(production, "qa.demo", ("qa_officer",)) == "qa.demo"
