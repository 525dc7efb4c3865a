"""Board packs made in the background, one at a time per server process, and made once per data.

A pack takes many seconds to build. The page asks `request()` for a pack and gets a `PackJob` at
once; the build runs on this process's own worker thread while the page shows its progress and
stays usable. A request for the same quarter and formats while the store's data version has not
moved gets the job already made (running or finished) instead of a second build: the same data
makes the same pack. Recording the pack is itself a data change (the pack list moves), so a
finished job also answers for the version its own recording produced, when nothing else changed
in between; any other change (an import, an edit, a rollback) makes the next request build anew.

Jobs live in this process, but the packs they keep are in the store with the data version they
were made from, so a request that no job here answers reuses a pack another server process (or
the command line) kept for the same quarter, formats and data (`board_packs.reusable_packs`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from dashboard.board_pack.generate import GeneratedPack, PackUnavailable, generate_packs
from data_access import board_packs, data_version
from data_access.db import engine_for

LOG = logging.getLogger(__name__)

# Finished jobs kept for reuse (their results hold pack ids, not the files' bytes).
KEEP_FINISHED = 20
FAILED_MESSAGE = (
    "The board pack could not be made because of a fault on the server; nothing was kept. "
    "Try again, and if it happens again tell the administrator the time it happened."
)

Build = Callable[..., "list[GeneratedPack] | PackUnavailable"]


@dataclass(frozen=True)
class PackMade:
    """One file a job made and kept in the store (the bytes stay in the store)."""

    pack_id: int
    file_name: str
    file_format: str
    checksum: str
    size_bytes: int


@dataclass
class PackJob:
    """One background build of a quarter's pack in one or more formats."""

    id: int
    database_url: str
    period_code: str
    formats: tuple[str, ...]
    requested_by: str
    requested_at: dt.datetime
    # The data versions this job's pack stands for (see the module's docstring).
    versions: set[int]
    future: Future[None] | None = None
    fraction: float = 0.0
    stage: str = "Waiting for another board pack to finish"
    packs: tuple[PackMade, ...] = ()
    error: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def done(self) -> bool:
        return self.future is not None and self.future.done()

    @property
    def failed(self) -> bool:
        """The build stopped on a fault (not a quarter that cannot have a pack yet)."""
        return self.done and self.error == FAILED_MESSAGE

    def progress(self) -> tuple[float, str]:
        with self._lock:
            return self.fraction, self.stage

    def _report(self, fraction: float, stage: str) -> None:
        with self._lock:
            self.fraction, self.stage = min(max(fraction, 0.0), 1.0), stage

    def covers(self, database_url: str, period_code: str, formats: Sequence[str]) -> bool:
        return (
            self.database_url == database_url
            and self.period_code == period_code
            and set(formats) <= set(self.formats)
        )


_executor: ThreadPoolExecutor | None = None
_jobs: list[PackJob] = []
_registry_lock = threading.Lock()
_ids = itertools.count(1)
# How many builds this process has started (a job reused is not a build).
builds_started = 0


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="board-pack")
    return _executor


def _run(job: PackJob, start_version: int, build: Build) -> None:
    engine = engine_for(job.database_url)
    job._report(0.01, "Starting")
    try:
        result = build(
            engine=engine,
            period_code=job.period_code,
            generated_by=job.requested_by,
            formats=job.formats,
            progress=job._report,
        )
    except Exception:  # the page shows a sentence; the log keeps the detail
        LOG.exception("board pack %s for %s failed", job.id, job.period_code)
        job.error = FAILED_MESSAGE
        job._report(1.0, "Stopped")
        return
    if isinstance(result, PackUnavailable):
        job.error = result.message
    else:
        job.packs = tuple(
            PackMade(
                pack_id=int(p.pack_id or 0),
                file_name=p.file_name,
                file_format=p.file_format,
                checksum=p.checksum,
                size_bytes=len(p.content),
            )
            for p in result
        )
        # The packs were kept in one transaction, which moved the version by exactly one unless
        # something else changed the data meanwhile; only then does the pack stand for the new
        # version too.
        after = data_version.current(engine)
        if after == start_version + 1:
            with _registry_lock:
                job.versions.add(after)
    job._report(1.0, "Done")


