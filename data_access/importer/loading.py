"""Loading a checked return in one transaction, history kept: changed figures are superseded.

History is never overwritten: a changed figure marks the current row `is_current = false`, adds a
new row and points the old row's `superseded_by_id` at it. Unchanged figures are not rewritten, so
loading the same file twice writes nothing the second time. The partial unique index (one current
row per indicator/period/agency/locality) is respected mid-transaction by taking the replaced rows
out of the current set before inserting their replacements; the database still refuses a
duplicate current figure.

The write is near a bare bulk insert (benchmarks/bench_import.py): rows are built as tuples,
column by column; the insert goes through the driver inside the same transaction (SQLite
``executemany``, PostgreSQL ``COPY``); superseding is a fixed number of set-based statements
against a temporary table of the replaced rows' keys. After the commit the planner's statistics
for indicator_value are refreshed (data_access.statistics).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, clock, data_version, statistics, user_agencies
from data_access.db import session_scope
from data_access.importer.lookups import Lookups, load_lookups
from data_access.importer.preview import CheckedFile, compare_with_store
from data_access.models import IndicatorValue, ReportingPeriod, Submission
from data_access.periods import parse_period
from data_access.reference import ensure_periods

# Validation refuses longer comments; cut here too so no write can exceed the column's use.
_MAX_COMMENT = 2000


class ImportRefused(ValueError):
    """Loading a file with errors was asked for without 'load only the valid rows'."""


class ImportBusy(ImportRefused):
    """Another import held the store; nothing was loaded and the same file can be tried again."""


BUSY_MESSAGE = (
    "Nothing was loaded: another import was being saved at the same moment. Wait a "
    "minute and load the same file again; it does not need changing."
)
# How long an import waits for another to finish before giving up with BUSY_MESSAGE.
IMPORT_WAIT_SECONDS = 60


@dataclass
class LoadResult:
    submission_id: int | None
    new: int
    changed: int
    unchanged: int
    message: str


def load_checked(
    *,
    engine: sa.Engine,
    checked: CheckedFile,
    username: str,
    source: str = "upload",
    valid_only: bool = False,
    confirm_outliers: bool = False,
    page: str | None = "data_management",
    record: Callable[[so.Session, int], None] | None = None,
) -> LoadResult:
    """Write a checked file's figures in one transaction, with an audit-log line.

    `record(session, submission_id)`, when given, runs inside the same transaction once the
    submission exists (a statutory return records its collection and year this way).

    Refuses (ImportRefused) a file with errors unless `valid_only`, when only the rows without
    errors are loaded. Unusual figures (``CheckedFile.held_rows``) are loaded only with
    `confirm_outliers`; with `valid_only` and without it they are left out. The comparison with
    the store is repeated inside the transaction, so a figure changed by someone else since the
    preview is handled correctly. Imports are serialised: a second import at the same moment
    waits for the first, and if it cannot get its turn it is refused with ImportBusy (nothing
    written), never a database error.
    """
    try:
        result = _load_checked(
            engine=engine,
            checked=checked,
            username=username,
            source=source,
            valid_only=valid_only,
            confirm_outliers=confirm_outliers,
            page=page,
            record=record,
        )
    except (sa.exc.OperationalError, sa.exc.IntegrityError) as exc:
        # With imports serialised a clash on the one-current-figure index can only come from a
        # writer outside the importer; either way the officer's remedy is to try again.
        clash = isinstance(exc, sa.exc.IntegrityError) and "unique" in str(exc.orig).lower()
        if clash or _is_contention(exc):
            raise ImportBusy(BUSY_MESSAGE) from exc
        raise
    if result.submission_id is not None:
        # Committed: refresh the planner's statistics for the table the load grew (bounded
        # sample, so cheap on a large store; a busy store keeps its previous statistics).
        statistics.analyze_after_write(engine, [IndicatorValue.__tablename__])
    return result


def _is_contention(exc: sa.exc.DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return any(
        words in text
        for words in (
            "database is locked",
            "lock timeout",
            "could not obtain lock",
            "deadlock",
            "could not serialize",
            "canceling statement",
        )
    )


def _serialise_imports(session: so.Session) -> None:
    """Take the store's import lock for this transaction, waiting for any import in progress.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the database write lock, taken by a
    write before anything is read, so this import reads the store only after the other commits.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(sa.text(f"SET LOCAL lock_timeout = '{IMPORT_WAIT_SECONDS}s'"))
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_IMPORT_LOCK_KEY)))
    elif dialect == "sqlite":
        session.execute(sa.text(f"PRAGMA busy_timeout = {IMPORT_WAIT_SECONDS * 1000}"))
        try:
            # A write that changes nothing takes SQLite's write lock; alembic_version is a table
            # every store has and that no cache watches (data_version.UNVERSIONED_TABLES).
            session.execute(
                sa.text("UPDATE alembic_version SET version_num = version_num WHERE 1 = 0")
            )
        finally:
            # Back to the engine's setting for whoever uses this pooled connection next.
            session.execute(sa.text("PRAGMA busy_timeout = 5000"))


