"""The audit log's hash chain: every entry carries the previous entry's hash, tampering is found,
and concurrent writers still make one chain (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from dashboard import cli
from data_access import audit_log, migrate
from data_access.audit_log import GENESIS_HASH, verify_chain
from data_access.db import engine_for, session_scope
from data_access.models import AuditLogEntry


def _log(engine: sa.Engine, count: int, *, who: str = "qa.demo") -> None:
    for n in range(count):
        audit_log.record_event(
            engine=engine,
            username=who,
            event="export",
            page="audits",
            detail=f"audits.csv: {n} rows",
        )


def _rows(engine: sa.Engine) -> list[sa.Row]:
    with engine.connect() as connection:
        return connection.execute(sa.select(AuditLogEntry).order_by(AuditLogEntry.id)).all()


def test_each_entry_carries_the_hash_of_the_one_before(store: sa.Engine) -> None:
    _log(store, 3)
    with session_scope(store) as session:  # two entries in one transaction chain as well
        audit_log.record(session, username="a", event="x", detail="first of two")
        audit_log.record(session, username="a", event="x", detail="second of two")
    rows = _rows(store)
    assert len(rows) == 5
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    assert len({row.entry_hash for row in rows}) == 5
    report = verify_chain(engine=store)
    assert report.ok and report.entries == 5 and report.head_hash == rows[-1].entry_hash


def test_an_empty_log_verifies(store: sa.Engine) -> None:
    report = verify_chain(engine=store)
    assert report.ok and report.entries == 0 and report.head_hash == GENESIS_HASH


@pytest.mark.parametrize(
    "column, value",
    [
        ("detail", "audits.csv: 0 rows (quietly edited)"),
        ("username", "someone.else"),
        ("event", "sign_in"),
        ("occurred_at", "shifted"),
    ],
)
def test_a_row_changed_in_sql_is_found(store: sa.Engine, column: str, value: str) -> None:
    _log(store, 5)
    target = _rows(store)[2]
    new_value: object = value
    if column == "occurred_at":
        new_value = target.occurred_at.replace(year=target.occurred_at.year - 1)
    with store.begin() as connection:
        connection.execute(
            sa.update(AuditLogEntry)
            .where(AuditLogEntry.id == target.id)
            .values({column: new_value})
        )
    report = verify_chain(engine=store)
    assert not report.ok
    assert report.broken_id == target.id and report.entries == 2
    assert "changed" in report.message() and str(target.id) in report.message()


def test_a_changed_row_whose_hash_was_recomputed_breaks_the_next_link(store: sa.Engine) -> None:
    _log(store, 4)
    target = _rows(store)[1]
    forged = audit_log.entry_hash(
        entry_id=target.id,
        occurred_at=target.occurred_at,
        username=target.username,
        event=target.event,
        page=target.page,
        detail="nothing to see",
        prev_hash=target.prev_hash,
    )
    with store.begin() as connection:
        connection.execute(
            sa.update(AuditLogEntry)
            .where(AuditLogEntry.id == target.id)
            .values(detail="nothing to see", entry_hash=forged)
        )
    report = verify_chain(engine=store)
    assert report.broken_id == _rows(store)[2].id


def test_a_deleted_row_is_found(store: sa.Engine) -> None:
    _log(store, 4)
    rows = _rows(store)
    with store.begin() as connection:
        connection.execute(sa.delete(AuditLogEntry).where(AuditLogEntry.id == rows[1].id))
    report = verify_chain(engine=store)
    assert report.broken_id == rows[2].id
    assert "removed" in report.message()


def test_the_command_reports_ok_or_the_first_broken_entry(store: sa.Engine, capsys) -> None:
    url = store.url.render_as_string(hide_password=False)
    _log(store, 3)
    assert cli.main(["--database-url", url, "audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: the audit log's 3 entries")
    second = _rows(store)[1]
    with store.begin() as connection:
        connection.execute(
            sa.update(AuditLogEntry).where(AuditLogEntry.id == second.id).values(detail="edited")
        )
    assert cli.main(["--database-url", url, "audit", "verify"]) == 1
    assert capsys.readouterr().out.startswith(f"BROKEN at entry {second.id}:")


def test_concurrent_writers_keep_one_chain(db_url: str, store: sa.Engine) -> None:
    """Four threads, each with its own connections, append at once; the chain never forks."""
    writers, each = 4, 15
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            _log(store, each, who=f"writer{n}")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = _rows(store)
    assert len(rows) == writers * each
    prevs = [row.prev_hash for row in rows]
    assert len(set(prevs)) == len(prevs), "two entries chained to the same previous entry"
    assert verify_chain(engine=store).ok


def test_migration_chains_existing_entries_and_downgrades(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        for n in range(3):
            connection.execute(
                sa.text(
                    "INSERT INTO audit_log (occurred_at, username, event, detail) "
                    "VALUES (:at, 'old.user', 'sign_in', :detail)"
                ),
                {"at": f"2026-01-0{n + 1} 09:00:00.000000", "detail": f"before the chain {n}"},
            )
    migrate.upgrade(engine, "0005")
    report = verify_chain(engine=engine)
    assert report.ok and report.entries == 3
    _log(engine, 1)
    assert verify_chain(engine=engine).entries == 4
    migrate.downgrade(engine, "0001")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("audit_log")}
    assert "prev_hash" not in columns and "entry_hash" not in columns
