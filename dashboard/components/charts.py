"""Altair chart builders returning `alt.Chart` objects (no streamlit here).

Every chart has a title, a tooltip on every mark, and axes labelled in the indicator's unit
(percentages, rates "per 10,000 children", timeliness in working days).
Lines differ by dash as well as colour so they can be told apart without colour.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import altair as alt
import pandas as pd

from dashboard.metrics import rag as ragmod
from dashboard.metrics import spc

BLUE, DARK, GREY = "#1d70b8", "#0b0c0c", "#505a5f"
RED, ORANGE, GREEN, PURPLE = "#d4351c", "#b35900", "#00703c", "#4c2c92"
AXIS_TITLES = {
    "percentage": "Percentage (%)",
    "rate_per_10k": "Rate per 10,000 children",
    "days": "Working days",
    "count": "Number",
    "score": "Score",
}
SERIES_LABELS = {
    "partnership": "This partnership",
    "england": "England",
    "statistical_neighbours": "Statistical neighbours",
    "region": "Region",
}
SERIES_COLOURS = [BLUE, DARK, PURPLE, GREY]
SERIES_DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]]
POINT_CATEGORIES = {
    "improving": ("Improving special cause", BLUE, "triangle-up"),
    "concerning": ("Concerning special cause", ORANGE, "diamond"),
    "neither": ("Special cause (neither)", PURPLE, "square"),
    "common": ("Common cause", GREY, "circle"),
}
FONT = "Arial, Helvetica, sans-serif"
MAX_BARS = 25


# Checking every chart against the Vega-Lite JSON schema took over a quarter of a warm page
# render. The builders below make the same shapes whatever the data, and the chart tests check
# each shape (`to_dict(validate=True)`), so pages skip the check: when a chart is built...
alt.utils.schemapi.disable_debug_mode()


# ...and a chart turns itself into a spec once. A remembered chart (below) is shown again on every
# rerun of every session, and Altair's `to_dict()` (deep copies of the whole chart, the data
# turned into Arrow bytes by Streamlit's data transformer) was the largest share of a warm theme
# page. The spec is kept with the datasets the transformer made for it, per theme and transformer.
_SPEC = "_qa_spec"


def _spec_once(
    chart: alt.TopLevelMixin,
    compute: Callable[[], dict[str, Any]],
    validate: bool,
    kwargs: dict[str, Any],
) -> dict[str, Any]:
    if validate or kwargs:
        return compute()
    transformers = alt.data_transformers
    datasets = transformers.options.get("datasets")
    datasets = datasets if isinstance(datasets, dict) else None
    context = (alt.theme.active, transformers.active)
    kept = chart.__dict__.get(_SPEC)
    if kept is not None and kept[0] == context and (datasets is not None or not kept[2]):
        _, spec, made = kept
        if datasets is not None:
            datasets.update(made)
        return copy.deepcopy(spec)
    before = set(datasets or ())
    spec = compute()
    made = {name: data for name, data in (datasets or {}).items() if name not in before}
    # SchemaBase keeps assigned attributes as chart properties; the spec goes beside them.
    chart.__dict__[_SPEC] = (context, copy.deepcopy(spec), made)
    return spec


class _UncheckedChart(alt.Chart):
    """An alt.Chart whose `to_dict()` skips the schema check unless asked for it."""

    def to_dict(self, validate: bool = False, **kwargs: Any) -> dict[str, Any]:
        return _spec_once(
            self,
            lambda: super(_UncheckedChart, self).to_dict(validate=validate, **kwargs),
            validate,
            kwargs,
        )


class _UncheckedLayerChart(alt.LayerChart):
    """An alt.LayerChart whose `to_dict()` skips the schema check unless asked for it."""

    def to_dict(self, validate: bool = False, **kwargs: Any) -> dict[str, Any]:
        return _spec_once(
            self,
            lambda: super(_UncheckedLayerChart, self).to_dict(validate=validate, **kwargs),
            validate,
            kwargs,
        )


_UNCHECKED: dict[type, type] = {
    alt.Chart: _UncheckedChart,
    alt.LayerChart: _UncheckedLayerChart,
}


_Chart = TypeVar("_Chart", bound=alt.Chart | alt.LayerChart)


def _unchecked(chart: _Chart) -> _Chart:
    """...and when Streamlit turns it into a spec (its `altair_chart` calls `to_dict()`)."""
    unchecked = _UNCHECKED.get(type(chart))
    if unchecked is not None:
        # SchemaBase stores attribute assignments as chart properties; set the class directly.
        object.__setattr__(chart, "__class__", unchecked)
    return chart


# Built charts, by builder and arguments. A warm page rerun asks for the same charts of the same
# figures; building them again took a large share of the run. Charts are not changed once built
# (Altair's methods return copies), so one object can serve every session.
_BUILT: OrderedDict[bytes, Any] = OrderedDict()
_BUILT_MAX = 512
_BUILT_LOCK = threading.Lock()
_Builder = TypeVar("_Builder", bound=Callable[..., Any])


def remembered(builder: _Builder) -> _Builder:
    """Return the chart built before from equal arguments (compared by their pickled bytes)."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> Any:
        try:
            key = hashlib.sha256(
                pickle.dumps((builder.__qualname__, args, sorted(kwargs.items())), protocol=5)
            ).digest()
        except Exception:  # noqa: BLE001 - an argument that cannot be pickled: build afresh
            return builder(*args, **kwargs)
        with _BUILT_LOCK:
            if key in _BUILT:
                _BUILT.move_to_end(key)
                return _BUILT[key]
        chart = builder(*args, **kwargs)
        with _BUILT_LOCK:
            _BUILT[key] = chart
            while len(_BUILT) > _BUILT_MAX:
                _BUILT.popitem(last=False)
        return chart

    return build  # type: ignore[return-value]


