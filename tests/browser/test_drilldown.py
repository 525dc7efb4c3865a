"""Headless Chromium: clicking a breakdown bar opens the stored rows behind it (QA officers)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from dashboard import navigation
from tests.support.browser import SETTLE_TIMEOUT_MS

CHART = ".st-key-breakdown_chart"


def test_clicking_a_bar_opens_its_rows(signed_in_page, ui) -> None:
    page = signed_in_page("qa_officer")
    spec = navigation.page("early_help")
    page.locator(".st-key-site_nav a", has_text=spec.title).first.click()
    page.wait_for_url(re.compile(rf"/{spec.url_path}"))
    ui.wait_for_app(page)
    drill = page.locator(".st-key-drilldown_group input[role=combobox]")
    drill.scroll_into_view_if_needed()
    expect(drill).to_have_value(re.compile("^All rows for"))

    # Vega draws the chart as SVG; each bar is a path labelled with its tooltip text.
    bar = page.locator(f'{CHART} [aria-roledescription="bar"]').first
    bar.scroll_into_view_if_needed()
    label = bar.get_attribute("aria-label") or ""
    bar.click()
    ui.wait_for_app(page)

    expect(drill).not_to_have_value(re.compile("^All rows for"), timeout=SETTLE_TIMEOUT_MS)
    chosen = drill.input_value().strip()
    assert chosen and chosen in label, (chosen, label)
    expect(
        page.get_by_role("button", name="Download rows behind the figures (CSV)")
    ).to_be_visible()
    page.locator(".st-key-drilldown_group").scroll_into_view_if_needed()
    ui.screenshot(page, "drilldown-after-bar-click")

    # The selector stays free to change by hand after a click.
    drill.click()
    page.get_by_role("option", name=re.compile("All rows for")).click()
    ui.wait_for_app(page)
    expect(drill).to_have_value(re.compile("^All rows for"))
