"""A remembered chart becomes a Vega-Lite spec once; later reruns get the same spec and data."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
import streamlit.elements.vega_charts as vega_charts

from dashboard.components import charts


def _breakdown(values: range) -> alt.LayerChart:
    data = pd.DataFrame({"agency": [f"Agency {i}" for i in values], "figure": list(values)})
    return charts.bar_breakdown(
        data, category="agency", value="figure", title="Figures", unit="count", target=5
    )


def test_the_second_conversion_reuses_the_spec_and_its_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chart = _breakdown(range(12))
    first = vega_charts._convert_altair_to_vega_lite_spec(chart)
    assert first["datasets"], "Streamlit's transformer turned the data into Arrow bytes"

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("Altair built the spec again")

    monkeypatch.setattr(alt.LayerChart, "to_dict", fail)
    second = vega_charts._convert_altair_to_vega_lite_spec(chart)
    assert second == first  # the same spec, datasets (Arrow bytes) included


def test_a_changed_copy_of_the_spec_does_not_change_the_next_one() -> None:
    chart = _breakdown(range(5))
    shown = vega_charts._convert_altair_to_vega_lite_spec(chart)
    shown["title"] = "changed by a caller"
    shown["layer"].clear()
    again = vega_charts._convert_altair_to_vega_lite_spec(chart)
    assert again.get("title") != "changed by a caller" and again["layer"]


def test_other_data_makes_another_spec_and_the_schema_check_still_runs() -> None:
    few = vega_charts._convert_altair_to_vega_lite_spec(_breakdown(range(3)))
    more = vega_charts._convert_altair_to_vega_lite_spec(_breakdown(range(4)))
    assert few["datasets"] != more["datasets"]
    assert _breakdown(range(4)).to_dict(validate=True)["layer"]  # asked for: checked, not kept


def test_the_audit_charts_are_built_once_for_the_same_figures() -> None:
    from dashboard.views import audits_parts as audit_views

    pair = pd.DataFrame(
        {
            "measure": ["Child's voice heard", "Plan is SMART"],
            "before_pct": [40.0, None],
            "after_pct": [75.0, 50.0],
        }
    )
    first = audit_views.reaudit_chart(pair, title="A1 before and after")
    assert audit_views.reaudit_chart(pair.copy(), title="A1 before and after") is first
    assert audit_views.reaudit_chart(pair, title="A2 before and after") is not first
    grades = pd.DataFrame(
        {"label": ["Good", "Inadequate"], "cases": [3, 1], "share_pct": [75.0, 25.0]}
    )
    assert audit_views.grade_chart(grades) is audit_views.grade_chart(grades.copy())
