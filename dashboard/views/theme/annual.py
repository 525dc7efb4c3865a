"""The theme's annual figures: a chosen year against the year before, roll-ups and breakdowns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import annual as annual_words
from dashboard.components import charts
from dashboard.components.chart_display import show_chart
from dashboard.components.plain import escape_inline
from dashboard.components.published import published_context
from dashboard.components.tables import table_with_download
from dashboard.metrics import brief
from dashboard.metrics import rag as ragmod
from dashboard.views.theme.context import ThemeContext
from dashboard.views.theme.figures import (
    breakdown_counts,
    breakdown_total_words,
    paged_breakdown_table,
)
from data_access import annual_figures, catalogue, themes
from data_access.periods import previous_period

# Who reads the partner's comment and a figure's qualifiers beside an annual figure: staff only.
NOTE_ROLES = ("executive", "qa_officer", "admin")
YEAR_KINDS = {
    "financial_year": ("Financial year", "Financial years (April to March)"),
    "academic_year": ("School year", "School years (September to August)"),
}


def annual_column_config(table: pd.DataFrame) -> dict[str, Any]:
    """Column help for the annual table's columns."""
    return {
        name: st.column_config.TextColumn(name, help=meaning)
        for name, meaning in annual_words.MEANINGS.items()
        if name in table.columns
    }


def annual_section(ctx: ThemeContext) -> None:
    """The theme's annual indicators for a chosen year: figure, the year before, the change, RAG
    against the annual target, SPC over the years and what qualifies the figure, every verdict
    from the year's brief (`brief.annual_brief`). Absent when the theme has no annual indicator."""
    specs = [i for i in catalogue.indicators(ctx.theme_code) if i.is_annual]
    if not specs:
        return
    st.header("Annual figures")
    st.caption(
        "Figures the partnership reports once a year (the children in need census, the local "
        "authority's statutory returns, school-year figures). Each is compared with the year "
        "before and judged against its annual target, never against a quarter."
    )
    years = cache.frame(themes.annual_periods, theme_code=ctx.theme_code)
    if years.empty:
        st.info(
            f"No annual figures have been loaded for this theme yet ({len(specs)} annual "
            f"indicators, such as {escape_inline(specs[0].name)}). A quality assurance officer "
            "loads the annual return on **Load quarterly returns** (Data): download the "
            "template for *a year's annual figures* (a year such as 2024-25), fill in the "
            "year's figures and upload it; they then appear here, compared with the year "
            "before."
        )
        return
    kinds = [
        k for k in YEAR_KINDS if any(themes.KIND_OF_FREQUENCY[i.frequency] == k for i in specs)
    ]
    for kind in kinds:
        picker_label, heading = YEAR_KINDS[kind]
        if len(kinds) > 1:
            st.subheader(heading)
        _annual_year(ctx, kind, picker_label, years[years["kind"] == kind])


def _annual_year(ctx: ThemeContext, kind: str, picker_label: str, years: pd.DataFrame) -> None:
    names = [
        i.name
        for i in catalogue.indicators(ctx.theme_code)
        if i.is_annual and themes.KIND_OF_FREQUENCY[i.frequency] == kind
    ]
    if years.empty:
        st.info(
            f"No figures have been loaded for any {picker_label.lower()} yet for "
            f"{escape_inline(', '.join(names))}. Load them on **Load quarterly returns** with "
            f"the template for a year's annual figures, choosing the {picker_label.lower()}."
        )
        return
    codes = list(years.sort_values("end_date", ascending=False)["code"])
    default = themes.year_before_or_on(years, ctx.filters.period_code)
    key = f"annual_year_{kind}"
    # The year follows the selected quarter: a new quarter (or a stale choice) resets it to the
    # latest year ended by then; otherwise the reader's own choice of year stays.
    followed = f"_{key}_for_quarter"
    if (
        st.session_state.get(followed, ctx.filters.period_code) != ctx.filters.period_code
        or st.session_state.get(key) not in codes
    ):
        st.session_state[key] = default
    st.session_state[followed] = ctx.filters.period_code
    year = st.selectbox(
        picker_label,
        codes,
        format_func=annual_words.year_label,
        key=key,
        help="The latest year that had ended by the selected quarter, unless you choose another.",
    )
    with_notes = ctx.user.role in NOTE_ROLES
    # The year's brief and its tables, worked out once per data version and shared by every
    # session (the financial year's were almost half a warm front-door page).
    figures_of = (ctx.theme_code, year, kind, with_notes)
    year_figures = cache.derived("theme year", lambda: _year_figures(*figures_of), *figures_of)
    rows = year_figures.rows
    scope = (
        ""
        if not (ctx.filters.agency_code or ctx.filters.locality_code)
        else " Annual figures are the whole partnership's, whatever the agency or locality "
        "chosen in the sidebar."
    )
    st.caption(
        f"Figures for {annual_words.year_label(year)}, each compared with "
        f"{previous_period(year)}.{scope}"
    )
    stem = f"{ctx.theme_code}_annual_{year.replace(' ', '_').replace('/', '-')}"
    for index, (heading, table) in enumerate(year_figures.tables):
        if heading:
            st.markdown(f"**{escape_inline(heading)}**")
        suffix = "" if index == 0 else f"_{index}"
        table_with_download(
            table,
            label=f"annual figures {year}" + (f" ({heading})" if heading else ""),
            file_stem=stem + suffix,
            key=f"annual_table_{kind}{suffix}",
            column_config=annual_column_config(table),
        )
    missing = rows[rows["value"].isna()] if not rows.empty else rows
    if not missing.empty:
        st.caption(
            f"{len(missing)} of these indicators have no figure for {year}: "
            f"{escape_inline(', '.join(missing['name'].astype(str)))}. Load them on **Load "
            "quarterly returns** with the template for that year's annual figures."
        )
    if kind == "financial_year":
        published_context(ctx.theme_code, year, key=f"annual_{kind}")
        _rollup_table(ctx, year, year_figures.rollup)
    with_figures = rows[rows["value"].notna()] if not rows.empty else rows
    if with_figures.empty:
        return
    choices = list(with_figures["code"])
    labels = dict(zip(with_figures["code"], with_figures["name"].astype(str), strict=True))
    code = st.selectbox(
        "Indicator for the year-on-year chart",
        choices,
        format_func=lambda option: labels.get(option, option),
        key=f"annual_chart_{kind}",
    )
    row = with_figures.set_index("code").loc[code]
    series = pd.DataFrame(
        {"period_code": list(row["trend_periods"]), "value": list(row["trend_values"])}
    )
    spec = catalogue.indicator(code)
    # England, the region and the neighbours' average for the same years, where the DfE
    # published them (issue 27; the sample's are the real England and regional figures).
    compared = cache.frame(themes.comparator_series, theme_code=ctx.theme_code)
    compared = compared[compared["code"] == code] if not compared.empty else compared
    chart = charts.trend_chart(
        series,
        name=spec.name,
        unit=spec.unit,
        target=spec.target if spec.has_target else None,
        period_title="Year",
        height=220,
        comparators=compared if not compared.empty else None,
    )
    description = annual_words.chart_description(
        spec.name, spec.unit, list(row["trend_periods"]), list(row["trend_values"])
    )
    shown = compared[compared["period_code"].isin(list(row["trend_periods"]))]
    if not shown.empty:
        kinds = sorted({charts.SERIES_LABELS.get(k, k) for k in shown["comparator_type"]})
        description += f" Comparator lines: {', '.join(kinds)}."
    show_chart(chart, description, key=f"annual_chart_view_{kind}")
    _annual_breakdown(ctx, code, year)


