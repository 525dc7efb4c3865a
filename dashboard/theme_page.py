"""One renderer for all five theme pages: everything comes from the catalogue and the store.

A page file is just::

    user = require_page("mash")
    render_theme_page("mash", user)

Theme-specific sections (contacts by source, Kirkpatrick levels...) are small functions in
`THEME_SECTIONS`, keyed by theme code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import annual as annual_words
from dashboard.components import charts, paging
from dashboard.components.chart_display import show_chart
from dashboard.components.decisions import render_theme_decisions
from dashboard.components.filters import Filters, sidebar_filters
from dashboard.components.kpi import kpi_tile
from dashboard.components.plain import escape_inline, escape_markdown
from dashboard.components.rag import rag_label, variation_label
from dashboard.components.summary import summary_panel
from dashboard.components.terms import SCORECARD_TERMS, help_text, terms_expander
from dashboard.exports import download_built, download_table, log_record_view
from dashboard.metrics import brief, narrative, spc
from dashboard.metrics import rag as ragmod
from dashboard.session import CurrentUser
from data_access import annual_figures, assurance, catalogue, themes
from data_access.annual_figures import figure_note
from data_access.indicators import periods_with_data
from data_access.periods import previous_period

DRILL_DOWN_ROLES = ("qa_officer", "admin")
# Clicking a breakdown bar opens the rows behind it: the chart's point-selection parameter.
BAR_PICK = "bar_pick"
TILES_PER_ROW = 3


@dataclass(frozen=True)
class ThemeContext:
    """Everything a theme section needs, read once per run.

    `scorecard` is the quarter brief (every verdict, from each indicator's whole history up to
    the selected quarter); `history` holds only the display window, for what charts draw.
    """

    theme_code: str
    user: CurrentUser
    filters: Filters
    history: pd.DataFrame
    comparators: pd.DataFrame
    scorecard: pd.DataFrame

    @property
    def period_code(self) -> str:
        return self.filters.period_code or ""

    def series(self, code: str) -> pd.DataFrame:
        """One indicator's quarters up to the selected quarter (period_code, value)."""
        rows = self.history[(self.history["code"] == code) & self.history["period_code"].notna()]
        return rows[rows["period_code"].isin(self.filters.period_codes)]

    def control_chart(self, code: str) -> spc.XmRResult | None:
        """The brief's control chart for an indicator (whole history to the selected quarter),
        whose variation and assurance every surface shows; None without a figure this quarter."""
        if self.scorecard.empty:
            return None
        rows = self.scorecard[self.scorecard["code"] == code]
        chart = rows["spc_chart"].iloc[0] if not rows.empty else None
        return chart if isinstance(chart, spc.XmRResult) else None


# --- Small display helpers ---------------------------------------------------------------------


def show_table(
    table: pd.DataFrame, *, label: str, file_stem: str, key: str, column_config: dict | None = None
) -> None:
    """A table and its CSV download."""
    from dashboard.components.tables import show_table as show_grid

    show_grid(table, column_config=column_config, key=f"{key}_df")
    download_table(table, label=label, file_stem=file_stem, key=f"{key}_csv")


# A breakdown by agency can run to thousands of rows: its table shows a page of them and its chart
# the largest; the download has every row.
BREAKDOWN_ROWS_PER_PAGE = 50
_PLURAL = {"agency": "agencies", "locality": "localities"}


def breakdown_counts(
    ctx: ThemeContext, code: str, dimension: str, period_code: str | None = None
) -> dict[str, int]:
    """How many `dimension` rows `code` has in the quarter (or year), and how many hold a figure."""
    return cache.query(
        themes.breakdown_counts,
        theme_code=ctx.theme_code,
        period_code=period_code or ctx.period_code,
        dimension=dimension,
        indicator_code=code,
    )


def largest_figures(ctx: ThemeContext, code: str, dimension: str) -> pd.DataFrame:
    """The figures a breakdown bar chart draws: the largest `charts.MAX_BARS`."""
    return cache.frame(
        themes.breakdown_largest,
        theme_code=ctx.theme_code,
        period_code=ctx.period_code,
        dimension=dimension,
        indicator_code=code,
        limit=charts.MAX_BARS,
    )


def paged_table(
    *,
    total: int,
    noun: str,
    order: str,
    fetch_page: Callable[[int, int], pd.DataFrame],
    fetch_all: Callable[[], pd.DataFrame],
    build: Callable[[pd.DataFrame], pd.DataFrame],
    label: str,
    key: str,
    page_key: str,
    file_stem: str,
) -> pd.DataFrame:
    """A table of `total` rows shown `BREAKDOWN_ROWS_PER_PAGE` at a time: a page choice when
    there is more than one page, the rows `fetch_page(offset, limit)` gives as `build` lays them
    out, and a download of every row (`fetch_all`) made when it is asked for. `order` says how
    the rows are sorted ("A to Z by name"). Returns the page's rows as fetched."""
    page = paging.choose_page(
        st.container(), total, per_page=BREAKDOWN_ROWS_PER_PAGE, noun=noun, key=page_key
    )
    rows = fetch_page(page.offset, page.limit)
    if page.count > 1:
        st.caption(
            f"{noun.capitalize()} {page.first_row:,} to {page.last_row:,} of {total:,}, "
            f"{order}. The download has all of them."
        )
    from dashboard.components.tables import show_table as show_grid

    show_grid(build(rows), key=f"{key}_df")
    download_built(
        lambda: build(fetch_all()), label=label, file_stem=file_stem, key=f"{key}_csv", rows=total
    )
    return rows


