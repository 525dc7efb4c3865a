"""AppTest: the Section 11 QA view for every role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from tests.support.assurance_seed import seed
from tests.support.signed_in import signed_in_app


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
        "Agencies and standards",
        "Share of standards rated green, by sector",
        "Agencies that have not returned",
        "An agency's return",
    ]
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
    # One agency: singular throughout (issue 26: "1 active agencies ... 1 of them are late").
    assert "**1 active agency** has not returned" in text
    assert "agencies have not" not in text and "of them are late" not in text
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


def _matrix_agencies(at: AppTest) -> list[str]:
    matrix = at.dataframe[0].value
    if hasattr(matrix, "data"):
        matrix = matrix.data
    return list(matrix["Agency"])


def test_many_agencies_come_a_page_at_a_time_with_a_search(seeded) -> None:
    from dashboard.views.section11 import AGENCIES_PER_PAGE
    from tests.support.many_agencies import CLUBS, add_clubs, club_name

    engine, ids = seeded
    add_clubs(engine, ids.new_cycle)
    returned = CLUBS + 3
    pages = -(-returned // AGENCIES_PER_PAGE)
    at = open_page("qa_officer")
    assert not at.exception
    # One page of agencies in name order, the matrix and the choice of agency alike.
    first_page = [
        "Borough Council",
        "County Police",
        "Health Board",
        *[club_name(n) for n in range(AGENCIES_PER_PAGE - 3)],
    ]
    assert _matrix_agencies(at) == first_page
    assert at.selectbox(key="s11_agency").options == first_page
    assert at.selectbox(key="s11_agency").value == ids.council
    page = next(s for s in at.selectbox if s.label == "Page")
    assert page.options == [
        f"Page {n} of {pages} (agencies {(n - 1) * AGENCIES_PER_PAGE + 1:,} to "
        f"{min(n * AGENCIES_PER_PAGE, returned):,})"
        for n in range(1, pages + 1)
    ]
    captions = "\n".join(c.value for c in at.caption)
    assert f"Agencies 1 to {AGENCIES_PER_PAGE} of {returned}, A to Z by name" in captions
    # The last page holds the rest.
    page.set_value(pages).run()
    assert not at.exception
    last = [club_name(n) for n in range(AGENCIES_PER_PAGE * (pages - 1) - 3, CLUBS)]
    assert _matrix_agencies(at) == last
    assert at.selectbox(key="s11_agency").options == last
    # A search narrows to one page (and starts again at its first), any case, name or code.
    at.text_input(key="s11_search").input("CLUB 25").run()
    assert not at.exception
    assert _matrix_agencies(at) == [club_name(n) for n in range(250, 260)]
    assert not [s for s in at.selectbox if s.label == "Page"]
    with engine.connect() as connection:
        club = connection.scalar(sa.text("SELECT id FROM agency WHERE code = 'VC257'"))
    at.selectbox(key="s11_agency").set_value(club).run()
    assert f"**{club_name(257)}** rated itself Green on 1" in "\n".join(
        m.value for m in at.markdown
    )
    at.text_input(key="s11_search").input("vc007").run()
    assert _matrix_agencies(at) == [club_name(7)]
    # Nothing matches: said in words, and the other sections still show.
    at.text_input(key="s11_search").input("no such 100%_").run()
    assert not at.exception
    assert any("No agency that returned matches that search" in i.value for i in at.info)
    assert "Agencies that have not returned" in [h.value for h in at.header]
    # A sector with few agencies: one page, no page choice.
    at.text_input(key="s11_search").input("").run()
    at.selectbox(key="s11_sector").set_value("police").run()
    assert _matrix_agencies(at) == ["County Police"]
    assert not [s for s in at.selectbox if s.label == "Page"]


def test_the_matrix_download_is_made_on_click_and_written_to_the_audit_log(
    seeded, monkeypatch
) -> None:
    import io

    import pandas as pd
    import streamlit

    from data_access.models import AuditLogEntry

    engine, _ = seeded
    buttons = {}
    real = streamlit.download_button

    def keep(label, data, *args, **kwargs):
        buttons[kwargs["key"]] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", keep)
    at = open_page("qa_officer")
    assert not at.exception
    make = buttons["dl_s11_matrix"]
    assert callable(make), "the file is made when the button is pressed, not on every run"

    def exports() -> list[tuple[str, str, str]]:
        with engine.connect() as connection:
            return [
                tuple(r)
                for r in connection.execute(
                    sa.select(
                        AuditLogEntry.username, AuditLogEntry.page, AuditLogEntry.detail
                    ).where(AuditLogEntry.event == "export")
                )
            ]

    assert exports() == []  # drawing the button is not a download
    matrix = pd.read_csv(io.BytesIO(make()), encoding="utf-8-sig")
    assert set(matrix["Agency"]) == {"Borough Council", "County Police", "Health Board"}
    assert exports() == [
        ("qa.demo", "section11", f"section11-2023-25.csv: matrix, {len(matrix):,} rows")
    ]


@pytest.mark.parametrize(
    ("role", "offered"), [("qa_officer", True), ("admin", True), ("executive", False)]
)
def test_returns_import_is_offered_to_staff_only(seeded, role: str, offered: bool) -> None:
    at = open_page(role)
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert ("Load returns from a spreadsheet" in labels) is offered
    assert bool(at.get("file_uploader")) is offered
