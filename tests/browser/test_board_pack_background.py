"""Headless Chromium: a board pack is made in the background, its progress shown on the page,
and it is offered for download when ready without the person reloading anything."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from dashboard import navigation

# A PDF at scale 1 takes about 17 s on a quiet 2-core machine; a busy one is slower.
PACK_READY_MS = 240_000


def test_the_pack_is_made_in_the_background_and_offered_when_ready(signed_in_page, ui) -> None:
    page = signed_in_page("qa_officer")
    spec = navigation.page("board_pack")
    page.locator(".st-key-site_nav a", has_text=spec.title).first.click()
    page.wait_for_url(re.compile(rf"/{spec.url_path}"))
    ui.wait_for_app(page)

    page.get_by_text("PowerPoint (to present)").click()  # the PDF only
    ui.wait_for_app(page)
    page.get_by_role("button", name="Generate the pack").click()

    # While it is made: progress on the page, the button off, the rest of the page still there.
    expect(page.get_by_text("Making the board pack…")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Generate the pack")).to_be_disabled()
    expect(page.get_by_role("heading", name="Past packs")).to_be_visible()
    ui.screenshot(page, "board-pack-in-progress")

    # Ready: offered for download with no reload, and the button works again.
    expect(
        page.get_by_text(re.compile(r"Pack for .* generated and kept as presented"))
    ).to_be_visible(timeout=PACK_READY_MS)
    expect(page.get_by_role("button", name=re.compile(r"^Download the PDF"))).to_be_visible()
    expect(page.get_by_role("button", name="Generate the pack")).to_be_enabled()
    expect(page.get_by_text("Making the board pack…")).to_have_count(0)
    ui.screenshot(page, "board-pack-ready")
