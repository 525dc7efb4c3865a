"""Apply Alembic migrations programmatically, so the CLI, the app and the tests share one path."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: sa.Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _run(engine: sa.Engine, step: str, revision: str) -> None:
    """Run an Alembic command in one transaction.

    On SQLite, foreign keys are switched off around it (they can only be switched outside a
    transaction) and checked before commit: batch mode rebuilds a table by dropping it, which
    SQLite refuses while other tables point at its rows (migration 0006 rebuilds
    reporting_period). This is SQLite's documented procedure for altering a table.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                getattr(command, step)(alembic_config(connection), revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"the migration left broken references: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema at `engine` up to `revision` (creates everything on an empty database)."""
    _run(engine, "upgrade", revision)


def downgrade(engine: sa.Engine, revision: str = "base") -> None:
    """Step the schema at `engine` back to `revision`."""
    _run(engine, "downgrade", revision)


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
