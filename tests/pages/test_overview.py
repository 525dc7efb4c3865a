"""The overview under AppTest: scorecard, needs-attention list, summaries, theme links."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from data_access import catalogue  # noqa: E402
from tests.support.theme_apptest import BOARD_ROLES, app_for, table_with, texts
from tests.support.theme_seed import seed_themes


@pytest.mark.parametrize("role", BOARD_ROLES)
def test_renders_on_sample_store(role: str, sample_store: sa.Engine, use_store) -> None:
    use_store(sample_store)
    at = app_for("overview", role).run()
    assert not at.exception, [e.value for e in at.exception]
    scorecard = table_with(at, "Indicator", "Trend", "RAG", "SPC variation", "Quarters running")
    assert len(scorecard) == sum(1 for i in catalogue.indicators() if i.headline)
    assert "The quarter in brief" in texts(at)
    headers = [h.value for h in at.header]
    assert headers[0].startswith("The quarter at a glance")
    assert headers[1:6] == [
        "Themes",
        "Needs attention",
        "Learning and risk",
        "Scorecard",
        "Assurance summaries this quarter",
    ]
    for theme in catalogue.themes():
        assert theme.name in texts(at)  # one link per theme


def test_empty_store(sqlite_store: sa.Engine, use_store) -> None:
    use_store(sqlite_store)
    at = app_for("overview", "executive").run()
    assert not at.exception
    assert "No figures have been loaded yet" in texts(at)


def test_needs_attention_and_summaries(sqlite_store: sa.Engine, use_store) -> None:
    seed_themes(sqlite_store)
    use_store(sqlite_store)
    at = app_for("overview", "executive").run()
    assert not at.exception
    page = texts(at)
    assert "Contacts decided within one working day" in page
    assert "red against target" in page
    assert "MASH (front door): MASH Steering Group" in page
    scorecard = table_with(at, "Indicator", "RAG")
    decisions = scorecard[scorecard["Indicator"] == "Contacts decided within one working day"].iloc[
        0
    ]
    assert decisions["RAG"] == "✖ Red"
    assert decisions["England"] == "90.0%"


def test_youth_council_refused(sqlite_store: sa.Engine, use_store) -> None:
    use_store(sqlite_store)
    at = app_for("overview", "youth_council").run()
    assert "does not have access" in at.error[0].value


def test_terms_are_explained_and_no_measure_on_target_is_called_a_problem(
    sample_store: sa.Engine,
    use_store,
) -> None:
    """Issue 14 items 8 and 10, on the sample's latest quarter."""
    from dashboard.metrics import brief, glossary
    from data_access.indicators import periods_with_data

    use_store(sample_store)
    at = app_for("overview", "executive").run()
    assert not at.exception
    expander = next(e for e in at.expander if e.label == "What these terms mean")
    explained = "\n".join(str(m.value) for m in expander.markdown)
    for key in ("rag", "pp", "special_cause", "common_cause", "hit_and_miss", "stat_neighbours"):
        assert glossary.term(key).meaning in explained, key
    quarter = str(periods_with_data(engine=sample_store)["code"].iloc[-1])
    card = brief.quarter_brief(engine=sample_store, period_code=quarter, headline_only=True)
    flagged = set(card[card["needs_attention"]]["name"])
    summary = next(str(m.value) for m in at.markdown if "measures with a target" in m.value)
    problems = summary.split("Needs attention most")[1:]
    for sentence in problems:
        named = [name for name in card["name"] if f"): {name} " in sentence]
        assert named and set(named) <= flagged, sentence
    on_target = card[(card["rag"] == "green") & ~card["needs_attention"]]["name"]
    for name in on_target:
        for sentence in problems:
            assert f"): {name} " not in sentence


def test_the_scorecard_download_is_the_cli_file_in_the_pages_words(
    sqlite_store: sa.Engine, use_store, monkeypatch, tmp_path
) -> None:
    """'Download the scorecard (CSV)' is made when pressed, audit-logged, byte for byte what
    `qa-dashboard scorecard` writes, and says what the overview's table says of each measure."""
    import io
    import re

    import pandas as pd
    import streamlit

    from dashboard import cli
    from data_access.models import AuditLogEntry

    seed_themes(sqlite_store)
    use_store(sqlite_store)
    buttons = {}
    real = streamlit.download_button

    def keep(label, data, *args, **kwargs):
        buttons[kwargs["key"]] = (label, data, kwargs["file_name"])
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", keep)
    at = app_for("overview", "executive").run()
    assert not at.exception, [e.value for e in at.exception]
    label, make, file_name = buttons["scorecard_csv"]
    assert label == "Download the scorecard (CSV)" and callable(make)
    data = make()
    rows = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(rows["code"]) == [i.code for i in catalogue.indicators()]
    period = rows["period"].iloc[0]
    assert file_name == f"scorecard_{period.replace(' ', '_')}.csv"
    with sqlite_store.connect() as connection:
        logged = connection.execute(
            sa.select(AuditLogEntry.detail).where(AuditLogEntry.event == "export")
        ).scalars()
        assert list(logged) == [f"{file_name}: the scorecard, {len(rows)} rows"]

    out = tmp_path / "card.csv"
    url = sqlite_store.url.render_as_string(hide_password=False)
    assert cli.main(["--database-url", url, "scorecard", "--period", period, "-o", str(out)]) == 0
    assert out.read_bytes() == data

    def norm(text: object) -> str:  # the words, without badge symbols or a spreadsheet's '
        return re.sub(r"\s+", " ", re.sub(r"[✖▲✔–?~!↑◆…']", "", str(text))).strip().lower()

    by_name = rows.set_index("name")
    shown = table_with(at, "Indicator", "RAG", "SPC variation", "SPC assurance")
    assert len(shown)
    for _, said in shown.iterrows():
        row = by_name.loc[said["Indicator"]]
        for column, field in (
            ("RAG", "rag"),
            ("SPC variation", "variation"),
            ("SPC assurance", "assurance"),
            ("Quarters running", "run"),
            ("Change on last quarter", "change_quarter"),
        ):
            assert norm(said[column]) == norm(row[field]), (said["Indicator"], column)
