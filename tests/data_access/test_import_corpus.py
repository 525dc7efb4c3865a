"""A corpus of bad (and awkward but good) return files: a clear message, nothing half-written.

Every file is generated here (see tests/data_access/import_corpus), none is a committed binary.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access import migrate
from data_access.db import engine_for, session_scope
from data_access.importer import MAX_FILE_BYTES, check_file, load_checked, read_table
from data_access.importer import reading as reading_module
from data_access.importer.loading import ImportRefused
from data_access.models import IndicatorValue
from data_access.reference import sync_catalogue
from tests.support.import_corpus import (
    HEADER,
    PERIOD,
    TODAY,
    csv_bytes,
    good_rows,
    seed_reference,
    snapshot,
    xlsx_bytes,
)


def _loaded(engine: sa.Engine) -> sa.Engine:
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    seed_reference(engine)
    checked = check_file(
        engine=engine, file_name="baseline.csv", data=csv_bytes(good_rows()), today=TODAY
    )
    load_checked(engine=engine, checked=checked, username="qa.tester")
    return engine


@pytest.fixture(scope="module")
def unchanging_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    """One good return loaded; shared by the bad-file cases, which must not change it."""
    path = tmp_path_factory.mktemp("corpus") / "store.db"
    engine = engine_for(f"sqlite:///{path.as_posix()}")
    yield _loaded(engine)
    engine.dispose()


@pytest.fixture
def loaded_store(tmp_path: Path) -> Iterator[sa.Engine]:
    """A private store with reference data and one good return already loaded."""
    engine = engine_for(f"sqlite:///{(tmp_path / 'store.db').as_posix()}")
    yield _loaded(engine)
    engine.dispose()


def _row(**changes: object) -> list[object]:
    base = dict(
        zip(HEADER, ["MASH_CONTACTS", PERIOD, "", "SOUTH", 700, "", "", "", ""], strict=True)
    )
    base.update(changes)
    return [base[c] for c in HEADER]


@dataclass(frozen=True)
class BadFile:
    name: str
    build: Callable[[], bytes]
    problem: str  # a phrase the report must contain
    row: int | None = None  # the spreadsheet row the problem is reported on (None = whole file)
    column: str | None = None
    file_name: str = "return.csv"


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def _cp1252_with_bad_row() -> bytes:
    rows = [_row(comment="café"), _row(indicator_code="NÉGLECT", locality_code="NORTH")]
    return csv_bytes(rows, encoding="cp1252")


def _mixed_encoding_with_bad_row() -> bytes:
    first = csv_bytes([_row(comment="naïve")])  # UTF-8
    second = (
        ",".join(
            str(c) for c in _row(value="lots", locality_code="EAST", comment="déjà vu")
        ).encode("cp1252")
        + b"\r\n"
    )
    return first + second


def _password_protected_workbook() -> bytes:
    """What Excel writes for File > Info > Encrypt with Password: an OLE file, not a zip."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 500
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 64
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 2000
    )


def _uncalculated_formula() -> bytes:
    """A formula saved by a program that does not calculate (openpyxl stores no result)."""
    return xlsx_bytes([_row(value="=600+100")])


def _overlong_csv_cell() -> bytes:
    # An unclosed quotation mark makes the rest of the file one cell.
    return csv_bytes([_row()]) + b'MASH_CONTACTS,2025-26 Q2,,NORTH,"700' + b"x" * 200_000


def _overlong_csv_cell_lines() -> bytes:
    # An unclosed quotation mark before many short lines: one cell, though no line is long.
    return csv_bytes([_row()]) + b'MASH_CONTACTS,2025-26 Q2,,NORTH,"700' + b"xxxx\r\n" * 40_000


def _padded_workbook() -> bytes:
    """A small workbook whose sheet unpacks to far more than any return (a 'zip bomb')."""
    good = xlsx_bytes([_row()])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                with target.open(info.filename, "w") as member:
                    member.write(data.replace(b"</sheetData>", b""))
                    spaces = b" " * (1024 * 1024)
                    for _ in range(24):  # 24 MB of padding, packed about a thousand times
                        member.write(spaces)
                    member.write(b"</sheetData></worksheet>")
                continue
            target.writestr(info, data)
    return out.getvalue()


