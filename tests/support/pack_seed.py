"""A small store with every kind of record a board pack shows, for tests (not the sample data).

Not collected by pytest; import as `from tests.support.pack_seed import seed_pack_store`.
"""

from __future__ import annotations

import datetime as dt
import math

import sqlalchemy as sa

from data_access import catalogue
from data_access.db import session_scope
from data_access.models import (
    Agency,
    AssuranceItem,
    AssuranceSummary,
    Audit,
    AuditAction,
    ComparatorValue,
    Indicator,
    IndicatorValue,
    MeetingDecision,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Standard,
    Submission,
    YouthChallenge,
)
from data_access.periods import Quarter, quarters_between
from data_access.reference import ensure_periods

FIRST, LAST = Quarter(2023, 3), Quarter(2025, 2)
PERIOD = LAST.code
TODAY = dt.date(2025, 11, 23)


def _value(spec: catalogue.IndicatorSpec, step: int) -> float:
    base = spec.target if spec.target is not None else 50.0
    if spec.unit == "percentage":
        base = min(base, 90.0)
    return round(base * (0.92 + 0.02 * step) + 2 * math.sin(step), 1)


def seed_pack_store(engine: sa.Engine) -> None:
    quarters = quarters_between(FIRST, LAST)
    with session_scope(engine) as session:
        periods = ensure_periods(session, quarters)
        ids = {i.code: i.id for i in session.scalars(sa.select(Indicator))}
        for step, quarter in enumerate(quarters):
            sub = Submission(
                file_name=f"return-{quarter.code}.xlsx",
                checksum=f"{step:064d}",
                submitted_by="qa.demo",
                submitted_at=dt.datetime.combine(quarter.end_date, dt.time(10))
                + dt.timedelta(days=20),
            )
            session.add(sub)
            session.flush()
            for spec in catalogue.indicators():
                session.add(
                    IndicatorValue(
                        indicator_id=ids[spec.code],
                        period_id=periods[quarter.code],
                        value=_value(spec, step),
                        submission_id=sub.id,
                    )
                )
                if spec.headline and step % 4 == 3:
                    session.add(
                        ComparatorValue(
                            indicator_id=ids[spec.code],
                            comparator_type="england",
                            period_id=periods[quarter.code],
                            value=_value(spec, step) * 1.03,
                        )
                    )
        police = Agency(
            code="POL", name="Brookvale Police", sector="police", agency_type="statutory_partner"
        )
        school = Agency(
            code="SCH",
            name="Hillside Academy",
            sector="education",
            agency_type="relevant_agency",
            section_175=True,
        )
        session.add_all([police, school])
        session.flush()
        summary = AssuranceSummary(
            theme_code="mash",
            period_id=periods[PERIOD],
            group_name="MASH Steering Group",
            meeting_date=dt.date(2025, 10, 14),
            author="qa.demo",
        )
        summary.items = [
            AssuranceItem(
                category="working_well", text="Decisions within a day are steady.", position=0
            ),
            AssuranceItem(
                category="not_working_well", text="Police notifications arrive late.", position=0
            ),
            AssuranceItem(
                category="next_steps", text="Re-audit strategy discussions in April.", position=0
            ),
        ]
        session.add(summary)
        audit = Audit(
            reference="MA-2025-01",
            title="Strategy discussions",
            theme_code="mash",
            audit_type="multi_agency",
            audit_date=dt.date(2025, 5, 1),
            sample_size=6,
            lead_agency_id=police.id,
        )
        audit.actions = [
            AuditAction(
                description="Share strategy minutes within 2 days",
                owner_agency_id=police.id,
                due_date=dt.date(2025, 8, 31),
            )
        ]
        session.add(audit)
        cycle = S11Cycle(name="2024-26", opens_on=dt.date(2024, 9, 1), due_on=dt.date(2024, 12, 1))
        session.add(cycle)
        session.flush()
        standards = list(
            session.scalars(
                sa.select(S11Standard)
                .where(S11Standard.framework == "section_11")
                .order_by(S11Standard.number)
            )
        )
        ret = S11Return(agency_id=police.id, cycle_id=cycle.id, submitted_on=dt.date(2024, 11, 20))
        ret.ratings = [
            S11Rating(
                standard_id=s.id,
                rating=("green", "amber", "red")[i % 3],
                evidence_summary="Policy in place.",
            )
            for i, s in enumerate(standards)
        ]
        session.add(ret)
        session.add(
            YouthChallenge(
                agency_id=police.id,
                standard_id=standards[2].id,
                cycle_id=cycle.id,
                kind="question",
                text="How do you listen to young people who go missing?",
                author="youth.member7",
            )
        )
        session.add(
            MeetingDecision(
                meeting_date=dt.date(2025, 8, 20),
                theme_code="mash",
                kind="action",
                text="Report back on police notifications",
                owner="Detective Superintendent",
                due_date=dt.date(2025, 10, 1),
                recorded_by="qa.demo",
            )
        )
