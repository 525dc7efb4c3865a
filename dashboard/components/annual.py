"""Annual figures in words: one table of a year's brief, shared by the theme pages and the pack.

Pure pandas (no streamlit), so the board pack says exactly what the page says. Every verdict
(figure, change on the year before, RAG against the annual target, SPC) is a column of the brief
(`dashboard.metrics.brief.annual_brief`); this module only words and arranges them.
"""

from __future__ import annotations

import pandas as pd

from dashboard.metrics import rag as ragmod
from data_access import catalogue, rollup
from data_access.catalogue import UNIT_LABELS
from data_access.periods import parse_period

# Short headers, so that nine columns fit the page; each has a help text on the page.
COLUMNS = [
    "Indicator",
    "Figure",
    "Unit",
    "Year before",
    "Change",
    "RAG",
    "Target",
    "SPC",
    "Note",
]
MEANINGS = {
    "Figure": "The year's figure: rates and percentages to one decimal place, counts whole.",
    "Year before": "The figure for the year before, which the change is worked out from.",
    "Change": "The change on the year before: for percentages in percentage points (pp), "
    "otherwise in the figure's own unit; (better) or (worse) where a direction is "
    "better.",
    "RAG": "Red, amber or green against the annual target (a context measure has no target; "
    "a bound that could fall either side of the target is not judged).",
    "Target": "The annual target: what the year's figure is judged against, never a quarter's.",
    "SPC": "The control chart over the years: variation of the latest year; assurance "
    "against the target.",
    "Note": "What qualifies the figure: a statistical symbol's meaning (u: low reliability), a "
    "bound (the figure is more than or less than the value shown) and the partner's "
    "comment.",
}
MEANINGS["From the quarters"] = (
    "The same measure from the quarterly returns, its four quarters rolled up by the measure's "
    "rule, with its basis; where it differs from the yearly return the two are to be "
    "reconciled (listed on the Data quality page)."
)
STAFF_ONLY = ("Note",)
# The RAG words of every table and surface (declared once, in dashboard.metrics.rag).
RAG_WORDS = ragmod.RAG_WORDS


def year_label(code: str) -> str:
    """'2024-25 (April 2024 to March 2025)' for any year code."""
    return parse_period(code).label


def year_before_words(row: pd.Series) -> str:
    """'321.5 per 10,000 children in 2023-24', or 'no figure for 2023-24'."""
    before = row["previous_period_code"]
    if ragmod.as_number(row["previous"]) is None:
        return f"no figure for {before}"
    return f"{ragmod.format_value(row['previous'], str(row['unit']))} in {before}"


def change_words(row: pd.Series) -> str:
    """The brief's change on the year before, in words: '+25.2 per 10,000 on 2023-24 (better)'.

    'no comparison: no figure for 2023-24' when the year before has no figure.
    """
    before = row["previous_period_code"]
    if row.get("change_display") == ragmod.INEXACT_CHANGE_WORDS:
        return f"{ragmod.INEXACT_CHANGE_WORDS} on {before}"
    if ragmod.as_number(row["change"]) is None:
        if ragmod.as_number(row["value"]) is None:
            return "no comparison: no figure this year"
        return f"no comparison: no figure for {before}"
    text = f"{row['change_display']} on {before}"
    judgement = str(row["change_judgement"])
    if judgement in ("better", "worse"):
        text += f" ({judgement})"
    return text


def rag_words(row: pd.Series) -> str:
    """'Green', 'Amber', 'Red', 'No target', 'No data' (the brief's RAG, in words)."""
    return RAG_WORDS.get(str(row["rag"]), str(row["rag"]).capitalize())


def _target_note(code: object) -> str:
    try:
        return catalogue.indicator(str(code)).target_note or ""
    except KeyError:
        return ""


def target_words(row: pd.Series) -> str:
    """The annual target, with the catalogue's `target_note` where it has one (why it is not
    the quarterly measure's): '22.0% (England's recent average ...)'."""
    target = ragmod.as_number(row["target"])
    words = (
        "no target"
        if target is None or row["polarity"] == "neutral"
        else ragmod.format_value(target, str(row["unit"]))
    )
    note = _target_note(row.get("code"))
    return f"{words} ({note})" if note else words


