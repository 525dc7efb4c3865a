"""Hostile files at the size they were found (issue 11), refused cheaply with a plain message.

"A 1.7 MB workbook that unpacks to 380 MB took 121 s and 665 MB before being refused" and "a
19 MB line gives 'field larger than field limit (131072)'": both files are built here at that
size, cheaply (the workbook's sheet is streamed into the zip), and each must be refused from its
zip directory or its line lengths before any parser runs, with a sentence naming the problem and
the fix, and nothing written. The message cases the issue lists (password-protected workbook,
UTF-16 without a byte-order mark, a formula saved without its result, an unknown agency) are
checked on both stores too. Time and memory are measured by benchmarks, never asserted here.

Every store test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import sqlalchemy as sa

from data_access.importer import check_file, load_checked
from data_access.importer import reading as reading_module
from data_access.importer.loading import ImportRefused
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

UNPACKED_MB = 380
LINE_MB = 19
# Words a QA officer should never see.
NEVER_SAID = (
    "Traceback",
    "field limit (131072)",
    "field larger than field limit",
    "Error:",
    "nan sector",
    "binary data",
    "old-style",
)


def workbook_unpacking_to(megabytes: int) -> bytes:
    """A valid-looking workbook whose Return sheet unpacks to `megabytes` MiB of rows.

    The sheet XML is streamed into the zip in blocks, so building it never holds more than one
    block; the rows compress about 300 times, so the file is about 1.2 MB.
    """
    good = xlsx_bytes([["MASH_CONTACTS", PERIOD, "", "SOUTH", 700, "", "", "", ""]])
    block = b'<row><c t="s"><v>0</v></c><c><v>1</v></c></row>' * 20_000
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, data)
                continue
            head = data.partition(b"</sheetData>")[0]
            with target.open(info.filename, "w", force_zip64=True) as member:
                member.write(head)
                written = 0
                while written < megabytes * 1024 * 1024:
                    member.write(block)
                    written += len(block)
                member.write(b"</sheetData></worksheet>")
    return out.getvalue()


def csv_with_one_long_line(megabytes: int) -> bytes:
    """A return whose third line runs to `megabytes` MiB: an opening quotation mark never closed."""
    return (
        csv_bytes([["MASH_CONTACTS", PERIOD, "", "SOUTH", 700, "", "", "", ""]])
        + f'MASH_CONTACTS,{PERIOD},,NORTH,"700'.encode()
        + b"x" * (megabytes * 1024 * 1024)
    )


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return workbook_unpacking_to(UNPACKED_MB)


@pytest.fixture(scope="module")
def long_line() -> bytes:
    return csv_with_one_long_line(LINE_MB)


@pytest.fixture
def loaded(store: sa.Engine) -> sa.Engine:
    """A store holding one good return, which the hostile files must leave as it is."""
    seed_reference(store)
    checked = check_file(
        engine=store, file_name="baseline.csv", data=csv_bytes(good_rows()), today=TODAY
    )
    load_checked(engine=store, checked=checked, username="qa.tester")
    return store


def refused(engine: sa.Engine, file_name: str, data: bytes) -> dict[str, object]:
    """The one whole-file error a hostile file gets; checks nothing is written when loading."""
    before = snapshot(engine)
    checked = check_file(engine=engine, file_name=file_name, data=data, today=TODAY)
    errors = checked.report[checked.report["severity"] == "error"]
    assert len(errors) == 1, errors.to_dict("records")
    line = errors.iloc[0].to_dict()
    text = f"{line['problem']} {line['what_to_do']}"
    for words in NEVER_SAID:
        assert words not in text
    # A sentence naming the problem, and one saying what to do.
    assert str(line["problem"]).endswith(".") and str(line["what_to_do"]).endswith(".")
    assert not checked.can_load_all
    with pytest.raises(ImportRefused):
        load_checked(engine=engine, checked=checked, username="qa.tester")
    assert snapshot(engine) == before
    return line


def test_the_workbook_is_built_at_the_size_found(bomb: bytes) -> None:
    assert len(bomb) < 2 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert unpacked >= UNPACKED_MB * 1024 * 1024


def test_a_workbook_unpacking_to_380_mb_is_refused_before_it_is_opened(
    loaded: sa.Engine, bomb: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    def must_not_open(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("opened a workbook that its zip directory already ruled out")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    line = refused(loaded, "return.xlsx", bomb)
    assert "unpacks to 380 MB" in str(line["problem"])
    assert "far more than any return holds" in str(line["problem"])
    assert "into the template" in str(line["what_to_do"])


def test_a_19_mb_line_is_refused_before_the_csv_is_parsed(
    loaded: sa.Engine, long_line: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_parse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("parsed a file whose line lengths already ruled it out")

    monkeypatch.setattr(reading_module, "_sniff_delimiter", must_not_parse)
    monkeypatch.setattr(csv, "reader", must_not_parse)
    assert len(long_line) > LINE_MB * 1024 * 1024
    line = refused(loaded, "return.csv", long_line)
    assert str(line["problem"]).startswith("Line 3 of the file is 19,922,9")
    assert "characters long" in str(line["problem"])
    assert "quotation mark is probably missing" in str(line["what_to_do"])


def test_one_very_wide_line_among_ordinary_ones_is_refused_as_it_is_read(
    loaded: sa.Engine,
) -> None:
    # Each line is short enough, but padding every row to the wide one would not be.
    wide = ",".join(["1"] * 30_000)
    ordinary = [["MASH_CONTACTS", PERIOD, "", "SOUTH", 700, "", "", "", ""]] * 200
    data = csv_bytes(ordinary) + wide.encode() + b"\r\n"
    line = refused(loaded, "return.csv", data)
    assert "rows by 30,000 columns" in str(line["problem"])


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


def test_a_password_protected_workbook_is_called_that(loaded: sa.Engine) -> None:
    line = refused(loaded, "return.xlsx", _password_protected_workbook())
    assert "password-protected" in str(line["problem"])
    assert "remove the password" in str(line["what_to_do"])


def _report_text(engine: sa.Engine, file_name: str, data: bytes) -> tuple[str, object]:
    checked = check_file(engine=engine, file_name=file_name, data=data, today=TODAY)
    report = checked.report
    return " ".join(
        f"{p} {w}" for p, w in zip(report["problem"], report["what_to_do"], strict=True)
    ), checked


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_not_called_binary(
    loaded: sa.Engine, encoding: str
) -> None:
    data = csv_bytes(
        [["MASH_CONTACTS", PERIOD, "", "EAST", 650, "", "", "", "Zoë"]], encoding=encoding
    )
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    text, checked = _report_text(loaded, "return.csv", data)
    assert "binary data" not in text
    assert checked.validation is not None and checked.validation.errors.empty, text
    assert checked.validation.rows["comment"].iloc[0] == "Zoë"
    assert any("UTF-16" in note for note in checked.validation.file_notes)


def test_a_formula_saved_without_its_result_is_named_not_no_value(loaded: sa.Engine) -> None:
    data = xlsx_bytes([["MASH_CONTACTS", PERIOD, "", "EAST", "=600+50", "", "", "", ""]])
    text, checked = _report_text(loaded, "return.xlsx", data)
    errors = checked.report[checked.report["severity"] == "error"]
    assert list(errors["problem"].str.contains("formula that was saved without its result")) == [
        True
    ], text
    assert "No value." not in text
    assert int(errors.iloc[0]["row"]) == 2 and errors.iloc[0]["column"] == "value"


def test_an_unknown_agency_says_so_without_a_nan_sector(loaded: sa.Engine) -> None:
    data = csv_bytes([["TR_LEARNERS", PERIOD, "NOPE", "", 4, "", "", "", ""]], HEADER)
    text, checked = _report_text(loaded, "return.csv", data)
    assert list(checked.report["problem"]) == ["Unknown agency code."]
    assert "nan" not in text.lower().replace("financial", "")
