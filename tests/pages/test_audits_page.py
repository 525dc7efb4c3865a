"""AppTest: the audit findings page for every role, its filters, and the QA forms."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access.models import Audit, AuditActionUpdate, AuditCase, AuditFinding, AuditLogEntry
from tests.support.assurance_seed import seed
from tests.support.signed_in import signed_in_app
from tests.support.visible_text import visible


def open_page(role: str) -> AppTest:
    return signed_in_app("audits", role, timeout=60).run()


def count(engine: sa.Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [e.value for e in at.error] + [e.value for e in at.info]
    parts += [s.value for s in at.success]
    return visible("\n".join(str(p) for p in parts))  # as read: escapes undone


@pytest.fixture
def seeded(sqlite_store, use_store):
    use_store(sqlite_store)
    return sqlite_store, seed(sqlite_store)


@pytest.mark.parametrize("role", ["executive", "qa_officer", "admin"])
def test_allowed_roles_see_the_page(seeded, role: str) -> None:
    at = open_page(role)
    assert not at.exception
    assert at.title[0].value == "Audit findings"
    headers = [h.value for h in at.header]
    for heading in (
        "Audits",
        "How cases were graded",
        "Findings",
        "Action tracker",
        "Re-audit impact",
    ):
        assert heading in headers
    forms = "Record audits and actions" in headers
    assert forms == (role in ("qa_officer", "admin"))
    text = all_text(at)
    assert "MACA-1 → MACA-2" in [visible(s.value) for s in at.subheader]
    # Open or in-progress actions due before today: 2024-12-01 and 2025-06-01.
    late = sum(due < dt.date.today() for due in (dt.date(2024, 12, 1), dt.date(2025, 6, 1)))
    assert f"**{late} overdue** of 3 actions" in text
    assert "Good or better: 50.0% before, 75.0% after" in text


def test_youth_member_is_refused(seeded) -> None:
    at = open_page("youth_council")
    assert not at.exception
    assert at.error and "does not have access" in at.error[0].value
    assert not at.dataframe


def test_filters_narrow_the_list(seeded) -> None:
    at = open_page("executive")
    at.selectbox(key="audits_year").set_value(2023).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Reference"]) == ["SAA-1"]
    at.selectbox(key="audits_theme").set_value("mash").run()
    assert "No audits match these filters" in at.info[0].value


def test_agency_filter_offers_the_agencies_that_took_part(seeded) -> None:
    """Only agencies in an audit can narrow the list: not the partnership's every agency."""
    from data_access import audits

    engine, ids = seeded
    at = open_page("qa_officer")
    box = at.selectbox(key="audits_agency")
    took_part = audits.audited_agencies(engine=engine)
    assert box.options == ["All agencies", *took_part["name"]]
    everyone = audits.list_agencies(engine=engine, active_only=False)
    assert len(everyone) > len(took_part)  # the seeded closed charity took part in none
    box.set_value(int(took_part["id"].iloc[0])).run()
    assert not at.exception
    assert not at.dataframe[0].value.empty


def test_focus_on_one_audit(seeded) -> None:
    _, ids = seeded
    at = open_page("executive")
    at.selectbox(key="audits_focus").set_value(ids.first_audit).run()
    assert not at.exception
    assert "4 cases graded. Outstanding: 0 cases (0.0%); Good: 2 cases (50.0%)" in all_text(at)


def test_empty_store_renders(sqlite_store, use_store) -> None:
    use_store(sqlite_store)
    at = open_page("qa_officer")
    assert not at.exception
    assert "No audits match" in at.info[0].value


def fill_valid_audit(at: AppTest, ids) -> AppTest:
    # The agencies come first, outside the form: the action owners are chosen from them.
    at.multiselect(key="new_agencies").set_value([ids.council, ids.police]).run()
    at.text_input(key="new_reference").input("MACA-77")
    at.text_input(key="new_title").input("Strategy minutes audit")
    at.selectbox(key="new_theme").set_value("mash")
    at.date_input(key="new_date").set_value(dt.date(2024, 11, 5))
    at.number_input(key="new_sample").set_value(3)
    at.number_input(key="new_grade_good").set_value(2)
    at.number_input(key="new_grade_inadequate").set_value(1)
    at.number_input(key="new_voice").set_value(1)
    at.text_area(key="new_areas").input("Minutes not shared within 2 days")
    at.text_input(key="new_action_1").input("Share minutes within 2 days")
    at.selectbox(key="new_action_owner_1").set_value(ids.police)
    at.date_input(key="new_action_due_1").set_value(dt.date(2025, 3, 1))
    return at


def test_qa_adds_an_audit(seeded) -> None:
    engine, ids = seeded
    at = fill_valid_audit(open_page("qa_officer"), ids)
    at.button(key="save_audit").click().run()
    assert not at.exception
    assert at.success and "MACA-77 saved with 1 findings and 1 actions" in visible(
        at.success[0].value
    )
    with engine.connect() as connection:
        saved = connection.execute(sa.select(Audit).where(Audit.reference == "MACA-77")).first()
        logged = connection.execute(
            sa.select(sa.func.count()).where(AuditLogEntry.event == "audit_added")
        ).scalar_one()
    assert saved is not None and logged == 1


