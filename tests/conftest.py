"""Shared fixtures: fresh stores on SQLite (always) and PostgreSQL (if TEST_DATABASE_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.apptest_runtime import share_component_registry
from data_access import migrate
from data_access.db import engine_for, session_scope
from data_access.reference import sync_catalogue

ROOT = Path(__file__).resolve().parent.parent

# Every AppTest would otherwise rescan the installed distributions for components on its first
# run (0.3-2 s each); a server does it once, and so does a test process.
share_component_registry()
PG_SKIP_REASON = (
    "TEST_DATABASE_URL is not set, so the PostgreSQL variant is skipped "
    "(.ci/run sets it to the local server)"
)


def pg_base_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def _admin_engine(base_url: str) -> sa.Engine:
    return sa.create_engine(base_url, isolation_level="AUTOCOMMIT")


def create_pg_database(base_url: str) -> str:
    """Create an empty uniquely named database on the server behind `base_url`; return its URL."""
    name = f"qa_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(base_url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(base_url: str, url: str) -> None:
    engine_for(url).dispose()
    name = sa.make_url(url).database
    admin = _admin_engine(base_url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema) on each store."""
    if request.param == "sqlite":
        url = f"sqlite:///{(tmp_path / 'store.db').as_posix()}"
        yield url
        engine_for(url).dispose()
        return
    base = pg_base_url()
    if not base:
        pytest.skip(PG_SKIP_REASON)
    url = create_pg_database(base)
    try:
        yield url
    finally:
        drop_pg_database(base, url)


@pytest.fixture
def store(db_url: str) -> sa.Engine:
    """A migrated store holding the catalogue (themes, indicators, standards) and nothing else."""
    engine = engine_for(db_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    return engine


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[sa.Engine]:
    """A migrated SQLite store with the catalogue, for tests that need only one backend."""
    url = f"sqlite:///{(tmp_path / 'store.db').as_posix()}"
    engine = engine_for(url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    yield engine
    engine.dispose()


@pytest.fixture
def use_store(monkeypatch: pytest.MonkeyPatch):
    """Point the app (DATABASE_URL) at a given engine and start with an empty query cache."""

    def _use(engine: sa.Engine) -> sa.Engine:
        monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
        from dashboard import cache

        cache.clear()
        return engine

    return _use


@pytest.fixture(scope="session")
def sample_db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite store holding the demo sample partnership (scale 1), built once per test run.

    Tests must not change it; tests that write copy it first (see `writable_sample_store`).
    """
    from sample_data.generator import build_sample

    path = tmp_path_factory.mktemp("sample") / "sample.db"
    url = f"sqlite:///{path.as_posix()}"
    engine = engine_for(url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    build_sample(engine, scale=1.0, seed=2019)
    yield url
    engine.dispose()


@pytest.fixture
def sample_store(sample_db_url: str) -> sa.Engine:
    """The shared read-only sample store."""
    return engine_for(sample_db_url)


@pytest.fixture
def writable_sample_store(sample_db_url: str, tmp_path: Path) -> Iterator[sa.Engine]:
    """A private copy of the sample store that a test may change."""
    import shutil

    source = Path(sa.make_url(sample_db_url).database or "")
    engine_for(sample_db_url).dispose()
    target = tmp_path / "sample-copy.db"
    shutil.copyfile(source, target)
    url = f"sqlite:///{target.as_posix()}"
    engine = engine_for(url)
    yield engine
    engine.dispose()
