"""Altair / Vega-Lite charts to PNG, offline, through vl-convert (no browser, no internet)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import vl_convert

from dashboard.board_pack.model import PackChart

# A board pack is read on paper and on a projector: a plain font, dark ink, no interactivity.
PACK_CHART_CONFIG: dict[str, Any] = {
    "font": "Liberation Sans",
    "background": "white",
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": "#0B0C0C",
             "titleColor": "#0B0C0C"},
    "legend": {"labelFontSize": 12, "titleFontSize": 13},
    "title": {"fontSize": 15, "color": "#0B0C0C", "anchor": "start"},
}
DEFAULT_SCALE = 2.0


def spec_of(chart: Any) -> dict:
    """A Vega-Lite dict from an altair chart or an existing spec dict."""
    if isinstance(chart, dict):
        return chart
    return chart.to_dict()


def _for_print(spec: dict, width: int | None, height: int | None) -> dict:
    spec = json.loads(json.dumps(spec))  # a deep copy the caller's chart never sees
    # "container" widths (Streamlit's use_container_width) have no meaning offline.
    if width is not None and spec.get("width") in (None, "container"):
        spec["width"] = width
    # Screen charts are tall; on a page three sit side by side, so the height is set for print.
    if height is not None:
        spec["height"] = height
    spec.pop("usermeta", None)
    return spec


def to_png(chart: Any, *, scale: float = DEFAULT_SCALE, width: int | None = 420,
           height: int | None = 170) -> bytes:
    """Render an altair chart (or Vega-Lite dict) to PNG bytes, offline."""
    spec = _for_print(spec_of(chart), width, height)
    return vl_convert.vegalite_to_png(spec, scale=scale, config=PACK_CHART_CONFIG,
                                      allowed_base_urls=[])


def with_png(chart: PackChart, *, scale: float = DEFAULT_SCALE) -> PackChart:
    """The same PackChart with its PNG rendered (unchanged if it already has one)."""
    if chart.png is not None:
        return chart
    return dataclasses.replace(chart, png=to_png(chart.spec, scale=scale))