def _layer(*charts: Any) -> alt.LayerChart:
    """`alt.layer`, whose result is a FacetChart only when every layer has the same facet
    encoding (`row`, `column`, `facet`); no chart here has one."""
    return cast(alt.LayerChart, alt.layer(*charts))


# The look every chart shares, made once: `configure_axis` and friends would each copy the whole
# chart (and check each setting against the schema) for every chart built.
_CONFIG = alt.Config(
    axis=alt.AxisConfig(
        labelColor=DARK,
        titleColor=DARK,
        labelFont=FONT,
        titleFont=FONT,
        labelFontSize=12,
        titleFontSize=12,
        gridColor="#e5e6e7",
    ),
    legend=alt.LegendConfig(
        labelColor=DARK,
        titleColor=DARK,
        labelFont=FONT,
        titleFont=FONT,
        orient="bottom",
        labelFontSize=12,
        # Never cut a series name short; wrap a long legend onto rows instead.
        labelLimit=0,
        columns=3,
    ),
    view=alt.ViewConfig(strokeWidth=0),
)


def _finish(chart: _Chart, title: str, subtitle: str | None = None, height: int = 260) -> _Chart:
    """The chart with its title, height, full width and the shared look (`_CONFIG`): what
    `.properties(...).configure_axis(...).configure_legend(...).configure_view(...)` gives, set
    on one shallow copy (the chart tests check the shape against the schema)."""
    heading = alt.TitleParams(
        text=title,
        subtitle=subtitle or "",
        anchor="start",
        fontSize=15,
        color=DARK,
        subtitleColor=GREY,
        font=FONT,
        subtitleFont=FONT,
    )
    finished = cast(_Chart, chart.copy(deep=False))
    finished.title = heading
    finished.height = height
    finished.width = "container"
    finished.config = _CONFIG.copy(deep=True)
    return _unchecked(finished)


