"""The scorecard: one row per indicator for a quarter, with RAG, change, SPC and comparators.

Pure pandas. This is the one place each verdict is computed (RAG, change on the quarter and on
the year, SPC variation and assurance, quarters running); `dashboard.metrics.brief` feeds it the
whole history up to the selected quarter, and the theme pages, overview, meeting mode and the
board pack all show its rows, never a verdict of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from dashboard.metrics import narrative, spc
from dashboard.metrics import rag as ragmod
from data_access import catalogue
from data_access.annual_figures import figure_note
from data_access.periods import (
    Period,
    parse_period,
    previous_period,
    quarters_between,
    year_earlier,
)

SCORECARD_COLUMNS = [
    "code",
    "name",
    "theme",
    "theme_name",
    "unit",
    "polarity",
    "target",
    "tolerance",
    "period_code",
    "value",
    "numerator",
    "denominator",
    "status_symbol",
    "qualifier",
    "comment",
    "display_value",
    "figure_note",
    "unusual_mark",
    "previous",
    "change",
    "change_display",
    "change_judgement",
    "year_ago",
    "year_ago_change",
    "year_ago_display",
    "rag",
    "spc_variation",
    "spc_assurance",
    "spc_summary",
    "spc_display",
    "spc_chart",
    "run_length",
    "run_display",
    "england",
    "stat_neighbours",
    "severity",
    "needs_attention",
    "attention_reasons",
    "trend_values",
    "trend_periods",
    "sentence",
    "spc_sentence",
    "headline",
    "sort_order",
]
SPARKLINE_QUARTERS = 8
# A context figure the catalogue does not chart (`spc: false`, the child population).
NOT_CHARTED = "not charted"
NOT_CHARTED_TEXT = (
    "Not charted: a context figure (the denominator of rates), not a process to judge."
)
RAG_SEVERITY = {ragmod.RED: 3, ragmod.AMBER: 1}


def severity(rag: str, variation: str, assurance: str) -> int:
    """How urgently a measure needs attention: red 3, amber 1; +2 concerning; +2 failing."""
    score = RAG_SEVERITY.get(rag, 0)
    if variation == spc.CONCERNING:
        score += 2
    if assurance == spc.FAILING:
        score += 2
    return score


def attention_reasons(rag: str, variation: str, assurance: str) -> list[str]:
    """Why a measure is on the "needs attention" list (empty when it is not)."""
    reasons = []
    if rag == ragmod.RED:
        reasons.append("red against target")
    if variation == spc.CONCERNING:
        reasons.append("concerning special cause variation")
    if assurance == spc.FAILING:
        reasons.append("consistently failing its target")
    return reasons


ComparatorIndex = dict[tuple[str, str], list[tuple[Any, Any]]]


def comparator_index(comparators: pd.DataFrame) -> ComparatorIndex:
    """{(indicator code, comparator type): [(period end date, value), ...] oldest first}: the
    comparators read once, so each indicator's lookup does not parse every period again."""
    index: ComparatorIndex = {}
    if comparators.empty:
        return index
    for code, kind, period_code, value in zip(
        comparators["code"],
        comparators["comparator_type"],
        comparators["period_code"],
        comparators["value"],
        strict=True,
    ):
        period = _quarter(period_code)
        if period is not None:
            index.setdefault((str(code), str(kind)), []).append((period.end_date, value))
    for figures in index.values():
        figures.sort(key=lambda figure: figure[0])
    return index


def _comparator_at(
    comparators: ComparatorIndex, code: str, kind: str, selected: Period | None
) -> float | None:
    """The comparator for the quarter, or its latest earlier figure (England data are annual)."""
    figures = comparators.get((str(code), kind), [])
    if selected is not None:
        figures = [figure for figure in figures if figure[0] <= selected.end_date]
    if not figures:
        return None
    return ragmod.as_number(figures[-1][1])


def _quarter(code: Any) -> Period | None:
    """A quarter or a year (periods.parse_period); None for anything else."""
    try:
        return parse_period(str(code))
    except ValueError:
        return None


