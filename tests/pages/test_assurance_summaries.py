"""The assurance summaries form: QA officers and admins write; validation; history; audit log."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import assurance  # noqa: E402
from data_access.models import AuditLogEntry  # noqa: E402
from tests.support.theme_apptest import app_for, table_with, texts
from tests.support.theme_seed import LATEST, seed_themes


@pytest.fixture
def seeded(sqlite_store: sa.Engine, use_store) -> sa.Engine:
    seed_themes(sqlite_store)
    return use_store(sqlite_store)


def form_for(at, theme: str, period: str):
    at.selectbox(key="summary_theme").select(theme).run()
    at.selectbox(key="summary_period").select(period).run()
    return f"summary_form_{theme}_{period}".replace(" ", "_")


@pytest.mark.parametrize("role", ["qa_officer", "admin"])
def test_write_a_summary(seeded: sa.Engine, role: str) -> None:
    at = app_for("assurance_summaries", role).run()
    assert not at.exception, [e.value for e in at.exception]
    key = form_for(at, "neglect", LATEST)
    at.text_input(key=f"{key}_group").input("Neglect Strategic Group")
    at.date_input(key=f"{key}_date").set_value(dt.date(2025, 4, 2))
    at.text_area(key=f"{key}_working_well").input("- GCP2 use rose\n\n* Schools engaged")
    at.text_area(key=f"{key}_next_steps").input("Train health visitors")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and "Saved summary" in at.success[0].value
    items = assurance.summaries(engine=seeded, period_code=LATEST, theme_code="neglect")
    assert list(items[items["category"] == "working_well"]["text"]) == [
        "GCP2 use rose",
        "Schools engaged",
    ]
    assert "Neglect Strategic Group" in texts(at)  # cache cleared: the new summary shows at once
    with seeded.connect() as connection:
        events = (
            connection.execute(
                sa.select(AuditLogEntry.username).where(
                    AuditLogEntry.event == "assurance_summary_saved"
                )
            )
            .scalars()
            .all()
        )
    assert f"{role}.test" in events


def test_edit_supersedes_and_history_shows_both(seeded: sa.Engine) -> None:
    at = app_for("assurance_summaries", "qa_officer").run()
    key = form_for(at, "mash", LATEST)
    # The form opens with the current summary filled in.
    assert at.text_input(key=f"{key}_group").value == "MASH Steering Group"
    at.text_area(key=f"{key}_next_steps").input("A new next step")
    at.button[0].click().run()
    assert not at.exception
    history = table_with(at, "Written by", "Status")
    # Statuses in words, not the store's codes (issue 26).
    assert sorted(history["Status"]) == ["Current", "Superseded"]


def test_validation_message_and_nothing_saved(seeded: sa.Engine) -> None:
    at = app_for("assurance_summaries", "qa_officer").run()
    key = form_for(at, "training", LATEST)
    at.text_input(key=f"{key}_group").input("Learning and Development Group")
    at.button[0].click().run()
    assert not at.exception
    assert "at least one point" in at.error[0].value
    assert assurance.summary_history(engine=seeded, theme_code="training").empty


@pytest.mark.parametrize("role", ["executive", "youth_council"])
def test_other_roles_refused(seeded: sa.Engine, role: str) -> None:
    at = app_for("assurance_summaries", role).run()
    assert "does not have access" in at.error[0].value
    assert not at.text_area


def test_empty_store(sqlite_store: sa.Engine, use_store) -> None:
    use_store(sqlite_store)
    at = app_for("assurance_summaries", "qa_officer").run()
    assert not at.exception
    assert "no reporting periods" in texts(at)