# Any fixed number: the advisory lock every import takes (PostgreSQL).
_IMPORT_LOCK_KEY = 7_311_011


def _load_checked(
    *,
    engine: sa.Engine,
    checked: CheckedFile,
    username: str,
    source: str,
    valid_only: bool,
    confirm_outliers: bool,
    page: str | None,
    record: Callable[[so.Session, int], None] | None = None,
) -> LoadResult:
    validation = checked.validation
    if validation is None:
        problem = checked.file_problem.problem if checked.file_problem else "unreadable file"
        raise ImportRefused(f"Nothing was loaded: {problem}")
    if not validation.errors.empty and not valid_only:
        raise ImportRefused(
            f"Nothing was loaded: {validation.error_rows} row(s) have errors. Correct them, or "
            "choose to load only the valid rows."
        )
    rows = validation.valid_rows
    if rows.empty:
        raise ImportRefused("Nothing was loaded: no row is free of errors.")
    held = checked.held_rows
    if not held.empty and not confirm_outliers:
        if not valid_only:
            listing = "; ".join(
                f"row {r.row} ({r.indicator_code} {r.period_code}): {r.hold_reason}"
                for r in held.head(5).itertuples()
            )
            more = f" and {len(held) - 5} more" if len(held) > 5 else ""
            raise ImportRefused(
                f"Nothing was loaded: {len(held)} figure(s) look unusual and are held for you to "
                f"confirm - {listing}{more} Correct them in the file, or, if they are right, "
                "confirm them (tick 'These unusual figures are right', or --confirm-outliers) "
                "and load again."
            )
        rows = rows[~rows["row"].isin(set(held["row"]))]
        if rows.empty:
            raise ImportRefused("Nothing was loaded: every valid figure is held for confirmation.")

    with session_scope(engine) as session:
        _check_scope(session, username, rows)
        _serialise_imports(session)
        periods = {parse_period(c) for c in rows["period_code"].unique()}
        quarters = sorted(periods, key=lambda p: (p.start_date, p.kind))
        ensure_periods(session, quarters)
        lookups = load_lookups(session)
        compared = compare_with_store(session, rows, lookups)
        writes = (compared["change"] != "unchanged").to_numpy()
        to_write = compared if writes.all() else compared[writes]  # no copy when all are written
        unchanged = int((compared["change"] == "unchanged").sum())
        new = int((compared["change"] == "new").sum())
        changed = int((compared["change"] == "changed").sum())
        if to_write.empty:
            loaded = [p for p in checked.previous_loads if p.status == "loaded"]
            if loaded:
                message = (
                    f"This file was already loaded on {loaded[0].describe()} (submission "
                    f"{loaded[0].submission_id}); no figures changed."
                )
            else:
                message = (
                    f"All {unchanged} figures are the same as those already loaded; "
                    "nothing was changed."
                )
            return LoadResult(None, 0, 0, unchanged, message)

        now = clock.utc_now()
        submission = Submission(
            file_name=checked.file_name[:255],
            checksum=checked.checksum,
            submitted_by=username,
            submitted_at=now,
            source=source,
            agency_id=_submission_agency(checked.submitting_agency, rows, lookups),
            period_id=(lookups.periods[quarters[0].code] if len(quarters) == 1 else None),
            row_count=len(to_write),
            status="loaded",
            notes=_comments(rows),
        )
        session.add(submission)
        session.flush()
        _write_values(session, to_write, submission.id, now)
        if record is not None:
            record(session, submission.id)
        if confirm_outliers and not held.empty:
            _record_confirmations(session, to_write, held, submission.id, username, now)
        audit_log.record(
            session,
            username=username,
            event="import",
            page=page,
            detail=(
                f"submission {submission.id}: {checked.file_name} (sha256 "
                f"{checked.checksum[:12]}); {new} new, {changed} changed, {unchanged} "
                f"unchanged; for {_for_whom(to_write)}"
                + (
                    f", as {checked.submitting_agency.strip().upper()}'s return"
                    if checked.submitting_agency
                    else ""
                )
                + (
                    f"; {validation.error_rows} row(s) with errors left out"
                    if valid_only and validation.error_rows
                    else ""
                )
                + (
                    f"; {len(held)} unusual figure(s) confirmed by {username}"
                    if confirm_outliers and not held.empty
                    else ""
                )
            ),
        )
        message = (
            f"Loaded submission {submission.id}: {new} new and {changed} changed "
            f"figure(s); {unchanged} unchanged figure(s) were left as they were."
        )
        if not held.empty:
            message += (
                f" {len(held)} unusual figure(s) were confirmed and loaded."
                if confirm_outliers
                else f" {len(held)} unusual figure(s) held for confirmation were left out."
            )
        return LoadResult(submission.id, new, changed, unchanged, message)


