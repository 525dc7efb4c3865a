"""A store set up for Stockport (356) from empty, on SQLite and PostgreSQL: the theme page's annual
figures show the partnership's published history beside England, the North West and each of
Stockport's ten statistical neighbours by name, with the OGL v3 attribution."""

from __future__ import annotations

import csv
import gzip

import numpy as np
import sqlalchemy as sa

from data_access import published
from data_access import published_tables as tables
from tests.support.theme_apptest import app_for, table_with, texts


def _councils_2020(measure: str) -> dict[str, float]:
    """Every council's published 2020 figure of `measure` (codes below 970: not England or a
    region)."""
    with gzip.open(tables.LAIT_FILE, "rt", encoding="utf-8-sig", newline="") as handle:
        return {
            r["LA and Regions"]: float(r["Values"])
            for r in csv.DictReader(handle)
            if r["Short Desc"] == measure
            and r["Years"] == "2020"
            and r["Values"] != "-"
            and float(r["LA Number"]) < 970
        }


def _cin_2020() -> dict[str, float]:
    with gzip.open(tables.LAIT_FILE, "rt", encoding="utf-8-sig", newline="") as handle:
        return {
            r["LA and Regions"]: float(r["Values"])
            for r in csv.DictReader(handle)
            if r["Short Desc"] == "CIN" and r["Years"] == "2020" and r["Values"] != "-"
        }


def test_the_mash_page_shows_stockport_beside_england_region_and_neighbours(
    store: sa.Engine, use_store
) -> None:
    published.setup_councils(engine=store, council_codes=["356"])
    use_store(store)
    at = app_for("mash", "qa_officer").run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="annual_year_financial_year").set_value("2019-20").run()
    assert not at.exception, [e.value for e in at.exception]

    compared = table_with(at, "Indicator", "Stockport (published)", "England", "North West")
    assert compared is not None
    cin = compared[compared["Indicator"] == "Children in need per 10,000 children"].iloc[0]
    assert (cin["Stockport (published)"], cin["England"], cin["North West"]) == (
        "354.1",
        "330.1",
        "373.0",
    )
    assert cin["Quartile band"] == "-"  # LAIT gives the children in need rate no polarity
    timely = compared[compared["Indicator"].str.startswith("Assessments completed")].iloc[0]
    # LAIT: higher is better, so the highest quarter of councils is band A; rank 1 the highest.
    councils = _councils_2020("Continue_Assess_Comp")
    own = councils["Stockport"]
    q25, q50, q75 = np.percentile(list(councils.values()), [25, 50, 75])
    band = "D" if own <= q25 else "C" if own <= q50 else "B" if own <= q75 else "A"
    rank = 1 + sum(v > own for v in councils.values())
    assert (timely["Quartile band"], timely["Rank among councils"]) == (
        band,
        f"{rank} of {len(councils)}",
    )

    neighbours = table_with(at, "Statistical neighbour", "Closeness", "Figure")
    assert neighbours is not None
    cin_rows = neighbours[neighbours["Indicator"] == "Children in need per 10,000 children"]
    cells = _cin_2020()
    assert len(cin_rows) == 10
    for name, figure in zip(cin_rows["Statistical neighbour"], cin_rows["Figure"], strict=True):
        assert figure == f"{cells[name]:.1f}"
    assert "Open Government Licence v3.0" in texts(at)
    # The year-on-year chart draws England, the region and the neighbours' average beside it.
    assert "Comparator lines: England, Region, Statistical neighbours." in texts(at)

    # The partnership's own annual table carries the same published figure for 2019-20.
    annual = table_with(at, "Indicator", "Figure", "Year before", "Target")
    assert annual is not None
    row = annual[annual["Indicator"] == "Children in need per 10,000 children"].iloc[0]
    assert row["Figure"] == "354.1 per 10,000 children"


def test_the_data_quality_page_lists_a_partnership_figure_that_differs_from_the_dfes(
    sqlite_store: sa.Engine, use_store, tmp_path
) -> None:
    from data_access.importer import check_file, load_checked

    published.setup_councils(engine=sqlite_store, council_codes=["356"])
    own = (
        b"indicator_code,period,agency_code,locality_code,value,numerator,denominator,"
        b"status_symbol,comment\nSTAT_REREFERRALS_12M,2019-20,,,25.0,250,1000,,\n"
    )
    checked = check_file(engine=sqlite_store, file_name="council_annual_report.csv", data=own)
    load_checked(
        engine=sqlite_store, checked=checked, username="qa_officer.test", confirm_outliers=True
    )
    use_store(sqlite_store)
    at = app_for("data_quality", "qa_officer").run()
    assert not at.exception, [e.value for e in at.exception]
    listed = table_with(at, "The partnership's figure (shown)", "Published by the DfE")
    assert listed is not None
    assert listed.values.tolist() == [
        [
            "Re-referrals within 12 months (year)",
            "2019-20",
            "25.0%",
            listed.iloc[0]["Its source"],
            "20.8%",
            f"published by the DfE: {tables.SHIPPED_RELEASE}",
        ]
    ]
    assert "council_annual_report.csv" in listed.iloc[0]["Its source"]
    assert "Open Government Licence v3.0" in texts(at)


def test_the_overview_shows_the_latest_published_year_beside_england_and_region(
    sqlite_store: sa.Engine, use_store
) -> None:
    published.setup_councils(engine=sqlite_store, council_codes=["356"])
    use_store(sqlite_store)
    at = app_for("overview", "executive").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Statutory measures beside England, region and neighbours (2024-25)" in [
        h.value for h in at.header
    ]
    compared = table_with(at, "Indicator", "Stockport (published)", "England", "North West")
    assert compared is not None
    cin = compared[compared["Indicator"] == "Children in need per 10,000 children"].iloc[0]
    with gzip.open(tables.LAIT_FILE, "rt", encoding="utf-8-sig", newline="") as handle:
        cells = {
            (r["LA and Regions"]): r["Values"]
            for r in csv.DictReader(handle)
            if r["Short Desc"] == "CIN" and r["Years"] == "2025"
        }
    assert cin["England"] == f"{float(cells['England']):.1f}"
    assert cin["North West"] == f"{float(cells['North West']):.1f}"
    # Every published statutory measure of every theme has its row.
    assert len(compared) == len(tables.MEASURES)
    # Each neighbour by name, closest first, one column each.
    named = table_with(at, "Indicator", "Solihull", "Cambridgeshire")
    assert named is not None
    assert list(named.columns)[1:3] == ["Solihull", "Trafford"]
    row = named[named["Indicator"] == "Children in need per 10,000 children"].iloc[0]
    assert row["Solihull"] == f"{float(cells['Solihull']):.1f}"
    assert "Open Government Licence v3.0" in texts(at)


def test_the_neglect_page_says_the_neglect_share_table_is_not_shipped(
    sqlite_store: sa.Engine, use_store
) -> None:
    published.setup_councils(engine=sqlite_store, council_codes=["356"])
    use_store(sqlite_store)
    at = app_for("neglect", "qa_officer").run()
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    assert "'D4' table of the children in need release) is not shipped" in said
    compared = table_with(at, "Indicator", "Stockport (published)", "England", "North West")
    assert compared is not None
    assert "Children on a child protection plan per 10,000 children" in set(compared["Indicator"])
