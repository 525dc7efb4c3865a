"""Import the spreadsheets a partnership keeps today (issue 29): its risk register, and its
recommendations and actions (from rapid reviews, practice reviews, scrutiny, inspection and the
improvement plan).

A template per kind (CSV or Excel) names the columns; the importer reads a file, checks every
row and says each problem in a sentence with its row number, and writes nothing unless every row
is right. Risks are matched by reference: a new reference adds a risk, a known one updates it.
Actions are added to the review their "From" column names. Everything is written in one
transaction with an audit-log line per row and one for the file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so
from openpyxl import load_workbook

from data_access import audit_log
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.learning import (
    ActionUpdate,
    LearningError,
    RiskEntry,
    action_update_problems,
    apply_risk,
    refresh_figures,
    risk_problems,
)
from data_access.models import (
    RISK_TRENDS,
    Agency,
    CaseReviewAction,
    LearningReview,
    RapidReview,
    Risk,
    Theme,
)
from data_access.spreadsheet_safety import is_formula_text

MAX_BYTES = 2_000_000
MAX_ROWS = 500
RISK_COLUMNS = (
    "Reference",
    "Risk",
    "Owner",
    "Owner agency code",
    "Theme",
    "Cause",
    "Consequence",
    "Likelihood",
    "Impact",
    "Likelihood after controls",
    "Impact after controls",
    "Controls",
    "Further actions",
    "Review date",
    "Trend",
    "Status",
)
REQUIRED = ("Reference", "Risk", "Likelihood", "Impact")
EXAMPLE = {
    "Reference": "R01",
    "Risk": "Front-door decisions are delayed by vacancies",
    "Owner": "Head of MASH",
    "Owner agency code": "BCS",
    "Theme": "MASH (front door)",
    "Cause": "Vacancies and sickness",
    "Consequence": "Children wait for decisions",
    "Likelihood": "4",
    "Impact": "4",
    "Likelihood after controls": "3",
    "Impact after controls": "3",
    "Controls": "Agency staff cover; weekly recovery report",
    "Further actions": "Permanent recruitment",
    "Review date": "31/03/2027",
    "Trend": "steady",
    "Status": "open",
}


class ImportProblem(ValueError):
    """The file cannot be imported; `problems` says why, one sentence each (nothing written)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    reports: int = 0  # reports recorded from a recommendations file

    def words(self) -> str:
        """What was imported, as the audit log and the page say it."""
        said = f"{self.added} added, {self.updated} updated"
        if self.reports:
            said += f", {self.reports} report{'' if self.reports == 1 else 's'} recorded"
        return said


@dataclass(frozen=True)
class Template:
    """A kind of spreadsheet: its columns (the required ones first checked), one example row and
    the sheet's name in the Excel template."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    example: dict[str, str]
    sheet_name: str

    def file(self, file_format: str) -> bytes:
        """The template with its example row: "csv" or "xlsx"."""
        table = pd.DataFrame([self.example], columns=list(self.columns))
        if file_format == "csv":
            return str(table.to_csv(index=False)).encode("utf-8")
        buffer = io.BytesIO()
        table.to_excel(buffer, index=False, sheet_name=self.sheet_name)
        return buffer.getvalue()

    def read(self, data: bytes, file_name: str) -> pd.DataFrame:
        """The file's first sheet as text cells (`read_table`)."""
        return read_table(data, file_name, self.required)


RISKS = Template(RISK_COLUMNS, REQUIRED, EXAMPLE, "Risk register")


def template_bytes(file_format: str) -> bytes:
    """The risk register template with one example row: "csv" or "xlsx"."""
    return RISKS.file(file_format)


ACTION_COLUMNS = (
    "From",
    "Recommendation",
    "Partners' response",
    "Action agreed",
    "Owner agency code",
    "Due date",
    "Status",
    "Progress in words",
    "Completed on",
    "Evidence of completion",
    "Evidence of impact",
    "Date of the evidence of impact",
)
ACTION_REQUIRED = ("From", "Recommendation", "Owner agency code", "Due date")
ACTION_EXAMPLE = {
    "From": "RR-2025-01",
    "Recommendation": "GP practices share information with the MASH within one working day.",
    "Partners' response": "Agreed by the ICB.",
    "Action agreed": "Named GP safeguarding leads; response standard issued.",
    "Owner agency code": "ICB",
    "Due date": "31/03/2026",
    "Status": "complete",
    "Progress in words": "Done; reported to the practice review panel.",
    "Completed on": "15/03/2026",
    "Evidence of completion": "Standard issued to all practices.",
    "Evidence of impact": "Dip sample: GP information present in 18 of 20 decisions.",
    "Date of the evidence of impact": "30/06/2026",
}
STATUS_WORDS = {
    "open": "open",
    "in progress": "in_progress",
    "in_progress": "in_progress",
    "complete": "complete",
    "completed": "complete",
    "cancelled": "cancelled",
}