def _check_scope(session: so.Session, username: str, rows: pd.DataFrame) -> None:
    """Refuse, before anything is written, a row an agency submitter may not load (the check
    the preview made, made again on the server with the account as it is now)."""
    scope = user_agencies.scope_for(session, username)
    if scope is None:
        return
    for row in rows.itertuples(index=False):
        if not scope.may_load(row.agency_code, row.indicator_code):
            whom = f"for {row.agency_code}" if row.agency_code else "a partnership-wide figure"
            raise ImportRefused(
                f"Nothing was loaded: row {row.row} is {whom}, and {scope.username} may load "
                f"figures only for {scope.describe()}."
            )


def _for_whom(rows: pd.DataFrame) -> str:
    """The agencies a load wrote figures for, as the audit log names them."""
    codes = sorted({str(c) for c in rows["agency_code"] if isinstance(c, str) and c})
    wide = bool(rows["agency_code"].isna().any()) or "" in set(rows["agency_code"])
    parts = codes + (["the partnership"] if wide else [])
    return ", ".join(parts) or "the partnership"


def _record_confirmations(
    session: so.Session,
    written: pd.DataFrame,
    held: pd.DataFrame,
    submission_id: int,
    username: str,
    now: dt.datetime,
) -> None:
    """Mark the figures this load wrote that were held as unusual and confirmed by `username`:
    why each was held, who confirmed it and when (one UPDATE per confirmed figure: a held
    figure is rare). Every surface that shows such a figure marks it."""
    reasons = dict(zip(held["row"], held["hold_reason"], strict=True))
    confirmed = written[written["row"].isin(set(reasons))]
    table = cast(sa.Table, IndicatorValue.__table__)
    for row in confirmed.itertuples():
        agency = int(row.agency_key) or None
        locality = int(row.locality_key) or None
        session.execute(
            sa.update(table)
            .where(
                table.c.submission_id == submission_id,
                table.c.indicator_id == int(row.indicator_id),
                table.c.period_id == int(row.period_key),
                table.c.agency_id.is_(None) if agency is None else table.c.agency_id == agency,
                table.c.locality_id.is_(None)
                if locality is None
                else table.c.locality_id == locality,
            )
            .values(
                held_reason=str(reasons[row.row])[:2000] or None,
                confirmed_by=username[:100],
                confirmed_at=now,
            )
        )


