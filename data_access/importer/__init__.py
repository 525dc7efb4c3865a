"""Loading partners' quarterly returns: read a CSV/XLSX file, check it row by row, preview, commit.

The return file format
======================
Long format: one row per figure. The columns (headings are matched case-insensitively, ignoring
surrounding spaces; "Indicator code", "indicator_code" and "INDICATOR CODE" are the same):

=================  ========  ======================================================================
column             required  what goes in it
=================  ========  ======================================================================
indicator_code     yes       a code from the indicator catalogue, e.g. ``MASH_CONTACTS``
period             yes       the financial-year quarter, e.g. ``2025-26 Q2`` (``2025/26 Q2`` also
                             works; a date such as 30/09/2025 is read as the quarter containing it)
agency_code        no        the agency the figure is for; blank = the whole partnership
locality_code      no        the locality the figure is for; blank = all localities
value              yes*      the figure, a number (``1,234`` and ``45%`` are accepted)
numerator          no        for percentages: the count on top of the fraction
denominator        no        for percentages: the count underneath
status_symbol      no        Government Statistical Service symbol instead of (or beside) a value:
                             ``c`` suppressed, ``k`` rounds to 0, ``u`` low reliability,
                             ``x`` not available, ``z`` not applicable
comment            no        free text, kept with the submission
=================  ========  ======================================================================

(*) ``value`` may be blank when ``status_symbol`` is ``c``, ``x`` or ``z`` (it must then be blank),
or, for a percentage, when both numerator and denominator are given (the value is worked out).

XLSX files must hold the figures on a sheet called ``Return`` (the template's first sheet); other
sheets (``Guidance``) are ignored. The heading row may sit below a title row; columns without a
heading, unrecognised columns (warned about) and blank rows are ignored. The template's helper
columns (indicator_name, unit, definition, agency_name, locality_name, theme) are ignored silently.

Row numbers in every message are the row numbers a person sees in Excel (the heading row included).

Public API: ``check_file`` (parse + validate + preview, writes nothing), ``load_checked`` (commit in
one transaction), ``rollback_submission``; the limits ``MAX_FILE_BYTES`` and ``MAX_DATA_ROWS``.
"""

from data_access.importer.format import MAX_DATA_ROWS, MAX_FILE_BYTES, RETURN_COLUMNS, SHEET_NAME
from data_access.importer.loading import (
    CheckedFile,
    LoadResult,
    RollbackError,
    check_file,
    load_checked,
    rollback_submission,
)
from data_access.importer.reading import FileProblem, RawTable, read_table
from data_access.importer.validation import ValidationResult, validate_table

__all__ = [
    "MAX_DATA_ROWS",
    "MAX_FILE_BYTES",
    "RETURN_COLUMNS",
    "SHEET_NAME",
    "CheckedFile",
    "FileProblem",
    "LoadResult",
    "RawTable",
    "RollbackError",
    "ValidationResult",
    "check_file",
    "load_checked",
    "read_table",
    "rollback_submission",
    "validate_table",
]
