"""Queries over the indicator catalogue and its values."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from data_access.models import Indicator, IndicatorValue, ReportingPeriod, Theme
from data_access.queries_common import frame


def list_periods(*, engine: sa.Engine, kind: str | None = "quarter") -> pd.DataFrame:
    """Reporting periods in date order: id, code, fy_start_year, quarter, start/end dates.

    Quarters only by default (the pages' quarter pickers); kind="financial_year" or
    "academic_year" for the annual periods, None for all.
    """
    stmt = sa.select(
        ReportingPeriod.id,
        ReportingPeriod.code,
        ReportingPeriod.fy_start_year,
        ReportingPeriod.quarter,
        ReportingPeriod.start_date,
        ReportingPeriod.end_date,
    ).order_by(ReportingPeriod.start_date)
    if kind is not None:
        stmt = stmt.where(ReportingPeriod.kind == kind)
    return frame(engine, stmt)


def periods_with_data(*, engine: sa.Engine, kind: str | None = "quarter") -> pd.DataFrame:
    """Reporting periods that hold at least one current value, in date order (quarters only by
    default; kind as for list_periods)."""
    has_value = (
        sa.select(IndicatorValue.id)
        .where(
            IndicatorValue.period_id == ReportingPeriod.id,
            IndicatorValue.is_current.is_(True),
        )
        .exists()
    )
    stmt = (
        sa.select(
            ReportingPeriod.id,
            ReportingPeriod.code,
            ReportingPeriod.start_date,
            ReportingPeriod.end_date,
        )
        .where(has_value)
        .order_by(ReportingPeriod.start_date)
    )
    if kind is not None:
        stmt = stmt.where(ReportingPeriod.kind == kind)
    return frame(engine, stmt)


def latest_partnership_values(*, engine: sa.Engine, period_code: str | None = None) -> pd.DataFrame:
    """Each indicator's partnership-level value for its latest period (or for `period_code`).

    Columns: theme_code, theme_name, code, name, unit, polarity, target, headline, period_code,
    value, numerator (the count behind a percentage or rate), denominator, status_symbol.
    Indicators without a value still appear, with empty value columns.
    """
    partnership = sa.and_(
        IndicatorValue.is_current.is_(True),
        IndicatorValue.agency_id.is_(None),
        IndicatorValue.locality_id.is_(None),
    )
    if period_code is None:
        latest_start = (
            sa.select(
                IndicatorValue.indicator_id.label("indicator_id"),
                sa.func.max(ReportingPeriod.start_date).label("start_date"),
            )
            .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
            .where(partnership)
            .group_by(IndicatorValue.indicator_id)
            .subquery()
        )
        chosen = (
            sa.select(
                latest_start.c.indicator_id,
                ReportingPeriod.id.label("period_id"),
                ReportingPeriod.code.label("period_code"),
            )
            .join(ReportingPeriod, ReportingPeriod.start_date == latest_start.c.start_date)
            # A financial year starts on the day its Q1 does: keep the period the value is for.
            .where(
                sa.select(IndicatorValue.id)
                .where(
                    IndicatorValue.indicator_id == latest_start.c.indicator_id,
                    IndicatorValue.period_id == ReportingPeriod.id,
                    partnership,
                )
                .exists()
            )
            .subquery()
        )
        value_join = sa.and_(
            IndicatorValue.indicator_id == Indicator.id,
            IndicatorValue.period_id == chosen.c.period_id,
            partnership,
        )
        stmt = (
            sa.select(
                Indicator.theme_code,
                Theme.name.label("theme_name"),
                Indicator.code,
                Indicator.name,
                Indicator.unit,
                Indicator.polarity,
                Indicator.target,
                Indicator.headline,
                chosen.c.period_code,
                IndicatorValue.value,
                IndicatorValue.numerator,
                IndicatorValue.denominator,
                IndicatorValue.status_symbol,
            )
            .join(Theme, Theme.code == Indicator.theme_code)
            .outerjoin(chosen, chosen.c.indicator_id == Indicator.id)
            .outerjoin(IndicatorValue, value_join)
            .order_by(Theme.sort_order, Indicator.sort_order)
        )
    else:
        period = sa.select(ReportingPeriod.id).where(ReportingPeriod.code == period_code)
        value_join = sa.and_(
            IndicatorValue.indicator_id == Indicator.id,
            IndicatorValue.period_id == period.scalar_subquery(),
            partnership,
        )
        stmt = (
            sa.select(
                Indicator.theme_code,
                Theme.name.label("theme_name"),
                Indicator.code,
                Indicator.name,
                Indicator.unit,
                Indicator.polarity,
                Indicator.target,
                Indicator.headline,
                sa.literal(period_code).label("period_code"),
                IndicatorValue.value,
                IndicatorValue.numerator,
                IndicatorValue.denominator,
                IndicatorValue.status_symbol,
            )
            .join(Theme, Theme.code == Indicator.theme_code)
            .outerjoin(IndicatorValue, value_join)
            .order_by(Theme.sort_order, Indicator.sort_order)
        )
    return frame(engine, stmt)
