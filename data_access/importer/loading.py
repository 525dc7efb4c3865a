"""Checking a return against the store (preview), loading it in one transaction, and rollback.

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
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, catalogue, data_version, statistics
from data_access.data_quality import median_of_others
from data_access.db import session_scope
from data_access.importer.lookups import Lookups, load_lookups
from data_access.importer.reading import FileProblem, read_table
from data_access.importer.validation import ISSUE_COLUMNS, ValidationResult, validate_table
from data_access.models import IndicatorValue, ReportingPeriod, Submission
from data_access.periods import parse_period
from data_access.reference import ensure_periods

_CHUNK = 500
_MAX_COMMENT = 2000
_KEY = ["indicator_id", "period_key", "agency_key", "locality_key"]
_FIGURE = ["value", "numerator", "denominator", "status_symbol"]
PREVIEW_COLUMNS = [
    "row",
    "indicator_code",
    "period_code",
    "agency_code",
    "locality_code",
    "value",
    "numerator",
    "denominator",
    "status_symbol",
    "qualifier",
    "comment",
    "change",
    "old_value",
    "old_status_symbol",
    "held",
    "hold_reason",
]


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
# A figure at least this many times (or at most 1/this of) the median of its own history is held.
OUTLIER_FACTOR = 10.0
# ...when that history is at least this large (small counts swing widely and honestly).
OUTLIER_MIN_LEVEL = 5.0


class RollbackError(ValueError):
    """A submission cannot be rolled back; the message says why."""


@dataclass
class PreviousLoad:
    submission_id: int
    submitted_at: dt.datetime
    submitted_by: str
    status: str

    def describe(self) -> str:
        return f"{self.submitted_at:%d %b %Y at %H:%M} by {self.submitted_by}"


@dataclass
class CheckedFile:
    """A file that has been read, checked and compared with the store; nothing written yet."""

    file_name: str
    checksum: str
    size_bytes: int
    submitting_agency: str | None
    validation: ValidationResult | None
    file_problem: FileProblem | None
    preview: pd.DataFrame  # the valid rows, each marked new / changed / unchanged
    previous_loads: list[PreviousLoad] = field(default_factory=list)

    @property
    def report(self) -> pd.DataFrame:
        """Every problem: one line per row and column, file-level problems first (row blank)."""
        lines = []
        if self.file_problem is not None:
            lines.append(
                {
                    "row": None,
                    "column": "",
                    "value": self.file_name,
                    "severity": "error",
                    "problem": self.file_problem.problem,
                    "what_to_do": self.file_problem.what_to_do,
                }
            )
        if self.validation is not None:
            lines += [
                {
                    "row": None,
                    "column": "",
                    "value": "",
                    "severity": "warning",
                    "problem": note,
                    "what_to_do": "No action needed if this is expected.",
                }
                for note in self.validation.file_notes
            ]
        head = pd.DataFrame(lines, columns=ISSUE_COLUMNS)
        if self.validation is None or self.validation.issues.empty:
            return head.astype({"row": "Int64"})
        body = self.validation.issues
        return pd.concat([head, body], ignore_index=True).astype({"row": "Int64"})

    @property
    def can_load_all(self) -> bool:
        return self.validation is not None and self.validation.ok

    @property
    def can_load_valid_rows(self) -> bool:
        return self.validation is not None and not self.validation.valid_rows.empty

    @property
    def summary(self) -> dict[str, int]:
        """Counts for the preview: rows, errors, indicators, agencies, periods, new/changed/same."""
        rows = self.validation.rows if self.validation is not None else pd.DataFrame()
        counts = self.preview["change"].value_counts() if len(self.preview) else pd.Series()
        valid = self.preview
        return {
            "rows": len(rows),
            "valid_rows": len(valid),
            "rows_with_errors": self.validation.error_rows if self.validation else 0,
            "warnings": len(self.validation.warnings) if self.validation else 0,
            "indicators": int(valid["indicator_code"].nunique()) if len(valid) else 0,
            "agencies": int(valid["agency_code"].nunique()) if len(valid) else 0,
            "partnership_level_rows": int(valid["agency_code"].isna().sum()) if len(valid) else 0,
            "periods": int(valid["period_code"].nunique()) if len(valid) else 0,
            "new": int(counts.get("new", 0)),
            "changed": int(counts.get("changed", 0)),
            "unchanged": int(counts.get("unchanged", 0)),
            "held": int(valid["held"].sum()) if len(valid) and "held" in valid else 0,
        }

    @property
    def held_rows(self) -> pd.DataFrame:
        """Valid rows whose figure is unusual: loaded only when the officer confirms them."""
        if self.preview.empty or "held" not in self.preview:
            return self.preview.iloc[0:0]
        return self.preview[self.preview["held"].astype(bool)]

    def already_loaded_message(self) -> str | None:
        """'This file was already loaded on ... by ...; no figures changed' when that is so."""
        loaded = [p for p in self.previous_loads if p.status == "loaded"]
        summary = self.summary
        if loaded and summary["new"] == 0 and summary["changed"] == 0:
            return (
                f"This file was already loaded on {loaded[0].describe()} (submission "
                f"{loaded[0].submission_id}); no figures changed."
            )
        return None


@dataclass
class LoadResult:
    submission_id: int | None
    new: int
    changed: int
    unchanged: int
    message: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_file(
    *,
    engine: sa.Engine,
    file_name: str,
    data: bytes,
    submitting_agency: str | None = None,
    today: dt.date | None = None,
) -> CheckedFile:
    """Read, validate and compare a return with the store. Writes nothing."""
    checksum = sha256_hex(data)
    with session_scope(engine) as session:
        previous = _previous_loads(session, checksum)
        try:
            table = read_table(file_name, data)
        except FileProblem as problem:
            return CheckedFile(
                file_name,
                checksum,
                len(data),
                submitting_agency,
                None,
                problem,
                _empty_preview(),
                previous,
            )
        lookups = load_lookups(session, today=today)
        validation = validate_table(table, lookups, submitting_agency=submitting_agency)
        del table  # the raw cells: everything past here works from the checked rows
        preview = compare_with_store(session, validation.valid_rows, lookups)
        preview = hold_unusual(session, preview)
        return CheckedFile(
            file_name, checksum, len(data), submitting_agency, validation, None, preview, previous
        )


def _previous_loads(session: so.Session, checksum: str) -> list[PreviousLoad]:
    rows = session.execute(
        sa.select(
            Submission.id, Submission.submitted_at, Submission.submitted_by, Submission.status
        )
        .where(Submission.checksum == checksum)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
    )
    return [PreviousLoad(r.id, r.submitted_at, r.submitted_by, r.status) for r in rows]


def _empty_preview() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in PREVIEW_COLUMNS})


def _keyed(rows: pd.DataFrame, period_ids: dict[str, int]) -> pd.DataFrame:
    # A shallow copy: with copy-on-write (pandas 3) the new columns never reach `rows`.
    keyed = rows.copy(deep=False)
    # Periods not yet in the store get a negative key, one per period, so they can never match a
    # stored value and two new periods never share a key (a history load brings many).
    missing = sorted(set(keyed["period_code"].unique()) - set(period_ids))
    keys = {**period_ids, **{code: -(i + 1) for i, code in enumerate(missing)}}
    keyed["period_key"] = keyed["period_code"].map(keys).astype("int64")
    keyed["agency_key"] = pd.to_numeric(keyed["agency_id"]).fillna(0).astype("int64")
    keyed["locality_key"] = pd.to_numeric(keyed["locality_id"]).fillna(0).astype("int64")
    keyed["indicator_id"] = keyed["indicator_id"].astype("int64")
    return keyed


def _current_values(
    session: so.Session, indicator_ids: list[int], period_ids: list[int]
) -> pd.DataFrame:
    columns = [
        "old_id",
        "indicator_id",
        "period_key",
        "agency_key",
        "locality_key",
        "old_value",
        "old_numerator",
        "old_denominator",
        "old_status_symbol",
        "old_comment",
        "old_qualifier",
    ]
    if not indicator_ids or not period_ids:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    stmt = sa.select(
        IndicatorValue.id,
        IndicatorValue.indicator_id,
        IndicatorValue.period_id,
        sa.func.coalesce(IndicatorValue.agency_id, 0),
        sa.func.coalesce(IndicatorValue.locality_id, 0),
        IndicatorValue.value,
        IndicatorValue.numerator,
        IndicatorValue.denominator,
        IndicatorValue.status_symbol,
        IndicatorValue.comment,
        IndicatorValue.qualifier,
    ).where(
        IndicatorValue.is_current.is_(True),
        IndicatorValue.indicator_id.in_(indicator_ids),
        IndicatorValue.period_id.in_(period_ids),
    )
    current = pd.DataFrame(session.execute(stmt).all(), columns=columns)
    for column in ("old_id", "indicator_id", "period_key", "agency_key", "locality_key"):
        current[column] = current[column].astype("int64")
    for column in ("old_value", "old_numerator", "old_denominator"):
        current[column] = pd.to_numeric(current[column], errors="coerce").astype(float)
    return current


def _same(new: pd.Series, old: pd.Series) -> np.ndarray:
    a = pd.to_numeric(new, errors="coerce").to_numpy(dtype=float)
    b = pd.to_numeric(old, errors="coerce").to_numpy(dtype=float)
    both_missing = np.isnan(a) & np.isnan(b)
    return both_missing | (np.abs(a - b) <= 1e-9 * np.maximum(1.0, np.abs(b)))


def _history(session: so.Session, indicator_ids: list[int]) -> pd.DataFrame:
    """Every current figure of these indicators: the history an incoming figure is judged by."""
    columns = ["indicator_id", "agency_key", "locality_key", "period_key", "value"]
    if not indicator_ids:
        return pd.DataFrame(columns=columns)
    parts = []
    for start in range(0, len(indicator_ids), _CHUNK):
        chunk = indicator_ids[start : start + _CHUNK]
        parts += session.execute(
            sa.select(
                IndicatorValue.indicator_id,
                sa.func.coalesce(IndicatorValue.agency_id, 0),
                sa.func.coalesce(IndicatorValue.locality_id, 0),
                IndicatorValue.period_id,
                IndicatorValue.value,
            ).where(
                IndicatorValue.is_current.is_(True),
                IndicatorValue.value.is_not(None),
                IndicatorValue.indicator_id.in_(chunk),
            )
        ).all()
    history = pd.DataFrame(parts, columns=columns)
    history["value"] = pd.to_numeric(history["value"], errors="coerce").astype(float)
    return history


def hold_unusual(session: so.Session, preview: pd.DataFrame) -> pd.DataFrame:
    """Mark figures to hold for confirmation: outside the indicator's plausible range, or ten
    times (or a tenth of) the median of the same series' other periods, in the store or the file.

    A held figure is not an error (it may be right: a new service, a one-off event) but it is
    never loaded silently: the officer confirms it, or corrects the file.
    """
    # A shallow copy: the new columns never reach `preview` (copy-on-write in pandas 3; a new
    # column of a shallow copy in pandas 2), and the rows are not copied.
    out = preview.copy(deep=False)
    out["held"] = False
    out["hold_reason"] = ""
    if out.empty:
        return out
    specs = {spec.code: spec for spec in catalogue.indicators()}
    value = pd.to_numeric(out["value"], errors="coerce").to_numpy(dtype=float)
    reasons: dict[int, list[str]] = {}  # position -> why it is held (few rows have any)
    low = (
        out["indicator_code"]
        .map(lambda c: specs[c].plausible_min if c in specs else None)
        .astype(float)
        .to_numpy()
    )
    high = (
        out["indicator_code"]
        .map(lambda c: specs[c].plausible_max if c in specs else None)
        .astype(float)
        .to_numpy()
    )
    with np.errstate(invalid="ignore"):
        outside = (value < low) | (value > high)
    for i in np.flatnonzero(outside):
        span = (
            f"{low[i]:,g} to {high[i]:,g}"
            if not np.isnan(low[i]) and not np.isnan(high[i])
            else f"at least {low[i]:,g}"
            if not np.isnan(low[i])
            else f"at most {high[i]:,g}"
        )
        reasons.setdefault(int(i), []).append(
            f"{value[i]:,g} is outside the range expected for this indicator ({span})."
        )
    # The series' other figures: the store's current ones (bar the periods this file replaces)
    # and this file's own other periods.
    key = ["indicator_id", "agency_key", "locality_key"]
    history = _history(session, sorted(int(i) for i in out["indicator_id"].unique()))
    incoming = out[[*key, "period_key"]].copy()
    incoming["value"] = value
    incoming["position"] = np.arange(len(out))
    stored = history.merge(
        incoming[[*key, "period_key"]], on=[*key, "period_key"], how="left", indicator=True
    )
    stored = stored[stored["_merge"] == "left_only"].drop(columns="_merge")
    stored["position"] = -1
    pool = pd.concat([stored, incoming], ignore_index=True).dropna(subset=["value"])
    if not pool.empty:
        groups = pool.groupby(key, sort=False).ngroup().to_numpy()
        level = median_of_others(groups, pool["value"].to_numpy(dtype=float))
        own = pool["value"].to_numpy(dtype=float)
        positions = pool["position"].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            far = (
                (positions >= 0)
                & (level >= OUTLIER_MIN_LEVEL)
                & ((own >= OUTLIER_FACTOR * level) | (own <= level / OUTLIER_FACTOR))
            )
        for position, figure, usual in zip(positions[far], own[far], level[far], strict=True):
            size = f"{figure / usual:,.0f} times" if figure >= usual else "less than a tenth of"
            reasons.setdefault(int(position), []).append(
                f"{figure:,g} is {size} the usual level of this figure (the median of its "
                f"other periods is {usual:,g})."
            )
    out["hold_reason"] = [" ".join(reasons.get(i, ())) for i in range(len(out))]
    out["held"] = [i in reasons for i in range(len(out))]
    return out


def compare_with_store(session: so.Session, rows: pd.DataFrame, lookups: Lookups) -> pd.DataFrame:
    """Mark each row new (no current figure), changed or unchanged, with the figure it replaces."""
    if rows.empty:
        return _empty_preview()
    keyed = _keyed(rows, lookups.periods)
    current = _current_values(
        session,
        sorted(int(i) for i in keyed["indicator_id"].unique()),
        sorted(int(p) for p in keyed["period_key"].unique() if p > 0),
    )
    merged = keyed.merge(current, on=_KEY, how="left", validate="one_to_one")
    has_old = merged["old_id"].notna().to_numpy()
    if not has_old.any():  # nothing stored for these figures yet: every one is new
        merged["change"] = "new"
        return merged

    def same_text(new: str, old: str) -> np.ndarray:
        return merged[new].fillna("").astype(str).to_numpy(dtype=object) == merged[old].fillna(
            ""
        ).astype(str).to_numpy(dtype=object)

    same = (
        _same(merged["value"], merged["old_value"])
        & _same(merged["numerator"], merged["old_numerator"])
        & _same(merged["denominator"], merged["old_denominator"])
        & same_text("status_symbol", "old_status_symbol")
        & same_text("comment", "old_comment")
        & same_text("qualifier", "old_qualifier")
    )
    merged["change"] = np.where(~has_old, "new", np.where(same, "unchanged", "changed"))
    return merged


def load_checked(
    *,
    engine: sa.Engine,
    checked: CheckedFile,
    username: str,
    source: str = "upload",
    valid_only: bool = False,
    confirm_outliers: bool = False,
    page: str | None = "data_management",
) -> LoadResult:
    """Write a checked file's figures in one transaction, with an audit-log line.

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

        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
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
        audit_log.record(
            session,
            username=username,
            event="import",
            page=page,
            detail=(
                f"submission {submission.id}: {checked.file_name} (sha256 "
                f"{checked.checksum[:12]}); {new} new, {changed} changed, {unchanged} "
                f"unchanged"
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
    dbapi = connection.connection.dbapi_connection
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


def _driver_value(connection: sa.Connection, column: sa.Column, value: object) -> object:
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
    table = IndicatorValue.__table__
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


@dataclass
class RollbackResult:
    submission_id: int
    withdrawn: int
    restored: int
    message: str


def rollback_submission(
    *, engine: sa.Engine, submission_id: int, username: str, page: str | None = "data_management"
) -> RollbackResult:
    """Withdraw a submission's figures and make the figures they replaced current again.

    All or nothing. Refused (RollbackError) if the submission does not exist, is already rolled
    back, or any of its figures has since been replaced by a later submission (roll that back
    first).
    """
    table = IndicatorValue.__table__
    with session_scope(engine) as session:
        submission = session.get(Submission, submission_id)
        if submission is None:
            raise RollbackError(f"There is no submission {submission_id}.")
        if submission.status == "rolled_back":
            when = (
                f" on {submission.rolled_back_at:%d %b %Y at %H:%M}"
                if submission.rolled_back_at
                else ""
            )
            raise RollbackError(
                f"Submission {submission_id} was already rolled back{when} by "
                f"{submission.rolled_back_by or 'someone'}."
            )
        values = session.execute(
            sa.select(table.c.id, table.c.is_current, table.c.superseded_by_id).where(
                table.c.submission_id == submission_id
            )
        ).all()
        replaced_by = {v.superseded_by_id for v in values if not v.is_current}
        if replaced_by:
            later = session.execute(
                sa.select(
                    Submission.id,
                    Submission.file_name,
                    Submission.submitted_at,
                    Submission.submitted_by,
                )
                .join(IndicatorValue, IndicatorValue.submission_id == Submission.id)
                .where(IndicatorValue.id.in_(sorted(i for i in replaced_by if i is not None)))
                .distinct()
                .order_by(Submission.id)
            ).all()
            listing = (
                "; ".join(
                    f"submission {s.id} ({s.file_name}, loaded {s.submitted_at:%d %b %Y} by "
                    f"{s.submitted_by})"
                    for s in later
                )
                or "a later change"
            )
            raise RollbackError(
                f"Submission {submission_id} cannot be rolled back: "
                f"{sum(not v.is_current for v in values)} of its figures have since been "
                f"replaced by {listing}. Roll back the later submission(s) first."
            )
        value_ids = [v.id for v in values]
        predecessors: list[tuple[int, int]] = []  # (restored row, withdrawn row)
        for start in range(0, len(value_ids), _CHUNK):
            chunk = value_ids[start : start + _CHUNK]
            # A withdrawn figure of a rolled-back submission also points here; it is not a
            # predecessor and must stay withdrawn.
            predecessors += [
                tuple(r)
                for r in session.execute(
                    sa.select(table.c.id, table.c.superseded_by_id)
                    .outerjoin(Submission, Submission.id == table.c.submission_id)
                    .where(
                        table.c.superseded_by_id.in_(chunk),
                        sa.or_(Submission.id.is_(None), Submission.status != "rolled_back"),
                    )
                ).all()
            ]
        for start in range(0, len(value_ids), _CHUNK):
            chunk = value_ids[start : start + _CHUNK]
            session.execute(sa.update(table).where(table.c.id.in_(chunk)).values(is_current=False))
        session.flush()
        # Set-based, a chunk of restored figures at a time (row by row, a large rollback ran at
        # a few thousand rows a second). First the withdrawn figure points at the figure it had
        # replaced (found while that one still names it), then that one is current again.
        restored_ids = [old for old, _ in predecessors]
        earlier = table.alias("earlier")
        for start in range(0, len(restored_ids), _CHUNK):
            chunk = restored_ids[start : start + _CHUNK]
            session.execute(
                sa.update(table)
                .where(
                    table.c.id.in_(
                        sa.select(earlier.c.superseded_by_id).where(earlier.c.id.in_(chunk))
                    )
                )
                .values(
                    superseded_by_id=sa.select(sa.func.max(earlier.c.id))
                    .where(earlier.c.superseded_by_id == table.c.id, earlier.c.id.in_(chunk))
                    .scalar_subquery()
                )
            )
            session.execute(
                sa.update(table)
                .where(table.c.id.in_(chunk))
                .values(is_current=True, superseded_by_id=None)
            )
        submission.status = "rolled_back"
        submission.rolled_back_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        submission.rolled_back_by = username
        audit_log.record(
            session,
            username=username,
            event="rollback",
            page=page,
            detail=(
                f"submission {submission_id} ({submission.file_name}): {len(value_ids)} "
                f"figure(s) withdrawn, {len(predecessors)} earlier figure(s) restored"
            ),
        )
        return RollbackResult(
            submission_id,
            len(value_ids),
            len(predecessors),
            f"Submission {submission_id} was rolled back: {len(value_ids)} figure(s) withdrawn "
            f"and {len(predecessors)} earlier figure(s) made current again.",
        )
