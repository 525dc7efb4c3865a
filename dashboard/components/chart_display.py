"""Showing an Altair chart on a page: one way to give every chart its text alternative."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from dashboard.components.plain import escape_markdown

if TYPE_CHECKING:
    from streamlit.elements.vega_charts import AltairChart


def show_chart(
    chart: AltairChart,
    description: str,
    *,
    key: str | None = None,
    caption: bool = True,
    **altair_options: Any,
) -> Any:
    """Draw `chart` full width with `description` as its alt text and, by default, as a caption.

    The caption puts the same words on screen for people who cannot see the chart well; it is
    escaped because descriptions name agencies and localities read from the store. Extra options
    (`on_select`, `selection_mode`) pass through to `st.altair_chart`, whose return value (a
    selection event when `on_select` is set) is returned.
    """
    event = st.altair_chart(
        chart, width="stretch", theme=None, key=key, alt=description, **altair_options
    )
    if caption:
        st.caption(escape_markdown(description))
    return event


def picked_category(event: object, param: str, field: str) -> str | None:
    """The category a chart click selected (`event.selection[param]`), or None."""
    selection = getattr(event, "selection", None) or {}
    points = selection.get(param) if hasattr(selection, "get") else None
    if not points:
        return None
    value = points[0].get(field) if hasattr(points[0], "get") else None
    return str(value) if value is not None else None
