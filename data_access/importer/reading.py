"""Reading an uploaded return (CSV or XLSX bytes) into a table of raw cells, with file-level checks.

Nothing here knows about indicators or agencies: it finds the heading row, maps headings to the
return's columns and keeps each data row's spreadsheet row number. Problems with the file as a whole
(empty, too large, not CSV/XLSX, damaged, wrong sheet, missing columns) raise `FileProblem`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_access.importer.format import (
    COLUMN_NAMES,
    COMPRESSION_CHECK_FROM_BYTES,
    HEADER_SEARCH_ROWS,
    INFORMATION_COLUMNS,
    MAX_COMPRESSION_RATIO,
    MAX_CSV_LINE_CHARS,
    MAX_DATA_ROWS,
    MAX_FILE_BYTES,
    MAX_SHEET_CELLS,
    MAX_UNPACKED_XLSX_BYTES,
    REQUIRED_COLUMNS,
    SHEET_NAME,
    normalise_heading,
)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, .doc, and password-protected .xlsx
# A password-protected (encrypted) .xlsx is an OLE file holding a stream of this name.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_CONTROL_CHARS = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}
# CSV cells up to this long (codes, periods, figures) are kept as one object per distinct text.
_SHARED_CELL_CHARS = 40


class FileProblem(ValueError):
    """The file as a whole cannot be read as a return; `what_to_do` says how to fix it."""

    def __init__(self, problem: str, what_to_do: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.what_to_do = what_to_do


@dataclass
class RawTable:
    """The data rows of a return, as the cells were written, before any checking."""

    cells: pd.DataFrame  # one column per recognised return column, object dtype, raw cell values
    row_numbers: list[int]  # the spreadsheet row number of each data row (1-based, as in Excel)
    headings: dict[str, str]  # canonical column -> heading as written in the file
    file_kind: str  # "csv" or "xlsx"
    notes: list[str] = field(default_factory=list)  # warnings about the file as a whole
    encoding: str | None = None
    sheet: str | None = None
    # canonical column -> its position in the file (0-based), for mapping sheet cells back
    positions: dict[str, int] = field(default_factory=dict)
    # (spreadsheet row, canonical column) of formula cells saved without a calculated value
    uncalculated: set[tuple[int, str]] = field(default_factory=set)


def read_table(file_name: str, data: bytes) -> RawTable:
    """Read a return from `data`; raise FileProblem with a plain explanation if it cannot."""
    size = len(data)
    if size > MAX_FILE_BYTES:  # checked before any parsing
        raise FileProblem(
            f"The file is {size / 1024 / 1024:.1f} MB; a quarterly return is never larger than "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB.",
            "Check you chose the right file. If it is a return, split it into smaller files.",
        )
    if size == 0 or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise FileProblem("The file is empty.", "Fill in the template and upload it again.")
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(file_name, data)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        raise FileProblem(
            "The workbook is password-protected (encrypted), so its figures cannot be read.",
            "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt "
            "with Password, then clear the password), save it and upload it again.",
        )
    if data.startswith(_OLE_MAGIC):
        raise FileProblem(
            "This is an old-style Excel (.xls) or Word file, which cannot be read.",
            "Open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV.",
        )
    if data.startswith(b"%PDF"):
        raise FileProblem(
            "This is a PDF, not a spreadsheet.", "Upload the return as CSV or Excel (.xlsx)."
        )
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise FileProblem(
            "The file is named as an Excel workbook but is not one (it may be damaged, or be a "
            "different kind of file renamed).",
            "Open it in Excel and save it again as .xlsx, or save the figures as CSV.",
        )
    return _read_csv(data)


# --- CSV ----------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 line by line.

    Files pieced together from several sources can mix UTF-8 and Windows-1252 lines, so a file
    that is not valid UTF-8 throughout is decoded line by line, each line as UTF-8 when it can be.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError:
            data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise FileProblem(
                "The file says it is UTF-16 text but cannot be decoded.",
                "Save it from Excel as 'CSV UTF-8 (Comma delimited)'.",
            ) from exc
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), "UTF-16 (no byte-order mark)"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        raise FileProblem(
            "The file is not a CSV or Excel file (it contains binary data).",
            "Upload the return as CSV or Excel (.xlsx), e.g. the template from this page.",
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    lines = []
    mixed = False
    for line in data.splitlines(keepends=True):
        try:
            lines.append(line.decode("utf-8"))
            mixed = mixed or any(b > 127 for b in line)
        except UnicodeDecodeError:
            lines.append(
                line.decode("cp1252", errors="strict")
                if _cp1252_ok(line)
                else line.decode("latin-1")
            )
    return "".join(lines), ("mixed UTF-8 and Windows-1252" if mixed else "Windows-1252")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the text is UTF-16 saved without a byte-order mark.

    Text of Latin letters in UTF-16 has a zero byte in every other position; binary data does
    not have that rhythm.
    """
    sample = data[:8192]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    zero_share_odd = odd.count(0) / len(odd)
    zero_share_even = even.count(0) / len(even)
    if zero_share_odd > 0.9 and zero_share_even < 0.05:
        return "utf-16-le"
    if zero_share_even > 0.9 and zero_share_odd < 0.05:
        return "utf-16-be"
    return None


