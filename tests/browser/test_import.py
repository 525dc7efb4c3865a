"""A quarterly return end to end in Chromium: download the template, fill it in, upload it through
the page's file uploader, load it, see the new figure on the theme page, then roll it back.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from openpyxl import load_workbook

from data_access.db import engine_for
from data_access.indicators import latest_partnership_values
from data_access.models import Submission

DATA_PAGE = "Load quarterly returns"
THEME_PAGE = "Early help"
INDICATOR = "EH_OPEN_ASSESSMENTS"  # a headline early help figure, returned by the council (BCS)
AGENCY = "BCS"


def go_to(page, title: str, ui) -> None:
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for()
    ui.wait_for_app(page)


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the Streamlit selectbox labelled `label`."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()


def fill_template(template: Path, quarter: str, value: int) -> bytes:
    """Keep the partnership-level row of INDICATOR, give it `value`, delete the other rows."""
    workbook = load_workbook(template)
    sheet = workbook["Return"]
    header = [c.value for c in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    keep = None
    for row in range(2, sheet.max_row + 1):
        cell = lambda name, r=row: sheet.cell(row=r, column=column[name]).value  # noqa: E731
        if (
            cell("indicator_code") == INDICATOR
            and not cell("agency_code")
            and not cell("locality_code")
        ):
            keep = row
    assert keep is not None, "the template has no partnership row for the indicator"
    assert sheet.cell(row=keep, column=column["period"]).value == quarter
    sheet.cell(row=keep, column=column["value"]).value = value
    sheet.cell(row=keep, column=column["comment"]).value = "browser test"
    for row in range(sheet.max_row, 1, -1):
        if row != keep:
            sheet.delete_rows(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_template_to_theme_page_and_back(signed_in_page, ui, live_server, tmp_path) -> None:
    engine = engine_for(live_server.database_url)
    before = latest_partnership_values(engine=engine)
    old_value = float(before.set_index("code").loc[INDICATOR, "value"])
    new_value = int(old_value) + 4321

    page = signed_in_page("qa_officer")
    go_to(page, DATA_PAGE, ui)

    # 1. Download the agency's Excel template for the latest quarter.
    choose(page, "Agency", re.compile(rf"^{AGENCY} - "))
    ui.wait_for_app(page)
    # The quarter picker names the quarter in words ("Q2 2026-27 (July to September 2026)");
    # the template's period column carries its code.
    shown_quarter = page.get_by_role("combobox", name="Quarter").input_value() or ""
    # On a busy machine the rerun that applies the chosen agency can land after the click, so
    # the first file may still be the previous agency's: ask again until it is the chosen one.
    for _ in range(10):
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the Excel template (.xlsx)").click()
        if download.value.suggested_filename.startswith(f"return-{AGENCY}-"):
            break
        ui.wait_for_app(page)
        page.wait_for_timeout(1_000)
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name.startswith(f"return-{AGENCY}-") and template.suffix == ".xlsx"
    quarter = str(pd.read_excel(template, sheet_name="Return")["period"].iloc[0])
    assert quarter == str(before.set_index("code").loc[INDICATOR, "period_code"])
    assert shown_quarter.startswith(quarter.split()[-1] + " " + quarter.split()[0])

    # 2. Fill it in and upload it through the page's file uploader.
    filled = tmp_path / "filled-return.xlsx"
    filled.write_bytes(fill_template(template, quarter, new_value))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(filled))
    page.get_by_text("Checks on filled-return.xlsx").filter(visible=True).first.wait_for(
        timeout=60_000
    )
    ui.wait_for_app(page)
    page.get_by_text("No problems found: every row can be loaded.").filter(
        visible=True
    ).first.wait_for()
    main = page.locator('[data-testid="stMain"]')
    assert "Changed figures" in main.inner_text()
    ui.screenshot(page, "import-preview")

    # 3. Load it.
    page.get_by_role("button", name="Load these figures").click()
    page.get_by_text(re.compile(r"Loaded submission \d+: 0 new and 1 changed")).first.wait_for(
        timeout=60_000
    )
    ui.wait_for_app(page)
    with engine.connect() as connection:
        submission = connection.execute(
            sa.select(Submission).order_by(Submission.id.desc()).limit(1)
        ).one()
    assert submission.file_name == "filled-return.xlsx"
    assert submission.submitted_by == "qa.demo" and submission.source == "upload"

    # 4. The theme page shows the new figure.
    go_to(page, THEME_PAGE, ui)
    shown = f"{new_value:,}"
    page.get_by_text(shown, exact=False).filter(visible=True).first.wait_for()
    ui.screenshot(page, "import-theme-page-new-value")

    # 5. Roll the submission back (the live store is shared with other browser tests).
    go_to(page, DATA_PAGE, ui)
    page.get_by_text(f"Yes, roll back submission {submission.id}").click()
    ui.wait_for_app(page)
    page.get_by_role("button", name="Roll back this submission").click()
    page.get_by_test_id("stAlertContentSuccess").get_by_text(
        f"Submission {submission.id} was rolled back"
    ).first.wait_for(timeout=60_000)
    after = latest_partnership_values(engine=engine).set_index("code")
    assert float(after.loc[INDICATOR, "value"]) == old_value
    go_to(page, THEME_PAGE, ui)
    assert shown not in page.locator('[data-testid="stMain"]').inner_text()
