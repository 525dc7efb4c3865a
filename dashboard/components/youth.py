"""Large, readable text and plain-language cards for the youth council's pages."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from dashboard.components.plain import escape_inline, escape_markdown
from dashboard.metrics.suppression import SUPPRESSION_EXPLANATION

# Modest and scoped to the main area: larger base text, generous line height, dark text on white
# (contrast well above 4.5:1), and a visible focus ring for keyboard users.
YOUTH_CSS = """
<style>
[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] .stMarkdown li,
[data-testid="stMain"] label p, [data-testid="stMain"] [data-testid="stCaptionContainer"] p {
  font-size: 1.2rem; line-height: 1.6;
}
[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] .stMarkdown li { color: #0b0c0c; }
[data-testid="stMain"] textarea, [data-testid="stMain"] input { font-size: 1.15rem; }
[data-testid="stMain"] [data-testid="stTable"] td,
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td p { font-size: 1.1rem; color: #0b0c0c; }
[data-testid="stMain"] h1 { font-size: 2.4rem; }
[data-testid="stMain"] h2 { font-size: 1.9rem; margin-top: 1.2rem; }
[data-testid="stMain"] h3 { font-size: 1.45rem; }
[data-testid="stMain"] a:focus, [data-testid="stMain"] button:focus-visible,
[data-testid="stMain"] textarea:focus, [data-testid="stMain"] input:focus {
  outline: 3px solid #ffdd00; outline-offset: 0;
}
.youth-rating { display: inline-block; font-weight: 700; padding: 0.1rem 0.6rem;
  border-radius: 0.3rem; border: 2px solid #0b0c0c; background: #ffffff; color: #0b0c0c; }
</style>
"""

# A symbol and words for each self-rating (never colour alone).
RATING_SYMBOLS = {"green": "✔", "amber": "◐", "red": "✖"}


def inject_youth_styles() -> None:
    """Add the youth pages' larger-text CSS (once per run, before any content)."""
    st.markdown(YOUTH_CSS, unsafe_allow_html=True)


def rating_html(rating: str, words: str) -> str:
    """The self-rating as a bordered label: a symbol (hidden from screen readers) and words."""
    symbol = RATING_SYMBOLS.get(rating, "")
    return (
        f'<span class="youth-rating"><span aria-hidden="true">{symbol}</span> '
        f"{html.escape(words)}</span>"
    )


def date_words(value: object) -> str:
    """'3 March 2025' from a date or timestamp ('' when missing)."""
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def agency_said_card(row: pd.Series, *, heading_level: int = 3) -> None:
    """What one agency said about itself for one standard, and what it promised to improve."""
    marker = "#" * heading_level
    with st.container(border=True):
        st.markdown(f"{marker} {escape_inline(row['agency'])}")
        st.markdown(rating_html(row["rating"], row["youth_rating"]), unsafe_allow_html=True)
        st.markdown(f"**What they told us:** {escape_markdown(row['evidence_summary'])}")
        promise = row.get("improvement_action")
        if isinstance(promise, str) and promise.strip():
            st.markdown(f"**What they promised to do better:** {escape_markdown(promise)}")
        else:
            st.markdown(
                "**What they promised to do better:** They did not say they needed to "
                "change anything for this standard."
            )


def suppression_note() -> None:
    """The explanation of `c` and the other symbols, in plain words."""
    st.markdown(SUPPRESSION_EXPLANATION)
