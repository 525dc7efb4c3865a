"""The audit log: who did what, when, from which page; each entry chained to the one before.

Tamper evidence: every entry stores the hash of the entry before it (`prev_hash`) and its own
hash (`entry_hash`) over a canonical serialisation of its fields and `prev_hash`. Changing,
inserting or deleting any entry but the newest breaks the chain at that point, and
`verify_chain` (the `qa-dashboard audit verify` command) reports the first entry that no longer
fits.

Keyed (issue 30): with AUDIT_KEY set, an entry's hash is an HMAC-SHA256 with that key, which is
kept outside the database, so someone who can write to the database but does not hold the key
cannot rewrite an entry and recompute the hashes after it. Entries written before a key was set
keep their plain SHA-256 and verify as before, reported as unkeyed; an unkeyed entry after a
keyed one breaks the chain.

Anchored: removing the newest entries leaves a shorter chain that still fits, and someone holding
the key could rechain a rewritten log. So `write_anchor` appends the newest entry's id and hash
to a file outside the database (AUDIT_ANCHOR_FILE; `qa-dashboard audit anchor`, and each board
pack, which also prints it on its last page), and `verify_chain` checks every anchor: an
anchored entry that is missing (a truncated tail) or has another hash (a rewrite) is reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access.clock import utc_now
from data_access.config import setting, settings
from data_access.db import session_scope
from data_access.models import AuditLogEntry
from data_access.queries_common import frame

# The hash "before" the first entry.
GENESIS_HASH = "0" * 64
# Version of the canonical serialisation below; stored inside it, so a future change of format
# can be told apart from tampering.
CHAIN_FORMAT = 1
# The format of a keyed entry (HMAC-SHA256 with AUDIT_KEY over the same fields).
KEYED_CHAIN_FORMAT = 2
# The key of the PostgreSQL transaction-level advisory lock that serialises appends ("AUDT").
CHAIN_LOCK_KEY = 0x41554454


def _timestamp(value: dt.datetime) -> str:
    return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def canonical_entry(
    *,
    entry_id: int,
    occurred_at: dt.datetime,
    username: str | None,
    event: str,
    page: str | None,
    detail: str | None,
    prev_hash: str,
    chain_format: int = CHAIN_FORMAT,
) -> bytes:
    """The bytes an entry's hash is taken over: sorted-key compact JSON of every field."""
    document = {
        "format": chain_format,
        "id": entry_id,
        "occurred_at": _timestamp(occurred_at),
        "username": username,
        "event": event,
        "page": page,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def entry_hash(
    *,
    entry_id: int,
    occurred_at: dt.datetime,
    username: str | None,
    event: str,
    page: str | None,
    detail: str | None,
    prev_hash: str,
    key: str | None = None,
) -> str:
    """Hex HMAC-SHA256 of `canonical_entry` with `key`; without a key, its plain SHA-256."""
    message = canonical_entry(
        entry_id=entry_id,
        occurred_at=occurred_at,
        username=username,
        event=event,
        page=page,
        detail=detail,
        prev_hash=prev_hash,
        chain_format=KEYED_CHAIN_FORMAT if key else CHAIN_FORMAT,
    )
    if key:
        return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return hashlib.sha256(message).hexdigest()


def audit_key() -> str | None:
    """The configured AUDIT_KEY (None when unset: entries are then written unkeyed)."""
    # Only this setting: every entry asks, and the others are not needed to write one.
    return setting("AUDIT_KEY") or None


def _lock_chain(session: so.Session) -> None:
    """Make appends one at a time, so two writers never chain to the same previous entry.

    PostgreSQL: a transaction-level advisory lock, held until this transaction ends. SQLite has
    a single writer: the INSERT in `record` takes the database's write lock before the previous
    entry is read, which serialises appends just the same.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(CHAIN_LOCK_KEY)))


def record(
    session: so.Session,
    *,
    username: str | None,
    event: str,
    page: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry in the caller's transaction, so a change and its log line commit together."""
    _lock_chain(session)
    occurred_at = utc_now()
    entry = AuditLogEntry(
        occurred_at=occurred_at, username=username, event=event, page=page, detail=detail
    )
    session.add(entry)
    session.flush()  # the id, and (on SQLite) the write lock, before the previous entry is read
    previous = session.scalar(
        sa.select(AuditLogEntry.entry_hash)
        .where(AuditLogEntry.id < entry.id)
        .order_by(AuditLogEntry.id.desc())
        .limit(1)
    )
    entry.prev_hash = previous or GENESIS_HASH
    entry.entry_hash = entry_hash(
        entry_id=entry.id,
        occurred_at=occurred_at,
        username=username,
        event=event,
        page=page,
        detail=detail,
        prev_hash=entry.prev_hash,
        key=audit_key(),
    )
    session.flush()


def record_event(
    *,
    engine: sa.Engine,
    username: str | None,
    event: str,
    page: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry in a transaction of its own (sign-ins, refusals, exports, views)."""
    with session_scope(engine) as session:
        record(session, username=username, event=event, page=page, detail=detail)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify_chain`."""

    entries: int  # how many entries were checked (all of them when the chain is intact)
    head_hash: str  # the newest entry's hash (GENESIS_HASH for an empty log)
    broken_id: int | None = None  # the first entry that does not fit, or None
    problem: str | None = None
    keyed_from: int | None = None  # the first entry keyed with AUDIT_KEY
    unkeyed: int = 0  # entries with a plain SHA-256 (written before a key was set)
    head_id: int = 0
    anchors_checked: int = 0
    anchor_file: Path | None = None
    anchor_problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.anchor_problems

    def message(self) -> str:
        if self.broken_id is not None:
            return (
                f"BROKEN at entry {self.broken_id}: {self.problem} "
                f"({self.entries:,} entries before it are intact.)"
            )
        if self.anchor_problems:
            return "BROKEN: " + " ".join(self.anchor_problems)
        if self.keyed_from is None:
            keyed = (
                "none is keyed (set AUDIT_KEY: until then anyone who can write to the database "
                "can rewrite the log and recompute the hashes)"
                if self.entries
                else "nothing to key yet"
            )
        elif self.unkeyed:
            keyed = (
                f"entries from {self.keyed_from} on are keyed with AUDIT_KEY; the {self.unkeyed:,} "
                "before it are unkeyed (written before the key was set)"
            )
        else:
            keyed = "every entry is keyed with AUDIT_KEY"
        if self.anchor_file is None:
            anchors = (
                "no anchor file is configured (AUDIT_ANCHOR_FILE), so deleting the newest "
                "entries would not be noticed"
            )
        else:
            anchors = f"{self.anchors_checked:,} anchor(s) in {self.anchor_file} agree"
        return (
            f"OK: the audit log's {self.entries:,} entries form one unbroken chain; {keyed}; "
            f"{anchors}. Newest entry {self.head_id}, hash {self.head_hash}."
        )


@dataclass(frozen=True)
class Anchor:
    """One line of the anchor file: the newest entry's id and hash at a moment."""

    written_at: str
    entry_id: int
    entry_hash: str
    reason: str

    def line(self) -> str:
        return json.dumps(
            {
                "at": self.written_at,
                "entry": self.entry_id,
                "hash": self.entry_hash,
                "reason": self.reason,
            },
            sort_keys=True,
        )

    def sentence(self) -> str:
        return f"newest audit-log entry {self.entry_id}, hash {self.entry_hash}"


class AnchorError(ValueError):
    """The anchor file cannot be read or written; the message says why."""


def head(*, engine: sa.Engine) -> tuple[int, str]:
    """The newest entry's id and hash ((0, GENESIS_HASH) for an empty log)."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(AuditLogEntry.id, AuditLogEntry.entry_hash)
            .order_by(AuditLogEntry.id.desc())
            .limit(1)
        ).one_or_none()
    if row is None:
        return 0, GENESIS_HASH
    return int(row.id), str(row.entry_hash or "")


def anchor_path() -> Path | None:
    """The configured anchor file (AUDIT_ANCHOR_FILE), or None."""
    return settings().audit_anchor_file


def write_anchor(*, engine: sa.Engine, reason: str, path: Path | None = None) -> Anchor:
    """Append the newest entry's id and hash to the anchor file (`path` or AUDIT_ANCHOR_FILE).

    Without an anchor file the anchor is returned (to be printed) but written nowhere.
    """
    entry_id, digest = head(engine=engine)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    anchor = Anchor(now, entry_id, digest, reason)
    target = path or anchor_path()
    if target is not None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a", encoding="utf-8") as handle:
                handle.write(anchor.line() + "\n")
        except OSError as error:
            raise AnchorError(f"cannot append to the anchor file {target}: {error}") from error
    return anchor


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor in `path` (an absent file holds none); AnchorError for a damaged line."""
    if not path.exists():
        return []
    anchors = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise AnchorError(f"cannot read the anchor file {path}: {error}") from error
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            anchors.append(
                Anchor(str(data["at"]), int(data["entry"]), str(data["hash"]), str(data["reason"]))
            )
        except (ValueError, KeyError, TypeError) as error:
            raise AnchorError(f"line {number} of the anchor file {path} is damaged") from error
    return anchors


def verify_chain(
    *,
    engine: sa.Engine,
    batch_size: int = 5000,
    key: str | None = None,
    anchor_file: Path | None = None,
) -> ChainReport:
    """Recompute the chain from the first entry; report the first entry that does not fit, then
    check every anchor. `key` and `anchor_file` default to AUDIT_KEY and AUDIT_ANCHOR_FILE."""
    key = key or audit_key()
    anchor_file = anchor_file or anchor_path()
    try:
        anchors = read_anchors(anchor_file) if anchor_file is not None else []
    except AnchorError as error:
        anchors = []
        damaged: tuple[str, ...] = (f"{error}.",)
    else:
        damaged = ()
    wanted = {anchor.entry_id for anchor in anchors}
    seen: dict[int, str] = {0: GENESIS_HASH}
    stmt = sa.select(
        AuditLogEntry.id,
        AuditLogEntry.occurred_at,
        AuditLogEntry.username,
        AuditLogEntry.event,
        AuditLogEntry.page,
        AuditLogEntry.detail,
        AuditLogEntry.prev_hash,
        AuditLogEntry.entry_hash,
    ).order_by(AuditLogEntry.id)
    expected_prev = GENESIS_HASH
    checked = 0
    unkeyed = 0
    keyed_from: int | None = None
    head_id = 0

    def broken(entry_id: int, problem: str) -> ChainReport:
        return ChainReport(checked, expected_prev, entry_id, problem, keyed_from, unkeyed, head_id)

    with engine.connect() as connection:
        result = connection.execution_options(yield_per=batch_size).execute(stmt)
        for row in result:
            if row.prev_hash != expected_prev:
                return broken(
                    row.id,
                    "its record of the previous entry's hash does not match that entry: an "
                    "entry before it was changed, removed or inserted",
                )
            fields = {
                "entry_id": row.id,
                "occurred_at": row.occurred_at,
                "username": row.username,
                "event": row.event,
                "page": row.page,
                "detail": row.detail,
                "prev_hash": row.prev_hash,
            }
            if key and hmac.compare_digest(row.entry_hash or "", entry_hash(**fields, key=key)):
                if keyed_from is None:
                    keyed_from = row.id
            elif row.entry_hash == entry_hash(**fields):
                if keyed_from is not None:
                    return broken(
                        row.id,
                        "it is not keyed although entries before it are: it was written or "
                        "rewritten by someone without AUDIT_KEY",
                    )
                unkeyed += 1
            else:
                hint = "" if key else " (or it was keyed, and AUDIT_KEY is not set here)"
                if key and keyed_from is None:
                    hint = " (or it was keyed with another AUDIT_KEY than the one set here)"
                return broken(
                    row.id, f"its contents no longer match its hash: the entry was changed{hint}"
                )
            expected_prev = row.entry_hash
            head_id = row.id
            checked += 1
            if row.id in wanted:
                seen[row.id] = row.entry_hash
    problems = list(damaged)
    for anchor in anchors:
        if anchor.entry_id > head_id:
            problems.append(
                f"the anchor written {anchor.written_at} ({anchor.reason}) names entry "
                f"{anchor.entry_id}, but the newest entry is {head_id}: entries were deleted "
                "from the end of the log."
            )
        elif anchor.entry_id not in seen:
            problems.append(
                f"entry {anchor.entry_id}, anchored {anchor.written_at} ({anchor.reason}), is "
                "missing from the log."
            )
        elif seen[anchor.entry_id] != anchor.entry_hash:
            problems.append(
                f"entry {anchor.entry_id} no longer has the hash anchored {anchor.written_at} "
                f"({anchor.reason}): the log was rewritten and rechained from there or before."
            )
    return ChainReport(
        checked,
        expected_prev,
        None,
        None,
        keyed_from,
        unkeyed,
        head_id,
        len(anchors),
        anchor_file,
        tuple(problems),
    )


def recent_entries(
    *, engine: sa.Engine, limit: int = 500, username: str | None = None, event: str | None = None
) -> pd.DataFrame:
    """The newest audit-log entries first, optionally for one user or one kind of event."""
    stmt = sa.select(
        AuditLogEntry.occurred_at,
        AuditLogEntry.username,
        AuditLogEntry.event,
        AuditLogEntry.page,
        AuditLogEntry.detail,
    ).order_by(AuditLogEntry.occurred_at.desc(), AuditLogEntry.id.desc())
    if username:
        stmt = stmt.where(AuditLogEntry.username == username)
    if event:
        stmt = stmt.where(AuditLogEntry.event == event)
    return frame(engine, stmt.limit(limit))