# Vega drops category labels it thinks overlap and cuts long ones at 180 px: a bar without its
# name cannot be read, so category axes keep every label, whole up to `CATEGORY_LABEL_PX`.
CATEGORY_LABEL_PX = 320
BAR_LABEL_ROOM = 0.18  # the value axis runs this much past the longest bar: room for its label
BAR_BAND_PX = 30  # height per horizontal bar: room for a 12 px label and the gap between bars


WRAP_LABEL_CHARS = 34  # longer category names are drawn on two or more lines


def category_axis(values: Sequence[object] = (), **kwargs: object) -> alt.Axis:
    """An axis for categories (agencies, sectors, grades, quarters) that shows every label whole:
    no label dropped for overlap, and names longer than `WRAP_LABEL_CHARS` wrapped onto lines."""
    import json
    import textwrap

    settings: dict[str, Any] = {
        "labelOverlap": False,
        "labelLimit": CATEGORY_LABEL_PX,
        "labelPadding": 6,
    }
    long_names = {
        str(v): textwrap.wrap(str(v), WRAP_LABEL_CHARS)
        for v in dict.fromkeys(values)
        if len(str(v)) > WRAP_LABEL_CHARS
    }
    if long_names:
        # A Vega label given as a list of strings is drawn one string per line.
        settings["labelExpr"] = f"{json.dumps(long_names)}[datum.label] || datum.label"
    settings.update(kwargs)
    return alt.Axis(**settings)


def bar_band_px(values: Sequence[object]) -> int:
    """Height per horizontal bar: more when a name is wrapped onto several lines."""
    lines = max((-(-len(str(v)) // WRAP_LABEL_CHARS) for v in values), default=1)
    return max(BAR_BAND_PX, 15 * lines + 8)


def y_scale(unit: str, values: Sequence[float] = ()) -> alt.Scale:
    """The value axis of a line chart: fitted to the data (and the target, drawn as a series of
    its own), not from zero; a percentage between 71% and 80% on a 0-100 axis was a flat line.
    Vega rounds the ends to nice numbers."""
    return alt.Scale(zero=False, nice=True)


def bar_scale(unit: str, values: Sequence[float] = ()) -> alt.Scale:
    """The value axis of a bar chart: from zero (a bar's length is its value), a percentage up
    to 100 at most, with room past the longest bar for its value label."""
    numbers = [float(v) for v in values if v is not None and not pd.isna(v)]
    low = min(numbers, default=0.0)
    high = max(numbers, default=0.0)
    if low < 0:
        return alt.Scale(zero=True, nice=True)
    top = high * (1 + BAR_LABEL_ROOM) if high > 0 else 1.0
    if unit == "percentage":
        top = min(max(top, 1.0), 100.0 * (1 + BAR_LABEL_ROOM))
    return alt.Scale(domain=[0, top], nice=True, zero=True)


def axis_title(unit: str) -> str:
    return AXIS_TITLES.get(unit, unit)


def _display(values: pd.Series, unit: str) -> list[str]:
    return [ragmod.format_value(v, unit) for v in values]


def trend_frame(series: pd.DataFrame, comparators: pd.DataFrame | None, unit: str) -> pd.DataFrame:
    """Long table for a trend chart: quarter, order, series, value, display."""
    parts = []
    ours = series.dropna(subset=["value"])
    if not ours.empty:
        parts.append(
            pd.DataFrame(
                {
                    "quarter": ours["period_code"].astype(str),
                    "series": SERIES_LABELS["partnership"],
                    "value": ours["value"].astype(float),
                }
            )
        )
    if comparators is not None and not comparators.empty:
        quarters = set(series["period_code"].astype(str))
        shown = comparators[comparators["period_code"].astype(str).isin(quarters)]
        for kind, rows in shown.groupby("comparator_type", sort=False):
            parts.append(
                pd.DataFrame(
                    {
                        "quarter": rows["period_code"].astype(str),
                        "series": SERIES_LABELS.get(str(kind), str(kind)),
                        "value": rows["value"].astype(float),
                    }
                )
            )
    if not parts:
        return pd.DataFrame(columns=["quarter", "series", "value", "display"])
    long = pd.concat(parts, ignore_index=True)
    long["display"] = _display(long["value"], unit)
    return long


@remembered
def trend_chart(
    series: pd.DataFrame,
    *,
    name: str,
    unit: str,
    target: float | None = None,
    comparators: pd.DataFrame | None = None,
    title: str | None = None,
    height: int = 260,
    period_title: str = "Quarter",
) -> alt.Chart | alt.LayerChart:
    """Line chart of an indicator by quarter, with the target line and comparator lines.

    `series`: period_code, value (in date order). `comparators`: period_code, comparator_type,
    value. Every point has a tooltip (quarter, series, value in its unit). `period_title` names
    the x axis ("Year" for annual figures).
    """
    long = trend_frame(series, comparators, unit)
    order = list(dict.fromkeys(series["period_code"].astype(str)))
    goal = ragmod.as_number(target)
    if goal is not None and order:
        # The target is drawn as a series of its own so it appears in the legend and tooltips.
        target_rows = pd.DataFrame(
            {
                "quarter": order,
                "series": "Target",
                "value": goal,
                "display": ragmod.format_value(goal, unit),
            }
        )
        long = pd.concat([long, target_rows], ignore_index=True)
    names = list(dict.fromkeys(long["series"])) or [SERIES_LABELS["partnership"]]
    colours = [
        GREEN if n == "Target" else c for n, c in zip(names, SERIES_COLOURS * 2, strict=False)
    ]
    dashes = [
        [3, 3] if n == "Target" else d for n, d in zip(names, SERIES_DASHES * 2, strict=False)
    ]
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=names, range=colours))
    dash = alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=names, range=dashes))
    x = alt.X("quarter:N", sort=order, title=period_title, axis=alt.Axis(labelAngle=-40))
    y = alt.Y("value:Q", title=axis_title(unit), scale=y_scale(unit, list(long["value"])))
    tooltip = [
        alt.Tooltip("quarter:N", title=period_title),
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("display:N", title=name[:60]),
    ]
    base = alt.Chart(long)
    lines = base.mark_line(strokeWidth=2.5, interpolate="linear").encode(
        x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip
    )
    points = (
        base.transform_filter(alt.datum.series != "Target")
        .mark_point(filled=True, size=55)
        .encode(x=x, y=y, color=colour, shape=alt.Shape("series:N", legend=None), tooltip=tooltip)
    )
    return _finish(_layer(lines, points), title or name, None, height)


