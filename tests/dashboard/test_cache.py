"""The query cache stays correct when another process changes the store (several servers)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import sqlalchemy as sa

from dashboard import cache
from data_access import agency_choice
from tests.support.paths import ROOT

ADD_AGENCY = textwrap.dedent(
    """
    import sys
    from data_access.db import engine_for, session_scope
    from data_access.models import Agency
    with session_scope(engine_for(sys.argv[1])) as session:
        session.add(Agency(code="OTHER", name="Added by another process", sector="health",
                           agency_type="relevant_agency", section_175=False, active=True))
    """
)


def test_a_change_made_by_another_process_is_seen_on_the_next_call(
    store: sa.Engine, use_store
) -> None:
    use_store(store)
    before = cache.frame(agency_choice.find_agencies)
    assert "OTHER" not in set(before["code"])
    url = store.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", ADD_AGENCY, url], check=True, cwd=ROOT)
    after = cache.frame(agency_choice.find_agencies)
    assert "OTHER" in set(after["code"])


def test_without_a_change_the_cache_answers(store: sa.Engine, use_store, monkeypatch) -> None:
    use_store(store)
    cache.frame(agency_choice.find_agencies)
    calls = []
    real = agency_choice.find_agencies

    def counting(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    counting.__module__, counting.__qualname__ = real.__module__, real.__qualname__
    cache.frame(counting)
    assert calls == []


def _reads_three_times() -> None:
    import streamlit as st

    from dashboard import cache
    from data_access import agency_choice

    for _ in range(3):
        cache.frame(agency_choice.find_agencies)
    st.write("read")


def _writes_then_reads() -> None:
    import streamlit as st

    from dashboard import cache
    from data_access import agency_choice
    from data_access.config import settings
    from data_access.db import engine_for, session_scope
    from data_access.models import Agency

    before = set(cache.frame(agency_choice.find_agencies)["code"])
    with session_scope(engine_for(settings().database_url)) as session:
        session.add(
            Agency(
                code="RUNWRITE",
                name="Added in this run",
                sector="health",
                agency_type="relevant_agency",
                section_175=False,
                active=True,
            )
        )
    after = set(cache.frame(agency_choice.find_agencies)["code"])
    st.write(f"before={'RUNWRITE' in before} after={'RUNWRITE' in after}")


def _version_reads(engine: sa.Engine) -> list[str]:
    reads: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if "FROM data_version" in statement:
            reads.append(statement)

    sa.event.listen(engine, "before_cursor_execute", _count)
    return reads


def test_a_page_run_reads_the_data_version_once(store: sa.Engine, use_store) -> None:
    from streamlit.testing.v1 import AppTest

    from data_access.db import engine_for

    use_store(store)
    reads = _version_reads(engine_for(store.url.render_as_string(hide_password=False)))
    at = AppTest.from_function(_reads_three_times, default_timeout=60)
    at.run()
    assert not at.exception
    assert len(reads) == 1
    at.run()  # the next run asks the store again: another process may have loaded meanwhile
    assert len(reads) == 2


def test_a_change_committed_during_a_run_is_seen_in_that_run(store: sa.Engine, use_store) -> None:
    from streamlit.testing.v1 import AppTest

    use_store(store)
    at = AppTest.from_function(_writes_then_reads, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.markdown[0].value == "before=False after=True"
