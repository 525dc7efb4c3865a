"""An agency submitter in Chromium: signs in, sees only the returns page (and its password), loads
its own agency's return, is refused a file with another agency's row (the row named), rolls its
own submission back, and the audit log names it as the one who loaded the figure, for whom."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import sqlalchemy as sa

from data_access import user_agencies, users
from data_access.db import engine_for, session_scope
from data_access.indicators import latest_partnership_values
from data_access.models import AuditLogEntry, Submission, User

USERNAME = "sam.submitter"
PASSWORD = "a submitter's own long password"
AGENCY = "BCS"  # the sample's council: it returns the partnership's early help figures
OTHER = "MPOL"  # the sample's police
INDICATOR = "EH_OPEN_ASSESSMENTS"
HEADER = ["indicator_code", "period", "agency_code", "locality_code", "value", "comment"]


def _csv(path: Path, rows: list[list[object]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _upload(page, ui, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.get_by_text(f"Checks on {path.name}").filter(visible=True).first.wait_for(timeout=60_000)
    ui.wait_for_app(page)


def test_an_agency_submitter_loads_its_own_return_only(new_page, ui, live_server, tmp_path):
    engine = engine_for(live_server.database_url)
    with session_scope(engine) as session:
        if session.scalar(sa.select(User.id).where(User.username == USERNAME)) is None:
            users.create_user(session, USERNAME, "Sam Submitter", "agency_submitter", PASSWORD)
        user_agencies.set_agencies(session, USERNAME, [AGENCY], actor="test")
    latest = latest_partnership_values(engine=engine).set_index("code").loc[INDICATOR]
    quarter, value = str(latest["period_code"]), int(float(latest["value"])) + 3

    page = new_page()
    ui.sign_in(page, USERNAME, PASSWORD)
    assert ui.sidebar_titles(page) == ["Load quarterly returns", "Change my password"]
    page.get_by_role("heading", name="Load quarterly returns", level=1).wait_for()
    main = page.locator('[data-testid="stMain"]')
    assert "You can load returns for: BCS" in main.inner_text()

    # Its own return: the partnership-wide early help figure its council template carries.
    _upload(page, ui, _csv(tmp_path / "own.csv", [[INDICATOR, quarter, "", "", value, "ok"]]))
    page.get_by_text("No problems found: every row can be loaded.").filter(
        visible=True
    ).first.wait_for()
    page.get_by_role("button", name="Load these figures").click()
    page.get_by_text(re.compile(r"Loaded submission \d+: 0 new and 1 changed")).first.wait_for(
        timeout=60_000
    )
    ui.wait_for_app(page)

    # Another agency's row is refused, and the row is named.
    foreign = _csv(
        tmp_path / "foreign.csv",
        [
            [INDICATOR, quarter, "", "", value, ""],
            ["TR_LEARNERS", quarter, OTHER, "", 40, ""],
        ],
    )
    _upload(page, ui, foreign)
    page.get_by_text(
        f"Row 3: This row is for {OTHER}, and {USERNAME} is linked only to {AGENCY}"
    ).filter(visible=True).first.wait_for()
    assert "1 row(s) have errors, so nothing will be loaded" in main.inner_text()
    ui.screenshot(page, "agency-submitter-refused-row")

    # The audit log names who loaded the figure and for whom.
    with engine.connect() as connection:
        submission = connection.execute(
            sa.select(Submission.id, Submission.submitted_by)
            .order_by(Submission.id.desc())
            .limit(1)
        ).one()
        entry = connection.execute(
            sa.select(AuditLogEntry.username, AuditLogEntry.detail)
            .where(AuditLogEntry.event == "import")
            .order_by(AuditLogEntry.id.desc())
            .limit(1)
        ).one()
    assert submission.submitted_by == USERNAME
    assert entry.username == USERNAME
    assert entry.detail.startswith(f"submission {submission.id}: own.csv")
    assert entry.detail.endswith(
        f"1 changed, 0 unchanged; for the partnership, as {AGENCY}'s return"
    )

    # It rolls its own submission back (the live store is shared with other browser tests).
    page.get_by_text(f"Yes, roll back submission {submission.id}").click()
    ui.wait_for_app(page)
    page.get_by_role("button", name="Roll back this submission").click()
    page.get_by_test_id("stAlertContentSuccess").get_by_text(
        f"Submission {submission.id} was rolled back"
    ).first.wait_for(timeout=60_000)
    after = latest_partnership_values(engine=engine).set_index("code").loc[INDICATOR]
    assert float(after["value"]) == float(latest["value"])
