"""Planner statistics: ANALYZE after bulk changes, so queries are planned for the data held.

Neither store keeps its statistics current by itself in time for the next page view: SQLite
never analyses on its own, and PostgreSQL's autovacuum analyses a table only after a tenth of it
has changed, some time later. Without statistics SQLite guesses a cardinality for every index and
can pick a scan of the whole of indicator_value over an index that serves the query (issue 12).

`analyze` is called after the sample build (every table, full statistics), after each import
(indicator_value only, with a bounded sample on SQLite so it stays cheap on a large store) and by
migration 0010 (every table, for stores built before this).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa

log = logging.getLogger(__name__)

# SQLite's analysis_limit: rows examined per index when asked for a quick ANALYZE. The estimates
# it gives are close enough for the planner and the time stays bounded whatever the table's size.
QUICK_ROWS_PER_INDEX = 2000


def analyze_statements(
    dialect: str, tables: Sequence[str] | None = None, *, quick: bool = False
) -> list[str]:
    """The statements that refresh statistics for `tables` (None: every table) on `dialect`."""
    targets = list(tables) if tables else [""]
    statements = [f"ANALYZE {table}".strip() for table in targets]
    if dialect == "sqlite" and quick:
        return [
            f"PRAGMA analysis_limit = {QUICK_ROWS_PER_INDEX}",
            *statements,
            "PRAGMA analysis_limit = 0",
        ]
    return statements


def analyze(engine: sa.Engine, tables: Sequence[str] | None = None, *, quick: bool = False) -> None:
    """Refresh the planner's statistics for `tables` (None: every table) in their own transaction.

    Statistics change no data (the data version is not moved, no cache is emptied).
    """
    with engine.connect() as connection:
        for statement in analyze_statements(connection.dialect.name, tables, quick=quick):
            connection.exec_driver_sql(statement)
        connection.commit()


def analyze_after_write(engine: sa.Engine, tables: Sequence[str]) -> bool:
    """`analyze(quick=True)` after a committed change; a failure is logged, never raised.

    The change is already committed and statistics only help the planner, so a store that is
    busy (locked) at that moment keeps its previous statistics rather than failing the caller.
    Returns whether the statistics were refreshed.
    """
    try:
        analyze(engine, tables, quick=True)
    except sa.exc.DBAPIError as exc:
        log.warning("statistics for %s not refreshed: %s", ", ".join(tables), exc)
        return False
    return True
