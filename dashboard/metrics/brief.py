"""The quarter brief: every verdict on every indicator for one quarter, computed once.

Each verdict - the figure, RAG against target, change on the last quarter and on the same quarter
a year earlier, SPC variation and assurance, and how many quarters running the measure has been
on the same side of its target - comes from one row of this brief. The theme pages (tiles,
narrative, scorecard table), the overview, meeting mode, the PDF and the PowerPoint all read it;
none of them judges a figure itself. The brief reads each indicator's whole history up to the
selected quarter, with the recorded changes in each process (rebases), so what a chart's display
window shows never changes a verdict.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from dashboard.metrics.scorecard import build_scorecard
from data_access import spc_changes, themes


def quarter_brief(
    *,
    engine: sa.Engine,
    period_code: str,
    theme_code: str | None = None,
    headline_only: bool = False,
    agency_code: str | None = None,
    locality_code: str | None = None,
) -> pd.DataFrame:
    """One row per indicator (columns `scorecard.SCORECARD_COLUMNS`) judged for `period_code`.

    `theme_code` / `headline_only` only choose which indicators are listed: an indicator's row is
    the same whichever set it is listed in. `agency_code` / `locality_code` choose the scope of
    figures (the partnership when neither is given).
    """
    history = themes.history_to_quarter(
        engine=engine,
        period_code=period_code,
        theme_code=theme_code,
        headline_only=headline_only,
        agency_code=agency_code,
        locality_code=locality_code,
    )
    comparators = themes.comparator_series(
        engine=engine, theme_code=theme_code, headline_only=headline_only
    )
    # Recorded changes in a process restart its control chart's limits, on every surface.
    rebases = spc_changes.rebase_periods(engine=engine)
    return build_scorecard(history, comparators, period_code, rebase_at=rebases)
