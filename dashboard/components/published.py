"""England, the region and the statistical neighbours beside the statutory measures, as the DfE
publishes them (data_access.published), with LAIT's quartile band and rank and the OGL v3
attribution. One table per theme and year, and each neighbour by name in an expander."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.annual import UNIT_LABELS
from dashboard.components.tables import table_with_download
from dashboard.metrics import rag as ragmod
from data_access import catalogue, published
from data_access import published_tables as tables
from data_access.periods import parse_period

HOW_READ = (
    "England, the region and the statistical neighbours' figures are the DfE's published "
    "figures for the same year (the DfE labels a year by its end: 2020 is 2019-20). The "
    "neighbours' average is the plain mean of the ten neighbours' published figures, a "
    "neighbour with none left out, as the DfE's Local Authority Interactive Tool (LAIT) works "
    "it out. The quartile band is LAIT's: councils' figures for the year cut at their "
    "quartiles, A the best quarter by the measure's polarity (the lowest for a measure where "
    "lower is better), and the rank is among the councils with a figure (1 the best); a measure "
    "without a polarity has neither ('-'). A blank is a figure the DfE did not publish, never 0."
)


def comparison_table(rows: pd.DataFrame) -> pd.DataFrame:
    """`published.theme_comparisons` rows as people read them."""
    if rows.empty:
        return pd.DataFrame()
    council = str(rows["council"].iloc[0])
    region = next((str(r) for r in rows["region"] if r), "Region")

    def shown(values: pd.Series, units: pd.Series) -> list[str]:
        return [
            "" if v is None or pd.isna(v) else ragmod.format_value(v, str(u), with_unit=False)
            for v, u in zip(values, units, strict=True)
        ]

    return pd.DataFrame(
        {
            "Indicator": rows["name"].astype(str),
            "Unit": [UNIT_LABELS.get(str(u), str(u)) for u in rows["unit"]],
            f"{council} (published)": shown(rows["council_value"], rows["unit"]),
            "England": shown(rows["england"], rows["unit"]),
            region: shown(rows["region_value"], rows["unit"]),
            "Neighbours' average": shown(rows["neighbours_average"], rows["unit"]),
            "Quartile band": rows["band"].astype(str),
            "Rank among councils": [
                f"{r} of {n}" if r and r != "-" else r
                for r, n in zip(rows["rank"].astype(str), rows["ranked"], strict=True)
            ],
            "Revised by the DfE": rows["revised"].fillna("").astype(str),
        }
    )


def neighbours_table(rows: pd.DataFrame) -> pd.DataFrame:
    """`published.theme_neighbours` rows as people read them."""
    return pd.DataFrame(
        {
            "Indicator": rows["indicator"].astype(str),
            "Statistical neighbour": rows["neighbour"].astype(str),
            "Closeness": rows["closeness"].astype(str),
            "Figure": [
                "" if v is None or pd.isna(v) else ragmod.format_value(v, str(u), with_unit=False)
                for v, u in zip(rows["value"], rows["unit"], strict=True)
            ],
        }
    )


def neighbours_wide(rows: pd.DataFrame) -> pd.DataFrame:
    """`published.theme_neighbours` rows as one row per indicator and one column per neighbour
    (closest first), for the overview and the pack."""
    if rows.empty:
        return pd.DataFrame()
    names = list(dict.fromkeys(rows["neighbour"].astype(str)))
    table = pd.DataFrame({"Indicator": list(dict.fromkeys(rows["indicator"].astype(str)))})
    shown = {
        (str(i), str(n)): (
            "" if v is None or pd.isna(v) else ragmod.format_value(v, str(u), with_unit=False)
        )
        for i, n, v, u in zip(
            rows["indicator"], rows["neighbour"], rows["value"], rows["unit"], strict=True
        )
    }
    for name in names:
        table[name] = [shown.get((i, name), "") for i in table["Indicator"]]
    return table


def attribution() -> None:
    """The OGL v3 attribution, under every table of published figures."""
    st.caption(tables.ATTRIBUTION)


def published_context(theme_code: str, year_code: str, *, key: str) -> None:
    """The theme's statutory measures for a financial year beside England, the region and the
    statistical neighbours (by name in an expander), with the band, rank and attribution."""
    specs = [s for s in catalogue.indicators(theme_code) if s.code in tables.MEASURE_OF]
    if not specs:
        return
    st.markdown("**Beside England, the region and statistical neighbours**")
    if theme_code == "neglect":
        st.caption(tables.NOT_SHIPPED)
    councils = cache.frame(published.councils)
    if councils.empty:
        st.caption(
            "No council is recorded for the partnership, so this table of the DfE's published "
            "figures (the council beside England, the region, each statistical neighbour, the "
            "quartile band and rank) is not shown; England's and the region's figures, where "
            "they are loaded as comparators, are on the charts. An administrator runs "
            "`qa-dashboard init-db --council CODE` (the council's old LA code such as 356, its "
            "new code such as E08000007, or its name) to load them."
        )
        return
    rows = cache.frame(published.theme_comparisons, theme_code=theme_code, period_code=year_code)
    if rows.empty or rows[["council_value", "england", "region_value"]].isna().all().all():
        st.caption(f"The DfE has not published these measures for {year_code}.")
        attribution()
        return
    st.caption(HOW_READ)
    table_with_download(
        comparison_table(rows),
        label=f"published comparisons {year_code}",
        file_stem=f"{theme_code}_published_{year_code}",
        key=f"{key}_published",
    )
    neighbours = cache.frame(
        published.theme_neighbours, theme_code=theme_code, period_code=year_code
    )
    if not neighbours.empty:
        with st.expander(f"Each statistical neighbour, {year_code}"):
            table_with_download(
                neighbours_table(neighbours),
                label=f"statistical neighbours {year_code}",
                file_stem=f"{theme_code}_neighbours_{year_code}",
                key=f"{key}_neighbours",
            )
    if len(councils) > 1:
        st.caption(
            "The partnership covers more than one council: the first council's region and "
            "neighbours are shown (`qa-dashboard published show` lists every council's figure)."
        )
    attribution()


def differences_section() -> None:
    """The data quality page's list of years where the partnership's own figure (shown on the
    pages) differs from the council's figure published by the DfE, with both sources."""
    st.header("Figures that differ from the DfE's published figures")
    st.caption(
        "Where the partnership loaded its own figure for a year the DfE has published, the "
        "partnership's figure is the one the pages show and both are kept. Definitions can "
        "differ (a council's own annual report may count plans started in the year where the "
        "DfE counts plans open at 31 March): name the basis or correct the figure."
    )
    if cache.frame(published.councils).empty:
        st.caption(
            "No council is recorded for the partnership, so there are no published figures to "
            "compare (`qa-dashboard init-db --council CODE`)."
        )
        return
    rows = cache.frame(published.differences)
    if rows.empty:
        st.success("Every figure the partnership loaded itself agrees with the DfE's.")
        return
    units = {s.name: s.unit for s in catalogue.indicators()}
    table = pd.DataFrame(
        {
            "Indicator": rows["indicator"].astype(str),
            "Year": rows["year"].astype(str),
            "The partnership's figure (shown)": [
                ragmod.format_value(v, units.get(str(n), "count"))
                for v, n in zip(rows["partnership_value"], rows["indicator"], strict=True)
            ],
            "Its source": rows["partnership_source"].astype(str),
            "Published by the DfE": [
                ragmod.format_value(v, units.get(str(n), "count"))
                for v, n in zip(rows["published_value"], rows["indicator"], strict=True)
            ],
            "The DfE's release": rows["published_source"].astype(str),
        }
    )
    st.markdown(f"**{len(table):,}** figure(s) differ from the DfE's published figure.")
    table_with_download(
        table,
        label="figures that differ from the DfE's",
        file_stem="against-published",
        key="dq_published_differences",
    )
    attribution()