def _parts(value: object, numerator: object, denominator: object, unit: str) -> str:
    figure = ragmod.format_value(value, unit)
    num, den = ragmod.as_number(numerator), ragmod.as_number(denominator)
    if unit in ("percentage", "rate_per_10k") and num is not None and den is not None:
        return f"{figure} ({num:,.0f} of {den:,.0f})"
    return figure


def quarters_words(row: pd.Series) -> str:
    """An annual figure's quarterly measure rolled up to the year, with its basis, and whether
    it differs from the yearly return: one `annual_figures.annual_against_quarters` row."""
    unit = str(row["unit"])
    if ragmod.as_number(row["quarters_value"]) is None:
        reason = row["quarters_reason"] if isinstance(row["quarters_reason"], str) else ""
        return f"No figure from the quarterly returns ({row['quarterly_name']}): {reason}".rstrip(
            ": "
        )
    parts = _parts(
        row["quarters_value"], row["quarters_numerator"], row["quarters_denominator"], unit
    )
    text = f"{parts} from the quarterly returns ({row['rule_words']})"
    # The quarterly measure's own target, beside the yearly one when they differ, and why.
    quarterly: catalogue.IndicatorSpec | None
    yearly_spec: catalogue.IndicatorSpec | None
    try:
        quarterly = catalogue.indicator(str(row["quarterly_code"]))
        yearly_spec = catalogue.indicator(str(row["code"]))
    except KeyError:
        quarterly = yearly_spec = None
    if (
        quarterly is not None
        and yearly_spec is not None
        and catalogue.target_of(quarterly) != catalogue.target_of(yearly_spec)
    ):
        target = catalogue.target_of(quarterly)
        said = "no target" if target is None else ragmod.format_value(target, unit)
        text += f"; quarterly target {said} ({quarterly.target_note})"
    if bool(row["differs"]):
        yearly = _parts(row["value"], row["numerator"], row["denominator"], unit)
        text += f"; differs from the yearly {yearly}: to reconcile (Data quality)"
    return text


