"""The board pack as a 16:9 PowerPoint deck (python-pptx): a title on every slide, no empty slide.

The same sections as the PDF: cover, how to read this pack, contents, scorecard, themes, actions,
Section 11, youth challenges, and where the figures come from. Long tables continue on further
slides ("(2 of 3)") rather than running off the bottom; charts carry their alt text in the
picture's description, which screen readers announce, and as a caption beneath.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from dashboard.board_pack import charts_static, sections
from dashboard.board_pack.model import (
    ACCENT,
    ANNUAL_TITLE,
    INK,
    RAG_COLOURS,
    SECONDARY_INK,
    Cell,
    PackContent,
    Table,
    ThemeSection,
)
from data_access.spreadsheet_safety import neutralise_text

# PowerPoint's own 16:9 size (13.333 x 7.5 inches), in EMU.
SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)
MARGIN = Inches(0.5)
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(0.9)
BODY_TOP = Inches(1.35)
FOOTER_TOP = Inches(6.95)
BODY_WIDTH = Emu(SLIDE_WIDTH - 2 * MARGIN)
BODY_HEIGHT = Emu(FOOTER_TOP - BODY_TOP - Inches(0.1))
ROWS_PER_TABLE_SLIDE = 10
# Annual rows carry notes and wrap to two or three lines: fewer to a slide.
ANNUAL_ROWS_PER_SLIDE = 6
# Glossary meanings run to three lines in a table cell: five rows and the intro fill a slide.
TERMS_PER_SLIDE = 5
# Notes on the figures per slide, and the longest note a headline tile shows in full.
NOTES_PER_SLIDE = 8
TILE_NOTE_CHARS = 140
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5
FONT = "Arial"


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


class _Deck:
    def __init__(self, content: PackContent) -> None:
        self.content = content
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
        props = self.prs.core_properties
        props.title = content.title
        props.author = content.partnership_name
        props.subject = f"Board pack for {content.period_label}"
        props.language = "en-GB"

    # --- building blocks ------------------------------------------------------------------------

    def slide(self, title: str) -> Slide:
        """A Title Only slide with the title placed for 16:9 and the provenance footer."""
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE_ONLY])
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = (
            MARGIN,
            TITLE_TOP,
            BODY_WIDTH,
            TITLE_HEIGHT,
        )
        shape.text = title
        frame = shape.text_frame
        frame.word_wrap = True
        for paragraph in frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                run.font.size, run.font.bold, run.font.name = Pt(30), True, FONT
                run.font.color.rgb = _rgb(INK)
        self._footer(slide)
        return slide

    def _footer(self, slide: Slide) -> None:
        box = slide.shapes.add_textbox(MARGIN, FOOTER_TOP, BODY_WIDTH, Inches(0.4))
        box.name = "Footer"
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        # Page-level provenance is the cut-off only; the submissions are on the last slide.
        run.text = sections.footer_text(self.content)
        run.font.size, run.font.name = Pt(10), FONT
        run.font.color.rgb = _rgb(SECONDARY_INK)

    def text(
        self,
        slide: Slide,
        paragraphs: Iterable[str],
        *,
        left: int = MARGIN,
        top: int = BODY_TOP,
        width: int = BODY_WIDTH,
        height: int = BODY_HEIGHT,
        size: int = 18,
        bullet: bool = False,
        bold_first: bool = False,
    ) -> None:
        box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = f"• {line}" if bullet else line
            run.font.size, run.font.name = Pt(size), FONT
            run.font.color.rgb = _rgb(INK)
            run.font.bold = bold_first and index == 0
            paragraph.space_after = Pt(6)

    def table(self, slide: Slide, table: Table, rows: tuple, *, top: int = BODY_TOP) -> None:
        if not rows:
            # Below an introduction the box gets only the room left on the slide.
            room = max(BODY_TOP + BODY_HEIGHT - top, int(Inches(0.5)))
            self.text(slide, [table.empty_text], top=top, height=room, size=18)
            return
        weights = table.widths or tuple(1.0 for _ in table.columns)
        height = Inches(0.4) * (len(rows) + 1)
        shape = slide.shapes.add_table(
            len(rows) + 1, len(table.columns), MARGIN, Emu(top), BODY_WIDTH, Emu(height)
        )
        grid = shape.table
        total = sum(weights)
        for index, weight in enumerate(weights):
            grid.columns[index].width = Emu(int(BODY_WIDTH * weight / total))
        for c, heading in enumerate(table.columns):
            self._cell(grid.cell(0, c), heading, fill=ACCENT, ink="#FFFFFF", bold=True)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, Cell) and value.rag:
                    fill, ink = RAG_COLOURS.get(value.rag, RAG_COLOURS["none"])
                    self._cell(grid.cell(r, c), value.text, fill=fill, ink=ink, bold=True)
                else:
                    text = value.text if isinstance(value, Cell) else str(value)
                    self._cell(grid.cell(r, c), text, fill="#FFFFFF", ink=INK)

    @staticmethod
    def _cell(cell, text: str, *, fill: str, ink: str, bold: bool = False) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)
        frame = cell.text_frame
        frame.word_wrap = True
        frame.paragraphs[0].text = ""
        run = frame.paragraphs[0].add_run()
        # People's text (challenges, actions, names) may be pasted from the deck into a sheet.
        run.text = neutralise_text(text)
        run.font.size, run.font.name, run.font.bold = Pt(12), FONT, bold
        run.font.color.rgb = _rgb(ink)

    def table_slides(
        self,
        title: str,
        table: Table,
        intro: Iterable[str] = (),
        per_slide: int = ROWS_PER_TABLE_SLIDE,
        intro_lines: int = 3,
    ) -> None:
        """One or more slides holding `table`, split so no slide overflows."""
        intro = list(intro)
        chunks = [table.rows[i : i + per_slide] for i in range(0, len(table.rows), per_slide)] or [
            ()
        ]
        for number, chunk in enumerate(chunks, start=1):
            suffix = f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""
            slide = self.slide(title + suffix)
            top: int = BODY_TOP
            if intro and number == 1:
                # 16 pt lines are 0.3 inch apart: room for `intro_lines` of them, then the table.
                height = Inches(0.3) * intro_lines
                self.text(slide, intro, height=height, size=16)
                top = BODY_TOP + height + Inches(0.1)
            self.table(slide, table, chunk, top=top)

    # --- the pack's sections --------------------------------------------------------------------

    def cover(self) -> None:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE])
        title, subtitle = slide.shapes.title, slide.placeholders[1]
        glance = self.content.glance
        # With the quarter at a glance below them, the title and subtitle move up.
        title_top, subtitle_top = (
            (Inches(0.5), Inches(1.9)) if glance else (Inches(1.6), Inches(3.6))
        )
        title.left, title.top, title.width, title.height = (
            MARGIN,
            title_top,
            BODY_WIDTH,
            Inches(1.4) if glance else Inches(1.8),
        )
        subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
            MARGIN,
            subtitle_top,
            BODY_WIDTH,
            Inches(0.8) if glance else Inches(1.6),
        )
        title.text = self.content.partnership_name
        subtitle.text = f"Board pack: {self.content.period_label}"
        for paragraph in subtitle.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.name = Pt(26), FONT
        if glance:
            # What the quarter looked like: the RAG counts and the measures needing attention.
            top = subtitle_top + Inches(0.9)
            self.text(
                slide,
                [glance.counts_sentence, glance.attention_sentence],
                top=top,
                height=Inches(1.0),
                size=16,
            )
            if glance.attention:
                self.text(
                    slide,
                    glance.attention,
                    top=top + Inches(1.1),
                    height=FOOTER_TOP - top - Inches(1.2),
                    size=14,
                    bullet=True,
                )
        self._footer(slide)

    def how_to_read(self) -> None:
        terms = Table(
            columns=("Term", "What it means"), rows=tuple(sections.glossary_rows()), widths=(1, 3)
        )
        self.table_slides(
            sections.HOW_TO_READ_TITLE,
            terms,
            intro=[sections.HOW_TO_READ_INTRO],
            per_slide=TERMS_PER_SLIDE,
            intro_lines=4,
        )

    def contents(self) -> None:
        slide = self.slide("Contents")
        self.text(slide, sections.contents_titles(self.content), size=20, bullet=True)

    def provenance(self) -> None:
        provenance = self.content.provenance
        summary = Table(
            columns=("Item", "Detail"),
            rows=tuple(sections.provenance_rows(provenance)),
            widths=(1, 3),
        )
        self.table_slides(sections.APPENDIX_TITLE, summary, intro=[sections.APPENDIX_INTRO])
        ranges = sections.id_range_rows(provenance.id_ranges)
        if len(ranges) > 1:
            self.table_slides(
                f"{sections.APPENDIX_TITLE}: submissions drawn on",
                Table(columns=("Submission ids", "Number of submissions"), rows=tuple(ranges)),
            )

    def pictures(self, slide: Slide, charts: list, *, top: int = BODY_TOP) -> None:
        """Charts side by side across the slide, each with its alt text as a caption below."""
        gap = Inches(0.2)
        width = int((BODY_WIDTH - gap * (len(charts) - 1)) / len(charts))
        caption_height = Inches(0.9)
        for index, chart in enumerate(charts):
            left = MARGIN + index * (width + gap)
            picture = slide.shapes.add_picture(
                io.BytesIO(chart.png or b""), Emu(left), Emu(top), width=Emu(width)
            )
            room = BODY_HEIGHT - (top - BODY_TOP) - caption_height
            if picture.height > room:  # never run into the caption or the footer
                picture.height = Emu(int(room))
                picture.width = Emu(int(room * picture.image.size[0] / picture.image.size[1]))
            picture.name = chart.title
            # The picture's description is what a screen reader announces.
            # python-pptx types its xmlchemy child elements as `Any | OneAndOnlyOne`.
            picture._element.nvPicPr.cNvPr.set("descr", chart.alt_text)  # type: ignore[union-attr]
            self.text(
                slide,
                [chart.alt_text],
                left=left,
                top=top + picture.height,
                width=width,
                height=caption_height,
                size=12,
            )

    def theme(self, theme: ThemeSection, number: int, total: int) -> None:
        slide = self.slide(f"{theme.name}: headline figures")
        self._tiles(slide, theme)
        narrative = list(theme.narrative) or [
            "There are not yet enough figures to describe this theme."
        ]
        self.text(
            slide,
            [f"Theme {number} of {total}"] + narrative,
            top=Inches(4.0),
            height=Inches(2.8),
            size=16,
            bold_first=True,
        )

        drawn = [c for c in theme.charts if c.png]
        trends = [c for c in drawn if not charts_static.is_control_chart(c)]
        controls = [c for c in drawn if charts_static.is_control_chart(c)]
        if trends:
            self.pictures(self.slide(f"{theme.name}: key charts"), trends)
        for chart in controls:
            self.pictures(self.slide(f"{theme.name}: control chart"), [chart])

        slide = self.slide(f"{theme.name}: what the assurance group reported")
        summary = theme.assurance
        if summary is None:
            self.text(slide, ["No assurance summary was written for this theme this quarter."])
        else:
            self.text(slide, [f"Source: {summary.source}"], height=Inches(0.5), size=14)
            column_width = int(BODY_WIDTH / 3)
            for index, (heading, items) in enumerate(
                (
                    ("Working well", summary.working_well),
                    ("Not working well", summary.not_working_well),
                    ("What needs to happen next", summary.next_steps),
                )
            ):
                self.text(
                    slide,
                    [heading] + [f"• {item}" for item in items or ("Nothing recorded.",)],
                    left=MARGIN + index * column_width,
                    top=BODY_TOP + Inches(0.6),
                    width=column_width - Inches(0.15),
                    height=BODY_HEIGHT - Inches(0.6),
                    size=14,
                    bold_first=True,
                )
        if theme.decisions is not None and not theme.decisions.is_empty:
            self.table_slides(f"{theme.name}: decisions and actions", theme.decisions)

    def _tiles(self, slide: Slide, theme: ThemeSection) -> None:
        if not theme.tiles:
            self.text(slide, ["No headline figures for this quarter."], height=Inches(1.0))
            return
        tiles = theme.tiles[:4]
        width = int(BODY_WIDTH / len(tiles)) - Inches(0.15)
        for index, tile in enumerate(tiles):
            left = MARGIN + index * (width + Inches(0.15))
            box = slide.shapes.add_textbox(Emu(left), BODY_TOP, Emu(width), Inches(2.5))
            box.line.color.rgb = _rgb("#B1B4B6")
            frame = box.text_frame
            frame.word_wrap = True
            lines = [(tile.name, 13, False, INK), (tile.value, 28, True, INK)]
            lines += [(f"{tile.signal}", 12, False, INK)] if tile.signal else []
            lines += [(tile.detail, 11, False, SECONDARY_INK)] if tile.detail else []
            lines += [(f"Note: {_short(tile.note)}", 11, False, INK)] if tile.note else []
            for line_index, (text, size, bold, ink) in enumerate(lines):
                paragraph = frame.paragraphs[0] if line_index == 0 else frame.add_paragraph()
                run = paragraph.add_run()
                run.text = text
                run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
                run.font.color.rgb = _rgb(ink)
            fill, ink = RAG_COLOURS.get(tile.rag or "none", RAG_COLOURS["none"])
            badge = slide.shapes.add_textbox(
                Emu(left), Emu(BODY_TOP + Inches(2.55)), Emu(width), Inches(0.4)
            )
            badge.fill.solid()
            badge.fill.fore_color.rgb = _rgb(fill)
            run = badge.text_frame.paragraphs[0].add_run()
            run.text = f"RAG: {tile.rag_label}"
            run.font.size, run.font.bold, run.font.name = Pt(14), True, FONT
            run.font.color.rgb = _rgb(ink)


def _short(note: str) -> str:
    """A tile's note cut to fit the tile; the whole note is on the scorecard's notes slide."""
    if len(note) <= TILE_NOTE_CHARS:
        return note
    return note[: TILE_NOTE_CHARS - 1].rstrip() + "… (in full on the notes slide)"


def build_pptx(content: PackContent) -> bytes:
    """Render `content` as a 16:9 PPTX and return its bytes (charts must already carry PNGs)."""
    deck = _Deck(content)
    deck.cover()
    deck.how_to_read()
    deck.contents()
    deck.table_slides("Overview scorecard", content.scorecard)
    notes = list(content.figure_notes)
    for start in range(0, len(notes), NOTES_PER_SLIDE):
        deck.text(
            deck.slide("Overview scorecard: notes on the figures"),
            notes[start : start + NOTES_PER_SLIDE],
            size=14,
            bullet=True,
        )
    for year in content.annual:
        deck.table_slides(
            f"{ANNUAL_TITLE}: {year.title}",
            year.table,
            intro=[sections.ANNUAL_INTRO],
            per_slide=ANNUAL_ROWS_PER_SLIDE,
            intro_lines=4,
        )
        if year.published is not None:
            deck.table_slides(
                f"{year.title}: beside England, the region and statistical neighbours",
                year.published,
                intro=[year.published_notes[-1]] if year.published_notes else [],
                per_slide=ANNUAL_ROWS_PER_SLIDE,
                intro_lines=2,
            )
        if year.published_neighbours is not None:
            deck.table_slides(
                f"{year.title}: each statistical neighbour",
                year.published_neighbours,
                intro=[year.published_notes[-1]] if year.published_notes else [],
                per_slide=ANNUAL_ROWS_PER_SLIDE,
                intro_lines=2,
            )
    for number, theme in enumerate(content.themes, start=1):
        deck.theme(theme, number, len(content.themes))
    deck.table_slides("Overdue audit actions", content.overdue_actions)
    deck.table_slides("Section 11 summary", content.section11, intro=content.section11_sentences)
    deck.table_slides("Open youth council challenges", content.challenges)
    for section in content.learning:
        deck.table_slides(section.title, section.table, intro=section.sentences, intro_lines=4)
    if content.meeting_actions is not None:
        deck.table_slides("Decisions and actions log", content.meeting_actions)
    deck.provenance()
    buffer = io.BytesIO()
    deck.prs.save(buffer)
    return buffer.getvalue()
