"""The quarter brief: every verdict on every indicator for one quarter, computed once.

Each verdict - the figure, RAG against target, change on the last quarter and on the same quarter
a year earlier, SPC variation and assurance, and how many quarters running the measure has been
on the same side of its target - comes from one row of this brief. The theme pages (tiles,
narrative, scorecard table), the overview, meeting mode, the PDF and the PowerPoint all read it;
none of them judges a figure itself. The brief reads each indicator's whole history up to the
selected quarter, with the recorded changes in each process (rebases), so what a chart's display
window shows never changes a verdict.

The same function judges a year: given a financial year ("2024-25") or an academic year
("AY 2024/25") it lists the annual indicators of that kind, each judged against its annual target
and compared with the year before, its control chart over the years (`period_brief` is the same
function under a name that says so). A quarter's brief lists only quarterly indicators, so an
annual figure is never a "no data" row of a quarter. `annual_brief` adds what qualifies each
figure (its GSS symbol's meaning, a bound, the partner's comment) for the views that show it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from dashboard.metrics import rag as ragmod
from dashboard.metrics.scorecard import SCORECARD_COLUMNS, build_scorecard
from data_access import audits, spc_changes, themes
from data_access.periods import parse_period, previous_period


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

    `period_code` is a quarter (the quarterly indicators are listed) or a financial or academic
    year (the annual indicators of that kind are listed).

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


period_brief = quarter_brief

ANNUAL_COLUMNS = [*SCORECARD_COLUMNS, "previous_period_code", "note"]


def annual_brief(
    *,
    engine: sa.Engine,
    year_code: str,
    theme_code: str | None = None,
) -> pd.DataFrame:
    """The brief of a year (partnership figures), with what qualifies each figure.

    Columns: `scorecard.SCORECARD_COLUMNS` (every verdict, from `quarter_brief`), then
    previous_period_code (the year compared with) and note (`annual_figures.figure_note` of the
    year's figure: the GSS symbol's meaning, a bound such as "more than", the partner's comment;
    "" when nothing qualifies it). Staff views show the note; youth views must not.
    """
    year_code = parse_period(year_code).code
    rows = quarter_brief(engine=engine, period_code=year_code, theme_code=theme_code)
    if rows.empty:
        return pd.DataFrame(columns=ANNUAL_COLUMNS)
    rows = rows.assign(previous_period_code=previous_period(year_code))
    # The brief words what qualifies each figure once (`figure_note`); the note is that text.
    rows["note"] = rows["figure_note"].fillna("").astype(str)
    # The child's voice: one definition (`audits.child_voice_statement`); the note says the
    # audit records' count for the year, and when a loaded figure was counted differently.
    voice = rows["code"] == audits.CHILD_VOICE_CODE
    if voice.any():
        period = parse_period(year_code)
        rows.loc[voice, "note"] = [
            child_voice_note(
                engine=engine,
                start=period.start_date,
                end=period.end_date,
                year_code=period.code,
                value=value,
                note=note,
            )
            for value, note in zip(rows.loc[voice, "value"], rows.loc[voice, "note"], strict=True)
        ]
    return rows[ANNUAL_COLUMNS]


def child_voice_note(
    *,
    engine: sa.Engine,
    start: dt.date,
    end: dt.date,
    year_code: str,
    value: object,
    note: str,
) -> str:
    """The annual child's voice figure's base, said beside it on every surface: the audit
    records' count for the year by the one definition (`audits.child_voice`), and, when the
    loaded figure differs from it, that it was counted on a different base, so the audit
    findings page and the annual figure never disagree silently."""
    counts = audits.child_voice(engine=engine, start=start, end=end)
    if not counts["cases"]:
        return note
    share = counts["share_pct"]
    said = (
        f"Audit records for {year_code}: {share:.1f}% "
        f"({counts['evidenced']} of {counts['cases']} audited cases)"
    )
    loaded = ragmod.as_number(value)
    if loaded is not None and share is not None and round(loaded, 1) != share:
        said += "; the annual return's figure is counted on a different base"
    return "; ".join(part for part in (note, said + ".") if part)
