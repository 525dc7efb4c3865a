"""Engines and sessions: the only place that creates a database connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import data_version
from data_access.config import settings


def make_engine(url: str) -> sa.Engine:
    """Create an engine with the per-dialect settings this app relies on."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # SQLite ignores foreign keys unless asked, per connection.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        data_version.install(engine)
        return engine
    engine = sa.create_engine(url, pool_pre_ping=True)
    data_version.install(engine)
    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> sa.Engine:
    """One engine per URL per process."""
    return make_engine(url)


def get_engine() -> sa.Engine:
    """The engine for the configured DATABASE_URL."""
    return engine_for(settings().database_url)


@contextmanager
def session_scope(engine: sa.Engine | None = None) -> Iterator[so.Session]:
    """A transaction: commits on success, rolls back everything on any error."""
    factory = so.sessionmaker(bind=engine or get_engine(), expire_on_commit=False)
    with factory.begin() as session:
        yield session
