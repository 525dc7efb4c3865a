"""Cached calls into data_access: one cache entry per query, database and arguments.

`st.cache_data` is shared by every user of the server, so nothing here filters by role; pages do
that after the call. The store's data version (see `data_access.data_version`) is part of every
cache key, so a change made by another server process or by the command line is seen on the next
page view here, not when the entry expires; `clear()` still frees memory after a change made here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from data_access import data_version
from data_access.config import settings
from data_access.db import engine_for

CACHE_TTL_SECONDS = 3600


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner="Loading the figures…", max_entries=2000)
def _run(query_key: str, database_url: str, kwargs: tuple[tuple[str, Any], ...],
         version: int, _query: Callable[..., Any]) -> Any:
    # query_key (module + name) stands in for the unhashable function in the cache key; version
    # (the store's data version) makes an entry stale as soon as the data changes anywhere.
    return _query(engine=engine_for(database_url), **dict(kwargs))


def query(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call data_access function `fn(engine=..., **kwargs)` through the shared cache."""
    key = f"{fn.__module__}.{fn.__qualname__}"
    items = tuple(sorted(kwargs.items()))
    url = settings().database_url
    return _run(key, url, items, data_version.current(engine_for(url)), fn)


def frame(fn: Callable[..., pd.DataFrame], **kwargs: Any) -> pd.DataFrame:
    """Like `query`, for functions returning a DataFrame; returns a copy the caller may change."""
    return query(fn, **kwargs).copy()


def clear() -> None:
    """Forget every cached result (after an import, an edit or a rollback)."""
    _run.clear()
