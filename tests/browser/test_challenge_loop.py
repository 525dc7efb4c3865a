"""The youth council's challenge loop end to end, in three separate browser contexts:
youth.demo files a challenge, qa.demo answers it, youth.demo sees the answer.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from data_access.db import engine_for
from data_access.models import Agency, ChallengeResponse, YouthChallenge

YOUTH_PAGE = "How agencies keep you safe"
QA_PAGE = "Youth council challenges"


def go_to(page, title: str, ui) -> None:
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    ui.wait_for_app(page)


def test_youth_challenge_is_answered_and_seen(signed_in_page, ui, live_server) -> None:
    marker = uuid.uuid4().hex[:8]
    question = f"How do you know children feel listened to? ({marker})"
    answer = f"We asked 200 young people and changed our forms. ({marker})"

    # 1. A youth council member files a challenge.
    # From the first organisation's card: its "Challenge <organisation>" button opens the form
    # for that organisation inside the card (no organisation is ever chosen for the sender).
    youth = signed_in_page("youth_council")
    go_to(youth, YOUTH_PAGE, ui)
    card_button = youth.locator('[data-testid="stMain"] button[class]').filter(
        has_text="Challenge "
    )
    card_button.first.wait_for()
    agency_name = card_button.first.inner_text().strip().split("Challenge ", 1)[1]
    card_button.first.click()
    ui.wait_for_app(youth)
    form = youth.locator('[data-testid="stForm"]').filter(has_text="Your challenge to")
    form.wait_for()
    assert agency_name in form.inner_text()
    form.get_by_label("A request for evidence").check(force=True)
    form.get_by_role("textbox", name="Your challenge").fill(question)
    form.get_by_role("button", name="Send my challenge").click()
    youth.get_by_text(f"Your challenge to {agency_name} has been sent").filter(
        visible=True
    ).first.wait_for()
    ui.wait_for_app(youth)
    youth.get_by_text(question).filter(visible=True).first.wait_for()

    engine = engine_for(live_server.database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            sa.select(YouthChallenge).where(YouthChallenge.text == question)
        ).one()
        sent_to = connection.scalar(sa.select(Agency.name).where(Agency.id == stored.agency_id))
    assert stored.author == "youth.demo" and stored.status == "open"
    assert stored.kind == "evidence_request"
    assert sent_to == agency_name

    # 2. A quality assurance officer, in another context, records the agency's answer.
    qa = signed_in_page("qa_officer")
    go_to(qa, QA_PAGE, ui)
    # Newest first: the challenge just filed is the one selected.
    # (The data grid's hidden cells hold the text too: wait for the visible plain-text copy.)
    qa.get_by_text(question).filter(visible=True).first.wait_for()
    qa.get_by_role("textbox", name="The agency's response").fill(answer)
    qa.get_by_label("Answered", exact=True).check(force=True)
    qa.get_by_role("button", name="Save the response").click()
    qa.get_by_text(f"challenge #{stored.id} is now answered").filter(visible=True).first.wait_for()
    ui.screenshot(qa, "challenge-loop-qa-answered")

    with engine.connect() as connection:
        response = connection.execute(
            sa.select(ChallengeResponse).where(ChallengeResponse.challenge_id == stored.id)
        ).one()
    assert response.author == "qa.demo" and response.status_after == "answered"

    # 3. The youth member sees the answer (navigating away and back re-runs the page).
    go_to(youth, "What the partnership is doing", ui)
    go_to(youth, YOUTH_PAGE, ui)
    youth.get_by_text(answer).filter(visible=True).first.wait_for()
    card = (
        youth.locator(
            '[data-testid="stVerticalBlockBorderWrapper"], [data-testid="stVerticalBlock"]'
        )
        .filter(has_text=question)
        .last
    )
    assert "Status: Answered" in card.inner_text()
    assert "qa.demo" not in youth.locator('[data-testid="stMain"]').inner_text()
    youth.get_by_text(answer).filter(visible=True).first.scroll_into_view_if_needed()
    ui.screenshot(youth, "challenge-loop-youth-sees-answer")
