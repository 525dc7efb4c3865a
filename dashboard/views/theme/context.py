"""What every theme section reads: the theme's figures for the chosen quarter, read once per run."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from dashboard import cache
from dashboard.components.filters import Filters
from dashboard.metrics import brief, spc
from dashboard.session import CurrentUser
from data_access import themes

# Who may open the stored rows behind a figure and record a change in a process.
DRILL_DOWN_ROLES = ("qa_officer", "admin")


@dataclass(frozen=True)
class ThemeContext:
    """Everything a theme section needs, read once per run.

    `scorecard` is the quarter brief (every verdict, from each indicator's whole history up to
    the selected quarter), shared by every session (`cache.derived`): read it, never change it;
    `history` holds only the display window, for what charts draw.
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
        positions = self._shown_by_code.get(code)
        if positions is None:
            return self._shown.iloc[0:0]
        return self._shown.take(positions)

    @cached_property
    def _shown(self) -> pd.DataFrame:
        """The history's rows in the quarters shown, found once per run (not per indicator)."""
        period = self.history["period_code"]
        return self.history[period.notna() & period.isin(self.filters.period_codes)]

    @cached_property
    def _shown_by_code(self) -> dict[str, Any]:
        """{indicator code: positions of its rows in `_shown`, in order}, by one grouping."""
        return dict(self._shown.groupby("code", sort=False).indices)

    def control_chart(self, code: str) -> spc.XmRResult | None:
        """The brief's control chart for an indicator (whole history to the selected quarter),
        whose variation and assurance every surface shows; None without a figure this quarter."""
        if self.scorecard.empty:
            return None
        rows = self.scorecard[self.scorecard["code"] == code]
        chart = rows["spc_chart"].iloc[0] if not rows.empty else None
        return chart if isinstance(chart, spc.XmRResult) else None


def empty_context(theme_code: str, user: CurrentUser, filters: Filters) -> ThemeContext:
    """The context of a theme with no quarter loaded yet: no history, comparators or brief."""
    return ThemeContext(theme_code, user, filters, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())


def theme_context(theme_code: str, user: CurrentUser, filters: Filters) -> ThemeContext:
    """The theme's figures for the quarter, agency and locality `filters` hold."""
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
    card = theme_brief(
        theme_code, filters.period_code or "", filters.agency_code, filters.locality_code
    )
    return ThemeContext(theme_code, user, filters, history, comparators, card)


def theme_brief(
    theme_code: str, period_code: str, agency_code: str | None, locality_code: str | None
) -> pd.DataFrame:
    """The theme's quarter brief for a scope, read once per data version and shared by every
    session (`cache.derived`): never change it."""
    return cache.derived(
        "theme brief",
        lambda: cache.frame(
            brief.quarter_brief,
            period_code=period_code,
            theme_code=theme_code,
            agency_code=agency_code,
            locality_code=locality_code,
        ),
        theme_code,
        period_code,
        agency_code,
        locality_code,
    )
