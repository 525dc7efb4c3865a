"""Meeting mode: large text, no sidebar, one screen at a time (overview, then each theme).

The screen and the quarter live in the URL (`?quarter=2025-26+Q2&screen=3`), so a link opens the
same screen on the meeting room's computer. Theme screens show the same content as the board pack
(`dashboard.board_pack.content.theme_section`), live; every verdict on every screen comes from the
quarter brief (`dashboard.metrics.brief`), as on the overview and the theme pages.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import cache
from dashboard.board_pack import charts_static, content
from dashboard.board_pack.model import ThemeSection, Tile
from dashboard.components import filters
from dashboard.components.glance import rag_counts
from dashboard.components.learning import render_learning_attention
from dashboard.components.plain import escape_inline, escape_markdown
from dashboard.components.rag import rag_badge_html, variation_badge_html
from dashboard.components.terms import terms_expander
from dashboard.metrics import brief, spc
from dashboard.metrics import rag as ragmod
from dashboard.metrics.glance import quarter_glance
from dashboard.session import CurrentUser
from data_access import catalogue
from data_access.indicators import periods_with_data
from data_access.periods import Quarter

SCREEN_PARAM, QUARTER_PARAM = "screen", "quarter"
MEETING_CHART_HEIGHT = 330
# Terms the meeting screens use, explained in the glossary's words.
MEETING_TERMS = (
    "rag",
    "pp",
    "quarter_running",
    "common_cause",
    "special_cause",
    "consistently_passing",
    "consistently_failing",
    "hit_and_miss",
    "process_changed",
    "england",
    "stat_neighbours",
)

# Hide the sidebar (navigation, filters, account panel) and the toolbar; enlarge everything.
MEETING_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"],
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  max-width: 100% !important; padding: 1.2rem 3rem 2rem 3rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
  font-size: 1.5rem !important; line-height: 1.45 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  font-size: 1.15rem !important; }
h1 { font-size: 3rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div {
  font-size: 3.2rem !important; font-weight: 700; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
h2 { font-size: 2.1rem !important; }
h3 { font-size: 1.6rem !important; }
.qa-badge { font-size: 1.2rem !important; white-space: normal !important;
  display: inline-block; max-width: 100%; margin: 0 .2rem .3rem 0; }
.meeting-tile-value { font-size: 2.8rem; font-weight: 700; line-height: 1.1;
  margin: .2rem 0 .5rem; }
.meeting-tile-name { font-size: 1.3rem; font-weight: 600; }
.meeting-position { font-size: 1.6rem; font-weight: 700; text-align: center; padding-top: .4rem; }
[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"] {
  font-size: 1.4rem !important; min-height: 3.2rem; padding: .5rem 1.6rem !important; }
[data-testid="stBaseButton-secondary"] p, [data-testid="stBaseButton-primary"] p {
  font-size: 1.4rem !important; }
/* A 1280x720 projector: still large, but tiles must not overflow. */
@media (max-width: 1400px) {
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li {
    font-size: 1.25rem !important; }
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
    font-size: 1rem !important; }
  h1 { font-size: 2.4rem !important; }
  .meeting-tile-value { font-size: 2.1rem; }
  .meeting-tile-name { font-size: 1.1rem; }
  .qa-badge { font-size: 1rem !important; }
}
</style>
"""


@dataclass(frozen=True)
class Screen:
    key: str  # "overview" or a theme code
    title: str

    @property
    def is_overview(self) -> bool:
        return self.key == "overview"


def screens() -> list[Screen]:
    """The overview, then each theme in catalogue order."""
    return [Screen("overview", "Overview")] + [Screen(t.code, t.name) for t in catalogue.themes()]


def position_text(index: int, total: int, screen: Screen) -> str:
    """'Overview (1 of 6)' or 'Theme 2 of 6: Early help'."""
    if screen.is_overview:
        return f"Overview ({index + 1} of {total})"
    return f"Theme {index + 1} of {total}: {screen.title}"


def apply_meeting_style() -> None:
    st.html(MEETING_CSS)


def current_quarter(codes: list[str]) -> str:
    """The quarter in the URL if the store has it, else the one the user chose on another page,
    otherwise the latest; written back to the URL and remembered for the other pages."""
    wanted = st.query_params.get(QUARTER_PARAM)
    chosen = wanted if wanted in codes else (filters.remembered_quarter(codes) or codes[-1])
    filters.remember_quarter(chosen)
    if wanted != chosen:
        st.query_params[QUARTER_PARAM] = chosen
    return chosen


