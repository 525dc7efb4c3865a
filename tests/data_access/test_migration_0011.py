"""Migration 0011: a rollback finds the figures a submission replaced through an index, not a scan
of every figure; the migration goes up and down on both stores."""

from __future__ import annotations

import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for

INDEX = "ix_indicator_value_superseded_by"
# The predecessor lookup of data_access.importer.rollback.rollback_submission.
LOOKUP = "SELECT id FROM indicator_value WHERE superseded_by_id IN (1, 2, 3)"


def _indexes(engine: sa.Engine) -> set[str]:
    return {index["name"] for index in sa.inspect(engine).get_indexes("indicator_value")}


def _plan(engine: sa.Engine) -> str:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(sa.text(f"EXPLAIN QUERY PLAN {LOOKUP}")).all()
            return " ".join(str(row[-1]) for row in rows)
        # A tiny table is cheaper to scan; ask what the planner does when a scan is dear.
        connection.execute(sa.text("SET enable_seqscan = off"))
        return " ".join(r[0] for r in connection.execute(sa.text(f"EXPLAIN {LOOKUP}")).all())


def test_migration_0011_indexes_replaced_figures_and_downgrades(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0010")
    assert INDEX not in _indexes(engine)
    assert INDEX not in _plan(engine)
    migrate.upgrade(engine, "0011")
    assert INDEX in _indexes(engine)
    assert INDEX in _plan(engine)
    migrate.downgrade(engine, "0010")
    assert INDEX not in _indexes(engine)
    migrate.upgrade(engine)
    assert INDEX in _indexes(engine)
