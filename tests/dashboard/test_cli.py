"""The qa-dashboard commands behind `make run`: init-db, ensure-sample, run."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard import cli
from data_access import catalogue, migrate
from data_access.db import engine_for


def _count(url: str, table: str) -> int:
    with engine_for(url).connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_init_db_creates_the_schema_and_catalogue(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    assert cli.main(["--database-url", url, "init-db"]) == 0
    assert migrate.current_revision(engine_for(url)) is not None
    assert _count(url, "indicator") >= 40
    assert "Database ready" in capsys.readouterr().out
    # Running it again is harmless: the catalogue is synced, not duplicated.
    assert cli.main(["--database-url", url, "init-db"]) == 0
    assert _count(url, "indicator") == len(catalogue.indicators())


def test_ensure_sample_loads_once_and_then_leaves_the_store_alone(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
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
    monkeypatch.setattr(cli.subprocess, "call", lambda command, **_: calls.append(command) or 0)
    assert cli.main(["run", "--port", "8765"]) == 0
    command = calls[0]
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert command[4].endswith("dashboard/app.py") and Path(command[4]).is_file()
    assert command[command.index("--server.port") + 1] == "8765"
