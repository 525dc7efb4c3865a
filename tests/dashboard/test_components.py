"""Chart builders and badges: titles, tooltips, axes in the indicator's unit, text with colour."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.components import charts
from dashboard.components.rag import RAG_STYLES, rag_badge_html, rag_label, variation_label
from dashboard.metrics import spc


def spec_of(chart) -> dict:
    # Pages skip the Vega-Lite schema check for speed; the tests make it for every chart shape.
    return chart.to_dict(validate=True)


def layers_with(spec: dict, key: str) -> list[dict]:
    return [layer for layer in spec.get("layer", [spec]) if key in layer.get("encoding", {})]


def series() -> pd.DataFrame:
    return pd.DataFrame(
        {"period_code": ["2024-25 Q1", "2024-25 Q2", "2024-25 Q3"], "value": [80.0, 85.0, 78.0]}
    )


def test_trend_chart_percentage_axis_target_and_comparators() -> None:
    comparators = pd.DataFrame(
        {
            "period_code": ["2024-25 Q2", "2024-25 Q3"],
            "comparator_type": ["england", "england"],
            "value": [83.0, 84.0],
        }
    )
    spec = spec_of(
        charts.trend_chart(
            series(),
            name="Decisions in a day",
            unit="percentage",
            target=90,
            comparators=comparators,
        )
    )
    assert spec["title"]["text"] == "Decisions in a day"
    points = [layer for layer in layers_with(spec, "tooltip") if layer["mark"]["type"] == "point"]
    assert points, "every point needs a tooltip"
    # Fitted to the data (issue 26), not a fixed 0-100 axis that flattens the line.
    assert points[0]["encoding"]["y"]["scale"].get("zero") is False
    assert "domain" not in points[0]["encoding"]["y"]["scale"]
    assert points[0]["encoding"]["y"]["title"] == "Percentage (%)"
    text = json.dumps(spec)
    assert "England" in text and "This partnership" in text
    assert '"series": "Target"' in text and "90.0%" in text


def test_rate_axis_is_labelled_per_10000() -> None:
    spec = spec_of(charts.trend_chart(series(), name="Referral rate", unit="rate_per_10k"))
    layer = layers_with(spec, "y")[0]
    assert layer["encoding"]["y"]["title"] == "Rate per 10,000 children"
    assert "domain" not in layer["encoding"]["y"].get("scale", {})


def test_days_axis() -> None:
    spec = spec_of(charts.trend_chart(series(), name="Days", unit="days"))
    assert layers_with(spec, "y")[0]["encoding"]["y"]["title"] == "Working days"


def test_spc_chart_has_limits_and_signal_categories() -> None:
    result = spc.xmr(
        [5, 15, 5, 15, 5, 15, 5, 15, 5, 60],
        polarity="higher_is_better",
        target=20,
        labels=[f"Q{i}" for i in range(10)],
    )
    frame = charts.spc_frame(result, "higher_is_better", "count")
    assert frame.iloc[-1]["category"] == "Improving special cause"
    assert frame.iloc[0]["category"] == "Common cause"
    spec = spec_of(
        charts.spc_chart(
            result, name="Learners", unit="count", polarity="higher_is_better", target=20
        )
    )
    text = json.dumps(spec)
    for label in ("Average", "Upper process limit", "Lower process limit", "Target"):
        assert label in text
    assert spec["title"]["text"] == "Control chart: Learners"


def test_bar_breakdown_and_sparkline() -> None:
    data = pd.DataFrame({"group_name": ["North", "South"], "value": [12.0, 30.0]})
    spec = spec_of(
        charts.bar_breakdown(
            data, category="group_name", value="value", title="By locality", unit="count"
        )
    )
    assert spec["title"]["text"] == "By locality"
    assert layers_with(spec, "tooltip")
    spark = spec_of(charts.sparkline([1, 2, None, 4], ["a", "b", "c", "d"]))
    assert spark["height"] == 40


def test_rag_badges_always_carry_text() -> None:
    for rating, (symbol, label, background, _colour) in RAG_STYLES.items():
        html = rag_badge_html(rating)
        assert label in html and symbol in html and background in html
        assert rag_label(rating).split(" ", 1)[1]  # a word, not only a symbol
    assert rag_label("red") == "✖ Red"
    assert variation_label(spc.CONCERNING) == "! concerning special cause"


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_badge_contrast_meets_wcag_aa() -> None:
    from dashboard.components.rag import VARIATION_STYLES

    for _, _, background, colour in [*RAG_STYLES.values(), *VARIATION_STYLES.values()]:
        light, dark = sorted((_luminance(background), _luminance(colour)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (background, colour)


def test_bar_breakdown_draws_only_the_largest_bars() -> None:
    data = pd.DataFrame({"group_name": [f"Agency {i}" for i in range(40)], "value": range(40)})
    spec = spec_of(
        charts.bar_breakdown(data, category="group_name", value="value", title="T", unit="count")
    )
    drawn = next(iter(spec["datasets"].values()))
    assert len(drawn) == charts.MAX_BARS
    assert min(row["value"] for row in drawn) == 40 - charts.MAX_BARS
    assert "25 largest of 40" in spec["title"]["subtitle"]


def test_bar_breakdown_selects_a_category_on_click_only_when_asked() -> None:
    import pandas as pd

    from dashboard.components import charts

    data = pd.DataFrame({"group_name": ["North", "South"], "value": [5.0, 3.0]})
    plain = charts.bar_breakdown(
        data, category="group_name", value="value", title="t", unit="count"
    )
    pickable = charts.bar_breakdown(
        data, category="group_name", value="value", title="t", unit="count", pick="bar_pick"
    )
    assert "bar_pick" not in str(plain.to_dict(validate=True))
    spec = pickable.to_dict(validate=True)
    # Altair lifts a layer's selection to the top level of a layered chart.
    params = spec.get("params", []) + [p for lay in spec["layer"] for p in lay.get("params", [])]
    assert params and params[0]["name"] == "bar_pick"
    assert params[0]["select"]["fields"] == ["group_name"]


def test_pages_skip_the_schema_check_that_tests_make() -> None:
    import altair as alt

    data = pd.DataFrame({"group_name": ["North", "South"], "value": [5.0, 3.0]})
    chart = charts.bar_breakdown(
        data, category="group_name", value="value", title="t", unit="count"
    )
    assert isinstance(chart, alt.TopLevelMixin)
    broken = chart.copy()
    broken["height"] = "tall"  # not a valid height
    broken.to_dict()  # what Streamlit calls: no check
    with pytest.raises(alt.utils.schemapi.SchemaValidationError):
        broken.to_dict(validate=True)


def test_charts_of_equal_figures_are_built_once() -> None:
    data = pd.DataFrame({"group_name": ["North", "South"], "value": [5.0, 3.0]})
    first = charts.bar_breakdown(
        data, category="group_name", value="value", title="t", unit="count"
    )
    again = charts.bar_breakdown(
        data.copy(), category="group_name", value="value", title="t", unit="count"
    )
    assert again is first
    changed = data.assign(value=[5.0, 4.0])
    other = charts.bar_breakdown(
        changed, category="group_name", value="value", title="t", unit="count"
    )
    assert other is not first
    assert "4.0" in str(other.to_dict(validate=True))
    assert "4.0" not in str(first.to_dict(validate=True))
    retitled = charts.bar_breakdown(
        data, category="group_name", value="value", title="u", unit="count"
    )
    assert retitled is not first
