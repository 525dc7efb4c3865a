"""Issue 29's rules: timeliness in working days (England's bank holidays), overdue actions and
risk reviews, escalation above the partnership's threshold, and "complete" against "complete
with evidence of impact"; with the writes' all-or-nothing checks and audit lines."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import config, learning
from data_access.models import AuditLogEntry, CaseReviewAction

D = dt.date


# --- Working days and timeliness ------------------------------------------------------------


def test_working_days_skip_weekends_and_englands_bank_holidays() -> None:
    # Thursday 17 April 2025 -> Thursday 24 April: Good Friday and Easter Monday are holidays.
    assert learning.working_days_between(D(2025, 4, 17), D(2025, 4, 24)) == 3
    # The same span a week later has no holiday: five working days.
    assert learning.working_days_between(D(2025, 4, 24), D(2025, 5, 1)) == 5
    # Over Christmas 2025: 25, 26 December and 1 January are holidays.
    assert learning.working_days_between(D(2025, 12, 24), D(2026, 1, 2)) == 4
    assert learning.working_days_between(D(2025, 5, 1), D(2025, 5, 1)) == 0
    assert learning.add_working_days(D(2025, 4, 17), 1) == D(2025, 4, 22)


def test_scotlands_holidays_are_not_englands() -> None:
    # 2 January is a holiday in Scotland only: it counts as a working day here.
    assert D(2026, 1, 2) not in learning.bank_holidays(D(2026, 1, 1), D(2026, 1, 31))
    assert D(2026, 1, 1) in learning.bank_holidays(D(2026, 1, 1), D(2026, 1, 31))


def test_notification_within_five_working_days() -> None:
    # Incident Thursday 17 April 2025; 5 working days later is Monday 28 April (Easter between).
    assert learning.notified_in_time(D(2025, 4, 17), D(2025, 4, 28))
    assert not learning.notified_in_time(D(2025, 4, 17), D(2025, 4, 29))
    # Counting only weekends, the 28th would be the 7th working day: the rule would wrongly fail.
    assert learning.working_days_between(D(2025, 4, 17), D(2025, 4, 28)) == 5


def test_rapid_review_within_fifteen_working_days() -> None:
    notified = D(2025, 12, 15)  # Monday; 25, 26 December and 1 January fall in the window
    on_time = learning.add_working_days(notified, 15)
    assert on_time == D(2026, 1, 8)
    assert learning.rapid_review_in_time(notified, on_time, D(2026, 3, 1)) is True
    assert learning.rapid_review_in_time(notified, D(2026, 1, 9), D(2026, 3, 1)) is False
    # Not completed: still in time until the 15th working day has passed, then late.
    assert learning.rapid_review_in_time(notified, None, D(2026, 1, 8)) is None
    assert learning.rapid_review_in_time(notified, None, D(2026, 1, 9)) is False


def test_local_review_published_within_six_months() -> None:
    decided = D(2025, 8, 31)
    assert learning.publish_by(decided) == D(2026, 2, 28)
    assert learning.published_in_time(decided, D(2026, 2, 28), D(2026, 6, 1)) is True
    assert learning.published_in_time(decided, D(2026, 3, 1), D(2026, 6, 1)) is False
    assert learning.published_in_time(decided, None, D(2026, 2, 1)) is None
    assert learning.published_in_time(decided, None, D(2026, 3, 1)) is False


# --- Actions: overdue, complete, and complete with evidence of impact --------------------------


def test_action_states() -> None:
    today = D(2026, 6, 1)
    assert learning.action_state("open", D(2026, 5, 31), None, today) == learning.STATE_OVERDUE
    assert learning.action_state("in_progress", D(2026, 6, 1), None, today) == learning.STATE_OPEN
    assert learning.action_state("complete", D(2026, 1, 1), None, today) == learning.STATE_DONE
    assert learning.action_state("complete", D(2026, 1, 1), "  ", today) == learning.STATE_DONE
    assert (
        learning.action_state("complete", D(2026, 1, 1), "Re-audit: 17 of 20", today)
        == learning.STATE_IMPACT
    )
    assert learning.is_overdue("in_progress", D(2026, 5, 1), today)
    assert not learning.is_overdue("complete", D(2026, 5, 1), today)
    assert not learning.is_overdue("cancelled", D(2026, 5, 1), today)


# --- Risks: escalation and overdue reviews ---------------------------------------------------


def test_escalation_is_above_the_threshold_not_at_it() -> None:
    assert learning.escalates(learning.risk_score(4, 4), 12)
    assert not learning.escalates(learning.risk_score(3, 4), 12)
    assert learning.escalates(learning.risk_score(3, 4), 9)


def test_escalation_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RISK_ESCALATION_THRESHOLD", raising=False)
    monkeypatch.setattr(config, "_read_secrets", lambda *a, **k: {})
    assert config.risk_escalation_threshold() == 12
    monkeypatch.setenv("RISK_ESCALATION_THRESHOLD", "15")
    assert config.risk_escalation_threshold() == 15
    for bad in ("lots", "0", "30"):
        monkeypatch.setenv("RISK_ESCALATION_THRESHOLD", bad)
        assert config.risk_escalation_threshold() == 12


def test_review_overdue() -> None:
    today = D(2026, 6, 1)
    assert learning.review_overdue("open", D(2026, 5, 31), today)
    assert not learning.review_overdue("open", D(2026, 6, 1), today)
    assert not learning.review_overdue("closed", D(2026, 5, 1), today)
    assert not learning.review_overdue("open", None, today)


# --- The store: writes, reads, the register and its heat map ---------------------------------


def _agency(engine: sa.Engine) -> int:
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO agency (code, name, sector, agency_type, section_175, active) "
                "VALUES ('BCS', 'Brookvale Council', 'council', 'statutory_partner', false, true)"
            )
        )
        return int(c.scalar(sa.text("SELECT id FROM agency WHERE code = 'BCS'")))


def _events(engine: sa.Engine) -> list[str]:
    with engine.connect() as c:
        return list(c.scalars(sa.select(AuditLogEntry.event).order_by(AuditLogEntry.id)))


def test_an_action_from_recommendation_to_impact(store: sa.Engine) -> None:
    agency = _agency(store)
    rr = learning.record_rapid_review(
        engine=store,
        entry=learning.NewRapidReview(
            reference="RR-2026-01", incident_on=D(2026, 1, 5), notified_on=D(2026, 1, 7)
        ),
        recorded_by="qa",
    )
    action = learning.record_action(
        engine=store,
        entry=learning.NewAction(
            source=f"rr:{rr}",
            recommendation="Share GP information within a day.",
            owner_agency_id=agency,
            due_date=D(2026, 3, 1),
        ),
        recorded_by="qa",
        page="practice_reviews",
    )
    today = D(2026, 4, 1)
    row = learning.actions(engine=store, today=today).iloc[0]
    assert row["state"] == learning.STATE_OVERDUE and row["days_overdue"] == 31

    # Impact cannot come before completion, and "complete" needs its evidence: nothing written.
    for bad in (
        learning.ActionUpdate(action, "in_progress", impact_evidence="Re-audit", impact_on=today),
        learning.ActionUpdate(action, "complete", completed_on=D(2026, 3, 20)),
    ):
        with pytest.raises(learning.LearningError):
            learning.update_action(engine=store, update=bad, updated_by="qa", page="p")
    assert learning.actions(engine=store, today=today).iloc[0]["status"] == "open"

    learning.update_action(
        engine=store,
        update=learning.ActionUpdate(
            action, "complete", "Done", D(2026, 3, 20), "Procedure issued to all GPs"
        ),
        updated_by="qa",
        page="practice_reviews",
    )
    row = learning.actions(engine=store, today=today).iloc[0]
    assert row["state"] == learning.STATE_DONE and not row["overdue"]
    learning.update_action(
        engine=store,
        update=learning.ActionUpdate(
            action,
            "complete",
            "Done",
            D(2026, 3, 20),
            "Procedure issued to all GPs",
            "Dip sample: GP information present in 18 of 20 decisions",
            D(2026, 3, 30),
        ),
        updated_by="qa",
        page="practice_reviews",
    )
    row = learning.actions(engine=store, today=today).iloc[0]
    assert row["state"] == learning.STATE_IMPACT
    assert _events(store) == [
        "rapid_review_recorded",
        "learning_action_recorded",
        "learning_action_updated",
        "learning_action_updated",
    ]
    figures = learning.timeliness(engine=store, today=today)
    assert figures["actions_overdue"] == (0, 0)


def test_the_database_refuses_impact_without_completion(store: sa.Engine) -> None:
    agency = _agency(store)
    rr = learning.record_rapid_review(
        engine=store,
        entry=learning.NewRapidReview("RR-1", D(2026, 1, 5), D(2026, 1, 7)),
        recorded_by="qa",
    )
    with pytest.raises(sa.exc.IntegrityError), store.begin() as c:
        c.execute(
            sa.insert(CaseReviewAction).values(
                rapid_review_id=rr,
                recommendation="r",
                owner_agency_id=agency,
                due_date=D(2026, 2, 1),
                status="in_progress",
                impact_evidence="It moved",
            )
        )


def test_bad_rapid_review_is_refused_and_nothing_is_written(store: sa.Engine) -> None:
    with pytest.raises(learning.LearningError, match="before the incident"):
        learning.record_rapid_review(
            engine=store,
            entry=learning.NewRapidReview("RR-1", D(2026, 1, 7), D(2026, 1, 5)),
            recorded_by="qa",
        )
    assert learning.rapid_reviews(engine=store).empty and _events(store) == []


def test_rapid_review_and_local_review_timeliness_from_the_store(store: sa.Engine) -> None:
    late = learning.record_rapid_review(
        engine=store,
        entry=learning.NewRapidReview(
            "RR-A", D(2025, 4, 14), D(2025, 4, 17), "mash", D(2025, 5, 14), "lcspr"
        ),
        recorded_by="qa",
    )
    learning.record_rapid_review(
        engine=store,
        entry=learning.NewRapidReview(
            "RR-B", D(2025, 4, 14), D(2025, 4, 17), "neglect", D(2025, 5, 13), "no_further_review"
        ),
        recorded_by="qa",
    )
    rr = learning.rapid_reviews(engine=store, today=D(2025, 7, 1)).set_index("reference")
    # 17 April to 13 May: Easter and the early May bank holiday leave exactly 15 working days.
    assert rr.loc["RR-B", "working_days_to_decide"] == 15 and rr.loc["RR-B", "in_time"]
    assert rr.loc["RR-A", "working_days_to_decide"] == 16 and not rr.loc["RR-A", "in_time"]
    learning.record_learning_review(
        engine=store,
        entry=learning.NewLearningReview(
            "LCSPR-A",
            "local_review",
            "Review after RR-A",
            D(2025, 5, 14),
            None,
            theme_codes=("mash",),
            summary="Share information before deciding.",
        ),
        recorded_by="qa",
        page="practice_reviews",
    )
    figures = learning.timeliness(engine=store, today=D(2025, 12, 1))
    assert figures["rapid_reviews_in_time"] == (1, 2)
    assert figures["reviews_published_in_time"] == (0, 1)  # not published within six months
    assert late
    themed = learning.themed_learning(engine=store, theme_code="mash")
    assert set(themed["reference"]) == {"LCSPR-A"}


def test_risk_register_scores_escalation_and_heat_map(store: sa.Engine) -> None:
    agency = _agency(store)
    learning.save_risk(
        engine=store,
        entry=learning.RiskEntry(
            "R01",
            "Front door delays",
            4,
            4,
            agency,
            likelihood_after=3,
            impact_after=4,
            review_on=D(2026, 5, 1),
            trend="rising",
        ),
        saved_by="qa",
    )
    learning.save_risk(
        engine=store,
        entry=learning.RiskEntry("R02", "Funding", 3, 5, review_on=D(2026, 7, 1)),
        saved_by="qa",
    )
    with pytest.raises(learning.LearningError, match="both likelihood and impact"):
        learning.save_risk(
            engine=store,
            entry=learning.RiskEntry(
                "R03", "Half", 3, 3, likelihood_after=2, review_on=D(2026, 7, 1)
            ),
            saved_by="qa",
        )
    register = learning.risks(engine=store, threshold=12, today=D(2026, 6, 1)).set_index(
        "reference"
    )
    assert list(register.index) == ["R02", "R01"]  # current score 15, then 12 after controls
    assert register.loc["R02", "escalated"] and not register.loc["R01", "escalated"]
    assert register.loc["R01", "score_before"] == 16 and register.loc["R01", "review_overdue"]
    grid = learning.heat_map(register.reset_index())
    assert grid.at[3, 4] == "R01" and grid.at[3, 5] == "R02" and list(grid.index) == [5, 4, 3, 2, 1]
    assert _events(store) == ["risk_recorded", "risk_recorded"]
    summary = learning.overdue_summary(engine=store, threshold=12, today=D(2026, 6, 1))
    assert summary == {"actions_overdue": 0, "risk_reviews_overdue": 1, "risks_escalated": 1}


def test_a_theme_with_no_learning_has_an_empty_table(store: sa.Engine) -> None:
    assert learning.themed_learning(engine=store, theme_code="training").empty
