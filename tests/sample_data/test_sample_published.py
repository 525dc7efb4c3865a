"""The demo keeps its fictional partnership but its England and regional comparators are the
DfE's real published figures (England and the North West), each equal to its cell of the shipped
table; measures the DfE does not publish keep their illustrative, labelled comparators."""

from __future__ import annotations

import csv
import gzip

import sqlalchemy as sa

from data_access import published_tables as tables
from data_access.models import ComparatorValue, Indicator, ReportingPeriod
from sample_data.comparators import SOURCE


def _cell(measure: str, area: str, year: int) -> float:
    with gzip.open(tables.LAIT_FILE, "rt", encoding="utf-8-sig", newline="") as handle:
        for r in csv.DictReader(handle):
            if (r["Short Desc"], r["LA and Regions"], r["Years"]) == (measure, area, str(year)):
                return float(r["Values"])
    raise KeyError((measure, area, year))


def _comparators(engine: sa.Engine, code: str) -> dict[tuple[str, str], tuple[float, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                ReportingPeriod.code,
                ComparatorValue.comparator_type,
                ComparatorValue.value,
                ComparatorValue.source,
            )
            .join(Indicator, Indicator.id == ComparatorValue.indicator_id)
            .join(ReportingPeriod, ReportingPeriod.id == ComparatorValue.period_id)
            .where(Indicator.code == code)
        ).all()
    return {(p, k): (v, s) for p, k, v, s in rows}


def test_the_demo_shows_real_england_and_regional_figures(sample_store: sa.Engine) -> None:
    annual = _comparators(sample_store, "STAT_CIN_RATE")
    assert annual[("2019-20", "england")][0] == 330.1
    assert annual[("2019-20", "region")][0] == 373.0
    assert annual[("2019-20", "england")][1].startswith(tables.SOURCE_WORDS)
    for (period, kind), (value, _) in annual.items():
        area = "England" if kind == "england" else "North West"
        assert value == _cell("CIN", area, tables.year_of_period(period))

    quarterly = _comparators(sample_store, "MASH_REREFERRALS")
    in_2019_20 = {k: v for (p, k), v in quarterly.items() if p.startswith("2019-20 Q")}
    assert in_2019_20["england"][0] == _cell("ReReferral", "England", 2020)
    assert in_2019_20["region"][0] == _cell("ReReferral", "North West", 2020)
    # Brookvale has no real neighbours: that line stays illustrative and says so.
    assert in_2019_20["statistical_neighbours"][1] == SOURCE

    # A measure the DfE does not publish keeps its illustrative comparator, labelled as such.
    decided = _comparators(sample_store, "MASH_DECISION_1WD")
    assert decided and {s for _, s in decided.values()} == {SOURCE}
