"""Assemble everything one quarter's board pack says, from data_access and dashboard.metrics.

This is the only module of the pack that knows where figures come from; the PDF and PPTX builders
render the resulting `PackContent` and nothing else. Theme content (`theme_section`) is shared
with meeting mode, which shows the same screens live. Every verdict (RAG, change, SPC variation
and assurance, quarters running) is taken from the quarter brief (`dashboard.metrics.brief`),
the same rows the theme pages and the overview show; nothing here judges a figure itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa

from dashboard.board_pack.model import (
    AnnualYear,
    AssuranceSummary,
    Cell,
    LearningSection,
    PackChart,
    PackContent,
    Provenance,
    QuarterGlance,
    Table,
    ThemeSection,
    Tile,
)
from dashboard.components import annual as annual_words
from dashboard.components import charts
from dashboard.components import published as published_words
from dashboard.metrics import brief, learning_words, narrative, spc
from dashboard.metrics import rag as ragmod
from dashboard.metrics.glance import COUNTED, quarter_glance
from dashboard.metrics.scorecard import flagged_value
from data_access import (
    annual_figures,
    assurance,
    audits,
    board_packs,
    catalogue,
    challenges,
    indicators,
    learning,
    meetings,
    published,
    section11,
    self_assessment,
    themes,
)
from data_access import published_tables as tables
from data_access.config import risk_escalation_threshold, settings
from data_access.models import EDUCATION_175_157
from data_access.periods import Quarter, parse_period

__all__ = [
    "PackContent",
    "PackNotPossible",
    "assemble",
    "missing_for_pack",
    "theme_section",
]

# How much history a pack's trend charts show: two years reads well on paper.
TREND_QUARTERS = 8
TILES_PER_THEME = 4
CHALLENGE_TEXT_CHARS = 300
SETTLED_CHALLENGE_STATUSES = ("accepted",)
MAX_THEME_DECISIONS = 8


class PackNotPossible(Exception):
    """The store cannot yet support a pack for the quarter; `reasons` says what is missing."""

    def __init__(self, period_code: str, reasons: list[str]) -> None:
        self.period_code = period_code
        self.reasons = reasons
        super().__init__(" ".join(reasons))


def _date(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return f"{pd.Timestamp(value):%d %b %Y}"


def _number(value: Any, unit: str) -> str:
    number = ragmod.as_number(value)
    return ragmod.format_value(number, unit) if number is not None else "not available"


def _target_cell(target: Any, unit: str) -> str:
    """The target as the pages give it; "No target" for a context measure."""
    number = ragmod.as_number(target)
    return ragmod.format_value(number, unit) if number is not None else "No target"


def _rag_cell(rag: str) -> Cell:
    if rag in (ragmod.RED, ragmod.AMBER, ragmod.GREEN):
        return Cell(rag.capitalize(), rag=rag)
    return Cell(str(rag).capitalize())


# --- readiness -----------------------------------------------------------------------------------


def missing_for_pack(*, engine: sa.Engine, period_code: str) -> list[str]:
    """What stops a pack for `period_code` being made, in plain words (empty list = ready)."""
    try:
        Quarter.parse(period_code)
    except ValueError as exc:
        return [str(exc)]
    reasons: list[str] = []
    periods = indicators.list_periods(engine=engine)
    if periods.empty or period_code not in set(periods["code"]):
        reasons.append(
            f"The store has no reporting period {period_code}. Load partners' quarterly returns "
            "for that quarter first (Data > Load quarterly returns, or `qa-dashboard load-sample` "
            "for the demonstration data)."
        )
        return reasons
    cutoff = board_packs.data_cutoff(engine=engine, period_code=period_code)
    if not cutoff.has_data:
        reasons.append(
            f"No indicator figures have been loaded for {period_code} or any earlier quarter, so "
            "there is nothing to put in the scorecard, the tiles or the charts. Load the "
            "partners' quarterly returns first."
        )
    return reasons


# --- the scorecard --------------------------------------------------------------------------------


def _scorecard_table(scorecard: pd.DataFrame) -> Table:
    headline = scorecard[scorecard["headline"]] if not scorecard.empty else scorecard
    rows = []
    for _, row in headline.iterrows():
        unit = str(row["unit"])
        rows.append(
            (
                str(row["theme_name"]),
                str(row["name"]),
                flagged_value(row["display_value"], row.get("unusual_mark")),
                # The target beside the figure: rows speak of "missing target N quarters".
                _target_cell(row["target"], unit),
                _rag_cell(str(row["rag"])),
                str(row["change_display"]),
                str(row["run_display"]) or "No target",
                str(row["spc_display"]),
                _number(row["england"], unit),
                _number(row["stat_neighbours"], unit),
            )
        )
    return Table(
        columns=(
            "Theme",
            "Indicator",
            "Value",
            "Target",
            "RAG",
            "Change on last quarter",
            "Quarters running",
            "SPC signal",
            "England",
            "Statistical neighbours",
        ),
        rows=tuple(rows),
        widths=(1.2, 2.5, 1.1, 1.0, 0.9, 1.2, 1.6, 1.9, 1.0, 1.2),
        empty_text="No headline indicators have figures for this quarter.",
    )


# --- annual figures ------------------------------------------------------------------------------

ANNUAL_COLUMNS = (
    "Theme",
    "Indicator",
    "Figure",
    "Year before",
    "Change",
    "RAG",
    "Target",
    "SPC",
    "Note",
)
YEAR_KIND_TITLES = {"financial_year": "Financial year", "academic_year": "School year"}


def pack_years(*, engine: sa.Engine, period_code: str) -> list[str]:
    """The years the pack reports: per kind of year, the latest with figures that had ended by
    the end of `period_code` (else the latest), the default of the theme pages' year picker."""
    years = themes.annual_periods(engine=engine)
    chosen = []
    for kind in YEAR_KIND_TITLES:
        year = themes.year_before_or_on(years[years["kind"] == kind], period_code)
        if year is not None:
            chosen.append(year)
    return chosen


