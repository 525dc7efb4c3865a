"""Data-quality checks: missing and late returns, completeness by theme, years against quarters.

* An agency is **expected** to return figures each quarter when its sector appears in any
  indicator's `reported_by` in the catalogue; it **has submitted** for a quarter when a loaded
  (not rolled-back) submission is attributed to it for that quarter, or the store holds current
  figures for that agency and quarter.
* A return is **late** when the agency's first loaded submission for the quarter arrived more than
  `LATE_AFTER_DAYS` days after the quarter ended.
* **Completeness** of a theme: the share of expected cells (each of its quarterly indicators x
  each ended quarter) holding a current partnership-level figure or a GSS symbol. Annual
  indicators are reported once a year and are not expected each quarter.
* A **yearly figure that differs from its quarters**: an annual indicator (from an annual return)
  whose declared quarterly measure, its four quarters rolled up by the measure's rule
  (`data_access.rollup`), gives a different figure for the same financial year. Both are listed,
  with their numerators, denominators and sources, for the officer to reconcile (a different
  basis to name, or a figure to correct).

The checks on the figures themselves (implausible movements, unusual figures) are in
`data_access.figure_outliers`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import annual_figures, catalogue
from data_access.models import (
    Agency,
    Indicator,
    IndicatorValue,
    ReportingPeriod,
    Submission,
    Theme,
)
from data_access.queries_common import frame

# Partners are asked to return figures within six weeks of the quarter's end; 45 days allows a
# deadline falling at a weekend.
LATE_AFTER_DAYS = 45
DEFAULT_QUARTERS = 4


def _ended_periods(engine: sa.Engine, today: dt.date, quarters: int) -> pd.DataFrame:
    stmt = (
        sa.select(
            ReportingPeriod.id,
            ReportingPeriod.code,
            ReportingPeriod.start_date,
            ReportingPeriod.end_date,
        )
        .where(ReportingPeriod.end_date < today, ReportingPeriod.kind == "quarter")
        .order_by(ReportingPeriod.start_date.desc())
        .limit(quarters)
    )
    return frame(engine, stmt).sort_values("start_date").reset_index(drop=True)


def _reporting_sectors() -> set[str]:
    return {sector for spec in catalogue.indicators() for sector in spec.reported_by}


# Agencies checked per statement in the second step of `missing_submissions`.
_CANDIDATES_PER_QUERY = 500


def _no_return(
    agency_id: sa.SQLColumnExpression[int],
    period_id: sa.SQLColumnExpression[int],
    period_ids: list[int],
    *,
    thorough: bool,
) -> list[sa.ColumnElement[bool]]:
    """Conditions true where the agency has nothing loaded for the quarter.

    The first, no loaded submission attributed to the agency for the quarter, settles nearly
    every expected return; `thorough` adds the other two ways a return can arrive (current
    agency-level figures for the quarter; a loaded submission of the agency carrying figures
    for it), which are dearer and asked only of the few agencies the first leaves.
    """
    loaded = Submission.status == "loaded"
    conditions = [
        sa.not_(
            sa.exists().where(
                Submission.agency_id == agency_id,
                Submission.period_id == period_id,
                loaded,
                # Repeated so that a store that hashes the submissions hashes these quarters' only.
                Submission.period_id.in_(period_ids),
            )
        )
    ]
    if thorough:
        conditions += [
            sa.not_(
                sa.exists().where(
                    IndicatorValue.agency_id == agency_id,
                    IndicatorValue.period_id == period_id,
                    IndicatorValue.is_current.is_(True),
                )
            ),
            sa.not_(
                sa.exists().where(
                    Submission.agency_id == agency_id,
                    loaded,
                    IndicatorValue.submission_id == Submission.id,
                    IndicatorValue.period_id == period_id,
                )
            ),
        ]
    return conditions


def missing_submissions(
    *, engine: sa.Engine, quarters: int = DEFAULT_QUARTERS, today: dt.date | None = None
) -> pd.DataFrame:
    """Agencies expected to return figures with nothing loaded for one of the last ended quarters.

    Columns: agency_code, agency_name, sector, period_code, quarter_ended, days_since_quarter_end.

    Two steps, both in the store: the agencies with no submission attributed to them for one of
    the quarters (an index seek per agency and quarter, `ix_submission_agency_period`), then,
    for those few only, the full test. In one statement PostgreSQL expected thousands of
    agencies to pass the first test and hashed every figure in the store for the second (1 s at
    the benchmark's scale 60, where two returns are missing).
    """
    today = today or dt.date.today()
    columns = [
        "agency_code",
        "agency_name",
        "sector",
        "period_code",
        "quarter_ended",
        "days_since_quarter_end",
    ]
    periods = _ended_periods(engine, today, quarters)
    if periods.empty:
        return pd.DataFrame(columns=columns)
    period_ids = [int(i) for i in periods["id"]]
    expected = [Agency.active.is_(True), Agency.sector.in_(sorted(_reporting_sectors()))]
    candidates = (
        sa.select(Agency.id)
        .distinct()
        .join(ReportingPeriod, ReportingPeriod.id.in_(period_ids))
        .where(*expected, *_no_return(Agency.id, ReportingPeriod.id, period_ids, thorough=False))
    )
    with engine.connect() as connection:
        agency_ids = sorted(connection.execute(candidates).scalars())
    found = [pd.DataFrame(columns=[*columns[:5], "start_date"])]
    for start in range(0, len(agency_ids), _CANDIDATES_PER_QUERY):
        chunk = agency_ids[start : start + _CANDIDATES_PER_QUERY]
        found.append(
            frame(
                engine,
                (
                    sa.select(
                        Agency.code.label("agency_code"),
                        Agency.name.label("agency_name"),
                        Agency.sector,
                        ReportingPeriod.code.label("period_code"),
                        ReportingPeriod.end_date.label("quarter_ended"),
                        ReportingPeriod.start_date,
                    )
                    .join(ReportingPeriod, ReportingPeriod.id.in_(period_ids))
                    .where(
                        Agency.id.in_(chunk),
                        *expected,
                        *_no_return(Agency.id, ReportingPeriod.id, period_ids, thorough=True),
                    )
                ),
            )
        )
    missing = pd.concat([f for f in found if not f.empty] or found[:1], ignore_index=True)
    missing = missing.sort_values(
        ["start_date", "agency_code"], ascending=[False, True]
    ).reset_index(drop=True)
    missing["days_since_quarter_end"] = [
        (today - pd.Timestamp(end).date()).days for end in missing["quarter_ended"]
    ]
    return missing[columns].reset_index(drop=True)


def late_submissions(
    *,
    engine: sa.Engine,
    late_after_days: int = LATE_AFTER_DAYS,
    quarters: int = 8,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Returns whose first loaded submission came more than `late_after_days` after quarter end.

    Columns: agency_code, agency_name, period_code, quarter_ended, first_submitted_at, days_late.
    """
    today = today or dt.date.today()
    columns = [
        "agency_code",
        "agency_name",
        "period_code",
        "quarter_ended",
        "first_submitted_at",
        "days_after_quarter_end",
        "days_late",
    ]
    periods = _ended_periods(engine, today, quarters)
    if periods.empty:
        return pd.DataFrame(columns=columns)
    # Late means first loaded on or after the day `late_after_days + 1` after the quarter ended.
    # The store keeps only those (a cut-off per quarter, worked out here, where date arithmetic
    # is the same for every store): the on-time returns, nearly all of them, are not fetched.
    cutoffs = {
        int(period_id): dt.datetime.combine(
            pd.Timestamp(end).date() + dt.timedelta(days=late_after_days + 1), dt.time()
        )
        for period_id, end in zip(periods["id"], periods["end_date"], strict=True)
    }
    # Only the files received after their quarter's cut-off are read (a range per quarter on
    # ix_submission_period_received), and a return is late when no file of the same agency and
    # quarter came before the cut-off (a seek on ix_submission_agency_period): the same as
    # "the first file came after the cut-off", without grouping every file of the quarters.
    earlier = so.aliased(Submission, name="earlier")
    cutoff_of = sa.case(cutoffs, value=earlier.period_id, else_=None)
    on_time_before = sa.exists().where(
        earlier.agency_id == Submission.agency_id,
        earlier.period_id == Submission.period_id,
        earlier.status == "loaded",
        earlier.submitted_at < cutoff_of,
    )
    after_cutoff = sa.or_(
        *(
            sa.and_(Submission.period_id == period_id, Submission.submitted_at >= cutoff)
            for period_id, cutoff in cutoffs.items()
        )
    )
    stmt = (
        sa.select(
            Agency.code.label("agency_code"),
            Agency.name.label("agency_name"),
            ReportingPeriod.code.label("period_code"),
            ReportingPeriod.end_date.label("quarter_ended"),
            sa.func.min(Submission.submitted_at).label("first_submitted_at"),
        )
        .join(Agency, Agency.id == Submission.agency_id)
        .join(ReportingPeriod, ReportingPeriod.id == Submission.period_id)
        .where(Submission.status == "loaded", after_cutoff, sa.not_(on_time_before))
        .group_by(
            Agency.code,
            Agency.name,
            ReportingPeriod.id,
            ReportingPeriod.code,
            ReportingPeriod.end_date,
        )
    )
    first = frame(engine, stmt)
    if first.empty:
        return pd.DataFrame(columns=columns)
    submitted = pd.to_datetime(first["first_submitted_at"]).dt.normalize()
    ended = pd.to_datetime(first["quarter_ended"])
    first["days_after_quarter_end"] = (submitted - ended).dt.days.astype(int)
    first["days_late"] = first["days_after_quarter_end"] - late_after_days
    late = first[first["days_late"] > 0].sort_values("days_late", ascending=False)
    return late[columns].reset_index(drop=True)


def theme_completeness(
    *, engine: sa.Engine, quarters: int = DEFAULT_QUARTERS, today: dt.date | None = None
) -> pd.DataFrame:
    """Per theme: expected indicator x quarter cells, those with a current figure, and the share.

    Columns: theme_code, theme_name, indicators, quarters, expected, present, completeness_pct.
    """
    today = today or dt.date.today()
    columns = [
        "theme_code",
        "theme_name",
        "indicators",
        "quarters",
        "expected",
        "present",
        "completeness_pct",
    ]
    periods = _ended_periods(engine, today, quarters)
    themes = frame(
        engine,
        sa.select(
            Theme.code.label("theme_code"),
            Theme.name.label("theme_name"),
            sa.func.count(Indicator.id).label("indicators"),
        )
        .join(Indicator, Indicator.theme_code == Theme.code)
        .where(Indicator.frequency == "quarterly")
        .group_by(Theme.code, Theme.name, Theme.sort_order)
        .order_by(Theme.sort_order),
    )
    if themes.empty:
        return pd.DataFrame(columns=columns)
    period_ids = periods["id"].tolist()
    cells = (
        sa.select(Indicator.theme_code, IndicatorValue.indicator_id, IndicatorValue.period_id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
            IndicatorValue.period_id.in_(period_ids),
        )
        .group_by(Indicator.theme_code, IndicatorValue.indicator_id, IndicatorValue.period_id)
        .subquery()
    )
    present = frame(
        engine,
        sa.select(cells.c.theme_code, sa.func.count().label("present")).group_by(
            cells.c.theme_code
        ),
        ["theme_code", "present"],
    )
    out = themes.merge(present, how="left", on="theme_code")
    out["present"] = out["present"].fillna(0).astype(int)
    out["quarters"] = len(period_ids)
    out["expected"] = out["indicators"].astype(int) * len(period_ids)
    out["completeness_pct"] = np.where(
        out["expected"] > 0,
        (100.0 * out["present"] / out["expected"].clip(lower=1)).round(1),
        np.nan,
    )
    return out[columns]


def indicator_completeness(
    *, engine: sa.Engine, quarters: int = DEFAULT_QUARTERS, today: dt.date | None = None
) -> pd.DataFrame:
    """Per indicator: the ended quarters with no current partnership-level figure.

    Columns: theme_code, indicator_code, indicator_name, quarters_missing, missing_periods.
    """
    today = today or dt.date.today()
    columns = [
        "theme_code",
        "indicator_code",
        "indicator_name",
        "quarters_missing",
        "missing_periods",
    ]
    periods = _ended_periods(engine, today, quarters)
    if periods.empty:
        return pd.DataFrame(columns=columns)
    indicators = frame(
        engine,
        sa.select(Indicator.id, Indicator.theme_code, Indicator.code, Indicator.name)
        .where(Indicator.frequency == "quarterly")
        .order_by(Indicator.sort_order),
    )
    present = frame(
        engine,
        sa.select(IndicatorValue.indicator_id, IndicatorValue.period_id)
        .where(
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
            IndicatorValue.period_id.in_(periods["id"].tolist()),
        )
        .group_by(IndicatorValue.indicator_id, IndicatorValue.period_id),
    )
    have = set(zip(present["indicator_id"], present["period_id"], strict=True))
    rows = []
    for indicator in indicators.itertuples(index=False):
        missing = [
            p.code for p in periods.itertuples(index=False) if (indicator.id, p.id) not in have
        ]
        if missing:
            rows.append(
                {
                    "theme_code": indicator.theme_code,
                    "indicator_code": indicator.code,
                    "indicator_name": indicator.name,
                    "quarters_missing": len(missing),
                    "missing_periods": ", ".join(missing),
                }
            )
    return pd.DataFrame(rows, columns=columns)


YEAR_AGAINST_QUARTERS_COLUMNS = [
    "year_code",
    "code",
    "name",
    "value",
    "numerator",
    "denominator",
    "source",
    "quarterly_code",
    "quarterly_name",
    "quarters_value",
    "quarters_numerator",
    "quarters_denominator",
    "rule_words",
    "difference",
    "unit",
]


def annual_quarter_differences(*, engine: sa.Engine, years: int = 3) -> pd.DataFrame:
    """Yearly figures that differ from their quarterly measure's four quarters rolled up, for
    the latest `years` financial years holding annual figures, latest first.

    Columns YEAR_AGAINST_QUARTERS_COLUMNS (see `annual_figures.annual_against_quarters`).
    """
    # EXISTS stops at a year's first current figure: joining and DISTINCT read every figure of
    # every year, which grows with the store (46 ms on SQLite at the benchmark's scale 60).
    has_value = (
        sa.select(IndicatorValue.id)
        .where(IndicatorValue.period_id == ReportingPeriod.id, IndicatorValue.is_current.is_(True))
        .exists()
    )
    stmt = (
        sa.select(ReportingPeriod.code, ReportingPeriod.start_date)
        .where(ReportingPeriod.kind == "financial_year", has_value)
        .order_by(ReportingPeriod.start_date.desc())
        .limit(years)
    )
    codes = list(frame(engine, stmt)["code"])
    found = [
        rows[rows["differs"]]
        for rows in (
            annual_figures.annual_against_quarters(engine=engine, year_code=code) for code in codes
        )
    ]
    found = [f for f in found if not f.empty]
    if not found:
        return pd.DataFrame(columns=YEAR_AGAINST_QUARTERS_COLUMNS)
    return pd.concat(found, ignore_index=True)[YEAR_AGAINST_QUARTERS_COLUMNS]
