"""Navigation in headless Chromium: the quarter stays put from page to page and through the back
button, and every page opens cold at its own address. (axe-core over every page of every role is
tests/browser/test_access.py, with WCAG 2.2's target size switched on.)

One browser and one app server for the module; each role signs in once (a module-scoped page).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from dashboard import navigation
from data_access.periods import period_label
from tests.support.browser import (
    DEMO_LOGINS,
    SETTLE_TIMEOUT_MS,
    VIEWPORT,
    open_page,
    sidebar_titles,
    sign_in,
    wait_for_app,
)

BOARD_ROLES = ("executive", "qa_officer", "admin")
ALL_ROLES = ("executive", "qa_officer", "youth_council", "admin")
COOKIE_NAME = "lscp_qa_session"
# Theme -> theme -> overview -> theme, by the sidebar.
ROUTE = ("early_help", "mash", "overview", "neglect", "complex_safeguarding")


def selected_quarter(page) -> str:
    """The selected quarter's code, read from the words the picker shows."""
    shown = page.get_by_role("combobox", name="Selected quarter").input_value()
    match = re.fullmatch(r"Q([1-4]) (\d{4}-\d{2}) \(.+\)", shown)
    assert match, f"the quarter picker shows {shown!r}, not a quarter in words"
    return f"{match[2]} Q{match[1]}"


def heading(page, key: str) -> None:
    """Wait for the page's own title (h1); a missing page would show Streamlit's "Page not
    found" instead."""
    word = navigation.page(key).title.split()[0]
    if key == "meeting_mode":  # its heading is the screen being shown
        page.locator('[data-testid="stMain"] h1').filter(visible=True).first.wait_for()
    else:
        page.locator(
            '[data-testid="stMain"] h1', has_text=re.compile(re.escape(word), re.I)
        ).filter(visible=True).first.wait_for()
    wait_for_app(page)
    assert page.get_by_text("Page not found").count() == 0


def go(page, key: str) -> None:
    spec = navigation.page(key)
    open_page(page, spec.title)
    page.wait_for_url(re.compile(rf"/{spec.url_path}(\?|$)"))
    wait_for_app(page)
    heading(page, key)


def choose_quarter(page, quarter: str) -> None:
    box = page.get_by_role("combobox", name="Selected quarter")
    words = period_label(quarter)
    box.click()
    box.fill(words)
    page.get_by_role("option", name=words, exact=True).filter(visible=True).first.click()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"quarter=" + re.escape(quarter.replace(" ", "+"))))


def wait_for_cookie(page) -> None:
    """The sign-in cookie is written by the browser a moment after sign-in; a reload before it
    exists would land on the sign-in form."""
    page.wait_for_function(
        "(name) => document.cookie.split('; ').some(c => c.startsWith(name + '='))",
        arg=COOKIE_NAME,
        timeout=SETTLE_TIMEOUT_MS,
    )


@pytest.fixture(scope="module")
def role_pages(browser, live_server) -> Iterator[dict[str, object]]:
    """One signed-in page per role, reused by every test in this module."""
    contexts, pages = [], {}

    def _page(role: str):
        if role not in pages:
            context = browser.new_context(viewport=VIEWPORT)
            contexts.append(context)
            page = context.new_page()
            page.goto(live_server.url)
            wait_for_app(page)
            sign_in(page, *DEMO_LOGINS[role])
            pages[role] = page
        return pages[role]

    yield _page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("role", BOARD_ROLES)
def test_quarter_stays_put_through_the_sidebar_and_back(role, role_pages) -> None:
    page = role_pages(role)
    go(page, "overview")
    latest = selected_quarter(page)
    visited = []
    for key in ROUTE:
        go(page, key)
        visited.append(key)
        assert selected_quarter(page) == latest, f"{role}: {visited} shows {selected_quarter(page)}"
        assert "quarter=" + latest.replace(" ", "+") in page.url

    # A quarter the user picks persists the same way.
    chosen = "2025-26 Q1" if latest != "2025-26 Q1" else "2024-25 Q4"
    choose_quarter(page, chosen)
    for key in ROUTE:
        go(page, key)
        assert selected_quarter(page) == chosen, f"{role}: {key} forgot the chosen quarter"
    assert f"The quarter in brief ({chosen}" in page.locator('[data-testid="stMain"]').inner_text()

    # The back button returns to the previous page with the same quarter.
    # (Streamlit sometimes records a page twice in the history, once without and once with the
    # filters in the address; a further press of back then leaves it.)
    for key in reversed(ROUTE[:-1]):
        wanted = f"/{navigation.page(key).url_path}"
        for _ in range(6):
            page.go_back()
            wait_for_app(page)
            if page.url.split("?")[0].endswith(wanted):
                break
        assert page.url.split("?")[0].endswith(wanted), page.url
        heading(page, key)
        assert selected_quarter(page) == chosen, f"{role}: back to {key} lost the quarter"

    # Put the default back for the other tests of this role.
    choose_quarter(page, latest)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_opens_cold_at_its_own_address(role, role_pages, live_server) -> None:
    page = role_pages(role)
    wait_for_cookie(page)
    for spec in navigation.pages_for_role(role):
        page.goto(f"{live_server.url}/{spec.url_path}")
        wait_for_app(page)
        heading(page, spec.key)
        assert page.url.split("?")[0].endswith(f"/{spec.url_path}")
    # `/` still lands on the role's default page, at that page's own address.
    default = navigation.default_page_for_role(role)
    assert default is not None
    page.goto(live_server.url)
    page.wait_for_url(re.compile(rf"/{default.url_path}(\?|$)"))
    wait_for_app(page)
    heading(page, default.key)


def test_a_shared_address_opens_after_signing_in(new_page, live_server) -> None:
    page = new_page()
    page.goto(f"{live_server.url}/mash?quarter=2024-25+Q3")
    wait_for_app(page)
    sign_in(page, *DEMO_LOGINS["executive"])
    heading(page, "mash")
    assert page.url.split("?")[0].endswith("/mash")
    assert selected_quarter(page) == "2024-25 Q3"


def test_navigation_marks_the_current_page_and_lists_only_the_roles_pages(role_pages) -> None:
    page = role_pages("youth_council")
    go(page, "youth_themes")
    assert sidebar_titles(page) == [s.title for s in navigation.pages_for_role("youth_council")]
    current = page.locator('.st-key-site_nav a[aria-current="page"]')
    assert current.count() == 1
    assert navigation.page("youth_themes").title in current.inner_text()
    headings = page.locator(".st-key-site_nav h2").all_inner_texts()
    assert headings == list(
        dict.fromkeys(s.section for s in navigation.pages_for_role("youth_council"))
    )
