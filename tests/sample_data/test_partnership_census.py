"""The sample partnership's own children in need census, imported, reproduces every statutory
figure it stores: the year's snapshot (children in need, plans by initial category, the neglect
share, the rates), section 47 enquiries, plans for a second time, plans ended after two years or
more, and each quarter's referrals, re-referrals, assessments within 45 working days and
conferences within 15 working days, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access.db import session_scope
from data_access.models import Indicator, IndicatorValue, ReportingPeriod
from data_access.statutory import importing
from data_access.statutory.cin import read_census
from sample_data.census import (
    PartnershipCounts,
    QuarterCounts,
    census_xml,
    partnership_census,
    partnership_children,
)
from sample_data.census import main as census_main
from sample_data.generator import build_sample

YEAR = "2024-25"
REPRODUCED = {
    "STAT_REFERRALS",
    "STAT_REFERRAL_RATE",
    "STAT_CIN_COUNT",
    "STAT_CIN_RATE",
    "STAT_CP_COUNT",
    "STAT_CP_RATE",
    "STAT_CP_NEGLECT",
    "STAT_CP_EMOTIONAL",
    "STAT_CP_PHYSICAL",
    "STAT_CP_SEXUAL",
    "STAT_CP_MULTIPLE",
    "STAT_CP_NEGLECT_SHARE",
    "STAT_CP_SECOND_PLAN",
    "STAT_CP_ENDED_2Y",
    "STAT_S47_RATE",
    "STAT_REREFERRALS_12M",
    "STAT_ASSESSMENTS_45WD",
    "STAT_ICPC_COUNT",
    "STAT_ICPC_15WD",
    "MASH_REFERRALS",
    "MASH_REREFERRALS",
    "MASH_ASSESSMENTS_45WD",
    "MASH_ICPC_15WD",
}


@pytest.fixture
def sample_on_each_store(store: sa.Engine) -> sa.Engine:
    """The sample partnership (scale 1, as the demo's) built on SQLite and on PostgreSQL."""
    build_sample(store, scale=1.0, seed=2019)
    return store


def test_the_sample_census_reproduces_the_partnerships_figures(
    sample_on_each_store: sa.Engine,
) -> None:
    store = sample_on_each_store
    data = partnership_census(store, YEAR)
    checked = importing.check(engine=store, file_name="brookvale.xml", data=data)
    assert checked.year_code == YEAR and not checked.problems and checked.can_load
    rows = checked.comparison
    reproduced = rows[rows["stored_as"].isin(REPRODUCED)]
    # Every one of them: 19 annual figures and 4 quarterly measures for 4 quarters, and no
    # other figure the census gives is stored.
    assert len(reproduced) == 19 + 16
    assert rows["stored"].notna().sum() == 19 + 16
    assert reproduced["stored"].notna().all()
    assert (reproduced["difference"] == 0).all(), reproduced[reproduced["difference"] != 0]
    # The parts too: the stored numerator and denominator, not only the rounded value.
    with session_scope(store) as session:
        stored_parts = {
            (code, period): (float(top), float(bottom))
            for code, period, top, bottom in session.execute(
                sa.select(
                    Indicator.code,
                    ReportingPeriod.code,
                    IndicatorValue.numerator,
                    IndicatorValue.denominator,
                )
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
                .where(
                    IndicatorValue.is_current.is_(True),
                    IndicatorValue.agency_id.is_(None),
                    IndicatorValue.locality_id.is_(None),
                    IndicatorValue.numerator.is_not(None),
                    Indicator.code.in_(REPRODUCED),
                )
            )
        }
    parts = reproduced.dropna(subset=["numerator", "denominator"])
    for row in parts.itertuples():
        key = (row.stored_as, row.period)
        if key in stored_parts:
            assert (row.numerator, row.denominator) == stored_parts[key], key
    # As in England, section 47 enquiries outnumber the initial conferences they lead to: the
    # writer's path where some enquiries need no conference (the other way round is tested below
    # without the sample).
    s47 = rows[rows["stored_as"] == "STAT_S47_RATE"].iloc[0]
    conferences = rows[rows["stored_as"] == "STAT_ICPC_COUNT"].iloc[0]
    assert s47["numerator"] > 2 * conferences["value"]
    # Loading it changes nothing: every figure is the one already stored.
    result = importing.load(
        engine=store,
        statutory=checked,
        username="qa.demo",
        confirm_outliers=True,
    )
    assert (result.new, result.changed) == (0, 0), result.message
    assert result.submission_id is None and result.unchanged == 19 + 16


def test_the_census_is_written_from_the_command_line(writable_sample_store, tmp_path) -> None:
    out = tmp_path / "census.xml"
    url = writable_sample_store.url.render_as_string(hide_password=False)
    assert census_main(["--year", YEAR, "-o", str(out), "--database-url", url]) == 0
    assert importing.recognise(out.read_bytes()) == "cin"


def _figures(counts: PartnershipCounts) -> dict[str, object]:
    """Each figure of the census written for `counts`: a count, or a percentage's parts."""
    result = read_census(census_xml(partnership_children(counts), counts.reference))
    return {
        f.key: f.value if f.unit == "count" else (f.numerator, f.denominator)
        for f in result.figures
    }


# 120 referrals, 12 of them re-referrals, 80 assessments (60 inside 45 working days) and 28
# initial conferences (23 inside 15 working days), by quarter.
QUARTERS = tuple(
    QuarterCounts(start, 30, 3, 20, 15, icpc, in_time)
    for start, icpc, in_time in (
        (dt.date(2024, 4, 1), 10, 8),
        (dt.date(2024, 7, 1), 6, 6),
        (dt.date(2024, 10, 1), 8, 5),
        (dt.date(2025, 1, 1), 4, 4),
    )
)


@pytest.mark.parametrize(
    ("enquiries", "ended", "two_years"),
    [
        # More enquiries than the 28 conferences; more plans ended than the 12 started.
        (40, 20, 3),
        # Fewer enquiries than conferences; fewer plans ended than started (some still open).
        (22, 7, 2),
    ],
)
def test_the_writer_lays_out_enquiries_and_ended_plans_either_way(
    enquiries: int, ended: int, two_years: int
) -> None:
    counts = PartnershipCounts(
        reference=dt.date(2025, 3, 31),
        quarters=QUARTERS,
        children_in_need=60,
        plans_by_category={"NEG": 9, "EMO": 6, "PHY": 2, "SAB": 1, "MUL": 2},
        plans_started=12,
        plans_second=4,
        s47_started=enquiries,
        plans_ended=ended,
        plans_ended_two_years=two_years,
    )
    got = _figures(counts)
    assert got["s47_enquiries"] == enquiries
    assert got["icpc"] == 28 and got["icpc_15wd"] == (23, 28)
    assert got["cp_ended"] == ended and got["cp_two_years"] == (two_years, ended)
    assert got["cp_started"] == 12 and got["cp_second_or_later"] == (4, 12)
    assert got["cp_at_31_march"] == 20 and got["cin_at_31_march"] == 60
    assert (got["cp_neglect"], got["cp_emotional"], got["cp_physical"]) == (9, 6, 2)
    assert (got["cp_sexual"], got["cp_multiple"]) == (1, 2)
    assert got["referrals"] == 120 and got["rereferrals"] == (12, 120)
    assert got["assessments_45wd"] == (60, 80)