def _sheet_declaring_a_million_rows() -> bytes:
    good = xlsx_bytes([_row()])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', data)
            target.writestr(info, data)
    return out.getvalue()


BAD_FILES: list[BadFile] = [
    BadFile(
        "unknown indicator",
        lambda: csv_bytes([_row(indicator_code="MASH_CONTACT")]),
        "Unknown indicator code",
        2,
        "indicator_code",
    ),
    BadFile(
        "missing indicator code",
        lambda: csv_bytes([_row(indicator_code="")]),
        "No indicator code",
        2,
        "indicator_code",
    ),
    BadFile(
        "unknown agency",
        lambda: csv_bytes([_row(agency_code="NOPE", locality_code="")]),
        "Unknown agency code",
        2,
        "agency_code",
    ),
    BadFile(
        "unknown locality",
        lambda: csv_bytes([_row(locality_code="WEST")]),
        "Unknown locality code",
        2,
        "locality_code",
    ),
    BadFile(
        "period not a quarter",
        lambda: csv_bytes([_row(period="2025-26 Q5")]),
        "is not a quarter",
        2,
        "period",
    ),
    BadFile(
        "period in words",
        lambda: csv_bytes([_row(period="last quarter")]),
        "is not a quarter",
        2,
        "period",
    ),
    BadFile(
        "period in the future",
        lambda: csv_bytes([_row(period="2027-28 Q1")]),
        "has not ended yet",
        2,
        "period",
    ),
    BadFile(
        "period not ended",
        lambda: csv_bytes([_row(period="2026-27 Q3")]),
        "has not ended yet",
        2,
        "period",
    ),
    BadFile(
        "non-numeric value",
        lambda: csv_bytes([_row(value="about 700")]),
        "Not a number",
        2,
        "value",
    ),
    BadFile("NaN as text", lambda: csv_bytes([_row(value="nan")]), "Not a number", 2, "value"),
    BadFile("infinite value", lambda: csv_bytes([_row(value="inf")]), "Not a number", 2, "value"),
    BadFile("negative count", lambda: csv_bytes([_row(value=-5)]), "negative figure", 2, "value"),
    BadFile(
        "negative denominator",
        lambda: csv_bytes(
            [
                _row(
                    indicator_code="MASH_DECISION_1WD",
                    locality_code="",
                    value=50,
                    numerator=5,
                    denominator=-10,
                )
            ]
        ),
        "negative denominator",
        2,
        "denominator",
    ),
    BadFile(
        "percentage above 100",
        lambda: csv_bytes([_row(indicator_code="MASH_DECISION_1WD", locality_code="", value=120)]),
        "outside 0-100",
        2,
        "value",
    ),
    BadFile(
        "percentage as a fraction written negative",
        lambda: csv_bytes([_row(indicator_code="MASH_DECISION_1WD", locality_code="", value=-0.5)]),
        "outside 0-100",
        2,
        "value",
    ),
    BadFile(
        "numerator above denominator",
        lambda: csv_bytes(
            [
                _row(
                    indicator_code="MASH_DECISION_1WD",
                    locality_code="",
                    value=95,
                    numerator=210,
                    denominator=200,
                )
            ]
        ),
        "numerator is larger than the denominator",
        2,
        "numerator",
    ),
    BadFile(
        "value inconsistent with numerator/denominator",
        lambda: csv_bytes(
            [
                _row(
                    indicator_code="MASH_DECISION_1WD",
                    locality_code="",
                    value=50,
                    numerator=183,
                    denominator=200,
                )
            ]
        ),
        "does not match numerator / denominator, which is 91.5%",
        2,
        "value",
    ),
    BadFile(
        "percentage of a zero denominator",
        lambda: csv_bytes(
            [
                _row(
                    indicator_code="MASH_DECISION_1WD",
                    locality_code="",
                    value=0,
                    numerator=0,
                    denominator=0,
                )
            ]
        ),
        "denominator is 0",
        2,
        "denominator",
    ),
    BadFile(
        "duplicate rows",
        lambda: csv_bytes([_row(), _row(locality_code="NORTH"), _row(value=701)]),
        "appear in rows 2, 4",
        2,
        "indicator_code",
    ),
    BadFile(
        "duplicate rows differing only in case and spaces",
        lambda: csv_bytes([_row(), _row(indicator_code=" mash_contacts ", locality_code="south")]),
        "appear in rows 2, 3",
        2,
        "indicator_code",
    ),
    BadFile(
        "blank value without a symbol, with a comment",
        lambda: csv_bytes([_row(value="", comment="to follow")]),
        "No value",
        2,
        "value",
    ),
    BadFile(
        "unknown status symbol",
        lambda: csv_bytes([_row(value="", status_symbol="q")]),
        "Not a Government Statistical Service symbol",
        2,
        "status_symbol",
    ),
    BadFile(
        "value given with symbol c",
        lambda: csv_bytes([_row(status_symbol="c")]),
        "A value is given with status symbol 'c'",
        2,
        "value",
    ),
    BadFile(
        "missing required column",
        lambda: csv_bytes(
            [["MASH_CONTACTS", PERIOD, 7]], header=["indicator_code", "period", "amount"]
        ),
        "missing the required column(s) 'value'. Headings found: 'indicator_code', "
        "'period', 'amount'",
    ),
    BadFile(
        "no heading row at all",
        lambda: b"1,2,3\n4,5,6\n",
        "missing the required column(s) 'indicator_code', 'period', 'value'",
    ),
    BadFile(
        "wrong sheet",
        lambda: xlsx_bytes([_row()], sheet="Sheet1"),
        "no sheet called 'Return'. Sheets found: 'Sheet1', 'Guidance'",
        file_name="return.xlsx",
    ),
    BadFile("empty file", lambda: b"", "The file is empty"),
    BadFile("only blank lines", lambda: b"\r\n\r\n  \r\n", "The file is empty"),
    BadFile("only a BOM", lambda: codecs.BOM_UTF8, "The file is empty"),
    BadFile(
        "empty workbook sheet",
        lambda: xlsx_bytes([], header=[]),
        "The file is empty",
        file_name="return.xlsx",
    ),
    BadFile(
        "headings but no figures",
        lambda: csv_bytes([["", "", "", "", "", "", "", "", ""]]),
        "no figures under it",
    ),
    BadFile(
        "a PDF", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF", file_name="return.pdf"
    ),
    BadFile("binary junk", lambda: bytes(range(256)) * 40, "binary data", file_name="x.bin"),
    BadFile(
        "corrupt zip",
        lambda: b"PK\x03\x04" + b"\x00garbage" * 100,
        "could not be opened",
        file_name="return.xlsx",
    ),
    BadFile(
        "truncated workbook",
        lambda: xlsx_bytes([_row()])[:900],
        "could not be opened",
        file_name="return.xlsx",
    ),
    BadFile(
        "zip that is not a workbook",
        _zip_without_workbook,
        "not an Excel workbook",
        file_name="return.xlsx",
    ),
    BadFile(
        "old .xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        ".xls",
        file_name="return.xls",
    ),
    BadFile("text renamed .xlsx", lambda: csv_bytes([_row()]), "not one", file_name="return.xlsx"),
    BadFile("far too large", lambda: b"a" * (MAX_FILE_BYTES + 1), "never larger than 20 MB"),
    BadFile(
        "Excel date in the value column",
        lambda: xlsx_bytes([_row(value=dt.datetime(2025, 3, 1))]),
        "looks like a date",
        2,
        "value",
        file_name="return.xlsx",
    ),
    BadFile(
        "date typed as text in the value column",
        lambda: csv_bytes([_row(value="01/03/2025")]),
        "looks like a date",
        2,
        "value",
    ),
    BadFile(
        "Windows-1252 file with an unknown indicator",
        _cp1252_with_bad_row,
        "Unknown indicator code",
        3,
        "indicator_code",
    ),
    BadFile(
        "mixed UTF-8 and Windows-1252 lines with a bad value",
        _mixed_encoding_with_bad_row,
        "Not a number",
        3,
        "value",
    ),
    BadFile(
        "trailing blank rows after a bad row",
        lambda: csv_bytes([_row(), _row(locality_code="NORTH", value="x7"), *([[""] * 9] * 5)]),
        "Not a number",
        3,
        "value",
    ),
    BadFile(
        "title row merged over the headings, bad row below",
        lambda: xlsx_bytes(
            [_row(), _row(locality_code="NORTH", value=-1)],
            title="Quarterly return",
            merges=["A1:I1"],
        ),
        "negative figure",
        4,
        "value",
        file_name="return.xlsx",
    ),
    BadFile(
        "password-protected workbook",
        _password_protected_workbook,
        "password-protected",
        file_name="return.xlsx",
    ),
    BadFile(
        "formula saved without its result",
        _uncalculated_formula,
        "formula that was saved without its result",
        2,
        "value",
        file_name="return.xlsx",
    ),
    BadFile(
        "a line longer than any return's",
        _overlong_csv_cell,
        "Line 3 of the file is 200,036 characters long",
    ),
    BadFile(
        "a cell longer than the CSV field limit, over many lines",
        _overlong_csv_cell_lines,
        "Line 3 of the file has a cell more than 131,072 characters long",
    ),
    BadFile(
        "workbook that unpacks to far more than its size",
        _padded_workbook,
        "unpacks to 24 MB",
        file_name="return.xlsx",
    ),
    BadFile(
        "sheet declaring a million rows",
        _sheet_declaring_a_million_rows,
        "uses 1,048,576 rows and 16,384 columns",
        file_name="return.xlsx",
    ),
    BadFile(
        "decimal comma in a count",
        lambda: csv_bytes([_row(value="17,5")]),
        "could be a decimal point or a thousands separator",
        2,
        "value",
    ),
    BadFile(
        "percent sign on a count",
        lambda: csv_bytes([_row(value="12%")]),
        "A % sign on a figure that is a count",
        2,
        "value",
    ),
    BadFile("1e308", lambda: csv_bytes([_row(value="1e308")]), "scientific notation", 2, "value"),
    BadFile(
        "comment far too long",
        lambda: csv_bytes([_row(comment="x" * 5000)]),
        "The comment is 5,000 characters long",
        2,
        "comment",
    ),
    BadFile(
        "extra column and a bad period",
        lambda: csv_bytes([[*_row(period="Q2"), "note"]], header=[*HEADER, "Our ref"]),
        "is not a quarter",
        2,
        "period",
    ),
]