def current_screen(total: int) -> int:
    """The 0-based screen index from the URL (1-based there), clamped; written back to the URL."""
    raw = st.query_params.get(SCREEN_PARAM, "1")
    try:
        index = min(max(int(raw) - 1, 0), total - 1)
    except ValueError:
        index = 0
    # Always in the URL, so copying the address shares exactly this screen.
    if st.query_params.get(SCREEN_PARAM) != str(index + 1):
        st.query_params[SCREEN_PARAM] = str(index + 1)
    return index


def _go(index: int) -> None:
    st.query_params[SCREEN_PARAM] = str(index + 1)


def nav_bar(index: int, all_screens: list[Screen], *, key: str) -> None:
    """Previous / position / Next, with big buttons that are disabled at either end."""
    total = len(all_screens)
    left, middle, right = st.columns([1, 3, 1], vertical_alignment="center")
    previous_help = f"Back to {all_screens[index - 1].title}" if index > 0 else None
    next_help = f"On to {all_screens[index + 1].title}" if index < total - 1 else None
    left.button(
        "← Previous",
        key=f"meeting_prev_{key}",
        disabled=index == 0,
        help=previous_help,
        on_click=_go,
        args=(index - 1,),
        width="stretch",
    )
    middle.markdown(
        f'<p class="meeting-position" aria-live="polite">'
        f"{position_text(index, total, all_screens[index])}</p>",
        unsafe_allow_html=True,
    )
    right.button(
        "Next →",
        key=f"meeting_next_{key}",
        disabled=index == total - 1,
        help=next_help,
        on_click=_go,
        args=(index + 1,),
        type="primary",
        width="stretch",
    )


def render_overview(scorecard: pd.DataFrame, quarter_label: str) -> None:
    """The overview screen: how many headline measures are green/amber/red, and what needs
    attention most."""
    st.title(f"The quarter: {quarter_label}")
    glance = quarter_glance(scorecard)
    if not glance.has_figures:
        st.info("No headline figures have been loaded for this quarter.")
        return
    # The counts and the list come from the glance (dashboard.metrics.glance), as on the overview
    # page's first screen and the board pack's cover.
    rag_counts(glance, key="meeting_rag_counts")
    st.header("Needs attention")
    flagged = glance.top_attention
    if flagged.empty:
        st.success(glance.attention_sentence())
    for _, row in flagged.iterrows():
        st.markdown(
            f"{rag_badge_html(str(row['rag']))} **{row['name']}** ({row['theme_name']}): "
            f"{row['display_value']}. {row['attention_reasons'].capitalize()}.",
            unsafe_allow_html=True,
        )
        st.caption(
            f"{row['change_display']} on last quarter · {row['run_display'] or 'No target'} · "
            f"SPC: {row['spc_display']}"
        )
    terms_expander(*MEETING_TERMS, key="meeting_terms_overview")


def _tile(column: DeltaGenerator, tile: Tile, index: int) -> None:
    rag = tile.rag or ragmod.NO_TARGET
    with column.container(border=True, key=f"meeting_tile_{index}"):
        st.markdown(
            f'<div class="meeting-tile-name">{tile.name}</div>'
            f'<div class="meeting-tile-value">{tile.value}</div>'
            f"{rag_badge_html(rag)} "
            f"{variation_badge_html(tile.variation)}",
            unsafe_allow_html=True,
        )
        if tile.detail:
            st.caption(tile.detail)
        # As on the theme page tiles: assurance only where there is a target to be assured of.
        if tile.assurance and tile.assurance not in (spc.NO_TARGET, spc.NOT_ENOUGH):
            st.caption(f"Assurance: {tile.assurance}")
        if tile.note:  # what qualifies the figure, the partner's comment shown as typed
            st.caption(f"Note: {escape_markdown(tile.note)}")


# The room a chart has on a meeting screen (a 1440 px window, no sidebar, charts side by side).
MEETING_SCREEN_PX = 1340