def _submission_agency(submitting: str | None, rows: pd.DataFrame, lookups: Lookups) -> int | None:
    if submitting and submitting.upper() in lookups.agencies:
        return lookups.agencies[submitting.upper()].id
    agencies = rows["agency_id"].dropna().unique()
    return int(agencies[0]) if len(agencies) == 1 else None


def _comments(rows: pd.DataFrame) -> str | None:
    with_comment = rows[rows["comment"].astype(str).str.len() > 0]
    if with_comment.empty:
        return None
    lines = [
        f"row {r.row}: {r.indicator_code} {r.period_code}"
        + (f" {r.agency_code}" if r.agency_code else "")
        + (f" {r.locality_code}" if r.locality_code else "")
        + f": {r.comment}"
        for r in with_comment.itertuples()
    ]
    return "\n".join(lines)[:20000]


# The columns of indicator_value an import writes, in the order of the tuples built for them.
_WRITE_COLUMNS = (
    "indicator_id",
    "period_id",
    "agency_id",
    "locality_id",
    "value",
    "numerator",
    "denominator",
    "status_symbol",
    "comment",
    "qualifier",
    "submission_id",
    "is_current",
    "superseded_by_id",
    "created_at",
)
# The rows a load replaces (one per changed figure), for the set-based supersede statements.
_REPLACED = sa.Table(
    "import_replaced",
    sa.MetaData(),
    sa.Column("old_id", sa.BigInteger, primary_key=True),
    sa.Column("indicator_id", sa.BigInteger, nullable=False),
    sa.Column("period_id", sa.BigInteger, nullable=False),
    sa.Column("agency_key", sa.BigInteger, nullable=False),
    sa.Column("locality_key", sa.BigInteger, nullable=False),
    sa.Column("new_id", sa.BigInteger),
    prefixes=["TEMPORARY"],
)


def _numbers(series: pd.Series) -> list[float | None]:
    """A numeric column as Python floats, None where blank."""
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    return [None if v != v else v for v in values.tolist()]


def _ids(keys: pd.Series) -> list[int | None]:
    """An id column keyed with 0 for "none" (agency_key, locality_key) as ints, None for 0."""
    return [k or None for k in keys.to_numpy(dtype="int64").tolist()]


def _texts(
    series: pd.Series, limit: int | None = None, blank_is_none: bool = False
) -> list[str | None]:
    """A text column as str, None where it holds no string (and, if asked, where it is empty)."""
    out: list[str | None] = []
    for v in series.to_numpy(dtype=object).tolist():
        if not isinstance(v, str) or (blank_is_none and not v):
            out.append(None)
        else:
            out.append(v if limit is None else v[:limit])
    return out


def _value_tuples(
    rows: pd.DataFrame,
    periods: dict[str, int],
    submission_id: int | None,
    created_at: object,
    current: object,
) -> list[tuple[object, ...]]:
    """One tuple per row in _WRITE_COLUMNS order, built column by column (no per-row dicts)."""
    return list(_value_records(rows, periods, submission_id, created_at, current))


# Rows built into tuples at a time as the bulk insert takes them: the tuples of a 100,000-row
# return at once would take about 30 MB.
_RECORD_BATCH = 10_000


def _value_records(
    rows: pd.DataFrame,
    periods: dict[str, int],
    submission_id: int | None,
    created_at: object,
    current: object,
    batch: int = _RECORD_BATCH,
) -> Iterator[tuple[object, ...]]:
    """_value_tuples one batch of rows at a time; an unknown period is refused before any."""
    period_ids = _period_ids(rows, periods)

    def records() -> Iterator[tuple[object, ...]]:
        for start in range(0, len(rows), batch):
            yield from _tuples(
                rows.iloc[start : start + batch],
                period_ids.iloc[start : start + batch],
                submission_id,
                created_at,
                current,
            )

    return records()


