"""Loading partners' quarterly returns: read a CSV/XLSX file, check it row by row, preview, commit.

The return file format
======================
Long format: one row per figure. The columns (headings are matched case-insensitively, ignoring
surrounding spaces; "Indicator code", "indicator_code" and "INDICATOR CODE" are the same):

=================  ========  ======================================================================
column             required  what goes in it
=================  ========  ======================================================================
indicator_code     yes       a code from the indicator catalogue, e.g. ``MASH_CONTACTS``
period             yes       the period the indicator is reported for (its catalogue ``frequency``):
                             a financial-year quarter ``2025-26 Q2`` (``2025/26 Q2`` also works), a
                             financial year ``2025-26`` or an academic year ``AY 2025/26``; a date
                             such as 30/09/2025 is read as the period containing it
agency_code        no        the agency the figure is for; blank = the whole partnership
locality_code      no        the locality the figure is for; blank = all localities
value              yes*      the figure, a number (see "Numbers" below); ``>40`` or ``more than
                             40`` is kept as the bound 40 with qualifier "more than"
numerator          no        for percentages and rates: the count on top of the fraction
denominator        no        for percentages: the count underneath; for a rate per 10,000: the
                             child population (blank = the CHILD_POPULATION loaded for the year)
status_symbol      no        Government Statistical Service symbol instead of (or beside) a value:
                             ``c`` suppressed, ``k`` rounds to 0, ``u`` low reliability,
                             ``x`` not available, ``z`` not applicable
comment            no        free text (at most 2,000 characters), kept with its figure
=================  ========  ======================================================================

(*) ``value`` may be blank when ``status_symbol`` is ``c``, ``x`` or ``z`` (it must then be blank),
or, for a percentage or rate per 10,000, when it can be worked out from its parts: 100 x
numerator / denominator, or 10,000 x numerator / child population (given as the denominator, or
the CHILD_POPULATION figure loaded for that financial year and locality, else the latest earlier
year's, with a warning). A value given with its parts must agree with them (to 0.5 for a
percentage, 0.05 for a rate published to one decimal place).

Numbers
=======
A number is never changed or guessed. Accepted: plain numbers with a full stop for decimals
(``17.5``); thousands separated by commas or spaces in groups of three (``1,234,567``,
``12 000``); a leading apostrophe (Excel's text marker) and a pound sign are ignored; ``%`` only
on a percentage's value. Refused, with the cell named and the fix said: a decimal comma
(``17,5``, ``31,25``), a single comma group where it could be a decimal (``1,234`` for a
percentage or rate - for a count it can only be one thousand two hundred and thirty-four, which
is accepted), continental ``1.234,5``, scientific notation (``1e308``), ``inf``/``nan``, a ``%``
on a count, rate or number of days, and anything above 1,000,000,000.

Unusual figures are held, not refused: a figure outside the indicator's declared plausible range,
or at least ten times (or at most a tenth of) the usual level of its series (the median of the
store's current figures for that indicator, agency and locality; for a series not yet stored, of the
file's other periods), is shown in the preview and loaded only when the officer confirms it
(``load_checked(confirm_outliers=True)``, CLI ``--confirm-outliers``, the upload page's box).

Imports are serialised (PostgreSQL advisory lock, SQLite write lock): a second import waits for
the first; if it cannot get its turn it is refused with ``ImportBusy``, a plain "try again".

XLSX files must hold the figures on a sheet called ``Return`` (the template's first sheet); a
workbook whose zip directory or sheet dimension declares more than any return holds is refused
before it is parsed, and so is a CSV with a line longer than ``MAX_CSV_LINE_CHARS`` or more cells
than a return holds (rows padded to the widest are held to the same limit as they are read); other
sheets (``Guidance``) are ignored. The heading row may sit below a title row; columns without a
heading, unrecognised columns (warned about) and blank rows are ignored. The template's helper
columns (indicator_name, unit, definition, agency_name, locality_name, theme) are ignored silently.

Row numbers in every message are the row numbers a person sees in Excel (the heading row included).

Public API: ``check_file`` (parse + validate + preview, writes nothing), ``load_checked`` (commit in
one transaction), ``rollback_submission``; the limits ``MAX_FILE_BYTES`` and ``MAX_DATA_ROWS``.
"""

from data_access.importer.format import MAX_DATA_ROWS, MAX_FILE_BYTES, RETURN_COLUMNS, SHEET_NAME
from data_access.importer.loading import ImportBusy, ImportRefused, LoadResult, load_checked
from data_access.importer.preview import CheckedFile, check_file
from data_access.importer.reading import FileProblem, RawTable, read_table
from data_access.importer.rollback import RollbackError, rollback_submission
from data_access.importer.validation import ValidationResult, validate_table

__all__ = [
    "MAX_DATA_ROWS",
    "MAX_FILE_BYTES",
    "RETURN_COLUMNS",
    "SHEET_NAME",
    "CheckedFile",
    "FileProblem",
    "ImportBusy",
    "ImportRefused",
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
