"""The yearly report as a tagged PDF (WeasyPrint, PDF/UA-1, like the board pack) and as a Word
document with real headings and tables, both from one `YearlyReportContent`."""

from __future__ import annotations

import io

import jinja2

from dashboard.board_pack.pdf import tagged_pdf
from dashboard.yearly_report.content import PARTNERS_SPACE, YearlyReportContent

_PAGE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
    """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{ report.title }}</title>
<meta name="author" content="{{ report.partnership_name }}">
<meta name="description" content="Yearly report {{ report.year.code }}">
<style>
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 9pt "Liberation Sans", "DejaVu Sans", sans-serif; color: #0B0C0C; } }
html { font: 11pt/1.45 "Liberation Sans", "DejaVu Sans", sans-serif; color: #0B0C0C; }
h1 { font-size: 20pt; margin: 0 0 4mm; } h2 { font-size: 13pt; margin: 5mm 0 2mm; }
section { break-before: page; } section.first { break-before: auto; }
table { width: 100%; border-collapse: collapse; margin: 0 0 4mm; font-size: 9.5pt; }
caption { text-align: left; font-weight: bold; margin-bottom: 1mm; }
th, td { border: 0.5pt solid #505A5F; padding: 1.2mm; vertical-align: top; text-align: left; }
th { background: #F3F2F1; }
.space { border: 1pt dashed #505A5F; padding: 3mm; min-height: 25mm; color: #505A5F; }
</style>
</head>
<body>
<section class="first">
<h1>{{ report.title }}</h1>
<p>A draft of the partnership's yearly report for {{ report.year.words }}, made from the
dashboard's store by {{ report.generated_by }} on {{ report.generated_at.strftime("%d %b %Y") }}.
Each section is filled from the partnership's own records; the partners add their own words in
the spaces given.</p>
</section>
{%- for section in report.sections %}
<section>
<h1>{{ section.title }}</h1>
{%- for paragraph in section.paragraphs %}
<p>{{ paragraph }}</p>
{%- endfor %}
{%- for table in section.tables %}
<h2>{{ table.title }}</h2>
{%- if table.rows %}
<table>
<thead><tr>{% for column in table.columns %}<th scope="col">{{ column }}</th>{% endfor %}</tr></thead>
<tbody>
{%- for row in table.rows %}
<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>
{%- endfor %}
</tbody>
</table>
{%- else %}
<p>{{ table.empty_text }}</p>
{%- endif %}
{%- endfor %}
{%- if section.partners_space %}
<h2>In the partners' own words</h2>
<p class="space">{{ partners_space }}</p>
{%- endif %}
</section>
{%- endfor %}
</body>
</html>
"""
)


def build_html(report: YearlyReportContent) -> str:
    return _PAGE.render(report=report, partners_space=PARTNERS_SPACE)


def build_pdf(report: YearlyReportContent) -> bytes:
    """A tagged PDF/UA-1: H1 per section, H2 per table, tables with scoped header cells."""
    return tagged_pdf(build_html(report))


def build_docx(report: YearlyReportContent) -> bytes:
    """A Word document with built-in Heading styles and real tables (header row repeated), so
    the partnership can edit it and a screen reader can move through it."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.core_properties.title = report.title
    document.core_properties.author = report.partnership_name
    document.core_properties.language = "en-GB"
    document.add_heading(report.title, level=0)
    document.add_paragraph(
        f"A draft of the partnership's yearly report for {report.year.words}, made from the "
        f"dashboard's store by {report.generated_by} on {report.generated_at:%d %b %Y}. Each "
        "section is filled from the partnership's own records; the partners add their own words "
        "in the spaces given."
    )
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for table in section.tables:
            document.add_heading(table.title, level=2)
            if not table.rows:
                document.add_paragraph(table.empty_text)
                continue
            grid = document.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            header = grid.rows[0]
            # The header row repeats on every page and is marked as the table's header.
            properties = header._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            properties.append(repeat)
            for cell, column in zip(header.cells, table.columns, strict=True):
                cell.text = column
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
        if section.partners_space:
            document.add_heading("In the partners' own words", level=2)
            document.add_paragraph(PARTNERS_SPACE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build(report: YearlyReportContent, file_format: str) -> bytes:
    if file_format == "pdf":
        return build_pdf(report)
    if file_format == "docx":
        return build_docx(report)
    raise ValueError(f"unknown format {file_format}")


def file_name(report: YearlyReportContent, file_format: str) -> str:
    return f"yearly-report-{report.year.code}.{file_format}"