def _chart_spec(spec: dict, columns: int = 1) -> dict:
    """A chart as a meeting screen shows it: taller, its value axis fitted to the data (not a
    flat line on 0-100), a few level quarter labels instead of 30 on top of each other, and the
    title and legend kept inside the chart's box."""
    bigger = copy.deepcopy(spec)
    bigger["height"] = MEETING_CHART_HEIGHT
    width = MEETING_SCREEN_PX // max(columns, 1)
    # "fit" sizes the whole chart, axes, title and legend included, to its box: nothing is cut.
    bigger["autosize"] = {"type": "fit", "contains": "padding"}
    labels = charts_static._x_labels(bigger)
    shown = charts_static.label_subset(labels, width - 90) if labels else []
    for view in charts_static._views(bigger):
        encoding = view.get("encoding") or {}
        x, y = encoding.get("x"), encoding.get("y")
        if isinstance(x, dict) and x.get("field") == "quarter":
            axis = dict(x.get("axis") or {})
            axis.update({"labelAngle": 0, "labelOverlap": False, "labelPadding": 4})
            if shown and len(shown) < len(labels):
                axis["values"] = shown
            x["axis"] = axis
        mark = view.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        if isinstance(y, dict) and y.get("type") == "quantitative" and kind != "bar":
            charts_static._fit_y(y)
    config = bigger.setdefault("config", {})
    legend = dict(config.get("legend") or {})
    legend.update({"orient": "bottom", "columns": max(1, width // charts_static.LEGEND_ENTRY_PX)})
    config["legend"] = legend
    title = bigger.get("title")
    if isinstance(title, dict):
        title["limit"] = width - 20  # a long title is cut with an ellipsis only past the box
    return bigger


def render_theme(section: ThemeSection) -> None:
    """A theme screen: tiles, what the figures say, two or three charts, the assurance summary."""
    st.title(section.name)
    if section.tiles:
        columns = st.columns(len(section.tiles))
        for index, (column, tile) in enumerate(zip(columns, section.tiles, strict=True)):
            _tile(column, tile, index)
    else:
        st.info("No headline figures for this quarter.")
    st.header("What the figures say")
    st.markdown("\n".join(f"- {sentence}" for sentence in section.narrative))
    terms_expander(*MEETING_TERMS, key=f"meeting_terms_{section.code}")
    if section.charts:
        columns = st.columns(len(section.charts))
        for index, (column, chart) in enumerate(zip(columns, section.charts, strict=True)):
            with column:
                st.vega_lite_chart(
                    _chart_spec(chart.spec, len(section.charts)),
                    width="stretch",
                    theme=None,
                    key=f"meeting_chart_{section.code}_{index}",
                    alt=chart.alt_text,
                )
                st.caption(chart.alt_text)
    st.header("What the assurance group reported")
    summary = section.assurance
    if summary is None:
        st.info("No assurance summary was written for this theme this quarter.")
    else:
        st.caption(f"Source: {escape_inline(summary.source)}")
        for column, (label, items) in zip(
            st.columns(3),
            (
                ("Working well", summary.working_well),
                ("Not working well", summary.not_working_well),
                ("What needs to happen next", summary.next_steps),
            ),
            strict=True,
        ):
            column.subheader(label)
            column.markdown(
                "\n".join(f"- {escape_inline(item)}" for item in items) or "Nothing recorded."
            )
    if section.decisions is not None and not section.decisions.is_empty:
        st.header("Open decisions and actions from earlier meetings")
        lines = []
        for row in section.decisions.rows:
            status = row[-1].text if hasattr(row[-1], "text") else row[-1]
            owner = f" ({escape_inline(row[3])})" if row[3] else ""
            lines.append(f"- {escape_inline(row[2])}{owner}, due {row[4] or 'no date'}: {status}")
        st.markdown("\n".join(lines))


def leave_link() -> None:
    try:
        st.page_link("pages/overview.py", label="Leave meeting mode", icon=":material/close:")
    except Exception:  # noqa: BLE001 - outside st.navigation (AppTest) a plain link will do
        st.markdown("[Leave meeting mode](/overview)")


def render(user: CurrentUser) -> None:
    """Render the meeting mode page for `user` (call after the page's guard)."""
    apply_meeting_style()
    periods = cache.frame(periods_with_data)
    if periods.empty:
        st.title("Meeting mode")
        st.info(
            "There are no figures in the store yet, so there is nothing to present. Once "
            "partners' quarterly returns are loaded, meeting mode steps through the overview "
            "and each theme, one screen at a time."
        )
        leave_link()
        st.stop()

    codes = list(periods["code"])
    quarter = current_quarter(codes)
    all_screens = screens()
    index = current_screen(len(all_screens))
    screen = all_screens[index]

    nav_bar(index, all_screens, key="top")
    if screen.is_overview:
        # The quarter brief, as the overview page shows it: one verdict per indicator everywhere.
        render_overview(
            cache.frame(brief.quarter_brief, period_code=quarter, headline_only=True),
            Quarter.parse(quarter).label,
        )
        render_learning_attention()
    else:
        render_theme(cache.query(content.theme_section, theme_code=screen.key, period_code=quarter))
    st.divider()
    nav_bar(index, all_screens, key="bottom")

    with st.expander("Meeting settings"):
        labels = {code: Quarter.parse(code).label for code in codes}
        chosen = st.selectbox(
            "Quarter to present",
            codes[::-1],
            index=codes[::-1].index(quarter),
            key="meeting_quarter",
            format_func=lambda option: labels.get(option, option),
        )
        if chosen != quarter:
            st.query_params[QUARTER_PARAM] = chosen
            st.rerun()
        leave_link()
