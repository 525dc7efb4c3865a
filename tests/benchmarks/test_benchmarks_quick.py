"""Every benchmark runs once at a small size, as `python -m benchmarks --quick` runs it, and says
what it measured (the figures themselves are not judged: this checks the harness, not speed)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.paths import ROOT as REPO_ROOT
from tests.support.postgres import PG_SKIP_REASON, pg_base_url


def _run(argv: list[str], env: dict[str, str] | None = None) -> str:
    """`python -m benchmarks --quick ...` in its own process, as a person runs it (the import and
    census benchmarks start worker processes, which a test process's threads must not be forked
    into)."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", *argv],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


@pytest.fixture(scope="module")
def bench_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench")


def test_pages_reports_new_process_after_import_cold_warm_and_sql(bench_dir: Path) -> None:
    text = _run(["--only", "pages", "--stores", "sqlite", "--directory", str(bench_dir)])
    assert "Machine:" in text and "cores" in text
    for column in ("new process", "imports", "after import", "cold", "warm", "bare SQL"):
        assert column in text
    (mash,) = [line for line in text.splitlines() if line.startswith("mash ")]
    # A new process rendered MASH (overview was not asked for in one), with no errors.
    assert mash.split()[1] != "-" and mash.endswith("none")
    (overview,) = [line for line in text.splitlines() if line.startswith("overview ")]
    assert overview.split()[1] == "-"


def test_pack_reports_each_stage_and_each_pack(bench_dir: Path) -> None:
    text = _run(["--only", "pack", "--stores", "sqlite", "--directory", str(bench_dir)])
    for stage in ("assemble content", "write PDF", "PDF pack end to end", "PPTX pack end to end"):
        assert stage in text
    assert "Board pack, scale 0.2 on sqlite" in text


def test_load_serves_simulated_users_and_counts_server_cpu(bench_dir: Path) -> None:
    text = _run(["--only", "load", "--stores", "sqlite", "--directory", str(bench_dir)])
    (line,) = [line for line in text.splitlines() if "sessions, 1 process(es)" in line]
    assert "median" in line and "per page view" in line and line.endswith("0 errors")


def test_import_and_census_run_once() -> None:
    text = _run(["--only", "import", "census"])
    assert "=== import ===" in text and "=== children in need census ===" in text


@pytest.fixture
def pg_prefix() -> Iterator[tuple[str, str]]:
    base = pg_base_url()
    if not base:
        pytest.skip(PG_SKIP_REASON)
    prefix = f"qa_quick_{secrets.token_hex(4)}"
    yield base, prefix
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in connection.execute(
            sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": f"{prefix}%"}
        ).scalars():
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_pages_and_pack_run_on_postgresql(pg_prefix: tuple[str, str]) -> None:
    base, prefix = pg_prefix
    common = ["--stores", "postgresql", "--database-prefix", prefix]
    text = _run(["--only", "pages", "pack", *common], env={"BENCH_DATABASE_URL": base})
    assert "Scale 0.2, postgresql" in text and "Board pack, scale 0.2 on postgresql" in text
