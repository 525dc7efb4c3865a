"""What keeps a large import's memory down, checked as structure (no memory figures measured).

The peak itself is measured by benchmarks/bench_import.py; these tests pin the means: the CSV
reader's lines are those of io.StringIO without its copy, repeated cells are one object, the
sheet XML is scanned for formulas a piece at a time with the same findings, and the rows that
are all loaded are not copied on the way.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from data_access.importer import read_table
from data_access.importer import reading as reading_module
from data_access.importer.lookups import Lookups
from data_access.importer.validation import validate_table
from tests.support.import_corpus import HEADER, PERIOD, TODAY, csv_bytes, xlsx_bytes


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a,b\n",
        "a,b",
        "a,b\r\nc,d\r\n",
        "a,b\rc,d\re",
        "a\r\r\n\n\rb",
        'x,"one\r\ntwo",y\n"3\r4"\r\n',
        "a\x0bb\x1cc\u2028d\n",  # str.splitlines breaks here; StringIO(newline="") does not
    ],
)
def test_the_csv_reader_gets_the_lines_stringio_would_give(text: str) -> None:
    assert list(reading_module._lines(text)) == list(io.StringIO(text, newline=""))


@pytest.mark.parametrize("count", [0, 1, 5, 20, 200])
def test_the_first_lines_are_those_of_splitlines(count: int) -> None:
    text = "x" * 5000 + "\r" + "\n" + "".join(f"line {i}\r\n" for i in range(60)) + "tail"
    assert reading_module._first_lines(text, count) == text.splitlines()[:count]


def test_a_csv_with_every_kind_of_line_ending_reads_the_same_rows() -> None:
    rows = [
        ["MASH_CONTACTS", PERIOD, "", "NORTH", 700, "", "", "", "two\r\nlines"],
        ["MASH_CONTACTS", PERIOD, "", "SOUTH", 800, "", "", "", ""],
    ]
    crlf = csv_bytes(rows)
    for data in (crlf, crlf.replace(b"\r\n", b"\n").replace(b"two\nlines", b"two\r\nlines")):
        table = read_table("r.csv", data)
        assert table.row_numbers == [2, 3]
        assert table.cells["locality_code"].tolist() == ["NORTH", "SOUTH"]
        assert table.cells["comment"].tolist() == ["two\r\nlines", ""]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_repeated_cell_is_held_once(kind: str) -> None:
    comment = "a longer comment, " * 4 + "end"
    rows = [
        ["MASH_CONTACTS", PERIOD, "", locality, "700", "", "", "", comment]
        for locality in ("NORTH", "SOUTH", "NORTH", "SOUTH")
    ]
    data = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    cells = read_table(f"r.{kind}", data).cells
    codes = cells["indicator_code"].tolist()
    assert codes == ["MASH_CONTACTS"] * 4
    assert all(code is codes[0] for code in codes)
    assert cells["locality_code"].iat[0] is cells["locality_code"].iat[2]
    assert cells["locality_code"].iat[0] is not cells["locality_code"].iat[1]
    # Long text (comments) is kept as it was read, not pooled.
    assert cells["comment"].iat[0] == cells["comment"].iat[1] == comment


def test_formulas_are_found_the_same_whatever_the_piece_of_sheet_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [
        [
            "MASH_CONTACTS",
            PERIOD,
            "",
            "",
            "=600+100" if i % 3 else 5,
            "=2*3" if i % 4 == 0 else None,
            None,
            None,
            '="x"' if i % 5 == 0 else None,
        ]
        for i in range(300)
    ]
    data = xlsx_bytes(rows)
    whole = read_table("r.xlsx", data)
    expected = (
        {(r, "value") for r in range(2, 302) if (r - 2) % 3}
        | {(r, "numerator") for r in range(2, 302) if (r - 2) % 4 == 0}
        | {(r, "comment") for r in range(2, 302) if (r - 2) % 5 == 0}
    )
    assert whole.uncalculated == expected
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
    for size in (1, 3, 7, 64, 1000):
        monkeypatch.setattr(reading_module, "_XML_CHUNK_BYTES", size)
        assert reading_module._uncalculated_formulas(archive, sheet, whole) == expected, size


def _lookups() -> Lookups:
    from data_access.importer.lookups import AgencyRef, IndicatorRef

    return Lookups(
        indicators={
            "MASH_CONTACTS": IndicatorRef(
                id=1,
                code="MASH_CONTACTS",
                name="Contacts to the MASH",
                unit="count",
                breakdowns=frozenset({"locality"}),
                reported_by=frozenset({"council"}),
            )
        },
        agencies={"LA": AgencyRef(id=1, code="LA", name="Council", sector="council", active=True)},
        localities={"NORTH": 1, "SOUTH": 2},
        periods={},
        today=TODAY,
    )


def test_rows_that_are_all_valid_are_not_copied_to_be_loaded() -> None:
    rows = [
        ["MASH_CONTACTS", PERIOD, "", locality, 700, "", "", "", ""]
        for locality in ("NORTH", "SOUTH")
    ]
    validation = validate_table(read_table("r.csv", csv_bytes(rows)), _lookups())
    assert validation.ok
    valid = validation.valid_rows
    assert np.shares_memory(valid["value"].to_numpy(), validation.rows["value"].to_numpy())
    valid["extra"] = 1  # a column added to what is loaded never reaches the checked rows
    assert "extra" not in validation.rows


def test_rows_with_errors_are_left_out_of_the_valid_rows() -> None:
    rows = [
        ["MASH_CONTACTS", PERIOD, "", "NORTH", 700, "", "", "", ""],
        ["MASH_CONTACTS", PERIOD, "", "NOWHERE", 800, "", "", "", ""],
    ]
    validation = validate_table(read_table("r.csv", csv_bytes(rows, HEADER)), _lookups())
    assert validation.rows["has_error"].tolist() == [False, True]
    assert validation.valid_rows["row"].tolist() == [2]
