"""Load self-assessment returns from the spreadsheets partnerships keep them in (issue 29):
agencies' Section 11 returns and schools' and colleges' safeguarding audits (section 175/157).

A template per framework: one row per respondent (agency or setting code) and standard, with its
rating, evidence summary and improvement action, and the return's submitted date and who signed
it off. Every row is checked and each problem said in a sentence naming its row and the fix;
nothing is written unless the whole file is right. A return already held for a respondent and
cycle is never overwritten: the file is refused, saying when the earlier one was submitted and
that rolling back the import that brought it is how to replace it.

A loaded file is recorded as a `Submission` (source "self_assessment", its sha256 checksum), and
each return it added names it (`S11Return.submission_id`), so the data management page and `qa-dashboard rollback`
withdraw it like any other file; the audit log names the file and its checksum.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.exc import IntegrityError

from data_access import audit_log
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import (
    EDUCATION_175_157,
    RAG_RATINGS,
    SECTION_11,
    Agency,
    EducationSetting,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Standard,
    Submission,
)
from data_access.sheet_rows import ImportProblem, day_words, parse_date, read_rows

SOURCE = "self_assessment"
# The text area a person reads in the table; longer evidence belongs in the agency's own file.
MAX_TEXT = 4000
RESPONDENT_COLUMN = {SECTION_11: "Agency code", EDUCATION_175_157: "School or college code"}
RESPONDENT_WORDS = {SECTION_11: "agency", EDUCATION_175_157: "school or college"}
OTHER_COLUMNS = (
    "Standard",
    "Rating",
    "Evidence summary",
    "Improvement action",
    "Submitted on",
    "Signed off by",
    "Cycle",
)

__all__ = ["ImportProblem", "check_returns", "load_returns", "template_bytes"]


def columns(framework: str) -> tuple[str, ...]:
    return (RESPONDENT_COLUMN[framework], *OTHER_COLUMNS)


def _required(framework: str) -> tuple[str, ...]:
    return (RESPONDENT_COLUMN[framework], "Standard", "Rating", "Submitted on")


def template_bytes(*, engine: sa.Engine, framework: str, file_format: str) -> bytes:
    """The framework's template: one example return rating every standard ("csv" or "xlsx")."""
    with engine.connect() as connection:
        numbers = connection.scalars(
            sa.select(S11Standard.number)
            .where(S11Standard.framework == framework)
            .order_by(S11Standard.number)
        ).all()
    code = "LA" if framework == SECTION_11 else "100001"
    table = pd.DataFrame(
        [
            {
                RESPONDENT_COLUMN[framework]: code,
                "Standard": str(number),
                "Rating": "Green" if number % 3 else "Amber",
                "Evidence summary": "Policy reviewed this year; training records checked.",
                "Improvement action": "" if number % 3 else "Refresher training for new staff.",
                "Submitted on": "15/11/2025",
                "Signed off by": "Director of Children's Services"
                if framework == SECTION_11
                else "Headteacher",
                "Cycle": "",
            }
            for number in numbers
        ],
        columns=list(columns(framework)),
    )
    if file_format == "csv":
        return str(table.to_csv(index=False)).encode("utf-8")
    buffer = io.BytesIO()
    table.to_excel(buffer, index=False, sheet_name="Returns")
    return buffer.getvalue()


@dataclass
class _Rating:
    standard_id: int
    rating: str
    evidence: str
    action: str | None


@dataclass
class PlannedReturn:
    """One return the file adds: its respondent, cycle, date, sign-off and ratings."""

    respondent_id: int
    code: str
    name: str
    cycle_id: int
    cycle_name: str
    submitted_on: dt.date
    signed_off_by: str | None
    first_row: int
    ratings: dict[int, _Rating]


