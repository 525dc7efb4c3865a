"""The one source of "now" for the store: naive UTC, the form in which it keeps timestamps."""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    """Naive UTC, as the store keeps its timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
