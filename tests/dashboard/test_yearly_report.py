"""The yearly report for 2025-26 from the sample: a tagged PDF (pdfinfo says Tagged: yes; the
structure tree has an H1 per section, H2s and tables with header cells) and a Word document whose
headings and tables python-docx reads back; both cover what Working Together 2023 asks for,
carry the partners' spaces and a plain-words summary for young people; kept with a checksum; and
`qa-dashboard report yearly` makes the same."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from dashboard.cli import main as cli_main
from dashboard.yearly_report import content, render
from data_access import yearly_reports, youth_texts
from data_access.board_packs import sha256_hex

YEAR = "2025-26"
MUST_COVER = (
    "Our priorities and the progress made",
    "The year's figures against England and our neighbours",
    "Multi-agency audits",
    "Training and its impact",
    "Section 11 self-assessments",
    "Local and national child safeguarding practice reviews",
    "Feedback from children, young people and families",
    "The independent scrutineer's view",
    "Risks to the partnership's work",
    "A summary for young people",
)


@pytest.fixture(scope="module")
def report(module_sample_store: sa.Engine) -> content.YearlyReportContent:
    return content.build(engine=module_sample_store, year_code=YEAR, generated_by="qa.demo")


@pytest.fixture(scope="module")
def pdf_bytes(report: content.YearlyReportContent) -> bytes:
    return render.build_pdf(report)


def test_the_report_covers_what_working_together_asks(report) -> None:
    assert tuple(s.title for s in report.sections) == MUST_COVER
    by_title = {s.title: s for s in report.sections}
    reviews = by_title["Local and national child safeguarding practice reviews"]
    assert any("within 15 working days" in p for p in reviews.paragraphs)
    assert any(t.title == "What improved: evidence of impact" and t.rows for t in reviews.tables)
    assert by_title["Training and its impact"].tables[0].rows
    assert by_title["The independent scrutineer's view"].tables[0].rows
    assert all(s.partners_space for s in report.sections[:-1])


def test_section_11_and_the_schools_audit_share_a_section(report, module_sample_store) -> None:
    """The issue's "Section 11 and 175 results": the schools' and colleges' audit of the year
    (2025-26 in the sample) is reported beside the agencies' Section 11, from the same figures
    the schools and colleges audit page shows."""
    from data_access import self_assessment

    section = {s.title: s for s in report.sections}["Section 11 self-assessments"]
    cycle = self_assessment.latest_cycle(
        engine=module_sample_store, framework="education_175_157", opened_by=report.year.end
    )
    assert cycle is not None and cycle.name == YEAR
    counts = self_assessment.return_counts(engine=module_sample_store, cycle_id=cycle.id)
    assert (
        f"section 175/157), {YEAR}: {counts.returned} of {counts.expected} schools and colleges "
        f"returned, {counts.on_time} by the due date" in " ".join(section.paragraphs)
    )
    assert any(
        p.startswith("The standards schools and colleges most often") for p in section.paragraphs
    )
    table = {t.title: t for t in section.tables}["Schools and colleges: standards rated"]
    ratings = self_assessment.ratings_by_standard(engine=module_sample_store, cycle_id=cycle.id)
    assert [row[0] for row in table.rows] == [
        f"{n}. {t}" for n, t in zip(ratings["standard_number"], ratings["standard"], strict=True)
    ]
    assert [int(row[1]) for row in table.rows] == list(ratings["green"])
    assert counts.not_returned > 0 and counts.late > 0


def test_the_young_peoples_summary_is_fit_for_young_people(report) -> None:
    summary = report.sections[-1]
    assert not summary.partners_space
    for paragraph in summary.paragraphs[:3]:
        flags = [f.kind for f in youth_texts.check_text(paragraph)]
        assert "small_number" not in flags and "term" not in flags, (paragraph, flags)
    assert content.few(3) == "a few" and content.few(0) == "no" and content.few(12) == "12"


def _tags(reader: PdfReader) -> list[str]:
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    found: list[str] = []

    def walk(node: DictionaryObject) -> None:
        found.append(str(node.get("/S", "")))
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, IndirectObject):
                child = kid.get_object()
                if isinstance(child, DictionaryObject) and child.get("/Type") == "/StructElem":
                    walk(child)

    walk(root)
    return found


def test_pdf_is_tagged_with_headings_and_tables(report, pdf_bytes: bytes, tmp_path: Path) -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    tags = _tags(reader)
    # The title, then one H1 per section.
    assert tags.count("/H1") == 1 + len(report.sections)
    tables = sum(1 for s in report.sections for t in s.tables if t.rows)
    # A table that runs over a page break is tagged once per page it is drawn on.
    assert tags.count("/Table") >= tables
    assert tags.count("/TH") >= tables * 2 and "/TD" in tags
    assert tags.count("/H2") >= tables
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    for title in MUST_COVER:
        assert title.split()[0] in text
    if shutil.which("pdfinfo"):
        path = tmp_path / "yearly.pdf"
        path.write_bytes(pdf_bytes)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
        assert "Tagged:          yes" in info.stdout


def test_word_document_has_real_headings_and_tables(report) -> None:
    document = Document(io.BytesIO(render.build_docx(report)))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == list(MUST_COVER)
    assert document.paragraphs[0].style.name == "Title"
    tables = [t for s in report.sections for t in s.tables if t.rows]
    assert len(document.tables) == len(tables)
    first = document.tables[0]
    assert tuple(c.text for c in first.rows[0].cells) == tables[0].columns
    assert len(first.rows) == len(tables[0].rows) + 1
    assert first.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert (
        sum(1 for p in document.paragraphs if p.text == content.PARTNERS_SPACE)
        == len(MUST_COVER) - 1
    )


def test_a_report_is_kept_with_its_checksum_and_logged(writable_sample_store) -> None:
    data = b"%PDF-1.7 test"
    report_id = yearly_reports.record_report(
        engine=writable_sample_store,
        year_code=YEAR,
        file_format="pdf",
        file_name="y.pdf",
        content=data,
        generated_by="qa.demo",
    )
    kept = yearly_reports.list_reports(engine=writable_sample_store).set_index("id")
    assert kept.loc[report_id, "checksum"] == sha256_hex(data)
    assert yearly_reports.report_bytes(engine=writable_sample_store, report_id=report_id) == data
    with pytest.raises(yearly_reports.ReportError, match="not a financial year"):
        yearly_reports.parse_year("2025-27")


def test_cli_makes_the_word_report(
    writable_sample_store, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("DEMO_MODE", "1")  # qa.demo acts only in demo mode (issue 30)
    url = str(writable_sample_store.url)
    out = tmp_path / "yearly.docx"
    code = cli_main(
        [
            "--database-url",
            url,
            "report",
            "yearly",
            "--year",
            YEAR,
            "-o",
            str(out),
            "--as",
            "qa.demo",
        ]
    )
    assert code == 0, capsys.readouterr().out
    assert Document(io.BytesIO(out.read_bytes())).paragraphs[0].text.endswith(YEAR)
    kept = yearly_reports.list_reports(engine=writable_sample_store)
    assert kept.iloc[0]["checksum"] == sha256_hex(out.read_bytes())
    refused = cli_main(
        [
            "--database-url",
            url,
            "report",
            "yearly",
            "--year",
            YEAR,
            "-o",
            str(out),
            "--as",
            "youth.demo",
        ]
    )
    assert refused == 2
