"""Data-quality checks: missing and late returns, implausible movements, completeness by theme.

* An agency is **expected** to return figures each quarter when its sector appears in any
  indicator's `reported_by` in the catalogue; it **has submitted** for a quarter when a loaded
  (not rolled-back) submission is attributed to it for that quarter, or the store holds current
  figures for that agency and quarter.
* A return is **late** when the agency's first loaded submission for the quarter arrived more than
  `LATE_AFTER_DAYS` days after the quarter ended.
* An indicator's latest value **moved implausibly far** when its latest quarter-on-quarter change
  has a modified z-score (Iglewicz and Hoaglin: 0.6745 x (change - median) / MAD, with the median
  and median absolute deviation of the series' earlier changes) beyond `OUTLIER_Z`. Robust
  statistics are used because one bad quarter must not hide the next.
* **Completeness** of a theme: the share of expected cells (each of its quarterly indicators x
  each ended quarter) holding a current partnership-level figure or a GSS symbol. Annual
  indicators are reported once a year and are not expected each quarter.
* An **unusual figure** is a current figure at least `UNUSUAL_FACTOR` times (or at most
  1/`UNUSUAL_FACTOR` of) the median of its own series' other figures, or outside the range the
  catalogue declares plausible for the indicator: a decimal comma read as thousands, a slipped
  digit. The importer holds such figures for confirmation; this check lists those in the store
  (confirmed ones, and any loaded before the check existed) so they stay visible.
* A **yearly figure that differs from its quarters**: an annual indicator (from an annual return)
  whose declared quarterly measure, its four quarters rolled up by the measure's rule
  (`data_access.rollup`), gives a different figure for the same financial year. Both are listed,
  with their numerators, denominators and sources, for the officer to reconcile (a different
  basis to name, or a figure to correct).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import annual_figures, catalogue
from data_access.models import (
    Agency,
    Indicator,
    IndicatorValue,
    Locality,
    ReportingPeriod,
    Submission,
    Theme,
)
from data_access.queries_common import frame

# Partners are asked to return figures within six weeks of the quarter's end; 45 days allows a
# deadline falling at a weekend.
LATE_AFTER_DAYS = 45
OUTLIER_Z = 3.5
# Fewer earlier changes than this and the typical movement is not known well enough to judge.
OUTLIER_MIN_HISTORY = 4
# Consistency constants of the MAD and the mean absolute deviation for normal data.
_MAD_SCALE = 0.6745
_MEAN_AD_SCALE = 0.7979
DEFAULT_QUARTERS = 4
UNUSUAL_FACTOR = 10.0
# Series whose usual level is below this swing widely and honestly (small counts).
UNUSUAL_MIN_LEVEL = 5.0


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


def _series_values(engine: sa.Engine, today: dt.date, partnership_only: bool) -> pd.DataFrame:
    """Current values of ended quarters as bare ids and numbers, in series order.

    Names are looked up later for the few flagged series only; the scope filter runs in SQL so
    the partnership view never fetches an agency's or a locality's figures.
    """
    stmt = (
        sa.select(
            IndicatorValue.indicator_id,
            IndicatorValue.agency_id,
            IndicatorValue.locality_id,
            IndicatorValue.period_id,
            IndicatorValue.value,
        )
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(
            IndicatorValue.is_current.is_(True),
            IndicatorValue.value.is_not(None),
            ReportingPeriod.end_date < today,
        )
    )
    if partnership_only:
        stmt = stmt.where(IndicatorValue.agency_id.is_(None), IndicatorValue.locality_id.is_(None))
    return frame(engine, stmt)


def modified_z_of_latest(changes: np.ndarray) -> tuple[float, float, float] | None:
    """(modified z, median, scale) of the last change against the earlier ones; None if too few.

    Falls back to the mean absolute deviation when the MAD is 0 (over half the earlier changes
    identical); if that is 0 too, any different change scores infinity.
    """
    if len(changes) < OUTLIER_MIN_HISTORY + 1:
        return None
    history, latest = changes[:-1], changes[-1]
    median = float(np.median(history))
    mad = float(np.median(np.abs(history - median)))
    if mad > 0:
        return _MAD_SCALE * (latest - median) / mad, median, mad
    mean_ad = float(np.mean(np.abs(history - median)))
    if mean_ad > 0:
        return _MEAN_AD_SCALE * (latest - median) / mean_ad, median, mean_ad
    if latest == median:
        return 0.0, median, 0.0
    return float(np.sign(latest - median) * np.inf), median, 0.0


def implausible_movements(
    *,
    engine: sa.Engine,
    threshold: float = OUTLIER_Z,
    partnership_only: bool = False,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Series whose latest quarter-on-quarter change is an outlier (|modified z| > threshold).

    Columns: theme_code, indicator_code, indicator_name, agency_code, locality_code, period_code,
    previous_value, latest_value, change, typical_change, modified_z.
    """
    today = today or dt.date.today()
    columns = [
        "theme_code",
        "indicator_code",
        "indicator_name",
        "agency_code",
        "locality_code",
        "period_code",
        "previous_value",
        "latest_value",
        "change",
        "typical_change",
        "modified_z",
    ]
    values = _series_values(engine, today, partnership_only)
    if values.empty:
        return pd.DataFrame(columns=columns)
    scored = _score_latest_changes(values, _period_order(engine))
    flagged = scored[scored["modified_z"].abs() > threshold]
    if flagged.empty:
        return pd.DataFrame(columns=columns)
    return _describe(engine, flagged)[columns]


