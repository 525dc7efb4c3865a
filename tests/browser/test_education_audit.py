"""The schools and colleges safeguarding audit page (section 175/157) in headless Chromium: it
opens at its address for an executive and a QA officer with the sample's returns, its chart is
drawn, axe-core is clean (WCAG 2.2 AA with target size, nothing excluded); a youth council
member is refused it and does not see it in the navigation."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from dashboard import navigation
from tests.support.browser import blocking, describe, screenshot, sidebar_titles, wait_for_app

AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
TITLE = "Schools and colleges safeguarding audit"


def go(page, base: str) -> None:
    spec = navigation.page("education_audit")
    page.goto(urljoin(base + "/", spec.url_path))
    page.wait_for_url(re.compile(rf"/{spec.url_path}(\?|$)"))
    wait_for_app(page)
    page.locator('[data-testid="stMain"] h1').filter(visible=True).first.wait_for()
    wait_for_app(page)


def test_the_audit_page_opens_clean_and_refuses_youth(signed_in_page, live_server) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    for role in ("executive", "qa_officer"):
        page = signed_in_page(role)
        assert navigation.page("education_audit").title in sidebar_titles(page)
        go(page, live_server.url)
        main = page.locator('[data-testid="stMain"]')
        assert main.locator("h1").first.inner_text().strip() == TITLE
        for heading in ("Ratings per standard", "Themes", "No return by the due date"):
            main.get_by_role("heading", name=heading).first.wait_for()
        main.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
        assert main.locator('[data-testid="stDataFrame"]').count() >= 4
        serious = blocking(axe.run(page, options=AXE_OPTIONS).response)
        if serious:
            screenshot(page, f"axe-education-audit-{role}")
        assert not serious, describe(serious)

    youth = signed_in_page("youth_council")
    go(youth, live_server.url)
    youth.get_by_text(re.compile("does not have access to")).filter(visible=True).first.wait_for()
    assert youth.locator('[data-testid="stDataFrame"]').count() == 0
    assert navigation.page("education_audit").title not in sidebar_titles(youth)
