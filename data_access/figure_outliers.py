"""Checks on the figures themselves: implausible quarter-on-quarter movements, unusual figures.

* An indicator's latest value **moved implausibly far** when its latest quarter-on-quarter change
  has a modified z-score (Iglewicz and Hoaglin: 0.6745 x (change - median) / MAD, with the median
  and median absolute deviation of the series' earlier changes) beyond `OUTLIER_Z`. Robust
  statistics are used because one bad quarter must not hide the next.
* An **unusual figure** is a current figure at least `UNUSUAL_FACTOR` times (or at most
  1/`UNUSUAL_FACTOR` of) the median of its own series' other figures, or outside the range the
  catalogue declares plausible for the indicator: a decimal comma read as thousands, a slipped
  digit. The importer holds such figures for confirmation; this check lists those in the store
  (confirmed ones, and any loaded before the check existed) so they stay visible.

The returns and completeness checks are in `data_access.data_quality`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_access import catalogue
from data_access.models import (
    Agency,
    Indicator,
    IndicatorValue,
    Locality,
    ReportingPeriod,
)
from data_access.queries_common import frame

OUTLIER_Z = 3.5
# Fewer earlier changes than this and the typical movement is not known well enough to judge.
OUTLIER_MIN_HISTORY = 4
# Consistency constants of the MAD and the mean absolute deviation for normal data.
_MAD_SCALE = 0.6745
_MEAN_AD_SCALE = 0.7979
UNUSUAL_FACTOR = 10.0
# Series whose usual level is below this swing widely and honestly (small counts).
UNUSUAL_MIN_LEVEL = 5.0


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
