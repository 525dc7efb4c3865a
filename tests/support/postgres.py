"""A throwaway PostgreSQL database per test, on the server `TEST_DATABASE_URL` names."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa

from data_access.db import engine_for

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
