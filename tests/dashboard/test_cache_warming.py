"""The query cache after a data change: warmed again in the background, and never stale, even when
the change is made by another process (an import on the command line)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard import cache
from data_access import data_version
from data_access.config import settings
from data_access.db import session_scope
from data_access.indicators import periods_with_data
from data_access.periods import Quarter
from data_access.reference import ensure_periods
from data_access.users import create_user
from tests.support.import_corpus import PERIOD, csv_bytes, good_rows, seed_reference
from tests.support.signed_in import signed_in_app

REPO = Path(__file__).resolve().parents[2]
CALLS: list[str] = []


def counted_periods(*, engine: sa.Engine, theme_code: str) -> pd.DataFrame:
    """A stand-in query that notes each time it really runs (a cache miss)."""
    CALLS.append(theme_code)
    return periods_with_data(engine=engine)


def _change_data(engine: sa.Engine, year: int) -> None:
    with session_scope(engine) as session:
        ensure_periods(session, [Quarter(year, 1)])


@pytest.fixture
def cached_store(store: sa.Engine, use_store) -> Iterator[sa.Engine]:
    use_store(store)
    CALLS.clear()
    yield store
    cache.clear()


def test_warming_makes_the_remembered_calls_again_for_the_new_version(
    cached_store: sa.Engine,
) -> None:
    with cache.remembered("overview"):
        cache.frame(counted_periods, theme_code="mash")
        cache.frame(counted_periods, theme_code="mash")
    cache.frame(counted_periods, theme_code="neglect")  # not on a remembered page
    assert CALLS == ["mash", "neglect"]

    before = data_version.current(cached_store)
    _change_data(cached_store, 2031)
    assert data_version.current(cached_store) > before
    assert cache.warm() >= 1
    assert CALLS == ["mash", "neglect", "mash"]  # only the remembered call, under the new version
    # A visitor now finds it cached for the new version: no further run.
    cache.frame(counted_periods, theme_code="mash")
    assert CALLS == ["mash", "neglect", "mash"]
    cache.frame(counted_periods, theme_code="neglect")
    assert CALLS[-1] == "neglect" and len(CALLS) == 4


def test_a_change_made_in_a_server_process_warms_in_the_background(
    cached_store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cache.remembered("mash"):
        cache.frame(counted_periods, theme_code="mash")
    _change_data(cached_store, 2032)
    monkeypatch.setattr(cache, "_in_server", lambda: True)
    cache.clear()  # as every page does after it changes data
    running = cache.warming()
    assert running is not None
    assert running.result(timeout=120) >= 1
    assert CALLS == ["mash", "mash"]
    cache.frame(counted_periods, theme_code="mash")
    assert CALLS == ["mash", "mash"]


def test_a_newer_version_seen_by_a_page_run_warms_this_process(
    cached_store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = cached_store.url.render_as_string(hide_password=False)
    with cache.remembered("mash"):
        cache.frame(counted_periods, theme_code="mash")
    monkeypatch.setattr(cache, "_in_server", lambda: True)
    started: list[str] = []
    monkeypatch.setattr(cache, "warm_soon", lambda u=None: started.append(u))
    cache._notice(url, 10**6)  # first sight of a store: nothing to compare with yet
    cache._notice(url, 10**6)
    assert started == []
    cache._notice(url, 10**6 + 1)  # another process changed the data
    assert started == [url]


def _sql_statements(engine: sa.Engine, at: AppTest) -> list[str]:
    """The statements a page run sends (on any engine), other than reading the data version."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "data_version" not in statement:
            seen.append(statement)

    sa.event.listen(sa.Engine, "before_cursor_execute", note)
    try:
        at.run()
    finally:
        sa.event.remove(sa.Engine, "before_cursor_execute", note)
    assert not at.exception
    return seen


def test_warming_after_a_change_fills_what_the_overview_and_a_theme_page_read(
    writable_sample_store: sa.Engine, use_store
) -> None:
    use_store(writable_sample_store)
    pages = [signed_in_app("overview", "executive"), signed_in_app("mash", "executive")]
    for at in pages:
        at.run()
        assert not at.exception
    repeat = [len(_sql_statements(writable_sample_store, at)) for at in pages]
    assert cache.remembered_calls(settings().database_url) > 0

    _change_data(writable_sample_store, 2033)
    cold = [len(_sql_statements(writable_sample_store, at)) for at in pages[:1]]
    assert cold[0] > repeat[0]  # after a change, the page goes back to the store

    _change_data(writable_sample_store, 2034)
    # This store's remembered calls only: the worker process may remember calls made by
    # earlier tests against other stores.
    url = settings().database_url
    assert cache.warm() >= cache.remembered_calls(url) // 2
    warmed = [len(_sql_statements(writable_sample_store, at)) for at in pages]
    assert warmed == repeat  # after warming, the pages read no more than a cached repeat does
    cache.clear()


@pytest.fixture
def cli_store(sqlite_store: sa.Engine, use_store) -> str:
    seed_reference(sqlite_store)
    with session_scope(sqlite_store) as session:
        create_user(session, "jo.cli", "Jo", "qa_officer", "a long enough password")
    use_store(sqlite_store)
    return sqlite_store.url.render_as_string(hide_password=False)


def test_an_import_in_another_process_is_seen_at_once(cli_store: str, tmp_path: Path) -> None:
    engine = sa.create_engine(cli_store)
    before = cache.frame(periods_with_data)
    assert PERIOD not in list(before["code"])
    cache.frame(periods_with_data)  # cached now
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(good_rows()))
    version = data_version.current(engine)

    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "--database-url", cli_store, "import", str(good)]
        + ["--agency", "POLICE", "--as", "jo.cli"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert data_version.current(engine) > version
    # No clear() here: the other process's change reaches this process's cache at once.
    after = cache.frame(periods_with_data)
    assert PERIOD in list(after["code"])
    engine.dispose()
