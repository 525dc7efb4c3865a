"""What a board pack says, as plain dataclasses: the PDF and PPTX builders render only these.

Nothing here queries the store or draws a chart; `content.py` fills these from data_access and
dashboard.metrics, and tests can build them by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard.metrics.rag import NO_TARGET, RAG_WORDS

# Colours that pass WCAG AA (>= 4.5:1) with the text colour given beside them. RAG is never shown
# by colour alone: every RAG cell also carries its word ("Red", "Amber", "Green").
RAG_COLOURS: dict[str, tuple[str, str]] = {
    "red": ("#B10E1E", "#FFFFFF"),
    "amber": ("#FFBF47", "#0B0C0C"),
    "green": ("#00703C", "#FFFFFF"),
    "none": ("#F3F2F1", "#0B0C0C"),
}
INK = "#0B0C0C"
SECONDARY_INK = "#505A5F"
ACCENT = "#1D70B8"
# More id ranges than this are shortened in footers (the cover lists them all).
MAX_FOOTER_RANGES = 8
ANNUAL_TITLE = "Annual figures"


def rag_word(rag: str | None) -> str:
    """The rating in the pages' word ('Red', 'Not judged', 'No data'...); 'No target' for none."""
    return RAG_WORDS.get((rag or NO_TARGET).lower(), "No target")


@dataclass(frozen=True)
class Cell:
    """A table cell; `rag` colours it (the text must still say what the colour means)."""

    text: str
    rag: str | None = None


@dataclass(frozen=True)
class Table:
    """A titled table. `rows` hold strings or Cells; `widths` are relative column weights."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | Cell, ...], ...]
    widths: tuple[float, ...] | None = None
    empty_text: str = "Nothing to report."

    @property
    def is_empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Tile:
    """A headline figure: value, RAG, change and comparator, each already worded for people."""

    name: str
    value: str
    rag: str | None
    detail: str = ""  # e.g. "Target 90% · On target 5 quarters running · England 82.0%"
    signal: str = ""  # e.g. "SPC: Improving special cause; hit and miss"
    # The quarter brief's verdicts, unworded, for screens that draw their own badges.
    variation: str = ""  # e.g. "improving special cause" (dashboard.metrics.spc labels)
    assurance: str = ""  # e.g. "hit and miss"
    run: str = ""  # e.g. "On target 5 quarters running"
    # What qualifies the figure, printed as its footnote: "u: low reliability; <comment>".
    note: str = ""

    @property
    def rag_label(self) -> str:
        return rag_word(self.rag)


@dataclass(frozen=True)
class PackChart:
    """A chart: its Vega-Lite spec, a title and alt text; `png` is filled in before rendering."""

    title: str
    alt_text: str
    spec: dict
    png: bytes | None = None


@dataclass(frozen=True)
class AssuranceSummary:
    """The "working well / not working well / next steps" report a group gave for the theme."""

    source: str  # e.g. "MASH Steering Group, 12 Oct 2025"
    working_well: tuple[str, ...] = ()
    not_working_well: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeSection:
    code: str
    name: str
    description: str
    tiles: tuple[Tile, ...] = ()
    charts: tuple[PackChart, ...] = ()
    narrative: tuple[str, ...] = ()
    assurance: AssuranceSummary | None = None
    decisions: Table | None = None


@dataclass(frozen=True)
class AnnualYear:
    """One year's annual figures (the latest year ended by the pack's quarter), in the words of
    the theme pages' Annual figures section."""

    title: str  # e.g. "Financial year 2024-25 (April 2024 to March 2025)"
    table: Table
    # The statutory measures beside England, the region and the statistical neighbours, as the
    # DfE published them for the year (issue 27), with the OGL v3 attribution; None when the
    # partnership has no council recorded or the DfE published nothing for the year.
    published: Table | None = None
    published_neighbours: Table | None = None  # each neighbour by name, closest first
    published_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provenance:
    """Where the pack's figures came from and who made it; printed in every footer."""

    data_cutoff: dt.datetime | None
    submission_ids: tuple[int, ...]
    id_ranges: str
    generated_by: str
    generated_at: dt.datetime
    # The audit log's newest entry and hash when the pack was made (issue 30): printed on the
    # last page, an anchor outside the database that `qa-dashboard audit verify` can be held to.
    audit_anchor: str | None = None

    @property
    def short_id_ranges(self) -> str:
        """The id ranges, shortened to fit a footer line when they are many (the cover has all)."""
        parts = [p.strip() for p in self.id_ranges.split(",") if p.strip()]
        if len(parts) <= MAX_FOOTER_RANGES:
            return self.id_ranges
        return (
            ", ".join(parts[: MAX_FOOTER_RANGES - 1]) + f", … {parts[-1]}; full list on the cover"
        )

    def footer(self) -> str:
        """E.g. 'Data cut-off 14 Aug 2026 – draws on 212 submissions (ids 1-212) – generated by
        qa.demo 23 Nov 2026'."""
        cutoff = f"{self.data_cutoff:%d %b %Y}" if self.data_cutoff else "not known"
        count = len(self.submission_ids)
        if count:
            plural = "submission" if count == 1 else "submissions"
            draws = f"draws on {count:,} {plural} (ids {self.short_id_ranges})"
        else:
            draws = "draws on figures loaded without a submission record"
        return (
            f"Data cut-off {cutoff} – {draws} – generated by {self.generated_by} "
            f"{self.generated_at:%d %b %Y}"
        )


