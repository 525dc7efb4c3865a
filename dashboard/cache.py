"""Cached calls into data_access: one cache entry per query, database and arguments.

`st.cache_data` is shared by every user of the server, so nothing here filters by role; pages do
that after the call. The store's data version (see `data_access.data_version`) is part of every
cache key, so a change made by another server process or by the command line is seen on the next
page view here, not when the entry expires; `clear()` still frees memory after a change made here.

The version is read from the store once per page run, not once per query: a page asks the cache
twenty times or more, and each reading is a round trip. A change committed by this process during
the run is still seen at once (see `data_access.data_version.committed_here`).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar, cast

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from data_access import data_version
from data_access.config import settings
from data_access.db import engine_for

CACHE_TTL_SECONDS = 3600
LOG = logging.getLogger(__name__)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner="Loading the figures…", max_entries=2000)
def _run(
    query_key: str,
    database_url: str,
    kwargs: tuple[tuple[str, Any], ...],
    version: int,
    _query: Callable[..., Any],
) -> Any:
    # query_key (module + name) stands in for the unhashable function in the cache key; version
    # (the store's data version) makes an entry stale as soon as the data changes anywhere.
    return _query(engine=engine_for(database_url), **dict(kwargs))


# Where a page run keeps the version it read: an attribute of its ScriptRunContext.
_RUN_VERSION = "_qa_data_version"


def _version(url: str) -> int:
    """The store's data version, read once per page run (every time outside a page run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return data_version.current(engine_for(url))
    # Streamlit gives each run (and each fragment run) a new `cursors` dict; holding it in the
    # memo keeps it alive, so `is` cannot mistake a later run's dict for this one.
    run, writes = ctx.cursors, data_version.committed_here()
    memo = getattr(ctx, _RUN_VERSION, None)
    if memo is not None and memo[0] is run and memo[1] == url and memo[2] == writes:
        return int(memo[3])
    version = data_version.current(engine_for(url))
    setattr(ctx, _RUN_VERSION, (run, url, writes, version))
    _notice(url, version)
    return version


