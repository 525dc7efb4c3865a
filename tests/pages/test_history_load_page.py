"""A partnership's first history load, straight into an empty store, shows on a theme page."""

from __future__ import annotations

import sqlalchemy as sa

from data_access.importer import check_file, load_checked
from tests.support.import_corpus import TODAY, csv_bytes
from tests.support.import_corpus.history import history_rows
from tests.support.theme_apptest import app_for, texts


def test_a_history_load_shows_on_the_mash_page(sqlite_store: sa.Engine, use_store) -> None:
    checked = check_file(
        engine=sqlite_store, file_name="history.csv", data=csv_bytes(history_rows()), today=TODAY
    )
    load_checked(engine=sqlite_store, checked=checked, username="qa.history")
    use_store(sqlite_store)
    at = app_for("mash", "qa_officer").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "No quarterly figures have been loaded yet" not in texts(at)
    # The latest quarter loaded is the one shown, and the headline tiles carry figures.
    assert "2024-25 Q4" in [s.value for s in at.selectbox]
    assert at.metric and all(m.value not in ("", None) for m in at.metric[:3])
    # The four years of annual history are under Annual figures, latest year first.
    assert at.selectbox(key="annual_year_financial_year").value == "2024-25"
    annual = next(
        f.value for f in at.dataframe if {"Year before", "Target"} <= set(f.value.columns)
    )
    assert annual["Year before"].str.endswith("in 2023-24").all()
    assert not (annual["Figure"] == "no data").any()
    assert annual["Change"].str.contains(" on 2023-24").all()