SPC_CATEGORY_OF_POINT = {
    spc.POINT_IMPROVEMENT: "improving",
    spc.POINT_CONCERN: "concerning",
    spc.POINT_NEUTRAL_HIGH: "neither",
    spc.POINT_NEUTRAL_LOW: "neither",
    spc.POINT_COMMON: "common",
}
# Labels of the vertical markers on a control chart.
REBASE_MARK = "Change in process: new limits"
BASELINE_END_MARK = "End of baseline"


def spc_frame(result: spc.XmRResult, polarity: str, unit: str) -> pd.DataFrame:
    """One row per point of an XmR chart: quarter, value, category, rule, and the point's own
    segment, mean and limits (they step where a change in the process was recorded)."""
    names = spc.rule_names(result.settings)
    rows = []
    for i, (value, label) in enumerate(zip(result.values, result.labels, strict=True)):
        kind = result.point_types[i] if i < len(result.point_types) else spc.POINT_COMMON
        category = SPC_CATEGORY_OF_POINT[kind]
        rules = result.point_rules(i)
        segment = result.segment_of(i)
        number = result.segments.index(segment) if segment is not None else 0
        rows.append(
            {
                "quarter": label,
                "value": value,
                "display": ragmod.format_value(value, unit),
                "category": POINT_CATEGORIES[category][0],
                "rules": "; ".join(names[r] for r in rules) or "none",
                "segment": number,
                "in_baseline": segment is not None and i < segment.baseline_end,
                "mean": result.point_mean[i] if result.point_mean else result.mean,
                "upper": result.point_upper[i] if result.point_upper else result.upper_limit,
                "lower": result.point_lower[i] if result.point_lower else result.lower_limit,
            }
        )
    return pd.DataFrame(rows)


