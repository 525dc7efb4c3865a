"""Headless Chromium: the overview and the five theme pages draw their charts, as a QA officer."""

from __future__ import annotations

import re

import pytest

from dashboard import navigation
from tests.support.browser import SETTLE_TIMEOUT_MS

PAGES = ["overview", "early_help", "mash", "neglect", "complex_safeguarding", "training"]

# Counts the drawn (not transparent, not white) pixels of a chart's canvas, or the marks of its SVG.
DRAWN_MARKS_JS = """(index) => {
    const el = document.querySelectorAll('[data-testid="stVegaLiteChart"]')[index];
    if (!el) return false;
    const svg = el.querySelector('svg.marks, .vega-embed svg');
    if (svg) return svg.querySelectorAll('path, rect, line, circle, text').length > 0;
    const canvas = el.querySelector('canvas');
    if (!canvas || !canvas.width || !canvas.height) return false;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 0; i < data.length; i += 16) {
        if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) drawn++;
    }
    return drawn > 0;
}"""


def _open(page, ui, key: str) -> None:
    spec = navigation.page(key)
    page.locator(".st-key-site_nav a", has_text=spec.title).first.click()
    page.wait_for_url(re.compile(rf"/{spec.url_path}"))
    ui.wait_for_app(page)
    page.locator("h1", has_text=spec.title if key != "overview" else "Overview").first.wait_for()


@pytest.mark.parametrize("key", PAGES)
def test_page_draws_its_charts(key: str, signed_in_page, ui) -> None:
    page = signed_in_page("qa_officer")
    if key != "overview":
        _open(page, ui, key)
    else:
        page.locator("h1", has_text="Overview").first.wait_for()
    page.get_by_text("The quarter in brief").filter(visible=True).first.wait_for()
    ui.screenshot(page, f"theme-{key}-qa")
    if key == "overview":
        # The overview's trends are sparklines inside the scorecard table, not Vega charts.
        assert page.locator('[data-testid="stDataFrame"]').count() >= 1
        assert page.locator('[data-testid="stPageLink"], a[href*="mash"]').count() >= 5
    else:
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        charts.first.locator("canvas, svg").first.wait_for()
        assert charts.count() >= 3
        for index in range(min(charts.count(), 3)):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            chart.locator("canvas, svg").first.wait_for()
            box = chart.locator("canvas, svg").first.bounding_box()
            assert box is not None and box["width"] > 50 and box["height"] > 50
            page.wait_for_function(DRAWN_MARKS_JS, arg=index, timeout=SETTLE_TIMEOUT_MS)
        charts.nth(1).screenshot(path=str(ui.screenshot(page, f"theme-{key}-qa-charts")))


def test_the_annual_figures_section_draws_its_year_on_year_chart(signed_in_page, ui) -> None:
    page = signed_in_page("qa_officer")
    _open(page, ui, "mash")
    heading = page.get_by_role("heading", name="Annual figures")
    heading.scroll_into_view_if_needed()
    picker = page.get_by_role("combobox", name="Indicator for the year-on-year chart")
    picker.scroll_into_view_if_needed()
    caption = page.get_by_text(re.compile(r"^Line chart of .+ by year, "))
    caption.first.wait_for()
    # The year-on-year chart: its alt text (the chart's aria-label) says "by year".
    index = page.evaluate("""() => [...document.querySelectorAll(
            '[data-testid="stVegaLiteChart"]')].findIndex(
            el => / by year, /.test(el.getAttribute('aria-label') || ''))""")
    assert index >= 0, "no year-on-year chart on the page"
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(index)
    chart.scroll_into_view_if_needed()
    chart.locator("canvas, svg").first.wait_for()
    page.wait_for_function(DRAWN_MARKS_JS, arg=index, timeout=15_000)
    ui.screenshot(page, "theme-mash-annual-qa")
