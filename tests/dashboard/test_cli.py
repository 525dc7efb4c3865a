"""The qa-dashboard commands behind `make run`: init-db, ensure-sample, run."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard import cli
from dashboard.cli import serve
from data_access import catalogue, migrate
from data_access.db import engine_for


def _count(url: str, table: str) -> int:
    with engine_for(url).connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_init_db_creates_the_schema_and_catalogue(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    assert cli.main(["--database-url", url, "init-db"]) == 0
    assert migrate.current_revision(engine_for(url)) is not None
    assert _count(url, "indicator") >= 40
    assert "Database ready" in capsys.readouterr().out
    # Running it again is harmless: the catalogue is synced, not duplicated.
    assert cli.main(["--database-url", url, "init-db"]) == 0
    assert _count(url, "indicator") == len(catalogue.indicators())


def test_ensure_sample_loads_once_and_then_leaves_the_store_alone(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    assert cli.main(["--database-url", url, "ensure-sample"]) == 0
    values = _count(url, "indicator_value")
    assert values > 1000
    capsys.readouterr()
    assert cli.main(["--database-url", url, "ensure-sample"]) == 0
    assert "already holds data" in capsys.readouterr().out
    assert _count(url, "indicator_value") == values


def test_run_starts_streamlit_on_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setenv("COOKIE_KEY", "Lk3vQ9-pZ2mX7wR4-nB8tY1cH6jD5fG0")
    monkeypatch.setenv("AUDIT_KEY", "Wd5sT1-yQ8kN3rJ6-vC2xM9bF4hL7gP0")
    monkeypatch.setattr(serve.subprocess, "call", lambda command, **_: calls.append(command) or 0)
    assert cli.main(["run", "--port", "8765"]) == 0
    command = calls[0]
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert command[4].endswith("dashboard/app.py") and Path(command[4]).is_file()
    assert command[command.index("--server.port") + 1] == "8765"


def _production_like_store(tmp_path: Path) -> str:
    """A store with a real administrator and a real agency (no sample ever loaded)."""
    from data_access.db import session_scope
    from data_access.models import Agency
    from data_access.users import create_user

    url = f"sqlite:///{(tmp_path / 'prod.db').as_posix()}"
    assert cli.main(["--database-url", url, "init-db"]) == 0
    with session_scope(engine_for(url)) as session:
        create_user(session, "jo.admin", "Jo Admin", "admin", "a long enough password")
        session.add(
            Agency(
                code="REAL",
                name="Real agency",
                sector="council",
                agency_type="statutory_partner",
                section_175=False,
                active=True,
            )
        )
    return url


def _snapshot(url: str) -> dict[str, int]:
    return {table: _count(url, table) for table in ("agency", "app_user", "audit_log")}


@pytest.mark.parametrize("command", [["load-sample"], ["ensure-sample"]])
def test_the_sample_loader_refuses_a_store_with_real_data(
    tmp_path: Path, capsys, command: list[str]
) -> None:
    url = _production_like_store(tmp_path)
    before = _snapshot(url)
    assert cli.main(["--database-url", url, *command]) == 3
    err = capsys.readouterr().err
    assert "Refusing to load the fictional sample" in err
    assert "jo.admin" in err and "REAL" in err and "--force" in err
    assert _snapshot(url) == before  # nothing deleted, nothing added
    with engine_for(url).connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM agency")).scalars().all() == ["Real agency"]


def test_python_m_sample_data_refuses_it_too(tmp_path: Path, capsys) -> None:
    from sample_data.__main__ import main as sample_main

    url = _production_like_store(tmp_path)
    before = _snapshot(url)
    assert sample_main(["--database-url", url]) == 3
    assert "Refusing" in capsys.readouterr().err
    assert _snapshot(url) == before


def test_the_store_database_url_names_is_refused_even_when_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    url = f"sqlite:///{(tmp_path / 'configured.db').as_posix()}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert cli.main(["load-sample"]) == 3
    assert "DATABASE_URL names" in capsys.readouterr().err
    assert cli.main(["--database-url", url, "ensure-sample"]) == 3
    with engine_for(url).connect() as conn:
        assert not sa.inspect(conn).has_table("indicator_value")


def test_ensure_sample_uses_the_demo_file_not_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    production = _production_like_store(tmp_path)
    monkeypatch.setenv("DATABASE_URL", production)
    monkeypatch.setenv("QA_DASHBOARD_DATA_DIR", str(tmp_path / "demo"))
    before = _snapshot(production)
    assert cli.main(["ensure-sample"]) == 0
    assert _snapshot(production) == before
    assert (
        _count(f"sqlite:///{(tmp_path / 'demo' / 'lscp_qa.db').as_posix()}", "indicator_value")
        > 1000
    )


def test_force_overrides_the_refusal(tmp_path: Path) -> None:
    url = _production_like_store(tmp_path)
    assert cli.main(["--database-url", url, "load-sample", "--scale", "0.2", "--force"]) == 0
    assert _count(url, "indicator_value") > 0


@pytest.mark.parametrize(
    "key", [None, "CHANGE_ME", "too-short", " " * 32, "a" * 32, "ab" * 24, "abcd1234" * 6]
)
def test_run_refuses_to_start_without_a_strong_key(
    monkeypatch: pytest.MonkeyPatch, capsys, key: str | None
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(serve.subprocess, "call", lambda command, **_: calls.append(command) or 0)
    monkeypatch.setattr("data_access.config._read_secrets", lambda *a, **k: {})
    monkeypatch.delenv("DEMO_MODE", raising=False)
    if key is None:
        monkeypatch.delenv("COOKIE_KEY", raising=False)
    else:
        monkeypatch.setenv("COOKIE_KEY", key)
    assert cli.main(["run"]) == 2
    assert not calls
    err = capsys.readouterr().err
    assert "cannot start" in err
    # The one-line command that makes a good key is in the message.
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in err


@pytest.mark.parametrize("key", [None, "short", "a" * 40])
def test_run_refuses_to_start_without_a_strong_audit_key(
    monkeypatch: pytest.MonkeyPatch, capsys, key: str | None
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(serve.subprocess, "call", lambda command, **_: calls.append(command) or 0)
    monkeypatch.setattr("data_access.config._read_secrets", lambda *a, **k: {})
    monkeypatch.delenv("DEMO_MODE", raising=False)
    monkeypatch.setenv("COOKIE_KEY", "Lk3vQ9-pZ2mX7wR4-nB8tY1cH6jD5fG0")
    if key is None:
        monkeypatch.delenv("AUDIT_KEY", raising=False)
    else:
        monkeypatch.setenv("AUDIT_KEY", key)
    assert cli.main(["run"]) == 2
    assert not calls
    err = capsys.readouterr().err
    assert "cannot start" in err and "AUDIT_KEY" in err


def test_run_demo_sets_demo_mode_and_the_demo_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    envs: list[dict[str, str]] = []
    monkeypatch.setattr(serve.subprocess, "call", lambda command, env, **_: envs.append(env) or 0)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://lscp@db.example.org/lscp_qa")
    monkeypatch.setenv("QA_DASHBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("COOKIE_KEY", raising=False)
    assert cli.main(["run", "--demo"]) == 0
    assert envs[0]["DEMO_MODE"] == "1"
    assert envs[0]["DATABASE_URL"] == f"sqlite:///{(tmp_path / 'lscp_qa.db').as_posix()}"
