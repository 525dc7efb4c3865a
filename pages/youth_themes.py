"""What the partnership is doing: each theme in plain words for the youth council.

Each theme's youth text, the headline figures that have a youth description (partnership level
only, small counts shown as `c`), and what is going well, not so well and what happens next.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.components import youth
from dashboard.components.plain import escape_inline
from dashboard.guard import require_page
from dashboard.metrics.suppression import format_count, format_rate, is_symbol
from data_access import assurance, catalogue
from data_access.indicators import latest_partnership_values, periods_with_data

# How each unit reads after the number, in plain words.
UNIT_WORDS = {
    "count": "",
    "percentage": "%",
    "rate_per_10k": " for every 10,000 children",
    "days": " working days",
    "score": "",
}
SECTIONS = (
    ("working_well", "What is going well"),
    ("not_working_well", "What is not going well yet"),
    ("next_steps", "What happens next"),
)

user = require_page("youth_themes")
youth.inject_youth_styles()

st.title("What the partnership is doing")
st.markdown(
    "The safeguarding partnership is the council, the police, the NHS and other organisations "
    "working together to keep children and young people safe. Here is what they are working "
    "on, some of the numbers they watch, and what they say is going well and what is not."
)

periods = cache.frame(periods_with_data)
period_code: str | None = None
if periods.empty:
    st.info("No figures have been published yet, so only the descriptions are shown.")
else:
    codes = list(periods["code"])
    period_code = st.selectbox(
        "Which three months", list(reversed(codes)), key="yt_period",
        help="The partnership's year runs April to March. Q1 is April to June.",
    )


def value_words(value: object, numerator: object, symbol: object, unit: str) -> str:
    """A figure as young people see it: symbols kept, small counts as c, rates to 1 decimal.

    A percentage or rate built on a count from 1 to 5 is suppressed too, since it reveals it.
    """
    if is_symbol(symbol):
        return str(symbol)
    if unit == "count":
        return format_count(value)
    shown = format_rate(value, numerator=numerator)
    return shown + UNIT_WORDS[unit] if not is_symbol(shown) else shown


values = (
    cache.frame(latest_partnership_values, period_code=period_code) if period_code else None
)
items = (
    cache.frame(assurance.summaries, period_code=period_code) if period_code else None
)

for theme in catalogue.themes():
    st.header(theme.name)
    st.markdown(theme.youth)

    figures = [i for i in catalogue.indicators(theme.code) if i.headline and i.youth]
    if figures and values is not None:
        st.subheader("Some of the numbers")
        lines = []
        for spec in figures:
            row = values[values["code"] == spec.code]
            if row.empty:
                continue
            first = row.iloc[0]
            figure = value_words(
                first["value"], first["numerator"], first["status_symbol"], spec.unit
            )
            lines.append(f"- **{figure}**: {spec.youth}")
        st.markdown("\n".join(lines) if lines else "No numbers for these three months yet.")

    if items is not None:
        theme_items = items[items["theme_code"] == theme.code]
        for category, heading in SECTIONS:
            st.subheader(heading)
            points = theme_items[theme_items["category"] == category]["text"].tolist()
            st.markdown("\n".join(f"- {escape_inline(p)}" for p in points) if points
                        else "The partnership has not written this up yet.")

st.header("About the numbers")
youth.suppression_note()