@dataclass
class CheckedReturns:
    """A file whose every row is right: what it will add (nothing is written yet)."""

    framework: str
    file_name: str
    checksum: str
    returns: list[PlannedReturn]

    @property
    def rating_count(self) -> int:
        return sum(len(r.ratings) for r in self.returns)

    def preview(self) -> pd.DataFrame:
        """One row per return the file adds, with how many standards it rated each way."""
        return pd.DataFrame(
            [
                {
                    RESPONDENT_WORDS[self.framework].capitalize(): f"{r.name} ({r.code})",
                    "Cycle": r.cycle_name,
                    "Submitted on": day_words(r.submitted_on),
                    "Signed off by": r.signed_off_by or "",
                    **{
                        word.capitalize(): sum(x.rating == word for x in r.ratings.values())
                        for word in ("green", "amber", "red")
                    },
                }
                for r in self.returns
            ]
        )


@dataclass(frozen=True)
class ReturnsLoaded:
    submission_id: int
    returns: int
    ratings: int

    def message(self, framework: str) -> str:
        kind = RESPONDENT_WORDS[framework]
        return (
            f"Loaded {self.returns} return(s) ({self.ratings} ratings) as submission "
            f"{self.submission_id}; to withdraw them, roll back that submission. Each {kind}'s "
            "earlier returns are kept."
        )


@dataclass
class _Lookups:
    respondents: dict[str, tuple[int, str, bool]]  # code (upper) -> id, name, active
    standards: dict[int, int]  # number -> id
    cycles: dict[str, tuple[int, dt.date]]  # name -> id, opens_on
    held: dict[tuple[int, int], tuple[int, dt.date | None]]  # (respondent, cycle) -> return


def _lookups(connection: sa.Connection, framework: str) -> _Lookups:
    if framework == EDUCATION_175_157:
        people = connection.execute(
            sa.select(
                EducationSetting.code,
                EducationSetting.id,
                EducationSetting.name,
                EducationSetting.active,
            )
        ).all()
        column = S11Return.setting_id
    else:
        people = connection.execute(
            sa.select(Agency.code, Agency.id, Agency.name, Agency.active)
        ).all()
        column = S11Return.agency_id
    held = connection.execute(
        sa.select(column, S11Return.cycle_id, S11Return.id, S11Return.submitted_on)
        .join(S11Cycle, S11Cycle.id == S11Return.cycle_id)
        .where(S11Cycle.framework == framework, column.is_not(None))
    ).all()
    return _Lookups(
        respondents={str(c).upper(): (i, n, bool(a)) for c, i, n, a in people},
        standards=dict(
            connection.execute(
                sa.select(S11Standard.number, S11Standard.id).where(
                    S11Standard.framework == framework
                )
            ).all()
        ),
        cycles={
            n: (i, o)
            for n, i, o in connection.execute(
                sa.select(S11Cycle.name, S11Cycle.id, S11Cycle.opens_on).where(
                    S11Cycle.framework == framework
                )
            ).all()
        },
        held={(int(r or 0), c): (i, s) for r, c, i, s in held},
    )