def spc_domain(
    result: spc.XmRResult, unit: str, target: float | None = None
) -> tuple[float, float] | None:
    """A y-axis range covering every value, every segment's limits and the target, with a little
    room; a percentage never runs below 0 or above 100."""
    levels = [*result.values, *(target,)] + [
        v for seg in result.segments for v in (seg.mean, seg.upper_limit, seg.lower_limit)
    ]
    numbers = [float(v) for v in levels if v is not None]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    pad = (high - low) * 0.05 or max(abs(high) * 0.05, 1.0)
    low, high = low - pad, high + pad
    if unit == "percentage":
        low, high = max(low, 0.0), min(high, 100.0)
    elif min(numbers) >= 0:
        low = max(low, 0.0)  # counts and rates cannot be negative
    return low, high


@remembered
def spc_chart(
    result: spc.XmRResult,
    *,
    name: str,
    unit: str,
    polarity: str,
    target: float | None = None,
    height: int = 280,
) -> alt.Chart | alt.LayerChart:
    """An XmR chart: values, mean (solid) and process limits (dashed) stepping at each recorded
    change in the process, the target, vertical markers where a baseline ends or a change
    starts new limits, and coloured signals.

    The y axis covers the values, limits and target, not zero, so the limits can be told apart.
    Signal points differ by shape as well as colour (improving triangle, concerning diamond).
    """
    points = spc_frame(result, polarity, unit)
    order = list(points["quarter"]) if not points.empty else []
    goal = ragmod.as_number(target)
    shown_target = goal if (goal is not None and polarity != "neutral") else None
    domain = spc_domain(result, unit, shown_target)
    scale = (
        alt.Scale(zero=False, domain=list(domain), nice=False) if domain else alt.Scale(zero=False)
    )
    x = alt.X("quarter:N", sort=order, title="Quarter", axis=alt.Axis(labelAngle=-40))
    y = alt.Y("value:Q", title=axis_title(unit), scale=scale)
    names = [v[0] for v in POINT_CATEGORIES.values()]
    base = alt.Chart(points)
    # One line per segment, so the process line breaks at a change (the reference's default).
    line = base.mark_line(color=GREY, strokeWidth=1.5).encode(x=x, y=y, detail="segment:N")
    dots = base.mark_point(filled=True, size=80, opacity=1).encode(
        x=x,
        y=y,
        color=alt.Color(
            "category:N",
            title="Variation",
            scale=alt.Scale(domain=names, range=[v[1] for v in POINT_CATEGORIES.values()]),
        ),
        shape=alt.Shape(
            "category:N",
            title="Variation",
            scale=alt.Scale(domain=names, range=[v[2] for v in POINT_CATEGORIES.values()]),
        ),
        tooltip=[
            alt.Tooltip("quarter:N", title="Quarter"),
            alt.Tooltip("display:N", title="Value"),
            alt.Tooltip("category:N", title="Variation"),
            alt.Tooltip("rules:N", title="Signals"),
        ],
    )
    layers: list[alt.Chart] = [line, dots]
    if result.segments and not points.empty:
        steps = []
        for column, label in (
            ("mean", "Average"),
            ("upper", "Upper process limit"),
            ("lower", "Lower process limit"),
        ):
            part = points[["quarter", "segment", column]].rename(columns={column: "level"})
            part = part.dropna(subset=["level"])
            part["label"] = label
            part["display"] = [ragmod.format_value(v, unit) for v in part["level"]]
            steps.append(part)
        levels = pd.concat(steps, ignore_index=True)
        for label, dash_pattern, colour in (
            ("Average", [1, 0], DARK),
            ("Upper process limit", [5, 4], GREY),
            ("Lower process limit", [5, 4], GREY),
        ):
            layers.append(
                alt.Chart(levels[levels["label"] == label])
                .mark_line(color=colour, strokeDash=dash_pattern, strokeWidth=1.5, clip=True)
                .encode(
                    x=x,
                    y=alt.Y("level:Q", title=axis_title(unit), scale=scale),
                    detail="segment:N",
                    tooltip=[
                        alt.Tooltip("label:N", title="Line"),
                        alt.Tooltip("quarter:N", title="Quarter"),
                        alt.Tooltip("display:N", title="Value"),
                    ],
                )
            )
    if shown_target is not None:
        data = pd.DataFrame(
            {
                "level": [shown_target],
                "label": ["Target"],
                "display": [ragmod.format_value(shown_target, unit)],
            }
        )
        layers.append(
            alt.Chart(data)
            .mark_rule(color=GREEN, strokeDash=[2, 3], strokeWidth=1.5)
            .encode(
                y=alt.Y("level:Q", title=axis_title(unit), scale=scale),
                tooltip=[
                    alt.Tooltip("label:N", title="Line"),
                    alt.Tooltip("display:N", title="Value"),
                ],
            )
        )
    markers = spc_markers(result)
    if not markers.empty:
        rule = alt.Chart(markers).mark_rule(color=PURPLE, strokeWidth=2, strokeDash=[8, 3])
        layers.append(
            rule.encode(
                x=alt.X("quarter:N", sort=order),
                tooltip=[
                    alt.Tooltip("mark:N", title="Marker"),
                    alt.Tooltip("quarter:N", title="Quarter"),
                ],
            )
        )
        layers.append(
            alt.Chart(markers)
            .mark_text(
                align="left",
                baseline="top",
                dx=4,
                dy=4,
                color=PURPLE,
                font=FONT,
                fontSize=12,
                fontWeight="bold",
            )
            .encode(x=alt.X("quarter:N", sort=order), y=alt.value(0), text="mark:N")
        )
    return _finish(_layer(*layers), f"Control chart: {name}", spc_subtitle(result), height)