def annual_year(*, engine: sa.Engine, year_code: str) -> AnnualYear:
    """A year's annual figures as the theme pages word them (`components.annual.annual_table`
    of the year's brief), with the theme each belongs to."""
    rows = brief.annual_brief(engine=engine, year_code=year_code)
    period = parse_period(year_code)
    quarters = (
        annual_figures.annual_against_quarters(engine=engine, year_code=year_code)
        if period.kind == "financial_year"
        else None
    )
    words = annual_words.annual_table(rows, quarters=quarters)
    out = []
    for (_, row), (_, said) in zip(rows.iterrows(), words.iterrows(), strict=True):
        rag = str(row["rag"])
        # The quarterly measure rolled up beside the yearly figure, in the note (the pack's
        # table keeps its nine columns).
        note = "; ".join(
            t for t in (str(said.get("From the quarters", "")), str(said["Note"])) if t
        )
        out.append(
            (
                str(annual_words.heading_of(str(row["code"]), str(row["theme_name"]))),
                said["Indicator"],
                said["Figure"],
                said["Year before"],
                said["Change"],
                Cell(
                    said["RAG"],
                    rag=rag if rag in (ragmod.RED, ragmod.AMBER, ragmod.GREEN) else None,
                ),
                said["Target"],
                said["SPC"],
                note,
            )
        )
    kind = YEAR_KIND_TITLES.get(str(period.kind), "Year")
    compared = published_comparisons(engine=engine, year_code=year_code)
    return AnnualYear(
        title=(f"{kind} {period.code} ({period.start_date:%B %Y} to {period.end_date:%B %Y})"),
        table=Table(
            columns=ANNUAL_COLUMNS,
            rows=tuple(out),
            widths=(1.1, 2.6, 1.4, 1.6, 1.6, 1.0, 0.9, 1.6, 1.8),
            empty_text=f"No annual figures for {year_code}.",
        ),
        published=compared,
        published_neighbours=published_neighbours(engine=engine, year_code=year_code)
        if compared
        else None,
        published_notes=(published_words.HOW_READ, tables.ATTRIBUTION) if compared else (),
    )


def published_neighbours(*, engine: sa.Engine, year_code: str) -> Table | None:
    """Each statistical neighbour's published figure by name, one row per indicator."""
    words = published_words.neighbours_wide(
        published.all_neighbours(engine=engine, period_code=year_code)
    )
    if words.empty:
        return None
    return Table(
        columns=tuple(str(c) for c in words.columns),
        rows=tuple(tuple(str(v) for v in row) for row in words.itertuples(index=False)),
        widths=(2.6, *([1.0] * (len(words.columns) - 1))),
    )


