"""Make a quarter's board pack (PDF and/or PPTX), keep it frozen in the store, hand back the bytes.

Generating never raises for a store that cannot support a pack yet: it returns `PackUnavailable`
whose `reasons` say what is missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import sqlalchemy as sa

from dashboard.board_pack import charts_static
from dashboard.board_pack.content import PackNotPossible, assemble
from dashboard.board_pack.model import PackChart, PackContent
from dashboard.board_pack.pdf import build_pdf
from dashboard.board_pack.pptx_builder import build_pptx
from data_access import audit_log, board_packs, data_version

Progress = Callable[[float, str], object]  # what it returns is not used
BUILDERS: dict[str, Callable[[PackContent], bytes]] = {"pdf": build_pdf, "pptx": build_pptx}


@dataclass(frozen=True)
class GeneratedPack:
    """A pack as generated (and, when recorded, as kept in the store)."""

    pack_id: int | None
    period_code: str
    file_format: str
    file_name: str
    content: bytes
    checksum: str

    @property
    def media_type(self) -> str:
        return board_packs.MEDIA_TYPES[self.file_format]


@dataclass(frozen=True)
class PackUnavailable:
    """Why no pack could be made for a quarter."""

    period_code: str
    reasons: tuple[str, ...]

    @property
    def message(self) -> str:
        return f"A board pack for {self.period_code} cannot be made yet. " + " ".join(self.reasons)


def file_name_for(
    partnership_name: str, period_code: str, file_format: str, generated_at: dt.datetime
) -> str:
    """E.g. 'brookvale-scp-board-pack-2025-26-q2-20251123-1000.pdf'."""
    words = re.findall(r"[a-z0-9]+", partnership_name.lower())
    stem = "-".join(w for w in words if w not in {"safeguarding", "children", "partnership"})
    stem = (stem + "-scp") if stem else "scp"
    period = re.sub(r"[^a-z0-9]+", "-", period_code.lower()).strip("-")
    return f"{stem}-board-pack-{period}-{generated_at:%Y%m%d-%H%M}.{file_format}"


# Charts are drawn by vl-convert outside Python's lock, so two draw at once on a two-core server.
CHART_THREADS = 2


def render_charts(content: PackContent, progress: Progress | None = None) -> PackContent:
    """The same content with every chart rendered to PNG (done once for both formats)."""
    charts = [chart for theme in content.themes for chart in theme.charts]
    total = len(charts) or 1
    with ThreadPoolExecutor(CHART_THREADS, thread_name_prefix="pack-chart") as pool:
        futures = [pool.submit(charts_static.with_png, chart) for chart in charts]
        drawn_all: list[PackChart] = []
        for done, future in enumerate(futures, start=1):
            drawn_all.append(future.result())
            if progress:
                progress(0.1 + 0.6 * done / total, f"Drawing charts ({done} of {total})")
    drawn = iter(drawn_all)
    rendered = [
        dataclasses.replace(theme, charts=tuple(next(drawn) for _ in theme.charts))
        for theme in content.themes
    ]
    return dataclasses.replace(content, themes=tuple(rendered))


def generate_packs(
    *,
    engine: sa.Engine,
    period_code: str,
    generated_by: str,
    formats: Sequence[str] = ("pdf", "pptx"),
    record: bool = True,
    progress: Progress | None = None,
    generated_at: dt.datetime | None = None,
    today: dt.date | None = None,
) -> list[GeneratedPack] | PackUnavailable:
    """Build the pack in each of `formats`; record each (unless `record` is False) and return them.

    Returns PackUnavailable (never raises) when the store has nothing to put in the pack.
    """
    unknown = [f for f in formats if f not in BUILDERS]
    if unknown or not formats:
        return PackUnavailable(
            period_code,
            (
                "Choose PDF and/or PowerPoint (pptx); "
                + (f"'{unknown[0]}' is not a pack format." if unknown else "no format was chosen."),
            ),
        )
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    # Read before the figures are: the pack is kept as made from this version (or older data).
    made_from = data_version.current(engine)
    if progress:
        progress(0.02, "Gathering the quarter's figures")
    try:
        content = assemble(
            engine=engine,
            period_code=period_code,
            generated_by=generated_by,
            generated_at=generated_at,
            today=today,
        )
    except PackNotPossible as exc:
        return PackUnavailable(period_code, tuple(exc.reasons))
    content = render_charts(content, progress)
    if record:
        # The newest audit-log entry, appended to the anchor file (if one is configured) and
        # printed on the pack's last page: a copy of the log's head kept outside the database.
        try:
            anchor = audit_log.write_anchor(engine=engine, reason=f"board pack {period_code}")
        except audit_log.AnchorError as error:
            return PackUnavailable(period_code, (f"The audit log could not be anchored: {error}.",))
        provenance = dataclasses.replace(
            content.provenance,
            audit_anchor=f"{anchor.sentence()} (check with `qa-dashboard audit verify`)",
        )
        content = dataclasses.replace(content, provenance=provenance)
    # Record exactly what the footer states, not a second reading of a store that may have moved.
    cutoff = board_packs.DataCutoff(
        period_code=period_code,
        cutoff=content.provenance.data_cutoff,
        submission_ids=content.provenance.submission_ids,
        value_count=len(content.provenance.submission_ids),
    )
    built: list[board_packs.PackFile] = []
    for index, file_format in enumerate(formats):
        if progress:
            progress(0.72 + 0.25 * index / len(formats), f"Writing the {file_format.upper()}")
        built.append(
            board_packs.PackFile(
                file_format=file_format,
                file_name=file_name_for(
                    content.partnership_name, period_code, file_format, generated_at
                ),
                content=BUILDERS[file_format](content),
            )
        )
    # Every format in one transaction: all are kept or none, and the data version moves once.
    ids: list[int | None] = [None] * len(built)
    if record:
        ids = list(
            board_packs.record_packs(
                engine=engine,
                period_code=period_code,
                files=built,
                cutoff=cutoff,
                generated_by=generated_by,
                generated_at=generated_at,
                data_version=made_from,
            )
        )
    out = [
        GeneratedPack(
            pack_id=pack_id,
            period_code=period_code,
            file_format=file.file_format,
            file_name=file.file_name,
            content=file.content,
            checksum=board_packs.sha256_hex(file.content),
        )
        for pack_id, file in zip(ids, built, strict=True)
    ]
    if progress:
        progress(1.0, "Done")
    return out
