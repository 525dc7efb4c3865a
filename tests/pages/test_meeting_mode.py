"""AppTest: meeting mode for every role; Next / Previous step through screens kept in the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_access import catalogue
from data_access.indicators import periods_with_data
from data_access.periods import period_label
from tests.support.signed_in import signed_in_app

ALLOWED = ["executive", "qa_officer", "admin"]
THEMES = catalogue.themes()
TOTAL = len(THEMES) + 1


def open_page(role: str, **params: str) -> AppTest:
    return signed_in_app("meeting_mode", role, query=params).run()


def position(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "meeting-position" in m.value)


@pytest.mark.parametrize("role", ALLOWED)
def test_board_roles_open_the_overview_screen(sample_store, use_store, role: str) -> None:
    use_store(sample_store)
    at = open_page(role)
    assert not at.exception
    assert f"Overview (1 of {TOTAL})" in position(at)
    assert at.button(key="meeting_prev_top").disabled
    assert not at.button(key="meeting_next_top").disabled
    latest = str(periods_with_data(engine=sample_store)["code"].iloc[-1])
    assert at.query_params["quarter"] == latest and at.query_params["screen"] == "1"
    # The quarter in words: "Q2 2025-26 (July to September 2025)".
    assert any(period_label(latest) in t.value for t in at.title)
    # The meeting style hides the sidebar.
    assert any("stSidebar" in h.proto.body for h in at.get("html"))


def test_youth_member_is_refused(sample_store, use_store) -> None:
    use_store(sample_store)
    at = open_page("youth_council")
    assert not at.exception
    assert at.error and "does not have access" in at.error[0].value
    assert not at.button


def test_next_steps_through_every_theme_and_previous_goes_back(sample_store, use_store) -> None:
    use_store(sample_store)
    at = open_page("executive")
    for number, theme in enumerate(THEMES, start=2):
        at.button(key="meeting_next_top").click().run()
        assert not at.exception
        assert at.query_params["screen"] == str(number)
        assert f"Theme {number} of {TOTAL}: {theme.name}" in position(at)
        assert at.title[0].value == theme.name
        assert len(at.get("vega_lite_chart")) >= 2
    assert at.button(key="meeting_next_top").disabled
    at.button(key="meeting_prev_bottom").click().run()
    assert at.query_params["screen"] == str(TOTAL - 1)
    assert at.title[0].value == THEMES[-2].name


def test_a_link_opens_the_same_screen_and_quarter(sample_store, use_store) -> None:
    use_store(sample_store)
    quarter = str(periods_with_data(engine=sample_store)["code"].iloc[-3])
    at = open_page("qa_officer", screen="3", quarter=quarter)
    assert not at.exception
    assert at.title[0].value == THEMES[1].name
    assert at.query_params["quarter"] == quarter


@pytest.mark.parametrize("bad", ["0", "99", "three"])
def test_a_bad_screen_number_is_clamped_not_an_error(sample_store, use_store, bad: str) -> None:
    use_store(sample_store)
    at = open_page("admin", screen=bad)
    assert not at.exception
    assert at.query_params["screen"] in ("1", str(TOTAL))


@pytest.mark.parametrize("role", ALLOWED)
def test_empty_store_explains(store, use_store, role: str) -> None:
    use_store(store)
    at = open_page(role)
    assert not at.exception
    assert "nothing to present" in at.info[0].value


def test_every_screen_explains_its_statistical_terms(sample_store, use_store) -> None:
    """Issue 14 item 8: "special cause", "hit and miss", "pp" are explained beside them."""
    from dashboard.metrics import glossary

    use_store(sample_store)
    for screen in ("1", "3"):
        at = open_page("executive", screen=screen)
        assert not at.exception
        expanders = [e for e in at.expander if e.label == "What these terms mean"]
        assert len(expanders) == 1, screen
        text = "\n".join(str(m.value) for m in expanders[0].markdown)
        for key in ("special_cause", "hit_and_miss", "pp", "stat_neighbours"):
            assert glossary.term(key).meaning in text, (screen, key)


def test_it_opens_on_the_quarter_chosen_on_another_page(sample_store, use_store) -> None:
    """Overview or a theme page at an earlier quarter, then meeting mode from the navigation (no
    quarter in its address): the meeting presents that quarter, not the latest."""
    use_store(sample_store)
    codes = list(periods_with_data(engine=sample_store)["code"])
    chosen = codes[-3]
    at = signed_in_app(
        "meeting_mode", "executive", state={"_period_choice": {"quarter": chosen}}
    ).run()
    assert not at.exception
    assert at.query_params["quarter"] == chosen
    # A quarter picked in the meeting's settings is the one the pages then open on.
    at.selectbox(key="meeting_quarter").set_value(codes[-2]).run()
    at.run()
    assert at.query_params["quarter"] == codes[-2]
    assert at.session_state["_period_choice"]["quarter"] == codes[-2]