def test_typed_counts_are_saved_as_numbers(seeded) -> None:
    engine, ids = seeded
    at = fill_valid_audit(open_page("qa_officer"), ids)
    at.text_area(key="new_areas").input("Minutes not shared within 2 days (seen in 2 of 3 cases)")
    at.button(key="save_audit").click().run()
    assert not at.exception and at.success
    with engine.connect() as connection:
        saved = connection.execute(
            sa.select(AuditFinding.text, AuditFinding.cases_seen, AuditFinding.cases_sampled)
            .join(Audit, Audit.id == AuditFinding.audit_id)
            .where(Audit.reference == "MACA-77")
        ).all()
    assert [tuple(row) for row in saved] == [("Minutes not shared within 2 days.", 2, 3)]


def test_words_that_contradict_the_typed_counts_are_refused(seeded) -> None:
    engine, ids = seeded
    at = fill_valid_audit(open_page("qa_officer"), ids)
    at.text_area(key="new_areas").input("Nearly every minute was late (seen in 1 of 3 cases)")
    at.button(key="save_audit").click().run()
    assert not at.exception
    assert at.error and 'The words say "nearly every" but it was seen in 1 of 3' in visible(
        at.error[0].value
    )
    with engine.connect() as connection:
        saved = connection.execute(sa.select(Audit).where(Audit.reference == "MACA-77")).first()
    assert saved is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda at, ids: at.number_input(key="new_grade_good").set_value(5),
            "The grade counts add up to 6, but the sample size is 3",
        ),
        (lambda at, ids: at.text_input(key="new_reference").input(""), "Enter the audit reference"),
        (lambda at, ids: at.text_input(key="new_reference").input("MACA-1"), "already exists"),
        (
            lambda at, ids: at.date_input(key="new_date").set_value(None),
            "Enter the date of the audit",
        ),
        (
            lambda at, ids: at.multiselect(key="new_agencies").set_value([]),
            "Choose at least one agency",
        ),
        (
            lambda at, ids: at.selectbox(key="new_action_owner_1").set_value(None),
            "Action 1: choose the agency that owns it",
        ),
        (
            lambda at, ids: at.date_input(key="new_action_due_1").set_value(dt.date(2020, 1, 1)),
            "Action 1: the due date is before the audit date",
        ),
    ],
)
def test_invalid_audit_is_refused_and_nothing_saved(seeded, change, message: str) -> None:
    engine, ids = seeded
    before = count(engine, Audit), count(engine, AuditCase), count(engine, AuditLogEntry)
    at = fill_valid_audit(open_page("qa_officer"), ids)
    change(at, ids)
    at.button(key="save_audit").click().run()
    assert not at.exception
    assert at.error, "expected a validation message"
    assert "Nothing was saved" in at.error[0].value and message in visible(at.error[0].value)
    assert (count(engine, Audit), count(engine, AuditCase), count(engine, AuditLogEntry)) == before


def test_qa_updates_an_action_with_evidence(seeded) -> None:
    engine, ids = seeded
    at = open_page("qa_officer")
    at.selectbox(key="upd_action").set_value(ids.overdue_action)
    at.selectbox(key="upd_status").set_value("complete")
    at.text_area(key="upd_evidence").input("All GP practices notified; audit of 10 records")
    at.button(key="save_update").click().run()
    assert not at.exception
    assert at.success and "Complete" in at.success[0].value
    assert count(engine, AuditActionUpdate) == 1
    assert "This action's history" in [s.value for s in at.subheader]


def test_action_update_without_evidence_is_refused(seeded) -> None:
    engine, ids = seeded
    at = open_page("admin")
    at.selectbox(key="upd_action").set_value(ids.overdue_action)
    at.selectbox(key="upd_status").set_value("complete")
    at.button(key="save_update").click().run()
    assert not at.exception
    assert "Describe the evidence for this update" in at.error[0].value
    assert count(engine, AuditActionUpdate) == 0


def test_thousands_of_agencies_are_found_and_choices_kept(seeded) -> None:
    """The add-audit form lists at most MAX_AGENCY_OPTIONS agencies from the store, with a search
    that reaches the rest; agencies already chosen stay chosen while the list is narrowed, and
    the lead agency and action owners are chosen from the agencies taking part."""
    from dashboard.components.filters import MAX_AGENCY_OPTIONS
    from tests.support.many_agencies import add_agencies

    engine, ids = seeded
    add_agencies(engine, MAX_AGENCY_OPTIONS + 50)
    at = open_page("qa_officer")
    assert not at.exception
    assert len(at.multiselect(key="new_agencies").options) == MAX_AGENCY_OPTIONS
    at.multiselect(key="new_agencies").set_value([ids.police]).run()
    at.text_input(key="new_audit_agency_search").input("club 24").run()
    assert not at.exception
    options = at.multiselect(key="new_agencies").options
    assert options == ["County Police", *(f"Village Club 24{n}" for n in range(10))]
    assert at.multiselect(key="new_agencies").value == [ids.police]
    # The lead and the owners: only the agencies taking part.
    assert at.selectbox(key="new_lead").options == ["None", "County Police"]
    assert at.selectbox(key="new_action_owner_1").options == ["Choose…", "County Police"]
    at.selectbox(key="new_action_owner_1").set_value(ids.police).run()
    # Taking an agency off the list takes it off the action it owned.
    at.multiselect(key="new_agencies").set_value([]).run()
    assert not at.exception
    assert at.selectbox(key="new_action_owner_1").value is None
