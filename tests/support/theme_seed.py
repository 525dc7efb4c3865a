"""A small, hand-made store for the theme pages and overview, with known answers.

Not collected by pytest (no test_ prefix); import it as `from theme_seed import seed_themes`.
Twelve quarters (2022-23 Q1 .. 2024-25 Q4) of partnership figures for every catalogue indicator,
agency and locality rows for indicators with breakdowns, comparators, front-door contacts,
training records, one audit with an overdue action, and one assurance summary.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data_access import catalogue
from data_access.assurance import save_assurance_summary
from data_access.db import session_scope
from data_access.models import (
    Agency,
    Audit,
    AuditAction,
    AuditFinding,
    ComparatorValue,
    Indicator,
    IndicatorValue,
    Locality,
    MashContact,
    Submission,
    TrainingAttendance,
    TrainingCourse,
    TrainingEvaluation,
    TrainingFollowUp,
    TrainingSession,
)
from data_access.periods import Quarter, quarters_between
from data_access.reference import ensure_periods

FIRST, LAST = Quarter(2022, 1), Quarter(2024, 4)
QUARTERS = quarters_between(FIRST, LAST)
LATEST = LAST.code
TODAY = dt.date(2025, 5, 1)
# MASH_DECISION_1WD falls below its 90% target for the last three quarters.
DECISION_SERIES = [93.0, 94.0, 92.5, 93.5, 94.0, 92.0, 93.0, 91.0, 92.0, 84.0, 80.0, 78.0]


def base_value(spec: catalogue.IndicatorSpec, index: int) -> float:
    """A deterministic, gently varying value near the target (or a plausible level)."""
    if spec.code == "MASH_DECISION_1WD":
        return DECISION_SERIES[index]
    level = (
        spec.target if spec.target is not None else (40.0 if spec.unit == "percentage" else 120.0)
    )
    wiggle = [0.0, 0.04, -0.03, 0.02, -0.05, 0.03, 0.01, -0.02, 0.05, -0.04, 0.02, 0.0][index % 12]
    value = level * (1 + wiggle)
    if spec.unit == "percentage":
        value = min(value, 99.0)
    return round(value, 1) if spec.unit != "count" else float(round(value))


def seed_themes(engine: sa.Engine) -> dict[str, int]:
    """Fill a migrated store (catalogue loaded) with the fixture data; return some ids."""
    with session_scope(engine) as session:
        period_ids = ensure_periods(session, QUARTERS)
        council = Agency(
            code="LA", name="Borough Council", sector="council", agency_type="statutory_partner"
        )
        police = Agency(
            code="POL", name="Shire Police", sector="police", agency_type="statutory_partner"
        )
        north = Locality(code="N", name="North", child_population=20000)
        south = Locality(code="S", name="South", child_population=15000)
        session.add_all([council, police, north, south])
        session.flush()
        submission = Submission(
            file_name="q4_return.xlsx", checksum="0" * 64, submitted_by="qa.demo", row_count=1
        )
        session.add(submission)
        session.flush()
        indicator_ids = dict(session.execute(sa.select(Indicator.code, Indicator.id)).all())
        for spec in catalogue.indicators():
            for index, quarter in enumerate(QUARTERS):
                value = base_value(spec, index)
                common = dict(
                    indicator_id=indicator_ids[spec.code],
                    period_id=period_ids[quarter.code],
                    submission_id=submission.id,
                )
                if spec.unit == "percentage":
                    session.add(
                        IndicatorValue(
                            **common, value=value, numerator=value * 10, denominator=1000.0
                        )
                    )
                else:
                    session.add(IndicatorValue(**common, value=value))
                if "agency" in spec.breakdowns:
                    session.add(
                        IndicatorValue(**common, agency_id=council.id, value=round(value * 0.7))
                    )
                    session.add(
                        IndicatorValue(**common, agency_id=police.id, value=round(value * 0.3))
                    )
                if "locality" in spec.breakdowns:
                    session.add(
                        IndicatorValue(**common, locality_id=north.id, value=round(value * 0.6))
                    )
                    session.add(
                        IndicatorValue(**common, locality_id=south.id, value=round(value * 0.4))
                    )
            if spec.has_target:
                for quarter in QUARTERS[-4:]:
                    session.add(
                        ComparatorValue(
                            indicator_id=indicator_ids[spec.code],
                            comparator_type="england",
                            period_id=period_ids[quarter.code],
                            value=spec.target,
                        )
                    )
        # A superseded row behind the latest decision figure, for the drill-down.
        old = IndicatorValue(
            indicator_id=indicator_ids["MASH_CONTACTS"],
            period_id=period_ids[LATEST],
            agency_id=council.id,
            value=1.0,
            is_current=False,
        )
        session.add(old)

        start = LAST.start_date
        sources = ["police", "police", "schools", "health"]
        outcomes = ["referral_to_social_care", "early_help", "no_further_action", "early_help"]
        for number, (source, outcome) in enumerate(zip(sources, outcomes, strict=True)):
            received = dt.datetime.combine(start, dt.time(9)) + dt.timedelta(days=number)
            session.add(
                MashContact(
                    child_ref=f"CH{number:04d}",
                    received_at=received,
                    decided_at=received + dt.timedelta(hours=5 + 30 * (number == 3)),
                    period_id=period_ids[LATEST],
                    locality_id=north.id,
                    source=source,
                    outcome=outcome,
                    decision_within_one_working_day=number != 3,
                )
            )

        course = TrainingCourse(
            code="NEG1", title="Neglect toolkit", theme_code="neglect", delivery="face_to_face"
        )
        session.add(course)
        session.flush()
        for quarter in QUARTERS[-2:]:
            training = TrainingSession(
                course_id=course.id,
                session_date=quarter.start_date,
                period_id=period_ids[quarter.code],
                capacity=30,
            )
            session.add(training)
            session.flush()
            session.add_all(
                [
                    TrainingAttendance(session_id=training.id, agency_id=council.id, learners=12),
                    TrainingAttendance(session_id=training.id, agency_id=police.id, learners=8),
                    TrainingEvaluation(
                        session_id=training.id,
                        respondents=20,
                        pre_good_or_better=6,
                        post_good_or_better=16,
                        objectives_met=19,
                    ),
                    TrainingFollowUp(
                        session_id=training.id,
                        followed_up_on=LAST.start_date,
                        kirkpatrick_level=3,
                        respondents=10,
                        reporting_impact=7,
                    ),
                ]
            )

        audit = Audit(
            reference="MAA-24-01",
            title="Front door decisions",
            theme_code="mash",
            audit_type="multi_agency",
            audit_date=dt.date(2024, 11, 1),
            sample_size=6,
        )
        session.add(audit)
        session.flush()
        finding = AuditFinding(
            audit_id=audit.id,
            kind="area_for_improvement",
            text="Strategy meeting minutes not shared in time.",
        )
        strength = AuditFinding(
            audit_id=audit.id, kind="strength", text="Child's voice clearly recorded."
        )
        session.add_all([finding, strength])
        session.flush()
        overdue = AuditAction(
            audit_id=audit.id,
            finding_id=finding.id,
            owner_agency_id=police.id,
            description="Share minutes within 1 working day",
            due_date=dt.date(2025, 3, 1),
            status="open",
        )
        later = AuditAction(
            audit_id=audit.id,
            finding_id=finding.id,
            owner_agency_id=council.id,
            description="Re-audit strategy discussions",
            due_date=dt.date(2025, 9, 1),
            status="in_progress",
        )
        done = AuditAction(
            audit_id=audit.id,
            owner_agency_id=council.id,
            description="Brief staff",
            due_date=dt.date(2025, 1, 1),
            status="complete",
            completed_on=dt.date(2024, 12, 20),
        )
        session.add_all([overdue, later, done])
        session.flush()
        summary_id = save_assurance_summary(
            session,
            "mash",
            LATEST,
            "MASH Steering Group",
            dt.date(2025, 4, 10),
            "qa.demo",
            {
                "working_well": ["Police contacts triaged quickly."],
                "not_working_well": ["Decisions within one working day fell to 78%."],
                "next_steps": ["Add a second duty manager on Mondays."],
            },
            today=TODAY,
        )
        return {
            "council": council.id,
            "police": police.id,
            "overdue_action": overdue.id,
            "summary": summary_id,
            "audit": audit.id,
        }
