"""AppTest: the youth council's pages and the QA challenge queue, for every role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import catalogue, challenges
from data_access.db import session_scope
from data_access.models import Agency, S11Rating, S11Return
from tests.support.assurance_seed import seed
from tests.support.signed_in import signed_in_app


def open_page(key: str, role: str) -> AppTest:
    # Tests change the store directly between page runs; a fresh cache sees the change.
    import streamlit as st

    st.cache_data.clear()
    return signed_in_app(key, role, timeout=60).run()


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info]
    parts += [e.value for e in at.error] + [s.value for s in at.success]
    return "\n".join(parts)


@pytest.fixture
def seeded(sqlite_store, use_store):
    use_store(sqlite_store)
    return sqlite_store, seed(sqlite_store)


ACCESS = [
    ("youth_section11", "youth_council", True),
    ("youth_section11", "admin", True),
    ("youth_section11", "executive", False),
    ("youth_section11", "qa_officer", True),
    ("youth_themes", "youth_council", True),
    ("youth_themes", "admin", True),
    ("youth_themes", "executive", False),
    ("youth_themes", "qa_officer", True),
    ("youth_texts", "qa_officer", True),
    ("youth_texts", "admin", True),
    ("youth_texts", "youth_council", False),
    ("youth_texts", "executive", False),
    ("youth_challenges", "qa_officer", True),
    ("youth_challenges", "admin", True),
    ("youth_challenges", "youth_council", False),
    ("youth_challenges", "executive", False),
]


@pytest.mark.parametrize(("key", "role", "allowed"), ACCESS)
def test_access_by_role(seeded, key: str, role: str, allowed: bool) -> None:
    engine, ids = seeded
    # Something in the queue, so the QA page renders its form too.
    challenges.create_challenge(
        engine=engine,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[1],
        kind="question",
        text="Who?",
    )
    at = open_page(key, role)
    assert not at.exception
    refused = bool(at.error) and "does not have access" in at.error[0].value
    assert refused == (not allowed)
    if allowed:
        assert len(at.title) == 1
    else:
        assert not at.header and not at.table and not at.dataframe


@pytest.mark.parametrize(
    "key", ["youth_section11", "youth_themes", "youth_challenges", "youth_texts"]
)
def test_empty_store_renders(sqlite_store, use_store, key: str) -> None:
    use_store(sqlite_store)
    at = open_page(key, "admin")
    assert not at.exception
    assert at.info


def test_youth_section11_names_agencies_and_does_not_suppress_them(seeded) -> None:
    engine, ids = seeded
    at = open_page("youth_section11", "youth_council")
    assert not at.exception
    assert at.title[0].value == "How agencies keep you safe"
    text = text_of(at)
    # Counts of organisations are shown as they are: standard 1 has 2 doing well, 0 partly,
    # 1 needing to improve (organisations, not children).
    table = next(m.value for m in at.markdown if "<table" in m.value)
    assert (
        '<th scope="row">1. Senior lead for safeguarding</th><td class="num">2</td>'
        '<td class="num">0</td><td class="num">1</td>' in table
    )
    assert ">c<" not in table
    # Each agency by name, with its rating in plain words and the change since last time.
    assert "#### Health Board" in text and "#### County Police" in text
    assert "We think we need to improve" in text
    assert "Since last time:" in text
    assert "Someone at the top of the organisation" in text
    # Only the symbols on the page are explained: the ratings' and 0, not x, z, k or u.
    assert "✖ means the organisation thinks it needs to improve." in text
    assert "0 means none." in text
    assert "x means" not in text and "z means" not in text and "k means" not in text
    assert "u means" not in text and "c means" not in text
    # No sign-off role, staff names or staff text on this page.
    assert "Director" not in text and "qa.demo" not in text


def test_youth_section11_shows_staff_evidence_only_as_an_approved_youth_version(seeded) -> None:
    from data_access import youth_texts
    from data_access.models import S11Rating

    engine, _ = seeded
    with session_scope(engine) as session:
        staff = [r.evidence_summary for r in session.query(S11Rating)]
    text = text_of(open_page("youth_section11", "youth_council"))
    assert not any(e and e in text for e in staff)
    assert "This has not been written in plain words yet." in text
    key = youth_texts.s11_key("2023-25", "ICB", 1)
    text_id = youth_texts.submit_text(
        engine=engine,
        username="qa.demo",
        subject="s11_evidence",
        subject_key=key,
        purpose="What Health Board told us",
        text="They do not have one person in charge yet.",
    )
    assert "They do not have one person in charge yet." not in text_of(
        open_page("youth_section11", "youth_council")
    )
    youth_texts.approve_text(engine=engine, username="admin.demo", text_id=text_id)
    assert "They do not have one person in charge yet." in text_of(
        open_page("youth_section11", "youth_council")
    )


def test_staff_preview_is_read_only_and_logged(seeded) -> None:
    import sqlalchemy as sa

    from data_access.models import AuditLogEntry

    engine, ids = seeded
    at = open_page("youth_section11", "qa_officer")
    assert not at.exception
    assert "Preview" in at.info[0].value
    assert at.button(key="yc_send").disabled
    assert at.text_area(key="yc_text").disabled
    with engine.connect() as connection:
        logged = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.page).where(
                AuditLogEntry.event == "youth_preview"
            )
        ).all()
    assert ("qa.demo", "youth_section11") in [tuple(r) for r in logged]
    themes = open_page("youth_themes", "admin")
    assert not themes.exception and "Preview" in themes.info[0].value


def test_youth_member_files_a_challenge_and_sees_the_answer(seeded) -> None:
    engine, ids = seeded
    at = open_page("youth_section11", "youth_council")
    at.selectbox(key="yc_agency").set_value(ids.police)
    at.selectbox(key="yc_standard").set_value(ids.standard_ids[3])
    at.radio(key="yc_kind").set_value("evidence_request")
    at.text_area(key="yc_text").input("Show us how children changed your services.")
    at.button(key="yc_send").click().run()
    assert not at.exception
    assert "Your challenge has been sent" in at.success[0].value
    assert challenges.challenge_count(engine=engine) == 1
    assert "To County Police: standard 3, Listening to children" in [s.value for s in at.subheader]

    qa = open_page("youth_challenges", "qa_officer")
    assert "Show us how children changed" in qa.dataframe[0].value["Challenge"].iloc[0]
    qa.text_area(key="yq_text").input("Our youth panel reviewed the new leaflet.")
    qa.radio(key="yq_status").set_value("answered")
    qa.button(key="yq_save").click().run()
    assert not qa.exception
    assert "now answered" in qa.success[0].value

    again = open_page("youth_section11", "youth_council")
    text = text_of(again)
    assert "Answer from County Police" in text
    assert "Our youth panel reviewed the new leaflet." in text
    assert "**Status:** Answered" in text
    assert "qa.demo" not in text  # staff are not named on the youth page


@pytest.mark.parametrize(
    ("agency_gone", "text", "message"),
    [
        (False, "", "Please write your challenge"),
        (False, "   ", "Please write your challenge"),
        (False, "a" * 2001, "2,000 characters or fewer"),
        (True, "Who is in charge?", "not one we know"),
    ],
)
def test_invalid_challenge_shows_a_message_and_saves_nothing(
    seeded, agency_gone: bool, text: str, message: str
) -> None:
    engine, ids = seeded
    at = open_page("youth_section11", "youth_council")
    at.selectbox(key="yc_agency").set_value(ids.police)
    if agency_gone:
        # The agency was in the list when the form opened but has since been closed down, so
        # it no longer exists as an agency that can be challenged (a stale form).
        with session_scope(engine) as session:
            session.get(Agency, ids.police).active = False
    at.text_area(key="yc_text").input(text)
    at.button(key="yc_send").click().run()
    assert not at.exception
    assert at.error and message in at.error[0].value
    assert "was not sent" in at.error[0].value
    assert challenges.challenge_count(engine=engine) == 0


@pytest.mark.parametrize(
    ("text", "message"), [("", "Enter the agency's response"), ("r" * 4001, "the limit is 4,000")]
)
def test_invalid_response_shows_a_message_and_saves_nothing(seeded, text, message) -> None:
    engine, ids = seeded
    challenges.create_challenge(
        engine=engine,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[1],
        kind="question",
        text="Who?",
    )
    at = open_page("youth_challenges", "admin")
    at.text_area(key="yq_text").input(text)
    at.button(key="yq_save").click().run()
    assert not at.exception
    assert message in at.error[0].value and "Nothing was saved" in at.error[0].value
    assert challenges.response_count(engine=engine) == 0


def test_qa_queue_filters_by_status(seeded) -> None:
    engine, ids = seeded
    first = challenges.create_challenge(
        engine=engine,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[1],
        kind="question",
        text="First",
    )
    challenges.create_challenge(
        engine=engine,
        username="youth.demo",
        agency_id=ids.council,
        standard_id=ids.standard_ids[2],
        kind="question",
        text="Second",
    )
    challenges.record_response(
        engine=engine, username="qa.demo", challenge_id=first, text="Answer", status="escalated"
    )
    at = open_page("youth_challenges", "qa_officer")
    assert list(at.dataframe[0].value["Challenge"]) == ["Second"]
    at.selectbox(key="yq_filter").set_value("escalated").run()
    assert list(at.dataframe[0].value["Challenge"]) == ["First"]
    assert "Responses so far" in [s.value for s in at.subheader]
    at.selectbox(key="yq_filter").set_value("accepted").run()
    assert "No challenges here" in at.info[0].value


def test_youth_themes_shows_every_theme_in_plain_words(seeded) -> None:
    at = open_page("youth_themes", "youth_council")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert headers[:5] == [t.name for t in catalogue.themes()]
    # No figures in this store, so no symbols and no legend.
    assert "What the symbols mean" not in headers


def test_youth_themes_figures_are_suppressed_and_summaries_shown(seeded) -> None:
    import datetime as dt

    import sqlalchemy as sa

    from data_access.assurance import save_assurance_summary
    from data_access.models import Indicator, IndicatorValue
    from data_access.periods import Quarter
    from data_access.reference import ensure_periods

    engine, _ = seeded
    quarter = Quarter(2024, 3)
    with session_scope(engine) as session:
        period_id = ensure_periods(session, [quarter])[quarter.code]
        codes = {i.code: i.id for i in session.scalars(sa.select(Indicator))}
        session.add_all(
            [
                IndicatorValue(
                    indicator_id=codes["NEG_GCP2_COMPLETED"], period_id=period_id, value=3
                ),
                IndicatorValue(
                    indicator_id=codes["EH_OPEN_ASSESSMENTS"], period_id=period_id, value=822
                ),
                IndicatorValue(
                    indicator_id=codes["EH_OUTCOMES_ACHIEVED"],
                    period_id=period_id,
                    value=71.26,
                    numerator=300,
                    denominator=421,
                ),
                IndicatorValue(
                    indicator_id=codes["MASH_CONTACTS"], period_id=period_id, status_symbol="x"
                ),
            ]
        )
        save_assurance_summary(
            session,
            "early_help",
            quarter.code,
            "Early Help Strategic Group",
            dt.date(2024, 11, 20),
            "qa.demo",
            {
                "working_well": ["More schools lead early help"],
                "not_working_well": ["Waiting lists are long"],
                "next_steps": ["Train more school staff"],
            },
        )
    at = open_page("youth_themes", "youth_council")
    assert not at.exception
    text = text_of(at)
    assert "- **c**: How many times staff used a special checklist" in text
    assert "- **822**: How many families are getting early help" in text
    assert "- **71.3%**: Out of the families" in text
    assert "- **x**: How many times someone got in touch" in text
    # The staff summary never reaches young people; only an approved youth version does.
    assert "More schools lead early help" not in text
    assert "The partnership has not written this in plain words yet." in text
    from data_access import youth_texts

    key = youth_texts.theme_point_key("early_help", quarter.code, "working_well")
    text_id = youth_texts.submit_text(
        engine=engine,
        username="qa.demo",
        subject="theme_point",
        subject_key=key,
        purpose="Early help: what is going well",
        text="More schools now lead the help a family gets.\nFamilies get help sooner.",
    )
    assert "More schools now lead" not in text_of(open_page("youth_themes", "youth_council"))
    youth_texts.approve_text(engine=engine, username="admin.demo", text_id=text_id)
    at = open_page("youth_themes", "youth_council")
    text = text_of(at)
    assert "<li>More schools now lead the help a family gets.</li>" in text
    assert "<li>Families get help sooner.</li>" in text
    assert "qa.demo" not in text and "admin.demo" not in text  # staff are not named here
    # The legend explains c and x, which the page shows, and nothing else.
    assert "c means the number is hidden" in text and "x means we do not have" in text
    assert "z means" not in text and "u means" not in text
    # The quarter picker speaks in months, not quarter codes.
    assert at.selectbox(key="yt_period").options == ["October to December 2024"]
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:4] == [
        "Some of the numbers",
        "What is going well",
        "What is not going well yet",
        "What happens next",
    ]


def test_youth_themes_hide_a_percentage_built_on_a_small_count(sqlite_store, use_store) -> None:
    """75% of 4 contacts would reveal that 3 children were involved, so it shows as c."""
    from data_access.models import Indicator, IndicatorValue
    from data_access.periods import Quarter
    from data_access.reference import ensure_periods

    use_store(sqlite_store)
    with session_scope(sqlite_store) as session:
        period_id = ensure_periods(session, [Quarter(2024, 1)])["2024-25 Q1"]
        small, large = (
            session.query(Indicator).filter_by(code=code).one()
            for code in ("MASH_DECISION_1WD", "EH_OUTCOMES_ACHIEVED")
        )
        session.add_all(
            [
                IndicatorValue(
                    indicator_id=small.id,
                    period_id=period_id,
                    value=75.0,
                    numerator=3,
                    denominator=4,
                ),
                IndicatorValue(
                    indicator_id=large.id,
                    period_id=period_id,
                    value=62.5,
                    numerator=50,
                    denominator=80,
                ),
            ]
        )
    text = text_of(open_page("youth_themes", "youth_council"))
    small_spec = catalogue.indicator("MASH_DECISION_1WD")
    large_spec = catalogue.indicator("EH_OUTCOMES_ACHIEVED")
    assert f"**c**: {small_spec.youth}" in text
    assert "75.0" not in text
    assert f"**62.5%**: {large_spec.youth}" in text


def test_youth_themes_hide_a_percentage_with_a_small_complement(sqlite_store, use_store) -> None:
    """12 of 13 (92.3%) tells the reader that exactly 1 young person was left out: hidden."""
    from data_access.models import Indicator, IndicatorValue
    from data_access.periods import Quarter
    from data_access.reference import ensure_periods

    use_store(sqlite_store)
    with session_scope(sqlite_store) as session:
        period_id = ensure_periods(session, [Quarter(2024, 1)])["2024-25 Q1"]
        spec = session.query(Indicator).filter_by(code="EH_OUTCOMES_ACHIEVED").one()
        session.add(
            IndicatorValue(
                indicator_id=spec.id, period_id=period_id, value=92.3, numerator=12, denominator=13
            )
        )
    text = text_of(open_page("youth_themes", "youth_council"))
    assert "92.3" not in text
    assert f"**c**: {catalogue.indicator('EH_OUTCOMES_ACHIEVED').youth}" in text


def test_overdue_challenge_flagged_to_staff_with_its_age(seeded) -> None:
    import datetime as dt

    import sqlalchemy as sa

    from data_access.models import YouthChallenge

    engine, ids = seeded
    old = challenges.create_challenge(
        engine=engine,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[1],
        kind="question",
        text="Sent long ago",
    )
    with engine.begin() as connection:
        connection.execute(
            sa.update(YouthChallenge)
            .where(YouthChallenge.id == old)
            .values(created_at=dt.datetime.now() - dt.timedelta(days=400))
        )
    qa = open_page("youth_challenges", "qa_officer")
    assert not qa.exception
    warning = qa.warning[0].value
    assert "1 youth council challenge is past the 28-day deadline" in warning
    assert "County Police, standard 1" in warning and "waiting 1 year and 1 month" in warning
    assert qa.dataframe[0].value["Past deadline"].iloc[0] == "Yes"
    youth_page = text_of(open_page("youth_section11", "youth_council"))
    assert "It has been waiting for 1 year and 1 month." in youth_page


def test_youth_texts_page_second_person_approves(seeded) -> None:
    engine, _ = seeded
    from data_access import youth_texts

    at = open_page("youth_texts", "qa_officer")
    assert not at.exception
    assert youth_texts.WHO_READS in at.info[0].value
    at.radio(key="yt_subject").set_value("s11_evidence").run()
    at.text_area(key="yt_text").input("Learning from Child Q (aged 14) was shared at panel.")
    at.button(key="yt_save").click().run()
    assert "Not saved yet" in at.error[0].value
    assert any("Child Q" in w.value for w in at.warning)
    assert youth_texts.list_texts(engine=engine).empty
    at.text_area(key="yt_text").input("Schools now lead more of the help families get.")
    at.button(key="yt_save").click().run()
    assert not at.exception
    waiting = youth_texts.list_texts(engine=engine)
    assert list(waiting["status"]) == ["waiting"]
    text_id = int(waiting["id"].iloc[0])
    # The author cannot approve their own text.
    assert at.button(key=f"yt_approve_{text_id}").disabled
    admin = open_page("youth_texts", "admin")
    admin.button(key=f"yt_approve_{text_id}").click().run()
    assert not admin.exception
    assert youth_texts.list_texts(engine=engine).iloc[0]["status"] == "approved"


def test_overdue_challenge_flagged_on_the_overview(seeded) -> None:
    import datetime as dt

    import sqlalchemy as sa

    from data_access.models import YouthChallenge

    engine, ids = seeded
    old = challenges.create_challenge(
        engine=engine,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[2],
        kind="question",
        text="Sent long ago",
    )
    with engine.begin() as connection:
        connection.execute(
            sa.update(YouthChallenge)
            .where(YouthChallenge.id == old)
            .values(created_at=dt.datetime.now() - dt.timedelta(days=45))
        )
    at = open_page("overview", "qa_officer")
    assert not at.exception
    warning = at.warning[0].value
    assert "past the 28-day deadline" in warning and "waiting 6 weeks" in warning


def test_youth_section11_shows_many_organisations_a_page_at_a_time(seeded) -> None:
    from dashboard.components import youth

    engine, ids = seeded
    with session_scope(engine) as session:
        council = session.get(Agency, ids.council)
        original = session.scalars(
            sa.select(S11Return).where(
                S11Return.agency_id == council.id, S11Return.cycle_id == ids.new_cycle
            )
        ).one()
        ratings = session.scalars(
            sa.select(S11Rating).where(S11Rating.return_id == original.id)
        ).all()
        for number in range(30):
            agency = Agency(
                code=f"VC{number:02d}",
                name=f"Village Club {number:02d}",
                sector="voluntary",
                agency_type="relevant_agency",
            )
            session.add(agency)
            session.flush()
            copy = S11Return(
                agency_id=agency.id, cycle_id=ids.new_cycle, submitted_on=original.submitted_on
            )
            session.add(copy)
            session.flush()
            for rating in ratings:
                session.add(
                    S11Rating(
                        return_id=copy.id,
                        standard_id=rating.standard_id,
                        rating=rating.rating,
                        evidence_summary=rating.evidence_summary,
                    )
                )
    at = open_page("youth_section11", "youth_council")
    assert not at.exception
    pages = next(s for s in at.selectbox if s.key.startswith("ys_card_page"))
    # The seeded organisations and 30 clubs: more than one page, fewer than three.
    assert len(pages.options) == 2
    first = [h.value for h in at.markdown if h.value.startswith("#### ")]
    assert len(first) == youth.CARDS_PER_PAGE
    pages.select_index(1).run()
    assert not at.exception
    rest = [h.value for h in at.markdown if h.value.startswith("#### ")]
    assert 0 < len(rest) <= youth.CARDS_PER_PAGE and not set(rest) & set(first)
    assert "#### Village Club 29" in rest


def test_the_challenge_form_lists_a_bounded_number_of_organisations(seeded) -> None:
    from dashboard.components.filters import MAX_AGENCY_OPTIONS
    from tests.support.many_agencies import CLUBS, add_clubs, club_name

    engine, ids = seeded
    add_clubs(engine, ids.new_cycle)
    at = open_page("youth_section11", "youth_council")
    assert not at.exception
    assert len(at.selectbox(key="yc_agency").options) == MAX_AGENCY_OPTIONS
    # The four active seeded agencies and the clubs.
    assert f"{CLUBS + 4:,} organisations match" in "\n".join(c.value for c in at.caption)
    at.selectbox(key="yc_agency_sector").set_value("voluntary").run()
    assert not at.exception
    assert len(at.selectbox(key="yc_agency").options) == MAX_AGENCY_OPTIONS
    at.text_input(key="yc_agency_search").input("Club 123").run()
    assert not at.exception
    club = at.selectbox(key="yc_agency")
    # Only the match: the form opens with no organisation chosen (issue 26), so there is no
    # earlier choice to keep in the list.
    assert club.options == [club_name(123)]
    with engine.connect() as connection:
        club_id = connection.scalar(sa.text("SELECT id FROM agency WHERE code = 'VC123'"))
    club.set_value(club_id)
    at.selectbox(key="yc_standard").set_value(ids.standard_ids[3])
    at.text_area(key="yc_text").input("How do you listen to children at the club?")
    at.button(key="yc_send").click().run()
    assert not at.exception
    assert "Your challenge has been sent" in at.success[0].value
    sent = challenges.list_challenges(engine=engine)
    assert list(sent["agency"]) == [club_name(123)]
    # A police choice in another sector: the list is narrowed to it, no search box needed.
    at.selectbox(key="yc_agency_sector").set_value("police").run()
    assert at.selectbox(key="yc_agency").options == [club_name(123), "County Police"]


def test_a_small_partnership_sees_every_organisation_without_narrowing(seeded) -> None:
    at = open_page("youth_section11", "youth_council")
    assert not at.exception
    assert len(at.selectbox(key="yc_agency").options) == 4  # the active seeded agencies
    assert not [s for s in at.selectbox if s.key == "yc_agency_sector"]
    assert not [t for t in at.text_input if t.key == "yc_agency_search"]


def test_youth_texts_page_finds_an_organisation_among_many(seeded) -> None:
    """Hundreds of organisations: the store sends at most MAX_AGENCY_OPTIONS of them, a search
    finds the rest (closed ones too: their past returns still need words), and the text young
    people see now is the chosen organisation's."""
    from dashboard.components.filters import MAX_AGENCY_OPTIONS
    from data_access import youth_texts
    from tests.support.many_agencies import CLUBS, add_clubs, club_name

    engine, ids = seeded
    add_clubs(engine, ids.new_cycle)
    key = youth_texts.s11_key("2023-25", "VC123", 1)
    text_id = youth_texts.submit_text(
        engine=engine,
        username="qa.demo",
        subject="s11_evidence",
        subject_key=key,
        purpose="What Village Club 123 told us",
        text="Coaches learn how to keep you safe.",
    )
    youth_texts.approve_text(engine=engine, username="admin.demo", text_id=text_id)
    at = open_page("youth_texts", "qa_officer")
    at.radio(key="yt_subject").set_value("s11_evidence").run()
    assert not at.exception
    assert len(at.selectbox(key="yt_agency").options) == MAX_AGENCY_OPTIONS
    # Every organisation counts here, the closed charity included.
    assert f"{CLUBS + 5:,} organisations match" in "\n".join(c.value for c in at.caption)
    at.text_input(key="yt_agency_search").input("club 123").run()
    assert not at.exception
    organisation = at.selectbox(key="yt_agency")
    assert club_name(123) in organisation.options
    with engine.connect() as connection:
        club = connection.scalar(sa.text("SELECT id FROM agency WHERE code = 'VC123'"))
    organisation.set_value(club).run()
    assert not at.exception
    assert "Coaches learn how to keep you safe." in [t.value for t in at.text]
    at.text_input(key="yt_agency_search").input("closed charity").run()
    assert "Closed Charity" in at.selectbox(key="yt_agency").options
    at.text_input(key="yt_agency_search").input("nothing like this").run()
    assert not at.exception
    assert "No organisation matches that search." in "\n".join(c.value for c in at.caption)


