"""One truth for annual figures: each theme page's Annual figures section, the PDF and the
PowerPoint give the same words for every annual indicator with a figure in the pack's year
(figure, year before, change on the year before, RAG against the annual target, the target,
SPC and the figure's note), all from the year's brief (`dashboard.metrics.brief.annual_brief`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

import pytest
import sqlalchemy as sa
from pptx import Presentation

from dashboard.board_pack.content import ANNUAL_COLUMNS, assemble, pack_years
from dashboard.board_pack.model import ANNUAL_TITLE
from dashboard.board_pack.pdf import build_pdf
from dashboard.board_pack.pptx_builder import build_pptx
from dashboard.components import annual as annual_words
from data_access import catalogue
from data_access.indicators import periods_with_data
from data_access.models import Indicator, IndicatorValue, ReportingPeriod
from tests.support.one_truth import pdf_text, run_page

NOTED_CODE = "STAT_CIN_RATE"
NOTED_COMMENT = "provisional: the census return was resubmitted in June"
PAGE_FIELDS = ["Figure", "Year before", "Change", "RAG", "Target", "SPC", "Note"]


@pytest.fixture
def noted_sample(writable_sample_store: sa.Engine, use_store) -> Iterator[sa.Engine]:
    """The sample with one annual figure of the pack's year marked low reliability and
    commented on, so the note is compared too."""
    engine = writable_sample_store
    quarter = str(periods_with_data(engine=engine)["code"].iloc[-1])
    year = pack_years(engine=engine, period_code=quarter)[0]
    with engine.begin() as connection:
        value_id = connection.scalar(
            sa.select(IndicatorValue.id)
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
            .where(
                Indicator.code == NOTED_CODE,
                ReportingPeriod.code == year,
                IndicatorValue.is_current.is_(True),
                IndicatorValue.agency_id.is_(None),
                IndicatorValue.locality_id.is_(None),
            )
        )
        connection.execute(
            sa.update(IndicatorValue)
            .where(IndicatorValue.id == value_id)
            .values(status_symbol="u", comment=NOTED_COMMENT)
        )
    yield use_store(engine)


def page_rows(quarter: str, years: list[str]) -> dict[str, tuple[str, ...]]:
    """{indicator name: (theme, words...)} from every theme page's Annual figures tables."""
    out: dict[str, tuple[str, ...]] = {}
    codes = {i.name: i.code for i in catalogue.indicators()}
    for theme in catalogue.themes():
        if not any(i.is_annual for i in catalogue.indicators(theme.code)):
            continue
        at = run_page(theme.code, quarter=quarter)
        for kind in ("financial_year", "academic_year"):
            try:
                picked = at.selectbox(key=f"annual_year_{kind}").value
            except KeyError:
                continue
            assert picked in years, (theme.code, kind, picked, years)
        # Every Annual figures table shows its picker's year (checked above).
        tables = [
            f.value for f in at.dataframe if {"Year before", "Target"} <= set(f.value.columns)
        ]
        assert tables, f"{theme.code}: no Annual figures table"
        for table in tables:
            for _, row in table.iterrows():
                if row["Figure"] != "no data":
                    # The pack lists a figure under its heading (children in care are not the
                    # front door's) and puts the quarters rolled up in its note (issue 26).
                    code = codes[str(row["Indicator"])]
                    words = {f: str(row[f]) for f in PAGE_FIELDS}
                    words["Note"] = "; ".join(
                        t for t in (str(row.get("From the quarters", "")), words["Note"]) if t
                    )
                    out[str(row["Indicator"])] = (
                        str(annual_words.heading_of(code, theme.name)),
                        *(words[f] for f in PAGE_FIELDS),
                    )
    return out


def pptx_rows(data: bytes) -> dict[str, tuple[str, ...]]:
    """{indicator name: (theme, words...)} from the PowerPoint's Annual figures slides."""
    out: dict[str, tuple[str, ...]] = {}
    for slide in Presentation(io.BytesIO(data)).slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        if not title.startswith(ANNUAL_TITLE):
            continue
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            rows = [[c.text for c in r.cells] for r in shape.table.rows]
            assert tuple(rows[0]) == ANNUAL_COLUMNS
            for row in rows[1:]:
                words = dict(zip(ANNUAL_COLUMNS, row, strict=True))
                if words["Figure"] != "no data":
                    out[words["Indicator"]] = (words["Theme"], *(words[f] for f in PAGE_FIELDS))
    return out


def test_pages_pdf_and_powerpoint_say_the_same_about_each_annual_figure(
    noted_sample: sa.Engine,
) -> None:
    quarter = str(periods_with_data(engine=noted_sample)["code"].iloc[-1])
    years = pack_years(engine=noted_sample, period_code=quarter)
    assert years, "the sample has annual figures"
    pages = page_rows(quarter, years)
    annual = {i.name for i in catalogue.indicators() if i.is_annual}
    assert set(pages) == annual, "the sample has a figure for every annual indicator"
    noted = pages[catalogue.indicator(NOTED_CODE).name]
    assert noted[-1] == f"u: low reliability; {NOTED_COMMENT}"

    content = assemble(engine=noted_sample, period_code=quarter, generated_by="qa.demo")
    assert len(content.annual) == len(years)
    slides = pptx_rows(build_pptx(content))
    assert slides == pages, "the PowerPoint's annual figures differ from the pages'"
    text = pdf_text(build_pdf(content))
    missing = []
    for name, (theme, *words) in pages.items():
        line = " ".join([theme, name, *words]).strip()
        if line not in text:
            missing.append(line)
    assert not missing, "PDF rows not found:\n" + "\n".join(missing)

    # The check can fail: a pack that dropped the note (or said anything else) is caught.
    first = content.annual[0]
    rows = tuple(
        row[:-1] + ("",) if row[1] == name_of(NOTED_CODE) else row for row in first.table.rows
    )
    altered = replace(
        content, annual=(replace(first, table=replace(first.table, rows=rows)), *content.annual[1:])
    )
    assert pptx_rows(build_pptx(altered)) != pages
    line = " ".join([noted[0], name_of(NOTED_CODE), *noted[1:]])
    assert line not in pdf_text(build_pdf(altered))


def name_of(code: str) -> str:
    return catalogue.indicator(code).name
