"""Board packs made in the background: one build per quarter, formats and data version."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import pytest
import sqlalchemy as sa

from dashboard.board_pack import jobs
from dashboard.board_pack.generate import GeneratedPack, PackUnavailable, Progress
from data_access import board_packs, data_version
from data_access.db import session_scope
from data_access.periods import Quarter
from data_access.reference import ensure_periods

QUARTER = Quarter(2025, 2)


class CountingBuild:
    """Stands in for `generate_packs`: records tiny packs the way it does (one transaction),
    counts its builds, and can be held half-way to look at a running job."""

    def __init__(self) -> None:
        self.calls = 0
        self.hold: threading.Event | None = None
        self.also_change: sa.Engine | None = None

    def __call__(
        self,
        *,
        engine: sa.Engine,
        period_code: str,
        generated_by: str,
        formats: Sequence[str],
        progress: Progress | None = None,
    ) -> list[GeneratedPack]:
        self.calls += 1
        made_from = data_version.current(engine)  # as generate_packs reads it, before the figures
        if progress:
            progress(0.5, "Drawing charts (1 of 2)")
        if self.hold is not None:
            self.hold.wait(timeout=60)
        files = [
            board_packs.PackFile(f, f"pack-{self.calls}.{f}", f"{f} {self.calls}".encode())
            for f in formats
        ]
        cutoff = board_packs.DataCutoff(period_code, None, (), 0)
        ids = board_packs.record_packs(
            engine=engine,
            period_code=period_code,
            files=files,
            cutoff=cutoff,
            generated_by=generated_by,
            data_version=made_from,
        )
        if self.also_change is not None:  # someone else changes the data meanwhile
            _change_data(self.also_change)
        return [
            GeneratedPack(i, period_code, f.file_format, f.file_name, f.content, "x")
            for i, f in zip(ids, files, strict=True)
        ]


def _change_data(engine: sa.Engine) -> None:
    """A data change (a new reporting period), as an import would make."""
    with session_scope(engine) as session:
        ensure_periods(session, [Quarter(2030 + _change_data.count, 1)])  # type: ignore[attr-defined]
    _change_data.count += 1  # type: ignore[attr-defined]


_change_data.count = 0  # type: ignore[attr-defined]


@pytest.fixture
def pack_store(store: sa.Engine) -> Iterator[sa.Engine]:
    with session_scope(store) as session:
        ensure_periods(session, [QUARTER])
    jobs.forget_all()
    yield store
    jobs.forget_all()


def _request(
    engine: sa.Engine, build: CountingBuild, formats: Sequence[str] = ("pdf",), who: str = "qa.demo"
) -> tuple[jobs.PackJob, bool]:
    job, reused = jobs.request(
        database_url=engine.url.render_as_string(hide_password=False),
        period_code=QUARTER.code,
        formats=formats,
        requested_by=who,
        build=build,
    )
    return jobs.wait(job, timeout=60), reused


def test_two_requests_for_the_same_figures_build_once(pack_store: sa.Engine) -> None:
    build = CountingBuild()
    first, reused_first = _request(pack_store, build, who="qa.demo")
    second, reused_second = _request(pack_store, build, who="exec.demo")
    assert build.calls == 1
    assert (reused_first, reused_second) == (False, True)
    assert second is first and second.requested_by == "qa.demo"
    assert len(first.packs) == 1 and first.error is None
    assert len(board_packs.list_packs(engine=pack_store)) == 1
    assert jobs.describe(second)["packs"][0][0] == first.packs[0].pack_id


def test_a_new_data_version_builds_again(pack_store: sa.Engine) -> None:
    build = CountingBuild()
    first, _ = _request(pack_store, build)
    _change_data(pack_store)
    second, reused = _request(pack_store, build)
    assert build.calls == 2 and not reused and second is not first
    assert len(board_packs.list_packs(engine=pack_store)) == 2
    third, reused = _request(pack_store, build)
    assert third is second and reused and build.calls == 2


def test_a_request_while_the_pack_is_being_made_waits_for_that_build(
    pack_store: sa.Engine,
) -> None:
    build = CountingBuild()
    build.hold = threading.Event()
    url = pack_store.url.render_as_string(hide_password=False)
    try:
        first, _ = jobs.request(
            database_url=url,
            period_code=QUARTER.code,
            formats=("pdf",),
            requested_by="a",
            build=build,
        )
        second, reused = jobs.request(
            database_url=url,
            period_code=QUARTER.code,
            formats=("pdf",),
            requested_by="b",
            build=build,
        )
        assert second is first and reused
    finally:
        build.hold.set()
    jobs.wait(first, timeout=60)
    assert build.calls == 1 and first.progress() == (1.0, "Done")


def test_formats_already_made_are_reused_and_new_ones_built(pack_store: sa.Engine) -> None:
    build = CountingBuild()
    both, _ = _request(pack_store, build, formats=("pdf", "pptx"))
    pdf_only, reused = _request(pack_store, build, formats=("pdf",))
    assert pdf_only is both and reused and build.calls == 1
    # The two formats were kept in one transaction, so the data version moved once.
    assert len(both.versions) == 2

    _change_data(pack_store)
    single, _ = _request(pack_store, build, formats=("pptx",))
    wider, reused = _request(pack_store, build, formats=("pdf", "pptx"))
    assert not reused and wider is not single and build.calls == 3


def test_another_process_reuses_the_pack_kept_for_the_same_data(pack_store: sa.Engine) -> None:
    build = CountingBuild()
    first, _ = _request(pack_store, build, formats=("pdf", "pptx"), who="qa.demo")
    jobs.forget_all()  # what a second server process knows: only the store
    again, reused = _request(pack_store, build, formats=("pptx",), who="exec.demo")
    assert reused and build.calls == 1 and again is not first
    (kept,) = again.packs
    assert (kept.pack_id, kept.file_format) == next(
        (p.pack_id, p.file_format) for p in first.packs if p.file_format == "pptx"
    )
    # The page says who asked for the pack first, and when.
    assert again.requested_by == "qa.demo" and again.error is None
    assert jobs.describe(again)["packs"][0][0] == kept.pack_id
    assert len(board_packs.list_packs(engine=pack_store)) == 2


def test_a_kept_pack_is_not_reused_once_the_data_moves_or_for_a_format_it_lacks(
    pack_store: sa.Engine,
) -> None:
    build = CountingBuild()
    _request(pack_store, build, formats=("pdf",))
    jobs.forget_all()
    _, reused = _request(pack_store, build, formats=("pdf", "pptx"))
    assert not reused and build.calls == 2
    jobs.forget_all()
    _change_data(pack_store)
    _, reused = _request(pack_store, build, formats=("pdf",))
    assert not reused and build.calls == 3


def test_a_kept_pack_made_before_another_change_is_not_reused(pack_store: sa.Engine) -> None:
    build = CountingBuild()
    build.also_change = pack_store  # the data changes after the pack is kept
    _request(pack_store, build)
    build.also_change = None
    jobs.forget_all()
    _, reused = _request(pack_store, build)
    assert not reused and build.calls == 2


def test_a_change_made_during_the_build_means_the_next_request_builds(
    pack_store: sa.Engine,
) -> None:
    build = CountingBuild()
    build.also_change = pack_store
    first, _ = _request(pack_store, build)
    build.also_change = None
    second, reused = _request(pack_store, build)
    assert not reused and second is not first and build.calls == 2


def test_a_fault_is_a_sentence_and_the_next_request_tries_again(pack_store: sa.Engine) -> None:
    def broken(**_: object) -> list[GeneratedPack]:
        raise RuntimeError("the renderer fell over")

    failed, _ = _request(pack_store, broken)  # type: ignore[arg-type]
    assert failed.failed and failed.error == jobs.FAILED_MESSAGE
    assert jobs.describe(failed) == {"error": jobs.FAILED_MESSAGE}
    assert board_packs.list_packs(engine=pack_store).empty
    build = CountingBuild()
    retried, reused = _request(pack_store, build)
    assert not reused and build.calls == 1 and retried.packs


def test_a_quarter_without_figures_says_why(pack_store: sa.Engine) -> None:
    def unavailable(**kwargs: object) -> PackUnavailable:
        return PackUnavailable(str(kwargs["period_code"]), ("There are no figures for it.",))

    job, _ = _request(pack_store, unavailable)  # type: ignore[arg-type]
    assert not job.failed and job.error is not None
    assert job.error.startswith(f"A board pack for {QUARTER.code} cannot be made yet.")
