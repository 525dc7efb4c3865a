"""The youth council's themes page: what the partnership is doing, in plain words."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import youth
from dashboard.components.plain import escape_html
from dashboard.metrics import brief, youth_verdicts
from dashboard.metrics.suppression import format_count, format_rate, is_symbol, symbols_in
from dashboard.session import CurrentUser
from data_access import catalogue, challenges, learning, youth_texts
from data_access.indicators import latest_partnership_values, periods_with_data
from data_access.periods import Quarter

PAGE = "youth_themes"

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


def value_words(
    value: object, numerator: object, denominator: object, symbol: object, unit: str
) -> str:
    """A figure as young people see it: symbols kept, small counts as c, rates to 1 decimal.

    A percentage or rate whose numerator, denominator or the difference between them is from
    1 to 5 is suppressed too, since it reveals a small number of children.
    """
    if is_symbol(symbol):
        return str(symbol)
    if unit == "count":
        return format_count(value)
    shown = format_rate(value, numerator=numerator, denominator=denominator)
    return shown + UNIT_WORDS[unit] if not is_symbol(shown) else shown


# What the staff pages' verdict means, in plain words (no figure: those are shown above with
# small numbers hidden).
VERDICT_WORDS = {
    youth_verdicts.GOING_WELL: "the numbers show this is meeting the partnership's aim",
    youth_verdicts.NOT_GOING_WELL: "the numbers show this needs more work",
}


def verdict_lines(
    theme_brief: pd.DataFrame | None, specs: list[catalogue.IndicatorSpec]
) -> dict[str, list[str]]:
    """Plain lines for "What is going well" / "What is not going well yet" from the quarter
    brief's verdicts (`youth_verdicts`, the staff pages' rule), for the theme's youth measures."""
    words = {spec.code: spec.youth for spec in specs if spec.youth}
    out: dict[str, list[str]] = {youth_verdicts.GOING_WELL: [], youth_verdicts.NOT_GOING_WELL: []}
    if theme_brief is None or theme_brief.empty:
        return out
    chosen = youth_verdicts.sections(theme_brief, list(words))
    for category, codes in chosen.items():
        out[category] = [f"{words[code].rstrip('.')}: {VERDICT_WORDS[category]}." for code in codes]
    return out


def render(user: CurrentUser) -> None:
    """Render the youth council's themes page for `user` (call after the page's guard)."""
    youth.inject_youth_styles()
    youth.youth_viewer(user, PAGE, cache.frame(challenges.youth_members))

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
            "Which three months",
            list(reversed(codes)),
            key="yt_period",
            format_func=lambda code: Quarter.parse(code).months_label(),
        )

    values = (
        cache.frame(latest_partnership_values, period_code=period_code) if period_code else None
    )
    verdicts = (
        cache.frame(brief.quarter_brief, period_code=period_code, headline_only=True)
        if period_code
        else None
    )
    approved = cache.frame(youth_texts.approved_texts, subject="theme_point")
    learned = learned_by_theme()
    approved_by_key = dict(zip(approved["subject_key"], approved["text"], strict=True))
    shown_figures: list[str] = []

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
                    first["value"],
                    first["numerator"],
                    first.get("denominator"),
                    first["status_symbol"],
                    spec.unit,
                )
                shown_figures.append(figure)
                lines.append(f"- **{figure}**: {spec.youth}")
            st.markdown("\n".join(lines) if lines else "No numbers for these three months yet.")

        if period_code is not None:
            # "Going well" / "not going well yet" start from the staff pages' verdicts.
            from_numbers = verdict_lines(
                verdicts,
                [i for i in catalogue.indicators(theme.code) if i.headline and i.youth],
            )
            for category, heading in SECTIONS:
                st.subheader(heading)
                text = approved_by_key.get(
                    youth_texts.theme_point_key(theme.code, period_code, category)
                )
                numbers = from_numbers.get(category, [])
                if not text and not numbers:
                    st.markdown("The partnership has not written this in plain words yet.")
                    continue
                # Approved text is still someone's typing: escaped, one point per line.
                points = numbers + [
                    line.strip() for line in (text or "").splitlines() if line.strip()
                ]
                st.markdown(
                    '<ul class="youth-text">'
                    + "".join(f"<li>{escape_html(p)}</li>" for p in points)
                    + "</ul>",
                    unsafe_allow_html=True,
                )

        # What the partnership learned from reviews and changed: approved plain words only.
        if learned.get(theme.code):
            st.subheader("What the partnership learned and changed")
            st.markdown(
                '<ul class="youth-text">'
                + "".join(f"<li>{escape_html(p)}</li>" for p in learned[theme.code])
                + "</ul>",
                unsafe_allow_html=True,
            )

    symbols = symbols_in([f.split("%")[0].split(" ")[0] for f in shown_figures])
    if symbols:
        st.header("What the symbols mean")
        youth.legend(symbols)


def learned_by_theme() -> dict[str, list[str]]:
    """Approved youth texts about reviews' learning, by the themes the reviews concern; staff
    texts never (the review's own summary is not read here)."""
    texts = cache.frame(youth_texts.approved_texts, subject="learning")
    if texts.empty:
        return {}
    reviews = cache.frame(learning.learning_for_young_people)
    themes_of = dict(zip(reviews["key"], reviews["theme_codes"], strict=True))
    out: dict[str, list[str]] = {}
    for key, text in zip(texts["subject_key"], texts["text"], strict=True):
        for code in themes_of.get(key, ()):
            out.setdefault(code, []).extend(
                line.strip() for line in str(text).splitlines() if line.strip()
            )
    return out
