"""The upload page holds an unusual figure until the officer ticks the confirmation box."""

from __future__ import annotations

import sqlalchemy as sa

from dashboard.views import data_management_import as import_flow
from data_access.importer import check_file, load_checked
from data_access.models import IndicatorValue
from tests.support.data_management_page import open_as, texts
from tests.support.import_corpus import TODAY, csv_bytes, seed_reference
from tests.support.visible_text import visible


def test_a_held_figure_loads_only_when_confirmed(sqlite_store: sa.Engine, use_store) -> None:
    seed_reference(sqlite_store)
    history = [
        ["MASH_CONTACTS", q, "", "", 700, "", "", "", ""]
        for q in ("2024-25 Q3", "2024-25 Q4", "2025-26 Q1")
    ]
    load_checked(
        engine=sqlite_store,
        username="qa",
        checked=check_file(
            engine=sqlite_store, file_name="h.csv", data=csv_bytes(history), today=TODAY
        ),
    )
    use_store(sqlite_store)
    checked = import_flow.check_upload(
        engine=sqlite_store,
        file_name="slip.csv",
        data=csv_bytes([["MASH_CONTACTS", "2025-26 Q2", "", "", 7000, "", "", "", ""]]),
        agency_code=None,
    )
    at = open_as("qa_officer", {import_flow.CHECKED_STATE: checked})
    assert not at.exception, [e.value for e in at.exception]
    assert "1 figure(s) look unusual" in texts(at)
    held = next(f.value for f in at.dataframe if "Why it is held" in f.value.columns)
    assert "10 times the usual level" in held["Why it is held"].iloc[0]
    at.button(key="dm_load").click().run()
    assert "held for you to confirm" in visible(at.error[0].value)
    with sqlite_store.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 3
    at.checkbox(key="dm_confirm_held").check().run()
    at.button(key="dm_load").click().run()
    assert not at.exception
    assert "1 unusual figure(s) were confirmed and loaded" in visible(at.success[0].value)
