"""Reading the council's statutory returns: the children in need census, the SSDA903 and
Ofsted's Annex A, turned into the partnership's statutory figures.

One module per collection (``cin``, ``ssda903``, ``annex_a``), the figures' definitions written
once (``definitions``), working days in England (``working_days``), safe streaming XML
(``safe_xml``), and recognising a file and loading its figures (``importing``).

These files are personal data about children. They are read in memory, as a stream where the
format allows, and only aggregate figures leave this package: no identifier, date of birth,
postcode or child-level row is written to the store, the audit log, a log file or a temporary
file. Problems name a child's position and the council's identifier so the council can fix its
file; they are shown, never stored.
"""

from data_access.statutory.problems import StatutoryFileProblem

__all__ = ["StatutoryFileProblem"]
