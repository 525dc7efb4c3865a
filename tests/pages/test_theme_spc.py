"""The theme page's control-chart section under AppTest: whole history regardless of the date
filter, settings in words, trial-limit warning, and recording a change in the process (rebase)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import spc_changes
from data_access.audit_log import recent_entries
from tests.support.theme_apptest import app_for, texts
from tests.support.theme_seed import LATEST, QUARTERS, seed_themes
from tests.support.visible_text import visible

CODE = "MASH_DECISION_1WD"


@pytest.fixture
def seeded(sqlite_store: sa.Engine, use_store) -> sa.Engine:
    seed_themes(sqlite_store)
    return use_store(sqlite_store)


def _spc_caption(at) -> str:
    # As read: chart captions are escaped, since they can name agencies and localities.
    return next(
        visible(c.value)
        for c in at.caption
        if visible(str(c.value)).startswith("XmR control chart of")
    )


def test_limits_do_not_move_with_the_date_filter(seeded: sa.Engine) -> None:
    wide = app_for("mash", "executive").run()
    wide.selectbox(key="spc_indicator").select(CODE).run()
    narrow = app_for("mash", "executive", **{"from": QUARTERS[-4].code}).run()
    narrow.selectbox(key="spc_indicator").select(CODE).run()
    assert not wide.exception and not narrow.exception
    assert narrow.selectbox(key="theme_from").value == QUARTERS[-4].code
    caption = _spc_caption(wide)
    assert caption == _spc_caption(narrow)
    assert f"for {len(QUARTERS)} quarters" in caption
    page = texts(wide)
    assert "are left out of the limits" in page
    assert "7 quarters in a row rising or falling" in page
    # Twelve quarters is fewer than thirteen: the page warns that these are trial limits.
    assert "Trial limits: the limits rest on 12 quarter(s)" in page


def test_qa_officer_records_a_change_and_every_role_sees_it(seeded: sa.Engine) -> None:
    at = app_for("mash", "qa_officer").run()
    at.selectbox(key="spc_indicator").select(CODE).run()
    assert "No change in this indicator's process has been recorded" in texts(at)
    reason = "**New** triage team <b>started</b>"
    at.selectbox(key="spc_change_quarter").select(QUARTERS[-3].code)
    at.text_area(key="spc_change_reason").input(reason)
    at.button(key="spc_change_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"recorded from {QUARTERS[-3].code}" in texts(at)
    assert spc_changes.rebase_periods(engine=seeded) == {CODE: [QUARTERS[-3].code]}
    log = recent_entries(engine=seeded, event="spc_change_recorded")
    assert log.iloc[0]["username"] == "qa_officer.test" and log.iloc[0]["page"] == "mash"
    # The reason is shown as plain text, never as Markdown or HTML.
    shown = [t.value for t in at.text]
    assert any(reason in value for value in shown)
    assert f"from a change in the process recorded at {QUARTERS[-3].code}" in _spc_caption(at)

    executive = app_for("mash", "executive").run()
    executive.selectbox(key="spc_indicator").select(CODE).run()
    assert any(reason in t.value for t in executive.text)
    assert not [w for w in executive.text_area if w.key == "spc_change_reason"]


def test_an_empty_reason_saves_nothing(seeded: sa.Engine) -> None:
    at = app_for("mash", "admin").run()
    at.selectbox(key="spc_indicator").select(CODE).run()
    at.button(key="spc_change_save").click().run()
    assert "Nothing was saved. Say what changed in the process" in at.error[0].value
    assert spc_changes.rebase_periods(engine=seeded) == {}


def test_a_change_can_be_withdrawn(seeded: sa.Engine) -> None:
    spc_changes.record_change(
        engine=seeded,
        indicator_code=CODE,
        period_code=LATEST,
        reason="Wrongly recorded",
        recorded_by="qa.demo",
    )
    at = app_for("mash", "qa_officer").run()
    at.selectbox(key="spc_indicator").select(CODE).run()
    assert "Not enough data for a control chart yet: 1 quarter(s) since the change" in (
        _spc_caption(at)
    )
    at.text_input(key="spc_withdraw_reason").input("Entered against the wrong quarter")
    at.button(key="spc_withdraw_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Withdrew the change from" in texts(at)
    assert spc_changes.rebase_periods(engine=seeded) == {}
