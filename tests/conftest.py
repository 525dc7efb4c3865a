"""Shared fixtures: fresh stores on SQLite (always) and PostgreSQL (if TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for, session_scope
from data_access.reference import sync_catalogue
from tests.support.apptest_runtime import share_component_registry
from tests.support.postgres import PG_SKIP_REASON, create_pg_database, drop_pg_database, pg_base_url
from tests.support.stores import copy_sqlite_store

# Every AppTest would otherwise rescan the installed distributions for components on its first
# run (0.3-2 s each); a server does it once, and so does a test process.
share_component_registry()


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
    engine = engine_for(copy_sqlite_store(sample_db_url, tmp_path / "sample-copy.db"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def module_sample_store(
    sample_db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sa.Engine]:
    """A private copy of the sample store for one test module's tests, which may change it (pages
    that refuse a role or generate a board pack write audit lines and packs; the shared one is
    not theirs to change). Each module gets its own copy, made once."""
    target = tmp_path_factory.mktemp("sample-copy") / "sample.db"
    engine = engine_for(copy_sqlite_store(sample_db_url, target))
    yield engine
    engine.dispose()
