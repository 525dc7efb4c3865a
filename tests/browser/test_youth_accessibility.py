"""axe-core on the youth council's pages in headless Chromium: no serious or critical violation.

The check runs on the whole document, Streamlit's own chrome and the app's sidebar navigation
included, with nothing excluded. (Streamlit's own sectioned navigation failed axe's `list` and
`listitem` rules, so the app draws its navigation itself: dashboard/components/site_nav.py.)
"""

from __future__ import annotations

import pytest

from dashboard import navigation
from tests.support.browser import blocking, describe

YOUTH_PAGES = ("youth_section11", "youth_themes")


def open_youth_page(page, key: str, ui) -> None:
    title = navigation.page(key).title
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    ui.wait_for_app(page)


@pytest.mark.parametrize("key", YOUTH_PAGES)
def test_youth_page_has_no_serious_accessibility_violations(key, signed_in_page, ui) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = signed_in_page("youth_council")
    open_youth_page(page, key, ui)
    results = Axe().run(page).response
    found = blocking(results)
    # Streamlit scrolls inside its main area, so grow the window to capture the whole page.
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 100, 12_000)})
    ui.wait_for_app(page)
    ui.screenshot(page, f"youth-{key}")
    assert not found, describe(found)


@pytest.mark.parametrize("key", YOUTH_PAGES)
def test_youth_page_headings_are_in_order_with_one_h1(key, signed_in_page, ui) -> None:
    page = signed_in_page("youth_council")
    open_youth_page(page, key, ui)
    levels = page.evaluate(
        """() => [...document.querySelector('[data-testid="stMain"]')
             .querySelectorAll('h1, h2, h3, h4, h5, h6')]
             .filter(h => h.offsetParent !== null)
             .map(h => Number(h.tagName.substring(1)))"""
    )
    assert levels and levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}: {levels}"


def test_youth_text_is_large(signed_in_page, ui) -> None:
    page = signed_in_page("youth_council")
    open_youth_page(page, "youth_section11", ui)
    size, line_height = page.evaluate(
        """() => { const p = document.querySelector('[data-testid="stMain"] .stMarkdown p');
                   const s = getComputedStyle(p);
                   return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; }"""
    )
    root = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert 1.15 * root <= size <= 1.25 * root + 0.5
    assert line_height >= 1.5 * size
