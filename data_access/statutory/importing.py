"""Recognising a statutory return by its content, previewing its figures, and loading them.

``recognise`` tells a children in need census, an SSDA903 (a zip of its CSV tables, or XML) and an
Annex A workbook from a quarterly return by what the file holds, not its name. ``check`` reads
the return, computes its figures and compares each with the figure already stored for the year;
``load`` writes the partnership's annual figures for the census year (and the quarterly figures
the dates allow) through the quarterly-return importer, as one submission that records the
file's checksum, collection and year and can be rolled back like any return.

Only figures travel from here to the importer: the rows built below hold an indicator code, a
period, a value and its numerator and denominator - no child. The file's bytes stay in memory,
and its name stays on the screen: the submission and the audit log call the return by its
collection, year and checksum (``stored_label``), as a council's file may be named after a child.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access.db import session_scope
from data_access.importer.format import COLUMN_NAMES
from data_access.importer.loading import ImportRefused, LoadResult, load_checked
from data_access.importer.lookups import load_lookups
from data_access.importer.preview import (
    CheckedFile,
    _empty_preview,
    _previous_loads,
    compare_with_store,
    hold_unusual,
)
from data_access.importer.reading import FileProblem, RawTable
from data_access.importer.validation import validate_table
from data_access.models import (
    Indicator,
    IndicatorValue,
    ReportingPeriod,
    StatutoryReturn,
    Submission,
)
from data_access.statutory import annex_a, cin, ssda903
from data_access.statutory.definitions import BY_KEY
from data_access.statutory.figures import RATE, ComputedFigure, rate
from data_access.statutory.problems import StatutoryFileProblem

CIN = "cin"
SSDA903 = "ssda903"
ANNEX_A = "annex_a"
COLLECTION_NAMES = {
    CIN: "children in need census",
    SSDA903: "SSDA903 children looked after return",
    ANNEX_A: "Ofsted Annex A workbook",
}
# How far into an XML file to look for its collection.
_SNIFF_BYTES = 4096


def recognise(data: bytes) -> str | None:
    """'cin', 'ssda903' or 'annex_a' when the file's content is one of them; else None.

    Any XML file is taken for a census (a quarterly return is CSV or Excel), so an XML file
    that is not one is refused by the census reader with its reason.
    """
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        text = head.replace(b" ", b"").upper()
        if b"<COLLECTION>CIN</COLLECTION>" in text:
            return CIN
        if b"<EXPSSDA903" in text or b"<COLLECTION>SSDA903" in text:
            return SSDA903
        # A quarterly return is never XML: any other XML is read as a census, and refused
        # with the reason (a DTD, another collection, not a census) when it is not one.
        return CIN
    if data[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if "xl/workbook.xml" in names:
            return ANNEX_A if annex_a.looks_like_annex_a(data) else None
        if ssda903.looks_like_903(names):
            return SSDA903
    return None


@dataclass
class StatutoryCheck:
    """A statutory return read, its figures computed and compared with the store; no writes."""

    collection: str
    file_name: str  # for the screen only: the store and audit log get `stored_label`
    checksum: str
    reference_date: dt.date | None
    year_code: str | None
    children: int
    figures: list[ComputedFigure]  # the year's, then the quarters'
    comparison: pd.DataFrame  # each figure beside the stored one, with its definition
    checked: CheckedFile  # the figures as a return the importer checks and loads
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def collection_name(self) -> str:
        return COLLECTION_NAMES[self.collection]

    @property
    def can_load(self) -> bool:
        return not self.problems and self.checked.can_load_all

    def refusal(self) -> str | None:
        """Why nothing can be loaded, in a sentence; None when it can be."""
        if self.problems:
            return (
                f"Nothing can be loaded: the {self.collection_name} has {len(self.problems)} "
                "problem(s) listed; correct them in the case management system and export it "
                "again."
            )
        if self.checked.file_problem is not None:
            return self.checked.file_problem.problem
        if not self.checked.can_load_all:
            return "Nothing can be loaded: some figures failed the return's checks (listed)."
        return None


def _figures_for(collection: str, data: bytes, population: float | None) -> _Read:
    if collection == CIN:
        result = cin.read_census(data, population=population, strict=False)
        problems = list(result.problems)
        if result.more_problems:
            problems.append(f"... and {result.more_problems} more problem(s) of the same kinds.")
        return _Read(
            result.reference_date,
            result.year_code,
            result.children,
            result.figures + result.quarterly,
            problems,
            result.notes,
            result.storable_problem,
        )
    if collection == SSDA903:
        read = ssda903.read_903(data, population=population)
        return _Read(
            read.reference_date,
            read.year_code,
            read.children,
            read.figures,
            [],
            read.notes,
            read.storable_problem,
        )
    workbook = annex_a.read_annex_a(data)
    return _Read(None, None, workbook.children, workbook.figures, [], workbook.notes, None)


@dataclass
class _Read:
    reference_date: dt.date | None
    year_code: str | None
    children: int
    figures: list[ComputedFigure]
    problems: list[str]
    notes: list[str]
    storable_problem: str | None


def child_population(engine: sa.Engine, year_code: str) -> tuple[str, float] | None:
    """The partnership's CHILD_POPULATION for a financial year, else the latest earlier one's,
    with the year it is for."""
    with session_scope(engine) as session:
        lookups = load_lookups(session)
    years = sorted(
        (year, value)
        for (year, locality), value in lookups.child_population.items()
        if locality == "" and year <= year_code
    )
    return years[-1] if years else None


def _with_population(figures: list[ComputedFigure], population: float) -> list[ComputedFigure]:
    """The rates per 10,000 worked out with the child population, the other figures as they are."""
    out = []
    for figure in figures:
        if figure.unit == RATE and figure.value is None and figure.numerator is not None:
            figure = rate(figure.key, figure.period_code, int(figure.numerator), population)
        out.append(figure)
    return out


def stored_label(collection: str, year_code: str | None, checksum: str) -> str:
    """What the store and the audit log call a statutory return: its collection, year and
    checksum ("children in need census 2024-25, sha256 1a2b3c4d5e6f").

    Never the file's name: a council may name a file after a child ("annexA_JohnSmith.xlsx").
    The name is shown on the screen during the preview and goes no further.
    """
    year = f" {year_code}" if year_code else ""
    return f"{COLLECTION_NAMES[collection]}{year}, sha256 {checksum[:12]}"


def check(
    *,
    engine: sa.Engine,
    file_name: str,
    data: bytes,
    collection: str | None = None,
    population: float | None = None,
    today: dt.date | None = None,
) -> StatutoryCheck:
    """Read a statutory return and compare its figures with the store. Writes nothing.

    Raises StatutoryFileProblem when the file is not the return it looks like (or not one at
    all). `population` overrides the CHILD_POPULATION stored for the year in the rates.
    """
    kind = collection or recognise(data)
    if kind is None:
        raise StatutoryFileProblem(
            ["This file is not a children in need census, an SSDA903 set or an Annex A workbook."]
        )
    read = _figures_for(kind, data, population)
    if population is None and read.year_code is not None:
        # The file is read once; its rates then use the population stored for its year.
        loaded = child_population(engine, read.year_code)
        if loaded is not None:
            year, population = loaded
            read.figures = _with_population(read.figures, population)
            if year != read.year_code:
                read.notes.append(
                    f"No child population is loaded for {read.year_code}: the rates use "
                    f"{year}'s ({population:,.0f}). Load CHILD_POPULATION for {read.year_code}, "
                    "or give the population when importing, if it has changed."
                )
    checksum = hashlib.sha256(data).hexdigest()
    label = stored_label(kind, read.year_code, checksum)
    rows = _return_rows(read.figures)
    with session_scope(engine) as session:
        previous = _previous_loads(session, checksum)
        lookups = load_lookups(session, today=today)
        problem: FileProblem | None = None
        if read.problems:
            problem = FileProblem(
                f"The {COLLECTION_NAMES[kind]} has {len(read.problems)} problem(s).",
                "Correct each record named in the case management system and export it again.",
            )
        elif read.storable_problem:
            problem = FileProblem(read.storable_problem, "Export the return again.")
        elif rows.empty:
            problem = FileProblem(
                f"The {COLLECTION_NAMES[kind]} gives no figure the catalogue stores.",
                "Nothing to load; the figures are shown for information.",
            )
        if problem is not None:
            checked = CheckedFile(
                label, checksum, len(data), None, None, problem, _empty_preview(), previous
            )
        else:
            table = RawTable(
                cells=rows,
                row_numbers=list(range(2, len(rows) + 2)),
                headings={name: name for name in COLUMN_NAMES},
                file_kind="csv",
            )
            validation = validate_table(table, lookups)
            preview = compare_with_store(session, validation.valid_rows, lookups)
            preview = hold_unusual(session, preview)
            checked = CheckedFile(
                label, checksum, len(data), None, validation, None, preview, previous
            )
        stored = _stored_figures(session, read.figures)
    return StatutoryCheck(
        collection=kind,
        file_name=file_name,
        checksum=checksum,
        reference_date=read.reference_date,
        year_code=read.year_code,
        children=read.children,
        figures=read.figures,
        comparison=_comparison(read.figures, stored),
        checked=checked,
        problems=read.problems,
        notes=read.notes,
    )


def _code(figure: ComputedFigure) -> str | None:
    definition = BY_KEY[figure.key]
    return definition.quarterly_code if " Q" in figure.period_code else definition.annual_code


def _return_rows(figures: list[ComputedFigure]) -> pd.DataFrame:
    """The storable figures as the rows of a return (object cells, as a file would give)."""
    rows = []
    for figure in figures:
        code = _code(figure)
        if code is None or figure.value is None:
            continue
        rows.append(
            {
                "indicator_code": code,
                "period": figure.period_code,
                "agency_code": None,
                "locality_code": None,
                "value": _text(figure.value),
                "numerator": _text(figure.numerator) if figure.unit != "count" else None,
                "denominator": _text(figure.denominator) if figure.unit != "count" else None,
                "status_symbol": None,
                "comment": None,
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMN_NAMES), dtype=object)
    return frame


def _text(number: float | None) -> str | None:
    if number is None:
        return None
    return str(int(number)) if float(number).is_integer() else f"{number:.1f}"


def _stored_figures(
    session: so.Session, figures: list[ComputedFigure]
) -> dict[tuple[str, str], float | None]:
    """The partnership-level figure stored now for each (indicator, period) these figures have."""
    wanted = {(_code(f), f.period_code) for f in figures if _code(f)}
    if not wanted:
        return {}
    codes = sorted({c for c, _ in wanted if c})
    periods = sorted({p for _, p in wanted})
    rows = session.execute(
        sa.select(Indicator.code, ReportingPeriod.code, IndicatorValue.value)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
            Indicator.code.in_(codes),
            ReportingPeriod.code.in_(periods),
        )
    )
    return {(code, period): value for code, period, value in rows}


def _comparison(
    figures: list[ComputedFigure], stored: dict[tuple[str, str], float | None]
) -> pd.DataFrame:
    lines = []
    for figure in figures:
        code = _code(figure)
        old = stored.get((code, figure.period_code)) if code else None
        difference = (
            round(figure.value - float(old), 1)
            if figure.value is not None and old is not None
            else None
        )
        lines.append(
            {
                "figure": figure.label,
                "period": figure.period_code,
                "value": figure.value,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "stored": None if old is None else float(old),
                "difference": difference,
                "stored_as": code or "shown only (no catalogue indicator)",
                "note": figure.note,
                "definition": figure.definition,
            }
        )
    frame = pd.DataFrame(lines)
    for column in ("value", "numerator", "denominator", "stored", "difference"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column]).astype(float)
            frame.loc[frame[column].isna(), column] = np.nan
    return frame


def load(
    *,
    engine: sa.Engine,
    statutory: StatutoryCheck,
    username: str,
    source: str = "upload",
    confirm_outliers: bool = False,
    page: str | None = "data_management",
) -> LoadResult:
    """Write the return's figures as one submission that records its collection and year.

    Refused (ImportRefused) when the file has problems or its figures fail the return's
    checks; the store is then unchanged.
    """
    refusal = statutory.refusal()
    if refusal:
        raise ImportRefused(refusal)
    reference = statutory.reference_date
    year = statutory.year_code
    if reference is None or year is None:
        raise ImportRefused(
            f"Nothing was loaded: the {statutory.collection_name} names no census year."
        )

    def record(session: so.Session, submission_id: int) -> None:
        session.add(
            StatutoryReturn(
                submission_id=submission_id,
                collection=statutory.collection,
                year_code=year,
                reference_date=reference,
                checksum=statutory.checksum,
                children=statutory.children,
            )
        )

    return load_checked(
        engine=engine,
        checked=statutory.checked,
        username=username,
        source=source,
        confirm_outliers=confirm_outliers,
        page=page,
        record=record,
    )


def statutory_returns(*, engine: sa.Engine) -> pd.DataFrame:
    """The statutory returns loaded: submission, collection, year, reference date, checksum."""
    with session_scope(engine) as session:
        rows = session.execute(
            sa.select(
                StatutoryReturn.submission_id,
                StatutoryReturn.collection,
                StatutoryReturn.year_code,
                StatutoryReturn.reference_date,
                StatutoryReturn.checksum,
                StatutoryReturn.children,
                Submission.status,
                Submission.submitted_by,
                Submission.submitted_at,
            )
            .join(Submission, Submission.id == StatutoryReturn.submission_id)
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        ).all()
    return pd.DataFrame(
        rows,
        columns=[
            "submission_id",
            "collection",
            "year",
            "reference_date",
            "checksum",
            "children",
            "status",
            "submitted_by",
            "submitted_at",
        ],
    )
