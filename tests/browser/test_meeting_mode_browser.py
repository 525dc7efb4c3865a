"""Meeting mode in headless Chromium: sidebar hidden, Next moves on, screenshots at two sizes."""

from __future__ import annotations

import re

from data_access import catalogue
from tests.support.browser import SETTLE_TIMEOUT_MS

THEMES = catalogue.themes()
TOTAL = len(THEMES) + 1


def _open_meeting_mode(page, ui) -> None:
    page.locator(".st-key-site_nav a", has_text="Meeting mode").first.click()
    page.wait_for_url(re.compile(r"/meeting-mode"))
    ui.wait_for_app(page)
    page.get_by_text(f"Overview (1 of {TOTAL})").filter(visible=True).first.wait_for()


def test_meeting_mode_hides_the_sidebar_and_steps_through_themes(signed_in_page, ui) -> None:
    page = signed_in_page("executive")
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open_meeting_mode(page, ui)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.count() == 0 or not sidebar.first.is_visible()
    assert "screen=1" in page.url and "quarter=" in page.url
    ui.screenshot(page, "meeting-mode-overview-1920x1080")

    page.get_by_role("button", name=re.compile(r"^Next")).first.click()
    page.get_by_text(f"Theme 2 of {TOTAL}: {THEMES[0].name}").filter(visible=True).first.wait_for()
    ui.wait_for_app(page)
    assert "screen=2" in page.url
    assert page.locator("h1").first.inner_text().strip() == THEMES[0].name
    # The theme's charts are drawn (Vega-Lite renders a canvas or an SVG with marks).
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.first.locator("canvas, svg").first.wait_for()
    assert charts.count() >= 2
    ui.screenshot(page, "meeting-mode-theme-1920x1080")

    page.get_by_role("button", name=re.compile(r"^Next")).first.click()
    page.get_by_text(f"Theme 3 of {TOTAL}: {THEMES[1].name}").filter(visible=True).first.wait_for()
    ui.wait_for_app(page)
    page.set_viewport_size({"width": 1280, "height": 720})
    ui.wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.count() == 0 or not sidebar.first.is_visible()
    ui.screenshot(page, "meeting-mode-theme-1280x720")

    page.get_by_role("button", name=re.compile(r"Previous")).first.click()
    page.get_by_text(f"Theme 2 of {TOTAL}: {THEMES[0].name}").filter(visible=True).first.wait_for()
    assert "screen=2" in page.url


def test_a_meeting_mode_link_opens_that_screen(signed_in_page, ui, live_server) -> None:
    page = signed_in_page("qa_officer")
    page.set_viewport_size({"width": 1280, "height": 720})
    _open_meeting_mode(page, ui)
    quarter = re.search(r"quarter=([^&]+)", page.url)
    assert quarter is not None
    page.goto(f"{live_server.url}/meeting-mode?quarter={quarter.group(1)}&screen=4")
    ui.wait_for_app(page)
    page.get_by_text(f"Theme 4 of {TOTAL}: {THEMES[2].name}").filter(visible=True).first.wait_for(
        timeout=SETTLE_TIMEOUT_MS
    )
    assert page.locator("h1").first.inner_text().strip() == THEMES[2].name


FOCUSED_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const box = el.getBoundingClientRect();
    return {tag: el.tagName, name: (el.getAttribute('aria-label') || el.innerText
              || el.getAttribute('title') || '').trim().slice(0, 60),
            visible: box.width > 0 && box.height > 0};
}"""


def test_meeting_mode_keyboard_order_reaches_next_through_named_visible_controls(
    signed_in_page, ui
) -> None:
    """Tabbing from the top meets only visible, named controls (no empty frame) before Next."""
    page = signed_in_page("executive")
    page.set_viewport_size({"width": 1280, "height": 720})
    _open_meeting_mode(page, ui)
    # Start from the top of the document, as a keyboard user arriving on the page.
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None:
            continue
        seen.append(focused)
        assert focused["tag"] != "IFRAME", f"a frame takes the focus: {seen}"
        assert focused["visible"] and focused["name"], f"unnamed or hidden stop: {seen}"
        if focused["tag"] == "BUTTON" and focused["name"].startswith("Next"):
            break
    else:
        raise AssertionError(f"Tab never reached Next: {seen}")
    names = [f["name"] for f in seen]
    assert any(n.startswith("Previous") for n in names[:-1]) or names[-1].startswith("Next")
