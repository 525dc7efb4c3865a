"""A KPI tile: the figure, its change, its RAG badge, its SPC label and its comparators."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import streamlit as st

from dashboard.components.plain import escape_markdown
from dashboard.components.rag import badge_html, rag_badge_html, variation_badge_html
from dashboard.components.terms import help_text
from dashboard.metrics import rag as ragmod
from dashboard.metrics.scorecard import UNUSUAL_WORDS


def _delta_colour(polarity: str) -> Literal["normal", "inverse", "off"]:
    colours: dict[str, Literal["normal", "inverse"]] = {
        "higher_is_better": "normal",
        "lower_is_better": "inverse",
    }
    return colours.get(polarity, "off")


def comparator_text(row: Mapping[str, Any]) -> str:
    """'England 85.0% · Statistical neighbours 83.2%', or '' when neither is known."""
    parts = []
    for key, label in (("england", "England"), ("stat_neighbours", "Statistical neighbours")):
        value = ragmod.as_number(row.get(key))
        if value is not None:
            parts.append(f"{label} {ragmod.format_value(value, row['unit'])}")
    return " · ".join(parts)


def kpi_tile(row: Mapping[str, Any], *, key: str | None = None) -> None:
    """Render one scorecard row (see `dashboard.metrics.scorecard`) as a bordered tile."""
    with st.container(border=True, key=key):
        quarter_delta = (
            row["change_display"]
            if row.get("change") is not None and ragmod.as_number(row.get("change")) is not None
            else None
        )
        unit = str(row["unit"])
        # Long units would truncate the big number, so they move into the label.
        long_unit = (
            unit in ("rate_per_10k", "days") and ragmod.as_number(row.get("value")) is not None
        )
        label = (
            f"{row['name']} ({ragmod.UNIT_SUFFIX[unit].strip()})"
            if long_unit and ragmod.UNIT_SUFFIX[unit].strip() not in str(row["name"])
            else str(row["name"])
        )
        symbol, qualifier = row.get("status_symbol"), row.get("qualifier")
        value = (
            ragmod.format_figure(
                row["value"],
                unit,
                symbol=symbol if isinstance(symbol, str) else None,
                qualifier=qualifier if isinstance(qualifier, str) else None,
                with_unit=False,
            )
            if long_unit
            else str(row["display_value"])
        )
        badges = (
            rag_badge_html(str(row["rag"])) + " " + variation_badge_html(str(row["spc_variation"]))
        )
        mark = row.get("unusual_mark")
        if isinstance(mark, str) and mark:
            # Held as unusual and confirmed: flagged on the figure itself and first under it (a
            # big number has no room for the words); who confirmed it and when is in the note.
            value = f"{value} ⚑"
            badges = badge_html("⚑", UNUSUAL_WORDS, "#ffdd00", "#0b0c0c") + " " + badges
        st.metric(
            label=label,
            value=value,
            delta=f"{quarter_delta} on last quarter" if quarter_delta else None,
            delta_color=_delta_colour(str(row["polarity"])),
            help=f"Quarter {row['period_code']}. "
            + help_text("rag", "pp", "common_cause", "special_cause"),
        )
        st.markdown(badges, unsafe_allow_html=True)
        lines = []
        if ragmod.as_number(row.get("year_ago_change")) is not None:
            lines.append(f"{row['year_ago_display']} on the same quarter last year")
        target = ragmod.as_number(row.get("target"))
        if target is not None and row["polarity"] != "neutral":
            lines.append(f"Target {ragmod.format_value(target, str(row['unit']))}")
        comparators = comparator_text(row)
        if comparators:
            lines.append(comparators)
        if row.get("run_display"):
            lines.append(str(row["run_display"]))
        if row.get("spc_assurance") not in (None, "not enough data", "no target"):
            lines.append(f"Assurance: {row['spc_assurance']}")
        if lines:
            st.caption(" · ".join(lines))
        note = row.get("figure_note")
        if isinstance(note, str) and note:
            # The partner's comment is their text: shown as written, never as Markdown.
            st.caption(f"Note on this figure: {escape_markdown(note)}")