def year_for(period_code: str | None) -> str | None:
    """The latest financial year the DfE published that had ended by the selected period."""
    years = cache.query(published.published_years)
    if not years:
        return None
    if period_code is None:
        return str(years[-1])
    end = parse_period(period_code).end_date
    ended = [y for y in years if parse_period(y).end_date <= end]
    return str(ended[-1]) if ended else str(years[-1])


def overview_context(period_code: str | None) -> None:
    """The overview's table of every statutory measure beside England, the region and the
    statistical neighbours, for the latest published year ended by the selected quarter."""
    year = year_for(period_code)
    if year is None:
        return
    st.header(f"Statutory measures beside England, region and neighbours ({year})")
    st.caption(HOW_READ)
    rows = cache.frame(published.all_comparisons, period_code=year)
    if rows.empty:
        st.caption(f"The DfE has not published these measures for {year}.")
    else:
        table_with_download(
            comparison_table(rows),
            label=f"published comparisons {year}",
            file_stem=f"published_{year}",
            key="overview_published",
        )
        neighbours = cache.frame(published.all_neighbours, period_code=year)
        if not neighbours.empty:
            with st.expander(f"Each statistical neighbour, {year} (closest first)"):
                table_with_download(
                    neighbours_wide(neighbours),
                    label=f"statistical neighbours {year}",
                    file_stem=f"published_neighbours_{year}",
                    key="overview_neighbours",
                )
    attribution()