def published_comparisons(*, engine: sa.Engine, year_code: str) -> Table | None:
    """The year's statutory measures beside England, the region and the neighbours' average,
    in the words of the theme pages (`components.published.comparison_table`)."""
    if parse_period(year_code).kind != "financial_year":
        return None
    rows = published.all_comparisons(engine=engine, period_code=year_code)
    if rows.empty or rows[["council_value", "england", "region_value"]].isna().all().all():
        return None
    words = published_words.comparison_table(rows)
    return Table(
        columns=tuple(str(c) for c in words.columns),
        rows=tuple(tuple(str(v) for v in row) for row in words.itertuples(index=False)),
        widths=(2.6, 1.3, 1.2, 1.0, 1.1, 1.2, 0.9, 1.1),
    )


def _figure_notes(scorecard: pd.DataFrame) -> tuple[str, ...]:
    """Footnotes to the scorecard: what qualifies each headline figure that has a note."""
    if scorecard.empty:
        return ()
    headline = scorecard[scorecard["headline"]]
    return tuple(
        f"{row['name']}: {row['figure_note']}"
        for _, row in headline.iterrows()
        if isinstance(row["figure_note"], str) and row["figure_note"]
    )


# --- a theme -----------------------------------------------------------------------------------


def _tile(row: pd.Series) -> Tile:
    unit = str(row["unit"])
    details = []
    target = ragmod.as_number(row["target"])
    if target is not None and row["polarity"] != "neutral":
        details.append(f"Target {ragmod.format_value(target, unit)}")
    if ragmod.as_number(row["change"]) is not None:
        details.append(f"{row['change_display']} on last quarter")
    if row["run_display"]:
        details.append(str(row["run_display"]))
    for key, label in (("england", "England"), ("stat_neighbours", "Statistical neighbours")):
        if ragmod.as_number(row[key]) is not None:
            details.append(f"{label} {ragmod.format_value(row[key], unit)}")
    return Tile(
        name=str(row["name"]),
        value=flagged_value(row["display_value"], row.get("unusual_mark")),
        rag=str(row["rag"]),  # the brief's rating; only red, amber and green are coloured
        detail=" · ".join(details),
        signal=f"SPC: {row['spc_display']}",
        variation=str(row["spc_variation"]),
        assurance=str(row["spc_assurance"]),
        run=str(row["run_display"]),
        note=str(row["figure_note"]) if isinstance(row.get("figure_note"), str) else "",
    )


def _series(history: pd.DataFrame, code: str) -> pd.DataFrame:
    rows = history[(history["code"] == code) & history["period_code"].notna()]
    return rows[["period_code", "value"]].tail(TREND_QUARTERS).reset_index(drop=True)


def _key_charts(
    row_set: pd.DataFrame, history: pd.DataFrame, comparators: pd.DataFrame
) -> tuple[PackChart, ...]:
    """Two trend charts for the most pressing measures and a control chart for the first."""
    with_data = row_set[row_set["value"].notna()]
    if with_data.empty:
        return ()
    ranked = with_data.sort_values(["severity", "sort_order"], ascending=[False, True])
    chosen = ranked.head(2)
    out: list[PackChart] = []
    for _, row in chosen.iterrows():
        code, unit, name = str(row["code"]), str(row["unit"]), str(row["name"])
        series = _series(history, code)
        shown = comparators[comparators["code"] == code] if not comparators.empty else comparators
        chart = charts.trend_chart(
            series, name=name, unit=unit, target=row["target"], comparators=shown, title=name
        )
        first, last = series["period_code"].iloc[0], series["period_code"].iloc[-1]
        target = ragmod.as_number(row["target"])
        target_text = (
            f" against a target of {ragmod.format_value(target, unit)}"
            if target is not None and row["polarity"] != "neutral"
            else ""
        )
        out.append(
            PackChart(
                title=name,
                alt_text=(
                    f"Line chart of {name} by quarter, {first} to {last}: latest "
                    f"{row['display_value']}{target_text} (RAG: {row['rag']})."
                ),
                spec=chart.to_dict(),
            )
        )
    top = chosen.iloc[0]
    # The brief's own control chart, so the chart and every verdict agree.
    result = top["spc_chart"]
    if not isinstance(result, spc.XmRResult) or len(result.values) < 2:
        return tuple(out)
    spc_chart = charts.spc_chart(
        result,
        name=str(top["name"]),
        unit=str(top["unit"]),
        polarity=str(top["polarity"]),
        target=top["target"],
    )
    out.append(
        PackChart(
            title=f"Control chart: {top['name']}",
            alt_text=(
                f"Control chart (individual values and moving range, XmR) of {top['name']}. "
                f"{spc.describe(result)}"
            ),
            spec=spc_chart.to_dict(),
        )
    )
    return tuple(out)