def unusual_mark(confirmed_by: str | None, confirmed_at: Any) -> str:
    """The mark of a figure held as unusual at import and confirmed by an officer: "Held as
    unusual at import; confirmed by qa.officer on 7 December 2026" ("" for any other figure)."""
    if not confirmed_by:
        return ""
    when = pd.to_datetime(confirmed_at, errors="coerce") if confirmed_at is not None else None
    on = (
        f" on {when.day} {when.strftime('%B %Y')}" if when is not None and not pd.isna(when) else ""
    )
    return f"Held as unusual at import; confirmed by {confirmed_by}{on}"


# Beside a figure held as unusual and confirmed, wherever the figure itself is shown; who
# confirmed it and when stay in the note (`unusual_mark`).
UNUSUAL_WORDS = "confirmed unusual"
UNUSUAL_FLAG = f"⚑ {UNUSUAL_WORDS}"


def flagged_value(display_value: Any, mark: Any) -> str:
    """The figure as a value cell shows it: "8,680 ⚑ confirmed unusual" when it was held as
    unusual at import and confirmed (`mark` not empty), else the figure alone."""
    value = "" if display_value is None else str(display_value)
    if isinstance(mark, str) and mark:
        return f"{value} {UNUSUAL_FLAG}".strip()
    return value


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA (never text)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(value: Any) -> str | None:
    """The text, stripped (None when not text or blank)."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _charted(code: str) -> bool:
    """False for an indicator the catalogue does not chart (`spc: false`)."""
    try:
        return catalogue.indicator(code).spc
    except KeyError:
        return True


def build_scorecard(
    history: pd.DataFrame,
    comparators: pd.DataFrame,
    period_code: str,
    *,
    rebase_at: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """One row per indicator in `history`, judged for `period_code` (a quarter or a year).

    For a year ("2024-25", "AY 2024/25") only that kind of period counts: the change is on the
    year before, RAG is against the (annual) target, the control chart runs over the years, and
    the words say "year" where a quarter's say "quarter".

    `history`: one row per indicator and quarter with columns code, name, theme_code, unit,
    polarity, target, tolerance, period_code, value, status_symbol (and optionally theme_name,
    headline, sort_order, qualifier and comment); indicators without any figure may appear once
    with an empty period_code. Only quarters up to `period_code` are used, so an old quarter
    reads as it did.
    `comparators`: code, period_code, comparator_type ("england", "statistical_neighbours"), value.

    `rebase_at`: {indicator code: quarters where a recorded change in the process restarts the
    control chart's limits}, passed to `spc.xmr` for that indicator.

    Columns are `SCORECARD_COLUMNS`; rows are in catalogue order (sort_order) when given.
    `numerator` / `denominator` are the parts of the period's figure where the return gave them
    (a percentage's or a rate's counts). `display_value` is the figure as every surface shows it,
    with its bound and symbol ("more than 40.0%", "312.4 u"); `figure_note` says what qualifies it (the symbol's meaning, the
    bound, the partner's comment, and `unusual_mark`) for staff, as plain text; youth pages
    never read it. `unusual_mark` marks a figure held as unusual at import and confirmed by an
    officer (who and when; "" otherwise): such a figure is never the narrative's "Going well".
    """
    if history.empty:
        return pd.DataFrame(columns=SCORECARD_COLUMNS)
    selected = _quarter(period_code)
    # The period before and a year before, of the same kind: an annual figure is compared with
    # the year before, never with a quarter.
    previous_code = previous_period(period_code) if selected else None
    year_ago_code = year_earlier(period_code) if selected else None
    kind = selected.kind if selected else "quarter"
    # What the points are called in the words: consecutive quarters, or consecutive years.
    word = "quarter" if kind == "quarter" else "year"
    # The history read once into plain lists and split by indicator in one pass: filtering,
    # sorting and indexing a frame per indicator was about half of a truly cold theme page.
    columns = {column: history[column].tolist() for column in history.columns}
    parsed: dict[Any, Period | None] = {}
    quarters: list[Period | None] = []
    for text in columns["period_code"]:
        if text not in parsed:
            found = _quarter(text)
            parsed[text] = found if found is not None and found.kind == kind else None
        quarters.append(parsed[text])
    groups: dict[Any, list[int]] = {}
    for position, code in enumerate(columns["code"]):
        if not _missing(code):  # as groupby drops a missing key
            groups.setdefault(code, []).append(position)
    by_comparator = comparator_index(comparators)
    rows: list[dict[str, Any]] = []
    for code, positions in groups.items():
        first = {column: values[positions[0]] for column, values in columns.items()}
        unit, polarity = first["unit"], first["polarity"]
        target = ragmod.as_number(first["target"])
        tolerance = ragmod.as_number(first.get("tolerance")) or 0.0
        dated_at = [
            at
            for at in positions
            if quarters[at] is not None and (selected is None or quarters[at] <= selected)  # type: ignore[operator]
        ]
        # In the order sort_values("_quarter") gave (numpy's quicksort on the same objects).
        if dated_at:
            order = np.array([quarters[at] for at in dated_at], dtype=object).argsort(
                kind="quicksort"
            )
            dated_at = [dated_at[i] for i in order]
        dated_periods = [columns["period_code"][at] for at in dated_at]
        by_period = dict(zip(dated_periods, (columns["value"][at] for at in dated_at), strict=True))
        symbols = dict(
            zip(dated_periods, (columns["status_symbol"][at] for at in dated_at), strict=True)
        )
        value = ragmod.as_number(by_period.get(period_code))
        symbol = symbols.get(period_code)
        symbol = symbol if isinstance(symbol, str) else None
        # What qualifies the figure (a bound, the partner's comment) belongs to it alone.
        at_period = next(
            (
                at
                for at, period in zip(dated_at, dated_periods, strict=True)
                if period == period_code
            ),
            None,
        )

        def cell(column: str, at: int | None = at_period) -> Any:
            """The figure's `column` (None when there is no figure or no such column)."""
            return None if at is None or column not in columns else columns[column][at]

        qualifier = _text(cell("qualifier"))
        comment = _text(cell("comment"))
        # A figure held as unusual at import and confirmed: marked wherever it is shown.
        confirmed_at = cell("confirmed_at")
        mark = unusual_mark(
            _text(cell("confirmed_by")), None if _missing(confirmed_at) else confirmed_at
        )
        numerator = ragmod.as_number(cell("numerator"))
        denominator = ragmod.as_number(cell("denominator"))
        previous = ragmod.as_number(by_period.get(previous_code))
        year_ago = ragmod.as_number(by_period.get(year_ago_code))
        quarter_change = ragmod.change(value, previous, polarity)
        annual_change = ragmod.change(value, year_ago, polarity)
        # A change from or to a bound ("more than 40.0%") is not a number: it cannot be given.
        bounded = (
            {
                str(columns["period_code"][at])
                for at in dated_at
                if isinstance(q := columns["qualifier"][at], str) and q.strip()
            }
            if "qualifier" in columns
            else set()
        )
        if period_code in bounded or previous_code in bounded:
            quarter_change = ragmod.inexact_change(value, previous)
        if period_code in bounded or year_ago_code in bounded:
            annual_change = ragmod.inexact_change(value, year_ago)
        rag = ragmod.rag_status(value, target, polarity, tolerance, qualifier)

        # Every quarter from the first figure to the selected one, None where a quarter has no
        # figure: "last quarter" and "quarters running" then mean consecutive quarters.
        if selected is not None and dated_at:
            # `selected` may be a year: quarters_between walks years the same way (next(), <=),
            # and both ends are of the same kind; its annotation names only quarters.
            steps = quarters_between(quarters[dated_at[0]], selected)  # type: ignore[arg-type]
            labels = [q.code for q in steps]
        else:
            labels = list(dated_periods)
        series = [ragmod.as_number(by_period.get(label)) for label in labels]
        # SPC judges the latest point, so the chart must end at the selected quarter.
        chart: spc.XmRResult | None = None
        if value is not None and not _charted(str(code)):
            variation, assurance = NOT_CHARTED, spc.NO_TARGET
            spc_text, spc_line = NOT_CHARTED_TEXT, None
        elif value is not None:
            chart = spc.xmr(
                series,
                polarity=polarity,
                target=target,
                labels=labels,
                rebase_at=list((rebase_at or {}).get(str(code), ())),
            )
            variation, assurance = chart.variation, chart.assurance
            spc_text = spc.describe(chart, period=word)
            spc_line = narrative.spc_sentence(first["name"], chart)
        else:
            variation = spc.NOT_ENOUGH
            assurance = (
                spc.NO_TARGET if (target is None or polarity == "neutral") else spc.NOT_ENOUGH
            )
            spc_text, spc_line = f"No figure for this {word}.", None
        values_to_now = series if value is not None else [None]
        reasons = attention_reasons(rag, variation, assurance)
        rows.append(
            {
                "code": code,
                "name": first["name"],
                "theme": first["theme_code"],
                "theme_name": first.get("theme_name", first["theme_code"]),
                "unit": unit,
                "polarity": polarity,
                "target": target,
                "tolerance": tolerance,
                "period_code": period_code,
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                "status_symbol": symbol,
                "qualifier": qualifier,
                "comment": comment,
                "display_value": ragmod.format_figure(
                    value, unit, symbol=symbol, qualifier=qualifier
                ),
                "figure_note": "; ".join(
                    part for part in (figure_note(symbol, qualifier, comment), mark) if part
                ),
                "unusual_mark": mark,
                "previous": previous,
                "change": quarter_change.difference,
                "change_display": ragmod.format_change(quarter_change, unit),
                "change_judgement": quarter_change.judgement,
                "year_ago": year_ago,
                "year_ago_change": annual_change.difference,
                "year_ago_display": ragmod.format_change(annual_change, unit),
                "rag": rag,
                "spc_variation": variation,
                "spc_assurance": assurance,
                "spc_summary": spc_text,
                "spc_display": (
                    "Not charted (a context figure)"
                    if variation == NOT_CHARTED
                    else f"{variation.capitalize()}; {assurance}"
                ),
                "spc_chart": chart,
                "run_length": narrative.target_run(values_to_now, target, polarity),
                "run_display": narrative.run_text(values_to_now, target, polarity, word),
                "england": _comparator_at(by_comparator, code, "england", selected),
                "stat_neighbours": _comparator_at(
                    by_comparator, code, "statistical_neighbours", selected
                ),
                "severity": severity(rag, variation, assurance),
                "needs_attention": bool(reasons),
                "attention_reasons": "; ".join(reasons),
                "trend_values": series[-SPARKLINE_QUARTERS:],
                "trend_periods": labels[-SPARKLINE_QUARTERS:],
                "sentence": narrative.indicator_sentence(
                    first["name"],
                    unit,
                    values_to_now,
                    target=target,
                    polarity=polarity,
                    year_ago=year_ago,
                    quarter_change=quarter_change,
                    period=word,
                ),
                "spc_sentence": spc_line,
                "headline": bool(first.get("headline", True)),
                "sort_order": int(first.get("sort_order", len(rows)) or 0),
            }
        )
    result = pd.DataFrame(rows, columns=SCORECARD_COLUMNS)
    # Optional texts keep one dtype whichever indicators are listed: pandas would infer `str`
    # when one row has a symbol and `object` when none has, so a row would depend on its company.
    for column in _OPTIONAL_TEXTS:
        texts = result[column].astype(object)
        result[column] = texts.where(texts.notna(), None)
    return result.sort_values("sort_order", kind="stable").reset_index(drop=True)


# Columns that are a text or None, row by row.
_OPTIONAL_TEXTS = ("status_symbol", "qualifier", "comment")


def needs_attention(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The scorecard rows that need attention, most severe first."""
    if scorecard.empty:
        return scorecard
    flagged = scorecard[scorecard["needs_attention"]]
    return flagged.sort_values(["severity", "sort_order"], ascending=[False, True])
