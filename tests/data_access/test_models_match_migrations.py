"""The typed models and the Alembic migrations describe one schema: a store built by the
migrations has every table, column, index and constraint the models declare, and nothing more
(what `alembic revision --autogenerate` would find is empty), on both stores."""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from data_access import migrate
from data_access.db import engine_for
from data_access.models import Base


def _for_this_store(dialect: str):  # type: ignore[no-untyped-def]
    """Alembic's filter: leave out what the models declare for another store only (an index
    with `ddl_if(dialect=...)`), as `create_all` and the migrations do."""

    def include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
        only = getattr(obj, "_ddl_if", None)
        return reflected or only is None or only.dialect in (None, dialect)

    return include


def test_migrated_store_matches_the_models(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine)
    with engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot reflect the expression index on current figures; it is left out of the
        # comparison there (PostgreSQL compares it).
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(
            connection, opts={"include_object": _for_this_store(engine.dialect.name)}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_comparison_sees_a_missing_index(db_url: str) -> None:
    """The check above can fail: drop one index the models declare and it is reported."""
    engine = engine_for(db_url)
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP INDEX ix_submission_submitted_at"))
    with engine.connect() as connection, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(
            connection, opts={"include_object": _for_this_store(engine.dialect.name)}
        )
        differences = compare_metadata(context, Base.metadata)
    assert [d[0] for d in differences] == ["add_index"]
    assert differences[0][1].name == "ix_submission_submitted_at"