def request(
    *,
    database_url: str,
    period_code: str,
    formats: Sequence[str],
    requested_by: str,
    build: Build = generate_packs,
) -> tuple[PackJob, bool]:
    """The job that makes (or made) this quarter's pack for the store's current data.

    Returns the job and whether it was already there (True: reused, nothing new is built).
    """
    global builds_started
    engine = engine_for(database_url)
    version = data_version.current(engine)
    wanted = tuple(formats)
    with _registry_lock:
        here = _job_here(database_url, period_code, wanted, version)
    if here is not None:
        return here, True
    # Asked outside the lock (a round trip to the store); a job started here meanwhile wins.
    kept = board_packs.reusable_packs(
        engine=engine, period_code=period_code, formats=wanted, version=version
    )
    with _registry_lock:
        here = _job_here(database_url, period_code, wanted, version)
        if here is not None:
            return here, True
        if kept is not None:
            job = _finished_job(database_url, period_code, wanted, version, kept)
            _remember(job)
            return job, True
        job = PackJob(
            id=next(_ids),
            database_url=database_url,
            period_code=period_code,
            formats=wanted,
            requested_by=requested_by,
            requested_at=dt.datetime.now().replace(microsecond=0),
            versions={version},
        )
        _remember(job)
        builds_started += 1
        job.future = _pool().submit(_run, job, version, build)
    return job, False


def _job_here(
    database_url: str, period_code: str, formats: tuple[str, ...], version: int
) -> PackJob | None:
    """This process's newest job that answers the request (lock held)."""
    for job in reversed(_jobs):
        reusable = version in job.versions and not job.failed
        if reusable and job.covers(database_url, period_code, formats):
            return job
    return None


def _remember(job: PackJob) -> None:
    """Add `job` to this process's jobs, forgetting the oldest finished ones (lock held)."""
    _jobs.append(job)
    finished = [j for j in _jobs if j.done]
    for old in finished[:-KEEP_FINISHED]:
        _jobs.remove(old)


def _finished_job(
    database_url: str,
    period_code: str,
    formats: tuple[str, ...],
    version: int,
    kept: list[board_packs.ReusablePack],
) -> PackJob:
    """A job that built nothing: it hands back packs already kept for the same data (and says who
    asked for them first, and when)."""
    done: Future[None] = Future()
    done.set_result(None)
    return PackJob(
        id=next(_ids),
        database_url=database_url,
        period_code=period_code,
        formats=formats,
        requested_by=kept[0].generated_by,
        requested_at=kept[0].generated_at,
        versions={version},
        future=done,
        fraction=1.0,
        stage="Done",
        packs=tuple(
            PackMade(p.id, p.file_name, p.file_format, p.checksum, p.size_bytes) for p in kept
        ),
    )


def get(job_id: int) -> PackJob | None:
    """A job of this process by its id (None once it has been forgotten)."""
    with _registry_lock:
        return next((j for j in _jobs if j.id == job_id), None)


def wait(job: PackJob, timeout: float | None = None) -> PackJob:
    """Block until `job` has finished (for the command line and tests)."""
    if job.future is not None:
        job.future.result(timeout=timeout)
    return job


def forget_all() -> None:
    """Forget every job (tests): a running build still finishes, but nothing reuses it."""
    with _registry_lock:
        _jobs.clear()


def describe(job: PackJob) -> dict[str, Any]:
    """What the page keeps in a session about a finished job."""
    if job.error:
        return {"error": job.error}
    return {
        "packs": [
            (p.pack_id, p.file_name, p.file_format, p.checksum, p.size_bytes) for p in job.packs
        ],
        "quarter": job.period_code,
        "requested_by": job.requested_by,
        "requested_at": job.requested_at,
    }
