"""A counter in the store that moves whenever data changes, so every server process's cache
notices a load made by another process (or by the command line) on its next page view.

The counter is bumped inside the same transaction as the change, by two engine events installed
on every engine `data_access.db` makes: one marks a connection when it writes to a table that
holds data, the other adds ``UPDATE data_version ...`` just before that transaction commits. So
no writer has to remember to call anything, and a rolled-back change leaves the counter alone.
Writes that do not change what pages show (the audit log, sign-in bookkeeping, migrations) are
not counted, so signing in does not empty everybody's cache.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

# Tables whose writes do not change any cached figure.
UNVERSIONED_TABLES = frozenset(
    {
        "alembic_version",
        "data_version",
        "audit_log",
        "app_user",
        "user_session",
        "sso_identity",
    }
)
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|COPY)\s+"?(\w+)"?',
    re.IGNORECASE,
)
_FLAG = "qa_data_changed"
# Data changes this process has committed: lets a caller that remembers the version for a moment
# (one page run) notice its own writes without asking the store again.
_committed_here = 0


def written_table(statement: str) -> str | None:
    """The table a DML statement writes to, or None for anything else."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


def _table_exists(cursor: Any, dialect: str) -> bool:
    if dialect == "postgresql":
        cursor.execute("SELECT to_regclass('data_version') IS NOT NULL")
    else:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'data_version'"
        )
    row = cursor.fetchone()
    return bool(row and row[0])


def install(engine: sa.Engine) -> None:
    """Bump the store's data version in every transaction that changes data."""
    dialect = engine.dialect.name

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _mark(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        table = written_table(statement)
        if table is not None and table not in UNVERSIONED_TABLES:
            conn.info[_FLAG] = True

    @sa.event.listens_for(engine, "commit")
    def _bump(conn):  # type: ignore[no-untyped-def]
        global _committed_here
        if not conn.info.pop(_FLAG, False):
            return
        _committed_here += 1
        # The raw DB-API cursor runs in the transaction being committed and fires no events.
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            if _table_exists(cursor, dialect):
                cursor.execute("UPDATE data_version SET version = version + 1 WHERE id = 1")
                if cursor.rowcount == 0:  # the row was deleted (older sample builds did)
                    cursor.execute(
                        "INSERT INTO data_version (id, version) VALUES (1, 1) "
                        "ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1"
                    )
        finally:
            cursor.close()

    @sa.event.listens_for(engine, "rollback")
    def _forget(conn):  # type: ignore[no-untyped-def]
        conn.info.pop(_FLAG, None)


def mark_changed(connection: sa.Connection) -> None:
    """Count this transaction as a data change: for writes made on the raw DB-API cursor (a bulk
    insert, COPY), which fire no engine events."""
    connection.info[_FLAG] = True


def committed_here() -> int:
    """How many data-changing transactions this process has committed (on any engine)."""
    return _committed_here


def current(engine: sa.Engine) -> int:
    """The store's data version (0 for a store without the counter)."""
    try:
        with engine.connect() as connection:
            value = connection.execute(
                sa.text("SELECT version FROM data_version WHERE id = 1")
            ).scalar()
    except sa.exc.DBAPIError:
        return 0
    return int(value or 0)