# --- Issue 26 item 8: the form is reachable from each card, and nothing is chosen for the sender --


def test_no_organisation_or_standard_is_chosen_for_the_sender(seeded) -> None:
    engine, ids = seeded
    at = open_page("youth_section11", "youth_council")
    assert not at.exception
    agency, standard = at.selectbox(key="yc_agency"), at.selectbox(key="yc_standard")
    assert agency.value is None and agency.placeholder == "Choose an organisation"
    assert standard.value is None and standard.placeholder == "Choose a standard"
    # Sending without choosing: a clear message for each choice, and nothing saved.
    at.text_area(key="yc_text").input("Who checks that staff are trained?")
    at.button(key="yc_send").click().run()
    assert not at.exception
    error = at.error[0].value
    assert "was not sent" in error
    assert "Choose which organisation your challenge is for." in error
    assert "Choose which standard your challenge is about." in error
    assert challenges.challenge_count(engine=engine) == 0


def test_a_challenge_is_sent_from_an_organisations_card(seeded) -> None:
    engine, ids = seeded
    at = open_page("youth_section11", "youth_council")
    standard = at.selectbox(key="ys_standard").value  # the cards' standard (the first)
    card_buttons = [b for b in at.button if (b.key or "").startswith("yc_card_")]
    police = next(b for b in card_buttons if b.label == "Challenge County Police")
    # One button per organisation's card, each naming its organisation; no form open yet.
    assert len({b.label for b in card_buttons}) == len(card_buttons) >= 2
    assert not [t for t in at.text_area if t.key == "ycc_text"]
    police.click().run()
    assert not at.exception
    form_heading = next(m.value for m in at.markdown if "Your challenge to" in m.value)
    assert "County Police" in form_heading
    at.radio(key="ycc_kind").set_value("question")
    at.text_area(key="ycc_text").input("How do you listen to children?")
    at.button(key="ycc_send").click().run()
    assert not at.exception
    assert any("Your challenge to County Police has been sent" in s.value for s in at.success)
    with engine.connect() as connection:
        saved = connection.execute(
            sa.text("SELECT agency_id, standard_id, text FROM youth_challenge")
        ).all()
    assert [tuple(r) for r in saved] == [(ids.police, standard, "How do you listen to children?")]
    # The form has closed; the card shows its button again.
    assert not [t for t in at.text_area if t.key == "ycc_text"]


def test_a_cards_form_can_be_closed_without_sending(seeded) -> None:
    engine, ids = seeded
    at = open_page("youth_section11", "youth_council")
    next(b for b in at.button if b.label == "Challenge County Police").click().run()
    assert [t for t in at.text_area if t.key == "ycc_text"]
    at.button(key="ycc_close").click().run()
    assert not [t for t in at.text_area if t.key == "ycc_text"]
    assert challenges.challenge_count(engine=engine) == 0


def test_staff_preview_cannot_open_a_cards_form(seeded) -> None:
    at = open_page("youth_section11", "qa_officer")
    buttons = [b for b in at.button if (b.key or "").startswith("yc_card_")]
    assert buttons and all(b.disabled for b in buttons)
