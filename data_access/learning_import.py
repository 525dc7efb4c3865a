"""Import a partnership's risk register from the spreadsheet it keeps today (issue 29).

A template (CSV or Excel) names the columns; the importer reads a file, checks every row and
says each problem in a sentence with its row number, and writes nothing unless every row is
right. Risks are matched by reference: a new reference adds a risk, a known one updates it.
Everything is written in one transaction with one audit-log line per risk and one for the file.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from data_access import audit_log
from data_access.db import session_scope
from data_access.learning import LearningError, RiskEntry, apply_risk, risk_problems
from data_access.models import RISK_TRENDS, Agency, Risk, Theme

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


def template_bytes(file_format: str) -> bytes:
    """The template with one example row: "csv" or "xlsx"."""
    table = pd.DataFrame([EXAMPLE], columns=list(RISK_COLUMNS))
    if file_format == "csv":
        return table.to_csv(index=False).encode("utf-8")
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False, sheet_name="Risk register")
    return buffer.getvalue()


def read_table(data: bytes, file_name: str) -> pd.DataFrame:
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
    missing = [c for c in REQUIRED if c not in table.columns]
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
        raise ImportProblem([f"The file has {len(table):,} risks; import at most {MAX_ROWS}."])
    return table


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


def _date(value: str, row: int, problems: list[str]) -> dt.date | None:
    text = value.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    problems.append(f"Row {row}: the review date '{text}' is not a date like 31/03/2027.")
    return None


def check_risks(*, engine: sa.Engine, table: pd.DataFrame) -> tuple[list[RiskEntry], list[str]]:
    """The entries a table holds, and every problem with it (row numbers as in the sheet)."""
    with engine.connect() as connection:
        agencies = dict(connection.execute(sa.select(Agency.code, Agency.id)).all())
        theme_rows = connection.execute(sa.select(Theme.code, Theme.name)).all()
    themes = {str(name).lower(): code for code, name in theme_rows}
    themes.update({str(code).lower(): code for code, _ in theme_rows})
    entries: list[RiskEntry] = []
    problems: list[str] = []
    seen: set[str] = set()
    for offset, (_, cells) in enumerate(table.iterrows()):
        row = offset + 2  # the sheet's header is row 1

        def cell(column: str, cells: pd.Series = cells) -> str:
            return str(cells.get(column, "")).strip()

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
            review_on=_date(cell("Review date"), row, found),
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
    table = read_table(data, file_name)
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