def paged_breakdown_table(
    ctx: ThemeContext,
    *,
    code: str,
    dimension: str,
    total: int,
    build: Callable[[pd.DataFrame], pd.DataFrame],
    label: str,
    key: str,
    file_stem: str,
    period_code: str | None = None,
) -> pd.DataFrame:
    """One page of `code`'s figures by `dimension` as the table `build` makes of them (see
    `paged_table`). Returns the page's rows (as the store gave them)."""
    period = period_code or ctx.period_code
    query = {
        "theme_code": ctx.theme_code,
        "period_code": period,
        "dimension": dimension,
        "indicator_code": code,
    }
    return paged_table(
        total=total,
        noun=_PLURAL[dimension],
        order="A to Z by name",
        fetch_page=lambda offset, limit: cache.frame(
            themes.breakdown, offset=offset, limit=limit, **query
        ),
        fetch_all=lambda: cache.frame(themes.breakdown, **query),
        build=build,
        label=label,
        key=key,
        file_stem=file_stem,
        page_key=paging.page_key(f"{key}_page", period, dimension, code),
    )


def trend_description(
    name: str,
    series: pd.DataFrame,
    unit: str,
    target: float | None,
    comparators: pd.DataFrame | None,
) -> str:
    """The short text under a trend chart: what is plotted, range, latest value, target."""
    values = series.dropna(subset=["value"])
    if values.empty:
        return f"No figures for {name} in the selected quarters."
    first, last = values.iloc[0], values.iloc[-1]
    text = (
        f"Line chart of {name.lower() if name[:2].istitle() else name} by quarter, "
        f"{first['period_code']} to {last['period_code']}; "
        f"latest {ragmod.format_value(last['value'], unit)}"
    )
    if target is not None:
        text += f"; dashed green line: target {ragmod.format_value(target, unit)}"
    if comparators is not None and not comparators.empty:
        kinds = sorted({charts.SERIES_LABELS.get(k, k) for k in comparators["comparator_type"]})
        text += f"; comparator lines: {', '.join(kinds)}"
    return text + "."


