"""A hand-made schools' and colleges' audit (section 175/157) with known answers, beside one
Section 11 return, for tests.

Five settings are expected (a sixth is closed): two return on time (one on the due date itself),
one late, one never, and one opened a return but never submitted it. Three standards are rated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from data_access.db import session_scope
from data_access.models import (
    Agency,
    EducationSetting,
    Locality,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Standard,
)

DUE = dt.date(2026, 1, 30)


@dataclass(frozen=True)
class EducationSeeded:
    cycle: int
    s11_cycle: int
    settings: dict[str, int]


def seed_education(engine: sa.Engine) -> EducationSeeded:
    with session_scope(engine) as session:
        north = Locality(code="N", name="North", child_population=1000)
        session.add(north)
        session.flush()

        def setting(code: str, name: str, phase: str, duty: str, active: bool = True):
            row = EducationSetting(
                code=code, name=name, phase=phase, duty=duty, locality_id=north.id, active=active
            )
            session.add(row)
            return row

        ash = setting("1001", "Ash Primary School", "primary", "section_175")
        beech = setting("1002", "Beech Academy", "secondary", "section_157")
        cedar = setting("1003", "Cedar College", "college", "section_175")
        setting("1004", "Daisy Special School", "special", "section_157")
        elm = setting("1005", "Elm Primary School", "primary", "section_175")
        setting("1006", "Fir Primary School", "primary", "section_175", active=False)
        council = Agency(
            code="LA", name="Borough Council", sector="council", agency_type="statutory_partner"
        )
        session.add(council)
        audit = S11Cycle(
            framework="education_175_157",
            name="2025-26",
            opens_on=dt.date(2025, 10, 1),
            due_on=DUE,
        )
        s11 = S11Cycle(name="2024-26", opens_on=dt.date(2024, 9, 2), due_on=dt.date(2024, 12, 13))
        session.add_all([audit, s11])
        session.flush()
        standards = {(s.framework, s.number): s.id for s in session.scalars(sa.select(S11Standard))}

        def ret(
            cycle: S11Cycle,
            submitted: dt.date | None,
            ratings: dict[int, tuple[str, str | None]],
            *,
            setting_id: int | None = None,
            agency_id: int | None = None,
        ) -> None:
            row = S11Return(
                setting_id=setting_id,
                agency_id=agency_id,
                cycle_id=cycle.id,
                submitted_on=submitted,
                signed_off_by_role="Headteacher",
            )
            for number, (rating, action) in ratings.items():
                row.ratings.append(
                    S11Rating(
                        standard_id=standards[(cycle.framework, number)],
                        rating=rating,
                        evidence_summary=f"evidence {number}",
                        improvement_action=action,
                    )
                )
            session.add(row)

        ret(
            audit,
            dt.date(2026, 1, 10),
            {1: ("green", None), 2: ("amber", "Train a deputy"), 3: ("red", "Review the policy")},
            setting_id=ash.id,
        )
        ret(
            audit,
            DUE,
            {
                1: ("green", None),
                2: ("amber", "Train a deputy"),
                # The same words with stray spaces are the same action.
                3: ("amber", "  Review the policy "),
            },
            setting_id=beech.id,
        )
        ret(
            audit,
            dt.date(2026, 2, 14),
            {1: ("amber", "Name a governor"), 2: ("green", None), 3: ("green", None)},
            setting_id=cedar.id,
        )
        ret(audit, None, {}, setting_id=elm.id)
        ret(s11, dt.date(2024, 12, 1), {1: ("green", None)}, agency_id=council.id)
        session.flush()
        return EducationSeeded(
            cycle=audit.id,
            s11_cycle=s11.id,
            settings={"ash": ash.id, "beech": beech.id, "cedar": cedar.id},
        )