def query(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call data_access function `fn(engine=..., **kwargs)` through the shared cache."""
    key = f"{fn.__module__}.{fn.__qualname__}"
    items = tuple(sorted(kwargs.items()))
    url = settings().database_url
    if _page.get() is not None:
        _remember(key, url, items, fn)
    return _run(key, url, items, _version(url), fn)


def frame(fn: Callable[..., pd.DataFrame], **kwargs: Any) -> pd.DataFrame:
    """Like `query`, for functions returning a DataFrame; returns a copy the caller may change."""
    return query(fn, **kwargs).copy()


def clear() -> None:
    """Forget every cached result (after an import, an edit or a rollback); in a server, then
    warm the pages' figures again in the background (see `warm`)."""
    _run.clear()
    forget_derived()
    if _in_server():
        warm_soon()


# --- Figures worked out once per data version ------------------------------------------------------
#
# A theme page's brief, scorecard table and year's figures are the same for every session and
# every rerun until the data change. `derived` keeps such a result in this process, for the store's
# current data version: no unpickling, copying or formatting on a rerun. When the version moves (a
# change here, or in another process or the command line, read once per page run) every result
# kept for an older version is dropped, and the next call works it out again from the new data.

DERIVED_MAX = 400
_derived: OrderedDict[tuple[str, str, int, tuple[Any, ...]], Any] = OrderedDict()
_derived_version: dict[str, int] = {}
_derived_builds: OrderedDict[tuple[str, str, tuple[Any, ...]], Callable[[], Any]] = OrderedDict()
_derived_lock = threading.Lock()
_T = TypeVar("_T")


def derived(name: str, build: Callable[[], _T], *key: Any) -> _T:
    """`build()`, worked out once per store, data version, `name` and `key` in this process and
    shared by every session: callers must not change what it returns.

    `key` holds everything `build` depends on besides the data (theme, quarter, scope, role
    where it changes what is shown); it must be hashable. `build` is kept and called again by
    `warm` after a data change, so it must read the data itself (through `frame`, `query` or
    another `derived`), never hold a frame read before.
    """
    url = settings().database_url
    version = _version(url)
    entry = (name, url, version, key)
    with _derived_lock:
        if _derived_version.get(url, version) < version:
            for stale in [k for k in _derived if k[1] == url and k[2] < version]:
                del _derived[stale]
        _derived_version[url] = max(_derived_version.get(url, version), version)
        if entry in _derived:
            _derived.move_to_end(entry)
            return cast(_T, _derived[entry])
    result = build()
    with _derived_lock:
        if _derived_version.get(url, version) <= version:  # not made stale meanwhile
            _derived[entry] = result
            while len(_derived) > DERIVED_MAX:
                _derived.popitem(last=False)
        # Kept to be worked out again by `warm` after the next change.
        _derived_builds[(name, url, key)] = build
        _derived_builds.move_to_end((name, url, key))
        while len(_derived_builds) > DERIVED_MAX:
            _derived_builds.popitem(last=False)
    return result


def _warm_derived(url: str) -> int:
    """Work out again, for the store's current version, every result `derived` made for `url`
    (most recently used first); return how many. A build that fails is logged and skipped."""
    if url != settings().database_url:
        return 0  # builds read the configured store (`frame`): nothing to warm for another
    with _derived_lock:
        builds = [(k, b) for k, b in _derived_builds.items() if k[1] == url]
    made = 0
    for (name, _url, key), build in reversed(builds):
        try:
            derived(name, build, *key)
        except Exception:
            LOG.exception("warming %s failed", name)
            continue
        made += 1
    return made


def derived_count(url: str | None = None) -> int:
    """How many results `derived` keeps (for store `url`, every store if None)."""
    with _derived_lock:
        return sum(1 for k in _derived if url is None or k[1] == url)


def forget_derived() -> None:
    """Drop every result `derived` keeps."""
    with _derived_lock:
        _derived.clear()
        _derived_version.clear()


# --- Warming after a data change -------------------------------------------------------------------
#
# Every data change makes every cached figure stale, so the next visitor of each page pays its whole
# cold cost. The overview and theme pages (the ones a meeting opens) run inside `remembered(page)`,
# which notes each distinct call they make here; after a change, `warm()` makes those calls again
# on a background thread, under the new data version, so the first visitor finds them cached. The
# process that made the change warms at once (`clear()`); another server process warms as soon as
# one of its page runs reads a newer version than it saw before.

REMEMBER_MAX = 600
_page: contextvars.ContextVar[str | None] = contextvars.ContextVar("qa_cache_page", default=None)
_remembered: OrderedDict[tuple[str, str, tuple[tuple[str, Any], ...]], Callable[..., Any]] = (
    OrderedDict()
)
_remember_lock = threading.Lock()
_warmer: ThreadPoolExecutor | None = None
_warming: Future[int] | None = None
_seen: dict[str, int] = {}


@contextlib.contextmanager
def remembered(page: str) -> Iterator[None]:
    """Note the cached calls made inside (by page `page`) so `warm()` can make them again."""
    token = _page.set(page)
    try:
        yield
    finally:
        _page.reset(token)


def _remember(
    key: str, url: str, items: tuple[tuple[str, Any], ...], fn: Callable[..., Any]
) -> None:
    try:
        hash(items)
    except TypeError:  # a list or frame argument: not worth keeping to warm
        return
    with _remember_lock:
        _remembered[(key, url, items)] = fn
        _remembered.move_to_end((key, url, items))
        while len(_remembered) > REMEMBER_MAX:
            _remembered.popitem(last=False)


def remembered_calls(url: str | None = None) -> int:
    """How many distinct calls `warm()` would make for store `url` (every store if None)."""
    with _remember_lock:
        return sum(1 for k in _remembered if url is None or k[1] == url)


def warm(url: str | None = None) -> int:
    """Make every remembered call for store `url` (the configured one by default) under its
    current data version, filling the cache, then work out again what `derived` kept for it;
    return how many calls and results were made.

    A call that fails is logged and skipped: warming never stops a page from working.
    """
    url = url or settings().database_url
    version = data_version.current(engine_for(url))
    with _remember_lock:
        calls = [(k, fn) for k, fn in _remembered.items() if k[1] == url]
    made = 0
    for (key, _url, items), fn in reversed(calls):  # most recently used first
        try:
            _run(key, url, items, version, fn)
        except Exception:
            LOG.exception("warming %s failed", key)
            continue
        made += 1
    # Then the briefs, scorecard tables and years' figures worked out from them (`derived`).
    made += _warm_derived(url)
    _seen[url] = max(_seen.get(url, version), version)
    return made


def warm_soon(url: str | None = None) -> Future[int]:
    """Start `warm(url)` on this process's warming thread (once: a warm already waiting to start
    will read the newest version itself); return its future."""
    global _warmer, _warming
    url = url or settings().database_url
    with _remember_lock:
        if _warming is not None and not _warming.running() and not _warming.done():
            return _warming
        if _warmer is None:
            _warmer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cache-warm")
        _warming = _warmer.submit(warm, url)
        return _warming


def warming() -> Future[int] | None:
    """The latest warm started by `warm_soon` (None if none was)."""
    return _warming


def _notice(url: str, version: int) -> None:
    """A page run read `version`: if it is newer than this process last saw, another process
    changed the data, so warm this process's cache for the new version."""
    before = _seen.get(url)
    _seen[url] = max(before or version, version)
    if before is not None and version > before and _in_server():
        warm_soon(url)


def _in_server() -> bool:
    """True in a running Streamlit server (not under AppTest, the command line or a test)."""
    from streamlit import config, runtime

    return runtime.exists() and not config.get_option("global.appTest")
