"""The reference data a return is checked against, read from the store once per file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import catalogue
from data_access.models import Agency, Indicator, IndicatorValue, Locality, ReportingPeriod
from data_access.periods import FinancialYear, Quarter, parse_period

POPULATION_CODE = "CHILD_POPULATION"


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    code: str
    name: str
    unit: str
    breakdowns: frozenset[str]
    reported_by: frozenset[str]
    frequency: str = "quarterly"
    plausible_min: float | None = None
    plausible_max: float | None = None


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
    # {(financial year code, locality code or ''): children aged 0-17}, from CHILD_POPULATION
    child_population: dict[tuple[str, str], float] = field(default_factory=dict)


def load_lookups(session: so.Session, today: dt.date | None = None) -> Lookups:
    """Read every indicator, agency, locality and period once (no query per row)."""
    declared = {spec.code: spec for spec in catalogue.indicators()}
    indicators = {}
    for row in session.execute(
        sa.select(
            Indicator.id, Indicator.code, Indicator.name, Indicator.unit, Indicator.reported_by
        )
    ):
        spec = declared.get(row.code)
        indicators[row.code.upper()] = IndicatorRef(
            id=row.id,
            code=row.code,
            name=row.name,
            unit=row.unit,
            breakdowns=frozenset(spec.breakdowns if spec else ()),
            reported_by=frozenset(s.strip() for s in (row.reported_by or "").split(",") if s),
            frequency=spec.frequency if spec else "quarterly",
            plausible_min=spec.plausible_min if spec else None,
            plausible_max=spec.plausible_max if spec else None,
        )
    agencies = {
        row.code.upper(): AgencyRef(row.id, row.code, row.name, row.sector, row.active)
        for row in session.execute(
            sa.select(Agency.id, Agency.code, Agency.name, Agency.sector, Agency.active)
        )
    }
    localities = {
        code.upper(): id_ for id_, code in session.execute(sa.select(Locality.id, Locality.code))
    }
    periods = dict(session.execute(sa.select(ReportingPeriod.code, ReportingPeriod.id)).all())
    return Lookups(
        indicators,
        agencies,
        localities,
        periods,
        today or dt.date.today(),
        child_population(session),
    )


def child_population(session: so.Session) -> dict[tuple[str, str], float]:
    """The child population the partnership has loaded, by financial year and locality code."""
    rows = session.execute(
        sa.select(ReportingPeriod.code, Locality.code, IndicatorValue.value)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .outerjoin(Locality, Locality.id == IndicatorValue.locality_id)
        .where(
            Indicator.code == POPULATION_CODE,
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.value.is_not(None),
        )
    )
    out: dict[tuple[str, str], float] = {}
    for period_code, locality_code, value in rows:
        period = parse_period(period_code)
        year = (
            period.financial_year
            if isinstance(period, Quarter)
            else FinancialYear(period.fy_start_year)
        ).code
        # The query leaves out blank values: value is never None here.
        out[(year, (locality_code or "").upper())] = float(cast(float, value))
    return out