def annual_table(
    rows: pd.DataFrame, *, with_notes: bool = True, quarters: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A year's brief (`brief.annual_brief` rows) as people read it: columns `COLUMNS`.

    Figures as the brief formats them (rates and percentages to one decimal place, counts whole);
    `with_notes=False` drops the staff-only note (partners' comments) for youth views. With
    `quarters` (`annual_figures.annual_against_quarters` of the year) a "From the quarters"
    column follows the figure, for the annual figures whose quarterly measure is declared.
    """
    columns = [c for c in COLUMNS if with_notes or c not in STAFF_ONLY]
    said = {}
    if quarters is not None and not quarters.empty:
        said = {str(r["code"]): quarters_words(r) for _, r in quarters.iterrows()}
    if said:
        columns.insert(columns.index("Figure") + 1, "From the quarters")
    if rows.empty:
        return pd.DataFrame(columns=columns)
    records = [row for _, row in rows.iterrows()]  # once: each row becomes a Series
    table = pd.DataFrame(
        {
            "Indicator": rows["name"].astype(str),
            "Figure": rows["display_value"].astype(str),
            "Unit": [UNIT_LABELS.get(str(u), str(u)) for u in rows["unit"]],
            "Year before": [year_before_words(r) for r in records],
            "Change": [change_words(r) for r in records],
            "RAG": [rag_words(r) for r in records],
            "Target": [target_words(r) for r in records],
            "SPC": rows["spc_display"].astype(str),
            "Note": rows["note"].fillna("").astype(str),
            "From the quarters": [said.get(str(c), "") for c in rows["code"]],
        }
    )
    return table[columns].reset_index(drop=True)


def heading_of(code: str, theme_name: str | None = None) -> str | None:
    """The heading an annual figure is listed under: the catalogue's `heading` where declared
    (children in care, care leavers, the workforce are not the front door's), else
    `theme_name`."""
    try:
        spec = catalogue.indicator(code)
    except KeyError:
        return theme_name
    return spec.heading or theme_name


def by_heading(rows: pd.DataFrame) -> list[tuple[str | None, pd.DataFrame]]:
    """A year's brief rows split by heading: the theme's own figures first (heading None), then
    each declared heading in catalogue order."""
    if rows.empty:
        return [(None, rows)]
    headings = [heading_of(str(c)) for c in rows["code"]]
    order = [None] + [h for h in dict.fromkeys(headings) if h is not None]
    out = []
    for heading in order:
        part = rows[[h == heading for h in headings]]
        if not part.empty:
            out.append((heading, part.reset_index(drop=True)))
    return out


def chart_description(name: str, unit: str, periods: list[str], values: list) -> str:
    """The text under a year-on-year chart: what is plotted, the years, the latest figure."""
    shown = [
        (p, v) for p, v in zip(periods, values, strict=True) if ragmod.as_number(v) is not None
    ]
    if not shown:
        return f"No annual figures for {name}."
    (first, _), (last, latest) = shown[0], shown[-1]
    return (
        f"Line chart of {name} by year, {first} to {last}; latest "
        f"{ragmod.format_value(latest, unit)} in {last}."
    )


# --- quarterly measures rolled up to a financial year ------------------------------------------

# How the year is made, in words: the catalogue's declaration (`data_access.rollup.TIME_WORDS`),
# the same words wherever a rolled-up year is shown.
ROLLUP_RULES = rollup.TIME_WORDS
ROLLUP_COLUMNS = ["Indicator", "Year", "Year before", "Change", "How the year is made"]


def _year_figure(value: object, unit: str, quarters: int, reason: object = None) -> str:
    if ragmod.as_number(value) is None:
        if quarters < 4:
            return f"part-year ({quarters} of 4 quarters)"
        if isinstance(reason, str) and reason.startswith(rollup.TIME_WORDS[rollup.NOT_ROLLED_UP]):
            return "not rolled up"
        if isinstance(reason, str) and reason:
            return f"not worked out: {reason}"
        return "not worked out: the quarters' numerators and denominators are missing"
    return ragmod.format_value(value, unit)


def _column(rows: pd.DataFrame, name: str) -> list[object]:
    return list(rows[name]) if name in rows.columns else [None] * len(rows)


def _how_made(rows: pd.DataFrame) -> list[str]:
    """The catalogue's rule in words for each row (`rule_words`, else the kind's own words)."""
    if "rule_words" in rows.columns:
        return [str(w) for w in rows["rule_words"]]
    return [rollup.rule_words(str(r)) for r in rows["rule"]]


def rollup_table(rows: pd.DataFrame) -> pd.DataFrame:
    """`annual_figures.year_rollups` rows in words: the year, the year before, the change on it
    (`rag.change` with the measure's polarity, as the brief words a change) and the rule.

    A year missing any quarter is a part-year and has no figure: never compared."""
    if rows.empty:
        return pd.DataFrame(columns=ROLLUP_COLUMNS)
    changes = []
    for _, row in rows.iterrows():
        unit = str(row["unit"])
        diff = ragmod.change(row["value"], row["previous_value"], str(row["polarity"]))
        if diff.difference is None:
            changes.append("no comparison")
            continue
        text = f"{ragmod.format_change(diff, unit)} on {row['previous_year_code']}"
        if diff.judgement in ("better", "worse"):
            text += f" ({diff.judgement})"
        changes.append(text)
    return pd.DataFrame(
        {
            "Indicator": rows["name"].astype(str),
            "Year": [
                _year_figure(v, str(u), int(q), r)
                for v, u, q, r in zip(
                    rows["value"],
                    rows["unit"],
                    rows["quarters"],
                    _column(rows, "reason"),
                    strict=True,
                )
            ],
            "Year before": [
                _year_figure(v, str(u), int(q), r)
                for v, u, q, r in zip(
                    rows["previous_value"],
                    rows["unit"],
                    rows["previous_quarters"],
                    _column(rows, "previous_reason"),
                    strict=True,
                )
            ],
            "Change": changes,
            "How the year is made": _how_made(rows),
        }
    )[ROLLUP_COLUMNS]
