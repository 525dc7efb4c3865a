"""Sign-in in a browser: navigation per role, sign-out ends the cookie, refresh keeps you in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard import navigation
from tests.support.browser import SETTLE_TIMEOUT_MS

ROLES = ("executive", "qa_officer", "youth_council", "admin")
COOKIE_NAME = "lscp_qa_session"


def expected_titles(role: str) -> list[str]:
    """What the sidebar should list: every page the role may open."""
    titles = [spec.title for spec in navigation.pages_for_role(role)]
    return titles


def expected_heading(role: str) -> str:
    allowed = navigation.pages_for_role(role)
    return allowed[0].title if allowed else "Welcome"


def session_cookie(page):
    return [c for c in page.context.cookies() if c["name"] == COOKIE_NAME]


def wait_for_cookie(page, present: bool) -> None:
    """Wait until the browser holds (or no longer holds) the sign-in cookie."""
    page.wait_for_function(
        "([name, present]) => document.cookie.split('; ').some(c => c.startsWith(name + '='))"
        " === present",
        arg=[COOKIE_NAME, present],
        # The cookie is written by the authenticator's helper frame, late on a loaded machine.
        timeout=SETTLE_TIMEOUT_MS,
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_pages_then_signs_out_for_good(role, signed_in_page, ui, live_server):
    page = signed_in_page(role)
    assert ui.sidebar_titles(page) == expected_titles(role)
    page.get_by_role("heading", name=expected_heading(role), exact=True).first.wait_for()
    username = ui.demo_logins[ROLES.index(role)][1]
    expect(page.get_by_text(re.compile("Signed in as")).first).to_be_visible()
    assert page.get_by_text(re.compile(r"Demo mode")).first.is_visible()
    wait_for_cookie(page, present=True)
    ui.screenshot(page, f"signed-in-{role}")

    # Writing the cookie reruns the page; a click on the sidebar being redrawn can be lost.
    ui.wait_for_app(page)
    page.get_by_role("button", name="Sign out").click()
    ui.wait_for_app(page)
    # While Streamlit reruns, the faded previous render can sit beside the new one for a moment;
    # once settled there must be exactly one sign-in form.
    expect(page.get_by_role("button", name="Sign in")).to_have_count(1, timeout=SETTLE_TIMEOUT_MS)
    expect(page.get_by_text("You have signed out.")).to_have_count(1, timeout=SETTLE_TIMEOUT_MS)
    # The browser is told to delete the cookie, but on a busy machine the helper frame that does
    # it can be replaced before it runs. What protects the person is the server: the session is
    # ended, so whatever copy of the cookie the browser still holds opens nothing.

    # Reopening the app in the same context (same cookie jar) must ask for the password again.
    page.goto(live_server.url)
    ui.wait_for_app(page)
    expect(page.get_by_role("button", name="Sign in")).to_have_count(1, timeout=SETTLE_TIMEOUT_MS)
    assert page.locator(".st-key-site_nav").count() == 0
    assert username  # the account used above
    ui.screenshot(page, f"signed-out-{role}")


def test_refresh_on_a_sub_page_keeps_you_signed_in(signed_in_page, ui, live_server):
    page = signed_in_page("qa_officer")
    wait_for_cookie(page, present=True)
    page.goto(f"{live_server.url}/audit-log")
    ui.wait_for_app(page)
    page.get_by_role("heading", name="Audit log").wait_for()
    page.reload()
    ui.wait_for_app(page)
    page.get_by_role("heading", name="Audit log").wait_for()
    assert page.url.rstrip("/").endswith("/audit-log")
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.get_by_role("button", name="Sign in").count() == 0
    ui.screenshot(page, "refreshed-audit-log-qa")


@pytest.mark.parametrize("url_path", ["audit-log", "data-management"])
def test_youth_member_typing_a_staff_url_is_refused(url_path, signed_in_page, ui, live_server):
    page = signed_in_page("youth_council")
    spec = navigation.PAGES_BY_KEY[url_path.replace("-", "_")]
    page.goto(f"{live_server.url}/{url_path}")
    ui.wait_for_app(page)
    if spec.path.is_file():
        page.get_by_text(re.compile("does not have access to")).filter(
            visible=True
        ).first.wait_for()
    # Either refused by the page's guard or, if the page is not built yet, simply not there:
    # in both cases nothing of the page's content is shown and it is not in the navigation.
    assert spec.title not in ui.sidebar_titles(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    ui.screenshot(page, f"youth-refused-{url_path}")


def test_a_copied_cookie_is_worthless_after_sign_out(signed_in_page, browser, ui, live_server):
    page = signed_in_page("qa_officer")
    wait_for_cookie(page, present=True)
    copied = session_cookie(page)
    assert copied
    # While the session lasts, the copy works in another browser (the test has teeth) ...
    thief = browser.new_context()
    try:
        thief.add_cookies(copied)
        stolen = thief.new_page()
        stolen.goto(f"{live_server.url}/audit-log")
        ui.wait_for_app(stolen)
        stolen.get_by_role("button", name="Sign out").wait_for()
        # ... and once the owner signs out, the same copy opens nothing, in a new tab or the
        # tab that was already open.
        ui.wait_for_app(page)
        page.get_by_role("button", name="Sign out").click()
        ui.wait_for_app(page)
        expect(page.get_by_role("button", name="Sign in")).to_have_count(1)
        replay = thief.new_page()
        replay.goto(f"{live_server.url}/audit-log")
        ui.wait_for_app(replay)
        expect(replay.get_by_role("button", name="Sign in")).to_have_count(1)
        assert replay.get_by_role("button", name="Sign out").count() == 0
        # The tab that was open clicks on (a page in its navigation): the run checks the session.
        stolen.locator(".st-key-site_nav a").first.click()
        ui.wait_for_app(stolen)
        expect(stolen.get_by_role("button", name="Sign in")).to_have_count(1)
        ui.screenshot(replay, "copied-cookie-refused-after-sign-out")
    finally:
        thief.close()
