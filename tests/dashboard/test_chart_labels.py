"""Every bar of every bar chart keeps its label: each chart is rendered to SVG with Vega (through
vl_convert) at the width it has on a 1440 px page and at a narrow width, and every category's
text must be in the drawing, whole."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
import vl_convert as vlc

from dashboard.components import charts
from dashboard.views import audits_parts as audit_views

PAGE_WIDTH = 980  # the main column at 1440 px with the sidebar open
NARROW_WIDTH = 420  # a chart in a column, or a small window

AGENCIES = [
    "Brookvale Community Health (health visiting and school nursing)",
    "Brookvale Council Children's Services",
    "Brookvale Council for Voluntary Service",
    "Brookvale Domestic Abuse Service",
    "Brookvale Homes",
    "Brookvale Hospitals NHS Foundation Trust",
    "Brookvale Primary Schools Partnership",
    "Brookvale Secondary Academies Trust",
    "Midshire Police (Brookvale Division)",
    "Probation Service (Brookvale)",
    "Safe Return Brookvale (return home interviews)",
    "Youth Justice Service",
    "Brookvale Clinical Commissioning",
    "Brookvale Early Years Settings",
    "Brookvale Further Education College",
]
SECTORS = ["police", "housing", "probation", "education", "health", "local authority", "voluntary"]
QUARTERS = [f"{2019 + i // 4}-{(20 + i // 4) % 100:02d} Q{i % 4 + 1}" for i in range(30)]


def svg_texts(chart, width: int) -> list[str]:
    spec = chart.to_dict()
    spec["width"] = width  # "container" has no width outside a page
    for layer in spec.get("layer", []):
        layer.pop("width", None)
    svg = vlc.vegalite_to_svg(spec)
    # A wrapped label is one <text> with a <tspan> per line: join the lines with spaces.
    texts = []
    for body in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S):
        lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body) or [body]
        texts.append(html.unescape(" ".join(lines)))
    return texts


def grade_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Outstanding", "Good", "Requires improvement", "Inadequate"],
            "cases": [23, 178, 158, 35],
            "share_pct": [5.8, 45.2, 40.1, 8.9],
        }
    )


def bar_charts() -> dict[str, tuple[object, list[str]]]:
    """Each bar chart the pages draw, built from page-like data, with its category labels."""
    sectors = pd.DataFrame(
        {"sector": SECTORS, "green_pct": [81.8, 81.8, 81.8, 72.7, 70.5, 63.6, 63.6]}
    )
    agencies = pd.DataFrame({"agency": AGENCIES, "value": [float(v) for v in range(15, 0, -1)]})
    stacked = pd.DataFrame(
        [
            {"quarter": q, "level": level, "count": n}
            for q in QUARTERS
            for level, n in (("High", 3), ("Medium", 7), ("Low", 12))
        ]
    )
    pair = pd.DataFrame(
        {
            "measure": [
                "Child's voice evidenced",
                "Plan is outcome-focused",
                "Strategy discussion minutes shared within one working day",
            ],
            "before_pct": [40.0, 55.0, float("nan")],
            "after_pct": [70.0, 60.0, 80.0],
        }
    )
    return {
        "audit grades": (audit_views.grade_chart(grade_frame()), list(grade_frame()["label"])),
        "section 11 sectors": (
            charts.bar_breakdown(
                sectors,
                category="sector",
                value="green_pct",
                title="Standards rated green (%)",
                unit="percentage",
                category_title="Sector",
            ),
            SECTORS,
        ),
        "agency breakdown": (
            charts.bar_breakdown(
                agencies,
                category="agency",
                value="value",
                title="Contacts by agency",
                unit="count",
                category_title="Agency",
            ),
            AGENCIES,
        ),
        "stacked by quarter": (
            charts.stacked_bars(
                stacked,
                x="quarter",
                value="count",
                colour="level",
                title="Young people by risk level",
                x_order=QUARTERS,
            ),
            QUARTERS,
        ),
        "re-audit": (
            audit_views.reaudit_chart(pair, title="Before and after"),
            list(pair["measure"]),
        ),
    }


@pytest.mark.parametrize("width", [PAGE_WIDTH, NARROW_WIDTH])
@pytest.mark.parametrize("name", list(bar_charts()))
def test_every_bar_has_its_whole_label(name: str, width: int) -> None:
    chart, labels = bar_charts()[name]
    texts = svg_texts(chart, width)
    missing = [label for label in labels if label not in texts]
    assert not missing, f"{name} at {width}px lost labels {missing}; drawn: {texts}"


def test_legend_labels_are_not_cut() -> None:
    long_names = [
        "Referred to children's social care",
        "Closed with no further action",
        "Stepped down to early help",
    ]
    frame = pd.DataFrame([{"q": q, "outcome": o, "n": 5} for q in QUARTERS[:4] for o in long_names])
    texts = svg_texts(
        charts.stacked_bars(frame, x="q", value="n", colour="outcome", title="Outcomes"),
        NARROW_WIDTH,
    )
    assert all(name in texts for name in long_names), texts


def test_category_axis_title_is_not_drawn_over_the_names() -> None:
    """The bar charts' category axes have no title beside the names (it overlapped them)."""
    spec = charts.bar_breakdown(
        pd.DataFrame({"agency": AGENCIES[:3], "value": [3.0, 2.0, 1.0]}),
        category="agency",
        value="value",
        title="Contacts by agency",
        unit="count",
    ).to_dict()
    y = spec["layer"][0]["encoding"]["y"]
    assert y.get("title") is None and y["axis"]["labelOverlap"] is False
