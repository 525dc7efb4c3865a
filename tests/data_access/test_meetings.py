"""The decisions and actions log: validation, audit trail, status changes, listing and overdue."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import meetings
from data_access.audit_log import recent_entries
from data_access.meetings import DecisionError, NewDecision
from data_access.models import MeetingDecision

MEETING = dt.date(2025, 11, 20)


def _action(**overrides: object) -> NewDecision:
    fields: dict[str, object] = dict(
        meeting_date=MEETING,
        kind="action",
        text="Audit GP notification of looked-after status",
        theme_code="mash",
        owner="Designated nurse, ICB",
        due_date=dt.date(2026, 1, 31),
    )
    fields.update(overrides)
    return NewDecision(**fields)


def _row_count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count(MeetingDecision.id))).scalar_one()


def test_an_action_is_recorded_with_its_audit_line(store: sa.Engine) -> None:
    new_id = meetings.add_decision(engine=store, entry=_action(), recorded_by="qa.demo")
    log = recent_entries(engine=store, event="decision_recorded")
    assert len(log) == 1 and log.iloc[0]["username"] == "qa.demo"
    rows = meetings.list_decisions(engine=store, today=dt.date(2025, 12, 1))
    assert rows["id"].tolist() == [new_id]
    row = rows.iloc[0]
    assert row["theme_name"] == "MASH (front door)"
    assert row["status"] == "open" and not row["overdue"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": "   "}, "Write what was decided"),
        ({"text": "x" * 2001}, "2,000 or fewer"),
        ({"owner": ""}, "needs an owner"),
        ({"due_date": None}, "needs a due date"),
        ({"due_date": dt.date(2025, 1, 1)}, "cannot be before the meeting"),
        ({"theme_code": "astrology"}, "not one of the partnership's themes"),
        ({"kind": "wish"}, "decision or an action"),
    ],
)
def test_invalid_entries_explain_and_write_nothing(
    store: sa.Engine, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(DecisionError, match=message):
        meetings.add_decision(engine=store, entry=_action(**overrides), recorded_by="qa.demo")
    assert _row_count(store) == 0
    assert recent_entries(engine=store, event="decision_recorded").empty


def test_a_decision_needs_no_owner_or_due_date(store: sa.Engine) -> None:
    entry = NewDecision(
        meeting_date=MEETING,
        kind="decision",
        text="Accept the neglect strategy",
        theme_code="neglect",
    )
    meetings.add_decision(engine=store, entry=entry, recorded_by="admin.demo")
    rows = meetings.list_decisions(engine=store, theme_code="neglect")
    assert rows.iloc[0]["kind"] == "decision"
    assert pd_isna(rows.iloc[0]["owner"])


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_overdue_is_open_and_past_due(store: sa.Engine) -> None:
    late = meetings.add_decision(
        engine=store, entry=_action(due_date=dt.date(2025, 12, 1)), recorded_by="qa.demo"
    )
    done = meetings.add_decision(
        engine=store, entry=_action(due_date=dt.date(2025, 12, 1)), recorded_by="qa.demo"
    )
    meetings.update_status(engine=store, decision_id=done, status="complete", updated_by="qa.demo")
    rows = meetings.list_decisions(engine=store, today=dt.date(2025, 12, 11)).set_index("id")
    assert bool(rows.loc[late, "overdue"]) and rows.loc[late, "days_overdue"] == 10
    assert not bool(rows.loc[done, "overdue"]) and rows.loc[done, "days_overdue"] == 0
    open_rows = meetings.list_decisions(engine=store, open_only=True)
    assert open_rows["id"].tolist() == [late]


def test_status_change_is_logged_and_unknown_status_refused(store: sa.Engine) -> None:
    new_id = meetings.add_decision(engine=store, entry=_action(), recorded_by="qa.demo")
    meetings.update_status(
        engine=store, decision_id=new_id, status="in_progress", updated_by="admin.demo"
    )
    log = recent_entries(engine=store, event="decision_status_changed")
    assert "open -> in_progress" in log.iloc[0]["detail"]
    with pytest.raises(DecisionError, match="not a status"):
        meetings.update_status(engine=store, decision_id=new_id, status="done", updated_by="x")
    with pytest.raises(DecisionError, match="no decision or action number"):
        meetings.update_status(engine=store, decision_id=9999, status="complete", updated_by="x")


def test_listing_filters_by_theme_meeting_and_kind(store: sa.Engine) -> None:
    other = dt.date(2026, 2, 19)
    meetings.add_decision(engine=store, entry=_action(), recorded_by="qa.demo")
    meetings.add_decision(
        engine=store,
        entry=_action(theme_code="training", meeting_date=other, due_date=dt.date(2026, 3, 1)),
        recorded_by="qa.demo",
    )
    meetings.add_decision(
        engine=store,
        entry=NewDecision(meeting_date=other, kind="decision", text="Noted"),
        recorded_by="qa.demo",
    )
    assert len(meetings.list_decisions(engine=store, theme_code="training")) == 1
    assert len(meetings.list_decisions(engine=store, meeting_date=other)) == 2
    assert len(meetings.list_decisions(engine=store, kind="decision")) == 1
    assert meetings.meeting_dates(engine=store) == [other, MEETING]
    counts = meetings.counts_by_theme(engine=store, today=dt.date(2026, 2, 1)).set_index(
        "theme_code"
    )
    assert counts.loc["mash", "open_actions"] == 1 and counts.loc["mash", "overdue"] == 1
    assert counts.loc["training", "overdue"] == 0


def test_empty_store_lists_nothing_with_columns(store: sa.Engine) -> None:
    rows = meetings.list_decisions(engine=store)
    assert rows.empty and "days_overdue" in rows.columns
    assert meetings.meeting_dates(engine=store) == []
