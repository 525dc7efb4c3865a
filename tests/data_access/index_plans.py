"""What a migration's tests ask of a store: its indexes, and the plan it makes for a query."""

from __future__ import annotations

import sqlalchemy as sa


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
