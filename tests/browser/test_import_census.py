"""A children in need census end to end in Chromium: the sample partnership's own census uploaded
through the page's file uploader is recognised by its content, its figures are shown beside the
stored ones with their definitions and the file's name on the screen, and loading it changes
nothing, as every figure it gives is the one the partnership already stores."""

from __future__ import annotations

import re

import sqlalchemy as sa

from data_access.db import engine_for
from data_access.models import StatutoryReturn, Submission
from sample_data.census import partnership_census

DATA_PAGE = "Load quarterly returns"
YEAR = "2024-25"


def test_a_census_uploaded_and_loaded_changes_nothing(
    signed_in_page, ui, live_server, tmp_path
) -> None:
    engine = engine_for(live_server.database_url)
    census = tmp_path / "brookvale-census.xml"
    census.write_bytes(partnership_census(engine, YEAR))

    page = signed_in_page("qa_officer")
    page.get_by_role("link", name=DATA_PAGE).click()
    page.get_by_role("heading", name=DATA_PAGE, level=1).wait_for()
    ui.wait_for_app(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(census))
    # The file's name is shown on the screen while the preview lasts (never stored).
    page.get_by_text(f"The children in need census for {YEAR}: {census.name}").filter(
        visible=True
    ).first.wait_for(timeout=90_000)
    ui.wait_for_app(page)
    # The page says what is kept (the caption under the heading; waited for, as a busy machine
    # may draw it after the heading).
    page.get_by_text("no identifier, date of birth, postcode", exact=False).filter(
        visible=True
    ).first.wait_for(timeout=60_000)
    ui.screenshot(page, "import-census-preview")

    held = page.get_by_text("These unusual figures are right: load them too")
    if held.count():
        held.first.click()
        ui.wait_for_app(page)
    with engine.connect() as connection:
        submissions_before = connection.scalar(sa.select(sa.func.count()).select_from(Submission))
    page.get_by_role("button", name="Load these figures").click()
    page.get_by_text(
        re.compile(r"All 35 figures are the same as those already loaded; nothing was changed")
    ).first.wait_for(timeout=90_000)
    ui.wait_for_app(page)
    ui.screenshot(page, "import-census-loaded")
    with engine.connect() as connection:
        submissions_after = connection.scalar(sa.select(sa.func.count()).select_from(Submission))
        returns = connection.scalar(sa.select(sa.func.count()).select_from(StatutoryReturn))
    # Nothing to record: no submission, so nothing to roll back.
    assert (submissions_after, returns) == (submissions_before, 0)