@pytest.mark.parametrize("case", BAD_FILES, ids=[c.name for c in BAD_FILES])
def test_bad_file_gets_a_clear_error_and_the_store_is_unchanged(
    unchanging_store: sa.Engine, case: BadFile
) -> None:
    loaded_store = unchanging_store
    before = snapshot(loaded_store)
    data = case.build()
    checked = check_file(engine=loaded_store, file_name=case.file_name, data=data, today=TODAY)
    report = checked.report
    errors = report[report["severity"] == "error"]
    assert not errors.empty, f"no error for {case.name}"
    matching = errors[errors["problem"].str.contains(case.problem, regex=False)]
    assert not matching.empty, f"{case.name}: {errors['problem'].tolist()}"
    line = matching.iloc[0]
    assert line["what_to_do"], "every problem says what to do"
    if case.row is None:
        assert pd_isna(line["row"])
    else:
        assert int(line["row"]) == case.row
        assert line["column"] == case.column
    assert not checked.can_load_all
    with pytest.raises(ImportRefused):
        load_checked(engine=loaded_store, checked=checked, username="qa.tester")
    assert snapshot(loaded_store) == before


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_size_is_checked_before_any_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_parse(*_args: object) -> None:
        raise AssertionError("parsed a file that is too large")

    monkeypatch.setattr(reading_module, "_read_csv", must_not_parse)
    monkeypatch.setattr(reading_module, "_read_xlsx", must_not_parse)
    with pytest.raises(reading_module.FileProblem, match="never larger"):
        read_table("big.csv", b"PK\x03\x04" + b"x" * MAX_FILE_BYTES)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_rows_is_refused(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setattr(reading_module, "MAX_DATA_ROWS", 10)
    rows = [_row(locality_code="", value=i) for i in range(40)]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    # An XLSX is refused from its declared size before its rows are read; a CSV as it is read.
    with pytest.raises(reading_module.FileProblem, match="more than 10 rows|at most 10 rows"):
        read_table(f"r.{kind}", data)


def test_a_padded_workbook_is_refused_before_it_is_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import openpyxl

    def must_not_open(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("opened a workbook that should have been refused from its size")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    with pytest.raises(reading_module.FileProblem, match="unpacks to"):
        read_table("bomb.xlsx", _padded_workbook())


def test_an_oversized_sheet_is_refused_before_its_rows_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def must_not_read(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("read the rows of a sheet that should have been refused")

    monkeypatch.setattr(reading_module, "_limited", must_not_read)
    with pytest.raises(reading_module.FileProblem, match="1,048,576 rows"):
        read_table("big.xlsx", _sheet_declaring_a_million_rows())


def test_an_unknown_agency_gets_one_clear_message(unchanging_store: sa.Engine) -> None:
    checked = check_file(
        engine=unchanging_store,
        file_name="r.csv",
        data=csv_bytes(
            [_row(indicator_code="TR_LEARNERS", locality_code="", agency_code="NOPE", value=4)]
        ),
        today=TODAY,
    )
    problems = checked.report["problem"].tolist()
    assert problems == ["Unknown agency code."]
    assert not any("nan" in p for p in problems)


def test_utf16_without_a_byte_order_mark_is_read(loaded_store: sa.Engine) -> None:
    for encoding in ("utf-16-le", "utf-16-be"):
        values, checked = _loads(loaded_store, csv_bytes([_row(comment="Zoë")], encoding=encoding))
        assert values == GOOD
        assert checked.validation.rows["comment"].iloc[0] == "Zoë"
        assert any("UTF-16" in note for note in checked.validation.file_notes)


def test_invalid_rows_can_be_left_out_when_asked(loaded_store: sa.Engine) -> None:
    rows = [
        _row(value=650),
        _row(locality_code="NORTH", value="lots"),
        _row(locality_code="EAST", value=410),
    ]
    checked = check_file(
        engine=loaded_store, file_name="partly.csv", data=csv_bytes(rows), today=TODAY
    )
    assert checked.summary["rows_with_errors"] == 1
    assert list(checked.validation.valid_rows["row"]) == [2, 4]
    result = load_checked(
        engine=loaded_store, checked=checked, username="qa.tester", valid_only=True
    )
    assert result.new == 2 and result.changed == 0
    with loaded_store.connect() as connection:
        count = connection.scalar(
            sa.select(sa.func.count())
            .select_from(IndicatorValue)
            .where(IndicatorValue.submission_id == result.submission_id)
        )
    assert count == 2


# --- awkward but good files: read correctly -------------------------------------------------------


def _loads(engine: sa.Engine, data: bytes, file_name: str = "return.csv") -> dict[tuple, float]:
    checked = check_file(engine=engine, file_name=file_name, data=data, today=TODAY)
    assert checked.validation is not None, checked.report.to_dict("records")
    assert checked.validation.errors.empty, checked.validation.errors.to_dict("records")
    return {
        (r.indicator_code, r.period_code, r.agency_code, r.locality_code): r.value
        for r in checked.validation.rows.itertuples()
    }, checked


GOOD = {("MASH_CONTACTS", PERIOD, None, "SOUTH"): 700.0}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_encodings_and_byte_order_marks(loaded_store: sa.Engine, encoding: str) -> None:
    values, checked = _loads(
        loaded_store, csv_bytes([_row(comment="Zoë's café")], encoding=encoding)
    )
    assert values == GOOD
    assert checked.validation.rows["comment"].iloc[0] == "Zoë's café"


def test_mixed_encodings_line_by_line(loaded_store: sa.Engine) -> None:
    utf8 = csv_bytes([_row(comment="naïve")])
    cp1252 = (
        ",".join(str(c) for c in _row(locality_code="EAST", comment="déjà vu")).encode("cp1252")
        + b"\r\n"
    )
    values, checked = _loads(loaded_store, utf8 + cp1252)
    assert list(checked.validation.rows["comment"]) == ["naïve", "déjà vu"]
    assert any("mixed" in note for note in checked.validation.file_notes)


def test_semicolon_and_tab_delimiters(loaded_store: sa.Engine) -> None:
    for delimiter in (";", "\t"):
        values, _ = _loads(loaded_store, csv_bytes([_row()], delimiter=delimiter))
        assert values == GOOD


def test_heading_variations_and_period_spelling(loaded_store: sa.Engine) -> None:
    header = [
        "  Indicator Code ",
        "PERIOD",
        "Agency",
        "locality",
        " Value ",
        "Numerator",
        "denominator",
        "Status symbol",
        "Comments",
    ]
    values, _ = _loads(loaded_store, csv_bytes([_row(period="2025/26 q2")], header=header))
    assert values == GOOD


def test_excel_dates_in_the_period_column_are_read_as_quarters(loaded_store: sa.Engine) -> None:
    values, checked = _loads(
        loaded_store, xlsx_bytes([_row(period=dt.datetime(2025, 9, 30))]), "r.xlsx"
    )
    assert values == GOOD
    warnings = checked.validation.warnings
    assert "read as 2025-26 Q2" in warnings["problem"].iloc[0]


def test_numbers_written_as_text(loaded_store: sa.Engine) -> None:
    rows = [
        _row(value="1,234"),
        _row(
            indicator_code="MASH_DECISION_1WD",
            locality_code="",
            value="91.5%",
            numerator=" 183 ",
            denominator="200",
        ),
    ]
    values, _ = _loads(loaded_store, xlsx_bytes(rows), "r.xlsx")
    assert values[("MASH_CONTACTS", PERIOD, None, "SOUTH")] == 1234.0
    assert values[("MASH_DECISION_1WD", PERIOD, None, None)] == 91.5


def test_percentage_worked_out_from_numerator_and_denominator(loaded_store: sa.Engine) -> None:
    rows = [
        _row(
            indicator_code="MASH_DECISION_1WD",
            locality_code="",
            value="",
            numerator=183,
            denominator=200,
        )
    ]
    values, _ = _loads(loaded_store, csv_bytes(rows))
    assert values[("MASH_DECISION_1WD", PERIOD, None, None)] == 91.5


def test_merged_title_row_and_two_row_headings(loaded_store: sa.Engine) -> None:
    titled = xlsx_bytes([_row()], title="Quarterly return - Brookvale", merges=["A1:I1"])
    values, checked = _loads(loaded_store, titled, "r.xlsx")
    assert values == GOOD and list(checked.validation.rows["row"]) == [3]

    # "Figures" merged over value/numerator/denominator; the other headings merged down.
    top = [
        "indicator_code",
        "period",
        "agency_code",
        "locality_code",
        "Figures",
        None,
        None,
        "status_symbol",
        "comment",
    ]
    second = [None, None, None, None, "value", "numerator", "denominator", None, None]
    two_rows = xlsx_bytes(
        [_row()],
        header_rows=[top, second],
        merges=["E1:G1", "A1:A2", "B1:B2", "C1:C2", "D1:D2", "H1:H2", "I1:I2"],
    )
    values, checked = _loads(loaded_store, two_rows, "r.xlsx")
    assert values == GOOD and list(checked.validation.rows["row"]) == [3]


def test_extra_columns_are_ignored_with_a_warning(loaded_store: sa.Engine) -> None:
    header = [*HEADER, "Our reference", None, "indicator_name"]
    values, checked = _loads(
        loaded_store, csv_bytes([[*_row(), "R-17", "stray", "Contacts"]], header=header)
    )
    assert values == GOOD
    notes = " ".join(checked.validation.file_notes)
    assert "'Our reference' is not part of the return" in notes
    assert "column 11 has figures but no heading" in notes.lower()
    assert "indicator_name" not in notes  # template helper columns are ignored silently


def test_trailing_and_interleaved_blank_rows_are_ignored(loaded_store: sa.Engine) -> None:
    rows = [_row(), [""] * 9, _row(locality_code="NORTH"), *([[""] * 9] * 20)]
    values, checked = _loads(loaded_store, xlsx_bytes(rows), "r.xlsx")
    assert len(values) == 2
    assert list(checked.validation.rows["row"]) == [2, 4]


def test_status_symbols_are_stored_without_a_value(loaded_store: sa.Engine) -> None:
    rows = [
        _row(value="", status_symbol="C"),
        _row(locality_code="NORTH", value=0, status_symbol="k"),
    ]
    values, checked = _loads(loaded_store, csv_bytes(rows))
    assert list(checked.validation.rows["status_symbol"]) == ["c", "k"]