def scorecard_table(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as people read it (text labels for RAG and SPC, formatted comparators)."""
    if card.empty:
        return pd.DataFrame()
    rows = []
    for _, row in card.iterrows():
        rows.append(
            {
                "Indicator": row["name"],
                "Quarter": row["period_code"],
                "Value": row["display_value"],
                "Note on the figure": row["figure_note"] or "",
                "Change on last quarter": row["change_display"],
                "Change on a year earlier": row["year_ago_display"],
                "Target": ragmod.format_value(row["target"], row["unit"])
                if row["target"] is not None and row["polarity"] != "neutral"
                else "no target",
                "RAG": rag_label(row["rag"]),
                "Quarters running": row["run_display"],
                "SPC variation": variation_label(row["spc_variation"]),
                "SPC assurance": row["spc_assurance"],
                "England": ragmod.format_value(row["england"], row["unit"])
                if ragmod.as_number(row["england"]) is not None
                else "",
                "Statistical neighbours": ragmod.format_value(row["stat_neighbours"], row["unit"])
                if ragmod.as_number(row["stat_neighbours"]) is not None
                else "",
            }
        )
    return pd.DataFrame(rows)


# --- Sections ----------------------------------------------------------------------------------


def narrative_section(ctx: ThemeContext) -> None:
    headline = ctx.scorecard[ctx.scorecard["headline"]]
    sentences = narrative.theme_narrative(headline if not headline.empty else ctx.scorecard)
    with st.container(border=True, key="narrative"):
        st.markdown(
            f"**The quarter in brief ({ctx.period_code}, "
            f"{escape_inline(ctx.filters.scope_label)})**"
        )
        st.markdown(" ".join(sentences))


def tiles_section(ctx: ThemeContext) -> None:
    st.header("Headline figures")
    headline = ctx.scorecard[ctx.scorecard["headline"]]
    if headline.empty:
        st.info("This theme has no headline indicators in the catalogue.")
        return
    if ctx.filters.agency_code or ctx.filters.locality_code:
        st.caption(
            f"Figures for {escape_inline(ctx.filters.scope_label)}. Indicators not reported at "
            "this level show 'no data'."
        )
    rows = [headline.iloc[i : i + TILES_PER_ROW] for i in range(0, len(headline), TILES_PER_ROW)]
    for chunk in rows:
        columns = st.columns(TILES_PER_ROW)
        for column, (_, row) in zip(columns, chunk.iterrows(), strict=False):
            with column:
                kpi_tile(row, key=f"tile_{row['code']}")


def trend_chart_for(ctx: ThemeContext, code: str, *, key: str) -> None:
    spec = catalogue.indicator(code)
    series = ctx.series(code)
    if series["value"].notna().sum() == 0:
        st.info(
            f"No figures for **{spec.name}** in these quarters for "
            f"{escape_inline(ctx.filters.scope_label)}."
        )
        return
    comparators = (
        ctx.comparators[ctx.comparators["code"] == code] if not ctx.comparators.empty else None
    )
    target = spec.target if spec.has_target else None
    chart = charts.trend_chart(
        series, name=spec.name, unit=spec.unit, target=target, comparators=comparators
    )
    show_chart(chart, trend_description(spec.name, series, spec.unit, target, comparators), key=key)


def trends_section(ctx: ThemeContext) -> None:
    st.header("Trends")
    headline = [i for i in catalogue.indicators(ctx.theme_code) if i.headline]
    for start in range(0, len(headline), 2):
        columns = st.columns(2)
        for column, spec in zip(columns, headline[start : start + 2], strict=False):
            with column:
                trend_chart_for(ctx, spec.code, key=f"trend_{spec.code}")
    others = [i for i in catalogue.indicators(ctx.theme_code) if not i.headline and not i.is_annual]
    if others:
        names = {i.code: i.name for i in others}
        choice = st.selectbox(
            "Show the trend for another indicator",
            list(names),
            format_func=names.get,
            key="other_trend",
        )
        trend_chart_for(ctx, choice, key="trend_other")


def spc_section(ctx: ThemeContext) -> None:
    """The control chart of one indicator, judged on its whole history up to the selected quarter
    (never the display window), with its recorded changes in the process; QA officers and
    admins can record or withdraw a change (a rebase)."""
    settings = spc.DEFAULT_SETTINGS
    st.header("Statistical process control")
    st.caption(
        "XmR charts as NHS England's Making Data Count draws them (checked against the NHS-R "
        "community's reference package): average, process limits (average ± 2.66 × average "
        f"moving range) and signals. {settings.describe()}"
    )
    # Annual indicators have their own section, judged over years.
    specs = [i for i in catalogue.indicators(ctx.theme_code) if not i.is_annual]
    names = {i.code: i.name for i in specs}
    default = next((i.code for i in specs if i.headline), specs[0].code)
    code = st.selectbox(
        "Indicator for the control chart",
        list(names),
        index=list(names).index(default),
        format_func=names.get,
        key="spc_indicator",
    )
    spec = catalogue.indicator(code)
    # The brief's own chart (whole history to the selected quarter, recorded rebases), so this
    # section and every tile, table, meeting screen and pack page show one verdict.
    result = ctx.control_chart(code)
    target = spec.target if spec.has_target else None
    flash = st.session_state.pop(SPC_FLASH_KEY, None)
    if flash:
        st.success(flash)
    if result is None or len(result.values) < spc.MIN_POINTS:
        st.info(
            f"Not enough figures for a control chart of **{spec.name}** up to "
            f"{ctx.period_code} (a chart needs a figure for this quarter and at least "
            f"{spc.MIN_POINTS} quarters)."
        )
    else:
        chart = charts.spc_chart(
            result, name=spec.name, unit=spec.unit, polarity=spec.polarity, target=target
        )
        show_chart(chart, _spc_description(result, spec.name, spec.unit), key="spc_chart")
        latest = result.latest_segment
        if result.short_warning and latest is not None:
            st.warning(
                f"Trial limits: the limits rest on {latest.size} quarter(s) "
                f"({result.labels[latest.start]} to {result.labels[-1]}), fewer than the "
                f"{settings.warning_points} Making Data Count advises, so they will move as "
                "quarters are added. Read the signals with care."
            )
        c1, c2 = st.columns(2)
        c1.markdown(f"**Variation:** {variation_label(result.variation)}")
        c2.markdown(f"**Assurance:** {result.assurance}")
    _spc_changes_list(code)
    if ctx.user.role in DRILL_DOWN_ROLES:
        _spc_change_form(ctx, code, spec.name, list(result.labels) if result else [])


SPC_FLASH_KEY = "spc_flash"


def _spc_description(result: spc.XmRResult, name: str, unit: str) -> str:
    """The chart's text alternative: limits, where they come from, and the verdict."""
    latest = result.latest_segment
    assert latest is not None
    start, end = result.labels[latest.start], result.labels[latest.baseline_end - 1]
    where = (
        f"from a change in the process recorded at {start}; limits from {start} to {end}"
        if latest.rebased
        else f"limits from {start} to {end}"
    )
    steps = (
        f" The limits restart at {', '.join(result.rebase_labels)}." if result.rebase_labels else ""
    )
    if result.upper_limit is None:
        return (
            f"XmR control chart of {name} for {len(result.values)} quarters; the latest stretch "
            f"({where}) has no process limits yet.{steps} {spc.describe(result)}"
        )
    return (
        f"XmR control chart of {name} for {len(result.values)} quarters: average "
        f"{ragmod.format_value(result.mean, unit)}, process limits "
        f"{ragmod.format_value(result.lower_limit, unit)} to "
        f"{ragmod.format_value(result.upper_limit, unit)} ({where}).{steps} "
        f"{spc.describe(result)}"
    )


def _spc_changes_list(code: str) -> None:
    """The recorded changes in this indicator's process, as plain text (people typed them)."""
    from data_access import spc_changes

    changes = cache.frame(spc_changes.list_changes, indicator_code=code)
    if changes.empty:
        st.caption(
            "No change in this indicator's process has been recorded, so one set of "
            "limits covers its whole history."
        )
        return
    st.markdown("**Recorded changes in the process** (the limits restart at each):")
    for _, row in changes.iterrows():
        when = pd.Timestamp(row["recorded_at"]).strftime("%d %B %Y")
        st.text(
            f"From {row['period_code']}: {row['reason']} (recorded by {row['recorded_by']}, {when})"
        )


def _spc_change_form(ctx: ThemeContext, code: str, name: str, quarters: list[str]) -> None:
    """QA officers and admins record (or withdraw) a change in the process behind `code`."""
    from data_access import spc_changes
    from data_access.db import get_engine

    with st.expander("Record or withdraw a change in this indicator's process (rebase)"):
        st.caption(
            "Rebase only when the process itself changed (a new service model, a changed "
            "definition or recording system) and you understand the change, not to make a "
            "signal go away. The chart then takes new limits from the first quarter of the "
            "new process, on every page and in the board pack. Recording is audit-logged."
        )
        choices = quarters[1:]
        if not choices:
            st.caption("A change can be recorded once the indicator has two quarters of figures.")
        else:
            with st.form("spc_change_form", clear_on_submit=False):
                first = st.selectbox(
                    "First quarter of the new process *",
                    choices,
                    index=len(choices) - 1,
                    key="spc_change_quarter",
                )
                reason = st.text_area(
                    "What changed in the process *",
                    max_chars=spc_changes.MAX_REASON_CHARS,
                    key="spc_change_reason",
                    help="Plain words, e.g. 'Front door moved to a single multi-agency team'.",
                )
                submitted = st.form_submit_button(
                    "Record the change", type="primary", key="spc_change_save"
                )
            if submitted:
                try:
                    spc_changes.record_change(
                        engine=get_engine(),
                        indicator_code=code,
                        period_code=first,
                        reason=reason or "",
                        recorded_by=ctx.user.username,
                        page=ctx.theme_code,
                    )
                except spc_changes.ProcessChangeError as exc:
                    st.error(f"Nothing was saved. {escape_markdown(exc)}")
                else:
                    cache.clear()
                    st.session_state[SPC_FLASH_KEY] = (
                        f"Change in the process of {name} recorded from {first}: the control "
                        "chart now takes new limits from that quarter."
                    )
                    st.rerun()
        live = cache.frame(spc_changes.list_changes, indicator_code=code)
        if live.empty:
            return
        labels = {
            int(r["id"]): f"the change from {r['period_code']} (number {int(r['id'])})"
            for _, r in live.iterrows()
        }
        with st.form("spc_withdraw_form", clear_on_submit=False):
            change_id = st.selectbox(
                "Recorded change to withdraw",
                list(labels),
                format_func=labels.get,
                key="spc_withdraw_id",
            )
            why = st.text_input(
                "Why it is withdrawn *",
                max_chars=spc_changes.MAX_REASON_CHARS,
                key="spc_withdraw_reason",
            )
            withdraw = st.form_submit_button("Withdraw the change", key="spc_withdraw_save")
        if withdraw:
            try:
                spc_changes.withdraw_change(
                    engine=get_engine(),
                    change_id=int(change_id),
                    withdrawn_by=ctx.user.username,
                    reason=why or "",
                    page=ctx.theme_code,
                )
            except spc_changes.ProcessChangeError as exc:
                st.error(f"Nothing was changed. {escape_markdown(exc)}")
            else:
                cache.clear()
                st.session_state[SPC_FLASH_KEY] = (
                    f"Withdrew {labels[int(change_id)]} for {name}; the limits no longer "
                    "restart there."
                )
                st.rerun()


SCORECARD_HELP = {
    "Note on the figure": "What qualifies the figure: a GSS symbol's meaning (u: low "
    "reliability), a bound (more than 40%), and the partner's comment as they wrote it.",
    "Change on last quarter": help_text("pp"),
    "Change on a year earlier": help_text("pp"),
    "RAG": help_text("rag"),
    "Quarters running": help_text("quarter_running"),
    "SPC variation": help_text("control_chart", "common_cause", "special_cause"),
    "SPC assurance": help_text("consistently_passing", "consistently_failing", "hit_and_miss"),
    "England": help_text("england"),
    "Statistical neighbours": help_text("stat_neighbours"),
}


def scorecard_column_config(table: pd.DataFrame) -> dict:
    """Column help from the glossary, for the scorecard columns `table` has."""
    return {
        name: st.column_config.TextColumn(name, help=meaning)
        for name, meaning in SCORECARD_HELP.items()
        if name in table.columns
    }


def scorecard_section(ctx: ThemeContext) -> None:
    st.header("Every indicator in this theme")
    annual = [i for i in catalogue.indicators(ctx.theme_code) if i.is_annual]
    st.caption(
        "Every verdict is worked out from all the quarters up to the selected one, not only "
        "those the charts show."
        + (
            f" The {len(annual)} indicators reported once a year are under **Annual figures** "
            "below, compared with the year before."
            if annual
            else ""
        )
    )
    table = scorecard_table(ctx.scorecard)
    show_table(
        table,
        label="theme indicators",
        file_stem=f"{ctx.theme_code}_indicators_{ctx.period_code}",
        key="theme_scorecard",
        column_config=scorecard_column_config(table),
    )
    terms_expander(*SCORECARD_TERMS, key="theme_terms")


# Who reads the partner's comment and a figure's qualifiers beside an annual figure: staff only.
NOTE_ROLES = ("executive", "qa_officer", "admin")
YEAR_KINDS = {
    "financial_year": ("Financial year", "Financial years (April to March)"),
    "academic_year": ("School year", "School years (September to August)"),
}


def annual_column_config(table: pd.DataFrame) -> dict:
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
    rows = cache.frame(brief.annual_brief, year_code=year, theme_code=ctx.theme_code)
    table = annual_words.annual_table(rows, with_notes=ctx.user.role in NOTE_ROLES)
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
    show_table(
        table,
        label=f"annual figures {year}",
        file_stem=f"{ctx.theme_code}_annual_{year.replace(' ', '_').replace('/', '-')}",
        key=f"annual_table_{kind}",
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
        _rollup_table(ctx, year)
    with_figures = rows[rows["value"].notna()] if not rows.empty else rows
    if with_figures.empty:
        return
    choices = list(with_figures["code"])
    labels = dict(zip(with_figures["code"], with_figures["name"].astype(str), strict=True))
    code = st.selectbox(
        "Indicator for the year-on-year chart",
        choices,
        format_func=labels.get,
        key=f"annual_chart_{kind}",
    )
    row = with_figures.set_index("code").loc[code]
    series = pd.DataFrame(
        {"period_code": list(row["trend_periods"]), "value": list(row["trend_values"])}
    )
    spec = catalogue.indicator(code)
    chart = charts.trend_chart(
        series,
        name=spec.name,
        unit=spec.unit,
        target=spec.target if spec.has_target else None,
        period_title="Year",
        height=220,
    )
    show_chart(
        chart,
        annual_words.chart_description(
            spec.name, spec.unit, list(row["trend_periods"]), list(row["trend_values"])
        ),
        key=f"annual_chart_view_{kind}",
    )
    _annual_breakdown(ctx, code, year)


def _rollup_table(ctx: ThemeContext, year: str) -> None:
    """The theme's quarterly measures as the same financial year, from their four quarters."""
    rows = cache.frame(annual_figures.year_rollups, year_code=year, theme_code=ctx.theme_code)
    if rows.empty:
        return
    st.markdown(f"**The quarterly measures over {escape_inline(year)}**")
    st.caption(
        "Each quarterly measure as a whole year: counts of events added up over the four "
        "quarters, counts on a day taken from the last quarter, and percentages and rates worked "
        "out again from the quarters' numerators and denominators (never an average of "
        "percentages). A year missing a quarter is shown as a part-year and not compared."
    )
    show_table(
        annual_words.rollup_table(rows),
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


def breakdown_section(ctx: ThemeContext) -> None:
    st.header("Breakdown by agency and locality")
    specs = [i for i in catalogue.indicators(ctx.theme_code) if i.breakdowns and not i.is_annual]
    if not specs:
        st.info("No indicator in this theme is reported by agency or locality.")
        return
    names = {i.code: i.name for i in specs}
    code = st.selectbox(
        "Indicator to break down", list(names), format_func=names.get, key="breakdown_indicator"
    )
    spec = catalogue.indicator(code)
    dimension = st.radio(
        "Break down by",
        list(spec.breakdowns),
        horizontal=True,
        format_func=str.capitalize,
        key="breakdown_dimension",
    )
    counts = breakdown_counts(ctx, code, dimension)
    if not counts["rows"]:
        st.info(f"No {dimension} figures for **{spec.name}** in {ctx.period_code}.")
        drilldown_section(ctx, code, dimension, pd.DataFrame())
        return
    plotted = largest_figures(ctx, code, dimension) if counts["figures"] else pd.DataFrame()
    if not plotted.empty:
        chart = charts.bar_breakdown(
            plotted,
            pick=BAR_PICK if ctx.user.role in DRILL_DOWN_ROLES else None,
            category="group_name",
            value="value",
            title=f"{spec.name} by {dimension}, {ctx.period_code}",
            unit=spec.unit,
            target=spec.target if spec.has_target else None,
            category_title=dimension.capitalize(),
            total=counts["figures"],
        )
        top = plotted.iloc[0]
        description = (
            f"Bar chart of {spec.name} for each {dimension} in {ctx.period_code}; highest "
            f"{top['group_name']} at {ragmod.format_value(top['value'], spec.unit)}."
        )
        if ctx.user.role in DRILL_DOWN_ROLES:
            pickable_breakdown_chart(chart, description, plotted)
        else:
            show_chart(chart, description, key="breakdown_chart")

    def build(rows: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                dimension.capitalize(): rows["group_name"],
                "Value": [
                    ragmod.format_figure(
                        v,
                        spec.unit,
                        symbol=s if isinstance(s, str) else None,
                        qualifier=q if isinstance(q, str) else None,
                    )
                    for v, s, q in zip(
                        rows["value"], rows["status_symbol"], rows["qualifier"], strict=True
                    )
                ],
                "Note on the figure": [
                    figure_note(s, q, c)
                    for s, q, c in zip(
                        rows["status_symbol"], rows["qualifier"], rows["comment"], strict=True
                    )
                ],
                "Numerator": rows["numerator"],
                "Denominator": rows["denominator"],
            }
        )

    shown = paged_breakdown_table(
        ctx,
        code=code,
        dimension=dimension,
        total=counts["rows"],
        build=build,
        label=f"{dimension} breakdown",
        key="breakdown",
        file_stem=f"{code}_{dimension}_{ctx.period_code}",
    )
    # The rows one can open: those in the chart (a click picks one) and on the table's page.
    listed = (
        pd.concat([frame for frame in (plotted, shown) if not frame.empty], ignore_index=True)
        if not (plotted.empty and shown.empty)
        else shown
    )
    drilldown_section(
        ctx,
        code,
        dimension,
        listed.drop_duplicates("group_code"),
        paged=counts["rows"] > len(shown),
    )


def picked_category(event: object, param: str, field: str) -> str | None:
    """The category a chart click selected (`event.selection[param]`), or None."""
    selection = getattr(event, "selection", None) or {}
    points = selection.get(param) if hasattr(selection, "get") else None
    if not points:
        return None
    value = points[0].get(field) if hasattr(points[0], "get") else None
    return str(value) if value is not None else None


def pickable_breakdown_chart(chart, description: str, plotted: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    """A breakdown chart whose bars open the rows behind them (QA officers and admins).

    A new click sets the drill-down selector below; the selector stays free to change by hand
    until the next click, so the remembered click is compared before it is applied.
    """
    event = st.altair_chart(
        chart,
        width="stretch",
        theme=None,
        key="breakdown_chart",
        alt=description,
        on_select="rerun",
        selection_mode=BAR_PICK,
    )
    st.caption(escape_markdown(description) + " Select a bar to see the stored rows behind it.")
    name = picked_category(event, BAR_PICK, "group_name")
    if name is None or st.session_state.get("_applied_bar_pick") == name:
        return
    st.session_state["_applied_bar_pick"] = name
    codes = dict(zip(plotted["group_name"], plotted["group_code"], strict=True))
    if name in codes:
        st.session_state["drilldown_group"] = codes[name]


def drilldown_section(
    ctx: ThemeContext, code: str, dimension: str, rows: pd.DataFrame, *, paged: bool = False
) -> None:
    """The stored rows behind the figures, all or one group's (`rows`: the groups to offer; with
    `paged`, those in the chart and on the table's page, not every one)."""
    st.subheader("Rows behind the figures")
    if ctx.user.role not in DRILL_DOWN_ROLES:
        st.caption(
            "Quality assurance officers can open the individual returns behind these figures."
        )
        return
    groups = (
        dict(zip(rows["group_code"], rows["group_name"], strict=True)) if not rows.empty else {}
    )
    options = ["", *groups]
    choice = st.selectbox(
        f"Show the stored rows for one {dimension} (or all)",
        options,
        key="drilldown_group",
        format_func=lambda c: f"All rows for {ctx.period_code}" if c == "" else groups[c],
        help=(
            f"Lists the {_PLURAL[dimension]} in the chart and on the table's page shown above."
            if paged
            else None
        ),
    )
    kwargs = {"agency_code": choice} if dimension == "agency" else {"locality_code": choice}
    detail = cache.frame(
        themes.drilldown_rows,
        indicator_code=code,
        period_code=ctx.period_code,
        **({k: v for k, v in kwargs.items() if v}),
    )
    if detail.empty:
        st.info("No stored rows match.")
        return
    log_record_view(
        f"rows behind {code}, {ctx.period_code}, {dimension} {choice or 'all'}", rows=len(detail)
    )
    show_table(
        detail,
        label="rows behind the figures",
        key="drilldown",
        file_stem=f"{code}_{ctx.period_code}_rows",
    )


def summaries_section(ctx: ThemeContext) -> None:
    st.header("What's working well, what isn't, what needs to happen next")
    items = cache.frame(assurance.summaries, period_code=ctx.period_code, theme_code=ctx.theme_code)
    summary_panel(items, period_code=ctx.period_code, heading_level=3)


def audits_section(ctx: ThemeContext) -> None:
    st.header("Audit findings and open actions")
    actions = cache.frame(themes.theme_actions, theme_code=ctx.theme_code)
    findings = cache.frame(themes.theme_findings, theme_code=ctx.theme_code)
    overdue = int((actions["days_overdue"] > 0).sum()) if not actions.empty else 0
    c1, c2 = st.columns(2)
    c1.metric("Open actions", len(actions))
    c2.metric("Overdue actions", overdue)
    st.subheader("Open actions (overdue first)")
    if actions.empty:
        st.info("No open actions from this theme's audits.")
    else:
        table = actions.rename(
            columns={
                "audit_reference": "Audit",
                "action": "Action",
                "owner_agency": "Owner",
                "due_date": "Due",
                "status": "Status",
                "days_overdue": "Days overdue",
            }
        )[["Audit", "Action", "Owner", "Due", "Status", "Days overdue"]]
        show_table(
            table, label="open actions", key="actions", file_stem=f"{ctx.theme_code}_open_actions"
        )
    st.subheader("Findings")
    if findings.empty:
        st.info("No audit findings recorded for this theme yet.")
    else:
        table = findings.rename(
            columns={
                "audit_reference": "Audit",
                "audit_title": "Title",
                "audit_date": "Date",
                "kind": "Kind",
                "finding": "Finding",
            }
        )
        table["Kind"] = table["Kind"].map(
            {"strength": "Strength", "area_for_improvement": "Area for improvement"}
        )
        show_table(
            table, label="audit findings", key="findings", file_stem=f"{ctx.theme_code}_findings"
        )


# --- Theme specifics ---------------------------------------------------------------------------


def _lines_for(
    ctx: ThemeContext, codes: list[str], title: str, unit: str, key: str, description: str
) -> None:
    parts = []
    for code in codes:
        rows = ctx.series(code).dropna(subset=["value"])
        if not rows.empty:
            parts.append(
                pd.DataFrame(
                    {
                        "quarter": rows["period_code"],
                        "series": catalogue.indicator(code).name,
                        "value": rows["value"].astype(float),
                    }
                )
            )
    if not parts:
        st.info(f"No figures yet for {title.lower()}.")
        return
    data = pd.concat(parts, ignore_index=True)
    chart = charts.grouped_lines(
        data,
        x="quarter",
        value="value",
        series="series",
        title=title,
        unit=unit,
        x_order=list(ctx.filters.period_codes),
    )
    show_chart(chart, description, key=key)


def _agency_breakdown(ctx: ThemeContext, code: str, title: str, key: str) -> None:
    spec = catalogue.indicator(code)
    counts = breakdown_counts(ctx, code, "agency")
    if not counts["figures"]:
        st.info(f"No figures by agency for {spec.name} in {ctx.period_code}.")
        return
    chart = charts.bar_breakdown(
        largest_figures(ctx, code, "agency"),
        category="group_name",
        value="value",
        title=title,
        unit=spec.unit,
        category_title="Agency",
        total=counts["figures"],
    )
    show_chart(chart, f"Bar chart of {spec.name} for each agency in {ctx.period_code}.", key=key)
    paged_breakdown_table(
        ctx,
        code=code,
        dimension="agency",
        total=counts["rows"],
        build=lambda rows: pd.DataFrame({"Agency": rows["group_name"], spec.name: rows["value"]}),
        label=title.lower(),
        key=f"{key}_table",
        file_stem=f"{code}_by_agency_{ctx.period_code}",
    )


def early_help_section(ctx: ThemeContext) -> None:
    st.subheader("Assessments started by lead agency")
    _agency_breakdown(
        ctx,
        "EH_ASSESSMENTS_STARTED",
        f"Assessments started by lead agency, {ctx.period_code}",
        "eh_lead_agency",
    )
    st.subheader("Step-up and step-down")
    _lines_for(
        ctx,
        ["EH_STEP_UP", "EH_STEP_DOWN"],
        "Step-up to and step-down from social care",
        "count",
        "eh_steps",
        "Two lines by quarter: early help episodes stepped up to social care, and "
        "social care cases stepped down to early help.",
    )


def mash_section(ctx: ThemeContext) -> None:
    st.subheader("Where contacts came from, and what happened")
    contacts = cache.frame(themes.mash_contacts_by_source, period_code=ctx.period_code)
    if contacts.empty:
        st.info(f"No individual front-door contacts are recorded for {ctx.period_code}.")
    else:
        data = contacts.assign(
            source=contacts["source"].str.replace("_", " ").str.capitalize(),
            outcome=contacts["outcome"].str.replace("_", " ").str.capitalize(),
        )
        chart = charts.stacked_bars(
            data,
            x="source",
            value="contacts",
            colour="outcome",
            title=f"Contacts by source and outcome, {ctx.period_code}",
            x_title="Source",
        )
        top = data.groupby("source")["contacts"].sum().sort_values(ascending=False)
        show_chart(
            chart,
            (
                f"Stacked bar chart of {int(top.sum()):,} contacts by source, split by outcome; "
                f"most came from {top.index[0].lower()} ({int(top.iloc[0]):,})."
            ),
            key="mash_sources",
        )
        by_source = data.groupby("source", as_index=False)[["contacts", "decided_within_1wd"]].sum()
        by_source["Decided within 1 working day (%)"] = (
            by_source["decided_within_1wd"] / by_source["contacts"] * 100
        ).round(1)
        table = by_source.rename(
            columns={
                "source": "Source",
                "contacts": "Contacts",
                "decided_within_1wd": "Decided within 1 working day",
            }
        )
        show_table(
            table,
            label="contacts by source",
            key="mash_sources_table",
            file_stem=f"mash_contacts_by_source_{ctx.period_code}",
        )
    st.subheader("Strategy discussions")
    _lines_for(
        ctx,
        ["MASH_STRATEGY_DISCUSSIONS"],
        "Strategy discussions",
        "count",
        "mash_strategy",
        "Line chart of strategy discussions held each quarter.",
    )


def neglect_section(ctx: ThemeContext) -> None:
    st.subheader("Neglect on child protection plans and Graded Care Profile use")
    _lines_for(
        ctx,
        ["NEG_CP_NEGLECT_PCT", "NEG_GCP2_ON_PLANS_PCT"],
        "Neglect plans and Graded Care Profile use",
        "percentage",
        "neg_share",
        "Two lines by quarter on a 0-100% scale: the share of child protection plans under "
        "neglect, and the share of those plans with a Graded Care Profile (GCP2).",
    )
    st.subheader("Graded Care Profile assessments by agency")
    _agency_breakdown(
        ctx,
        "NEG_GCP2_COMPLETED",
        f"GCP2 assessments completed by agency, {ctx.period_code}",
        "neg_gcp2_agency",
    )


def complex_safeguarding_section(ctx: ThemeContext) -> None:
    st.subheader("Young people assessed at risk of exploitation, by level")
    levels = {"CS_RISK_HIGH": "High", "CS_RISK_MEDIUM": "Medium", "CS_RISK_LOW": "Low"}
    parts = []
    for code, level in levels.items():
        rows = ctx.series(code).dropna(subset=["value"])
        parts.append(
            pd.DataFrame(
                {
                    "quarter": rows["period_code"],
                    "level": level,
                    "young_people": rows["value"].astype(float),
                }
            )
        )
    data = pd.concat(parts, ignore_index=True)
    if data.empty:
        st.info("No exploitation risk figures yet.")
    else:
        chart = charts.stacked_bars(
            data,
            x="quarter",
            value="young_people",
            colour="level",
            title="Exploitation risk levels by quarter",
            x_order=list(ctx.filters.period_codes),
            colour_order=["High", "Medium", "Low"],
            colours=[charts.RED, charts.ORANGE, charts.BLUE],
        )
        show_chart(
            chart,
            "Stacked bar chart of young people assessed at high, medium and low risk "
            "of exploitation in each quarter.",
            key="cs_levels",
        )
        wide = (
            data.pivot_table(index="quarter", columns="level", values="young_people", aggfunc="sum")
            .reindex(columns=["High", "Medium", "Low"])
            .reset_index()
        )
        show_table(
            wide.rename(columns={"quarter": "Quarter"}),
            label="risk levels",
            key="cs_levels_table",
            file_stem="exploitation_risk_levels",
        )
    st.subheader("Missing episodes by locality")
    rows = cache.frame(
        themes.breakdown,
        theme_code=ctx.theme_code,
        period_code=ctx.period_code,
        dimension="locality",
        indicator_code="CS_MISSING_EPISODES",
    )
    missing = rows.dropna(subset=["value"])
    if missing.empty:
        st.info(f"No missing-episode figures by locality for {ctx.period_code}.")
    else:
        chart = charts.bar_breakdown(
            missing,
            category="group_name",
            value="value",
            title=f"Missing episodes by locality, {ctx.period_code}",
            unit="count",
            category_title="Locality",
        )
        show_chart(
            chart,
            f"Bar chart of missing episodes in each locality in {ctx.period_code}.",
            key="cs_missing_locality",
        )


def training_section(ctx: ThemeContext) -> None:
    st.subheader("Learners by agency")
    totals = cache.query(themes.training_learners_totals, period_code=ctx.period_code)
    if totals["agencies"] == 0:
        st.info(f"No training attendance recorded for {ctx.period_code}.")
    else:
        # A large partnership sends learners from thousands of agencies: the chart draws the
        # largest, the table a page at a time, both fetched from the store in that order.
        largest = cache.frame(
            themes.training_learners_by_agency, period_code=ctx.period_code, limit=charts.MAX_BARS
        )
        chart = charts.bar_breakdown(
            largest,
            category="agency",
            value="learners",
            title=f"Learners by agency, {ctx.period_code}",
            unit="count",
            category_title="Agency",
            total=totals["agencies"],
        )
        show_chart(
            chart,
            f"Bar chart of {totals['learners']:,} learners from "
            f"{totals['agencies']:,} agencies in {ctx.period_code}.",
            key="tr_learners",
        )
        period = ctx.period_code
        paged_table(
            total=totals["agencies"],
            noun="agencies",
            order="most learners first",
            fetch_page=lambda offset, limit: cache.frame(
                themes.training_learners_by_agency, period_code=period, offset=offset, limit=limit
            ),
            fetch_all=lambda: cache.frame(themes.training_learners_by_agency, period_code=period),
            build=lambda rows: rows.rename(columns=str.capitalize),
            label="learners by agency",
            key="tr_learners_table",
            page_key=paging.page_key("tr_learners_page", period),
            file_stem=f"learners_by_agency_{period}",
        )
    st.subheader("Knowledge before and after training")
    evaluation = cache.frame(
        themes.training_evaluation_by_quarter,
        from_period=ctx.filters.from_period,
        to_period=ctx.filters.to_period,
    )
    if evaluation.empty:
        st.info("No course evaluations recorded in the selected quarters.")
    else:
        long = pd.concat(
            [
                pd.DataFrame(
                    {
                        "quarter": evaluation["period_code"],
                        "series": label,
                        "value": evaluation[column],
                    }
                )
                for column, label in (
                    ("pre_pct", "Good or better before"),
                    ("post_pct", "Good or better after"),
                    ("objectives_met_pct", "Objectives met"),
                )
            ],
            ignore_index=True,
        ).dropna(subset=["value"])
        chart = charts.grouped_lines(
            long,
            x="quarter",
            value="value",
            series="series",
            title="Self-rated knowledge before and after, and objectives met",
            unit="percentage",
            x_order=list(evaluation["period_code"]),
        )
        last = evaluation.iloc[-1]
        show_chart(
            chart,
            (
                f"Three lines on a 0-100% scale. In {last['period_code']}, "
                f"{ragmod.format_value(last['pre_pct'], 'percentage')} rated their knowledge good "
                f"or better "
                f"before and {ragmod.format_value(last['post_pct'], 'percentage')} after "
                f"(uplift "
                f"{ragmod.format_value(last['uplift_pct'], 'percentage', with_unit=False)} points)."
            ),
            key="tr_uplift",
        )
        show_table(
            evaluation.drop(columns=["start_date"]),
            label="course evaluations",
            key="tr_eval_table",
            file_stem="training_evaluations",
        )
    st.subheader("Impact on practice (Kirkpatrick levels)")
    levels = cache.frame(themes.kirkpatrick_levels, period_code=ctx.period_code)
    if levels["follow_ups"].sum() == 0:
        st.info("No follow-ups recorded in the year to the selected quarter.")
    else:
        chart = charts.bar_breakdown(
            levels,
            category="level_name",
            value="respondents",
            title="Follow-up respondents by Kirkpatrick level (last 4 quarters)",
            unit="count",
            category_title="Kirkpatrick level",
        )
        show_chart(
            chart,
            "Bar chart of follow-up respondents at each Kirkpatrick level: 1 reaction, "
            "2 learning, 3 behaviour, 4 results.",
            key="tr_kirkpatrick",
        )
        show_table(
            levels,
            label="Kirkpatrick levels",
            key="tr_kirk_table",
            file_stem=f"kirkpatrick_levels_{ctx.period_code}",
        )


THEME_SECTIONS: dict[str, tuple[str, Callable[[ThemeContext], None]]] = {
    "early_help": ("Early help in detail", early_help_section),
    "mash": ("The front door in detail", mash_section),
    "neglect": ("Neglect in detail", neglect_section),
    "complex_safeguarding": ("Exploitation and missing in detail", complex_safeguarding_section),
    "training": ("Training in detail", training_section),
}


# --- The page ----------------------------------------------------------------------------------


def render_theme_page(theme_code: str, user: CurrentUser) -> None:
    """Render a whole theme page for `user` (call after the page's guard)."""
    spec = catalogue.theme(theme_code)
    st.title(spec.name)
    st.caption(spec.description)
    periods = cache.frame(periods_with_data)
    filters = sidebar_filters(
        list(periods["code"]),
        agencies=True,
        localities=cache.frame(themes.localities),
        key="theme",
    )
    if filters.period_code is None:
        quarterly = [i for i in catalogue.indicators(theme_code) if not i.is_annual]
        st.info(
            "No quarterly figures have been loaded yet, so there is nothing to chart by quarter. "
            "A quality assurance officer can load partners' quarterly returns on **Load "
            f"quarterly returns**; the {len(quarterly)} quarterly indicators of this theme then "
            "appear here."
        )
        ctx = ThemeContext(
            theme_code, user, filters, pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
        )
        annual_section(ctx)
        audits_section(ctx)
        render_theme_decisions(theme_code)
        return

    # The display window (from/to) is only what the charts draw; every verdict comes from the
    # quarter brief, which reads the whole history up to the selected quarter.
    history = cache.frame(
        themes.indicator_history,
        theme_code=theme_code,
        agency_code=filters.agency_code,
        locality_code=filters.locality_code,
        from_period=filters.from_period,
        to_period=filters.to_period,
    )
    comparators = cache.frame(themes.comparator_series, theme_code=theme_code)
    card = cache.frame(
        brief.quarter_brief,
        period_code=filters.period_code,
        theme_code=theme_code,
        agency_code=filters.agency_code,
        locality_code=filters.locality_code,
    )
    ctx = ThemeContext(theme_code, user, filters, history, comparators, card)

    narrative_section(ctx)
    tiles_section(ctx)
    trends_section(ctx)
    spc_section(ctx)
    scorecard_section(ctx)
    annual_section(ctx)
    title, section = THEME_SECTIONS[theme_code]
    st.header(title)
    section(ctx)
    breakdown_section(ctx)
    summaries_section(ctx)
    audits_section(ctx)
    render_theme_decisions(theme_code)


def theme_link(theme_code: str, label: str | None = None, period_code: str | None = None) -> None:
    """A one-click link to a theme's page (an ordinary link when the page is not registered,
    as when a page runs on its own under AppTest)."""
    from streamlit.errors import StreamlitAPIException

    from dashboard import navigation

    spec = navigation.page(theme_code)
    params = {"quarter": period_code} if period_code else None
    try:
        st.page_link(
            str(spec.path), label=label or spec.title, icon=spec.icon or None, query_params=params
        )
    except StreamlitAPIException:
        query = f"?quarter={period_code}" if period_code else ""
        st.markdown(f"[{label or spec.title}](/{spec.url_path}{query.replace(' ', '+')})")