def spc_markers(result: spc.XmRResult) -> pd.DataFrame:
    """Where a segment's baseline ends before the segment does, and where a recorded change in
    the process starts new limits: quarter and the marker's text."""
    rows = []
    for seg in result.segments:
        if seg.rebased:
            rows.append({"quarter": result.labels[seg.start], "mark": REBASE_MARK})
        if seg.baseline_end < seg.end:
            rows.append({"quarter": result.labels[seg.baseline_end - 1], "mark": BASELINE_END_MARK})
    return pd.DataFrame(rows, columns=["quarter", "mark"])


def spc_subtitle(result: spc.XmRResult) -> str:
    """The latest point's variation and assurance, and a trial-limits warning when it applies."""
    if not result.enough_data:
        return "Too few quarters for process limits: no signals judged"
    text = f"{result.variation.capitalize()}; {result.assurance}"
    seg = result.latest_segment
    if result.short_warning and seg is not None:
        text += f". Trial limits: fewer than {result.settings.warning_points} quarters ({seg.size})"
    return text


@remembered
def sparkline(
    values: Sequence[Any],
    labels: Sequence[str] | None = None,
    unit: str = "count",
    height: int = 40,
    width: int = 140,
) -> alt.Chart:
    """A small line of recent quarters with a tooltip on each point (no axes)."""
    numbers = [ragmod.as_number(v) for v in values]
    quarters = list(labels) if labels is not None else [str(i + 1) for i in range(len(numbers))]
    data = pd.DataFrame({"quarter": quarters, "value": numbers})
    data["display"] = _display(data["value"], unit)
    x = alt.X("quarter:N", sort=quarters, axis=None)
    y = alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False, nice=True))
    base = alt.Chart(data)
    # Straight lines between the quarters: a smoothed curve invents values between them.
    line = base.mark_line(color=BLUE, strokeWidth=2, interpolate="linear").encode(x=x, y=y)
    dots = base.mark_point(color=BLUE, filled=True, size=18).encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("quarter:N", title="Quarter"),
            alt.Tooltip("display:N", title="Value"),
        ],
    )
    return (
        alt.layer(line, dots).properties(height=height, width=width).configure_view(strokeWidth=0)
    )


