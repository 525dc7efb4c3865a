"""Altair / Vega-Lite charts to PNG, offline, through vl-convert (no browser, no internet).

Pack charts are drawn at the size they are printed: one CSS pixel of the chart is one CSS pixel of
the A4 page (0.75 pt), so a 13 px label prints at 9.75 pt. The screen charts' specs are reused and
adapted here, never edited where they are built: a fixed width and height, horizontal quarter
labels thinned to a few (one a year on long series), and a y axis fitted to the data and limits
rather than starting at zero.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import vl_convert

from dashboard.board_pack.model import PackChart

# A board pack is read on paper and on a projector: a plain font, dark ink, no interactivity.
# Sizes are CSS px at print size; 12 px = 9 pt, the smallest text the pack prints.
PACK_FONT = "Liberation Sans"
LABEL_PX = 13
TITLE_PX = 15
PACK_CHART_CONFIG: dict[str, Any] = {
    "font": PACK_FONT,
    "background": "white",
    "axis": {
        "labelFontSize": LABEL_PX,
        "titleFontSize": LABEL_PX,
        "labelColor": "#0B0C0C",
        "titleColor": "#0B0C0C",
        "labelFont": PACK_FONT,
        "titleFont": PACK_FONT,
    },
    "legend": {
        "labelFontSize": LABEL_PX,
        "titleFontSize": LABEL_PX,
        "labelFont": PACK_FONT,
        "titleFont": PACK_FONT,
        "orient": "bottom",
        "labelLimit": 0,
    },
    "title": {
        "fontSize": TITLE_PX,
        "subtitleFontSize": LABEL_PX,
        "color": "#0B0C0C",
        "subtitleColor": "#505A5F",
        "anchor": "start",
        "font": PACK_FONT,
        "subtitleFont": PACK_FONT,
        "limit": 0,
    },
}
# Enough pixels for print (2 x 96 dpi = 192 dpi) without making the file heavy.
DEFAULT_SCALE = 2.0
# Printed sizes (CSS px, whole chart including axes, title and legend). A4 landscape with 15 mm
# margins leaves 1009 px of width: trend charts sit two to a row, the control chart has the row.
TREND_SIZE = (490, 240)
CONTROL_SIZE = (1000, 250)
# Roughly how much room one quarter label ("2025-26 Q1" at 13 px) needs, with a gap.
LABEL_ROOM_PX = 95
# Room for one legend entry (symbol and a label such as "Statistical neighbours").
LEGEND_ENTRY_PX = 160
QUARTER_RE = re.compile(r"Q([1-4])$")


def spec_of(chart: Any) -> dict:
    """A Vega-Lite dict from an altair chart or an existing spec dict."""
    if isinstance(chart, dict):
        return chart
    return chart.to_dict()


def is_control_chart(chart: PackChart) -> bool:
    """Control charts get a full-width row in the PDF and a slide of their own."""
    return any(text.lower().startswith("control chart") for text in (chart.title, chart.alt_text))


def size_for(chart: PackChart) -> tuple[int, int]:
    """The printed (width, height) of `chart` in CSS px."""
    return CONTROL_SIZE if is_control_chart(chart) else TREND_SIZE


def label_subset(labels: list[str], room_px: int) -> list[str]:
    """The quarter labels to print: all when they fit, else every 2nd, 4th or 8th.

    Quarters are thinned on the calendar, not by position: with every 4th, only Q1s are labelled
    (one label a year); with every 2nd, Q1 and Q3. Labels that are not quarters are thinned from
    the latest backwards, so the latest point is always labelled.
    """
    fits = max(2, room_px // LABEL_ROOM_PX)
    if len(labels) <= fits:
        return list(labels)
    for step in (2, 4, 8, 12, 16, 20):
        if -(-len(labels) // step) <= fits:
            break
    quarters = [QUARTER_RE.search(label) for label in labels]
    if all(quarters) and step in (2, 4):
        keep = {"2": ("1", "3"), "4": ("1",)}[str(step)]
        return [
            label
            for label, q in zip(labels, quarters, strict=True)
            if q is not None and q.group(1) in keep
        ]
    if all(quarters) and step % 4 == 0:
        q1s = [
            label
            for label, q in zip(labels, quarters, strict=True)
            if q is not None and q.group(1) == "1"
        ]
        years = step // 4
        return q1s[::-1][::years][::-1]
    return labels[::-1][::step][::-1]


def _views(spec: dict) -> list[dict]:
    """Every unit view of a (possibly layered) spec, the top level included."""
    out = [spec]
    for layer in spec.get("layer", []) or []:
        out += _views(layer)
    return out


def _x_labels(spec: dict) -> list[str]:
    for view in _views(spec):
        x = (view.get("encoding") or {}).get("x") or {}
        if isinstance(x.get("sort"), list) and x["sort"]:
            return [str(v) for v in x["sort"]]
    return []


def _fit_y(y: dict) -> None:
    """Scale the y axis to the data (and limits, which share the scale), not from zero."""
    scale = y.setdefault("scale", {})
    domain = scale.get("domain")
    # The screen charts pin percentages to 0-100; at print size that flattens every line.
    if isinstance(domain, list) and len(domain) == 2 and domain[0] == 0:
        scale.pop("domain")
    if "domain" not in scale:
        scale["zero"] = False
        scale["nice"] = True


def for_print(spec: dict, width: int, height: int) -> dict:
    """A copy of `spec` laid out for paper at `width` x `height` CSS px (axes and legend included).

    The y axis is fitted to the data and limits, the quarter labels are horizontal and few, and
    the pack's fonts and sizes replace the screen's.
    """
    spec = json.loads(json.dumps(spec))  # a deep copy the caller's chart never sees
    spec.pop("usermeta", None)
    spec["width"], spec["height"] = width, height
    # "fit" makes width/height the size of the whole chart, so the printed size is exact.
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    labels = _x_labels(spec)
    # The plot area is the width less the y axis (~70 px): that is the room the labels share.
    shown = label_subset(labels, width - 70) if labels else []
    for view in _views(spec):
        encoding = view.get("encoding") or {}
        x, y = encoding.get("x"), encoding.get("y")
        if isinstance(x, dict) and x.get("field") == "quarter":
            axis = x.get("axis") or {}
            axis.update({"labelAngle": 0, "labelOverlap": False, "labelPadding": 4})
            if shown and len(shown) < len(labels):
                axis["values"] = shown
            x["axis"] = axis
        if isinstance(y, dict) and y.get("type") == "quantitative":
            _fit_y(y)
    config = spec.setdefault("config", {})
    for key, value in PACK_CHART_CONFIG.items():
        if isinstance(value, dict):
            config[key] = {**(config.get(key) or {}), **value}
        else:
            config[key] = value
    # A one-row legend wider than the chart is cut off: wrap it into as many columns as fit.
    config["legend"]["columns"] = max(2, width // LEGEND_ENTRY_PX)
    title = spec.get("title")
    if isinstance(title, dict):
        # Titles carry their own fonts and sizes from the screen theme; print sizes win.
        for key in ("font", "subtitleFont", "fontSize", "subtitleFontSize"):
            title.pop(key, None)
    return spec


def to_png(
    chart: Any,
    *,
    scale: float = DEFAULT_SCALE,
    width: int = TREND_SIZE[0],
    height: int = TREND_SIZE[1],
) -> bytes:
    """Render an altair chart (or Vega-Lite dict) to PNG bytes at print size, offline."""
    spec = for_print(spec_of(chart), width, height)
    return vl_convert.vegalite_to_png(spec, scale=scale, allowed_base_urls=[])


def with_png(chart: PackChart, *, scale: float = DEFAULT_SCALE) -> PackChart:
    """The same PackChart with its PNG rendered (unchanged if it already has one)."""
    if chart.png is not None:
        return chart
    width, height = size_for(chart)
    return dataclasses.replace(
        chart, png=to_png(chart.spec, scale=scale, width=width, height=height)
    )
