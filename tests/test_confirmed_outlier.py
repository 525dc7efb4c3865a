"""Issue 26: a figure held as unusual at import and confirmed carries a visible mark (who
confirmed it, when) on every surface that shows it, and is never the "Going well" line.

Open early help assessments loaded as ten times its usual level, held, then confirmed by a QA
officer: the store keeps who confirmed it and when (migration 0014); the brief marks it; the
overview, its theme tile, meeting mode, the PDF and the PowerPoint show the mark; the overview's
narrative does not celebrate it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.board_pack.content import assemble
from dashboard.board_pack.pdf import build_pdf
from dashboard.board_pack.pptx_builder import build_pptx
from dashboard.metrics import brief, narrative
from dashboard.metrics.scorecard import UNUSUAL_FLAG, unusual_mark
from dashboard.views import meeting_mode as meeting
from data_access import migrate
from data_access.db import engine_for
from data_access.importer import check_file, load_checked
from data_access.models import Indicator, IndicatorValue
from tests.support.import_corpus import csv_bytes
from tests.support.one_truth import pdf_text, run_page
from tests.support.theme_seed import LATEST, TODAY, seed_themes
from tests.support.visible_text import visible
from tests.test_one_truth import _block_with_key, pptx_words

CODE = "EH_OPEN_ASSESSMENTS"
NAME = "Open early help assessments"
OFFICER = "qa.officer"


def load_confirmed(engine: sa.Engine) -> float:
    """Seed the themes, then load ten times the latest figure, held and confirmed; its value."""
    seed_themes(engine)
    with engine.connect() as connection:
        usual = connection.scalar(
            sa.select(IndicatorValue.value)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .where(
                Indicator.code == CODE,
                IndicatorValue.is_current.is_(True),
                IndicatorValue.agency_id.is_(None),
                IndicatorValue.locality_id.is_(None),
            )
            .order_by(IndicatorValue.period_id.desc())
        )
    figure = float(round(float(usual) * 11))  # about ten times its usual level: held
    data = csv_bytes([[CODE, LATEST, "", "", figure, "", "", "", ""]])
    checked = check_file(engine=engine, file_name="slip.csv", data=data, today=TODAY)
    assert len(checked.held_rows) == 1
    load_checked(engine=engine, checked=checked, username=OFFICER, confirm_outliers=True)
    return figure


def test_confirmation_is_stored_with_the_figure(store: sa.Engine) -> None:
    # SQLite and PostgreSQL: who confirmed it, when, and why it was held.
    load_confirmed(store)
    with store.connect() as connection:
        rows = connection.execute(
            sa.select(
                IndicatorValue.confirmed_by,
                IndicatorValue.confirmed_at,
                IndicatorValue.held_reason,
            ).where(IndicatorValue.confirmed_by.is_not(None))
        ).all()
    assert len(rows) == 1
    by, at, reason = rows[0]
    assert by == OFFICER
    assert abs(at - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=5)
    assert "times the usual level" in reason
    row = brief.quarter_brief(engine=store, period_code=LATEST).set_index("code").loc[CODE]
    assert row["unusual_mark"] == unusual_mark(OFFICER, at)
    assert f"confirmed by {OFFICER} on {at.day} {at:%B %Y}" in row["figure_note"]
    # An ordinary figure has no mark.
    other = brief.quarter_brief(engine=store, period_code=LATEST).set_index("code")
    assert (other.drop(index=CODE)["unusual_mark"] == "").all()


def test_unusual_mark_words() -> None:
    assert unusual_mark(None, None) == ""
    assert (
        unusual_mark("qa.officer", dt.datetime(2026, 12, 7, 15, 4))
        == "Held as unusual at import; confirmed by qa.officer on 7 December 2026"
    )


def test_migration_0014_adds_and_drops_the_columns(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate.upgrade(engine, "0013")
    migrate.upgrade(engine, "0014")
    with engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("indicator_value")}
    assert {"held_reason", "confirmed_by", "confirmed_at"} <= columns
    migrate.downgrade(engine, "0013")
    with engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("indicator_value")}
        # The one-current-figure index is an expression index, which SQLAlchemy cannot reflect.
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'index'"
            if connection.dialect.name == "sqlite"
            else "SELECT indexname FROM pg_indexes WHERE tablename = 'indicator_value'"
        )
        indexes = set(connection.scalars(sa.text(query)))
    assert "confirmed_by" not in columns and "uq_indicator_value_current" in indexes
    migrate.upgrade(engine)


@pytest.fixture
def confirmed(sqlite_store: sa.Engine, use_store) -> sa.Engine:
    load_confirmed(sqlite_store)
    return use_store(sqlite_store)


def mark_of(engine: sa.Engine) -> str:
    return str(
        brief.quarter_brief(engine=engine, period_code=LATEST)
        .set_index("code")
        .loc[CODE, "unusual_mark"]
    )


def test_every_surface_marks_it_and_the_overview_does_not_celebrate_it(
    confirmed: sa.Engine,
) -> None:
    mark = mark_of(confirmed)
    assert mark.startswith("Held as unusual at import; confirmed by qa.officer on ")
    truth = brief.quarter_brief(engine=confirmed, period_code=LATEST)
    row = truth.set_index("code").loc[CODE]
    # Without the rule it would be the "Going well" line: green, first in catalogue order.
    assert row["rag"] == "green" and not row["needs_attention"]
    assert not any(s.startswith(f"Going well: {NAME}") for s in narrative.theme_narrative(truth))
    unmarked = truth.assign(unusual_mark="")
    assert any(s.startswith(f"Going well: {NAME}") for s in narrative.theme_narrative(unmarked))

    figure = str(row["display_value"])
    flagged = f"{figure} {UNUSUAL_FLAG}"
    assert flagged == f"{figure} ⚑ confirmed unusual"

    overview = run_page("overview", quarter=LATEST)
    table = next(f.value for f in overview.dataframe if "Note on the figure" in f.value.columns)
    # The flag is in the value's own cell; who confirmed it and when stays in the note.
    assert table.set_index("Indicator").loc[NAME, "Value"] == flagged
    assert mark in table.set_index("Indicator").loc[NAME, "Note on the figure"]
    others = table[table["Indicator"] != NAME]["Value"]
    assert not others.str.contains("⚑").any()
    page = "\n".join(str(m.value) for m in (*overview.markdown, *overview.caption))
    assert f"Going well: {NAME}" not in page

    theme = run_page("early_help", quarter=LATEST)
    tile = _block_with_key(theme.main, f"tile_{CODE}")
    assert tile is not None
    # On the big number itself, and in words in the first badge under it.
    assert [m.value for m in tile.metric] == [f"{figure} ⚑"]
    badges = [str(m.value) for m in tile.markdown if "qa-badge" in str(m.value)]
    assert badges and badges[0].index("confirmed unusual") < badges[0].index("Green")
    assert any(mark in visible(str(c.value)) for c in tile.caption)

    shown = False
    for number in range(2, len(meeting.screens()) + 1):
        at = run_page("meeting_mode", quarter=LATEST, screen=str(number))
        captions = visible("\n".join(str(c.value) for c in at.caption))
        shown = shown or mark in captions
    assert shown, "meeting mode does not mark the figure"

    content = assemble(engine=confirmed, period_code=LATEST, generated_by="qa.demo")
    # The pack's scorecard row and its tile carry the flag in the value; the note says who.
    scorecard_row = next(r for r in content.scorecard.rows if r[1] == NAME)
    assert scorecard_row[2] == flagged
    assert [t.value for theme in content.themes for t in theme.tiles if t.name == NAME] == [flagged]
    pdf = " ".join(pdf_text(build_pdf(content)).split())
    assert mark in pdf and UNUSUAL_FLAG in pdf
    _, _, slides = pptx_words(build_pptx(content))
    assert mark in slides.replace("\n", " ")
