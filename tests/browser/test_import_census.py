"""A children in need census end to end in Chromium: the sample partnership's own census uploaded
through the page's file uploader is recognised by its content, its figures are shown beside the
stored ones with their definitions, it is loaded, and the submission is rolled back."""

from __future__ import annotations

import re

import sqlalchemy as sa

from data_access.db import engine_for
from data_access.models import StatutoryReturn, Submission
from sample_data.census import partnership_census

DATA_PAGE = "Load quarterly returns"
YEAR = "2024-25"


def test_a_census_uploaded_loaded_and_rolled_back(
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
    page.get_by_text(f"The children in need census for {YEAR}").filter(visible=True).first.wait_for(
        timeout=90_000
    )
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
    page.get_by_role("button", name="Load these figures").click()
    page.get_by_text(re.compile(r"Loaded submission \d+: 0 new and 2 changed")).first.wait_for(
        timeout=90_000
    )
    ui.wait_for_app(page)
    with engine.connect() as connection:
        submission = connection.execute(
            sa.select(Submission).order_by(Submission.id.desc()).limit(1)
        ).one()
        record = connection.execute(sa.select(StatutoryReturn)).one()
    assert (record.submission_id, record.collection, record.year_code) == (
        submission.id,
        "cin",
        YEAR,
    )
    assert "BRK0000001" not in (submission.notes or "") + submission.file_name

    ui.screenshot(page, "import-census-loaded")

    # Roll it back (the live store is shared with other browser tests). Leave the page and come
    # back first, so the submission picker starts again from the newest submission.
    for title in ("Early help", DATA_PAGE):
        page.get_by_role("link", name=title).click()
        page.get_by_role("heading", name=title, level=1).wait_for()
        ui.wait_for_app(page)
    page.get_by_text(f"Yes, roll back submission {submission.id}").click()
    ui.wait_for_app(page)
    page.get_by_role("button", name="Roll back this submission").click()
    page.get_by_test_id("stAlertContentSuccess").get_by_text(
        f"Submission {submission.id} was rolled back"
    ).first.wait_for(timeout=60_000)
