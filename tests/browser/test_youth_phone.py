"""The youth pages on a laptop (1440x900) and a phone (390x844), signed in as the youth role.

At both sizes: nothing wider than the screen (no sideways scrolling, every table column
visible), touch targets at least 24 px, agencies named with their own ratings, no `c` on counts
of organisations, no percentage built on a small number of children, months instead of quarter
codes, and no serious or critical axe violation on the whole document, nothing excluded.
Screenshots of the whole page at each size
go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest

from dashboard import navigation
from dashboard.metrics.suppression import rate_needs_suppression
from data_access import catalogue
from data_access.db import engine_for
from data_access.indicators import latest_partnership_values, periods_with_data
from tests.support.browser import blocking, describe

SIZES = {"laptop": (1440, 900), "phone": (390, 844)}
QUARTER_CODE = re.compile(r"\b\d{4}-\d{2} Q[1-4]\b")
MIN_TARGET_PX = 24


def open_at(page, key: str, size: str, ui) -> None:
    """Open a youth page from the sidebar at laptop size, then resize to `size` and settle."""
    title = navigation.page(key).title
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    ui.wait_for_app(page)
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    ui.wait_for_app(page)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def selectbox_text(page, label: str) -> str:
    """What a select box shows as chosen (its text, or its input's value)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    parts = [box.inner_text()]
    inputs = box.locator("input")
    if inputs.count():
        parts.append(inputs.first.input_value())
    return "\n".join(parts)


def assert_fits(page) -> None:
    """Nothing scrolls sideways; every table cell and control lies inside the screen."""
    widths = page.evaluate(
        """() => ({view: window.innerWidth,
                   doc: document.documentElement.scrollWidth,
                   main: document.querySelector('[data-testid="stMain"]').scrollWidth})"""
    )
    assert widths["doc"] <= widths["view"], widths
    assert widths["main"] <= widths["view"], widths
    outside = page.evaluate(
        """() => [...document.querySelectorAll(
                 '[data-testid="stMain"] th, [data-testid="stMain"] td,'
                 + '[data-testid="stMain"] button, [data-testid="stMain"] textarea')]
             .filter(el => el.offsetParent !== null)
             .map(el => [el.innerText.slice(0, 30), el.getBoundingClientRect().left,
                         el.getBoundingClientRect().right])
             .filter(([, left, right]) => left < 0 || right > window.innerWidth + 0.5)"""
    )
    assert not outside, outside


def assert_touch_targets(page) -> None:
    small = page.evaluate(
        f"""() => [...document.querySelectorAll(
                 '[data-testid="stMain"] button, [data-testid="stMain"] a[href],'
                 + '[data-testid="stMain"] input:not([type="hidden"]),'
                 + '[data-testid="stMain"] textarea, [data-testid="stMain"] [role="combobox"]')]
             .filter(el => el.offsetParent !== null)
             .map(el => {{ const r = el.getBoundingClientRect();
                          // a radio or checkbox input is drawn inside its larger label
                          const t = el.closest('label') ? el.closest('label')
                                    .getBoundingClientRect() : r;
                          return [el.tagName, el.innerText || el.getAttribute('aria-label') || '',
                                  Math.max(r.width, t.width), Math.max(r.height, t.height)]; }})
             .filter(([, , w, h]) => w < {MIN_TARGET_PX} || h < {MIN_TARGET_PX})"""
    )
    assert not small, small


def full_screenshot(page, name: str, size: str, ui) -> None:
    """Streamlit scrolls inside its main area: grow the window's height to capture it all."""
    width, _ = SIZES[size]
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 100, 16_000)})
    ui.wait_for_app(page)
    ui.screenshot(page, f"{name}-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_youth_section11_at_each_size(size, signed_in_page, ui) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = signed_in_page("youth_council")
    open_at(page, "youth_section11", size, ui)
    assert_fits(page)
    assert_touch_targets(page)

    # Agencies by name, each with its own rating in plain words.
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("heading", name="Midshire Police (Brookvale Division)", level=4).wait_for()
    assert main.get_by_text("We think we", exact=False).count() >= 3
    # Counts of organisations are numbers, never c.
    cells = page.locator('[data-testid="stMain"] table.youth-table td').all_inner_texts()
    assert cells and all(c.strip().isdigit() for c in cells), cells
    # Time in words: no quarter codes; rounds named by the month they started.
    text = main_text(page)
    assert not QUARTER_CODE.search(text)
    assert "The round from September 2024" in selectbox_text(page, "Which round of self-checks")

    found = blocking(Axe().run(page).response)
    full_screenshot(page, "youth-section11", size, ui)
    assert not found, describe(found)


@pytest.mark.parametrize("size", list(SIZES))
def test_youth_themes_at_each_size(size, signed_in_page, ui, live_server) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = signed_in_page("youth_council")
    open_at(page, "youth_themes", size, ui)
    assert_fits(page)
    assert_touch_targets(page)
    text = main_text(page)
    assert not QUARTER_CODE.search(text)
    # The picker names the latest quarter's months ("July to September 2026").
    engine = engine_for(live_server.database_url)
    latest = str(periods_with_data(engine=engine)["code"].iloc[-1])
    from data_access.periods import Quarter

    assert Quarter.parse(latest).months_label() in selectbox_text(page, "Which three months")
    # No percentage or rate built on a small number of children (numerator, denominator or
    # the difference between them from 1 to 5) is shown.
    values = latest_partnership_values(engine=engine, period_code=latest)
    shown_youth = {i.code: i.youth for i in catalogue.indicators() if i.headline and i.youth}
    checked = 0
    for row in values.itertuples(index=False):
        if row.code not in shown_youth or row.unit == "count" or row.value is None:
            continue
        line = next((ln for ln in text.splitlines() if shown_youth[row.code][:40] in ln), "")
        if rate_needs_suppression(row.numerator, row.denominator):
            assert line.startswith("c:") or line.startswith("c "), line
        checked += 1
    assert checked
    # The staff's own summaries never appear; the approved youth versions do.
    assert "lead practitioner" not in text and "statutory" not in text
    assert "What is going well" in text

    found = blocking(Axe().run(page).response)
    full_screenshot(page, "youth-themes", size, ui)
    assert not found, describe(found)


def test_on_a_phone_a_challenge_starts_from_the_organisations_card(signed_in_page, ui) -> None:
    """Issue 26: on a 390 px phone the form was ~9,000 px down, after every card, with the first
    organisation and standard 1 chosen. Now each card has its own "Challenge <organisation>"
    button that opens the form right there, and the form at the end chooses nothing."""
    from axe_playwright_python.sync_playwright import Axe

    page = signed_in_page("youth_council")
    open_at(page, "youth_section11", "phone", ui)
    main = page.locator('[data-testid="stMain"]')

    def depth(locator) -> float:
        """How far down the page (in px, from the top of the scrolled content) it starts."""
        return float(
            locator.evaluate(
                """el => { const main = document.querySelector('[data-testid="stMain"]');
                           return el.getBoundingClientRect().top
                                  - main.getBoundingClientRect().top + main.scrollTop; }"""
            )
        )

    # The button reads "forum" (its icon) then "Challenge <organisation>".
    buttons = main.locator("button").filter(has_text=re.compile(r"Challenge \S"))
    buttons.first.wait_for()
    assert buttons.count() >= 3
    first = buttons.first
    name = first.inner_text().strip().split("Challenge ", 1)[1]
    bottom_form = page.locator('[data-testid="stForm"]').filter(has_text="Which organisation?")
    bottom_depth = depth(bottom_form)
    # The form at the end of the page starts with nothing chosen.
    for label, placeholder in (
        ("Which organisation?", "Choose an organisation"),
        ("Which standard?", "Choose a standard"),
    ):
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
        shown = box.inner_text() + (box.locator("input").first.get_attribute("placeholder") or "")
        assert placeholder in shown, shown
        assert box.locator("input").first.input_value() == ""

    first.scroll_into_view_if_needed()
    first.click()
    ui.wait_for_app(page)
    card_form = page.locator('[data-testid="stForm"]').filter(has_text="Your challenge to")
    card_form.wait_for()
    assert name in card_form.inner_text()
    card_depth = depth(card_form)
    # Right after the first card: thousands of pixels nearer the top than the form at the end.
    assert card_depth < bottom_depth - 2_000, (card_depth, bottom_depth)
    assert card_depth < 4_000, card_depth
    assert_fits(page)
    assert_touch_targets(page)
    found = blocking(Axe().run(page).response)
    card_form.scroll_into_view_if_needed()
    ui.screenshot(page, "youth-card-challenge-phone-viewport")
    assert not found, describe(found)
