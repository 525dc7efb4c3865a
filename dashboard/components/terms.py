"""Plain explanations of statistical terms next to where they appear, from the one glossary.

`dashboard.metrics.glossary` declares each term once; pages, meeting mode and the pack explain a
term in the same words.
"""

from __future__ import annotations

import streamlit as st

from dashboard.metrics import glossary

# The terms a scorecard shows (RAG, change in pp, SPC variation and assurance, comparators).
SCORECARD_TERMS = (
    "rag",
    "pp",
    "quarter_running",
    "control_chart",
    "common_cause",
    "special_cause",
    "consistently_passing",
    "consistently_failing",
    "hit_and_miss",
    "process_changed",
    "england",
    "stat_neighbours",
)


def help_text(*keys: str) -> str:
    """The meanings of `keys` as one help text (for a column or a metric tooltip)."""
    return " ".join(f"{t.label}: {t.meaning}" for t in glossary.explain(*keys))


def terms_expander(
    *keys: str, title: str = "What these terms mean", key: str | None = None
) -> None:
    """An expander listing each term with its plain explanation."""
    with st.expander(title, expanded=False, key=key):
        st.markdown("\n".join(f"- **{t.label}**: {t.meaning}" for t in glossary.explain(*keys)))
