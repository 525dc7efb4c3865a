"""The "Load quarterly returns" page: roles, empty store, and the check -> preview -> load flow.

AppTest cannot drive a file upload, so the flow is tested by running the function the page calls
on an upload (`import_flow.check_upload`) and putting its result where the page keeps it; the real
upload is covered in tests/browser/test_import.py.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard.views import data_management_import as import_flow
from data_access import submissions, templates
from data_access.models import IndicatorValue
from data_access.periods import period_label
from tests.support.data_management_page import open_as, texts
from tests.support.import_corpus import PERIOD, csv_bytes, good_rows, seed_reference
from tests.support.visible_text import visible

# AppTest does not find dataframes by key, so each table is found by one of its own headings.
TABLE_HEADING = {
    "dm_preview_table": "Value now in the store",
    "dm_report_table": "What to do",
    "dm_history_table": "Loaded by",
    "dm_changes_table": "Before",
}


def table(at: AppTest, key: str):
    heading = TABLE_HEADING[key]
    for frame in at.dataframe:
        if heading in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with the heading {heading!r}")


@pytest.fixture
def ref_store(sqlite_store: sa.Engine, use_store) -> sa.Engine:
    seed_reference(sqlite_store)
    return use_store(sqlite_store)


@pytest.mark.parametrize("role", ["qa_officer", "admin"])
def test_allowed_roles_see_the_page_on_an_empty_store(sqlite_store, use_store, role) -> None:
    use_store(sqlite_store)
    at = open_as(role)
    assert not at.exception
    assert at.title[0].value == "Load quarterly returns"
    shown = texts(at)
    assert "No agencies have been added yet" in shown
    assert "Upload a return to check it" in shown
    assert "No returns have been loaded yet" in shown


@pytest.mark.parametrize("role", ["executive", "youth_council"])
def test_other_roles_are_refused(sqlite_store, use_store, role) -> None:
    use_store(sqlite_store)
    at = open_as(role)
    assert not at.exception
    assert "does not have access" in at.error[0].value
    assert not at.get("file_uploader") and not at.button


def test_templates_are_offered_for_each_agency_and_quarter(ref_store) -> None:
    at = open_as("qa_officer")
    assert not at.exception
    assert "POLICE - Brookvale Police" in at.selectbox(key="dm_template_agency").options
    quarters = at.selectbox(key="dm_template_quarter")
    # The quarters are offered in words ("Q2 2026-27 (July to September 2026)"), not codes.
    assert quarters.options[0] == period_label(quarters.value)
    assert quarters.options[0].startswith("Q")
    labels = [b.label for b in at.get("download_button")]
    assert "Download the Excel template (.xlsx)" in labels
    assert "Download the CSV template" in labels


def test_thousands_of_agencies_are_found_not_all_listed(ref_store) -> None:
    """The template and "whose return" boxes list at most MAX_AGENCY_OPTIONS agencies, fetched
    from the store, with a search that reaches the rest."""
    from dashboard.components.filters import MAX_AGENCY_OPTIONS
    from tests.support.many_agencies import add_agencies

    add_agencies(ref_store, MAX_AGENCY_OPTIONS + 50)
    at = open_as("qa_officer")
    assert not at.exception
    assert len(at.selectbox(key="dm_template_agency").options) == MAX_AGENCY_OPTIONS
    assert len(at.selectbox(key="dm_submitter").options) == MAX_AGENCY_OPTIONS + 1
    at.text_input(key="dm_template_agency_search").input("vc24").run()
    assert not at.exception
    # The agency first chosen stays; the matches follow.
    assert at.selectbox(key="dm_template_agency").options[1:] == [
        f"VC24{n} - Village Club 24{n}" for n in range(10)
    ]
    at.text_input(key="dm_submitter_agency_search").input("brookvale police").run()
    assert "POLICE" in at.selectbox(key="dm_submitter").options
    at.text_input(key="dm_template_agency_search").input("no such agency").run()
    assert not at.exception
    assert at.selectbox(key="dm_template_agency").options[1:] == []


def test_a_template_is_offered_for_a_years_annual_figures(ref_store) -> None:
    at = open_as("qa_officer")
    at.radio(key="dm_template_kind").set_value("year").run()
    assert not at.exception, [e.value for e in at.exception]
    years = at.selectbox(key="dm_template_year")
    # Ended financial years, then ended school years, newest first.
    assert years.options == [period_label(y) for y in templates.recent_years()]
    assert years.options[0].endswith(")") and any(o.startswith("AY ") for o in years.options)
    labels = [b.label for b in at.get("download_button")]
    assert "Download the CSV template" in labels


def test_recent_years_are_the_years_that_have_ended() -> None:
    import datetime as dt

    assert templates.recent_years(dt.date(2025, 5, 1), count=2) == [
        "2024-25",
        "2023-24",
        "AY 2023/24",
        "AY 2022/23",
    ]
    assert templates.recent_years(dt.date(2025, 9, 1), count=1) == ["2024-25", "AY 2024/25"]


def test_good_file_previews_then_loads(ref_store) -> None:
    checked = import_flow.check_upload(
        engine=ref_store, file_name="police.csv", data=csv_bytes(good_rows()), agency_code="POLICE"
    )
    at = open_as("qa_officer", {import_flow.CHECKED_STATE: checked})
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows read"] == "5" and metrics["New figures"] == "5"
    assert metrics["Changed figures"] == "0" and metrics["Periods"] == "1"
    assert "No problems found" in texts(at)
    preview = table(at, "dm_preview_table")
    assert len(preview) == 5 and set(preview["Change"]) == {"New"}
    # A return may carry annual periods ("2024-25"), so the column says Period, not Quarter.
    assert "Period" in preview.columns and "Quarter" not in preview.columns
    with ref_store.connect() as connection:  # nothing written by the preview
        assert connection.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 0

    load = at.button(key="dm_load")
    assert not load.disabled
    load.click().run()
    assert not at.exception
    assert "Loaded submission" in at.success[0].value
    history = table(at, "dm_history_table")
    assert list(history["File"]) == ["police.csv"]
    assert list(history["Agency"]) == ["POLICE"]
    changes = table(at, "dm_changes_table")
    assert len(changes) == 5 and set(changes["Before"]) == {"(none)"}
    # The same file again: the page says it was already loaded and offers nothing to load.
    again = import_flow.check_upload(
        engine=ref_store, file_name="police.csv", data=csv_bytes(good_rows()), agency_code="POLICE"
    )
    at = open_as("qa_officer", {import_flow.CHECKED_STATE: again})
    assert "This file was already loaded on" in texts(at)
    assert at.button(key="dm_load").disabled


def test_file_with_errors_loads_nothing_unless_valid_rows_chosen(ref_store) -> None:
    rows = [*good_rows(), ["MASH_CONTACT", PERIOD, "", "", 5, "", "", "", ""]]
    checked = import_flow.check_upload(
        engine=ref_store, file_name="mixed.csv", data=csv_bytes(rows), agency_code=None
    )
    at = open_as("admin", {import_flow.CHECKED_STATE: checked})
    assert not at.exception
    report = table(at, "dm_report_table")
    assert list(report["Row"]) == ["7"]
    assert report["Problem"].iloc[0] == "Unknown indicator code."
    assert "Did you mean MASH_CONTACTS?" in report["What to do"].iloc[0]
    assert "1 row(s) have errors" in texts(at)
    assert at.button(key="dm_load").disabled

    at.checkbox(key="dm_valid_only").check().run()
    assert any(s.value == "The valid rows that will be loaded" for s in at.subheader)
    assert len(table(at, "dm_preview_table")) == 5
    at.button(key="dm_load").click().run()
    assert not at.exception
    assert "5 new" in at.success[0].value


def test_unreadable_file_is_explained(ref_store) -> None:
    checked = import_flow.check_upload(
        engine=ref_store, file_name="return.xlsx", data=b"PK\x03\x04 broken", agency_code=None
    )
    at = open_as("qa_officer", {import_flow.CHECKED_STATE: checked})
    assert not at.exception
    assert "This file cannot be loaded" in at.error[0].value
    assert not [b for b in at.button if b.key == "dm_load"]


def test_history_shows_changes_and_rollback_needs_confirmation(ref_store) -> None:
    first = import_flow.check_upload(
        engine=ref_store, file_name="v1.csv", data=csv_bytes(good_rows()), agency_code=None
    )
    import_flow.load_figures(engine=ref_store, checked=first, username="qa", valid_only=False)
    rows = good_rows()
    rows[0][4] = 2500
    second = import_flow.check_upload(
        engine=ref_store, file_name="v2.csv", data=csv_bytes(rows), agency_code=None
    )
    result = import_flow.load_figures(
        engine=ref_store, checked=second, username="qa", valid_only=False
    )

    at = open_as("qa_officer")
    assert at.selectbox(key="dm_submission").value == result.submission_id
    changes = table(at, "dm_changes_table")
    assert list(zip(changes["Before"], changes["After"], strict=True)) == [("2400", "2500")]
    assert at.button(key="dm_rollback").disabled
    at.checkbox(key=f"dm_rollback_confirm_{result.submission_id}").check().run()
    at.button(key="dm_rollback").click().run()
    assert not at.exception
    assert "was rolled back" in at.success[0].value
    listing = submissions.list_submissions(engine=ref_store)
    assert listing.set_index("id").loc[result.submission_id, "status"] == "rolled_back"

    # The first submission can now be rolled back; before, it would have been refused.
    at.selectbox(key="dm_submission").select(first_id := int(listing["id"].min())).run()
    at.checkbox(key=f"dm_rollback_confirm_{first_id}").check().run()
    at.button(key="dm_rollback").click().run()
    assert "was rolled back" in at.success[0].value


def test_rollback_refusal_is_shown(ref_store) -> None:
    first = import_flow.check_upload(
        engine=ref_store, file_name="v1.csv", data=csv_bytes(good_rows()), agency_code=None
    )
    one = import_flow.load_figures(engine=ref_store, checked=first, username="qa", valid_only=False)
    rows = good_rows()
    rows[0][4] = 2500
    second = import_flow.check_upload(
        engine=ref_store, file_name="v2.csv", data=csv_bytes(rows), agency_code=None
    )
    import_flow.load_figures(engine=ref_store, checked=second, username="qa", valid_only=False)
    at = open_as("qa_officer")
    at.selectbox(key="dm_submission").select(one.submission_id).run()
    at.checkbox(key=f"dm_rollback_confirm_{one.submission_id}").check().run()
    at.button(key="dm_rollback").click().run()
    assert "cannot be rolled back" in at.error[0].value
    assert "Roll back the later submission(s) first" in visible(at.error[0].value)


def test_page_renders_on_the_sample_store(writable_sample_store, use_store) -> None:
    use_store(writable_sample_store)
    at = open_as("admin")
    assert not at.exception
    assert len(table(at, "dm_history_table")) > 10
    assert not table(at, "dm_changes_table").empty
