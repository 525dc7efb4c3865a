"""A figure's qualifiers read the same on every surface staff see, and never reach youth pages.

One figure carries all three qualifiers: a bound ("more than 40%"), the GSS symbol u (low
reliability) and the partner's comment, written with Markdown and HTML in it. The quarter brief
(`dashboard.metrics.brief`) words it once - `display_value` "more than 40.0% u" and `figure_note`
"u: low reliability; a bound ...; <comment>" - and the theme page's tile and scorecard table, the
overview, meeting mode, the drill-down rows, the PDF and the PowerPoint must say exactly those
words, with the comment as the characters typed. The youth council's pages never show the comment.

Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from dashboard.board_pack.content import assemble
from dashboard.board_pack.pdf import build_pdf
from dashboard.board_pack.pptx_builder import build_pptx
from dashboard.components.plain import escape_markdown
from dashboard.metrics import brief
from dashboard.views import meeting_mode as meeting
from data_access import themes
from data_access.importer import check_file, load_checked
from tests.support.import_corpus import PERIOD, TODAY, csv_bytes, seed_reference
from tests.support.signed_in import signed_in_app

# Markdown, HTML and a link in the partner's own words: shown as typed, never rendered.
COMMENT = "Partial month: *new* <b>case system</b> [see](http://example.test) $x$"
MARKED = "MASH_DECISION_1WD"
MARKED_NAME = "Contacts decided within one working day"
WANT_VALUE = "more than 40.0% u"
WANT_NOTE = "u: low reliability; a bound: the figure is more than the value shown; " + COMMENT
# The drill-down page lists rows of indicators reported by agency or locality.
BROKEN_DOWN = "MASH_CONTACTS"
CONTACTS_COMMENT = "Contacts from the new <i>portal</i> counted twice in week 3"


@pytest.fixture
def qualified_store(store: sa.Engine, use_store) -> Iterator[sa.Engine]:
    """A store whose MASH figures for PERIOD carry a bound, a u and comments."""
    seed_reference(store)
    rows = [
        [MARKED, PERIOD, "", "", "more than 40%", "", "", "u", COMMENT],
        [BROKEN_DOWN, PERIOD, "", "", 2400, "", "", "", ""],
        [BROKEN_DOWN, PERIOD, "", "NORTH", 800, "", "", "u", CONTACTS_COMMENT],
    ]
    checked = check_file(engine=store, file_name="r.csv", data=csv_bytes(rows), today=TODAY)
    assert checked.validation.errors.empty, checked.report.to_dict("records")
    load_checked(engine=store, checked=checked, username="qa.tester", confirm_outliers=True)
    yield use_store(store)


def _truth(engine: sa.Engine) -> pd.Series:
    card = brief.quarter_brief(engine=engine, period_code=PERIOD)
    return card.set_index("code").loc[MARKED]


def _run(key: str, role: str) -> AppTest:
    at = signed_in_app(key, role, query={"quarter": PERIOD}, timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _table(at: AppTest, *columns: str) -> pd.DataFrame:
    for element in at.dataframe:
        if set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with {columns}")


def _all_text(at: AppTest) -> str:
    parts = [
        str(e.value)
        for kind in (
            "markdown",
            "caption",
            "text",
            "header",
            "subheader",
            "title",
            "info",
            "success",
            "warning",
            "error",
        )
        for e in getattr(at, kind)
    ]
    parts += [str(m.value) + " " + str(m.label) for m in at.metric]
    parts += [e.value.to_csv() for e in at.dataframe]
    return "\n".join(parts)


def test_the_brief_words_the_figure_once(qualified_store: sa.Engine) -> None:
    row = _truth(qualified_store)
    assert row["name"] == MARKED_NAME
    assert row["value"] == 40.0 and row["qualifier"] == "more than"
    assert row["status_symbol"] == "u" and row["comment"] == COMMENT
    assert row["display_value"] == WANT_VALUE
    assert row["figure_note"] == WANT_NOTE
    # More than 40% against a target of 90% (tolerance 5) could be red, amber or green.
    assert row["rag"] == "not judged"
    # A figure with nothing to qualify it has no note and reads as a plain number.
    contacts = (
        brief.quarter_brief(engine=qualified_store, period_code=PERIOD)
        .set_index("code")
        .loc[BROKEN_DOWN]
    )
    assert contacts["display_value"] == "2,400" and contacts["figure_note"] == ""


def test_theme_page_tile_and_table_say_what_the_brief_says(qualified_store: sa.Engine) -> None:
    row = _truth(qualified_store)
    at = _run("mash", "executive")
    tile = next(m for m in at.metric if m.label == MARKED_NAME)
    assert tile.value == row["display_value"]
    captions = [str(c.value) for c in at.caption]
    # The caption is Markdown source that shows the comment's characters as typed.
    assert f"Note on this figure: {escape_markdown(row['figure_note'])}" in captions
    table = _table(at, "Indicator", "Note on the figure").set_index("Indicator")
    assert table.loc[MARKED_NAME, "Value"] == row["display_value"]
    assert table.loc[MARKED_NAME, "Note on the figure"] == row["figure_note"]
    assert table.loc[MARKED_NAME, "RAG"] == "↕ Not judged"


def test_meeting_mode_tile_says_what_the_brief_says(qualified_store: sa.Engine) -> None:
    row = _truth(qualified_store)
    number = 1 + [s.key for s in meeting.screens()].index("mash")
    at = signed_in_app(
        "meeting_mode", "executive", query={"quarter": PERIOD, "screen": str(number)}, timeout=180
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    tiles = "\n".join(str(m.value) for m in at.markdown)
    assert (
        f'meeting-tile-name">{MARKED_NAME}</div><div class="meeting-tile-value">'
        f"{row['display_value']}</div>" in tiles
    )
    assert f"Note: {escape_markdown(row['figure_note'])}" in [str(c.value) for c in at.caption]
    assert "Not judged: the figure is a bound either side of the target" in tiles


def test_overview_says_what_the_brief_says(qualified_store: sa.Engine) -> None:
    row = _truth(qualified_store)
    at = _run("overview", "executive")
    table = _table(at, "Indicator", "Note on the figure").set_index("Indicator")
    assert table.loc[MARKED_NAME, "Value"] == row["display_value"]
    assert table.loc[MARKED_NAME, "Note on the figure"] == row["figure_note"]
    assert table.loc[MARKED_NAME, "RAG"] == "↕ Not judged"


def test_drill_down_rows_carry_the_note(qualified_store: sa.Engine) -> None:
    rows = themes.drilldown_rows(engine=qualified_store, indicator_code=MARKED, period_code=PERIOD)
    assert list(rows["marked_as"]) == [WANT_NOTE]
    at = _run("mash", "qa_officer")
    # The breakdown table and the rows behind it (all rows of the first broken-down indicator).
    at.radio(key="breakdown_dimension").set_value("locality").run()
    assert not at.exception, [e.value for e in at.exception]
    breakdown = _table(at, "Locality", "Note on the figure")
    north = breakdown.set_index("Locality").loc["North"]
    assert north["Value"] == "800 u"
    assert north["Note on the figure"] == f"u: low reliability; {CONTACTS_COMMENT}"
    detail = _table(at, "value_id", "marked_as")
    noted = detail[detail["comment"] == CONTACTS_COMMENT]
    assert list(noted["marked_as"]) == [f"u: low reliability; {CONTACTS_COMMENT}"]


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_and_powerpoint_say_what_the_brief_says(qualified_store: sa.Engine) -> None:
    row = _truth(qualified_store)
    content = assemble(engine=qualified_store, period_code=PERIOD, generated_by="qa.tester")
    assert f"{MARKED_NAME}: {WANT_NOTE}" in content.figure_notes
    tile = next(t for s in content.themes for t in s.tiles if t.name == MARKED_NAME)
    assert tile.value == row["display_value"] and tile.note == row["figure_note"]

    # The PDF's text layer spaces words as laid out ("</ b>"): compare without white space.
    text = _squash(_pdf_text(build_pdf(content)))
    # Scorecard row (theme, indicator, value), the tile and the footnote, comment as typed.
    # Theme, indicator, figure, target (90.0%), RAG: the pack scorecard's Target column.
    assert _squash(f"MASH (front door) {MARKED_NAME} {WANT_VALUE} 90.0% Not judged") in text
    assert _squash(f"{MARKED_NAME} {WANT_VALUE} RAG:") in text
    assert _squash(f"Note: {WANT_NOTE}") in text
    assert _squash(f"Notes on the figures {MARKED_NAME}: {WANT_NOTE}") in text

    slides = Presentation(io.BytesIO(build_pptx(content))).slides
    table_values, tile_lines, notes = {}, [], []
    for slide in slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        for shape in slide.shapes:
            if shape.has_table and title.startswith("Overview scorecard"):
                cells = [[c.text for c in r.cells] for r in shape.table.rows]
                column = {name: i for i, name in enumerate(cells[0])}
                table_values |= {r[column["Indicator"]]: r[column["Value"]] for r in cells[1:]}
            elif shape.has_text_frame and title == "Overview scorecard: notes on the figures":
                notes += shape.text_frame.text.split("\n")
            elif shape.has_text_frame and title.endswith("headline figures"):
                lines = shape.text_frame.text.split("\n")
                if lines[0] == MARKED_NAME:
                    tile_lines = lines
    assert table_values[MARKED_NAME] == WANT_VALUE
    assert tile_lines[1] == WANT_VALUE and f"Note: {WANT_NOTE}" in tile_lines
    assert f"• {MARKED_NAME}: {WANT_NOTE}" in notes


@pytest.mark.parametrize("page", ["youth_themes", "youth_section11"])
def test_youth_pages_never_show_a_staff_comment(qualified_store: sa.Engine, page: str) -> None:
    at = _run(page, "youth_council")
    shown = _all_text(at)
    if page == "youth_themes":
        assert "Some of the numbers" in shown  # the figures are on the page...
    for words in ("case system", "Partial month", "portal", "low reliability; "):
        assert words not in shown  # ...but not what staff wrote about them


def test_the_youth_check_can_fail(qualified_store: sa.Engine) -> None:
    """The staff theme page does show the comment, so the youth check above can fail."""
    shown = _all_text(_run("mash", "executive"))
    assert "case system" in shown and "Partial month" in shown