def _plain(text: str) -> str:
    """Plain text as typed: control characters other than line breaks dropped."""
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def check_returns(
    *,
    engine: sa.Engine,
    data: bytes,
    file_name: str,
    framework: str,
    cycle_name: str | None,
    today: dt.date | None = None,
) -> CheckedReturns:
    """Check every row of a returns file for `framework`'s cycle `cycle_name` (None: each row's
    Cycle column names it). ImportProblem with every problem when anything is wrong."""
    if framework not in RESPONDENT_COLUMN:
        raise ImportProblem([f"'{framework}' is not a self-assessment framework."])
    sheet = read_rows(data, file_name, columns(framework), _required(framework))
    with engine.connect() as connection:
        found = _lookups(connection, framework)
    if cycle_name is not None and cycle_name not in found.cycles:
        raise ImportProblem([f"There is no {framework} cycle called '{cycle_name}'."])
    today = today or utc_now().date()
    problems = list(sheet.problems)
    kind = RESPONDENT_WORDS[framework]
    code_column = RESPONDENT_COLUMN[framework]
    planned: dict[tuple[int, int], PlannedReturn] = {}
    # The standards each return has a row for, right or wrong: a wrong row is said once, not
    # again as a missing standard.
    rows_for: dict[tuple[int, int], set[str]] = {}
    for row, cells in sheet.rows:
        here: list[str] = []
        code = cells[code_column].upper()
        respondent = found.respondents.get(code)
        if respondent is None:
            here.append(
                f"Row {row}: there is no {kind} with the code '{cells[code_column]}'; use a code "
                f"from the {'agencies' if framework == SECTION_11 else 'settings'} list."
            )
        elif not respondent[2]:
            here.append(
                f"Row {row}: {respondent[1]} ({code}) is marked closed; reopen it first or "
                "remove its rows."
            )
        named_cycle = cells["Cycle"] or cycle_name
        cycle = found.cycles.get(named_cycle or "")
        if cycle_name is not None and cells["Cycle"] and cells["Cycle"] != cycle_name:
            here.append(
                f"Row {row}: the row says cycle {cells['Cycle']} but {cycle_name} was chosen; "
                "leave the Cycle column blank or choose that cycle."
            )
        elif not named_cycle:
            here.append(f"Row {row}: say which cycle the return is for (the Cycle column).")
        elif cycle is None:
            here.append(f"Row {row}: there is no cycle called '{named_cycle}'.")
        number_text = cells["Standard"].lstrip("Ss").strip()
        if number_text.isdigit():
            number_text = str(int(number_text))
        standard_id = found.standards.get(int(number_text)) if number_text.isdigit() else None
        if standard_id is None:
            here.append(
                f"Row {row}: '{cells['Standard']}' is not a standard of this framework; use a "
                f"number from 1 to {max(found.standards, default=0)}."
            )
        rating = cells["Rating"].lower()
        if rating not in RAG_RATINGS:
            here.append(f"Row {row}: the rating is Green, Amber or Red, not '{cells['Rating']}'.")
        submitted = parse_date(cells["Submitted on"])
        if submitted is None:
            here.append(
                f"Row {row}: the submitted date '{cells['Submitted on']}' is not a date like "
                "15/11/2025."
            )
        elif submitted > today:
            here.append(
                f"Row {row}: the return is dated {day_words(submitted)}, after today; give the "
                "date it was submitted."
            )
        elif cycle is not None and submitted < cycle[1]:
            here.append(
                f"Row {row}: the return is dated {day_words(submitted)}, before the cycle "
                f"opened ({day_words(cycle[1])}); give the date it was submitted."
            )
        evidence = _plain(cells["Evidence summary"])
        if not evidence:
            here.append(f"Row {row}: write the evidence summary for the rating.")
        action = _plain(cells["Improvement action"]) or None
        if len(evidence) > MAX_TEXT or len(action or "") > MAX_TEXT:
            here.append(f"Row {row}: shorten the text to {MAX_TEXT:,} characters or fewer.")
        problems += here
        if respondent is not None and cycle is not None:
            rows_for.setdefault((respondent[0], cycle[0]), set()).add(number_text)
        if here or respondent is None or cycle is None or standard_id is None or not submitted:
            continue
        key = (respondent[0], cycle[0])
        plan = planned.setdefault(
            key,
            PlannedReturn(
                respondent_id=respondent[0],
                code=code,
                name=respondent[1],
                cycle_id=cycle[0],
                cycle_name=named_cycle or "",
                submitted_on=submitted,
                signed_off_by=_plain(cells["Signed off by"]) or None,
                first_row=row,
                ratings={},
            ),
        )
        if standard_id in plan.ratings:
            problems.append(
                f"Row {row}: {plan.name} rates standard {number_text} twice in the file; keep "
                "one row per standard."
            )
        elif plan.submitted_on != submitted:
            problems.append(
                f"Row {row}: {plan.name}'s return is dated {day_words(plan.submitted_on)} on row "
                f"{plan.first_row} but {day_words(submitted)} here; one return has one date."
            )
        elif (signed := _plain(cells["Signed off by"]) or None) not in (None, plan.signed_off_by):
            problems.append(
                f"Row {row}: {plan.name}'s return is signed off by "
                f"{plan.signed_off_by or 'nobody'} on row {plan.first_row} but by {signed} here; "
                "one return has one sign-off (give it on every row or only the first)."
            )
        else:
            plan.ratings[standard_id] = _Rating(standard_id, rating, evidence, action)
    for key, plan in planned.items():
        missing = sorted(n for n in found.standards if str(n) not in rows_for[key])
        if missing:
            problems.append(
                f"{plan.name}'s {plan.cycle_name} return (from row {plan.first_row}) does not "
                f"rate standard(s) {', '.join(str(n) for n in missing)}; each return rates "
                "every standard: add a row for each."
            )
        held = found.held.get(key)
        if held is not None:
            problems.append(_already_held(engine, plan, held))
    if problems:
        raise ImportProblem(problems)
    if not planned:
        raise ImportProblem(["The file has no returns in it."])
    return CheckedReturns(framework, file_name, sheet.checksum, list(planned.values()))


