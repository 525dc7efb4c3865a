"""AppTest: the decisions and actions log for every role; the QA form validates and audit-logs."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import meetings
from data_access.audit_log import recent_entries
from data_access.models import MeetingDecision
from tests.support.signed_in import signed_in_app

ALLOWED = ["executive", "qa_officer", "admin"]


def open_page(role: str) -> AppTest:
    return signed_in_app("decisions", role, timeout=60).run()


def count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count(MeetingDecision.id))).scalar_one())


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [e.value for e in at.error]
    parts += [s.value for s in at.success]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("role", ALLOWED)
def test_board_roles_see_the_sample_log(sample_store, use_store, role: str) -> None:
    use_store(sample_store)
    at = open_page(role)
    assert not at.exception
    assert at.title[0].value == "Decisions and actions"
    assert len(at.dataframe[0].value) == len(meetings.list_decisions(engine=sample_store))
    headers = [h.value for h in at.header]
    assert ("Record a decision or action" in headers) == (role != "executive")


def test_youth_member_is_refused(sample_store, use_store) -> None:
    use_store(sample_store)
    at = open_page("youth_council")
    assert not at.exception
    assert at.error and "does not have access" in at.error[0].value
    assert not at.dataframe


@pytest.mark.parametrize("role", ALLOWED)
def test_empty_store_renders_helpfully(store, use_store, role: str) -> None:
    use_store(store)
    at = open_page(role)
    assert not at.exception
    assert "No decisions or actions have been recorded yet." in texts(at)


def test_filters_narrow_the_log(sample_store, use_store) -> None:
    use_store(sample_store)
    at = open_page("executive")
    at.selectbox(key="decisions_theme").set_value("mash").run()
    expected = meetings.list_decisions(engine=sample_store, theme_code="mash")
    assert len(at.dataframe[0].value) == len(expected)
    at.selectbox(key="decisions_kind").set_value("action").run()
    assert set(at.dataframe[0].value["Type"]) <= {"Action"}


def test_qa_officer_records_an_action_with_an_audit_line(sqlite_store, use_store) -> None:
    use_store(sqlite_store)
    at = open_page("qa_officer")
    at.date_input(key="new_meeting").set_value(dt.date(2025, 11, 20))
    at.radio(key="new_kind").set_value("action")
    at.selectbox(key="new_theme").set_value("neglect")
    at.text_area(key="new_text").input("Roll out the Graded Care Profile to health visitors")
    at.text_input(key="new_owner").input("Designated nurse")
    at.date_input(key="new_due").set_value(dt.date(2026, 2, 28))
    at.button(key="save_decision").click().run()
    assert not at.exception
    assert count(sqlite_store) == 1
    assert "Action 1 recorded" in texts(at)
    row = meetings.list_decisions(engine=sqlite_store).iloc[0]
    assert row["theme_code"] == "neglect" and row["recorded_by"] == "qa.demo"
    assert not recent_entries(engine=sqlite_store, event="decision_recorded").empty
    assert len(at.dataframe[0].value) == 1


def test_invalid_action_explains_and_saves_nothing(sqlite_store, use_store) -> None:
    use_store(sqlite_store)
    at = open_page("admin")
    at.radio(key="new_kind").set_value("action")
    at.text_area(key="new_text").input("   ")
    at.button(key="save_decision").click().run()
    assert not at.exception
    error = at.error[0].value
    assert "Nothing was saved" in error
    assert "Write what was decided" in error and "needs an owner" in error
    assert "needs a due date" in error
    assert count(sqlite_store) == 0
    assert recent_entries(engine=sqlite_store, event="decision_recorded").empty


def test_status_update_is_saved_and_logged(sqlite_store, use_store) -> None:
    use_store(sqlite_store)
    new_id = meetings.add_decision(
        engine=sqlite_store,
        recorded_by="qa.demo",
        entry=meetings.NewDecision(
            meeting_date=dt.date(2025, 11, 20),
            kind="decision",
            text="Adopt the neglect strategy",
            theme_code="neglect",
        ),
    )
    at = open_page("qa_officer")
    at.selectbox(key="update_id").set_value(new_id)
    at.selectbox(key="update_status").set_value("complete")
    at.button(key="save_status").click().run()
    assert not at.exception
    assert meetings.list_decisions(engine=sqlite_store).iloc[0]["status"] == "complete"
    assert "is now complete" in texts(at)
    assert not recent_entries(engine=sqlite_store, event="decision_status_changed").empty
