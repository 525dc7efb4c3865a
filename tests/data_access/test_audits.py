"""Audit queries and the audit write path."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import audit_entry, audits
from data_access.models import Audit, AuditAction, AuditActionUpdate, AuditCase, AuditLogEntry
from tests.support.assurance_seed import TODAY, seed


def count(engine: sa.Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def test_list_and_filters(store: sa.Engine) -> None:
    ids = seed(store)
    everything = audits.list_audits(engine=store)
    assert list(everything["reference"]) == ["MACA-2", "MACA-1", "SAA-1"]
    first = everything.set_index("reference").loc["MACA-1"]
    assert set(first["agencies"].split(", ")) == {"Borough Council", "County Police"}
    assert first["sample_size"] == 4 and first["cases_graded"] == 4
    assert first["type"] == "Multi-agency"
    assert everything.set_index("reference").loc["MACA-2", "reaudit_of"] == "MACA-1"
    neglect = audits.list_audits(engine=store, theme="neglect")
    assert list(neglect["reference"]) == ["MACA-2", "MACA-1"]
    assert list(audits.list_audits(engine=store, year=2023)["reference"]) == ["SAA-1"]
    assert list(audits.list_audits(engine=store, agency_id=ids.police)["reference"]) == [
        "MACA-2",
        "MACA-1",
        "SAA-1",
    ]
    assert audits.list_audits(engine=store, agency_id=ids.health).empty
    assert audits.audit_years(engine=store) == [2024, 2023]


def test_grades_voice_and_findings(store: sa.Engine) -> None:
    ids = seed(store)
    grades = audits.grade_distribution(engine=store, audit_id=ids.first_audit)
    assert list(grades["label"]) == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert list(grades["cases"]) == [0, 2, 1, 1]
    assert list(grades["share_pct"]) == [0.0, 50.0, 25.0, 25.0]
    neglect = audits.grade_distribution(engine=store, theme="neglect")
    assert int(neglect["cases"].sum()) == 8
    assert audits.child_voice(engine=store, audit_id=ids.first_audit) == {
        "cases": 4,
        "evidenced": 2,
        "share_pct": 50.0,
    }
    assert audits.child_voice(engine=store, year=2023)["share_pct"] == 50.0
    assert audits.child_voice(engine=store, theme="mash") == {
        "cases": 0,
        "evidenced": 0,
        "share_pct": None,
    }
    found = audits.findings(engine=store, audit_id=ids.first_audit)
    assert list(found["kind"]) == ["strength", "area_for_improvement"]


def test_action_tracker_puts_overdue_first_with_days(store: sa.Engine) -> None:
    ids = seed(store)
    tracker = audits.action_tracker(engine=store, today=TODAY)
    assert tracker.iloc[0]["id"] == ids.overdue_action
    assert tracker.iloc[0]["days_overdue"] == (TODAY - dt.date(2024, 12, 1)).days
    assert tracker.iloc[0]["owner_agency"] == "Health Board"
    by_id = tracker.set_index("id")
    # Complete actions are never overdue even though their due date has passed.
    assert by_id.loc[ids.complete_action, "days_overdue"] == 0
    assert not by_id.loc[ids.complete_action, "overdue"]
    assert int(tracker["overdue"].sum()) == 1


def test_reaudit_comparison_side_by_side(store: sa.Engine) -> None:
    seed(store)
    comparison = audits.reaudit_comparisons(engine=store, theme="neglect")
    rows = comparison.set_index("measure")
    assert rows.loc["Good or better", "before_pct"] == 50.0
    assert rows.loc["Good or better", "after_pct"] == 75.0
    assert rows.loc["Good or better", "change_pts"] == 25.0
    assert rows.loc["Child's voice evidenced", "before_pct"] == 50.0
    assert rows.loc["Child's voice evidenced", "after_pct"] == 75.0
    assert set(comparison["before_reference"]) == {"MACA-1"}
    assert audits.reaudit_comparisons(engine=store, year=2023).empty


def new_audit(ids, **changes) -> audit_entry.NewAudit:
    base = audit_entry.NewAudit(
        reference="MACA-9",
        title="Self-harm pathway audit",
        theme_code="complex_safeguarding",
        audit_type="multi_agency",
        audit_date=dt.date(2024, 11, 1),
        sample_size=3,
        grade_counts={"good": 2, "inadequate": 1},
        child_voice_count=2,
        agency_ids=(ids.council, ids.health),
        lead_agency_id=ids.council,
        findings=(audit_entry.NewFinding("area_for_improvement", "Partners unaware of pathway"),),
        actions=(audit_entry.NewAction("Brief all partners", ids.health, dt.date(2025, 3, 1), 0),),
    )
    return dataclasses.replace(base, **changes)


def test_add_audit_saves_everything_and_logs(store: sa.Engine) -> None:
    ids = seed(store)
    audit_id = audit_entry.add_audit(engine=store, data=new_audit(ids), username="qa.demo")
    listed = audits.list_audits(engine=store, audit_id=audit_id)
    assert listed.iloc[0]["cases_graded"] == 3
    assert audits.child_voice(engine=store, audit_id=audit_id)["evidenced"] == 2
    tracker = audits.action_tracker(engine=store, today=TODAY, audit_id=audit_id)
    assert list(tracker["description"]) == ["Brief all partners"]
    with store.connect() as connection:
        logged = (
            connection.execute(
                sa.select(AuditLogEntry.detail).where(AuditLogEntry.event == "audit_added")
            )
            .scalars()
            .all()
        )
    assert logged and "MACA-9" in logged[0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reference": "  "}, "Enter the audit reference."),
        ({"reference": "MACA-1"}, "already exists"),
        ({"title": ""}, "Enter the audit title."),
        ({"audit_date": None}, "Enter the date of the audit."),
        ({"grade_counts": {"good": 1}}, "add up to 1, but the sample size is 3"),
        ({"child_voice_count": 5}, "child's voice"),
        ({"agency_ids": (999_999,)}, "do not exist"),
        ({"agency_ids": ()}, "at least one agency"),
        ({"findings": (audit_entry.NewFinding("strength", " "),)}, "Finding 1: enter"),
        (
            {"actions": (audit_entry.NewAction("Do it", 999_999, dt.date(2025, 3, 1)),)},
            "do not exist",
        ),
        ({"actions": (audit_entry.NewAction("Do it", None, None),)}, "Action 1: enter a due date"),
        (
            {"actions": (audit_entry.NewAction("", None, dt.date(2025, 3, 1)),)},
            "Action 1: describe",
        ),
        ({"actions": (audit_entry.NewAction("Do it", None, dt.date(2025, 3, 1)),)}, "owns it"),
        ({"theme_code": "nonsense"}, "theme"),
        (
            {"findings": (audit_entry.NewFinding("strength", "Plans reviewed.", 2, None),)},
            "Finding 1: give both",
        ),
        (
            {"findings": (audit_entry.NewFinding("strength", "Plans reviewed.", 4, 2),)},
            "Finding 1: it cannot be seen in 4 of 2 cases",
        ),
        (
            {"findings": (audit_entry.NewFinding("strength", "Plans reviewed.", 2, 8),)},
            "more than the audit's sample of 3",
        ),
    ],
)
def test_add_audit_rejects_bad_input_and_saves_nothing(
    store: sa.Engine, changes: dict, message: str
) -> None:
    ids = seed(store)
    before = (
        count(store, Audit),
        count(store, AuditCase),
        count(store, AuditAction),
        count(store, AuditLogEntry),
    )
    with pytest.raises(audits.ValidationError) as error:
        audit_entry.add_audit(engine=store, data=new_audit(ids, **changes), username="qa.demo")
    assert any(message in problem for problem in error.value.problems), error.value.problems
    after = (
        count(store, Audit),
        count(store, AuditCase),
        count(store, AuditAction),
        count(store, AuditLogEntry),
    )
    assert after == before


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Plans quoted the child in most cases (seen in 2 of 3 cases).",
            ("Plans quoted the child in most cases.", 2, 3),
        ),
        ("Plans quoted the child (2 of 3)", ("Plans quoted the child.", 2, 3)),
        (
            "Seen by 2 of 3 partners, no counts given",
            ("Seen by 2 of 3 partners, no counts given", None, None),
        ),
    ],
)
def test_a_typed_finding_gives_its_counts_as_numbers(line: str, expected: tuple) -> None:
    finding = audit_entry.finding_from_line("strength", line)
    assert (finding.text, finding.cases_seen, finding.cases_sampled) == expected


def test_a_findings_counts_are_stored_in_their_columns(store: sa.Engine) -> None:
    ids = seed(store)
    finding = audit_entry.NewFinding("strength", "Most plans quoted the child.", 2, 3)
    audit_id = audit_entry.add_audit(
        engine=store, data=new_audit(ids, findings=(finding,)), username="qa.demo"
    )
    found = audits.findings(engine=store, audit_id=audit_id)
    assert found[["text", "cases_seen", "cases_sampled"]].values.tolist() == [
        ["Most plans quoted the child.", 2, 3]
    ]


def test_update_action_status_keeps_history(store: sa.Engine) -> None:
    ids = seed(store)
    audit_entry.update_action_status(
        engine=store,
        action_id=ids.overdue_action,
        status="in_progress",
        evidence="GP letters drafted",
        username="qa.demo",
        today=TODAY,
    )
    audit_entry.update_action_status(
        engine=store,
        action_id=ids.overdue_action,
        status="complete",
        evidence="All GPs notified",
        username="qa.demo",
        today=TODAY,
    )
    history = audits.action_history(engine=store, action_id=ids.overdue_action)
    assert list(history["status"]) == ["complete", "in_progress"]
    tracker = audits.action_tracker(engine=store, today=TODAY).set_index("id")
    assert tracker.loc[ids.overdue_action, "status"] == "complete"
    assert tracker.loc[ids.overdue_action, "completed_on"] == TODAY
    assert tracker.loc[ids.overdue_action, "days_overdue"] == 0
    with store.connect() as connection:
        events = connection.execute(
            sa.select(sa.func.count()).where(AuditLogEntry.event == "audit_action_updated")
        ).scalar_one()
    assert events == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"evidence": "  "}, "Describe the evidence"),
        ({"evidence": "x" * 4001}, "at most 4000"),
        ({"status": "finished"}, "new status"),
        ({"action_id": 999_999}, "does not exist"),
    ],
)
def test_update_action_rejects_bad_input(store: sa.Engine, kwargs: dict, message: str) -> None:
    ids = seed(store)
    arguments = {
        "action_id": ids.overdue_action,
        "status": "complete",
        "evidence": "Done",
        "username": "qa.demo",
        "today": TODAY,
    } | kwargs
    before = count(store, AuditActionUpdate), count(store, AuditLogEntry)
    with pytest.raises(audits.ValidationError) as error:
        audit_entry.update_action_status(engine=store, **arguments)
    assert any(message in p for p in error.value.problems), error.value.problems
    assert (count(store, AuditActionUpdate), count(store, AuditLogEntry)) == before
    assert (
        audits.action_tracker(engine=store, today=TODAY)
        .set_index("id")
        .loc[ids.overdue_action, "status"]
        == "open"
    )


def test_empty_store_reads_without_error(store: sa.Engine) -> None:
    assert audits.list_audits(engine=store).empty
    assert int(audits.grade_distribution(engine=store)["cases"].sum()) == 0
    assert audits.findings(engine=store).empty
    assert audits.action_tracker(engine=store, today=TODAY).empty
    assert audits.reaudit_comparisons(engine=store).empty
    assert audits.audit_years(engine=store) == []
