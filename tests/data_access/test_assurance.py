"""Assurance summaries: read with group and meeting date; save supersedes, never deletes."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import assurance
from data_access.assurance import SummaryError, save_assurance_summary
from data_access.db import session_scope
from data_access.models import AssuranceSummary, AuditLogEntry
from data_access.periods import Quarter
from data_access.reference import ensure_periods

PERIOD = "2024-25 Q3"
TODAY = dt.date(2025, 2, 1)


@pytest.fixture
def with_period(store: sa.Engine) -> sa.Engine:
    with session_scope(store) as session:
        ensure_periods(session, [Quarter(2024, 3)])
    return store


def save(engine: sa.Engine, items, group: str = "Neglect Strategic Group", **kw) -> int:
    with session_scope(engine) as session:
        return save_assurance_summary(
            session,
            kw.get("theme", "neglect"),
            PERIOD,
            group,
            kw.get("meeting", dt.date(2025, 1, 15)),
            "qa.demo",
            items,
            today=TODAY,
        )


def test_save_and_read_back(with_period: sa.Engine) -> None:
    save(with_period, {"working_well": ["GCP2 use up", "  "], "next_steps": ["Train schools"]})
    items = assurance.summaries(engine=with_period, period_code=PERIOD, theme_code="neglect")
    assert list(items["category"]) == ["next_steps", "working_well"]
    assert set(items["group_name"]) == {"Neglect Strategic Group"}
    assert str(items["meeting_date"].iloc[0]) == "2025-01-15"
    with with_period.connect() as connection:
        logged = connection.execute(sa.select(AuditLogEntry.event, AuditLogEntry.username)).all()
    assert ("assurance_summary_saved", "qa.demo") in logged


def test_resave_supersedes_and_keeps_history(with_period: sa.Engine) -> None:
    first = save(with_period, [("working_well", "First version")])
    other_group = save(with_period, [("working_well", "Health view")], group="Health sub-group")
    second = save(with_period, [("not_working_well", "Second version")])
    items = assurance.summaries(engine=with_period, period_code=PERIOD, theme_code="neglect")
    assert set(items["summary_id"]) == {other_group, second}
    assert "First version" not in set(items["text"])
    history = assurance.summary_history(engine=with_period, theme_code="neglect")
    assert len(history) == 3
    status = dict(zip(history["summary_id"], history["status"], strict=True))
    assert status == {first: "superseded", other_group: "current", second: "current"}
    with with_period.connect() as connection:
        old = connection.execute(
            sa.select(AssuranceSummary.superseded_by_id).where(AssuranceSummary.id == first)
        ).scalar_one()
    assert old == second


@pytest.mark.parametrize(
    ("kwargs", "items", "message"),
    [
        ({}, {"working_well": ["", "  "]}, "at least one point"),
        ({"group": " "}, {"working_well": ["x"]}, "name the group"),
        ({"meeting": dt.date(2030, 1, 1)}, {"working_well": ["x"]}, "future"),
        ({"theme": "cooking"}, {"working_well": ["x"]}, "themes"),
        ({}, {"gossip": ["x"]}, "not a summary heading"),
        ({}, {"working_well": ["x" * 2001]}, "under 2000"),
    ],
)
def test_bad_input_writes_nothing(with_period: sa.Engine, kwargs, items, message) -> None:
    with pytest.raises(SummaryError, match=message):
        save(with_period, items, **kwargs)
    assert assurance.summary_history(engine=with_period).empty


def test_unknown_period(store: sa.Engine) -> None:
    with pytest.raises(SummaryError, match="no reporting period"), session_scope(store) as session:
        save_assurance_summary(
            session,
            "mash",
            "2030-31 Q1",
            "G",
            dt.date(2025, 1, 1),
            "a",
            {"working_well": ["x"]},
            today=TODAY,
        )
