"""A whole theme page in the order people read it, and a link to one from other pages."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from dashboard import cache
from dashboard.components.decisions import render_theme_decisions
from dashboard.components.filters import sidebar_filters
from dashboard.components.learning import render_theme_learning
from dashboard.session import CurrentUser
from dashboard.views.theme.annual import annual_section
from dashboard.views.theme.assurance import audits_section, summaries_section
from dashboard.views.theme.breakdown import breakdown_section
from dashboard.views.theme.context import ThemeContext, empty_context, theme_context
from dashboard.views.theme.control_chart import spc_section
from dashboard.views.theme.details import THEME_SECTIONS
from dashboard.views.theme.headline import narrative_section, tiles_section, trends_section
from dashboard.views.theme.scorecard import scorecard_section
from data_access import catalogue, themes
from data_access.indicators import periods_with_data


def render_theme_page(theme_code: str, user: CurrentUser) -> None:
    """Render a whole theme page for `user` (call after the page's guard); its cached figures are
    remembered, to be warmed again after a data change (`cache.warm`)."""
    with cache.remembered(theme_code):
        _render_theme_page(theme_code, user)


def _render_theme_page(theme_code: str, user: CurrentUser) -> None:
    """A theme page's body."""
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
        ctx = empty_context(theme_code, user, filters)
        annual_section(ctx)
        audits_section(ctx)
        render_theme_decisions(theme_code)
        render_theme_learning(theme_code)
        return

    ctx = theme_context(theme_code, user, filters)
    narrative_section(ctx)
    tiles_section(ctx)
    _trends_part(ctx)
    _spc_part(ctx)
    scorecard_section(ctx)
    _annual_part(ctx)
    title, section = THEME_SECTIONS[theme_code]
    st.header(title)
    section(ctx)
    _breakdown_part(ctx)
    summaries_section(ctx)
    audits_section(ctx)
    render_theme_decisions(theme_code)
    render_theme_learning(theme_code)


# The sections with their own pickers run as fragments: choosing another indicator, year or
# breakdown reruns that section alone, not the whole page.


def _current(ctx: ThemeContext) -> ThemeContext:
    """`ctx` in a whole-page run; in a fragment's own rerun, the figures read again, so a change
    to the data since the page ran is shown (they come from the cache: no extra work)."""
    run = get_script_run_ctx(suppress_warning=True)
    if run is None or not run.fragment_ids_this_run:
        return ctx
    return theme_context(ctx.theme_code, ctx.user, ctx.filters)


@st.fragment
def _trends_part(ctx: ThemeContext) -> None:
    trends_section(_current(ctx))


@st.fragment
def _spc_part(ctx: ThemeContext) -> None:
    spc_section(_current(ctx))


@st.fragment
def _annual_part(ctx: ThemeContext) -> None:
    annual_section(_current(ctx))


@st.fragment
def _breakdown_part(ctx: ThemeContext) -> None:
    breakdown_section(_current(ctx))


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
