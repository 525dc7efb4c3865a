"""Charts and text for the audit findings page (Altair specs live here, not in the page)."""

from __future__ import annotations

import numbers

import altair as alt
import pandas as pd

from dashboard.components.charts import (
    BAR_BAND_PX,
    BLUE,
    DARK,
    FONT,
    GREEN,
    GREY,
    ORANGE,
    RED,
    _finish,
    _layer,
    bar_band_px,
    category_axis,
    remembered,
)
from dashboard.metrics import quantity_words

# Grade colours run from green to red, and every bar also carries its grade name and count.
GRADE_COLOURS = {
    "Outstanding": GREEN,
    "Good": BLUE,
    "Requires improvement": ORANGE,
    "Inadequate": RED,
}


def grade_text(grades: pd.DataFrame) -> str:
    """The grade distribution in words, 'Good: 2 cases (50.0%); ...': the chart's text twin."""
    total = int(grades["cases"].sum())
    if total == 0:
        return "No cases have been graded."
    parts = [
        f"{row.label}: {row.cases} case{'s' if row.cases != 1 else ''} ({row.share_pct:.1f}%)"
        for row in grades.itertuples(index=False)
    ]
    return f"{total} cases graded. " + "; ".join(parts) + "."


@remembered
def grade_chart(grades: pd.DataFrame, *, title: str = "Case grades") -> alt.LayerChart:
    """Horizontal bars of cases per grade, best grade first, each labelled with count and share."""
    frame = grades.copy()
    frame["display"] = [
        f"{row.cases} ({row.share_pct:.1f}%)" for row in frame.itertuples(index=False)
    ]
    order = list(GRADE_COLOURS)
    y = alt.Y("label:N", sort=order, title=None, axis=category_axis())
    x = alt.X("cases:Q", title="Number of cases", axis=alt.Axis(tickMinStep=1))
    base = alt.Chart(frame)
    bars = base.mark_bar().encode(
        x=x,
        y=y,
        color=alt.Color(
            "label:N",
            legend=None,
            scale=alt.Scale(domain=order, range=list(GRADE_COLOURS.values())),
        ),
        tooltip=[alt.Tooltip("label:N", title="Grade"), alt.Tooltip("display:N", title="Cases")],
    )
    labels = base.mark_text(align="left", dx=4, color=DARK, font=FONT, fontSize=12).encode(
        x=x, y=y, text="display:N"
    )
    return _finish(
        _layer(bars, labels),
        title,
        "Number of cases (share of cases graded), by grade",
        max(150, BAR_BAND_PX * len(order)),
    )


@remembered
def reaudit_chart(comparison: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Before and after bars for each measure of one re-audit pair (grey before, blue after)."""
    frame = comparison.melt(
        id_vars=["measure"],
        value_vars=["before_pct", "after_pct"],
        var_name="when",
        value_name="pct",
    )
    frame["when"] = frame["when"].map(
        {"before_pct": "Before (first audit)", "after_pct": "After (re-audit)"}
    )
    frame["display"] = frame["pct"].map(lambda v: "no cases" if pd.isna(v) else f"{v:.1f}%")
    measures = list(dict.fromkeys(comparison["measure"]))
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("measure:N", sort=measures, title=None, axis=category_axis(measures)),
            yOffset=alt.YOffset("when:N", sort=["Before (first audit)", "After (re-audit)"]),
            x=alt.X("pct:Q", title="Share of cases (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "when:N",
                title=None,
                scale=alt.Scale(
                    domain=["Before (first audit)", "After (re-audit)"], range=[GREY, BLUE]
                ),
            ),
            tooltip=[
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("when:N", title="When"),
                alt.Tooltip("display:N", title="Share"),
            ],
        )
    )
    labels = (
        alt.Chart(frame)
        .mark_text(align="left", dx=3, color=DARK, font=FONT, fontSize=11)
        .encode(
            y=alt.Y("measure:N", sort=measures),
            yOffset=alt.YOffset("when:N", sort=["Before (first audit)", "After (re-audit)"]),
            x="pct:Q",
            text="display:N",
        )
    )
    return _finish(
        _layer(chart, labels),
        title,
        "Before and after, share of cases (%)",
        max(200, 2 * bar_band_px(measures) * len(measures)),
    )


def comparison_text(comparison: pd.DataFrame) -> str:
    """The before/after comparison in words, for screen readers and the chart's caption."""
    parts = []
    for row in comparison.itertuples(index=False):
        before = "no cases" if pd.isna(row.before_pct) else f"{row.before_pct:.1f}%"
        after = "no cases" if pd.isna(row.after_pct) else f"{row.after_pct:.1f}%"
        parts.append(f"{row.measure}: {before} before, {after} after")
    return "; ".join(parts) + "."


def _count(value: object) -> int | None:
    """A count from the store (None, NaN or a number) as an int, or None."""
    if not isinstance(value, numbers.Real) or value != value:  # None, text or NaN
        return None
    return int(float(value))


def finding_parts(text: str, cases_seen: object, cases_sampled: object) -> tuple[str, str, str]:
    """A finding as the page shows it: (staff's words, the product's count words, a QA note).

    The counts are the finding's own columns (`cases_seen` of `cases_sampled`), never read from
    its text; the count words are written by the product from them ("seen in 1 of 7 cases: a
    few"), with `quantity_words.quantity_phrase`; the note is "" unless the staff's own quantity
    word contradicts the counts ('The words say "nearly every" but it was seen in 1 of 7 cases (a
    few).'), for the QA officer to correct. A finding without counts is shown as written.
    """
    seen, of = _count(cases_seen), _count(cases_sampled)
    if seen is None or of is None:
        return text, "", ""
    case = "case" if of == 1 else "cases"
    counts = f"seen in {seen} of {of} {case}: {quantity_words.quantity_phrase(seen, of)}"
    return text, counts, quantity_words.contradiction_note(text, seen, of)