@remembered
def bar_breakdown(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    unit: str,
    target: float | None = None,
    category_title: str | None = None,
    height: int | None = None,
    max_bars: int = MAX_BARS,
    pick: str | None = None,
    total: int | None = None,
) -> alt.Chart | alt.LayerChart:
    """Horizontal bars per category (agency, locality, source...) with tooltips and labels.

    Only the `max_bars` largest are drawn (a large partnership has hundreds of agencies); the
    subtitle then says so, and the table beside the chart keeps every row. `total` is how many
    there are when `data` already holds only the largest (the store picked them). With `pick`,
    clicking a bar selects its category through a point-selection parameter of that name.
    """
    frame = data[[category, value]].copy()
    subtitle = axis_title(unit)
    if len(frame) > max_bars:
        frame = frame.nlargest(max_bars, value)
    of = max(len(data), total or 0)
    if of > len(frame):
        subtitle = f"{subtitle}; the {len(frame)} largest of {of:,} shown"
    frame["display"] = _display(frame[value], unit)
    order = list(frame.sort_values(value, ascending=False)[category])
    # No axis title beside the names: the chart's title says what the bars are, and a title there
    # was drawn over long agency names.
    y = alt.Y(f"{category}:N", sort=order, title=None, axis=category_axis(order))
    x = alt.X(
        f"{value}:Q",
        title=axis_title(unit),
        scale=bar_scale(unit, list(frame[value])),
        axis=alt.Axis(tickCount=5, labelOverlap=True),
    )
    base = alt.Chart(frame)
    bars = base.mark_bar(color=BLUE).encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip(f"{category}:N", title=category_title or category),
            alt.Tooltip("display:N", title="Value"),
        ],
    )
    if pick:
        bars = bars.add_params(alt.selection_point(name=pick, fields=[category], on="click"))
    labels = base.mark_text(align="left", dx=3, color=DARK, font=FONT, fontSize=11).encode(
        x=x, y=y, text="display:N"
    )
    layers: list[alt.Chart] = [bars, labels]
    goal = ragmod.as_number(target)
    if goal is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"target": [goal]}))
            .mark_rule(color=GREEN, strokeDash=[4, 4], strokeWidth=2)
            .encode(x="target:Q")
        )
    rows = max(len(frame), 1)
    band = bar_band_px(order)
    return _finish(_layer(*layers), title, subtitle, height or max(120, band * rows))


@remembered
def stacked_bars(
    data: pd.DataFrame,
    *,
    x: str,
    value: str,
    colour: str,
    title: str,
    unit: str = "count",
    x_order: Sequence[str] | None = None,
    colour_order: Sequence[str] | None = None,
    colours: Sequence[str] | None = None,
    x_title: str = "Quarter",
    height: int = 260,
) -> alt.Chart:
    """Stacked bars (e.g. risk levels by quarter, contacts by outcome per source), with tooltips."""
    frame = data.copy()
    frame["display"] = _display(frame[value], unit)
    domain = list(colour_order) if colour_order else list(dict.fromkeys(frame[colour]))
    palette = (
        list(colours) if colours else [RED, ORANGE, BLUE, GREEN, PURPLE, GREY, DARK][: len(domain)]
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                f"{x}:N",
                sort=list(x_order) if x_order else None,
                title=x_title,
                # Many quarters: upright labels, so that every bar keeps its label.
                axis=category_axis(labelAngle=-40 if frame[x].nunique() <= 12 else -90),
            ),
            y=alt.Y(f"sum({value}):Q", title=axis_title(unit)),
            color=alt.Color(
                f"{colour}:N", title=None, scale=alt.Scale(domain=domain, range=palette)
            ),
            order=alt.Order(f"{colour}:N"),
            tooltip=[
                alt.Tooltip(f"{x}:N", title=x_title),
                alt.Tooltip(f"{colour}:N", title="Group"),
                alt.Tooltip("display:N", title="Value"),
            ],
        )
    )
    return _finish(chart, title, axis_title(unit), height)


