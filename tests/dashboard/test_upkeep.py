"""The server's daily upkeep: the timeliness figures of a quarter that ended while nobody changed
a record are written on the first page view of the day, once per process and day, and a failure
never stops a page."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
import streamlit as st

from dashboard import upkeep
from data_access import learning_figures


@pytest.fixture(autouse=True)
def _fresh_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_the_check_runs_once_per_day(sqlite_store: sa.Engine, use_store, monkeypatch) -> None:
    use_store(sqlite_store)
    calls: list[dt.date] = []

    def counted(*, engine: sa.Engine, today: dt.date) -> int:
        calls.append(today)
        return 3

    monkeypatch.setattr(learning_figures, "refresh_if_due", counted)
    assert upkeep.run_daily(dt.date(2026, 1, 5)) == 3
    assert upkeep.run_daily(dt.date(2026, 1, 5)) == 3  # remembered, not checked again
    assert upkeep.run_daily(dt.date(2026, 1, 6)) == 3
    assert calls == [dt.date(2026, 1, 5), dt.date(2026, 1, 6)]


def test_a_failed_check_is_logged_and_the_page_goes_on(
    sqlite_store: sa.Engine, use_store, monkeypatch, caplog
) -> None:
    use_store(sqlite_store)

    def broken(*, engine: sa.Engine, today: dt.date) -> int:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(learning_figures, "refresh_if_due", broken)
    assert upkeep.run_daily(dt.date(2026, 1, 7)) == 0
    assert "bringing the timeliness figures up to date failed" in caplog.text
