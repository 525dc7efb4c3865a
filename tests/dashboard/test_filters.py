"""The sidebar's agency choice: sector and search narrow a bounded list; links still work."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import pandas as pd
    import streamlit as st

    from dashboard.components.filters import sidebar_filters

    agencies = pd.DataFrame({
        "code": [f"SCH{n:03d}" for n in range(450)] + ["POL", "LA"],
        "name": [f"School {n:03d}" for n in range(450)] + ["Shire Police", "Borough Council"],
        "sector": ["education"] * 450 + ["police", "council"],
    })
    chosen = sidebar_filters(["2025-26 Q1", "2025-26 Q2"], agencies=agencies, key="t")
    st.text(f"scope: {chosen.scope_label}")


def _app(**params: str) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_agency_list_is_bounded_and_narrowed_by_search_and_sector() -> None:
    from dashboard.components.filters import MAX_AGENCY_OPTIONS

    at = _app()
    assert not at.exception
    agency = at.selectbox(key="t_agency")
    assert len(agency.options) == MAX_AGENCY_OPTIONS + 1  # "All agencies" and the first 200
    assert "452 agencies match" in "\n".join(c.value for c in at.sidebar.caption)
    at.text_input(key="t_agency_search").input("school 42").run()
    assert at.selectbox(key="t_agency").options == [
        "All agencies (partnership figures)", *[f"School {n}" for n in range(420, 430)],
    ]
    at.text_input(key="t_agency_search").input("").run()
    at.selectbox(key="t_agency_sector").set_value("police").run()
    assert at.selectbox(key="t_agency").options == [
        "All agencies (partnership figures)", "Shire Police"]
    at.selectbox(key="t_agency").set_value("POL").run()
    assert at.query_params["agency"] in ("POL", ["POL"])
    assert "scope: Shire Police" in [t.value for t in at.text]


def test_link_to_an_agency_beyond_the_listed_ones_still_selects_it() -> None:
    at = _app(agency="SCH420")
    assert not at.exception
    assert at.selectbox(key="t_agency").value == "SCH420"
    assert "scope: School 420" in [t.value for t in at.text]
    stale = _app(agency="NOPE")
    assert stale.selectbox(key="t_agency").value == ""
