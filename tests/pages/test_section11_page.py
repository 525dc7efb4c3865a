"""AppTest: the Section 11 QA view for every role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from tests.assurance_seed import seed
from tests.pages.signed_in import signed_in_app


def open_page(role: str) -> AppTest:
    return signed_in_app("section11", role, timeout=60).run()


@pytest.fixture
def seeded(sqlite_store, use_store):
    use_store(sqlite_store)
    return sqlite_store, seed(sqlite_store)


@pytest.mark.parametrize("role", ["executive", "qa_officer", "admin"])
def test_matrix_sectors_missing_and_detail(seeded, role: str) -> None:
    at = open_page(role)
    assert not at.exception
    assert [h.value for h in at.header] == [
        "Agencies and standards", "Share of standards rated green, by sector",
        "Agencies that have not returned", "An agency's return"]
    matrix = at.dataframe[0].value
    if hasattr(matrix, "data"):  # a Styler
        matrix = matrix.data
    council = matrix.set_index("Agency").loc["Borough Council"]
    # Each cell carries its rating in words, not only a colour.
    assert council["S1 Senior lead for safeguarding"] == "✔ Green ↑"
    assert council["S2 Clear line of accountability"] == "▲ Amber ↓"
    assert council["S3 Listening to children"] == "✖ Red ="
    text = "\n".join(m.value for m in at.markdown)
    assert "Police: 100.0% green (3 of 3)" in text
    assert "**1** active agencies have not returned" in text
    missing = at.dataframe[2].value
    assert list(missing["Agency"]) == ["Northfield School"]


def test_agency_detail_shows_evidence_and_actions(seeded) -> None:
    _, ids = seeded
    at = open_page("qa_officer")
    at.selectbox(key="s11_agency").set_value(ids.council).run()
    assert not at.exception
    detail = at.dataframe[-1].value
    assert list(detail["Evidence summary"])[1] == "Borough Council evidence for standard 2"
    assert list(detail["Improvement action"])[1] == "Borough Council will improve standard 2"
    assert list(detail["Change since last cycle"]) == ["↑ improved", "↓ declined", "= same"]


def test_first_cycle_has_nothing_to_compare(seeded) -> None:
    _, ids = seeded
    at = open_page("executive")
    at.selectbox(key="s11_cycle").set_value(ids.old_cycle).run()
    assert not at.exception
    assert "no earlier cycle to compare with" in "\n".join(m.value for m in at.markdown)


def test_youth_member_is_refused(seeded) -> None:
    at = open_page("youth_council")
    assert at.error and "does not have access" in at.error[0].value
    assert not at.dataframe


def test_empty_store_renders(sqlite_store, use_store) -> None:
    use_store(sqlite_store)
    at = open_page("admin")
    assert not at.exception
    assert "No Section 11 cycle has been recorded yet" in at.info[0].value


def test_sector_choice_narrows_the_matrix_and_the_agency_list(seeded) -> None:
    _, ids = seeded
    at = open_page("qa_officer")
    at.selectbox(key="s11_sector").set_value("police").run()
    assert not at.exception
    matrix = at.dataframe[0].value
    if hasattr(matrix, "data"):
        matrix = matrix.data
    assert list(matrix["Agency"]) == ["County Police"]
    assert at.selectbox(key="s11_agency").options == ["County Police"]


def test_all_sectors_lists_at_most_the_bound_of_agencies_with_a_search(seeded) -> None:
    from dashboard.components.filters import MAX_AGENCY_OPTIONS
    from tests.pages.many_agencies import CLUBS, add_clubs, club_name

    engine, ids = seeded
    add_clubs(engine, ids.new_cycle)
    at = open_page("qa_officer")
    assert not at.exception
    agency = at.selectbox(key="s11_agency")
    assert len(agency.options) == MAX_AGENCY_OPTIONS  # of the CLUBS + 3 that returned
    assert f"{CLUBS + 3:,} agencies match; the first {MAX_AGENCY_OPTIONS} are listed" in (
        "\n".join(c.value for c in at.caption))
    assert agency.value == ids.council  # the first, chosen when the page opened
    at.text_input(key="s11_agency_search").input("club 25").run()
    assert not at.exception
    # The matches, after the agency already chosen (kept, so the choice never jumps).
    assert at.selectbox(key="s11_agency").options == [
        "Borough Council", *[club_name(n) for n in range(250, 260)]]
    with engine.connect() as connection:
        club = connection.scalar(sa.text("SELECT id FROM agency WHERE code = 'VC257'"))
    at.selectbox(key="s11_agency").set_value(club).run()
    assert f"**{club_name(257)}** rated itself Green on 1" in "\n".join(
        m.value for m in at.markdown)
    # The chosen agency stays chosen while the search changes.
    at.text_input(key="s11_agency_search").input("police").run()
    assert at.selectbox(key="s11_agency").options == [club_name(257), "County Police"]
    assert f"**{club_name(257)}**" in "\n".join(m.value for m in at.markdown)
    # A sector with few agencies lists them all, without a search box.
    at.selectbox(key="s11_sector").set_value("police").run()
    assert at.selectbox(key="s11_agency").options == ["County Police"]
    assert not [t for t in at.text_input if t.key == "s11_agency_search"]