def _already_held(engine: sa.Engine, plan: PlannedReturn, held: tuple[int, dt.date | None]) -> str:
    return_id, submitted_on = held
    when = f"submitted on {day_words(submitted_on)}" if submitted_on else "not yet submitted"
    with so.Session(engine) as session:
        submission = loaded_by_submission(session, return_id)
    how = (
        f"roll back submission {submission} (the import that brought it) first"
        if submission is not None
        else "ask an administrator to withdraw it first (it was not loaded from a file)"
    )
    return (
        f"A {plan.cycle_name} return from {plan.name} is already held ({when}); it is kept and "
        f"this file was not loaded. To replace it, {how}, then load this file again."
    )


def loaded_by_submission(session: so.Session, return_id: int) -> int | None:
    """The loaded (not rolled back) submission that added return `return_id`, if any."""
    return session.scalar(
        sa.select(Submission.id)
        .join(S11Return, S11Return.submission_id == Submission.id)
        .where(S11Return.id == return_id, Submission.status == "loaded")
    )


def load_returns(
    *, engine: sa.Engine, checked: CheckedReturns, loaded_by: str, page: str | None
) -> ReturnsLoaded:
    """Write a checked file's returns in one transaction, with a submission and audit lines.
    ImportProblem (nothing written) if a return for one of them arrived meanwhile."""
    respondent = "setting_id" if checked.framework == EDUCATION_175_157 else "agency_id"
    try:
        with session_scope(engine) as session:
            submission = Submission(
                file_name=checked.file_name[:255],
                checksum=checked.checksum,
                submitted_by=loaded_by,
                source=SOURCE,
                row_count=checked.rating_count,
                notes=f"{len(checked.returns)} {checked.framework} return(s)",
            )
            session.add(submission)
            session.flush()
            added: list[int] = []
            for plan in checked.returns:
                record = S11Return(
                    cycle_id=plan.cycle_id,
                    submitted_on=plan.submitted_on,
                    signed_off_by_role=plan.signed_off_by,
                    submission_id=submission.id,
                    **{respondent: plan.respondent_id},
                )
                record.ratings = [
                    S11Rating(
                        standard_id=r.standard_id,
                        rating=r.rating,
                        evidence_summary=r.evidence,
                        improvement_action=r.action,
                    )
                    for r in plan.ratings.values()
                ]
                session.add(record)
                session.flush()
                added.append(record.id)
            audit_log.record(
                session,
                username=loaded_by,
                event="self_assessment_returns_loaded",
                page=page,
                detail=(
                    f"submission {submission.id}: {checked.file_name} (sha256 "
                    f"{checked.checksum}); {checked.framework}, {len(added)} return(s) of "
                    f"{', '.join(sorted({p.cycle_name for p in checked.returns}))}: "
                    f"{', '.join(p.code for p in checked.returns)}"
                ),
            )
            submission_id = submission.id
    except IntegrityError as exc:
        raise ImportProblem(
            [
                "A return for one of these was recorded while the file was being loaded; "
                "nothing was loaded. Check the file again to see which."
            ]
        ) from exc
    return ReturnsLoaded(submission_id, len(added), checked.rating_count)


def withdraw_returns(session: so.Session, submission: Submission) -> int:
    """Delete the returns (and their ratings) a self-assessment submission added; how many.
    Called by `importer.rollback_submission` inside its transaction."""
    returns = session.scalars(
        sa.select(S11Return).where(S11Return.submission_id == submission.id)
    ).all()
    for record in returns:
        session.delete(record)
    session.flush()
    return len(returns)
