"""RAG and SPC badges: a text label and a symbol on an accessible colour, never colour alone."""

from __future__ import annotations

import html

import streamlit as st

from dashboard.metrics import rag as ragmod
from dashboard.metrics import spc

# (symbol, label, background, text colour): every pair has a contrast ratio of at least 4.5:1.
RAG_STYLES = {
    ragmod.RED: ("✖", "Red: missing target", "#d4351c", "#ffffff"),
    ragmod.AMBER: ("▲", "Amber: close to target", "#f47738", "#0b0c0c"),
    ragmod.GREEN: ("✔", "Green: on target", "#00703c", "#ffffff"),
    ragmod.NOT_JUDGED: (
        "↕",
        "Not judged: the figure is a bound either side of the target",
        "#f3f2f1",
        "#0b0c0c",
    ),
    ragmod.NO_TARGET: ("–", "No target (context measure)", "#f3f2f1", "#0b0c0c"),
    ragmod.NO_DATA: ("?", "No data", "#f3f2f1", "#0b0c0c"),
}
VARIATION_STYLES = {
    spc.IMPROVING: ("↑", "Improving special cause", "#1d70b8", "#ffffff"),
    spc.CONCERNING: ("!", "Concerning special cause", "#b35900", "#ffffff"),
    spc.NEITHER: ("◆", "Special cause (neither improving nor concerning)", "#4c2c92", "#ffffff"),
    spc.COMMON: ("~", "Common cause variation", "#505a5f", "#ffffff"),
    spc.NOT_ENOUGH: ("…", "Not enough data for SPC", "#f3f2f1", "#0b0c0c"),
}
SHORT_RAG = ragmod.RAG_WORDS


def badge_html(symbol: str, label: str, background: str, colour: str) -> str:
    """An inline badge: symbol and text on a coloured background, with a border for light ones."""
    return (
        f'<span class="qa-badge" role="img" aria-label="{html.escape(label)}" '
        f'style="background:{background};color:{colour};padding:2px 8px;border-radius:4px;'
        f'border:1px solid #0b0c0c33;font-weight:600;font-size:0.9rem;white-space:nowrap">'
        f'<span aria-hidden="true">{symbol}</span> {html.escape(label)}</span>'
    )


def rag_label(rag: str) -> str:
    """Text label of a RAG rating, for tables ("✖ Red", "▲ Amber", "✔ Green", "– No target")."""
    symbol = RAG_STYLES.get(rag, RAG_STYLES[ragmod.NO_DATA])[0]
    return f"{symbol} {SHORT_RAG.get(rag, rag)}"


def variation_label(variation: str) -> str:
    """Text label of an SPC variation, for tables."""
    symbol = VARIATION_STYLES.get(variation, VARIATION_STYLES[spc.NOT_ENOUGH])[0]
    return f"{symbol} {variation}"


def rag_badge_html(rag: str) -> str:
    return badge_html(*RAG_STYLES.get(rag, RAG_STYLES[ragmod.NO_DATA]))


def variation_badge_html(variation: str) -> str:
    return badge_html(*VARIATION_STYLES.get(variation, VARIATION_STYLES[spc.NOT_ENOUGH]))


def rag_badge(rag: str) -> None:
    """Show a RAG badge."""
    st.markdown(rag_badge_html(rag), unsafe_allow_html=True)


def variation_badge(variation: str) -> None:
    """Show an SPC variation badge."""
    st.markdown(variation_badge_html(variation), unsafe_allow_html=True)
