"""Issue 29 in headless Chromium: the Practice reviews, Risk register and Scrutiny pages open at
their addresses for an executive with the sample's records, axe-core clean (WCAG 2.2 AA with
target size, nothing excluded); a youth council member is refused the risk register; a QA
officer records an action's progress and the store keeps it."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import sqlalchemy as sa

from dashboard import navigation
from data_access.db import engine_for
from data_access.models import CaseReviewAction
from tests.support.browser import blocking, describe, screenshot, sidebar_titles, wait_for_app

AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
TITLES = {
    "practice_reviews": "Practice reviews",
    "risk_register": "Risk register",
    "scrutiny": "Independent scrutiny and the improvement plan",
}


def go(page, base: str, key: str) -> None:
    spec = navigation.page(key)
    page.goto(urljoin(base + "/", spec.url_path))
    page.wait_for_url(re.compile(rf"/{spec.url_path}(\?|$)"))
    wait_for_app(page)
    page.locator('[data-testid="stMain"] h1').filter(visible=True).first.wait_for()
    wait_for_app(page)


def test_learning_pages_open_clean_refuse_youth_and_take_an_update(
    signed_in_page, live_server
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = signed_in_page("executive")
    found = {}
    for key, title in TITLES.items():
        go(page, live_server.url, key)
        main = page.locator('[data-testid="stMain"]')
        assert main.locator("h1").first.inner_text().strip() == title
        assert main.locator('[data-testid="stDataFrame"]').count() >= 1
        serious = blocking(axe.run(page, options=AXE_OPTIONS).response)
        if serious:
            found[key] = describe(serious)
            screenshot(page, f"axe-learning-{key}")
    heat = page.locator("table caption", has_text="Open risks by likelihood and impact")
    assert not found, found
    go(page, live_server.url, "risk_register")
    assert heat.count() == 1

    youth = signed_in_page("youth_council")
    go(youth, live_server.url, "risk_register")
    youth.get_by_text(re.compile("does not have access to")).filter(visible=True).first.wait_for()
    assert youth.locator('[data-testid="stDataFrame"]').count() == 0
    assert "Risk register" not in sidebar_titles(youth)

    qa = signed_in_page("qa_officer")
    go(qa, live_server.url, "practice_reviews")
    words = "Owner reported at the November panel: half the practices have signed up."
    qa.get_by_label("Progress in words").fill(words)
    qa.get_by_role("button", name="Save the update").click()
    wait_for_app(qa)
    qa.get_by_text(re.compile(r"Action \d+ updated\.")).wait_for()
    with engine_for(live_server.database_url).connect() as connection:
        saved = connection.scalar(
            sa.select(sa.func.count()).where(CaseReviewAction.progress == words)
        )
    assert saved == 1


def test_a_qa_officer_imports_scrutiny_recommendations(signed_in_page, live_server) -> None:
    """The Scrutiny page's import: a wrong file is refused with the row and the fix, nothing
    written; the corrected file adds the report and its recommendation."""
    from data_access.learning_import_reviews import SCRUTINY
    from data_access.models import LearningReview

    row = {**SCRUTINY.example, "Report reference": "JTAI-BROWSER"}

    def upload(page, cells: dict[str, str], name: str) -> None:
        lines = [[*SCRUTINY.columns], [cells[c] for c in SCRUTINY.columns]]
        body = "".join(",".join(f'"{v}"' for v in line) + "\r\n" for line in lines).encode()
        # The first uploader on the page is the recommendations' (the actions' follows it).
        uploader = page.locator('[data-testid="stFileUploader"]').first
        uploader.locator('input[type="file"]').set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": body}]
        )
        # The upload is sent, then the page reruns: wait for the uploader to name this file, so
        # the button is not pressed while the previous file is still the one held.
        uploader.get_by_text(name).wait_for()
        wait_for_app(page)
        page.get_by_role("button", name="Import the recommendations").click()
        wait_for_app(page)

    def reports() -> int:
        with engine_for(live_server.database_url).connect() as connection:
            return int(
                connection.scalar(
                    sa.select(sa.func.count()).where(LearningReview.reference == "JTAI-BROWSER")
                )
                or 0
            )

    qa = signed_in_page("qa_officer")
    go(qa, live_server.url, "scrutiny")
    qa.get_by_role("heading", name="Import scrutiny and inspection recommendations").wait_for()
    upload(qa, {**row, "Owner agency code": "NOPE"}, "recommendations.csv")
    qa.get_by_text("Row 2: there is no agency with the code 'NOPE'.").wait_for()
    assert reports() == 0
    upload(qa, row, "fixed.csv")
    qa.get_by_text("Imported recommendations: 1 added, 0 updated, 1 report recorded.").wait_for()
    assert reports() == 1
