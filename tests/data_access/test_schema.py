"""The schema: migrations build it on both stores and the database itself enforces the rules."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from data_access import catalogue, migrate
from data_access.db import engine_for, session_scope
from data_access.models import (
    Agency,
    Audit,
    AuditCase,
    Base,
    Indicator,
    IndicatorValue,
    ReportingPeriod,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Standard,
)
from data_access.periods import Quarter
from data_access.reference import ensure_periods


def test_migrations_create_every_model_table_and_downgrade_to_empty(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine)
    tables = set(sa.inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert migrate.current_revision(engine) is not None
    migrate.downgrade(engine)
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}


def test_catalogue_is_loaded_into_the_store(store: sa.Engine) -> None:
    with session_scope(store) as session:
        codes = set(session.scalars(sa.select(Indicator.code)))
        standards = session.scalar(sa.select(sa.func.count()).select_from(S11Standard))
    assert codes == {i.code for i in catalogue.indicators()}
    assert len(codes) >= 40
    assert standards == len(catalogue.standards()) + len(catalogue.standards("education_175_157"))


def _one_value_setup(session) -> tuple[int, int, int]:
    period_id = ensure_periods(session, [Quarter(2024, 1)])["2024-25 Q1"]
    agency = Agency(code="POL", name="Police", sector="police", agency_type="statutory_partner")
    session.add(agency)
    session.flush()
    indicator_id = session.scalar(sa.select(Indicator.id).where(Indicator.code == "MASH_CONTACTS"))
    return indicator_id, period_id, agency.id


@pytest.mark.parametrize("agency_level", [False, True])
def test_duplicate_current_value_is_rejected(store: sa.Engine, agency_level: bool) -> None:
    with session_scope(store) as session:
        indicator_id, period_id, agency_id = _one_value_setup(session)
    agency = agency_id if agency_level else None
    with session_scope(store) as session:
        session.add(
            IndicatorValue(
                indicator_id=indicator_id, period_id=period_id, agency_id=agency, value=10
            )
        )
    with pytest.raises(IntegrityError), session_scope(store) as session:
        session.add(
            IndicatorValue(
                indicator_id=indicator_id, period_id=period_id, agency_id=agency, value=11
            )
        )
    # A superseded (historical) row beside the current one is allowed.
    with session_scope(store) as session:
        session.add(
            IndicatorValue(
                indicator_id=indicator_id,
                period_id=period_id,
                agency_id=agency,
                value=9,
                is_current=False,
            )
        )
        count = session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue))
    assert count == 2


def test_numerator_above_denominator_and_unknown_symbol_are_rejected(store: sa.Engine) -> None:
    with session_scope(store) as session:
        indicator_id, period_id, _ = _one_value_setup(session)
    for bad in (
        {"value": 120.0, "numerator": 12.0, "denominator": 10.0},
        {"value": None, "status_symbol": "q"},
        {"value": None},
    ):
        with pytest.raises(IntegrityError), session_scope(store) as session:
            session.add(IndicatorValue(indicator_id=indicator_id, period_id=period_id, **bad))


def test_audit_grade_outside_the_four_is_rejected(store: sa.Engine) -> None:
    with session_scope(store) as session:
        audit = Audit(
            reference="MACA-1",
            title="Neglect audit",
            theme_code="neglect",
            audit_type="multi_agency",
            audit_date=dt.date(2024, 5, 1),
            sample_size=1,
        )
        session.add(audit)
    with pytest.raises(IntegrityError), session_scope(store) as session:
        session.add(
            AuditCase(
                audit_id=audit.id, case_ref="C1", grade="excellent", child_voice_evidenced=True
            )
        )


def test_s11_rating_outside_rag_is_rejected(store: sa.Engine) -> None:
    with session_scope(store) as session:
        agency = Agency(
            code="GP", name="GP practices", sector="health", agency_type="relevant_agency"
        )
        cycle = S11Cycle(name="2024-26", opens_on=dt.date(2024, 4, 1), due_on=dt.date(2024, 9, 30))
        session.add_all([agency, cycle])
        session.flush()
        ret = S11Return(agency_id=agency.id, cycle_id=cycle.id)
        session.add(ret)
        session.flush()
        standard_id = session.scalar(
            sa.select(S11Standard.id).where(
                S11Standard.number == 1, S11Standard.framework == "section_11"
            )
        )
        return_id = ret.id
    with pytest.raises(IntegrityError), session_scope(store) as session:
        session.add(
            S11Rating(
                return_id=return_id, standard_id=standard_id, rating="purple", evidence_summary="x"
            )
        )


def test_duplicate_period_is_rejected(store: sa.Engine) -> None:
    q = Quarter(2023, 2)
    with pytest.raises(IntegrityError), session_scope(store) as session:
        for code in (q.code, q.code + "b"):
            session.add(
                ReportingPeriod(
                    code=code,
                    fy_start_year=2023,
                    quarter=2,
                    start_date=q.start_date,
                    end_date=q.end_date,
                )
            )
