"""A whole theme page in the order people read it, and a link to one from other pages."""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.components.decisions import render_theme_decisions
from dashboard.components.filters import sidebar_filters
from dashboard.components.learning import render_theme_learning
from dashboard.session import CurrentUser
from dashboard.views.theme.annual import annual_section
from dashboard.views.theme.assurance import audits_section, summaries_section
from dashboard.views.theme.breakdown import breakdown_section
from dashboard.views.theme.context import empty_context, theme_context
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
    render_theme_learning(theme_code)


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