ACTIONS = Template(ACTION_COLUMNS, ACTION_REQUIRED, ACTION_EXAMPLE, "Actions")


def action_template_bytes(file_format: str) -> bytes:
    """The actions template with one example row: "csv" or "xlsx"."""
    return ACTIONS.file(file_format)


def read_table(data: bytes, file_name: str, required: tuple[str, ...] = REQUIRED) -> pd.DataFrame:
    """The file's first sheet as text cells; ImportProblem for a file that cannot be read."""
    if len(data) > MAX_BYTES:
        raise ImportProblem([f"The file is larger than {MAX_BYTES // 1_000_000} MB."])
    name = file_name.lower()
    try:
        if name.endswith(".csv"):
            table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
        elif name.endswith(".xlsx"):
            table = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        else:
            raise ImportProblem(["Choose a .csv or .xlsx file made from the template."])
    except ImportProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same sentence
        raise ImportProblem(
            [f"The file could not be read as a spreadsheet ({type(exc).__name__})."]
        ) from exc
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise ImportProblem(
            [
                "The file has no column "
                + ", ".join(f"'{c}'" for c in missing)
                + "; start from the template."
            ]
        )
    table = table.fillna("")
    table = table[table.apply(lambda r: any(str(v).strip() for v in r), axis=1)]
    if len(table) > MAX_ROWS:
        raise ImportProblem([f"The file has {len(table):,} rows; import at most {MAX_ROWS}."])
    formulas = formula_cells(data, name, table)
    if formulas:
        raise ImportProblem(
            [
                f"Row {row}: the '{column}' cell holds a formula; type its text or date instead "
                "(the importer takes what is typed, never a formula)."
                for row, column in formulas[:50]
            ]
        )
    return table


def formula_cells(data: bytes, name: str, table: pd.DataFrame) -> list[tuple[int, str]]:
    """(sheet row, column) of every cell holding a formula: in Excel a formula cell, in a CSV
    text a spreadsheet would run as a formula (`spreadsheet_safety`) that starts with "=".
    Text starting with +, - or @ is kept as text: it is shown as plain text and made inert in
    every export."""
    found: list[tuple[int, str]] = []
    if name.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(data), read_only=True)
        sheet = book.worksheets[0]
        header: list[str] = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number == 1:
                header = [str(c.value or "").strip() for c in cells]
                continue
            found += [
                (number, header[i] if i < len(header) else f"column {i + 1}")
                for i, c in enumerate(cells)
                if getattr(c, "data_type", None) == "f"
            ]
        book.close()
        return found
    for row, cell in sheet_rows(table):
        found += [
            (row, str(column))
            for column in table.columns
            if is_formula_text(value := cell(str(column))) and value.startswith("=")
        ]
    return found


def sheet_rows(table: pd.DataFrame) -> Iterator[tuple[int, Callable[[str], str]]]:
    """Each row's number as the sheet shows it (the header is row 1) and a reader of its cells
    (stripped text; "" for a column the file lacks)."""
    for index, cells in table.iterrows():

        def cell(column: str, cells: pd.Series = cells) -> str:
            return str(cells.get(column, "")).strip()

        # The frame keeps the file's row positions when rows of empty cells are dropped.
        yield int(str(index)) + 2, cell


def _score(value: str, what: str, row: int, problems: list[str]) -> int | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = int(float(text))
    except ValueError:
        problems.append(f"Row {row}: the {what} '{text}' is not a number from 1 to 5.")
        return None
    return number


def cell_date(
    value: str, row: int, problems: list[str], what: str = "review date"
) -> dt.date | None:
    text = value.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    problems.append(f"Row {row}: the {what} '{text}' is not a date like 31/03/2027.")
    return None


