"""Return templates (CSV and XLSX) for one agency and quarter, generated from the catalogue.

Which rows an agency's template holds (one row per figure it is asked for):

* only indicators whose `reported_by` sectors include the agency's sector;
* an indicator broken down by agency: a row for the agency's own figure;
* agencies of the indicator's lead sector (the first in `reported_by`) also return the
  partnership-level figure (agency blank) and, where the indicator is broken down by locality, one
  row per locality. Other sectors do not, so two agencies never return the same partnership figure.

The XLSX has a "Return" sheet to fill in and a "Guidance" sheet with the file format, the GSS
symbols and each indicator's definition and unit; the CSV carries name, unit and definition as
helper columns that the importer ignores.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import cast

import pandas as pd
import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from data_access import catalogue
from data_access.importer.format import (
    COLUMN_NAMES,
    GUIDANCE_SHEET_NAME,
    MAX_DATA_ROWS,
    RETURN_COLUMNS,
    SHEET_NAME,
)
from data_access.models import Agency, Locality
from data_access.periods import (
    AcademicYear,
    FinancialYear,
    latest_complete_quarter,
    parse_period,
)
from data_access.spreadsheet_safety import neutralise_workbook, spreadsheet_safe

HELPER_COLUMNS = ("indicator_name", "unit", "definition")
GSS_GUIDANCE = (
    ("c", "Suppressed: a count from 1 to 5, or a figure that would reveal one. Leave value blank."),
    ("k", "Rounds to 0 but is not 0. Give value 0."),
    ("u", "Low reliability. Give the value as well."),
    ("x", "Not available. Leave value blank."),
    ("z", "Not applicable. Leave value blank."),
)


class TemplateError(ValueError):
    """The agency or period asked for does not exist."""


def _agency(engine: sa.Engine, agency_code: str) -> Agency:
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(Agency.code, Agency.name, Agency.sector).where(
                sa.func.upper(Agency.code) == agency_code.strip().upper()
            )
        ).first()
    if row is None:
        raise TemplateError(f"There is no agency with code {agency_code!r}.")
    return Agency(code=row.code, name=row.name, sector=row.sector)


def _localities(engine: sa.Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [
            (code, name)
            for code, name in connection.execute(
                sa.select(Locality.code, Locality.name)
                .where(Locality.active.is_(True))  # a retired locality gets no new rows
                .order_by(Locality.code)
            )
        ]


_FREQUENCY_OF_KIND = {
    "quarter": "quarterly",
    "financial_year": "annual_financial",
    "academic_year": "annual_academic",
}


def template_frame(*, engine: sa.Engine, agency_code: str, period_code: str) -> pd.DataFrame:
    """The rows of an agency's return for a period, values blank, with helper columns.

    A quarter ("2025-26 Q2") gives the quarterly indicators; a financial year ("2025-26") or an
    academic year ("AY 2025/26") gives the annual indicators reported for that kind of year.
    """
    try:
        parsed = parse_period(period_code)
    except ValueError as exc:
        raise TemplateError(str(exc)) from exc
    period = parsed.code
    frequency = _FREQUENCY_OF_KIND[parsed.kind]
    agency = _agency(engine, agency_code)
    localities = _localities(engine)
    rows: list[dict[str, object]] = []

    def add(spec: catalogue.IndicatorSpec, agency_col: str, locality: str) -> None:
        rows.append(
            {
                "indicator_code": spec.code,
                "period": period,
                "agency_code": agency_col,
                "locality_code": locality,
                "value": "",
                "numerator": "",
                "denominator": "",
                "status_symbol": "",
                "comment": "",
                "indicator_name": spec.name,
                "unit": spec.unit_label,
                "definition": spec.definition,
            }
        )

    for spec in catalogue.indicators():
        if agency.sector not in spec.reported_by or spec.frequency != frequency:
            continue
        if "agency" in spec.breakdowns:
            add(spec, agency.code, "")
        if agency.sector == spec.reported_by[0]:
            add(spec, "", "")
            if "locality" in spec.breakdowns:
                for code, _name in localities:
                    add(spec, "", code)
    return pd.DataFrame(rows, columns=[*COLUMN_NAMES, *HELPER_COLUMNS])


def template_file_name(agency_code: str, period_code: str, file_format: str) -> str:
    period = parse_period(period_code).code.replace(" ", "-").replace("/", "-")
    return f"return-{agency_code.strip().upper()}-{period}.{file_format}"


def template_csv(*, engine: sa.Engine, agency_code: str, period_code: str) -> bytes:
    """The template as UTF-8 CSV with a byte-order mark (Excel then shows accents correctly)."""
    frame = template_frame(engine=engine, agency_code=agency_code, period_code=period_code)
    return cast(str, spreadsheet_safe(frame).to_csv(index=False)).encode("utf-8-sig")


def template_xlsx(*, engine: sa.Engine, agency_code: str, period_code: str) -> bytes:
    """The template as an Excel workbook: a "Return" sheet to fill and a "Guidance" sheet."""
    frame = template_frame(engine=engine, agency_code=agency_code, period_code=period_code)
    agency = _agency(engine, agency_code)
    period = parse_period(period_code)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    bold = Font(bold=True)
    helper_fill = PatternFill("solid", fgColor="F3F2F1")
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = bold
    for record in frame.itertuples(index=False):
        sheet.append([None if v == "" else v for v in record])
    widths = {
        "indicator_code": 28,
        "period": 12,
        "agency_code": 12,
        "locality_code": 13,
        "value": 10,
        "numerator": 11,
        "denominator": 12,
        "status_symbol": 13,
        "comment": 30,
        "indicator_name": 45,
        "unit": 18,
        "definition": 80,
    }
    for index, name in enumerate(frame.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 14)
        if name in HELPER_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.fill = helper_fill
        if name == "period":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"  # keep "2025-26 Q2" as text, never a date
    sheet.freeze_panes = "B2"
    symbol_column = sheet.cell(row=1, column=COLUMN_NAMES.index("status_symbol") + 1)
    symbols = DataValidation(
        type="list",
        formula1='"c,k,u,x,z"',
        allow_blank=True,
        error="Use c, k, u, x or z, or leave blank.",
        errorTitle="Status symbol",
    )
    sheet.add_data_validation(symbols)
    last_row = max(2, len(frame) + 1)
    symbols.add(f"{symbol_column.column_letter}2:{symbol_column.column_letter}{last_row}")

    guide = workbook.create_sheet(GUIDANCE_SHEET_NAME)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 60
    guide.column_dimensions["C"].width = 20
    guide.column_dimensions["D"].width = 20
    guide.column_dimensions["E"].width = 90
    lines: list[Sequence[object]] = [
        [
            f"{'Quarterly' if period.kind == 'quarter' else 'Annual'} return: {agency.name} "
            f"({agency.code}), {period.label}"
        ],
        [],
        ["How to fill in this return"],
        [
            "1.",
            "Fill in the 'value' column of the 'Return' sheet, one row per figure. Do not "
            "rename the sheet or change the headings.",
        ],
        [
            "2.",
            "Leave agency_code blank for partnership-wide figures and locality_code blank "
            "for all localities, as the rows already are.",
        ],
        [
            "3.",
            "Percentages are numbers from 0 to 100 (45.5 means 45.5%). Where you can, give "
            "the numerator and denominator too; the value must match them. A rate per "
            "10,000 children can be given as its numerator alone: the rate is worked out "
            "from the child population loaded for the year.",
        ],
        [
            "",
            "Write decimals with a full stop (17.5, never 17,5) and no thousands separator "
            "in decimals; a comma that could be a decimal point is refused, never guessed. "
            "A bound such as 'more than 40' may be written >40 and is kept as a bound.",
        ],
        [
            "4.",
            "If a figure cannot be given, leave value blank and put a status symbol "
            "(below) in status_symbol.",
        ],
        [
            "5.",
            "The grey columns (indicator_name, unit, definition) are there to help you; "
            "they are not loaded. A comment stays with its figure and is shown with it.",
        ],
        [
            "6.",
            f"A return may hold at most {MAX_DATA_ROWS:,} rows. Upload it as .xlsx or "
            "save the Return sheet as CSV.",
        ],
        [],
        ["Columns"],
        *[
            [c.name, c.description, "required" if c.required else "optional"]
            for c in RETURN_COLUMNS
        ],
        [],
        ["Status symbols (Government Statistical Service)"],
        *[[symbol, meaning] for symbol, meaning in GSS_GUIDANCE],
        [],
        ["Indicators in this return"],
        ["indicator_code", "name", "unit", "breakdowns", "definition"],
    ]
    seen: set[str] = set()
    for code in frame["indicator_code"]:
        if code in seen:
            continue
        seen.add(code)
        spec = catalogue.indicator(code)
        lines.append(
            [
                spec.code,
                spec.name,
                spec.unit_label,
                ", ".join(spec.breakdowns) or "partnership only",
                spec.definition,
            ]
        )
    localities = _localities(engine)
    if localities:
        lines += [
            [],
            ["Localities"],
            ["locality_code", "name"],
            *[[code, name] for code, name in localities],
        ]
    for line in lines:
        guide.append(line)
    for row in guide.iter_rows():
        first = row[0]
        if first.value in (
            "How to fill in this return",
            "Columns",
            "Indicators in this return",
            "Localities",
            "Status symbols (Government Statistical Service)",
        ):
            first.font = bold
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = Font(bold=True, size=14)

    out = io.BytesIO()
    # Agency names, locality codes and definitions reach the cells: none may run as a formula.
    neutralise_workbook(workbook)
    workbook.save(out)
    return out.getvalue()


def recent_quarters(today: dt.date | None = None, count: int = 8) -> list[str]:
    """The last `count` ended quarters, newest first (the quarters a return can be made for)."""
    latest = latest_complete_quarter(today)
    codes = []
    for _ in range(count):
        codes.append(latest.code)
        latest = latest.previous()
    return codes


def recent_years(today: dt.date | None = None, count: int = 4) -> list[str]:
    """The last `count` ended financial years, then the last `count` ended academic years, newest
    first: the years an annual return (the statutory figures) can be made for."""
    today = today or dt.date.today()
    codes: list[str] = []
    for kind in (FinancialYear, AcademicYear):
        year = kind.containing(today).previous()  # the year containing today has not ended
        for _ in range(count):
            codes.append(year.code)
            year = year.previous()
    return codes
