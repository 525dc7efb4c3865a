"""AppTest: the Practice reviews, Risk register and Scrutiny pages (issue 29) for every role on
the sample; the youth council is refused; QA officers record and update, audit-logged, and bad
input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import catalogue, learning, learning_figures
from data_access.audit_log import recent_entries
from data_access.models import CaseReviewAction, Risk
from tests.support.signed_in import signed_in_app

PAGES = {
    "practice_reviews": "Practice reviews",
    "risk_register": "Risk register",
    "scrutiny": "Independent scrutiny and the improvement plan",
}
BOARD = ["executive", "qa_officer", "admin"]


def open_page(key: str, role: str) -> AppTest:
    return signed_in_app(key, role, timeout=90).run()


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


@pytest.mark.parametrize("role", BOARD)
@pytest.mark.parametrize("key", list(PAGES))
def test_board_roles_see_the_sample(sample_store, use_store, key: str, role: str) -> None:
    use_store(sample_store)
    at = open_page(key, role)
    assert not at.exception
    assert at.title[0].value == PAGES[key]
    assert at.dataframe, "the page shows its tables"
    forms = [h for h in headers(at) if h.startswith(("Record", "Update"))]
    assert bool(forms) == (role != "executive")


IMPORTS = {
    "practice_reviews": [
        "Import serious incident notifications and rapid reviews",
        "Import local and national reviews",
        "Import recommendations and actions",
    ],
    "risk_register": ["Import a risk register"],
    "scrutiny": [
        "Import scrutiny and inspection recommendations",
        "Import recommendations and actions",
    ],
}


@pytest.mark.parametrize("role", BOARD)
@pytest.mark.parametrize("key", list(PAGES))
def test_each_page_offers_its_imports_to_staff(
    sample_store, use_store, key: str, role: str
) -> None:
    use_store(sample_store)
    at = open_page(key, role)
    offered = [h for h in headers(at) if h.startswith("Import")]
    assert offered == (IMPORTS[key] if role != "executive" else [])
    uploaders = at.get("file_uploader")
    assert len(uploaders) == len(offered)


@pytest.mark.parametrize("key", list(PAGES))
def test_youth_member_is_refused(sample_store, use_store, key: str) -> None:
    use_store(sample_store)
    at = open_page(key, "youth_council")
    assert not at.exception
    assert at.error and "does not have access" in at.error[0].value
    assert not at.dataframe


def test_practice_reviews_show_every_rapid_review_and_timeliness(sample_store, use_store) -> None:
    use_store(sample_store)
    at = open_page("practice_reviews", "executive")
    reviews = learning.rapid_reviews(engine=sample_store)
    tables = [d.value for d in at.dataframe]
    listed = next(t for t in tables if "Working days to notify" in t.columns)
    assert len(listed) == len(reviews)
    # The timeliness indicators, as the scorecard judges them.
    timeliness = next(t for t in tables if "Quarters running" in t.columns)
    assert list(timeliness["Indicator"]) == [
        catalogue.indicator(code).name for code in learning_figures.CODES
    ]
    met, total = learning.timeliness(engine=sample_store)["rapid_reviews_in_time"]
    assert at.metric[0].value == f"{met} of {total}"


def test_risk_register_heat_map_and_overdue_review(sample_store, use_store) -> None:
    use_store(sample_store)
    at = open_page("risk_register", "executive")
    heat = next(m.value for m in at.markdown if "<table" in m.value)
    assert "Likelihood 5" in heat and "Impact 5" in heat and "R08" in heat
    register = at.dataframe[0].value
    assert register["Review"].str.contains("review overdue").sum() == 1
    assert (register["To the executive"] == "Yes, above 12").sum() == 1


def test_escalation_threshold_is_a_setting(sample_store, use_store, monkeypatch) -> None:
    use_store(sample_store)
    monkeypatch.setenv("RISK_ESCALATION_THRESHOLD", "9")
    at = open_page("risk_register", "executive")
    assert "above 9" in at.caption[0].value
    register = at.dataframe[0].value
    assert (register["To the executive"] == "Yes, above 9").sum() == 3


def _actions(engine: sa.Engine) -> int:
    with engine.connect() as c:
        return int(c.scalar(sa.select(sa.func.count(CaseReviewAction.id))) or 0)


def test_qa_officer_updates_an_action_with_evidence_of_impact(
    writable_sample_store, use_store
) -> None:
    engine = use_store(writable_sample_store)
    at = open_page("practice_reviews", "qa_officer")
    action_id = int(at.selectbox(key="practice_reviews_update_id").value)
    at.selectbox(key="practice_reviews_update_status").set_value("in_progress")
    at.text_area(key="practice_reviews_update_impact").input("Re-audit: 17 of 20")
    at.button(key="practice_reviews_update").click().run()
    assert at.error and "only be recorded for a completed action" in at.error[0].value
    with engine.connect() as c:
        assert c.scalar(
            sa.select(CaseReviewAction.impact_evidence).where(CaseReviewAction.id == action_id)
        ) in (None, "")  # unchanged: the first action shown is overdue, with no impact
    at.selectbox(key="practice_reviews_update_status").set_value("complete")
    at.date_input(key="practice_reviews_update_completed").set_value(dt.date(2026, 11, 2))
    at.date_input(key="practice_reviews_update_impact_on").set_value(dt.date(2026, 12, 1))
    at.text_area(key="practice_reviews_update_completion").input("Procedure issued")
    at.button(key="practice_reviews_update").click().run()
    assert not at.exception and not at.error
    row = learning.actions(engine=engine).set_index("id").loc[action_id]
    assert row["state"] == learning.STATE_IMPACT
    assert recent_entries(engine=engine, limit=1).iloc[0]["event"] == "learning_action_updated"


def test_qa_officer_records_a_scrutiny_recommendation(writable_sample_store, use_store) -> None:
    engine = use_store(writable_sample_store)
    before = _actions(engine)
    at = open_page("scrutiny", "qa_officer")
    at.text_area(key="scrutiny_action_recommendation").input("Hear from fathers.")
    at.text_area(key="scrutiny_action_response").input("Agreed.")
    at.button(key="scrutiny_save").click().run()
    assert at.error and "due date" in at.error[0].value and _actions(engine) == before
    at.date_input(key="scrutiny_action_due").set_value(dt.date(2027, 3, 31))
    at.button(key="scrutiny_save").click().run()
    assert not at.exception and not at.error
    assert _actions(engine) == before + 1
    assert recent_entries(engine=engine, limit=1).iloc[0]["event"] == "learning_action_recorded"


def test_qa_officer_records_a_risk_and_bad_input_changes_nothing(
    writable_sample_store, use_store
) -> None:
    engine = use_store(writable_sample_store)
    at = open_page("risk_register", "qa_officer")
    at.text_input(key="risk_ref").input("R20")
    at.text_input(key="risk_title").input("Winter pressures delay health visits")
    at.button(key="risk_save").click().run()
    assert at.error and "review date" in at.error[0].value
    with engine.connect() as c:
        assert not c.scalar(sa.select(Risk.id).where(Risk.reference == "R20"))
    at.date_input(key="risk_review").set_value(dt.date(2027, 1, 31))
    at.selectbox(key="risk_l").set_value(5)
    at.selectbox(key="risk_i").set_value(4)
    at.button(key="risk_save").click().run()
    assert not at.exception and not at.error
    register = learning.risks(engine=engine, threshold=12).set_index("reference")
    assert register.loc["R20", "escalated"]
