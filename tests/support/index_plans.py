"""What a migration's tests ask of a store: its indexes, and the plan it makes for a query."""

from __future__ import annotations

import sqlalchemy as sa

from data_access import migrate


def indexes(engine: sa.Engine, table: str) -> set[str]:
    return {index["name"] for index in sa.inspect(engine).get_indexes(table)}


def plan(engine: sa.Engine, query: str) -> str:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(sa.text(f"EXPLAIN QUERY PLAN {query}")).all()
            return " ".join(str(row[-1]) for row in rows)
        # An empty table is cheaper to scan; ask what the planner does when a scan is dear.
        connection.execute(sa.text("SET enable_seqscan = off"))
        connection.execute(sa.text("SET enable_sort = off"))
        return " ".join(r[0] for r in connection.execute(sa.text(f"EXPLAIN {query}")).all())


def check_index_migration(
    engine: sa.Engine, before: str, revision: str, lookups: dict[str, tuple[str, str]]
) -> None:
    """Upgrading `before` -> `revision` adds each index of `lookups` (name: (table, query)) and
    puts it in its query's plan; downgrading removes it; upgrading again lands on `revision`."""
    migrate.upgrade(engine, before)
    for index, (table, query) in lookups.items():
        assert index not in indexes(engine, table)
        assert index not in plan(engine, query)
    migrate.upgrade(engine, revision)
    for index, (table, query) in lookups.items():
        assert index in indexes(engine, table)
        assert index in plan(engine, query), (index, plan(engine, query))
    migrate.downgrade(engine, before)
    for index, (table, _query) in lookups.items():
        assert index not in indexes(engine, table)
    migrate.upgrade(engine, revision)
    assert migrate.current_revision(engine) == revision
