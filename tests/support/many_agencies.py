"""A store with more agencies than one choice box may list (issue 12: thousands at scale 60)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from data_access.db import session_scope
from data_access.models import Agency, S11Rating, S11Return, S11Standard

# Beyond dashboard.components.filters.MAX_AGENCY_OPTIONS (200), so the bound has to apply.
CLUBS = 260


def club_name(number: int) -> str:
    return f"Village Club {number:03d}"


def add_clubs(engine: sa.Engine, cycle_id: int, count: int = CLUBS) -> None:
    """`count` voluntary-sector agencies, each with a returned self-assessment in `cycle_id`."""
    with session_scope(engine) as session:
        standard = session.scalars(
            sa.select(S11Standard)
            .where(S11Standard.framework == "section_11")
            .order_by(S11Standard.number)
        ).first()
        for number in range(count):
            agency = Agency(
                code=f"VC{number:03d}",
                name=club_name(number),
                sector="voluntary",
                agency_type="relevant_agency",
            )
            session.add(agency)
            session.flush()
            returned = S11Return(
                agency_id=agency.id, cycle_id=cycle_id, submitted_on=dt.date(2023, 11, 20)
            )
            returned.ratings.append(
                S11Rating(
                    standard_id=standard.id,
                    rating="green",
                    evidence_summary=f"{agency.name} evidence",
                )
            )
            session.add(returned)


def add_agencies(engine: sa.Engine, count: int = CLUBS) -> None:
    """`count` voluntary-sector agencies (VC000 "Village Club 000", ...) with no returns."""
    with session_scope(engine) as session:
        session.add_all(
            Agency(
                code=f"VC{number:03d}",
                name=club_name(number),
                sector="voluntary",
                agency_type="relevant_agency",
            )
            for number in range(count)
        )