@remembered
def grouped_lines(
    data: pd.DataFrame,
    *,
    x: str,
    value: str,
    series: str,
    title: str,
    unit: str,
    x_order: Sequence[str] | None = None,
    height: int = 260,
) -> alt.LayerChart:
    """Several lines on one chart (e.g. pre- and post-course knowledge), dashed differently."""
    frame = data.copy()
    frame["display"] = _display(frame[value], unit)
    names = list(dict.fromkeys(frame[series]))
    colour = alt.Color(
        f"{series}:N", title=None, scale=alt.Scale(domain=names, range=SERIES_COLOURS[: len(names)])
    )
    dash = alt.StrokeDash(
        f"{series}:N", title=None, scale=alt.Scale(domain=names, range=SERIES_DASHES[: len(names)])
    )
    xs = alt.X(
        f"{x}:N",
        sort=list(x_order) if x_order else None,
        title="Quarter",
        axis=alt.Axis(labelAngle=-40),
    )
    ys = alt.Y(f"{value}:Q", title=axis_title(unit), scale=y_scale(unit, list(frame[value])))
    base = alt.Chart(frame)
    lines = base.mark_line(strokeWidth=2.5, interpolate="linear").encode(
        x=xs, y=ys, color=colour, strokeDash=dash
    )
    dots = base.mark_point(filled=True, size=50).encode(
        x=xs,
        y=ys,
        color=colour,
        shape=alt.Shape(f"{series}:N", title=None),
        tooltip=[
            alt.Tooltip(f"{x}:N", title="Quarter"),
            alt.Tooltip(f"{series}:N", title="Series"),
            alt.Tooltip("display:N", title="Value"),
        ],
    )
    return _finish(_layer(lines, dots), title, axis_title(unit), height)


SPARK_SIZE = (90, 28)  # px: the trend cell of a table with one-line rows
SPARK_BAND_PX = 34  # the height the line uses


def sparkline_svg(
    values: Sequence[Any], colour: str = BLUE, size: tuple[int, int] = SPARK_SIZE
) -> str:
    """A table cell's sparkline as an SVG data URI: straight lines between the quarters (the
    grid's own line-chart column draws smoothed curves, which invent values between quarters),
    scaled to the values' own range, the latest quarter marked with a dot. '' with no values.

    The grid draws an image as tall as its row and as wide as that makes it, cut at the cell's
    edge: a tall row (wrapped text) needs a tall `size`; the line keeps to a band of
    `SPARK_BAND_PX` across the middle."""
    import base64

    numbers = [ragmod.as_number(v) for v in values]
    points = [(i, v) for i, v in enumerate(numbers) if v is not None]
    if not points:
        return ""
    width, height = size
    pad = max(3.0, (height - SPARK_BAND_PX) / 2)
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    span = (high - low) or 1.0
    last = max(len(numbers) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = 3 + (width - 6) * i / last
        y = height - pad - (height - 2 * pad) * ((v - low) / span if high > low else 0.5)
        return round(x, 1), round(y, 1)

    coords = [xy(i, v) for i, v in points]
    line = " ".join(f"{x},{y}" for x, y in coords)
    end_x, end_y = coords[-1]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><polyline points="{line}" fill="none" '
        f'stroke="{colour}" stroke-width="1.8" stroke-linejoin="miter"/>'
        f'<circle cx="{end_x}" cy="{end_y}" r="2.4" fill="{colour}"/></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
