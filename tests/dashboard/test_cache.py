"""The query cache stays correct when another process changes the store (several servers)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import sqlalchemy as sa

from dashboard import cache
from data_access import themes
from tests.conftest import ROOT

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
    before = cache.frame(themes.agencies)
    assert "OTHER" not in set(before["code"])
    url = store.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", ADD_AGENCY, url], check=True, cwd=ROOT)
    after = cache.frame(themes.agencies)
    assert "OTHER" in set(after["code"])


def test_without_a_change_the_cache_answers(store: sa.Engine, use_store, monkeypatch) -> None:
    use_store(store)
    cache.frame(themes.agencies)
    calls = []
    real = themes.agencies

    def counting(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return real(**kwargs)

    counting.__module__, counting.__qualname__ = real.__module__, real.__qualname__
    cache.frame(counting)
    assert calls == []
