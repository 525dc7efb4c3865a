"""The reference data a return is checked against, read from the store once per file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import catalogue
from data_access.models import Agency, Indicator, Locality, ReportingPeriod


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    code: str
    name: str
    unit: str
    breakdowns: frozenset[str]
    reported_by: frozenset[str]


@dataclass(frozen=True)
class AgencyRef:
    id: int
    code: str
    name: str
    sector: str
    active: bool


@dataclass(frozen=True)
class Lookups:
    """Indicators, agencies, localities and periods keyed by upper-case code, plus today's date."""

    indicators: dict[str, IndicatorRef]
    agencies: dict[str, AgencyRef]
    localities: dict[str, int]
    periods: dict[str, int]  # periods already in the store; others are created on loading
    today: dt.date


def load_lookups(session: so.Session, today: dt.date | None = None) -> Lookups:
    """Read every indicator, agency, locality and period once (no query per row)."""
    declared = {spec.code: spec for spec in catalogue.indicators()}
    indicators = {}
    for row in session.execute(
        sa.select(Indicator.id, Indicator.code, Indicator.name, Indicator.unit,
                  Indicator.reported_by)
    ):
        spec = declared.get(row.code)
        indicators[row.code.upper()] = IndicatorRef(
            id=row.id,
            code=row.code,
            name=row.name,
            unit=row.unit,
            breakdowns=frozenset(spec.breakdowns if spec else ()),
            reported_by=frozenset(s.strip() for s in (row.reported_by or "").split(",") if s),
        )
    agencies = {
        row.code.upper(): AgencyRef(row.id, row.code, row.name, row.sector, row.active)
        for row in session.execute(
            sa.select(Agency.id, Agency.code, Agency.name, Agency.sector, Agency.active)
        )
    }
    localities = {
        code.upper(): id_
        for id_, code in session.execute(sa.select(Locality.id, Locality.code))
    }
    periods = dict(session.execute(sa.select(ReportingPeriod.code, ReportingPeriod.id)).all())
    return Lookups(indicators, agencies, localities, periods, today or dt.date.today())
