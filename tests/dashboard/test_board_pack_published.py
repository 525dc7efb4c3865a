"""The board pack's annual figures carry the statutory measures beside England, the region and
the statistical neighbours' average, as the DfE published them, with the OGL v3 attribution, in
the PDF's HTML and the PowerPoint."""

from __future__ import annotations

import dataclasses
import io

import sqlalchemy as sa
from pptx import Presentation

from dashboard.board_pack import content as pack_content
from dashboard.board_pack.pdf import build_html
from dashboard.board_pack.pptx_builder import build_pptx
from data_access import published
from data_access import published_tables as tables
from tests.support.pack_factory import hand_built_content


def test_the_packs_annual_year_shows_stockport_beside_england_and_the_north_west(
    sqlite_store: sa.Engine,
) -> None:
    published.setup_councils(engine=sqlite_store, council_codes=["356"])
    year = pack_content.annual_year(engine=sqlite_store, year_code="2019-20")
    assert year.published is not None
    columns = year.published.columns
    assert columns[:3] == ("Indicator", "Unit", "Stockport (published)")
    rows = {row[0]: dict(zip(columns, row, strict=True)) for row in year.published.rows}
    cin = rows["Children in need per 10,000 children"]
    assert (cin["Stockport (published)"], cin["England"], cin["North West"]) == (
        "354.1",
        "330.1",
        "373.0",
    )
    assert tables.ATTRIBUTION in year.published_notes
    assert year.published_neighbours is not None
    assert year.published_neighbours.columns[:3] == ("Indicator", "Solihull", "Trafford")
    named = {row[0]: row for row in year.published_neighbours.rows}
    solihull = named["Children in need per 10,000 children"][1]
    assert (
        solihull
        == f"{published.comparison(engine=sqlite_store, code='STAT_CIN_RATE', period_code='2019-20').set_index('area').loc['Solihull', 'value']:.1f}"
    )

    pack = dataclasses.replace(hand_built_content(charts=False), annual=(year,))
    html = build_html(pack)
    assert "beside England, the region and statistical neighbours" in html
    assert "each statistical neighbour" in html
    assert "Open Government Licence v3.0" in html
    deck = Presentation(io.BytesIO(build_pptx(pack)))
    said = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert "beside England, the region and statistical neighbours" in said
    assert "Open Government Licence v3.0" in said
