"""The scorecard as a machine-readable table: one row per catalogue indicator for a period.

`qa-dashboard scorecard` prints it and the overview offers it as a download; both call
`scorecard_export` (reads the store) which calls `export_rows` (pure pandas), so the file is the
same whichever way it was made. Every verdict is the brief's (`dashboard.metrics.brief`) in the
words the pages show: RAG in the words of the RAG badges (`rag.RAG_WORDS`, without the badge's
symbol), SPC variation and assurance and the run as the brief words them; a year's change on the
year before and how a quarterly measure is made into a year in the annual tables' words
(`dashboard.components.annual`).

For a quarter ("2025-26 Q4") the quarterly indicators carry the quarter's brief; for a year
("2025-26", "AY 2025/26") the annual indicators of that kind carry the year's brief, and in a
financial year the quarterly indicators carry their four quarters rolled up by the catalogue's
rule (`annual_figures.year_rollups`). A rolled-up year is not judged (no RAG or SPC): each
quarter is judged against the target on the theme pages, and the annual tables do not judge the
sum of them either. An indicator not reported for that kind of period has an empty value and a
derivation saying why, so the table always lists the whole catalogue.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from dashboard.components import annual as annual_words
from dashboard.metrics import brief
from dashboard.metrics import rag as ragmod
from data_access import annual_figures, catalogue
from data_access.periods import ACADEMIC_YEAR, FINANCIAL_YEAR, QUARTER, parse_period

EXPORT_COLUMNS = [
    "code",
    "name",
    "period",
    "value",
    "numerator",
    "denominator",
    "derivation",
    "rag",
    "target",
    "change_quarter",
    "change_year",
    "variation",
    "assurance",
    "run",
    "note",
]
# The kind of period each catalogue frequency reports for.
KIND_OF_FREQUENCY = {
    "quarterly": QUARTER,
    "annual_financial": FINANCIAL_YEAR,
    "annual_academic": ACADEMIC_YEAR,
}
# How a figure was made, when it is the period's own figure.
REPORTED = {
    QUARTER: "reported for the quarter",
    FINANCIAL_YEAR: "reported for the year",
    ACADEMIC_YEAR: "reported for the school year",
}
# A figure no agency returns (reported_by is empty): worked out from the partnership's own records
# (the practice reviews' timeliness), not reported by anyone.
WORKED_OUT = {
    QUARTER: "worked out from the partnership's own records for the quarter",
    FINANCIAL_YEAR: "worked out from the partnership's own records for the year",
    ACADEMIC_YEAR: "worked out from the partnership's own records for the school year",
}
NOT_REPORTED = {
    QUARTER: "no figure reported for the quarter",
    FINANCIAL_YEAR: "no figure reported for the year",
    ACADEMIC_YEAR: "no figure reported for the school year",
}
# Why an indicator has no figure for a kind of period: (kind of period, indicator's frequency).
OTHER_KIND = {
    (QUARTER, "annual_financial"): "reported once a year (financial year), not for a quarter",
    (QUARTER, "annual_academic"): "reported once a year (school year), not for a quarter",
    (FINANCIAL_YEAR, "annual_academic"): "reported for school years, not financial years",
    (ACADEMIC_YEAR, "annual_financial"): "reported for financial years, not school years",
    (ACADEMIC_YEAR, "quarterly"): "not rolled up to a school year: its quarters make "
    "financial years",
}
NOT_ROLLED_UP = "not rolled up to a year: a mean of quarters' days or scores would mislead"
ROLLED_UP_NOTE = (
    "made from the four quarters' returns; judged quarter by quarter against the target "
    "(theme pages), not as a year"
)


def _number(value: object, decimals: int | None = None) -> int | float | None:
    """A figure as a plain number: whole numbers as int, others to `decimals` places."""
    number = ragmod.as_number(value)
    if number is None:
        return None
    if decimals is not None:
        number = round(number, decimals)
    return int(number) if number.is_integer() and not decimals else number


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _target(spec: catalogue.IndicatorSpec, target: object) -> int | float | None:
    return _number(target, spec.decimals) if spec.polarity != "neutral" else None


def _blank(spec: catalogue.IndicatorSpec, period: str, derivation: str) -> dict[str, object]:
    """The row of an indicator without a figure of its own for the period."""
    return {
        "code": spec.code,
        "name": spec.name,
        "period": period,
        "value": None,
        "numerator": None,
        "denominator": None,
        "derivation": derivation,
        "rag": "",
        "target": None,
        "change_quarter": "",
        "change_year": "",
        "variation": "",
        "assurance": "",
        "run": "",
        "note": "",
    }


def _judged(
    spec: catalogue.IndicatorSpec, period: str, kind: str, row: pd.Series
) -> dict[str, object]:
    """The row of an indicator judged by the brief for the period (a quarter or a year)."""
    has_value = ragmod.as_number(row["value"]) is not None
    if kind == QUARTER:
        change_quarter, change_year = _text(row["change_display"]), _text(row["year_ago_display"])
    else:
        # The annual tables' words: '+25.2 per 10,000 on 2023-24 (better)'.
        change_quarter = ""
        change_year = annual_words.change_words(row)
    return {
        "code": spec.code,
        "name": spec.name,
        "period": period,
        "value": _number(row["value"], spec.decimals),
        "numerator": _number(row["numerator"]),
        "denominator": _number(row["denominator"]),
        "derivation": (
            (REPORTED if spec.reported_by else WORKED_OUT) if has_value else NOT_REPORTED
        )[kind],
        "rag": ragmod.RAG_WORDS.get(str(row["rag"]), str(row["rag"])),
        "target": _target(spec, row["target"]),
        "change_quarter": change_quarter,
        "change_year": change_year,
        "variation": _text(row["spc_variation"]),
        "assurance": _text(row["spc_assurance"]),
        "run": _text(row["run_display"]),
        "note": _text(row["figure_note"]),
    }


def _rolled_up(
    spec: catalogue.IndicatorSpec, period: str, row: pd.Series, words: pd.Series
) -> dict[str, object]:
    """The row of a quarterly indicator made into a financial year from its four quarters."""
    out = _blank(spec, period, str(words["How the year is made"]))
    quarters = int(row["quarters"])
    has_value = ragmod.as_number(row["value"]) is not None
    notes = [ROLLED_UP_NOTE]
    if not has_value:
        # The annual table's words: 'part-year (3 of 4 quarters)' or why it was not worked out.
        notes.insert(0, str(words["Year"]))
    elif quarters < 4:  # pragma: no cover - year_rollups gives no value for a part-year
        notes.insert(0, f"part-year ({quarters} of 4 quarters)")
    out.update(
        value=_number(row["value"], spec.decimals),
        numerator=_number(row.get("numerator")),
        denominator=_number(row.get("denominator")),
        change_year=str(words["Change"]),
        note="; ".join(notes),
    )
    return out


def export_rows(
    period_code: str,
    *,
    judged: pd.DataFrame,
    rollups: pd.DataFrame | None = None,
    specs: tuple[catalogue.IndicatorSpec, ...] | None = None,
) -> pd.DataFrame:
    """The scorecard of `period_code`: one row per indicator of `specs` (the catalogue), columns
    `EXPORT_COLUMNS`, catalogue order.

    `judged`: the brief of the period (`brief.quarter_brief` of the quarter, or
    `brief.annual_brief` of the year): the indicators reported for that kind of period.
    `rollups`: for a financial year, `annual_figures.year_rollups` of it (the quarterly
    indicators made into the year by the catalogue's rule).
    Numbers are plain (values and targets to the unit's decimal places, no separators or
    units): what qualifies a figure (a bound such as "more than", a GSS symbol, the partner's
    comment) is in `note`.
    """
    period = parse_period(period_code)
    kind = period.kind
    specs = catalogue.indicators() if specs is None else specs
    by_code = {str(c): r for c, r in judged.set_index("code").iterrows()} if len(judged) else {}
    rolled: dict[str, tuple[pd.Series, pd.Series]] = {}
    if rollups is not None and not rollups.empty:
        words = annual_words.rollup_table(rollups)
        for (_, row), (_, said) in zip(rollups.iterrows(), words.iterrows(), strict=True):
            rolled[str(row["code"])] = (row, said)
    rows = []
    for spec in specs:
        own_kind = KIND_OF_FREQUENCY[spec.frequency]
        if own_kind == kind:
            if spec.code in by_code:
                rows.append(_judged(spec, period.code, kind, by_code[spec.code]))
            else:
                rows.append(_blank(spec, period.code, NOT_REPORTED[kind]))
        elif kind == FINANCIAL_YEAR and own_kind == QUARTER:
            if spec.code in rolled:
                rows.append(_rolled_up(spec, period.code, *rolled[spec.code]))
            else:
                rows.append(_blank(spec, period.code, NOT_ROLLED_UP))
        else:
            rows.append(_blank(spec, period.code, OTHER_KIND[(kind, spec.frequency)]))
    # object columns: whole numbers stay whole ("868", not "868.0") in CSV and JSON.
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS, dtype=object)


def scorecard_export(*, engine: sa.Engine, period_code: str) -> pd.DataFrame:
    """`export_rows` for `period_code` (a quarter, a financial year or an academic year), read
    from the store: the partnership's figures, every indicator of the catalogue.

    Raises ValueError for a period code that is none of these.
    """
    period = parse_period(period_code)
    if period.kind == QUARTER:
        judged = brief.quarter_brief(engine=engine, period_code=period.code)
        return export_rows(period.code, judged=judged)
    judged = brief.annual_brief(engine=engine, year_code=period.code)
    rollups = (
        annual_figures.year_rollups(engine=engine, year_code=period.code)
        if period.kind == FINANCIAL_YEAR
        else None
    )
    return export_rows(period.code, judged=judged, rollups=rollups)
