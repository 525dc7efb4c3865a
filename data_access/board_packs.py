"""Board packs frozen "as presented": the file, its checksum, the data it drew on, who and when.

A pack is stored byte for byte, so the partnership can later show exactly what the board saw even
after partners resubmit figures. Nothing here renders a pack (see dashboard/board_pack/).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import cast

import pandas as pd
import sqlalchemy as sa

from data_access import audit_log
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import BoardPack, IndicatorValue, ReportingPeriod, Submission
from data_access.queries_common import frame

PACK_FORMATS = ("pdf", "pptx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


class PackRecordError(ValueError):
    """A pack that cannot be recorded (unknown quarter or format, empty file)."""


@dataclass(frozen=True)
class DataCutoff:
    """What a pack for a quarter draws on: the newest submission time and the submissions used."""

    period_code: str
    cutoff: dt.datetime | None
    submission_ids: tuple[int, ...]
    value_count: int

    @property
    def has_data(self) -> bool:
        return self.value_count > 0

    @property
    def id_ranges(self) -> str:
        return format_id_ranges(self.submission_ids)


@dataclass(frozen=True)
class StoredPack:
    """One recorded pack with its bytes."""

    id: int
    period_code: str
    file_format: str
    file_name: str
    checksum: str
    size_bytes: int
    content: bytes
    data_cutoff: dt.datetime
    submission_ids: str
    generated_by: str
    generated_at: dt.datetime

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.file_format]


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def format_id_ranges(ids: tuple[int, ...] | list[int]) -> str:
    """Compact ids as ranges: [1, 2, 3, 7, 9, 10] -> '1-3, 7, 9-10' ('' for none)."""
    ordered = sorted(set(int(i) for i in ids))
    if not ordered:
        return ""
    parts: list[str] = []
    start = prev = ordered[0]
    for current in [*ordered[1:], None]:
        if current is not None and current == prev + 1:
            prev = current
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if current is not None:
            start = prev = current
    return ", ".join(parts)


def parse_id_ranges(text: str) -> tuple[int, ...]:
    """The inverse of format_id_ranges."""
    ids: list[int] = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            low, high = part.split("-", 1)
            ids.extend(range(int(low), int(high) + 1))
        else:
            ids.append(int(part))
    return tuple(ids)


def data_cutoff(*, engine: sa.Engine, period_code: str) -> DataCutoff:
    """The data a pack for `period_code` draws on: current values up to the end of that quarter.

    The cut-off is the latest submission time among those values (or, for values loaded without a
    submission record, their creation time); submission ids are those still loaded.
    """
    period_end = (
        sa.select(ReportingPeriod.end_date)
        .where(ReportingPeriod.code == period_code)
        .scalar_subquery()
    )
    in_scope = sa.and_(
        IndicatorValue.is_current.is_(True),
        ReportingPeriod.end_date <= period_end,
    )
    totals = (
        sa.select(
            sa.func.count(IndicatorValue.id),
            sa.func.max(Submission.submitted_at),
            sa.func.max(IndicatorValue.created_at),
        )
        .select_from(IndicatorValue)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .outerjoin(Submission, Submission.id == IndicatorValue.submission_id)
        .where(in_scope)
    )
    ids_stmt = (
        sa.select(IndicatorValue.submission_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .join(Submission, Submission.id == IndicatorValue.submission_id)
        .where(in_scope, Submission.status == "loaded")
        .group_by(IndicatorValue.submission_id)
        .order_by(IndicatorValue.submission_id)
    )
    with engine.connect() as connection:
        count, latest_submission, latest_created = connection.execute(totals).one()
        # The join to Submission means every submission_id here is set.
        ids = tuple(int(cast(int, row[0])) for row in connection.execute(ids_stmt))
    cutoff = latest_submission or latest_created
    return DataCutoff(
        period_code=period_code, cutoff=cutoff, submission_ids=ids, value_count=int(count or 0)
    )


@dataclass(frozen=True)
class PackFile:
    """One generated file to record: its format, name and bytes."""

    file_format: str
    file_name: str
    content: bytes


def record_pack(
    *,
    engine: sa.Engine,
    period_code: str,
    file_format: str,
    file_name: str,
    content: bytes,
    cutoff: DataCutoff,
    generated_by: str,
    generated_at: dt.datetime | None = None,
    page: str | None = "board_pack",
) -> int:
    """Keep a generated pack's bytes with its checksum and provenance; return its id.

    The audit-log line is written in the same transaction as the pack.
    """
    (pack_id,) = record_packs(
        engine=engine,
        period_code=period_code,
        files=[PackFile(file_format, file_name, content)],
        cutoff=cutoff,
        generated_by=generated_by,
        generated_at=generated_at,
        page=page,
    )
    return pack_id


def record_packs(
    *,
    engine: sa.Engine,
    period_code: str,
    files: list[PackFile],
    cutoff: DataCutoff,
    generated_by: str,
    generated_at: dt.datetime | None = None,
    page: str | None = "board_pack",
    data_version: int | None = None,
) -> list[int]:
    """Keep several formats of one pack in one transaction (all or none); return their ids.

    One transaction moves the store's data version once, so whoever made the packs can tell
    whether anything else changed meanwhile (see `dashboard.board_pack.jobs`). Each file gets its
    own audit-log line, in the same transaction. `data_version` is the store's data version the
    packs were made from (read before their figures were), so another process can reuse them.
    """
    for file in files:
        if file.file_format not in PACK_FORMATS:
            raise PackRecordError(f"'{file.file_format}' is not a pack format; use pdf or pptx.")
        if not file.content:
            raise PackRecordError("The pack file is empty, so it was not recorded.")
    ids: list[int] = []
    with session_scope(engine) as session:
        period_id = session.scalar(
            sa.select(ReportingPeriod.id).where(ReportingPeriod.code == period_code)
        )
        if period_id is None:
            raise PackRecordError(f"There is no reporting period {period_code}.")
        for file in files:
            checksum = sha256_hex(file.content)
            row = BoardPack(
                period_id=period_id,
                file_format=file.file_format,
                file_name=file.file_name,
                checksum=checksum,
                content=file.content,
                size_bytes=len(file.content),
                data_cutoff=cutoff.cutoff or generated_at or utc_now(),
                submission_ids=cutoff.id_ranges,
                generated_by=generated_by,
                data_version=data_version,
            )
            if generated_at is not None:
                row.generated_at = generated_at
            session.add(row)
            session.flush()
            audit_log.record(
                session,
                username=generated_by,
                event="board_pack_generated",
                page=page,
                detail=f"pack {row.id}: {period_code} {file.file_format}, "
                f"{len(file.content):,} bytes, sha256 {checksum}",
            )
            ids.append(row.id)
    return ids


PACK_LIST_COLUMNS = [
    "id",
    "period_code",
    "file_format",
    "file_name",
    "size_bytes",
    "checksum",
    "data_cutoff",
    "submission_ids",
    "generated_by",
    "generated_at",
]


def list_packs(*, engine: sa.Engine, period_code: str | None = None) -> pd.DataFrame:
    """Recorded packs, newest first, without their bytes."""
    stmt = (
        sa.select(
            BoardPack.id,
            ReportingPeriod.code.label("period_code"),
            BoardPack.file_format,
            BoardPack.file_name,
            BoardPack.size_bytes,
            BoardPack.checksum,
            BoardPack.data_cutoff,
            BoardPack.submission_ids,
            BoardPack.generated_by,
            BoardPack.generated_at,
        )
        .join(ReportingPeriod, ReportingPeriod.id == BoardPack.period_id)
        .order_by(BoardPack.generated_at.desc(), BoardPack.id.desc())
    )
    if period_code is not None:
        stmt = stmt.where(ReportingPeriod.code == period_code)
    return frame(engine, stmt, columns=PACK_LIST_COLUMNS)


def fetch_pack(*, engine: sa.Engine, pack_id: int) -> StoredPack | None:
    """One recorded pack with its bytes exactly as generated (None if there is no such pack)."""
    stmt = (
        sa.select(
            BoardPack.id,
            ReportingPeriod.code,
            BoardPack.file_format,
            BoardPack.file_name,
            BoardPack.checksum,
            BoardPack.size_bytes,
            BoardPack.content,
            BoardPack.data_cutoff,
            BoardPack.submission_ids,
            BoardPack.generated_by,
            BoardPack.generated_at,
        )
        .join(ReportingPeriod, ReportingPeriod.id == BoardPack.period_id)
        .where(BoardPack.id == pack_id)
    )
    with engine.connect() as connection:
        row = connection.execute(stmt).one_or_none()
    if row is None:
        return None
    return StoredPack(
        id=row[0],
        period_code=row[1],
        file_format=row[2],
        file_name=row[3],
        checksum=row[4],
        size_bytes=row[5],
        content=bytes(row[6]),
        data_cutoff=row[7],
        submission_ids=row[8],
        generated_by=row[9],
        generated_at=row[10],
    )


def pack_bytes(*, engine: sa.Engine, pack_id: int) -> bytes:
    """Just the stored bytes of pack `pack_id` (for a download button); b'' if missing."""
    stmt = sa.select(BoardPack.content).where(BoardPack.id == pack_id)
    with engine.connect() as connection:
        content = connection.execute(stmt).scalar_one_or_none()
    return bytes(content) if content is not None else b""


@dataclass(frozen=True)
class ReusablePack:
    """A kept pack that stands for the store's current data (see `reusable_packs`)."""

    id: int
    file_format: str
    file_name: str
    checksum: str
    size_bytes: int
    generated_by: str
    generated_at: dt.datetime


