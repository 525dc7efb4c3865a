"""The board pack as an accessible PDF (reportlab): real text, a title, outline, plain fonts.

A4 landscape, so charts and wide tables read the same way as the slides. Every page's footer says
the data cut-off and the submissions drawn on.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from dashboard.board_pack.model import (
    ACCENT,
    INK,
    RAG_COLOURS,
    SECONDARY_INK,
    Cell,
    PackChart,
    PackContent,
    ThemeSection,
    Tile,
)
from dashboard.board_pack.model import Table as PackTable

PAGE = landscape(A4)
MARGIN = 15 * mm
FOOTER_HEIGHT = 12 * mm
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"))
FONT_FILES = {
    "PackSans": ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    "PackSans-Bold": ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
}


def _register_fonts() -> tuple[str, str]:
    """Embed Liberation Sans (or DejaVu Sans) for full Unicode; fall back to Helvetica."""
    names: list[str] = []
    for name, candidates in FONT_FILES.items():
        if name in pdfmetrics.getRegisteredFontNames():
            names.append(name)
            continue
        for directory in FONT_DIRS:
            path = next((directory / c for c in candidates if (directory / c).is_file()), None)
            if path is not None:
                pdfmetrics.registerFont(TTFont(name, str(path)))
                names.append(name)
                break
    if len(names) == 2:
        return names[0], names[1]
    return "Helvetica", "Helvetica-Bold"


class _Styles:
    def __init__(self) -> None:
        regular, bold = _register_fonts()
        self.regular, self.bold = regular, bold
        ink = colors.HexColor(INK)
        self.body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15,
                                   textColor=ink, spaceAfter=4)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=9, leading=12)
        self.muted = ParagraphStyle("muted", parent=self.body,
                                    textColor=colors.HexColor(SECONDARY_INK))
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=9, leading=11.5,
                                   spaceAfter=0)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=bold,
                                        textColor=colors.white)
        self.h1 = ParagraphStyle("h1", fontName=bold, fontSize=22, leading=27, textColor=ink,
                                 spaceAfter=8, alignment=TA_LEFT)
        self.h2 = ParagraphStyle("h2", fontName=bold, fontSize=14, leading=18, textColor=ink,
                                 spaceBefore=8, spaceAfter=4)
        self.cover_title = ParagraphStyle("cover_title", parent=self.h1, fontSize=32, leading=38)
        self.cover_sub = ParagraphStyle("cover_sub", parent=self.body, fontSize=18, leading=24)
        self.toc = [ParagraphStyle("toc1", parent=self.body, fontSize=13, leading=20)]
        self.tile_value = ParagraphStyle("tile_value", parent=self.body, fontName=bold,
                                         fontSize=18, leading=22)


class _PackDoc(BaseDocTemplate):
    """Adds each section heading (h1) to the contents page and to the PDF outline."""

    def __init__(self, buffer: io.BytesIO, content: PackContent, styles: _Styles) -> None:
        super().__init__(
            buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN + FOOTER_HEIGHT, title=content.title,
            author=content.partnership_name, subject=f"Board pack for {content.period_label}",
            creator="Safeguarding partnership QA dashboard", lang="en-GB",
            displayDocTitle=True,
        )
        self.pack = content
        self.styles = styles
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])

    def afterFlowable(self, flowable: object) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            text = flowable.getPlainText()
            # The key must be the same on every pass so the contents links resolve.
            key = "section-" + re.sub(r"\W+", "-", text.lower())
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=0, closed=False)
            self.notify("TOCEntry", (0, text, self.page, key))

    def _footer(self, canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(SECONDARY_INK))
        canvas.setLineWidth(0.5)
        y = MARGIN + FOOTER_HEIGHT - 4 * mm
        canvas.line(MARGIN, y, PAGE[0] - MARGIN, y)
        canvas.setFillColor(colors.HexColor(INK))
        text = self.pack.provenance.footer()
        size = 8.5
        room = PAGE[0] - 2 * MARGIN - 20 * mm  # leave room for the page number
        # Shrink rather than overflow: the footer must stay one readable line.
        while size > 6.5 and pdfmetrics.stringWidth(text, self.styles.regular, size) > room:
            size -= 0.25
        canvas.setFont(self.styles.regular, size)
        canvas.drawString(MARGIN, MARGIN + 2 * mm, text)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN + 2 * mm, f"Page {doc.page}")
        canvas.restoreState()


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(table: PackTable, styles: _Styles, width: float) -> list:
    if table.is_empty:
        return [_p(table.empty_text, styles.muted)]
    weights = table.widths or tuple(1.0 for _ in table.columns)
    total = sum(weights)
    col_widths = [width * w / total for w in weights]
    data = [[_p(c, styles.cell_head) for c in table.columns]]
    commands: list[tuple] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(ACCENT)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B1B4B6")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, row in enumerate(table.rows, start=1):
        cells = []
        for c, value in enumerate(row):
            if isinstance(value, Cell):
                if value.rag:
                    fill, text_colour = RAG_COLOURS.get(value.rag, RAG_COLOURS["none"])
                    commands.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(fill)))
                    style = ParagraphStyle(f"rag{r}{c}", parent=styles.cell, fontName=styles.bold,
                                           textColor=colors.HexColor(text_colour))
                    cells.append(_p(value.text, style))
                else:
                    cells.append(_p(value.text, styles.cell))
            else:
                cells.append(_p(str(value), styles.cell))
        data.append(cells)
    grid = Table(data, colWidths=col_widths, repeatRows=1)
    grid.setStyle(TableStyle(commands))
    return [grid]


def _tile_grid(tiles: tuple[Tile, ...], styles: _Styles, width: float) -> list:
    if not tiles:
        return [_p("No headline figures for this quarter.", styles.muted)]
    per_row = 4
    tile_width = width / per_row
    rows, commands = [], [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0, colors.white),
    ]
    for start in range(0, len(tiles), per_row):
        chunk = tiles[start:start + per_row]
        row = []
        for offset, tile in enumerate(chunk):
            fill, text_colour = RAG_COLOURS.get(tile.rag or "none", RAG_COLOURS["none"])
            rag_style = ParagraphStyle(f"tile_rag{start}{offset}", parent=styles.small,
                                       fontName=styles.bold,
                                       textColor=colors.HexColor(text_colour))
            badge = Table([[_p(tile.rag_label, rag_style)]], colWidths=[tile_width - 16])
            badge.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(fill)),
                                       ("TOPPADDING", (0, 0), (-1, -1), 2),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
            parts = [_p(tile.name, styles.small), _p(tile.value, styles.tile_value), badge]
            if tile.signal:
                parts.append(_p(tile.signal, styles.small))
            if tile.detail:
                parts.append(_p(tile.detail, styles.small))
            row.append(parts)
            r, c = len(rows), offset
            commands.append(("BOX", (c, r), (c, r), 0.6, colors.HexColor("#B1B4B6")))
        row += [""] * (per_row - len(chunk))
        rows.append(row)
    grid = Table(rows, colWidths=[tile_width] * per_row)
    grid.setStyle(TableStyle(commands))
    return [grid]


def _chart_images(charts: tuple[PackChart, ...], styles: _Styles, width: float) -> list:
    """Charts side by side (up to three), each with its alt text as a real-text caption below.

    The chart's own title is drawn inside the image; the caption repeats it in words.
    """
    drawable = [c for c in charts if c.png]
    if not drawable:
        return []
    per_row = 3 if len(drawable) >= 3 else 2
    cell_width = width / per_row - 6
    rows = []
    for start in range(0, len(drawable), per_row):
        row = []
        for chart in drawable[start:start + per_row]:
            image = Image(io.BytesIO(chart.png or b""))
            ratio = image.imageHeight / float(image.imageWidth)
            image.drawWidth = cell_width
            image.drawHeight = cell_width * ratio
            image.hAlign = "LEFT"
            row.append([image, _p(chart.alt_text, styles.small)])
        row += [""] * (per_row - len(row))
        rows.append(row)
    grid = Table(rows, colWidths=[width / per_row] * per_row)
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [grid]


def _assurance(theme: ThemeSection, styles: _Styles, width: float) -> list:
    heading = _p("What the assurance group reported", styles.h2)
    summary = theme.assurance
    if summary is None:
        return [heading, _p("No assurance summary was written for this theme this quarter.",
                            styles.muted)]
    columns = (("Working well", summary.working_well),
               ("Not working well", summary.not_working_well),
               ("What needs to happen next", summary.next_steps))
    head = [_p(title, styles.cell_head) for title, _ in columns]
    body = []
    for _, items in columns:
        body.append([_p(f"• {item}", styles.cell) for item in items]
                    or [_p("Nothing recorded.", styles.cell)])
    grid = Table([head, body], colWidths=[width / 3] * 3)
    grid.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(ACCENT)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B1B4B6")),
    ]))
    return [CondPageBreak(60 * mm), heading, _p(f"Source: {summary.source}", styles.muted), grid]


def _theme_story(theme: ThemeSection, number: int, total: int, styles: _Styles,
                 width: float) -> list:
    story: list = [PageBreak(), _p(theme.name, styles.h1),
                   _p(f"Theme {number} of {total}. {theme.description}", styles.muted),
                   _p("Headline figures", styles.h2)]
    story += _tile_grid(theme.tiles, styles, width)
    story.append(_p("What the figures say", styles.h2))
    if theme.narrative:
        story += [_p(sentence, styles.body) for sentence in theme.narrative]
    else:
        story.append(_p("There are not yet enough figures to describe this theme.", styles.muted))
    charts = _chart_images(theme.charts, styles, width)
    if charts:
        story.append(KeepTogether([_p("Key charts", styles.h2)] + charts))
    story += _assurance(theme, styles, width)
    if theme.decisions is not None and not theme.decisions.is_empty:
        story += [CondPageBreak(40 * mm), _p("Decisions and actions from meetings", styles.h2)]
        story += _table(theme.decisions, styles, width)
    return story


def _cover(content: PackContent, styles: _Styles) -> list:
    provenance = content.provenance
    return [
        Spacer(1, 35 * mm),
        _p(content.partnership_name, styles.cover_title),
        _p(f"Board pack: {content.period_label}", styles.cover_sub),
        Spacer(1, 12 * mm),
        _p("Quality assurance report to the executive partnership meeting.", styles.body),
        _p(provenance.footer() + ".", styles.body),
        _p("Submissions drawn on (ids): " + (provenance.id_ranges or "none recorded") + ".",
           styles.small),
        *[_p(note, styles.muted) for note in content.notes],
    ]


def build_pdf(content: PackContent) -> bytes:
    """Render `content` as a PDF and return its bytes (charts must already carry PNGs)."""
    styles = _Styles()
    buffer = io.BytesIO()
    doc = _PackDoc(buffer, content, styles)
    width = doc.width

    toc = TableOfContents(levelStyles=styles.toc, dotsMinLevel=0)
    story: list = _cover(content, styles)
    story += [PageBreak(), Paragraph("Contents", styles.h2), toc]

    story += [PageBreak(), _p("Overview scorecard", styles.h1),
              _p("Every headline indicator for the quarter. RAG compares the value with its "
                 "target; the SPC signal says whether the change is more than normal variation.",
                 styles.muted)]
    story += _table(content.scorecard, styles, width)

    for number, theme in enumerate(content.themes, start=1):
        story += _theme_story(theme, number, len(content.themes), styles, width)

    story += [PageBreak(), _p("Overdue audit actions", styles.h1),
              _p("Actions from multi-agency and single-agency audits that are past their due "
                 "date and not complete, longest overdue first.", styles.muted)]
    story += _table(content.overdue_actions, styles, width)

    story += [PageBreak(), _p("Section 11 summary", styles.h1)]
    story += [_p(sentence, styles.body) for sentence in content.section11_sentences]
    story += _table(content.section11, styles, width)

    story += [PageBreak(), _p("Open youth council challenges", styles.h1),
              _p("Challenges young people have put to agencies about their Section 11 "
                 "self-assessments that are not yet settled. No personal data is shown.",
                 styles.muted)]
    story += _table(content.challenges, styles, width)

    if content.meeting_actions is not None:
        story += [PageBreak(), _p("Decisions and actions log", styles.h1),
                  _p("Open actions from earlier executive meetings.", styles.muted)]
        story += _table(content.meeting_actions, styles, width)

    # Two passes: the first finds each section's page, the second prints the contents page.
    doc.multiBuild(story)
    return buffer.getvalue()