def _cp1252_ok(line: bytes) -> bool:
    try:
        line.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _first_lines(text: str, count: int) -> list[str]:
    """`text.splitlines()[:count]` without splitting the whole text (a list of every line)."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        # More lines than wanted: the wanted ones all end before the prefix does, so they are
        # whole (a line ending split across the prefix's end belongs to a later line).
        if len(lines) > count or size >= len(text):
            return lines[:count]
        size *= 4


# A line as io.StringIO(text, newline="") yields it: ended by \r\n, \r or \n, kept untranslated.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` for the CSV reader, one at a time.

    The same lines as iterating ``io.StringIO(text, newline="")``, which would first copy the
    text into a buffer of four bytes a character (17 MB for a 100,000-row return).
    """
    for match in _LINE.finditer(text):
        yield match.group()


def _sniff_delimiter(text: str) -> str:
    sample_lines = [line for line in _first_lines(text, HEADER_SEARCH_ROWS + 5) if line.strip()]
    sample = "\n".join(sample_lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(data: bytes) -> RawTable:
    text, encoding = decode_text(data)
    probe = text[:65536]
    junk = sum(ch in _CONTROL_CHARS for ch in probe)
    if junk > max(5, len(probe) // 100):
        raise FileProblem(
            "The file is not a CSV or Excel file (it contains binary data).",
            "Upload the return as CSV or Excel (.xlsx), e.g. the template from this page.",
        )
    _check_line_lengths(text)
    delimiter = _sniff_delimiter(text)
    _check_cell_count(text, delimiter)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    first_line = [1]  # the line the row being read starts on (a quoted cell may span lines)
    # One object for each distinct short cell: a return repeats the same codes, periods and
    # figures on many rows, and a string object per cell would cost tens of MB.
    shared: dict[str, str] = {}

    def stripped_rows() -> Iterable[tuple[object, ...]]:
        while True:
            first_line[0] = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            yield tuple(
                [
                    shared.setdefault(cell, cell) if len(cell) <= _SHARED_CELL_CHARS else cell
                    for cell in map(str.strip, row)
                ]
            )

    try:
        rows = _limited(stripped_rows())
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            runs_on = f" (it runs on to line {line:,})" if line > first_line[0] else ""
            raise FileProblem(
                f"Line {first_line[0]:,} of the file has a cell more than "
                f"{csv.field_size_limit():,} characters long{runs_on}; no figure or comment is "
                "that long.",
                "A quotation mark is probably missing, so everything after it was read as one "
                "cell. Check the line in a text editor, or open the file in Excel and save it "
                "again as CSV.",
            ) from exc
        raise FileProblem(
            f"Line {line:,} of the CSV file could not be read ({exc}).",
            "Open it in Excel and save it again as CSV.",
        ) from exc
    shared.clear()
    table = _table_from_rows(rows, file_kind="csv")
    table.encoding = encoding
    if encoding not in ("UTF-8", "UTF-8 with BOM"):
        table.notes.append(f"The file was read as {encoding} text.")
    return table


def _check_line_lengths(text: str) -> None:
    """Refuse text with a line longer than any return's, before the CSV parser sees it.

    One pass of `str.find` over the text (no copies): a 19 MB line is found in milliseconds,
    where sniffing and parsing it would take seconds and many times its size in memory.
    """
    start, line, size = 0, 1, len(text)
    # Old Mac files end lines with a carriage return alone.
    newline = "\n" if "\n" in text or "\r" not in text else "\r"
    while start < size:
        end = text.find(newline, start)
        end = size if end == -1 else end
        if end - start > MAX_CSV_LINE_CHARS:
            length = end - start
            raise FileProblem(
                f"Line {line:,} of the file is {length:,} characters long; a line of a return "
                f"(one figure and its comment) is never longer than {MAX_CSV_LINE_CHARS:,}.",
                "A quotation mark is probably missing, or the file is not a return (an extract "
                "saved on one line). Check that line in a text editor, or open the file in Excel "
                "and save it again as CSV.",
            )
        start, line = end + 1, line + 1


def _check_cell_count(text: str, delimiter: str) -> None:
    """Refuse a CSV holding more cells than any return, counted from its delimiters unparsed."""
    cells = text.count(delimiter) + max(text.count("\n"), text.count("\r")) + 1
    if cells > MAX_SHEET_CELLS:
        raise FileProblem(
            f"The file holds about {cells:,} cells; a return has at most {MAX_DATA_ROWS:,} rows "
            "of a few columns.",
            "Check you chose the right file. Copy just the figures into the template, or split "
            "them into smaller files, and upload that.",
        )


def _limited(rows: Iterable[Sequence[object]]) -> list[Sequence[object]]:
    """Materialise rows, refusing as soon as there are more than any return could hold.

    Rows x widest row is held to the sheet's cell limit too (the table is that wide, and every
    row is read across it): one very wide line among many ordinary ones is refused as it is
    read.
    """
    out: list[Sequence[object]] = []
    widest = 0
    for row in rows:
        out.append(row)
        if len(out) > MAX_DATA_ROWS + HEADER_SEARCH_ROWS:
            raise FileProblem(
                f"The file has more than {MAX_DATA_ROWS:,} rows; a quarterly return is far "
                "smaller.",
                "Check you chose the right file, or split it into smaller files.",
            )
        widest = max(widest, len(row))
        if widest * len(out) > MAX_SHEET_CELLS:
            raise FileProblem(
                f"Row {len(out):,} of the file makes it {len(out):,} rows by {widest:,} "
                f"columns; a return has at most {MAX_DATA_ROWS:,} rows of a few columns.",
                "Delete the empty columns to the right of the figures (or copy the figures into "
                "the template), save, and upload again.",
            )
    return out


# --- XLSX ---------------------------------------------------------------------------------------


def _read_xlsx(file_name: str, data: bytes) -> RawTable:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(
            "The file looks like an Excel workbook but could not be opened: it may be damaged or "
            "only partly downloaded.",
            "Open it in Excel and save it again as .xlsx, or save the figures as CSV.",
        ) from exc
    if "xl/workbook.xml" not in names:
        raise FileProblem(
            "The file is a zip archive but not an Excel workbook (.xlsx).",
            "Upload the return as CSV or Excel (.xlsx), e.g. the template from this page.",
        )
    _check_unpacked_size(archive, len(data), unpacked)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise FileProblem(
            "The Excel workbook could not be opened: it may be damaged or password-protected.",
            "Open it in Excel, remove any password, and save it again as .xlsx (or as CSV).",
        ) from exc
    try:
        sheet_names = list(workbook.sheetnames)
        wanted = next((s for s in sheet_names if s.strip().lower() == SHEET_NAME.lower()), None)
        if wanted is None:
            found = ", ".join(f"'{s}'" for s in sheet_names) or "none"
            raise FileProblem(
                f"The workbook has no sheet called '{SHEET_NAME}'. Sheets found: {found}.",
                f"Put the figures on a sheet named '{SHEET_NAME}', as in the template, or rename "
                "the sheet that holds them.",
            )
        sheet = workbook[wanted]
        sheet_path = str(getattr(sheet, "_worksheet_path", "") or "").lstrip("/")
        _check_sheet_dimension(archive, sheet_path, wanted)
        try:
            rows = _limited(_shared_cells(sheet.iter_rows(values_only=True)))
        except FileProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged sheet XML
            raise FileProblem(
                f"The sheet '{wanted}' could not be read: the workbook may be damaged.",
                "Open it in Excel and save it again as .xlsx, or save the figures as CSV.",
            ) from exc
    finally:
        workbook.close()
    table = _table_from_rows(rows, file_kind="xlsx")
    table.sheet = wanted
    table.uncalculated = _uncalculated_formulas(archive, sheet_path, table)
    return table


def _shared_cells(rows: Iterable[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
    """The sheet's rows, with one object for each distinct short text cell (as the CSV reader).

    A workbook saved with inline strings (not Excel's shared-string table) gives every cell its
    own string: tens of MB for a 100,000-row return that repeats the same few codes.
    """
    shared: dict[str, str] = {}
    for row in rows:
        yield tuple(
            [
                shared.setdefault(cell, cell)
                if isinstance(cell, str) and len(cell) <= _SHARED_CELL_CHARS
                else cell
                for cell in row
            ]
        )


def _check_unpacked_size(archive: zipfile.ZipFile, packed: int, unpacked: int) -> None:
    """Refuse a workbook whose zip directory declares far more data than a return holds.

    zipfile never reads past a member's declared size, so these declared sizes bound the work.
    """
    too_tight = [
        info
        for info in archive.infolist()
        if info.file_size > COMPRESSION_CHECK_FROM_BYTES
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    ]
    if unpacked > MAX_UNPACKED_XLSX_BYTES or too_tight:
        raise FileProblem(
            f"The workbook is {packed / 1024 / 1024:.1f} MB but unpacks to "
            f"{unpacked / 1024 / 1024:,.0f} MB, far more than any return holds (it may be "
            "damaged, or padded with empty cells).",
            "Check you chose the right file. Copy just the figures into the template, or save "
            "them as CSV, and upload that.",
        )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _check_sheet_dimension(archive: zipfile.ZipFile, sheet_path: str, sheet_name: str) -> None:
    """Refuse a sheet whose declared used range holds more cells than any return, unparsed."""
    if sheet_path not in archive.namelist():
        return
    with archive.open(sheet_path) as member:
        head = member.read(4096)  # the dimension element sits at the top of the sheet XML
    found = _DIMENSION.search(head)
    if not found or not found.group(3):
        return
    first_col, first_row, last_col, last_row = found.groups()
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_col.decode()) - _column_number(first_col.decode()) + 1
    if rows > MAX_DATA_ROWS + HEADER_SEARCH_ROWS or rows * columns > MAX_SHEET_CELLS:
        raise FileProblem(
            f"The sheet '{sheet_name}' uses {rows:,} rows and {columns:,} columns "
            f"({last_col.decode()}{int(last_row):,} is its last cell); a return has at most "
            f"{MAX_DATA_ROWS:,} rows of a few columns.",
            "Delete the empty rows and columns below and to the right of the figures (or copy "
            "the figures into the template), save, and upload again.",
        )


_XML_CHUNK_BYTES = 1 << 20
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c\s[^>]*?r="([A-Z]+)(\d+)"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?'
    rb"\s*</c>"
)


def _uncalculated_formulas(
    archive: zipfile.ZipFile, sheet_path: str, table: RawTable
) -> set[tuple[int, str]]:
    """Cells of the return's columns holding a formula saved without its calculated value.

    Programs other than Excel (and some exports) write formulas without working them out; the
    cell then reads as empty, which must not be reported as a missing figure.
    """
    if sheet_path not in archive.namelist():
        return set()
    by_letter = {_column_letter(index): name for name, index in table.positions.items()}
    out = set()
    # The sheet XML a piece at a time (it is 20 MB or more at 100,000 rows), each piece cut
    # after its last cell end tag: a match holds one "</c>", at its end, so none spans a cut.
    carry = b""
    with archive.open(sheet_path) as member:
        while True:
            chunk = member.read(_XML_CHUNK_BYTES)
            buffer = carry + chunk
            end = buffer.rfind(b"</c>")
            # At the end of the sheet, all that is left; else up to the last cell end tag (none
            # yet: read on).
            cut = len(buffer) if not chunk else end + len(b"</c>") if end >= 0 else 0
            piece, carry = buffer[:cut], buffer[cut:]
            if b"<f" in piece:
                for letters, row in _FORMULA_WITHOUT_VALUE.findall(piece):
                    name = by_letter.get(letters.decode())
                    if name is not None:
                        out.add((int(row), name))
            if not chunk:
                break
    return out


# --- Shared: find the heading row, build the table ------------------------------------------------


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _heading_score(row: Sequence[object]) -> int:
    names = {normalise_heading(c) for c in row if isinstance(c, str)}
    return len(names & set(COLUMN_NAMES))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _table_from_rows(rows: list[Sequence[object]], *, file_kind: str) -> RawTable:
    """The data rows under the heading row, column by column.

    No row is copied or padded: each return column is read straight out of the rows (a cell a
    row does not reach is None), so the cells are held once, in the table.
    """
    if not any(not all(_is_blank(c) for c in row) for row in rows):
        raise FileProblem("The file is empty.", "Fill in the template and upload it again.")
    search = rows[:HEADER_SEARCH_ROWS]
    scores = [_heading_score(r) for r in search]
    header_index = max(range(len(search)), key=lambda i: (scores[i], -i))
    header = list(rows[header_index])
    # A heading merged down from the row above leaves this row's cell empty: borrow it.
    if header_index > 0:
        above = rows[header_index - 1]
        for i, cell in enumerate(header):
            if _is_blank(cell) and i < len(above) and normalise_heading(above[i]) in COLUMN_NAMES:
                header[i] = above[i]
    # A two-row heading (e.g. "Fraction" merged over "numerator" and "denominator"): fold the
    # second row in when it names columns only where the first row has no recognised heading.
    header_rows = 1
    if header_index + 1 < len(rows):
        below = rows[header_index + 1]
        named = [i for i, c in enumerate(below) if normalise_heading(c) in COLUMN_NAMES]
        above_named = [i for i, c in enumerate(header) if normalise_heading(c) in COLUMN_NAMES]
        if (
            len(named) >= 2
            and all(
                i >= len(header) or normalise_heading(header[i]) not in COLUMN_NAMES for i in named
            )
            and all(i >= len(below) or _is_blank(below[i]) for i in above_named)
        ):
            header += [None] * (len(below) - len(header))
            for i in named:
                header[i] = below[i]
            header_rows = 2
    width = max(len(rows[i]) for i in range(header_index, len(rows)))
    header += [None] * (width - len(header))

    canonical = [normalise_heading(h) for h in header]
    found = {name for name in canonical if name in COLUMN_NAMES}
    missing = [name for name in REQUIRED_COLUMNS if name not in found]
    if missing:
        written = [str(h).strip() for h in header if not _is_blank(h)]
        shown = ", ".join(f"'{h}'" for h in written[:15]) or "none"
        raise FileProblem(
            "The file is missing the required column(s) "
            + ", ".join(f"'{m}'" for m in missing)
            + f". Headings found: {shown}.",
            "Use the template's heading row: indicator_code, period, agency_code, locality_code, "
            "value, numerator, denominator, status_symbol, comment.",
        )

    first_data = header_index + header_rows
    # The rows with any cell filled in, and their spreadsheet row numbers (1-based).
    keep = [i for i in range(first_data, len(rows)) if not all(_is_blank(c) for c in rows[i])]
    if not keep:
        raise FileProblem(
            "The file has a heading row but no figures under it.",
            "Add one row per figure under the headings and upload it again.",
        )
    row_numbers = [i + 1 for i in keep]

    def column(index: int) -> np.ndarray:
        out = np.empty(len(keep), dtype=object)
        out[:] = [rows[i][index] if index < len(rows[i]) else None for i in keep]
        return out

    def has_data(index: int) -> bool:
        return any(index < len(rows[i]) and not _is_blank(rows[i][index]) for i in keep)

    notes: list[str] = []
    columns: dict[str, np.ndarray] = {}
    headings: dict[str, str] = {}
    positions: dict[str, int] = {}
    for index, name in enumerate(canonical):
        label = str(header[index]).strip() if not _is_blank(header[index]) else ""
        place = f"column {_column_letter(index)}" if file_kind == "xlsx" else f"column {index + 1}"
        if name in COLUMN_NAMES:
            if name in columns:
                notes.append(
                    f"The heading '{label}' ({place}) repeats column '{name}'; only the "
                    "first one was read."
                )
                continue
            columns[name] = column(index)
            headings[name] = label
            positions[name] = index
        elif name in INFORMATION_COLUMNS:
            continue
        elif not label:
            if has_data(index):
                notes.append(f"{place.capitalize()} has figures but no heading; it was ignored.")
        else:
            notes.append(f"The column '{label}' is not part of the return and was ignored.")
    for name in COLUMN_NAMES:
        if name not in columns:
            columns[name] = np.full(len(keep), None, dtype=object)
            headings[name] = name
    # Object dtype: the cells as written (None stays None; pandas would infer a string dtype).
    cells = pd.DataFrame(
        {name: pd.Series(columns.pop(name), dtype=object, copy=False) for name in COLUMN_NAMES}
    )
    return RawTable(
        cells=cells,
        row_numbers=row_numbers,
        headings=headings,
        file_kind=file_kind,
        notes=notes,
        positions=positions,
    )