def _period_ids(rows: pd.DataFrame, periods: dict[str, int]) -> pd.Series:
    """Each row's period id; KeyError naming the periods the store does not hold."""
    keys = rows.get("period_key")
    if keys is not None and bool((keys > 0).all()):
        period_ids = keys  # compare_with_store's key: the period's id, for a stored period
    else:
        period_ids = rows["period_code"].map(periods)
    if period_ids.isna().any():
        missing = sorted(set(rows.loc[period_ids.isna(), "period_code"]))
        raise KeyError(f"periods not in the store: {missing[:5]}")
    return period_ids


def _tuples(
    rows: pd.DataFrame,
    period_ids: pd.Series,
    submission_id: int | None,
    created_at: object,
    current: object,
) -> list[tuple[object, ...]]:
    """These rows as tuples in _WRITE_COLUMNS order."""
    n = len(rows)
    columns = [
        rows["indicator_id"].to_numpy(dtype="int64").tolist(),
        period_ids.to_numpy(dtype="int64").tolist(),
        _ids(rows["agency_key"]),
        _ids(rows["locality_key"]),
        _numbers(rows["value"]),
        _numbers(rows["numerator"]),
        _numbers(rows["denominator"]),
        _texts(rows["status_symbol"]),
        _texts(rows["comment"], limit=_MAX_COMMENT, blank_is_none=True),
        _texts(rows["qualifier"]),
        [submission_id] * n,
        [current] * n,
        [None] * n,
        [created_at] * n,
    ]
    return list(zip(*columns, strict=True))


def _bulk_insert(
    connection: sa.Connection,
    table: str,
    columns: tuple[str, ...],
    records: Iterable[tuple[object, ...]],
) -> None:
    """Insert plain tuples through the driver, in the connection's open transaction.

    SQLite: one prepared INSERT run by the driver's executemany. PostgreSQL (psycopg 3): COPY
    FROM STDIN, row by row from the tuples. Values must already be in the driver's own types
    (see _driver_value); nothing here goes through SQLAlchemy's per-row parameter handling.
    `records` may be a generator (the rows built a batch at a time), consumed once.
    """
    if isinstance(records, Sequence) and not records:
        return
    names = ", ".join(columns)
    # The raw cursor fires no engine events: tell the data version the table changed.
    data_version.mark_changed(connection)
    # The driver's own connection (sqlite3, psycopg): its COPY and cursor context manager are
    # beyond the DB-API that SQLAlchemy's types describe.
    dbapi: Any = connection.connection.dbapi_connection
    driver_error = connection.dialect.loaded_dbapi.Error
    if connection.dialect.name == "postgresql":
        statement = f"COPY {table} ({names}) FROM STDIN"
    else:
        marks = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    try:
        if connection.dialect.name == "postgresql":
            with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
                for record in records:
                    copy.write_row(record)
        else:
            cursor = dbapi.cursor()
            try:
                cursor.executemany(statement, records)
            finally:
                cursor.close()
    except driver_error as exc:
        # As SQLAlchemy would raise it (IntegrityError, OperationalError...), so callers see
        # the same exceptions as from any other statement (load_checked's ImportBusy).
        raise sa.exc.DBAPIError.instance(statement, None, exc, driver_error) from exc


def _driver_value(connection: sa.Connection, column: sa.Column[Any], value: object) -> object:
    """A Python value as SQLAlchemy would hand it to this driver (SQLite's datetime text, 1/0)."""
    process = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return process(value) if process else value


