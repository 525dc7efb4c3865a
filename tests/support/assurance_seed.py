"""A small, hand-made set of audits and Section 11 returns with known answers, for tests.

Not collected by pytest (no test_ prefix); import it as `from assurance_seed import seed`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from data_access.db import session_scope
from data_access.models import (
    Agency,
    Audit,
    AuditAction,
    AuditCase,
    AuditFinding,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Standard,
)

TODAY = dt.date(2025, 1, 31)


@dataclass(frozen=True)
class Seeded:
    council: int
    police: int
    health: int
    school: int
    closed_charity: int
    old_cycle: int
    new_cycle: int
    first_audit: int
    reaudit: int
    overdue_action: int
    complete_action: int
    standard_ids: dict[int, int]


def _cases(audit: Audit, grades: list[str], voice: int) -> None:
    for number, grade in enumerate(grades, start=1):
        audit.cases.append(
            AuditCase(case_ref=f"C{number:03d}", grade=grade, child_voice_evidenced=number <= voice)
        )


def seed(engine: sa.Engine) -> Seeded:
    """Five agencies, two Section 11 cycles, an audit and its re-audit."""
    with session_scope(engine) as session:
        council = Agency(
            code="LA", name="Borough Council", sector="council", agency_type="statutory_partner"
        )
        police = Agency(
            code="POL", name="County Police", sector="police", agency_type="statutory_partner"
        )
        health = Agency(
            code="ICB", name="Health Board", sector="health", agency_type="statutory_partner"
        )
        school = Agency(
            code="SCH",
            name="Northfield School",
            sector="education",
            agency_type="relevant_agency",
            section_175=True,
        )
        closed = Agency(
            code="OLD",
            name="Closed Charity",
            sector="voluntary",
            agency_type="relevant_agency",
            active=False,
        )
        session.add_all([council, police, health, school, closed])
        standards = {
            s.number: s
            for s in session.scalars(
                sa.select(S11Standard).where(S11Standard.framework == "section_11")
            )
        }
        old = S11Cycle(name="2021-23", opens_on=dt.date(2021, 9, 1), due_on=dt.date(2021, 12, 1))
        new = S11Cycle(name="2023-25", opens_on=dt.date(2023, 9, 1), due_on=dt.date(2023, 12, 1))
        session.add_all([old, new])
        session.flush()

        def ret(agency: Agency, cycle: S11Cycle, ratings: dict[int, str]) -> None:
            row = S11Return(
                agency_id=agency.id,
                cycle_id=cycle.id,
                submitted_on=cycle.due_on - dt.timedelta(days=10),
                signed_off_by_role="Director",
            )
            for number, rating in ratings.items():
                row.ratings.append(
                    S11Rating(
                        standard_id=standards[number].id,
                        rating=rating,
                        evidence_summary=f"{agency.name} evidence for standard {number}",
                        improvement_action=None
                        if rating == "green"
                        else f"{agency.name} will improve standard {number}",
                    )
                )
            session.add(row)

        ret(council, old, {1: "amber", 2: "green", 3: "red"})
        ret(police, old, {1: "green", 2: "green", 3: "amber"})
        ret(council, new, {1: "green", 2: "amber", 3: "red"})  # improved, declined, same
        ret(police, new, {1: "green", 2: "green", 3: "green"})
        ret(health, new, {1: "red", 2: "amber", 3: "green"})  # new: no earlier return
        # The school opened a return but never submitted it: it has not returned.
        session.add(S11Return(agency_id=school.id, cycle_id=new.id, submitted_on=None))

        first = Audit(
            reference="MACA-1",
            title="Neglect multi-agency audit",
            theme_code="neglect",
            audit_type="multi_agency",
            audit_date=dt.date(2024, 3, 1),
            sample_size=4,
            status="complete",
            lead_agency_id=council.id,
            reaudit_due=dt.date(2024, 10, 1),
            created_by="seed",
        )
        first.agencies = [council, police]
        _cases(first, ["good", "good", "requires_improvement", "inadequate"], voice=2)
        first.findings = [
            AuditFinding(kind="strength", text="Strategy discussions were timely."),
            AuditFinding(kind="area_for_improvement", text="GPs not told of looked-after status."),
        ]
        session.add(first)
        session.flush()
        overdue = AuditAction(
            audit_id=first.id,
            description="Notify GPs within 5 days",
            owner_agency_id=health.id,
            due_date=dt.date(2024, 12, 1),
            status="open",
        )
        done = AuditAction(
            audit_id=first.id,
            description="Share minutes within 2 days",
            owner_agency_id=police.id,
            due_date=dt.date(2024, 6, 1),
            status="complete",
            completed_on=dt.date(2024, 5, 20),
            evidence="Minutes template changed",
        )
        future = AuditAction(
            audit_id=first.id,
            description="Refresh neglect training",
            owner_agency_id=council.id,
            due_date=dt.date(2025, 6, 1),
            status="in_progress",
        )
        session.add_all([overdue, done, future])

        again = Audit(
            reference="MACA-2",
            title="Neglect re-audit",
            theme_code="neglect",
            audit_type="multi_agency",
            audit_date=dt.date(2024, 10, 2),
            sample_size=4,
            status="complete",
            lead_agency_id=council.id,
            reaudit_of_id=first.id,
            created_by="seed",
        )
        again.agencies = [council, police]
        _cases(again, ["outstanding", "good", "good", "requires_improvement"], voice=3)
        single = Audit(
            reference="SAA-1",
            title="Police single-agency audit",
            theme_code="complex_safeguarding",
            audit_type="single_agency",
            audit_date=dt.date(2023, 5, 1),
            sample_size=2,
            status="complete",
            lead_agency_id=police.id,
            created_by="seed",
        )
        single.agencies = [police]
        _cases(single, ["good", "good"], voice=1)
        session.add_all([again, single])
        session.flush()
        return Seeded(
            council=council.id,
            police=police.id,
            health=health.id,
            school=school.id,
            closed_charity=closed.id,
            old_cycle=old.id,
            new_cycle=new.id,
            first_audit=first.id,
            reaudit=again.id,
            overdue_action=overdue.id,
            complete_action=done.id,
            standard_ids={n: s.id for n, s in standards.items()},
        )
