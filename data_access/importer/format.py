"""The return file format, declared once: columns, heading aliases, sheet name, size limits."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A quarterly return is at most a few thousand rows; anything this large is a wrong file (an
# extract of a case system, a zip bomb) and is refused before it is parsed.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DATA_ROWS = 200_000
# An XLSX is a zip; its unpacked XML may be far larger than the file itself. These limits are
# checked from the zip's directory and the sheet's declared size, before anything is parsed, so a
# small file that unpacks to hundreds of megabytes costs nothing to refuse.
MAX_UNPACKED_XLSX_BYTES = 200 * 1024 * 1024
# Spreadsheet XML compresses about 5-20 times; a member packed far tighter than that is padding.
MAX_COMPRESSION_RATIO = 100
COMPRESSION_CHECK_FROM_BYTES = 10 * 1024 * 1024
# Rows x columns of the Return sheet (a 200,000-row return with the template's 12 columns fits).
MAX_SHEET_CELLS = 4_000_000
# The longest line a CSV return can hold, in characters: nine short cells and a comment of at
# most 2,000 characters fit many times over. A longer line (a missing quotation mark, a whole
# extract on one line) is refused before the file is parsed, so a 19 MB line costs nothing.
MAX_CSV_LINE_CHARS = 64 * 1024
# The heading row may sit below a title or a few notes; look this far down for it.
HEADER_SEARCH_ROWS = 15

SHEET_NAME = "Return"
GUIDANCE_SHEET_NAME = "Guidance"


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the return file."""

    name: str
    required: bool
    description: str
    example: str


RETURN_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(
        "indicator_code", True, "Code of the indicator, from the Guidance sheet.", "MASH_CONTACTS"
    ),
    ColumnSpec(
        "period", True, "Financial-year quarter, e.g. 2025-26 Q2 (April-March years).", "2025-26 Q2"
    ),
    ColumnSpec(
        "agency_code",
        False,
        "Agency the figure is for; leave blank for the whole partnership.",
        "POLICE",
    ),
    ColumnSpec(
        "locality_code",
        False,
        "Locality the figure is for; leave blank for all localities.",
        "NORTH",
    ),
    ColumnSpec(
        "value",
        True,
        "The figure. Leave blank only with status symbol c, x or z, or for "
        "a percentage given as numerator and denominator.",
        "1234",
    ),
    ColumnSpec("numerator", False, "For percentages: the count on top of the fraction.", "45"),
    ColumnSpec("denominator", False, "For percentages: the count underneath.", "50"),
    ColumnSpec(
        "status_symbol",
        False,
        "GSS symbol: c suppressed, k rounds to 0, u low "
        "reliability, x not available, z not applicable.",
        "",
    ),
    ColumnSpec("comment", False, "Anything the partnership should know about this figure.", ""),
)
COLUMN_NAMES = tuple(c.name for c in RETURN_COLUMNS)
REQUIRED_COLUMNS = tuple(c.name for c in RETURN_COLUMNS if c.required)
NUMERIC_COLUMNS = ("value", "numerator", "denominator")

# Helper columns the templates add for the person filling them in; ignored without a warning.
INFORMATION_COLUMNS = (
    "indicator_name",
    "unit",
    "definition",
    "agency_name",
    "locality_name",
    "theme",
)

# Other headings people write for the same columns (after normalising: lower case, underscores).
ALIASES = {
    "indicator": "indicator_code",
    "indicator_id": "indicator_code",
    "measure": "indicator_code",
    "measure_code": "indicator_code",
    "code": "indicator_code",
    "quarter": "period",
    "reporting_period": "period",
    "period_code": "period",
    "agency": "agency_code",
    "organisation": "agency_code",
    "organisation_code": "agency_code",
    "locality": "locality_code",
    "area": "locality_code",
    "figure": "value",
    "symbol": "status_symbol",
    "gss_symbol": "status_symbol",
    "status": "status_symbol",
    "comments": "comment",
    "notes": "comment",
    "note": "comment",
}

# GSS symbols that replace a figure: a row with one of these must leave value blank.
SYMBOLS_WITHOUT_VALUE = ("c", "x", "z")

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_heading(text: object) -> str:
    """'  Indicator Code ' -> 'indicator_code'; aliases map to the canonical column name."""
    if text is None:
        return ""
    key = _NON_WORD.sub("_", str(text).strip().lower()).strip("_")
    return ALIASES.get(key, key)
