"""Comparator figures: England, statistical neighbours and (for some) the region.

Brookvale is fictional, but where the DfE publishes a measure (the tables shipped in
data_access/published_data, issue 27) its England and regional comparators are the real published
figures: England's and the North West's for the year each quarter falls in, and for each
financial year of the annual statutory indicators. Brookvale has no real statistical neighbours,
so the neighbours' line stays an illustrative offset from England. Measures the DfE does not
publish keep illustrative values in the range national publications report.
"""

from __future__ import annotations

import numpy as np

from data_access import catalogue
from data_access import published_tables as tables
from data_access.catalogue import IndicatorSpec
from sample_data.series import IndicatorSeries
from sample_data.timeline import Timeline, rng_for

SOURCE = "Illustrative sample comparator (not an official statistic)"
PUBLISHED_SOURCE = f"{tables.SOURCE_WORDS} ({tables.SHIPPED_RELEASE})"
# The real region whose published figures stand beside the fictional borough.
SAMPLE_REGION_CODE = "981"  # North West

# code: (England at the start, England at the end, neighbour offset, region offset or None)
ENGLAND: dict[str, tuple[float, float, float, float | None]] = {
    "EH_SCHOOL_READINESS": (71.8, 67.9, -1.4, -1.9),
    "MASH_REFERRAL_RATE": (136.0, 131.5, 14.0, 9.0),
    "MASH_REREFERRALS": (22.6, 22.1, 1.1, 0.6),
    "MASH_CONVERSION": (24.0, 22.5, 1.5, None),
    "MASH_ASSESSMENTS_45WD": (83.8, 82.9, -1.2, -0.4),
    "MASH_ICPC_15WD": (78.7, 78.0, 2.1, 1.0),
    "MASH_DECISION_1WD": (88.0, 87.0, 1.5, None),
    "MASH_SW_CASELOAD": (17.0, 16.0, 0.8, None),
    "NEG_CP_NEGLECT_PCT": (48.5, 50.2, -2.5, -1.0),
    "NEG_CP_RATE": (43.7, 40.4, 6.5, 4.2),
    "NEG_CP_SECOND_TIME": (21.9, 23.8, 0.9, 0.4),
    "NEG_CP_REVIEWS_TIMELY": (91.4, 92.0, -0.8, None),
    "NEG_CP_TWO_YEARS": (3.6, 3.2, 0.3, 0.2),
    "EH_REOPENED_12M": (14.0, 13.0, 0.5, None),
    "CS_RHI_OFFERED_72H": (85.0, 88.0, -1.0, None),
}


def _generic(spec: IndicatorSpec, series: IndicatorSeries) -> tuple[float, float, float, None]:
    values = [f.value for f in series.partnership]
    centre = float(np.mean(values)) if values else 0.0
    return (centre * 1.03, centre * 0.99, centre * 0.02, None)


def _published() -> dict[tuple[str, str, int], float]:
    """England's and the sample region's published figures: {(measure, area code, year): value}."""
    return {
        (r.measure_code, r.area_code, r.year): r.value
        for r in tables.shipped_rows()
        if r.value is not None and r.area_code in (tables.ENGLAND_CODE, SAMPLE_REGION_CODE)
    }


def _published_for(
    figures: dict[tuple[str, str, int], float], measure: str, area: str, year: int
) -> float | None:
    """The figure for the DfE year `year`, or the latest earlier one published (a quarter after
    the newest release takes the newest), or the earliest for a year before the tables."""
    years = sorted(y for (m, a, y) in figures if m == measure and a == area)
    if not years:
        return None
    earlier = [y for y in years if y <= year]
    return figures[(measure, area, earlier[-1] if earlier else years[0])]


def _quarterly_published() -> dict[str, str]:
    """Quarterly indicator -> the DfE measure of its annual twin, where the quarter's figure is
    comparable with the year's (percentages and rates on a day; not a quarter's count of
    events per 10,000, which is about a quarter of the year's)."""
    out = {}
    for code, measure in tables.MEASURE_OF.items():
        spec = catalogue.indicator(code)
        if spec.quarterly_measure and spec.aggregation != "rate":
            out[spec.quarterly_measure] = measure
    return out


def _annual_rows(indicator_ids: dict[str, int], year_ids: dict[str, int]) -> list[dict]:
    """The real England and regional figures of the annual statutory indicators, every year."""
    figures = _published()
    rows = []
    for code, measure in tables.MEASURE_OF.items():
        if code not in indicator_ids:
            continue
        for year_code, period_id in year_ids.items():
            year = tables.year_of_period(year_code)
            for kind, area in (("england", tables.ENGLAND_CODE), ("region", SAMPLE_REGION_CODE)):
                value = figures.get((measure, area, year))
                if value is None:
                    continue  # not published: a gap, never 0
                rows.append(
                    {
                        "indicator_id": indicator_ids[code],
                        "comparator_type": kind,
                        "period_id": period_id,
                        "value": value,
                        "source": PUBLISHED_SOURCE,
                    }
                )
    return rows


def build_comparators(
    seed: int,
    timeline: Timeline,
    specs: list[IndicatorSpec],
    series: dict[str, IndicatorSeries],
    indicator_ids: dict[str, int],
    period_ids: list[int],
    year_ids: dict[str, int] | None = None,
) -> list[dict]:
    """Comparator rows for every quarter, for indicators with a national figure, and (with
    `year_ids`, {financial year code: period id}) the annual statutory indicators' published
    England and regional figures for each year."""
    rows = []
    row_id = 0
    figures = _published()
    real = _quarterly_published()
    for spec in specs:
        if spec.code in ENGLAND:
            start, end, neighbour, region = ENGLAND[spec.code]
        elif spec.unit in ("percentage", "rate_per_10k") and "census" in spec.source.lower():
            start, end, neighbour, region = _generic(spec, series[spec.code])
        else:
            continue
        rng = rng_for(seed, "comparators", spec.code)
        noise = 0.002 * max(abs(start), 1.0)
        measure = real.get(spec.code)
        for t in range(timeline.n):
            england = timeline.ramp(t, start, end) + noise * rng.standard_normal()
            values = {
                "england": england,
                "statistical_neighbours": england + neighbour + noise * rng.standard_normal(),
            }
            if region is not None:
                values["region"] = england + region + noise * rng.standard_normal()
            published: dict[str, float] = {}
            if measure is not None:
                year = timeline.quarters[t].fy_start_year + 1
                for kind, area in (
                    ("england", tables.ENGLAND_CODE),
                    ("region", SAMPLE_REGION_CODE),
                ):
                    found = _published_for(figures, measure, area, year)
                    if found is not None:
                        published[kind] = found
                if "england" in published:
                    values["statistical_neighbours"] += published["england"] - values["england"]
                values.update(published)
            for kind, value in values.items():
                if spec.unit == "percentage":
                    value = float(np.clip(value, 0, 100))
                row_id += 1
                rows.append(
                    {
                        "id": row_id,
                        "indicator_id": indicator_ids[spec.code],
                        "comparator_type": kind,
                        "period_id": period_ids[t],
                        "value": value if kind in published else round(max(0.0, value), 1),
                        "source": PUBLISHED_SOURCE if kind in published else SOURCE,
                    }
                )
    for row in _annual_rows(indicator_ids, year_ids or {}):
        row_id += 1
        rows.append({"id": row_id, **row})
    return rows
