"""The overview under AppTest: scorecard, needs-attention list, summaries, theme links."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import catalogue  # noqa: E402
from tests.pages.theme_apptest import BOARD_ROLES, app_for, table_with, texts
from tests.theme_seed import seed_themes


@pytest.mark.parametrize("role", BOARD_ROLES)
def test_renders_on_sample_store(role: str, sample_store: sa.Engine, use_store) -> None:  # type: ignore[no-untyped-def]
    use_store(sample_store)
    at = app_for("overview", role).run()
    assert not at.exception, [e.value for e in at.exception]
    scorecard = table_with(at, "Indicator", "Trend", "RAG", "SPC variation", "Quarters running")
    assert len(scorecard) == sum(1 for i in catalogue.indicators() if i.headline)
    assert "The quarter in brief" in texts(at)
    headers = [h.value for h in at.header]
    assert headers[:4] == [
        "Themes",
        "Needs attention",
        "Scorecard",
        "Assurance summaries this quarter",
    ]
    for theme in catalogue.themes():
        assert theme.name in texts(at)  # one link per theme


def test_empty_store(sqlite_store: sa.Engine, use_store) -> None:  # type: ignore[no-untyped-def]
    use_store(sqlite_store)
    at = app_for("overview", "executive").run()
    assert not at.exception
    assert "No figures have been loaded yet" in texts(at)


def test_needs_attention_and_summaries(sqlite_store: sa.Engine, use_store) -> None:  # type: ignore[no-untyped-def]
    seed_themes(sqlite_store)
    use_store(sqlite_store)
    at = app_for("overview", "executive").run()
    assert not at.exception
    page = texts(at)
    assert "Contacts decided within one working day" in page
    assert "red against target" in page
    assert "MASH (front door): MASH Steering Group" in page
    scorecard = table_with(at, "Indicator", "RAG")
    decisions = scorecard[scorecard["Indicator"] == "Contacts decided within one working day"].iloc[
        0
    ]
    assert decisions["RAG"] == "✖ Red"
    assert decisions["England"] == "90.0%"


def test_youth_council_refused(sqlite_store: sa.Engine, use_store) -> None:  # type: ignore[no-untyped-def]
    use_store(sqlite_store)
    at = app_for("overview", "youth_council").run()
    assert "does not have access" in at.error[0].value