def _assurance(items: pd.DataFrame) -> AssuranceSummary | None:
    if items.empty:
        return None
    latest_id = items["summary_id"].iloc[0]
    rows = items[items["summary_id"] == latest_id]
    first = rows.iloc[0]

    def texts(category: str) -> tuple[str, ...]:
        return tuple(str(t) for t in rows[rows["category"] == category]["text"])

    return AssuranceSummary(
        source=f"{first['group_name']}, {_date(first['meeting_date'])}",
        working_well=texts("working_well"),
        not_working_well=texts("not_working_well"),
        next_steps=texts("next_steps"),
    )


def _decisions_table(rows: pd.DataFrame, *, with_theme: bool) -> Table:
    out = []
    for _, row in rows.iterrows():
        status: str | Cell = meetings.STATUS_LABELS.get(str(row["status"]), str(row["status"]))
        if bool(row["overdue"]):
            status = Cell(f"{status}, {int(row['days_overdue'])} days overdue", rag="red")
        line: tuple = (
            _date(row["meeting_date"]),
            meetings.KIND_LABELS.get(str(row["kind"]), str(row["kind"])),
        )
        if with_theme:
            line += (str(row["theme_name"]) if isinstance(row["theme_name"], str) else "All",)
        line += (
            str(row["text"]),
            str(row["owner"]) if isinstance(row["owner"], str) else "",
            _date(row["due_date"]),
            status,
        )
        out.append(line)
    columns = (
        ("Meeting", "Type")
        + (("Theme",) if with_theme else ())
        + ("Decision or action", "Owner", "Due", "Status")
    )
    widths = (1, 0.8) + ((1.2,) if with_theme else ()) + (4, 1.6, 1, 1.4)
    return Table(
        columns=columns, rows=tuple(out), widths=widths, empty_text="No open decisions or actions."
    )


