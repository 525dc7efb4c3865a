"""The agency submitter under AppTest: the returns page offers only its own agencies (templates,
whose return it is, its own submissions); every other page is refused as a youth account is
refused a QA page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dashboard import navigation
from dashboard.views import data_management_import as import_flow
from data_access import user_agencies, users
from data_access.db import session_scope
from data_access.importer import check_file, load_checked
from tests.support.data_management_page import texts
from tests.support.import_corpus import PERIOD, TODAY, csv_bytes, seed_reference
from tests.support.signed_in import signed_in_app

PASSWORD = "a long enough password"


@pytest.fixture
def submitter_store(sqlite_store: sa.Engine, use_store) -> sa.Engine:
    seed_reference(sqlite_store)
    with session_scope(sqlite_store) as session:
        users.create_user(session, "pat.police", "Pat", "agency_submitter", PASSWORD)
        users.create_user(session, "quinn.qa", "Quinn", "qa_officer", PASSWORD)
        user_agencies.set_agencies(session, "pat.police", ["POLICE"])
    return use_store(sqlite_store)


def open_page(key: str = "data_management", username: str = "pat.police", state=None):
    return signed_in_app(
        key, "agency_submitter", username=username, name="Pat", state=state, timeout=60
    ).run()


def test_the_returns_page_offers_only_its_own_agency(submitter_store: sa.Engine) -> None:
    theirs = check_file(
        engine=submitter_store,
        file_name="icb.csv",
        data=csv_bytes([["TR_LEARNERS", PERIOD, "ICB", "", 30, "", "", "", ""]]),
        today=TODAY,
    )
    load_checked(engine=submitter_store, checked=theirs, username="quinn.qa")
    at = open_page()
    assert not at.exception
    assert at.selectbox(key="dm_template_agency").options == ["POLICE - Brookvale Police"]
    assert at.selectbox(key="dm_submitter").options == ["POLICE"]
    shown = texts(at)
    assert "You can load returns for: POLICE (Brookvale Police)." in shown
    # Someone else's submission is not listed, so there is nothing of theirs to roll back.
    assert "No returns have been loaded yet" in shown


def test_an_upload_with_another_agencys_row_is_refused_naming_it(
    submitter_store: sa.Engine,
) -> None:
    rows = [
        ["TR_LEARNERS", PERIOD, "POLICE", "", 45, "", "", "", ""],
        ["TR_LEARNERS", PERIOD, "ICB", "", 30, "", "", "", ""],
    ]
    checked = import_flow.check_upload(
        engine=submitter_store,
        file_name="mixed.csv",
        data=csv_bytes(rows),
        agency_code="POLICE",
        username="pat.police",
    )
    at = open_page(state={import_flow.CHECKED_STATE: checked})
    assert not at.exception
    assert "1 row(s) have errors, so nothing will be loaded" in texts(at)
    report = next(f.value for f in at.dataframe if "What to do" in f.value.columns)
    report = report[report["Severity"] == "Error"]
    assert list(report["Row"]) == ["3"]
    assert report["Problem"].iat[0].startswith("This row is for ICB, and pat.police is linked")
    # ...and in words above the table.
    assert any(
        t.value.startswith("Row 3: This row is for ICB, and pat.police is linked only to POLICE")
        for t in at.text
    )


def test_an_account_not_linked_to_an_agency_is_told_what_to_ask(
    submitter_store: sa.Engine,
) -> None:
    with session_scope(submitter_store) as session:
        user_agencies.set_agencies(session, "pat.police", [])
    at = open_page()
    assert not at.exception
    assert "Your account is not linked to an agency yet" in texts(at)
    assert not at.get("file_uploader") and not at.button


@pytest.mark.parametrize(
    "key",
    [
        p.key
        for p in navigation.PAGES
        if "agency_submitter" not in p.roles and p.key in ("overview", "data_quality", "users")
    ],
)
def test_other_pages_are_refused(submitter_store: sa.Engine, key: str) -> None:
    at = open_page(key)
    assert not at.exception
    assert "does not have access to" in at.error[0].value
    assert not at.dataframe and not at.button


def test_the_role_may_open_only_the_returns_page_and_its_password() -> None:
    assert [p.key for p in navigation.pages_for_role("agency_submitter")] == [
        "data_management",
        "account",
    ]
