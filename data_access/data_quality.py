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
"""

from __future__ import annotations

import datetime as dt

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
        sa.select(ReportingPeriod.id, ReportingPeriod.code, ReportingPeriod.start_date,
                  ReportingPeriod.end_date)
        .where(ReportingPeriod.end_date < today, ReportingPeriod.kind == "quarter")
        .order_by(ReportingPeriod.start_date.desc())
        .limit(quarters)
    )
    return frame(engine, stmt).sort_values("start_date").reset_index(drop=True)


def _reporting_sectors() -> set[str]:
    return {sector for spec in catalogue.indicators() for sector in spec.reported_by}


def _submitted_pairs(engine: sa.Engine) -> pd.DataFrame:
    """(agency_id, period_id) pairs with a loaded submission or current agency-level figures."""
    loaded = Submission.status == "loaded"
    attributed = sa.select(Submission.agency_id, Submission.period_id).where(
        loaded, Submission.agency_id.is_not(None), Submission.period_id.is_not(None)
    )
    by_values = (
        sa.select(Submission.agency_id, IndicatorValue.period_id)
        .join(IndicatorValue, IndicatorValue.submission_id == Submission.id)
        .where(loaded, Submission.agency_id.is_not(None))
        .group_by(Submission.agency_id, IndicatorValue.period_id)
    )
    agency_figures = (
        sa.select(IndicatorValue.agency_id, IndicatorValue.period_id)
        .where(IndicatorValue.is_current.is_(True), IndicatorValue.agency_id.is_not(None))
        .group_by(IndicatorValue.agency_id, IndicatorValue.period_id)
    )
    union = sa.union(attributed, by_values, agency_figures).subquery()
    return frame(engine, sa.select(union.c[0].label("agency_id"), union.c[1].label("period_id")))


def missing_submissions(*, engine: sa.Engine, quarters: int = DEFAULT_QUARTERS,
                        today: dt.date | None = None) -> pd.DataFrame:
    """Agencies expected to return figures with nothing loaded for one of the last ended quarters.

    Columns: agency_code, agency_name, sector, period_code, quarter_ended, days_since_quarter_end.
    """
    today = today or dt.date.today()
    columns = ["agency_code", "agency_name", "sector", "period_code", "quarter_ended",
               "days_since_quarter_end"]
    periods = _ended_periods(engine, today, quarters)
    agencies = frame(engine, sa.select(Agency.id, Agency.code, Agency.name, Agency.sector)
                     .where(Agency.active.is_(True), Agency.sector.in_(_reporting_sectors()))
                     .order_by(Agency.code))
    if periods.empty or agencies.empty:
        return pd.DataFrame(columns=columns)
    expected = agencies.merge(periods, how="cross", suffixes=("_agency", "_period"))
    done = _submitted_pairs(engine)
    done["submitted"] = True
    merged = expected.merge(done, how="left", left_on=["id_agency", "id_period"],
                            right_on=["agency_id", "period_id"])
    missing = merged[merged["submitted"].isna()].copy()
    missing["days_since_quarter_end"] = [
        (today - pd.Timestamp(end).date()).days for end in missing["end_date"]
    ]
    missing = missing.rename(columns={"code_agency": "agency_code", "name": "agency_name",
                                      "code_period": "period_code",
                                      "end_date": "quarter_ended"})
    missing = missing.sort_values(["start_date", "agency_code"], ascending=[False, True])
    return missing[columns].reset_index(drop=True)


def late_submissions(*, engine: sa.Engine, late_after_days: int = LATE_AFTER_DAYS,
                     quarters: int = 8, today: dt.date | None = None) -> pd.DataFrame:
    """Returns whose first loaded submission came more than `late_after_days` after quarter end.

    Columns: agency_code, agency_name, period_code, quarter_ended, first_submitted_at, days_late.
    """
    today = today or dt.date.today()
    columns = ["agency_code", "agency_name", "period_code", "quarter_ended",
               "first_submitted_at", "days_after_quarter_end", "days_late"]
    periods = _ended_periods(engine, today, quarters)
    if periods.empty:
        return pd.DataFrame(columns=columns)
    stmt = (
        sa.select(
            Agency.code.label("agency_code"), Agency.name.label("agency_name"),
            ReportingPeriod.code.label("period_code"),
            ReportingPeriod.end_date.label("quarter_ended"),
            sa.func.min(Submission.submitted_at).label("first_submitted_at"),
        )
        .join(Agency, Agency.id == Submission.agency_id)
        .join(ReportingPeriod, ReportingPeriod.id == Submission.period_id)
        .where(Submission.status == "loaded", ReportingPeriod.id.in_(periods["id"].tolist()))
        .group_by(Agency.code, Agency.name, ReportingPeriod.code, ReportingPeriod.end_date)
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


def _series_values(engine: sa.Engine, today: dt.date) -> pd.DataFrame:
    stmt = (
        sa.select(
            Indicator.code.label("indicator_code"), Indicator.name.label("indicator_name"),
            Indicator.theme_code, Indicator.unit,
            Agency.code.label("agency_code"), Locality.code.label("locality_code"),
            ReportingPeriod.code.label("period_code"), ReportingPeriod.start_date,
            IndicatorValue.value,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .outerjoin(Agency, Agency.id == IndicatorValue.agency_id)
        .outerjoin(Locality, Locality.id == IndicatorValue.locality_id)
        .where(IndicatorValue.is_current.is_(True), IndicatorValue.value.is_not(None),
               ReportingPeriod.end_date < today)
        .order_by(Indicator.code, Agency.code, Locality.code, ReportingPeriod.start_date)
    )
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


def implausible_movements(*, engine: sa.Engine, threshold: float = OUTLIER_Z,
                          partnership_only: bool = False,
                          today: dt.date | None = None) -> pd.DataFrame:
    """Series whose latest quarter-on-quarter change is an outlier (|modified z| > threshold).

    Columns: theme_code, indicator_code, indicator_name, agency_code, locality_code, period_code,
    previous_value, latest_value, change, typical_change, modified_z.
    """
    today = today or dt.date.today()
    columns = ["theme_code", "indicator_code", "indicator_name", "agency_code", "locality_code",
               "period_code", "previous_value", "latest_value", "change", "typical_change",
               "modified_z"]
    values = _series_values(engine, today)
    if partnership_only and not values.empty:
        values = values[values["agency_code"].isna() & values["locality_code"].isna()]
    if values.empty:
        return pd.DataFrame(columns=columns)
    values["value"] = values["value"].astype(float)
    keys = ["indicator_code", "agency_code", "locality_code"]
    flagged = []
    for key, series in values.groupby(keys, dropna=False, sort=False):
        numbers = series["value"].to_numpy()
        if len(numbers) < OUTLIER_MIN_HISTORY + 2:
            continue
        scored = modified_z_of_latest(np.diff(numbers))
        if scored is None:
            continue
        z, median, _scale = scored
        if abs(z) <= threshold:
            continue
        last = series.iloc[-1]
        flagged.append({
            "theme_code": last["theme_code"], "indicator_code": key[0],
            "indicator_name": last["indicator_name"],
            "agency_code": None if pd.isna(key[1]) else key[1],
            "locality_code": None if pd.isna(key[2]) else key[2],
            "period_code": last["period_code"], "previous_value": float(numbers[-2]),
            "latest_value": float(numbers[-1]), "change": float(numbers[-1] - numbers[-2]),
            "typical_change": median, "modified_z": round(float(z), 1),
        })
    out = pd.DataFrame(flagged, columns=columns)
    if out.empty:
        return out
    order = out["modified_z"].abs().sort_values(ascending=False).index
    return out.loc[order].reset_index(drop=True)


def theme_completeness(*, engine: sa.Engine, quarters: int = DEFAULT_QUARTERS,
                       today: dt.date | None = None) -> pd.DataFrame:
    """Per theme: expected indicator x quarter cells, those with a current figure, and the share.

    Columns: theme_code, theme_name, indicators, quarters, expected, present, completeness_pct.
    """
    today = today or dt.date.today()
    columns = ["theme_code", "theme_name", "indicators", "quarters", "expected", "present",
               "completeness_pct"]
    periods = _ended_periods(engine, today, quarters)
    themes = frame(engine, sa.select(
        Theme.code.label("theme_code"), Theme.name.label("theme_name"),
        sa.func.count(Indicator.id).label("indicators"),
    ).join(Indicator, Indicator.theme_code == Theme.code)
        .where(Indicator.frequency == "quarterly")
        .group_by(Theme.code, Theme.name, Theme.sort_order).order_by(Theme.sort_order))
    if themes.empty:
        return pd.DataFrame(columns=columns)
    period_ids = periods["id"].tolist()
    cells = (
        sa.select(Indicator.theme_code, IndicatorValue.indicator_id, IndicatorValue.period_id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(IndicatorValue.is_current.is_(True), IndicatorValue.agency_id.is_(None),
               IndicatorValue.locality_id.is_(None), IndicatorValue.period_id.in_(period_ids))
        .group_by(Indicator.theme_code, IndicatorValue.indicator_id, IndicatorValue.period_id)
        .subquery()
    )
    present = frame(engine, sa.select(cells.c.theme_code, sa.func.count().label("present"))
                    .group_by(cells.c.theme_code), ["theme_code", "present"])
    out = themes.merge(present, how="left", on="theme_code")
    out["present"] = out["present"].fillna(0).astype(int)
    out["quarters"] = len(period_ids)
    out["expected"] = out["indicators"].astype(int) * len(period_ids)
    out["completeness_pct"] = np.where(
        out["expected"] > 0, (100.0 * out["present"] / out["expected"].clip(lower=1)).round(1),
        np.nan,
    )
    return out[columns]


def indicator_completeness(*, engine: sa.Engine, quarters: int = DEFAULT_QUARTERS,
                           today: dt.date | None = None) -> pd.DataFrame:
    """Per indicator: the ended quarters with no current partnership-level figure.

    Columns: theme_code, indicator_code, indicator_name, quarters_missing, missing_periods.
    """
    today = today or dt.date.today()
    columns = ["theme_code", "indicator_code", "indicator_name", "quarters_missing",
               "missing_periods"]
    periods = _ended_periods(engine, today, quarters)
    if periods.empty:
        return pd.DataFrame(columns=columns)
    indicators = frame(engine, sa.select(Indicator.id, Indicator.theme_code, Indicator.code,
                                         Indicator.name)
                       .where(Indicator.frequency == "quarterly").order_by(Indicator.sort_order))
    present = frame(engine, sa.select(IndicatorValue.indicator_id, IndicatorValue.period_id)
                    .where(IndicatorValue.is_current.is_(True),
                           IndicatorValue.agency_id.is_(None),
                           IndicatorValue.locality_id.is_(None),
                           IndicatorValue.period_id.in_(periods["id"].tolist()))
                    .group_by(IndicatorValue.indicator_id, IndicatorValue.period_id))
    have = set(zip(present["indicator_id"], present["period_id"], strict=True))
    rows = []
    for indicator in indicators.itertuples(index=False):
        missing = [p.code for p in periods.itertuples(index=False)
                   if (indicator.id, p.id) not in have]
        if missing:
            rows.append({"theme_code": indicator.theme_code, "indicator_code": indicator.code,
                         "indicator_name": indicator.name, "quarters_missing": len(missing),
                         "missing_periods": ", ".join(missing)})
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


def unusual_figures(*, engine: sa.Engine, factor: float = UNUSUAL_FACTOR,
                    today: dt.date | None = None) -> pd.DataFrame:
    """Current figures far from their own history or outside the indicator's plausible range.

    Columns: theme_code, indicator_code, indicator_name, agency_code, locality_code,
    period_code, value, usual_level (median of the series' other figures), times_usual, reason.
    """
    today = today or dt.date.today()
    columns = ["theme_code", "indicator_code", "indicator_name", "agency_code", "locality_code",
               "period_code", "value", "usual_level", "times_usual", "reason"]
    values = _series_values(engine, today)
    if values.empty:
        return pd.DataFrame(columns=columns)
    values["value"] = values["value"].astype(float)
    keys = ["indicator_code", "agency_code", "locality_code"]
    group_numbers = values.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    level = median_of_others(group_numbers, values["value"].to_numpy(dtype=float))
    value = values["value"].to_numpy()
    specs = {spec.code: spec for spec in catalogue.indicators()}
    low = values["indicator_code"].map(
        lambda c: specs[c].plausible_min if c in specs else None).astype(float).to_numpy()
    high = values["indicator_code"].map(
        lambda c: specs[c].plausible_max if c in specs else None).astype(float).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out_of_range = (value < low) | (value > high)
        far = (level >= UNUSUAL_MIN_LEVEL) & ((value >= factor * level)
                                              | (value <= level / factor))
        times = np.round(value / level, 2)
    reason = np.where(out_of_range & far, "outside the range expected for this indicator; "
                      f"at least {factor:g} times (or at most 1/{factor:g} of) its usual level",
                      np.where(out_of_range, "outside the range expected for this indicator",
                               f"at least {factor:g} times (or at most 1/{factor:g} of) its "
                               "usual level"))
    flagged = values.assign(usual_level=level, times_usual=times, reason=reason)[
        out_of_range | far]
    flagged = flagged.astype({"agency_code": object, "locality_code": object})
    flagged = flagged.where(flagged.notna(), None)
    return flagged[columns].reset_index(drop=True)
