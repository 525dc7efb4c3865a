"""The PDF pack's tagged structure, read back from the file: what a screen reader is given.

PDF/UA asks for a marked, tagged document with headings, tables whose header cells are known,
figures with alternative text, a reading order, a language and a displayed title. Each of those is
read here from the PDF's structure tree (pypdf), not from the HTML it was made from.
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, IndirectObject

from dashboard.board_pack import charts_static, sections
from dashboard.board_pack.generate import render_charts
from dashboard.board_pack.model import PackContent, Table
from dashboard.board_pack.pdf import build_html, build_pdf
from dashboard.board_pack.pptx_builder import build_pptx
from dashboard.metrics import glossary
from tests.support.pack_factory import hand_built_content

USER_TEXT = "<b>Not bold</b> & {{ not a template }}"


@pytest.fixture(scope="module")
def content() -> PackContent:
    drawn = render_charts(hand_built_content())
    # Text a person typed must arrive as text, never as markup.
    return dataclasses.replace(
        drawn,
        challenges=Table(columns=("Agency", "Challenge"), rows=(("Brookvale Academy", USER_TEXT),)),
    )


@pytest.fixture(scope="module")
def pdf_bytes(content: PackContent) -> bytes:
    return build_pdf(content)


@pytest.fixture(scope="module")
def reader(pdf_bytes: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes))


@dataclasses.dataclass
class Element:
    """A structure element with its type, attributes, children and the text it marks."""

    tag: str
    node: DictionaryObject
    children: list[Element]
    text: str


def _marked_texts(page: Any) -> dict[int, str]:
    """The text drawn inside each marked-content id (MCID) of one page."""
    texts: dict[int, str] = defaultdict(str)
    stack: list[int | None] = []

    def before(operator: bytes, args: list[Any], *_: Any) -> None:
        if operator in (b"BDC", b"BMC"):
            props = args[1] if len(args) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, dict) else None
            stack.append(int(mcid) if mcid is not None else None)
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(chunk: str, *_: Any) -> None:
        current = next((m for m in reversed(stack) if m is not None), None)
        if current is not None:
            texts[current] += chunk

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return dict(texts)


def _page_texts(reader: PdfReader) -> dict[int, dict[int, str]]:
    """For each page (by object number), the text of each of its MCIDs."""
    out: dict[int, dict[int, str]] = {}
    for page in reader.pages:
        assert page.indirect_reference is not None
        out[page.indirect_reference.idnum] = _marked_texts(page)
    return out


def _tree(reader: PdfReader) -> Element:
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    texts = _page_texts(reader)

    def build(node: DictionaryObject, page: int | None) -> Element:
        if "/Pg" in node:
            page = node.raw_get("/Pg").idnum
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
        children, parts = [], []
        for kid in kids:
            if isinstance(kid, IndirectObject):
                child = kid.get_object()
                if isinstance(child, DictionaryObject) and child.get("/Type") == "/StructElem":
                    element = build(child, page)
                    children.append(element)
                    parts.append(element.text)
            elif isinstance(kid, int) and page is not None:
                parts.append(texts.get(page, {}).get(int(kid), ""))
        return Element(str(node.get("/S", "")), node, children, "".join(parts))

    return build(root, None)


def _walk(element: Element) -> list[Element]:
    out = [element]
    for child in element.children:
        out += _walk(child)
    return out


def _all(reader: PdfReader, tag: str) -> list[Element]:
    return [e for e in _walk(_tree(reader)) if e.tag == tag]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_pdf_is_marked_with_language_title_and_pdf_ua_identification(
    reader: PdfReader, pdf_bytes: bytes, content: PackContent
) -> None:
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert reader.metadata is not None and reader.metadata.title == content.title
    metadata = catalog["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in metadata


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) missing")
def test_pdfinfo_says_tagged(pdf_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf_bytes)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info


def test_headings_are_h1_per_section_and_h2_within(reader: PdfReader, content: PackContent) -> None:
    h1 = [_squash(e.text) for e in _all(reader, "/H1")]
    assert h1 == [
        content.partnership_name,
        sections.HOW_TO_READ_TITLE,
        "Contents",
        *content.contents(),
        sections.APPENDIX_TITLE,
    ]
    h2 = [_squash(e.text) for e in _all(reader, "/H2")]
    assert h2.count("Headline figures") == len(content.themes)
    assert h2.count("Key charts") == len(content.themes)
    # The outline (bookmarks) follows the headings.
    assert [item.title for item in reader.outline if not isinstance(item, list)] == h1


def test_tables_have_rows_header_cells_with_scope_and_data_cells_linked(
    reader: PdfReader,
) -> None:
    tables = _all(reader, "/Table")
    assert len(tables) >= 5
    for table in tables:
        cells = [e for e in _walk(table) if e.tag in ("/TH", "/TD")]
        assert [e for e in _walk(table) if e.tag == "/TR"]
        headers = [e for e in cells if e.tag == "/TH"]
        assert headers, _squash(table.text)[:80]
        ids = set()
        for th in headers:
            assert th.node["/A"]["/Scope"] in ("/Column", "/Row")
            ids.add(str(th.node["/ID"]))
        for td in (e for e in cells if e.tag == "/TD"):
            linked = {str(h) for h in td.node["/A"]["/Headers"]}
            assert linked and linked <= ids
    # A table that runs over a page is one Table element per page, each with its header row.
    terms = [t for t in tables if "What it means" in t.text]
    row_headers = [
        _squash(e.text)
        for t in terms
        for e in _walk(t)
        if e.tag == "/TH" and e.node["/A"]["/Scope"] == "/Row"
    ]
    assert row_headers == [term.label for term in glossary.TERMS]


def test_every_image_is_a_figure_with_the_charts_alt_text(
    reader: PdfReader, content: PackContent
) -> None:
    figures = _all(reader, "/Figure")
    charts = [chart for theme in content.themes for chart in theme.charts if chart.png]
    # Pages share one resource dictionary, so count each image object once.
    images = {
        ref.idnum
        for page in reader.pages
        for ref in page["/Resources"].get_object().get("/XObject", {}).get_object().values()
        if ref.get_object().get("/Subtype") == "/Image"
    }
    assert len(figures) == len(charts) == len(images) > 0
    assert sorted(str(f.node["/Alt"]) for f in figures) == sorted(c.alt_text for c in charts)


def test_reading_order_starts_with_the_title_and_follows_the_sections(
    reader: PdfReader, content: PackContent
) -> None:
    first_page = reader.pages[0].extract_text() or ""
    assert first_page.startswith(content.partnership_name)
    assert f"Board pack: {content.period_label}" in first_page
    # In the structure tree too: the first text a screen reader meets is the title.
    texts = [_squash(e.text) for e in _walk(_tree(reader)) if e.tag in ("/H1", "/P")]
    assert texts[0] == content.partnership_name
    assert texts[1] == f"Board pack: {content.period_label}"


def test_user_text_is_printed_as_text_not_markup(reader: PdfReader) -> None:
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert USER_TEXT in text


def test_pdf_footer_has_page_cutoff_and_partnership_only(
    reader: PdfReader, content: PackContent
) -> None:
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        assert f"{content.partnership_name} · Data cut-off 14 Oct 2025" in text
        assert f"Page {number} of {pages}" in text
        if number < pages:
            assert "1-212" not in text and "Submission ids" not in text, number
    appendix = reader.pages[-1].extract_text() or ""
    assert appendix.lstrip().startswith(sections.APPENDIX_TITLE)
    assert "1-212" in appendix and "212" in appendix


def test_how_to_read_comes_straight_after_the_cover_with_every_glossary_term(
    reader: PdfReader,
) -> None:
    text = _squash(" ".join((reader.pages[i].extract_text() or "") for i in (1, 2)))
    assert _squash(reader.pages[1].extract_text() or "").startswith(sections.HOW_TO_READ_TITLE)
    for term in glossary.TERMS:
        assert _squash(term.meaning) in text, term.key


# --- charts at print size ------------------------------------------------------------------------


def _quarters(first_year: int, count: int) -> list[str]:
    return [
        f"{first_year + i // 4}-{(first_year + i // 4 + 1) % 100:02d} Q{i % 4 + 1}"
        for i in range(count)
    ]


def test_long_series_label_one_quarter_a_year() -> None:
    labels = _quarters(2019, 30)
    shown = charts_static.label_subset(labels, 930)
    assert shown == [q for q in labels if q.endswith("Q1")]
    assert len(shown) <= 930 // charts_static.LABEL_ROOM_PX


def test_short_series_label_every_other_quarter_or_all() -> None:
    labels = _quarters(2024, 8)
    assert charts_static.label_subset(labels, 420) == [q for q in labels if q[-1] in "13"]
    assert charts_static.label_subset(labels[:4], 420) == labels[:4]


def test_print_spec_fits_the_y_axis_to_the_data_and_keeps_labels_legible() -> None:
    from dashboard.components import charts
    from dashboard.metrics import spc

    labels = _quarters(2019, 28)
    values = [870.0 + (i % 5) * 8 for i in range(28)]
    result = spc.xmr(values, polarity="higher_is_better", target=800, labels=labels)
    chart = charts.spc_chart(
        result, name="Contacts", unit="percentage", polarity="higher_is_better", target=800
    )
    spec = charts_static.for_print(chart.to_dict(), *charts_static.CONTROL_SIZE)
    assert (spec["width"], spec["height"]) == charts_static.CONTROL_SIZE
    views = charts_static._views(spec)
    for view in views:
        y = (view.get("encoding") or {}).get("y")
        if isinstance(y, dict) and y.get("type") == "quantitative":
            scale = y.get("scale") or {}
            assert scale.get("domain") != [0, 100] and scale.get("zero") is False
    axes = [
        v["encoding"]["x"]["axis"]
        for v in views
        if (v.get("encoding") or {}).get("x", {}).get("field") == "quarter"
    ]
    assert axes and all(a["labelAngle"] == 0 for a in axes)
    assert all(a["values"] == [q for q in labels if q.endswith("Q1")] for a in axes)
    # Charts print at 1 chart px = 1 CSS px = 0.75 pt: 12 px is the 9 pt floor.
    config = spec["config"]
    for size in (
        config["axis"]["labelFontSize"],
        config["axis"]["titleFontSize"],
        config["legend"]["labelFontSize"],
        config["title"]["subtitleFontSize"],
    ):
        assert size * 0.75 >= 9


def test_charts_are_drawn_and_placed_at_their_printed_size(content: PackContent) -> None:
    html = build_html(content)
    for theme in content.themes:
        for chart in theme.charts:
            width, height = charts_static.size_for(chart)
            assert chart.png is not None
            png_width = int.from_bytes(chart.png[16:20], "big")
            assert png_width == int(width * charts_static.DEFAULT_SCALE)
            assert f'style="width: {width}px"' in html


# --- the PowerPoint ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deck(content: PackContent) -> Any:
    return Presentation(io.BytesIO(build_pptx(content)))


def _title(slide: Any) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def _slide_text(slide: Any) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def test_pptx_opens_with_how_to_read_and_ends_with_provenance(
    deck: Any, content: PackContent
) -> None:
    slides = list(deck.slides)
    titles = [_title(s) for s in slides]
    how = [i for i, t in enumerate(titles) if t.startswith(sections.HOW_TO_READ_TITLE)]
    assert how and how[0] == 1 and how == list(range(1, 1 + len(how)))
    text = "\n".join(_slide_text(slides[i]) for i in how)
    for term in glossary.TERMS:
        assert term.label in text and term.meaning in text, term.key
    assert titles[-1].startswith(sections.APPENDIX_TITLE)
    last = _slide_text(slides[-1])
    assert "1-212" in last and "qa.demo" in last
    for slide in slides:
        footer = next(s for s in slide.shapes if s.name == "Footer").text_frame.text
        assert footer == f"{content.partnership_name} · Data cut-off 14 Oct 2025"


def test_pptx_pictures_keep_alt_text_and_a_caption(deck: Any, content: PackContent) -> None:
    alts = sorted(c.alt_text for theme in content.themes for c in theme.charts)
    pictures = [
        (slide, shape) for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13
    ]
    assert sorted(p._element.nvPicPr.cNvPr.get("descr") for _, p in pictures) == alts
    for slide, picture in pictures:
        assert picture._element.nvPicPr.cNvPr.get("descr") in _slide_text(slide)
        assert picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height


def test_many_runs_of_ids_are_tabled_not_crammed_into_one_cell() -> None:
    ids = tuple(range(1, 400, 2))  # 200 separate ids: 200 runs
    ranges = ", ".join(str(i) for i in ids)
    provenance = dataclasses.replace(
        hand_built_content().provenance, submission_ids=ids, id_ranges=ranges
    )
    summary = dict(sections.provenance_rows(provenance))
    assert summary["Submission ids"].startswith("200 runs of ids")
    assert sections.id_range_rows(ranges)[:2] == [("1", "1"), ("3", "1")]
    assert sections.id_range_rows("1-212, 300") == [("1-212", "212"), ("300", "1")]