def _write_values(
    session: so.Session, rows: pd.DataFrame, submission_id: int, now: dt.datetime
) -> None:
    """Supersede the replaced figures and add the new ones, in the session's transaction.

    Set-based, a fixed number of statements whatever the size: the replaced rows' ids and keys
    go into a temporary table; one UPDATE takes them out of the current set, one bulk insert
    (the driver's own: see _bulk_insert) adds the new rows, and two UPDATEs point each replaced
    row at its replacement (matched by key among this submission's rows, which the
    one-current-row index makes unique). Rows are built as tuples, column by column.
    """
    # A mapped class's table, which the declarative base types as the wider FromClause.
    table = cast(sa.Table, IndicatorValue.__table__)
    connection = session.connection()
    replaced = rows[rows["change"] == "changed"]
    if not replaced.empty:
        _REPLACED.create(connection)
        # period_key is the period's id: every period was created before the comparison.
        keys = tuple(c.name for c in _REPLACED.columns)
        _bulk_insert(
            connection,
            _REPLACED.name,
            keys,
            list(
                zip(
                    replaced["old_id"].to_numpy(dtype="int64").tolist(),
                    replaced["indicator_id"].to_numpy(dtype="int64").tolist(),
                    replaced["period_key"].to_numpy(dtype="int64").tolist(),
                    replaced["agency_key"].to_numpy(dtype="int64").tolist(),
                    replaced["locality_key"].to_numpy(dtype="int64").tolist(),
                    [None] * len(replaced),
                    strict=True,
                )
            ),
        )
        if connection.dialect.name == "postgresql":
            # A temporary table has no statistics until asked; the joins below need them.
            connection.exec_driver_sql(f"ANALYZE {_REPLACED.name}")
        # 1. The replaced rows stop being current first, so the one-current-row index never
        # clashes with their replacements.
        connection.execute(
            sa.update(table)
            .where(table.c.id.in_(sa.select(_REPLACED.c.old_id)))
            .values(is_current=False)
        )
    # 2. The new rows.
    periods = dict(session.execute(sa.select(ReportingPeriod.code, ReportingPeriod.id)).all())
    records = _value_records(
        rows,
        periods,
        submission_id,
        created_at=_driver_value(connection, table.c.created_at, now),
        current=_driver_value(connection, table.c.is_current, True),
    )
    _bulk_insert(connection, table.name, _WRITE_COLUMNS, records)
    del records
    if replaced.empty:
        return
    # 3. Each replaced row points at its replacement: the current row with its key, which this
    # submission has just written (the one-current-row index makes it unique).
    for statement in _LINK_STATEMENTS[connection.dialect.name]:
        connection.execute(sa.text(statement), {"submission_id": submission_id})
    unlinked = connection.execute(
        sa.select(sa.func.count()).where(_REPLACED.c.new_id.is_(None))
    ).scalar_one()
    _REPLACED.drop(connection)
    if unlinked:
        raise RuntimeError(f"{unlinked} of {len(replaced)} replaced figures found no replacement")


# Find each replaced row's replacement, then point the replaced row at it. SQLite: correlated
# lookups, which its planner serves from the one-current-row index and the primary keys without
# any statistics; PostgreSQL: joins.
_LINK_STATEMENTS = {
    "sqlite": (
        "UPDATE import_replaced SET new_id = ("
        " SELECT n.id FROM indicator_value AS n WHERE n.is_current = 1"
        " AND n.indicator_id = import_replaced.indicator_id"
        " AND n.period_id = import_replaced.period_id"
        " AND coalesce(n.agency_id, 0) = import_replaced.agency_key"
        " AND coalesce(n.locality_id, 0) = import_replaced.locality_key"
        " AND n.submission_id = :submission_id)",
        "UPDATE indicator_value SET superseded_by_id = ("
        " SELECT r.new_id FROM import_replaced AS r WHERE r.old_id = indicator_value.id)"
        " WHERE id IN (SELECT old_id FROM import_replaced)",
    ),
    "postgresql": (
        "UPDATE import_replaced AS r SET new_id = n.id FROM indicator_value AS n"
        " WHERE n.is_current AND n.submission_id = :submission_id"
        " AND n.indicator_id = r.indicator_id AND n.period_id = r.period_id"
        " AND coalesce(n.agency_id, 0) = r.agency_key"
        " AND coalesce(n.locality_id, 0) = r.locality_key",
        "UPDATE indicator_value AS o SET superseded_by_id = r.new_id FROM import_replaced AS r"
        " WHERE o.id = r.old_id",
    ),
}