@dataclass(frozen=True)
class YearFigures:
    """A theme's year as its section shows it: the year's brief, its tables by heading, and (a
    financial year) the quarterly measures rolled up to the year (None when there are none)."""

    rows: pd.DataFrame
    tables: list[tuple[str | None, pd.DataFrame]]
    rollup: pd.DataFrame | None


def _year_figures(theme_code: str, year: str, kind: str, with_notes: bool) -> YearFigures:
    rows = cache.frame(brief.annual_brief, year_code=year, theme_code=theme_code)
    quarters = (
        cache.frame(annual_figures.annual_against_quarters, year_code=year, theme_code=theme_code)
        if kind == "financial_year"
        else None
    )
    tables = [
        (heading, annual_words.annual_table(part, with_notes=with_notes, quarters=quarters))
        for heading, part in annual_words.by_heading(rows)
    ]
    rollup = None
    if kind == "financial_year":
        rolled = cache.frame(annual_figures.year_rollups, year_code=year, theme_code=theme_code)
        rollup = annual_words.rollup_table(rolled) if not rolled.empty else None
    return YearFigures(rows, tables, rollup)


def _rollup_table(ctx: ThemeContext, year: str, table: pd.DataFrame | None) -> None:
    """The theme's quarterly measures as the same financial year, from their four quarters."""
    if table is None:
        return
    st.markdown(f"**The quarterly measures over {escape_inline(year)}**")
    st.caption(
        "Each quarterly measure as a whole year, by the rule its definition declares: counts of "
        "events added up over the four quarters; counts, percentages and rates on a day taken "
        "from the last quarter (not added up); percentages and rates of events worked out "
        "again from the quarters' numerators and denominators (never an average); means "
        "weighted by what they are a mean of. A measure that cannot be rolled up honestly says "
        "why instead of a figure; a year missing a quarter is a part-year and not compared."
    )
    table_with_download(
        table,
        label=f"quarterly measures over {year}",
        file_stem=f"{ctx.theme_code}_year_from_quarters_{year}",
        key="annual_rollup_table",
    )


def _annual_breakdown(ctx: ThemeContext, code: str, year: str) -> None:
    """The year's figures of `code` by locality or agency, where the partner returned them."""
    spec = catalogue.indicator(code)
    with_notes = ctx.user.role in NOTE_ROLES
    for dimension in spec.breakdowns:
        total = breakdown_counts(ctx, code, dimension, year)["rows"]
        if not total:
            continue
        st.markdown(f"**{escape_inline(spec.name)} by {dimension}, {year}**")

        def build(rows: pd.DataFrame, dimension: str = dimension) -> pd.DataFrame:
            table = pd.DataFrame(
                {
                    dimension.capitalize(): rows["group_name"].astype(str),
                    "Figure": [
                        ragmod.format_value(v, spec.unit, symbol=s)
                        for v, s in zip(rows["value"], rows["status_symbol"], strict=True)
                    ],
                }
            )
            if with_notes:
                table["Note"] = [
                    annual_figures.figure_note(s, q, c)
                    for s, q, c in zip(
                        rows["status_symbol"], rows["qualifier"], rows["comment"], strict=True
                    )
                ]
            return table

        paged_breakdown_table(
            ctx,
            code=code,
            dimension=dimension,
            total=total,
            build=build,
            period_code=year,
            label=f"{dimension} figures {year}",
            file_stem=f"{code}_{dimension}_{year.replace(' ', '_').replace('/', '-')}",
            key=f"annual_breakdown_{dimension}_{code}",
        )
        st.caption(breakdown_total_words(ctx, code, dimension, year))