def reusable_packs(
    *, engine: sa.Engine, period_code: str, formats: tuple[str, ...], version: int
) -> list[ReusablePack] | None:
    """Kept packs of `period_code`, one per format, made from the same data as version `version`
    of the store; None unless every format has one.

    Keeping a pack is itself a data change (the pack list moves): a pack made from version V is
    kept in a transaction that moves the store to V + 1 or, when something else changed the data
    in between, later. Versions only grow, so when the store is at `version`, a pack made from
    `version - 1` was kept by the one change since then: its data is the store's data now. Two
    recordings, or any other change, would have moved the store past `version`. (A pack made
    from `version` itself comes from an engine that does not count changes.) The newest such
    pack of each format is taken.
    """
    stmt = (
        sa.select(
            BoardPack.id,
            BoardPack.file_format,
            BoardPack.file_name,
            BoardPack.checksum,
            BoardPack.size_bytes,
            BoardPack.generated_by,
            BoardPack.generated_at,
        )
        .join(ReportingPeriod, ReportingPeriod.id == BoardPack.period_id)
        .where(
            ReportingPeriod.code == period_code,
            BoardPack.file_format.in_(formats),
            BoardPack.data_version.in_((version, version - 1)),
        )
        .order_by(BoardPack.id.desc())
    )
    with engine.connect() as connection:
        rows = connection.execute(stmt).all()
    found: dict[str, ReusablePack] = {}
    for row in rows:
        found.setdefault(
            row.file_format,
            ReusablePack(
                row.id,
                row.file_format,
                row.file_name,
                row.checksum,
                row.size_bytes,
                row.generated_by,
                row.generated_at,
            ),
        )
    if set(found) != set(formats):
        return None
    return [found[f] for f in formats]