def theme_codes(engine: sa.Engine) -> dict[str, str]:
    """A theme's code by its name or its code, in lower case (how a sheet may name it)."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(Theme.code, Theme.name)).all()
    themes = {str(name).lower(): str(code) for code, name in rows}
    themes.update({str(code).lower(): str(code) for code, _ in rows})
    return themes


def check_risks(*, engine: sa.Engine, table: pd.DataFrame) -> tuple[list[RiskEntry], list[str]]:
    """The entries a table holds, and every problem with it (row numbers as in the sheet)."""
    agencies = agency_ids(engine)
    themes = theme_codes(engine)
    entries: list[RiskEntry] = []
    problems: list[str] = []
    seen: set[str] = set()
    for row, cell in sheet_rows(table):
        found: list[str] = []
        reference = cell("Reference")
        if reference in seen:
            found.append(f"Row {row}: the reference {reference} is used twice in the file.")
        seen.add(reference)
        agency_code = cell("Owner agency code")
        agency_id = agencies.get(agency_code) if agency_code else None
        if agency_code and agency_id is None:
            found.append(f"Row {row}: there is no agency with the code '{agency_code}'.")
        theme_text = cell("Theme")
        theme_code = themes.get(theme_text.lower()) if theme_text else None
        if theme_text and theme_code is None:
            found.append(f"Row {row}: '{theme_text}' is not one of the partnership's themes.")
        trend = cell("Trend").lower() or None
        if trend is not None and trend not in RISK_TRENDS:
            found.append(f"Row {row}: the trend is rising, steady or falling, not '{trend}'.")
            trend = None
        status = cell("Status").lower() or "open"
        likelihood = _score(cell("Likelihood"), "likelihood", row, found)
        impact = _score(cell("Impact"), "impact", row, found)
        entry = RiskEntry(
            reference=reference,
            title=cell("Risk"),
            likelihood=likelihood or 0,
            impact=impact or 0,
            owner_agency_id=agency_id,
            owner=cell("Owner") or None,
            theme_code=theme_code,
            cause=cell("Cause") or None,
            consequence=cell("Consequence") or None,
            controls=cell("Controls") or None,
            likelihood_after=_score(
                cell("Likelihood after controls"), "likelihood after controls", row, found
            ),
            impact_after=_score(cell("Impact after controls"), "impact after controls", row, found),
            further_actions=cell("Further actions") or None,
            review_on=cell_date(cell("Review date"), row, found),
            trend=trend,
            status=status,
        )
        found += [f"Row {row}: {p}" for p in risk_problems(entry)]
        problems += found
        if not found:
            entries.append(entry)
    return entries, problems


def import_risks(
    *, engine: sa.Engine, data: bytes, file_name: str, imported_by: str
) -> ImportResult:
    """Check and import a risk register file; ImportProblem (nothing written) if any row is wrong."""
    table = RISKS.read(data, file_name)
    entries, problems = check_risks(engine=engine, table=table)
    if problems:
        raise ImportProblem(problems)
    if not entries:
        raise ImportProblem(["The file has no risks in it."])
    added = updated = 0
    try:
        with session_scope(engine) as session:
            known = dict(session.execute(sa.select(Risk.reference, Risk.id)).all())
            for entry in entries:
                risk_id = known.get(entry.reference.strip())
                apply_risk(session, entry=entry, saved_by=imported_by, risk_id=risk_id)
                added += risk_id is None
                updated += risk_id is not None
            audit_log.record(
                session,
                username=imported_by,
                event="risks_imported",
                page="risk_register",
                detail=f"{file_name}: {added} added, {updated} updated",
            )
    except LearningError as exc:
        raise ImportProblem([str(exc)]) from exc
    return ImportResult(added=added, updated=updated)


@dataclass(frozen=True)
class ActionRow:
    """A checked recommendation and its action, for the review it belongs to."""

    rapid_review_id: int | None
    review_id: int | None
    recommendation: str
    response: str | None
    action: str | None
    owner_agency_id: int
    due_date: dt.date
    update: ActionUpdate


def action_cells(
    row: int,
    cell: Callable[[str], str],
    agencies: dict[str, int],
    found: list[str],
    *,
    rapid_review_id: int | None = None,
    review_id: int | None = None,
) -> ActionRow | None:
    """The recommendation and action columns of one row (every action template has them),
    checked; each problem is added to `found`. None when the row cannot be imported."""
    before = len(found)
    recommendation = cell("Recommendation")
    if not recommendation:
        found.append(f"Row {row}: write the recommendation.")
    agency_code = cell("Owner agency code")
    agency_id = agencies.get(agency_code)
    if agency_id is None:
        found.append(f"Row {row}: there is no agency with the code '{agency_code}'.")
    due = cell_date(cell("Due date"), row, found, "due date")
    if due is None and not cell("Due date"):
        found.append(f"Row {row}: give the due date.")
    status_text = cell("Status").lower() or "open"
    status = STATUS_WORDS.get(status_text)
    if status is None:
        found.append(
            f"Row {row}: the status is open, in progress, complete or cancelled, "
            f"not '{status_text}'."
        )
        status = "open"
    update = ActionUpdate(
        action_id=0,
        status=status,
        progress=cell("Progress in words") or None,
        completed_on=cell_date(cell("Completed on"), row, found, "completion date"),
        completion_evidence=cell("Evidence of completion") or None,
        impact_evidence=cell("Evidence of impact") or None,
        impact_on=cell_date(
            cell("Date of the evidence of impact"), row, found, "date of the evidence"
        ),
    )
    found += [f"Row {row}: {p}" for p in action_update_problems(update)]
    if len(found) > before or agency_id is None or due is None:
        return None
    return ActionRow(
        rapid_review_id=rapid_review_id,
        review_id=review_id,
        recommendation=recommendation,
        response=cell("Partners' response") or None,
        action=cell("Action agreed") or None,
        owner_agency_id=agency_id,
        due_date=due,
        update=update,
    )


def agency_ids(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return dict(connection.execute(sa.select(Agency.code, Agency.id)).tuples().all())


def check_actions(*, engine: sa.Engine, table: pd.DataFrame) -> tuple[list[ActionRow], list[str]]:
    """The actions a table holds, and every problem with it (row numbers as in the sheet)."""
    agencies = agency_ids(engine)
    with engine.connect() as connection:
        rapid = dict(connection.execute(sa.select(RapidReview.reference, RapidReview.id)).all())
        reviews = dict(
            connection.execute(sa.select(LearningReview.reference, LearningReview.id)).all()
        )
    rows: list[ActionRow] = []
    problems: list[str] = []
    for row, cell in sheet_rows(table):
        found: list[str] = []
        source = cell("From")
        if source not in rapid and source not in reviews:
            found.append(f"Row {row}: there is no review with the reference '{source}'.")
        item = action_cells(
            row,
            cell,
            agencies,
            found,
            rapid_review_id=rapid.get(source),
            review_id=None if source in rapid else reviews.get(source),
        )
        problems += found
        if item is not None and not found:
            rows.append(item)
    return rows, problems


def add_action(
    session: so.Session, item: ActionRow, *, imported_by: str, file_name: str, page: str
) -> int:
    """Write one checked action with its audit line, in the caller's transaction."""
    update = item.update
    record = CaseReviewAction(
        rapid_review_id=item.rapid_review_id,
        review_id=item.review_id,
        recommendation=item.recommendation,
        response=item.response,
        action=item.action,
        owner_agency_id=item.owner_agency_id,
        due_date=item.due_date,
        status=update.status,
        progress=update.progress,
        completed_on=update.completed_on if update.status == "complete" else None,
        completion_evidence=update.completion_evidence,
        impact_evidence=update.impact_evidence,
        impact_on=update.impact_on if update.impact_evidence else None,
        updated_by=imported_by,
        updated_at=utc_now(),
    )
    session.add(record)
    session.flush()
    audit_log.record(
        session,
        username=imported_by,
        event="learning_action_recorded",
        page=page,
        detail=f"action {record.id} imported from {file_name}, status {update.status}",
    )
    return record.id


def import_actions(
    *, engine: sa.Engine, data: bytes, file_name: str, imported_by: str, page: str
) -> int:
    """Check and add the recommendations and actions of a file; ImportProblem (nothing
    written) if any row is wrong. Returns how many were added."""
    table = ACTIONS.read(data, file_name)
    rows, problems = check_actions(engine=engine, table=table)
    if problems:
        raise ImportProblem(problems)
    if not rows:
        raise ImportProblem(["The file has no actions in it."])
    with session_scope(engine) as session:
        for item in rows:
            add_action(session, item, imported_by=imported_by, file_name=file_name, page=page)
        audit_log.record(
            session,
            username=imported_by,
            event="learning_actions_imported",
            page=page,
            detail=f"{file_name}: {len(rows)} actions added",
        )
        refresh_figures(session)
    return len(rows)
