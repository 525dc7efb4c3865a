"""The audit-log page: filter by user, event and dates; CSV download; empty log; roles."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from data_access import audit_log
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import AuditLogEntry
from tests.support.signed_in import signed_in_app


def open_as(role: str) -> AppTest:
    return signed_in_app("audit_log", role, username="someone", name="Someone", timeout=60).run()


@pytest.fixture
def logged_store(sqlite_store, use_store):
    today = utc_now()
    with session_scope(sqlite_store) as session:
        for username, event, days_ago in [
            ("jo.bloggs", "sign_in", 0),
            ("jo.bloggs", "sign_out", 0),
            ("ann.admin", "user_created", 1),
            ("ann.admin", "sign_in", 2),
            ("jo.bloggs", "sign_in", 90),
        ]:
            session.add(
                AuditLogEntry(
                    username=username,
                    event=event,
                    page="sign-in",
                    occurred_at=today - dt.timedelta(days=days_ago),
                )
            )
    use_store(sqlite_store)
    return sqlite_store


@pytest.mark.parametrize("role", ["qa_officer", "admin"])
def test_shows_the_last_30_days_by_default(logged_store, role):
    at = open_as(role)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 4  # the 90-day-old entry is outside the default range
    assert list(table.columns) == ["When (UTC)", "User", "Event", "Page", "Detail"]
    assert any(b.label.startswith("Download") for b in at.get("download_button"))


def test_filters_by_user_and_event(logged_store):
    at = open_as("qa_officer")
    at.selectbox(key="audit_log_user").select("jo.bloggs").run()
    assert set(at.dataframe[0].value["User"]) == {"jo.bloggs"}
    assert len(at.dataframe[0].value) == 2
    at.selectbox(key="audit_log_event").select("sign_out").run()
    assert list(at.dataframe[0].value["Event"]) == ["sign_out"]


def test_date_range_reaches_older_entries(logged_store):
    at = open_as("admin")
    today = dt.datetime.now(dt.UTC).date()
    at.date_input(key="audit_log_dates").set_value(
        (today - dt.timedelta(days=90), today - dt.timedelta(days=60))
    ).run()
    assert list(at.dataframe[0].value["User"]) == ["jo.bloggs"]


def test_no_match_says_so(logged_store):
    at = open_as("admin")
    today = dt.datetime.now(dt.UTC).date()
    at.date_input(key="audit_log_dates").set_value(
        (today - dt.timedelta(days=50), today - dt.timedelta(days=40))
    ).run()
    assert not at.dataframe
    assert "No entries match" in at.info[0].value


def test_empty_log(sqlite_store, use_store):
    use_store(sqlite_store)
    at = open_as("admin")
    assert not at.exception
    assert "Nothing has been logged yet" in at.info[0].value


@pytest.mark.parametrize("role", ["executive", "youth_council"])
def test_refused_for_other_roles(logged_store, role):
    at = open_as(role)
    assert "does not have access to" in at.error[0].value
    assert not at.dataframe
    entries = audit_log.recent_entries(engine=logged_store, event="access_refused")
    assert list(entries["page"]) == ["audit_log"]