@dataclass(frozen=True)
class QuarterGlance:
    """What the quarter looked like, for the cover: the headline measures' RAG counts and the
    measures that need attention most (`dashboard.metrics.glance`, the numbers meeting mode and
    the overview page show)."""

    counts: tuple[tuple[str, int], ...]  # ("Green: on target", 10), ... in the order shown
    counts_sentence: str  # "Of 24 headline measures with a figure, 10 are green (on target), ..."
    attention_sentence: str  # "5 measures need attention: ..." or that none does
    attention: tuple[str, ...] = ()  # "Contacts decided within one working day (red, 79.1%)"


@dataclass(frozen=True)
class LearningSection:
    """A section on what the partnership learns and changes (issue 29): practice reviews, the
    risk register, scrutiny and the improvement plan; sentences then a table."""

    title: str
    intro: str
    sentences: tuple[str, ...]
    table: Table


@dataclass(frozen=True)
class PackContent:
    """Everything one quarter's board pack says, in reading order."""

    partnership_name: str
    period_code: str
    period_label: str
    provenance: Provenance
    scorecard: Table
    themes: tuple[ThemeSection, ...]
    overdue_actions: Table
    section11_sentences: tuple[str, ...]
    section11: Table
    challenges: Table
    meeting_actions: Table | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # gaps worth telling the reader
    annual: tuple[AnnualYear, ...] = ()  # empty when no annual figure has been loaded
    # Footnotes to the overview scorecard: "<indicator>: <what qualifies its figure>".
    figure_notes: tuple[str, ...] = field(default_factory=tuple)
    # What the quarter looked like, on the cover (None only for packs built without a brief).
    glance: QuarterGlance | None = None
    # Practice reviews, the risk register, scrutiny (empty for packs built without them).
    learning: tuple[LearningSection, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.partnership_name} – board pack, {self.period_code}"

    def contents(self) -> list[str]:
        """Section headings in order (the contents page and the slide list follow this)."""
        entries = ["Overview scorecard"]
        if self.annual:
            entries.append(ANNUAL_TITLE)
        entries += [theme.name for theme in self.themes]
        entries += ["Overdue audit actions", "Section 11 summary", "Open youth council challenges"]
        entries += [section.title for section in self.learning]
        if self.meeting_actions is not None:
            entries.append("Decisions and actions log")
        return entries
