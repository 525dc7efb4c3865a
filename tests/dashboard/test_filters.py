"""The sidebar's agency choice: sector and search narrow a bounded list found in the store (never
every agency); links still work."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access.db import session_scope
from data_access.models import Agency

SCHOOLS = 450


def _page() -> None:
    import streamlit as st

    from dashboard.components.filters import sidebar_filters

    chosen = sidebar_filters(["2025-26 Q1", "2025-26 Q2"], agencies=True, key="t")
    st.text(f"scope: {chosen.scope_label}")


@pytest.fixture
def many_schools(store: sa.Engine, use_store) -> sa.Engine:
    with session_scope(store) as session:
        session.add_all(
            Agency(
                code=f"SCH{n:03d}",
                name=f"School {n:03d}",
                sector="education",
                agency_type="relevant_agency",
            )
            for n in range(SCHOOLS)
        )
        session.add(
            Agency(
                code="POL", name="Shire Police", sector="police", agency_type="statutory_partner"
            )
        )
        session.add(
            Agency(
                code="LA", name="Borough Council", sector="council", agency_type="statutory_partner"
            )
        )
        session.add(
            Agency(
                code="OLD",
                name="Closed Trust",
                sector="health",
                agency_type="relevant_agency",
                active=False,
            )
        )
    return use_store(store)


def _app(**params: str) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_agency_list_is_bounded_and_narrowed_by_search_and_sector(
    many_schools: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.components.filters import MAX_AGENCY_OPTIONS
    from data_access import agency_choice

    fetched: list[int] = []
    real_frame = agency_choice.frame

    def counting(engine, stmt):
        rows = real_frame(engine, stmt)
        fetched.append(len(rows))
        return rows

    monkeypatch.setattr(agency_choice, "frame", counting)
    at = _app()
    assert not at.exception
    agency = at.selectbox(key="t_agency")
    assert len(agency.options) == MAX_AGENCY_OPTIONS + 1  # "All agencies" and the first 200
    assert "452 agencies match" in "\n".join(c.value for c in at.sidebar.caption)
    # The store gave the page the agencies it lists, not all 452.
    assert fetched and max(fetched) == MAX_AGENCY_OPTIONS
    at.text_input(key="t_agency_search").input("school 42").run()
    assert at.selectbox(key="t_agency").options == [
        "All agencies (partnership figures)",
        *[f"School {n}" for n in range(420, 430)],
    ]
    at.text_input(key="t_agency_search").input("").run()
    at.selectbox(key="t_agency_sector").set_value("police").run()
    assert at.selectbox(key="t_agency").options == [
        "All agencies (partnership figures)",
        "Shire Police",
    ]
    at.selectbox(key="t_agency").set_value("POL").run()
    assert at.query_params["agency"] in ("POL", ["POL"])
    assert "scope: Shire Police" in [t.value for t in at.text]
    # The chosen agency stays listed when the search no longer matches it.
    at.selectbox(key="t_agency_sector").set_value("").run()
    at.text_input(key="t_agency_search").input("school 1").run()
    assert at.selectbox(key="t_agency").value == "POL"
    assert "Shire Police" in at.selectbox(key="t_agency").options


def test_link_to_an_agency_beyond_the_listed_ones_still_selects_it(
    many_schools: sa.Engine,
) -> None:
    at = _app(agency="SCH420")
    assert not at.exception
    assert at.selectbox(key="t_agency").value == "SCH420"
    assert "scope: School 420" in [t.value for t in at.text]
    for stale in ("NOPE", "OLD"):  # unknown, and closed
        at = _app(agency=stale)
        assert not at.exception
        assert at.selectbox(key="t_agency").value == ""
        assert "scope: the partnership" in [t.value for t in at.text]
