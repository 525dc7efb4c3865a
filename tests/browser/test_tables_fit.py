"""Every table fits at 1440x900: on every page of every role, no data grid scrolls sideways.

Streamlit's dataframe is a canvas grid (glide-data-grid), so its cells are never read: the test
compares the width of the grid's scroll container (`.dvn-scroller`, inside
`[data-testid="stDataFrame"]`) with the width it has on the page, after the page has settled.
Tables inside tabs are measured with each tab shown in turn; tables in expanders with the expander
opened. Meeting mode is measured on each of its screens.

One signed-in page per role; each page is opened at its own address.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from dashboard import navigation
from dashboard.views import meeting_mode
from tests.support.browser import (
    DEMO_LOGINS,
    SETTLE_TIMEOUT_MS,
    VIEWPORT,
    screenshot,
    sign_in,
    wait_for_app,
)
from tests.support.paths import ROOT

ARTIFACTS = ROOT / "test-artifacts"
ALL_ROLES = ("executive", "qa_officer", "youth_council", "admin")
COOKIE_NAME = "lscp_qa_session"
# A grid may be this many pixels wider than its box before it counts as scrolling (rounding).
SLACK_PX = 2

# Every grid on the page, visible ones only: its label (the nearest heading above it), the
# scroller's content width and the width it is shown in. A grid whose scroller has not been
# drawn yet is reported with scroller = false so the test waits for it.
MEASURE_JS = """
() => {
  const grids = [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .filter(g => g.offsetParent !== null && g.getBoundingClientRect().width > 0);
  return grids.map(grid => {
    const scroller = grid.querySelector('.dvn-scroller');
    const keyed = grid.closest('[class*="st-key-"]');
    const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')) : '';
    let label = '';
    let node = grid.closest('[data-testid="stElementContainer"]') || grid;
    for (let i = 0; i < 40 && node && !label; i++) {
      let previous = node.previousElementSibling;
      while (previous && !label) {
        const heading = previous.querySelector('h1, h2, h3, h4, h5, h6, strong, [data-testid="stCaptionContainer"]');
        if (heading && heading.innerText.trim()) label = heading.innerText.trim().slice(0, 80);
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return {
      key,
      label,
      scroller: !!scroller,
      scrollWidth: scroller ? scroller.scrollWidth : 0,
      clientWidth: scroller ? scroller.clientWidth : 0,
      gridWidth: Math.round(grid.getBoundingClientRect().width),
    };
  });
}
"""

GRIDS_DRAWN_JS = """
() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
  .filter(g => g.offsetParent !== null)
  .every(g => g.querySelector('.dvn-scroller') && g.querySelector('canvas'))
"""


def wait_for_cookie(page) -> None:
    page.wait_for_function(
        "(name) => document.cookie.split('; ').some(c => c.startsWith(name + '='))",
        arg=COOKIE_NAME,
        timeout=SETTLE_TIMEOUT_MS,
    )


def settle(page) -> None:
    """The script has finished and every visible grid has drawn its scroller and canvas."""
    # Twice the usual settle time: a shared machine may take long over a page of many charts.
    wait_for_app(page, timeout=2 * SETTLE_TIMEOUT_MS)
    page.locator('[data-testid="stMain"] h1').filter(visible=True).first.wait_for(
        timeout=2 * SETTLE_TIMEOUT_MS
    )
    page.wait_for_function(GRIDS_DRAWN_JS, timeout=2 * SETTLE_TIMEOUT_MS)
    # The grid sizes its columns one frame after it is drawn.
    page.wait_for_timeout(300)


def overflowing(page, where: str) -> list[dict]:
    found = []
    for grid in page.evaluate(MEASURE_JS):
        if grid["scrollWidth"] > grid["clientWidth"] + SLACK_PX:
            found.append({"where": where, **grid})
    return found


def measure_everything(page, where: str) -> list[dict]:
    """The grids of the page as it opens, then with each expander opened and each tab shown."""
    settle(page)
    found = overflowing(page, where)
    main = page.locator('[data-testid="stMain"]')
    expanders = main.locator('[data-testid="stExpander"] details:not([open]) > summary')
    for index in range(expanders.count()):
        summary = expanders.nth(0) if expanders.count() else None
        if summary is None or not summary.is_visible():
            continue
        summary.click()
        settle(page)
        found += overflowing(page, f"{where} (expander {index + 1})")
    tabs = main.get_by_role("tab")
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        if not tab.is_visible() or tab.get_attribute("aria-selected") == "true":
            continue
        name = tab.inner_text().strip()
        tab.click()
        settle(page)
        found += overflowing(page, f"{where} (tab {name})")
    return found


@pytest.fixture(scope="module")
def role_page(browser, live_server) -> Iterator[object]:
    contexts = []

    def _page(role: str):
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url)
        wait_for_app(page)
        sign_in(page, *DEMO_LOGINS[role])
        wait_for_cookie(page)
        return page

    yield _page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_table_scrolls_sideways_at_1440(role, role_page, live_server) -> None:
    page = role_page(role)
    found: list[dict] = []
    measured = 0
    for spec in navigation.pages_for_role(role):
        addresses = [(spec.key, f"{live_server.url}/{spec.url_path}")]
        if spec.key == "meeting_mode":
            addresses = [
                (f"meeting_mode screen {n}", f"{live_server.url}/{spec.url_path}?screen={n}")
                for n in range(1, len(meeting_mode.screens()) + 1)
            ]
        for where, address in addresses:
            page.goto(address)
            page.wait_for_url(re.compile(rf"/{spec.url_path}(\?|$)"))
            before = len(found)
            try:
                found += measure_everything(page, where)
            except Exception as error:
                screenshot(page, f"tables-fit-{role}-{where.replace(' ', '-')}-unsettled")
                raise AssertionError(f"{role}: {where} did not settle: {error}") from error
            if spec.key in ("overview", "data_management", "audits"):
                screenshot(page, f"tables-fit-{role}-{spec.key}")
            measured += len(page.evaluate(MEASURE_JS))
            if len(found) > before:
                screenshot(page, f"tables-fit-{role}-{where.replace(' ', '-')}")
    assert measured > 0 or role == "youth_council"
    unique = {(f["where"].split(" (")[0], f["key"], f["label"]): f for f in found}
    report = json.dumps(list(unique.values()), indent=1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"tables-fit-{role}.json").write_text(report)
    if unique:
        pytest.fail(f"{len(unique)} tables scroll sideways at 1440 px:\n{report}", pytrace=False)
