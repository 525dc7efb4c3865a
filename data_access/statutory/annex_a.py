"""Ofsted's Annex A workbook (lists 1-11): what it gives, read with openpyxl in read-only mode.

Sheet and column names follow the Annex A template and the open-source reader in
SocialFinanceDigitalLabs/liia-tools (``liiatools/spec/annex_a``): sheets ``List 1`` to
``List 11``, one row per child (per adopter on list 11) under a heading row.

What is used: the number of rows on each list, shown in the preview. Nothing is stored - Annex
A covers the months before an inspection that Ofsted asks for, not a financial year, so its
counts are not the partnership's annual figures - and no cell other than a list's first column
(to see whether a row is filled in) is read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import openpyxl

from data_access.statutory.figures import ComputedFigure, count
from data_access.statutory.problems import StatutoryFileProblem

_LIST = re.compile(r"^\s*list\s*(\d{1,2})\b", re.IGNORECASE)
# A workbook unpacking to more than this is refused before it is opened.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


@dataclass
class AnnexAResult:
    children: int  # rows on lists 1-10 (a child may be on several lists)
    figures: list[ComputedFigure]
    notes: list[str] = field(default_factory=list)


def _list_sheets(names: list[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for name in names:
        match = _LIST.match(name)
        if match and 1 <= int(match.group(1)) <= 11:
            found.setdefault(int(match.group(1)), name)
    return found


def looks_like_annex_a(data: bytes) -> bool:
    """A workbook with sheets named List 1 ... is taken for Annex A (at least three lists)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, ValueError):
        return False
    names = re.findall(r'<sheet[^>]*\bname="([^"]+)"', book)
    return len(_list_sheets(names)) >= 3


def read_annex_a(data: bytes) -> AnnexAResult:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise StatutoryFileProblem(
                    ["The workbook unpacks to more than any Annex A holds; it was not opened."]
                )
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise StatutoryFileProblem(
            [
                f"The Annex A workbook cannot be opened ({type(exc).__name__}). Save it again as .xlsx."
            ]
        ) from None
    try:
        sheets = _list_sheets(workbook.sheetnames)
        figures = []
        rows_on_lists = 0
        for number in range(1, 12):
            if number not in sheets:
                continue
            sheet = workbook[sheets[number]]
            filled = 0
            for row in sheet.iter_rows(min_row=2, max_col=1, values_only=True):
                if row and row[0] not in (None, ""):
                    filled += 1
            figures.append(count(f"annex_a_list_{number}", "Annex A", filled))
            if number <= 10:
                rows_on_lists += filled
    finally:
        workbook.close()
    missing = [str(n) for n in range(1, 12) if n not in sheets]
    notes = [
        "Annex A's counts are shown, not stored: the workbook covers the months before an "
        "inspection, not a financial year."
    ]
    if missing:
        notes.append(f"The workbook has no sheet for list(s) {', '.join(missing)}.")
    return AnnexAResult(rows_on_lists, figures, notes)
