"""The Agencies and localities page: administrators add, rename, retire, merge and delete (never
one with figures); every other role is refused. The CSV upload itself runs through the same
function as the command line (tests/data_access/test_agencies.py); AppTest cannot upload."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import agencies, users
from data_access.db import session_scope
from data_access.importer import check_file, load_checked
from data_access.models import AuditLogEntry
from tests.support.data_management_page import texts
from tests.support.import_corpus import PERIOD, TODAY, csv_bytes
from tests.support.signed_in import signed_in_app
from tests.support.visible_text import visible


@pytest.fixture
def admin_store(sqlite_store: sa.Engine, use_store) -> sa.Engine:
    with session_scope(sqlite_store) as session:
        users.create_user(session, "ann.admin", "Ann Admin", "admin", "a long enough password")
    return use_store(sqlite_store)


def open_as(role: str = "admin") -> AppTest:
    return signed_in_app("agencies", role, username="ann.admin", name="Ann", timeout=60).run()


def click(at: AppTest, label: str, index: int = 0) -> AppTest:
    [b for b in at.button if b.label == label][index].click()
    return at.run()


def last_event(engine: sa.Engine) -> tuple[str | None, str, str | None]:
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.event, AuditLogEntry.page)
            .order_by(AuditLogEntry.id.desc())
            .limit(1)
        ).one()
    return (row[0], row[1], row[2])


def test_an_empty_store_says_what_to_do(admin_store: sa.Engine) -> None:
    at = open_as()
    assert not at.exception
    assert at.title[0].value == "Agencies and localities"
    assert "No agencies yet. Load a CSV file or add one below" in texts(at)


def test_an_administrator_adds_renames_and_retires_an_agency(admin_store: sa.Engine) -> None:
    at = open_as()
    at.text_input(key="agencies_new_code").input("police")
    at.text_input(key="agencies_new_name").input("Brookvale Police")
    at.selectbox(key="agencies_new_sector").select("police")
    click(at, "Add agency")
    assert not at.exception
    assert [visible(s.value) for s in at.success] == ["Added agency POLICE."]
    assert last_event(admin_store) == ("ann.admin", "agency_added", "agencies")
    assert list(at.dataframe[0].value["Code"]) == ["POLICE"]

    at.text_input(key="agencies_agency_new_name").input("Brookvale Constabulary")
    click(at, "Rename")
    assert agencies.list_agencies(engine=admin_store)["name"].tolist() == ["Brookvale Constabulary"]
    click(at, "Retire")
    assert not agencies.list_agencies(engine=admin_store)["active"].iat[0]
    assert last_event(admin_store) == ("ann.admin", "agency_retired", "agencies")
    assert "retired" in set(at.dataframe[0].value["Status"])


def test_a_name_already_used_is_refused_in_a_sentence(admin_store: sa.Engine) -> None:
    agencies.add_agency(
        engine=admin_store, code="POLICE", name="Brookvale Police", sector="police", username="x"
    )
    at = open_as()
    at.text_input(key="agencies_new_code").input("POL2")
    at.text_input(key="agencies_new_name").input("brookvale police")
    click(at, "Add agency")
    assert [visible(e.value) for e in at.error] == [
        "The name 'brookvale police' is already used by POLICE."
    ]
    assert len(agencies.list_agencies(engine=admin_store)) == 1


def test_an_agency_with_figures_is_not_deleted(admin_store: sa.Engine) -> None:
    agencies.add_agency(
        engine=admin_store, code="POLICE", name="Brookvale Police", sector="police", username="x"
    )
    rows = [["TR_LEARNERS", PERIOD, "POLICE", "", 45, "", "", "", ""]]
    checked = check_file(engine=admin_store, file_name="f.csv", data=csv_bytes(rows), today=TODAY)
    load_checked(engine=admin_store, checked=checked, username="ann.admin")
    at = open_as()
    click(at, "Delete")
    assert not at.exception
    refusal = visible(at.error[0].value)
    assert refusal.startswith("POLICE cannot be deleted: the store holds 1 figure(s)")
    assert "Retire it instead" in refusal
    assert len(agencies.list_agencies(engine=admin_store)) == 1


def test_localities_are_merged_only_when_ticked(admin_store: sa.Engine) -> None:
    for code, name in (("NORTH", "North"), ("SOUTH", "South")):
        agencies.add_locality(
            engine=admin_store, code=code, name=name, child_population=100, username="x"
        )
    at = open_as()
    at.selectbox(key="agencies_locality_chosen").select("NORTH")
    at.run()
    at.selectbox(key="agencies_locality_into").select("SOUTH")
    click(at, "Merge")  # the agency tab has none: no agencies
    assert any("Tick 'Yes, merge them' first" in e.value for e in at.error)
    at.checkbox(key="agencies_locality_merge_sure").check()
    click(at, "Merge")  # the agency tab has none: no agencies
    assert not at.exception
    listing = agencies.list_localities(engine=admin_store).set_index("code")
    assert listing.loc["SOUTH", "child_population"] == 200
    assert not listing.loc["NORTH", "active"]
    assert last_event(admin_store) == ("ann.admin", "locality_merged", "agencies")


@pytest.mark.parametrize("role", ["qa_officer", "executive", "youth_council", "agency_submitter"])
def test_other_roles_are_refused(admin_store: sa.Engine, role: str) -> None:
    at = open_as(role)
    assert not at.exception
    assert "does not have access to" in at.error[0].value
    assert not at.button and not at.text_input