def _period_order(engine: sa.Engine) -> pd.DataFrame:
    return frame(
        engine,
        sa.select(
            ReportingPeriod.id.label("period_id"),
            ReportingPeriod.code.label("period_code"),
            ReportingPeriod.start_date,
        ),
    )


def _score_latest_changes(values: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Every series' latest change scored as `modified_z_of_latest` does, for all series at once.

    Columns: indicator_id, agency_id, locality_id (0 for none), period_id, previous_value,
    latest_value, change, typical_change, modified_z (unrounded). One row per series with enough
    history.
    """
    rank = periods.sort_values("start_date").reset_index(drop=True)
    order = pd.Series(np.arange(len(rank)), index=rank["period_id"].to_numpy())
    indicator = values["indicator_id"].to_numpy(dtype=np.int64)
    # Ids are positive, so 0 stands for "no agency" / "no locality" in the arrays below.
    agency = values["agency_id"].fillna(0).to_numpy(dtype=np.int64)
    locality = values["locality_id"].fillna(0).to_numpy(dtype=np.int64)
    when = order.reindex(values["period_id"].to_numpy()).to_numpy(dtype=np.int64)
    sort = np.lexsort((when, locality, agency, indicator))
    indicator, agency, locality, when = (indicator[sort], agency[sort], locality[sort], when[sort])
    number = values["value"].to_numpy(dtype=float)[sort]
    n = len(number)
    starts = np.ones(n, dtype=bool)
    starts[1:] = (
        (indicator[1:] != indicator[:-1])
        | (agency[1:] != agency[:-1])
        | (locality[1:] != locality[:-1])
    )
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    size = np.diff(np.append(first, n))
    position = np.arange(n) - first[group]
    length = size[group]
    change = np.full(n, np.nan)
    change[1:] = number[1:] - number[:-1]
    # A series needs OUTLIER_MIN_HISTORY earlier changes besides its latest one.
    long_enough = length >= OUTLIER_MIN_HISTORY + 2
    earlier = long_enough & (position >= 1) & (position <= length - 2)
    latest_row = long_enough & (position == length - 1)
    history = pd.DataFrame({"group": group[earlier], "change": change[earlier]})
    median = history.groupby("group")["change"].median()
    history["deviation"] = (history["change"] - median.reindex(history["group"]).to_numpy()).abs()
    spread = history.groupby("group")["deviation"].agg(["median", "mean"])
    rows = np.flatnonzero(latest_row)
    keys = group[rows]
    med = median.reindex(keys).to_numpy()
    mad = spread["median"].reindex(keys).to_numpy()
    mean_ad = spread["mean"].reindex(keys).to_numpy()
    latest = change[rows]
    gap = latest - med
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(
            mad > 0,
            _MAD_SCALE * gap / mad,
            np.where(
                mean_ad > 0,
                _MEAN_AD_SCALE * gap / mean_ad,
                np.where(gap == 0, 0.0, np.sign(gap) * np.inf),
            ),
        )
    period_id = rank["period_id"].to_numpy()[when[rows]]
    return pd.DataFrame(
        {
            "indicator_id": indicator[rows],
            "agency_id": agency[rows],
            "locality_id": locality[rows],
            "period_id": period_id,
            "previous_value": number[rows - 1],
            "latest_value": number[rows],
            "change": latest,
            "typical_change": med,
            "modified_z": z,
        }
    )


def _named(engine: sa.Engine, flagged: pd.DataFrame) -> pd.DataFrame:
    """`flagged` (indicator_id, agency_id, locality_id with 0 for none, period_id, ...) with the
    theme, indicator, agency, locality and quarter codes and names looked up for its rows only.
    """
    indicators = frame(
        engine,
        sa.select(
            Indicator.id.label("indicator_id"),
            Indicator.code.label("indicator_code"),
            Indicator.name.label("indicator_name"),
            Indicator.theme_code,
        ).where(Indicator.id.in_(sorted({int(i) for i in flagged["indicator_id"]}))),
    )
    agency_ids = sorted({int(i) for i in flagged["agency_id"] if i})
    agencies = frame(
        engine,
        sa.select(Agency.id.label("agency_id"), Agency.code.label("agency_code")).where(
            Agency.id.in_(agency_ids)
        ),
        ["agency_id", "agency_code"],
    )
    locality_ids = sorted({int(i) for i in flagged["locality_id"] if i})
    localities = frame(
        engine,
        sa.select(Locality.id.label("locality_id"), Locality.code.label("locality_code")).where(
            Locality.id.in_(locality_ids)
        ),
        ["locality_id", "locality_code"],
    )
    periods = frame(
        engine,
        sa.select(
            ReportingPeriod.id.label("period_id"), ReportingPeriod.code.label("period_code")
        ).where(ReportingPeriod.id.in_(sorted({int(i) for i in flagged["period_id"]}))),
    )
    out = (
        flagged.merge(indicators, on="indicator_id", how="left")
        .merge(agencies, on="agency_id", how="left")
        .merge(localities, on="locality_id", how="left")
        .merge(periods, on="period_id", how="left")
    )
    out["agency_code"] = out["agency_code"].astype(object).where(out["agency_code"].notna(), None)
    out["locality_code"] = (
        out["locality_code"].astype(object).where(out["locality_code"].notna(), None)
    )
    return out


def _describe(engine: sa.Engine, flagged: pd.DataFrame) -> pd.DataFrame:
    """Names and codes for the flagged series, most extreme first."""
    out = _named(engine, flagged)
    out["modified_z"] = out["modified_z"].astype(float).round(1)
    # Series order first (partnership before agencies), then most extreme first; a stable sort
    # keeps equal scores in series order.
    out = out.sort_values(
        ["indicator_code", "agency_code", "locality_code"], na_position="first", kind="stable"
    )
    order = out["modified_z"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


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


def median_of_others(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each value, the median of the other values with the same group number (NaN if alone).

    Leaving the value itself out matters for short series: 175 among 17.5, 18 and 17 is ten
    times the others' median but not ten times a median that includes it. Vectorised: sort by
    group then value; removing the value at rank r of a group of n shifts every later rank down
    by one, so the others' middle element(s) are read from the sorted array directly.
    """
    n_total = len(values)
    out = np.full(n_total, np.nan)
    if n_total == 0:
        return out
    order = np.lexsort((values, groups))
    sorted_groups = groups[order]
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    sizes = np.diff(np.r_[starts, n_total])
    start_of = np.repeat(starts, sizes)
    size_of = np.repeat(sizes, sizes)
    rank = np.arange(n_total) - start_of
    remaining = size_of - 1

    def others_at(index: np.ndarray) -> np.ndarray:
        # The element at position `index` of the group once this row's value is taken out.
        shifted = np.where(index < rank, index, index + 1)
        return sorted_values[np.clip(start_of + shifted, 0, n_total - 1)]

    upper = remaining // 2
    lower = np.where(remaining % 2 == 1, upper, upper - 1)
    median = (others_at(lower) + others_at(upper)) / 2
    median = np.where(remaining >= 1, median, np.nan)
    out[order] = median
    return out


def _out_of_range(
    specs: Sequence[catalogue.IndicatorSpec], ids: dict[str, int]
) -> sa.ColumnElement[int]:
    """1 where a figure lies outside its indicator's plausible range (catalogue), else 0."""
    whens = []
    for spec in specs:
        if spec.code not in ids or (spec.plausible_min is None and spec.plausible_max is None):
            continue
        outside = []
        if spec.plausible_min is not None:
            outside.append(IndicatorValue.value < spec.plausible_min)
        if spec.plausible_max is not None:
            outside.append(IndicatorValue.value > spec.plausible_max)
        whens.append((sa.and_(IndicatorValue.indicator_id == ids[spec.code], sa.or_(*outside)), 1))
    return sa.case(*whens, else_=0) if whens else sa.literal(0)


def _unusual_candidates(
    engine: sa.Engine, today: dt.date, factor: float, partnership_only: bool = False
) -> pd.DataFrame:
    """Current values of ended quarters, for only the series that could hold an unusual figure.

    The series are chosen in SQL from each one's count, minimum and maximum, a test no unusual
    figure can pass: a figure ten times its series' usual level (the median of the others, at
    least UNUSUAL_MIN_LEVEL) means max >= factor x min and max >= UNUSUAL_MIN_LEVEL, and so does
    one a tenth of it; a figure outside the plausible range is marked by a CASE on the row. Only
    those series' values are fetched (a row-value IN, which both stores answer from a hashed
    list), never every value in the store; `partnership_only` reads partnership figures alone.
    """
    specs = catalogue.indicators()
    ids = dict(frame(engine, sa.select(Indicator.code, Indicator.id)).itertuples(index=False))
    outside = _out_of_range(specs, ids)
    agency_key = sa.func.coalesce(IndicatorValue.agency_id, 0)
    locality_key = sa.func.coalesce(IndicatorValue.locality_id, 0)
    ended = [
        IndicatorValue.is_current.is_(True),
        IndicatorValue.value.is_not(None),
        ReportingPeriod.end_date < today,
    ]
    if partnership_only:
        ended += [IndicatorValue.agency_id.is_(None), IndicatorValue.locality_id.is_(None)]
    highest, lowest = sa.func.max(IndicatorValue.value), sa.func.min(IndicatorValue.value)
    series = (
        sa.select(IndicatorValue.indicator_id, agency_key, locality_key)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(*ended)
        .group_by(IndicatorValue.indicator_id, agency_key, locality_key)
        .having(
            sa.or_(
                sa.and_(
                    sa.func.count() >= 2, highest >= UNUSUAL_MIN_LEVEL, highest >= factor * lowest
                ),
                sa.func.max(outside) == 1,
            )
        )
    )
    stmt = (
        sa.select(
            IndicatorValue.indicator_id,
            IndicatorValue.agency_id,
            IndicatorValue.locality_id,
            IndicatorValue.period_id,
            IndicatorValue.value,
            outside.label("out_of_range"),
        )
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(*ended, sa.tuple_(IndicatorValue.indicator_id, agency_key, locality_key).in_(series))
    )
    return frame(engine, stmt)


def unusual_figures(
    *,
    engine: sa.Engine,
    factor: float = UNUSUAL_FACTOR,
    partnership_only: bool = False,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Current figures far from their own history or outside the indicator's plausible range.

    Columns: theme_code, indicator_code, indicator_name, agency_code, locality_code,
    period_code, value, usual_level (median of the series' other figures), times_usual, reason.
    Only the series that could hold such a figure are read (`_unusual_candidates`);
    `partnership_only` checks partnership figures alone (no agency, no locality).
    """
    today = today or dt.date.today()
    columns = [
        "theme_code",
        "indicator_code",
        "indicator_name",
        "agency_code",
        "locality_code",
        "period_code",
        "value",
        "usual_level",
        "times_usual",
        "reason",
    ]
    values = _unusual_candidates(engine, today, factor, partnership_only)
    if values.empty:
        return pd.DataFrame(columns=columns)
    # Ids are positive, so 0 stands for "no agency" / "no locality".
    values["agency_id"] = values["agency_id"].fillna(0).astype("int64")
    values["locality_id"] = values["locality_id"].fillna(0).astype("int64")
    group_numbers = (
        values.groupby(["indicator_id", "agency_id", "locality_id"], sort=False).ngroup().to_numpy()
    )
    value = values["value"].to_numpy(dtype=float)
    level = median_of_others(group_numbers, value)
    out_of_range = values["out_of_range"].to_numpy(dtype=int) == 1
    with np.errstate(invalid="ignore", divide="ignore"):
        far = (level >= UNUSUAL_MIN_LEVEL) & ((value >= factor * level) | (value <= level / factor))
        times = np.round(value / level, 2)
    reason = np.where(
        out_of_range & far,
        "outside the range expected for this indicator; "
        f"at least {factor:g} times (or at most 1/{factor:g} of) its usual level",
        np.where(
            out_of_range,
            "outside the range expected for this indicator",
            f"at least {factor:g} times (or at most 1/{factor:g} of) its usual level",
        ),
    )
    flagged = values.assign(usual_level=level, times_usual=times, reason=reason)[out_of_range | far]
    if flagged.empty:
        return pd.DataFrame(columns=columns)
    periods = _period_order(engine)
    flagged = _named(engine, flagged).merge(
        periods[["period_id", "start_date"]], on="period_id", how="left"
    )
    # Series order (partnership figures first), then quarters in date order.
    flagged = flagged.sort_values(
        ["indicator_code", "agency_code", "locality_code", "start_date"],
        na_position="first",
        kind="stable",
    )
    return flagged[columns].reset_index(drop=True)


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
    stmt = (
        sa.select(ReportingPeriod.code, ReportingPeriod.start_date)
        .join(IndicatorValue, IndicatorValue.period_id == ReportingPeriod.id)
        .where(ReportingPeriod.kind == "financial_year", IndicatorValue.is_current.is_(True))
        .distinct()
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
