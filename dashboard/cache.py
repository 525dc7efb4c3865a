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

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from data_access import data_version
from data_access.config import settings
from data_access.db import engine_for

CACHE_TTL_SECONDS = 3600


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
    return version


def query(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call data_access function `fn(engine=..., **kwargs)` through the shared cache."""
    key = f"{fn.__module__}.{fn.__qualname__}"
    items = tuple(sorted(kwargs.items()))
    url = settings().database_url
    return _run(key, url, items, _version(url), fn)


def frame(fn: Callable[..., pd.DataFrame], **kwargs: Any) -> pd.DataFrame:
    """Like `query`, for functions returning a DataFrame; returns a copy the caller may change."""
    return query(fn, **kwargs).copy()


def clear() -> None:
    """Forget every cached result (after an import, an edit or a rollback)."""
    _run.clear()