def theme_section(
    *,
    engine: sa.Engine,
    theme_code: str,
    period_code: str,
    scorecard: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    comparators: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> ThemeSection:
    """One theme's tiles, key charts (specs only), narrative, assurance summary and decisions."""
    spec = next(t for t in catalogue.themes() if t.code == theme_code)
    if history is None:
        history = themes.history_to_quarter(
            engine=engine, theme_code=theme_code, period_code=period_code
        )
    if comparators is None:
        comparators = themes.comparator_series(engine=engine, theme_code=theme_code)
    if scorecard is None:
        scorecard = brief.quarter_brief(
            engine=engine, period_code=period_code, theme_code=theme_code
        )
    rows = scorecard[scorecard["theme"] == theme_code] if not scorecard.empty else scorecard
    headline = rows[rows["headline"]] if not rows.empty else rows
    chosen = headline if not headline.empty else rows
    theme_history = history[history["theme_code"] == theme_code] if not history.empty else history
    tiles = tuple(_tile(row) for _, row in chosen.head(TILES_PER_THEME).iterrows())
    decisions = meetings.list_decisions(
        engine=engine, theme_code=theme_code, open_only=True, today=today
    )
    return ThemeSection(
        code=theme_code,
        name=spec.name,
        description=spec.description,
        tiles=tiles,
        charts=_key_charts(chosen, theme_history, comparators) if not chosen.empty else (),
        narrative=tuple(narrative.theme_narrative(chosen)),
        assurance=_assurance(
            assurance.summaries(engine=engine, period_code=period_code, theme_code=theme_code)
        ),
        decisions=_decisions_table(decisions.head(MAX_THEME_DECISIONS), with_theme=False),
    )


# --- audits, Section 11, youth challenges ---------------------------------------------------------


def _overdue_actions(engine: sa.Engine, today: dt.date) -> Table:
    tracker = audits.action_tracker(engine=engine, today=today)
    overdue = tracker[tracker["overdue"]] if not tracker.empty else tracker
    rows = tuple(
        (
            str(row["audit_reference"]),
            str(row["description"]),
            str(row["owner_agency"]),
            _date(row["due_date"]),
            str(row["status_label"]),
            Cell(f"{int(row['days_overdue'])} days", rag="red"),
        )
        for _, row in overdue.iterrows()
    )
    return Table(
        columns=("Audit", "Action", "Owner agency", "Due", "Status", "Overdue by"),
        rows=rows,
        widths=(1.1, 4.5, 2.2, 1.1, 1, 1),
        empty_text=f"No audit actions are overdue on {_date(today)}.",
    )


@dataclass(frozen=True)
class _Section11:
    sentences: tuple[str, ...]
    table: Table


def _section11(engine: sa.Engine, quarter: Quarter) -> _Section11:
    columns = (
        "Sector",
        "Agencies returned",
        "Standards rated",
        "Green",
        "Amber",
        "Red",
        "Share green",
    )
    cycles = section11.list_cycles(engine=engine)
    if cycles.empty:
        return _Section11(
            ("No Section 11 cycle has been recorded yet.",),
            Table(columns=columns, rows=(), empty_text="No returns."),
        )
    opened = cycles[pd.to_datetime(cycles["opens_on"]) <= pd.Timestamp(quarter.end_date)]
    cycle = (opened if not opened.empty else cycles).iloc[0]
    cycle_id = int(cycle["id"])
    shares = section11.green_share_by_sector(engine=engine, cycle_id=cycle_id)
    missing = section11.agencies_not_returned(engine=engine, cycle_id=cycle_id)
    returned = int(shares["agencies"].sum()) if not shares.empty else 0
    sentences = [
        f"Section 11 cycle {cycle['name']} (returns due {_date(cycle['due_on'])}): "
        f"{returned} {'agency has' if returned == 1 else 'agencies have'} returned a "
        "self-assessment."
    ]
    if not shares.empty and shares["ratings"].sum():
        green = int(shares["green"].sum())
        ratings = int(shares["ratings"].sum())
        sentences.append(
            f"{green / ratings:.0%} of the {ratings} standards rated are green "
            f"({int(shares['amber'].sum())} amber, {int(shares['red'].sum())} red)."
        )
    if not missing.empty:
        names = ", ".join(str(n) for n in missing["name"].head(8))
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        sentences.append(f"Not yet returned ({len(missing)}): {names}{more}.")
    rows = tuple(
        (
            str(row["sector"]).capitalize(),
            str(int(row["agencies"])),
            str(int(row["ratings"])),
            str(int(row["green"])),
            str(int(row["amber"])),
            str(int(row["red"])),
            f"{float(row['green_pct']):.0f}%"
            if ragmod.as_number(row["green_pct"]) is not None
            else "not available",
        )
        for _, row in shares.iterrows()
    )
    sentences += _education_audit_sentences(engine, quarter)
    return _Section11(
        tuple(sentences),
        Table(columns=columns, rows=rows, empty_text="No returns for this cycle yet."),
    )


def _education_audit_sentences(engine: sa.Engine, quarter: Quarter) -> list[str]:
    """The schools' and colleges' audit (section 175/157) that had opened by the quarter's end,
    in two sentences beside Section 11: its returns, and the standards most often amber or
    red (the figures the schools and colleges audit page shows)."""
    found = self_assessment.latest_cycle(
        engine=engine, framework=EDUCATION_175_157, opened_by=quarter.end_date
    )
    if found is None:
        return []
    counts = self_assessment.return_counts(engine=engine, cycle_id=found.id)
    sentences = [
        f"Schools' and colleges' safeguarding audit (section 175/157) {found.name} (returns due "
        f"{_date(found.due_on)}): {counts.returned} of {counts.expected} schools and colleges "
        f"have returned, {counts.on_time} by the due date; {counts.not_returned} "
        f"{'has' if counts.not_returned == 1 else 'have'} not returned."
    ]
    themes = self_assessment.themes(engine=engine, cycle_id=found.id, limit=3)
    if not themes.empty:
        sentences.append(
            "Schools and colleges most often rated amber or red: "
            + "; ".join(
                f"{row.standard} ({row.not_met} of {row.rated})"
                for row in themes.itertuples(index=False)
            )
            + "."
        )
    return sentences


def _open_challenges(engine: sa.Engine) -> Table:
    listed = challenges.list_challenges(engine=engine)
    open_rows = (
        listed[~listed["status"].isin(SETTLED_CHALLENGE_STATUSES)] if not listed.empty else listed
    )
    rows = []
    for _, row in open_rows.iterrows():
        text = str(row["text"])
        if len(text) > CHALLENGE_TEXT_CHARS:
            text = text[: CHALLENGE_TEXT_CHARS - 1].rstrip() + "…"
        # No author: the pack circulates beyond the youth council, so no personal data.
        rows.append(
            (
                str(row["agency"]),
                f"{int(row['standard_number'])}. {row['standard']}",
                _date(row["created_at"]),
                str(row["status_label"]),
                text,
            )
        )
    return Table(
        columns=("Agency", "Standard", "Date", "Status", "Challenge"),
        rows=tuple(rows),
        widths=(2, 2.2, 1, 1, 5),
        empty_text="There are no open youth council challenges.",
    )


# --- practice reviews, the risk register, scrutiny (issue 29) -------------------------------------

PRACTICE_REVIEW_KINDS = ("rapid_review", "local_review", "national_review")
SCRUTINY_KINDS = ("scrutiny", "inspection", "improvement_plan")


def _open_actions_table(rows: pd.DataFrame, empty_text: str) -> Table:
    still_open = rows[rows["status"].isin(learning.OPEN_STATUSES)] if not rows.empty else rows
    return Table(
        columns=("From", "Recommendation", "Owner agency", "Due", "State"),
        rows=tuple(
            (
                str(row["source"]),
                str(row["recommendation"]),
                str(row["owner_agency"]),
                _date(row["due_date"]),
                Cell(f"Overdue by {int(row['days_overdue'])} days", rag="red")
                if bool(row["overdue"])
                else str(row["state"]),
            )
            for _, row in still_open.iterrows()
        ),
        widths=(1.2, 5, 2.2, 1.1, 1.5),
        empty_text=empty_text,
    )


def learning_sections(
    *, engine: sa.Engine, today: dt.date, threshold: int | None = None
) -> tuple[LearningSection, ...]:
    """The pack's sections on practice reviews, the risk register and scrutiny, in the words the
    pages use (`dashboard.metrics.learning_words`)."""
    threshold = risk_escalation_threshold() if threshold is None else threshold
    figures = learning.timeliness(engine=engine, today=today)
    reviews = LearningSection(
        title="Practice reviews",
        intro="Rapid reviews, local and national practice reviews and their open actions, "
        "overdue first. Working days leave out weekends and England's bank holidays.",
        sentences=tuple(learning_words.timeliness_sentences(figures)),
        table=_open_actions_table(
            learning.actions(engine=engine, source_kinds=PRACTICE_REVIEW_KINDS, today=today),
            "No actions from practice reviews are open.",
        ),
    )
    register = learning.risks(engine=engine, threshold=threshold, today=today)
    summary = learning.overdue_summary(engine=engine, threshold=threshold, today=today)
    risk_rows = tuple(
        (
            str(row["reference"]),
            str(row["title"]),
            str(row["owner_agency"]) if pd.notna(row["owner_agency"]) else "",
            str(int(row["score_before"])),
            str(int(row["score_after"])) if pd.notna(row["score_after"]) else "Not scored",
            Cell(f"Yes, above {threshold}", rag="red") if bool(row["escalated"]) else "No",
            Cell(f"Overdue ({_date(row['review_on'])})", rag="red")
            if bool(row["review_overdue"])
            else _date(row["review_on"]),
        )
        for _, row in register.iterrows()
    )
    risks = LearningSection(
        title="Risk register",
        intro="Open risks, highest current score first: likelihood x impact before and after "
        f"the controls; the partnership's rule sends a risk scoring above {threshold} to the "
        "executive.",
        sentences=(learning_words.overdue_sentence(summary, threshold),),
        table=Table(
            columns=(
                "Risk",
                "What could happen",
                "Owner",
                "Before",
                "After",
                "Executive",
                "Review",
            ),
            rows=risk_rows,
            widths=(0.7, 4.5, 2.2, 0.9, 0.9, 1.3, 1.5),
            empty_text="No open risks are recorded.",
        ),
    )
    judgements = learning.scrutiny_judgements(engine=engine)
    sentences: list[str] = []
    if not judgements.empty:
        year = int(judgements["year"].max())
        latest = judgements[judgements["year"] == year]["rating"].value_counts()
        sentences.append(
            f"The independent scrutineer's judgements for {year}-{(year + 1) % 100:02d}: "
            f"{int(latest.get('green', 0))} green, {int(latest.get('amber', 0))} amber and "
            f"{int(latest.get('red', 0))} red, of {int(latest.sum())} criteria."
        )
    scrutiny = LearningSection(
        title="Scrutiny and the improvement plan",
        intro="The scrutineer's and the inspectors' recommendations and the improvement plan: "
        "open actions, with the partners' response on the Scrutiny page.",
        sentences=tuple(sentences),
        table=_open_actions_table(
            learning.actions(engine=engine, source_kinds=SCRUTINY_KINDS, today=today),
            "No actions from scrutiny, inspection or the improvement plan are open.",
        ),
    )
    return (reviews, risks, scrutiny)


def cover_glance(scorecard: pd.DataFrame) -> QuarterGlance:
    """What the quarter looked like, for the cover, from the quarter brief (its headline rows)."""
    glance = quarter_glance(scorecard)
    return QuarterGlance(
        counts=tuple((label, glance.counts[rag]) for rag, label in COUNTED),
        counts_sentence=glance.counts_sentence(),
        attention_sentence=glance.attention_heading(),
        attention=tuple(glance.attention_names()),
    )


# --- the whole pack ------------------------------------------------------------------------------


def assemble(
    *,
    engine: sa.Engine,
    period_code: str,
    generated_by: str,
    generated_at: dt.datetime | None = None,
    today: dt.date | None = None,
    partnership_name: str | None = None,
) -> PackContent:
    """Everything the pack for `period_code` says. Raises PackNotPossible with plain reasons."""
    reasons = missing_for_pack(engine=engine, period_code=period_code)
    if reasons:
        raise PackNotPossible(period_code, reasons)
    quarter = Quarter.parse(period_code)
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    today = today or generated_at.date()
    cutoff = board_packs.data_cutoff(engine=engine, period_code=period_code)
    # History and comparators only draw the charts; the verdicts come from the brief.
    history = themes.history_to_quarter(engine=engine, period_code=period_code)
    comparators = themes.comparator_series(engine=engine)
    scorecard = brief.quarter_brief(engine=engine, period_code=period_code)
    sections = tuple(
        theme_section(
            engine=engine,
            theme_code=spec.code,
            period_code=period_code,
            scorecard=scorecard,
            history=history,
            comparators=comparators,
            today=today,
        )
        for spec in catalogue.themes()
    )
    notes = []
    missing_summaries = [s.name for s in sections if s.assurance is None]
    if missing_summaries:
        notes.append(
            "No assurance summary was written this quarter for: "
            + ", ".join(missing_summaries)
            + "."
        )
    s11 = _section11(engine, quarter)
    open_actions = meetings.list_decisions(
        engine=engine, kind="action", open_only=True, today=today
    )
    return PackContent(
        partnership_name=partnership_name or settings().partnership_name,
        period_code=period_code,
        period_label=quarter.label,
        provenance=Provenance(
            data_cutoff=cutoff.cutoff,
            submission_ids=cutoff.submission_ids,
            id_ranges=cutoff.id_ranges,
            generated_by=generated_by,
            generated_at=generated_at,
        ),
        scorecard=_scorecard_table(scorecard),
        figure_notes=_figure_notes(scorecard),
        themes=sections,
        overdue_actions=_overdue_actions(engine, today),
        section11_sentences=s11.sentences,
        section11=s11.table,
        challenges=_open_challenges(engine),
        meeting_actions=_decisions_table(open_actions, with_theme=True),
        notes=tuple(notes),
        annual=tuple(
            annual_year(engine=engine, year_code=year)
            for year in pack_years(engine=engine, period_code=period_code)
        ),
        glance=cover_glance(scorecard),
        learning=learning_sections(engine=engine, today=today),
    )
