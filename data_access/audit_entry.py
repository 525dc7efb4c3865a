"""Entering case audits: validating and adding an audit, and updating an action's status.

Write functions validate everything first, then change the store and write the audit-log line in
one transaction; input that cannot be saved raises `data_access.audits.ValidationError`. The reads
are in `data_access.audits`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log
from data_access.audits import ValidationError
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import (
    ACTION_STATUSES,
    AUDIT_GRADES,
    AUDIT_STATUSES,
    AUDIT_TYPES,
    FINDING_KINDS,
    THEMES,
    Agency,
    Audit,
    AuditAction,
    AuditActionUpdate,
    AuditCase,
    AuditFinding,
)

MAX_TEXT_CHARS = 4000
MAX_TITLE_CHARS = 200
MAX_REFERENCE_CHARS = 30
PAGE = "audits"


@dataclass(frozen=True)
class NewFinding:
    kind: str
    text: str
    # How many of the audit's sampled cases it was seen in; both or neither.
    cases_seen: int | None = None
    cases_sampled: int | None = None


# How a finding typed on the form gives its counts: "... (seen in 4 of 8 cases)" or "... (4 of 8)".
_TYPED_COUNTS = re.compile(
    r"\(\s*(?:seen in\s+)?(\d+)\s+of\s+(\d+)(?:\s+cases?)?\s*\)\s*\.?\s*$", re.IGNORECASE
)


def finding_from_line(kind: str, line: str) -> NewFinding:
    """A finding typed as one line, its trailing counts ("(seen in 4 of 8 cases)" or "(4 of 8)")
    moved into `cases_seen` / `cases_sampled`; a line without them has no counts."""
    text = line.strip()
    match = _TYPED_COUNTS.search(text)
    if not match:
        return NewFinding(kind, text)
    body = text[: match.start()].rstrip(" .")
    return NewFinding(kind, f"{body}." if body else "", int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class NewAction:
    description: str
    owner_agency_id: int | None
    due_date: dt.date | None
    # Index into NewAudit.findings of the finding this action answers, if any.
    finding_index: int | None = None


@dataclass(frozen=True)
class NewAudit:
    """An audit as entered on the form: the grade counts become pseudonymised case rows."""

    reference: str
    title: str
    theme_code: str
    audit_type: str
    audit_date: dt.date | None
    sample_size: int
    grade_counts: dict[str, int]
    child_voice_count: int
    agency_ids: tuple[int, ...] = ()
    lead_agency_id: int | None = None
    status: str = "complete"
    reaudit_of_id: int | None = None
    reaudit_due: dt.date | None = None
    summary: str | None = None
    findings: tuple[NewFinding, ...] = field(default_factory=tuple)
    actions: tuple[NewAction, ...] = field(default_factory=tuple)


def _existing_agency_ids(session: so.Session, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(sa.select(Agency.id).where(Agency.id.in_(ids))))


def validate_new_audit(session: so.Session, data: NewAudit) -> list[str]:
    """Every reason `data` cannot be saved (empty when it can)."""
    problems: list[str] = []
    reference = (data.reference or "").strip()
    if not reference:
        problems.append("Enter the audit reference.")
    elif len(reference) > MAX_REFERENCE_CHARS:
        problems.append(f"The reference must be at most {MAX_REFERENCE_CHARS} characters.")
    elif session.scalar(sa.select(Audit.id).where(Audit.reference == reference)) is not None:
        problems.append(f"An audit with reference {reference} already exists.")
    title = (data.title or "").strip()
    if not title:
        problems.append("Enter the audit title.")
    elif len(title) > MAX_TITLE_CHARS:
        problems.append(f"The title must be at most {MAX_TITLE_CHARS} characters.")
    if data.theme_code not in THEMES:
        problems.append("Choose the audit's theme.")
    if data.audit_type not in AUDIT_TYPES:
        problems.append("Choose multi-agency or single-agency.")
    if data.status not in AUDIT_STATUSES:
        problems.append("Choose the audit's status.")
    if data.audit_date is None:
        problems.append("Enter the date of the audit.")
    elif data.audit_date > dt.date.today() + dt.timedelta(days=366):
        problems.append("The audit date is more than a year in the future.")
    if (
        data.reaudit_due is not None
        and data.audit_date is not None
        and (data.reaudit_due <= data.audit_date)
    ):
        problems.append("The re-audit date must be after the audit date.")
    if data.summary and len(data.summary) > MAX_TEXT_CHARS:
        problems.append(f"The summary must be at most {MAX_TEXT_CHARS} characters.")

    if data.sample_size < 1:
        problems.append("The sample size must be at least 1 case.")
    unknown_grades = set(data.grade_counts) - set(AUDIT_GRADES)
    if unknown_grades:
        problems.append(f"Unknown grade(s): {', '.join(sorted(unknown_grades))}.")
    if any(n < 0 for n in data.grade_counts.values()):
        problems.append("Grade counts cannot be negative.")
    graded = sum(data.grade_counts.values())
    if data.status == "complete" and graded != data.sample_size:
        problems.append(
            f"The grade counts add up to {graded}, but the sample size is {data.sample_size}: "
            "a complete audit grades every case."
        )
    elif graded > data.sample_size:
        problems.append(f"The grade counts add up to {graded}, more than the sample size.")
    if data.child_voice_count < 0 or data.child_voice_count > graded:
        problems.append(
            "Cases with the child's voice evidenced must be between 0 and the number of cases "
            f"graded ({graded})."
        )

    wanted = set(data.agency_ids) | {a.owner_agency_id for a in data.actions if a.owner_agency_id}
    if data.lead_agency_id is not None:
        wanted.add(data.lead_agency_id)
    missing = wanted - _existing_agency_ids(session, wanted)
    if missing:
        problems.append("One or more agencies chosen do not exist; choose from the list.")
    if not data.agency_ids:
        problems.append("Choose at least one agency taking part.")
    elif data.audit_type == "single_agency" and len(data.agency_ids) != 1:
        problems.append("A single-agency audit involves exactly one agency.")
    if data.reaudit_of_id is not None and session.get(Audit, data.reaudit_of_id) is None:
        problems.append("The audit this repeats does not exist.")

    for number, finding in enumerate(data.findings, start=1):
        if finding.kind not in FINDING_KINDS:
            problems.append(f"Finding {number}: choose strength or area for improvement.")
        text = (finding.text or "").strip()
        if not text:
            problems.append(f"Finding {number}: enter the finding's text.")
        elif len(text) > MAX_TEXT_CHARS:
            problems.append(f"Finding {number}: at most {MAX_TEXT_CHARS} characters.")
        seen, sampled = finding.cases_seen, finding.cases_sampled
        if (seen is None) != (sampled is None):
            problems.append(
                f"Finding {number}: give both how many cases it was seen in and how many were "
                "sampled, or neither."
            )
        elif seen is not None and sampled is not None:
            if sampled < 1 or seen < 0 or seen > sampled:
                problems.append(
                    f"Finding {number}: it cannot be seen in {seen} of {sampled} cases; the "
                    "first count must be between 0 and the second, and the second at least 1."
                )
            elif sampled > data.sample_size:
                problems.append(
                    f"Finding {number}: {sampled} cases sampled is more than the audit's sample "
                    f"of {data.sample_size}."
                )
    for number, action in enumerate(data.actions, start=1):
        text = (action.description or "").strip()
        if not text:
            problems.append(f"Action {number}: describe the action.")
        elif len(text) > MAX_TEXT_CHARS:
            problems.append(f"Action {number}: at most {MAX_TEXT_CHARS} characters.")
        if action.owner_agency_id is None:
            problems.append(f"Action {number}: choose the agency that owns it.")
        if action.due_date is None:
            problems.append(f"Action {number}: enter a due date.")
        elif data.audit_date is not None and action.due_date < data.audit_date:
            problems.append(f"Action {number}: the due date is before the audit date.")
        if action.finding_index is not None and not (
            0 <= action.finding_index < len(data.findings)
        ):
            problems.append(f"Action {number}: it points at a finding that is not there.")
    return problems


def add_audit(*, engine: sa.Engine, data: NewAudit, username: str) -> int:
    """Save an audit with its cases, findings and actions; return its id.

    Raises ValidationError (nothing saved) when any field is wrong.
    """
    with session_scope(engine) as session:
        problems = validate_new_audit(session, data)
        if not username:
            problems.append("You must be signed in to add an audit.")
        if problems:
            raise ValidationError(problems)
        reference = data.reference.strip()
        audit = Audit(
            reference=reference,
            title=data.title.strip(),
            theme_code=data.theme_code,
            audit_type=data.audit_type,
            audit_date=data.audit_date,
            sample_size=data.sample_size,
            status=data.status,
            lead_agency_id=data.lead_agency_id,
            reaudit_of_id=data.reaudit_of_id,
            reaudit_due=data.reaudit_due,
            summary=(data.summary or "").strip() or None,
            created_by=username,
        )
        audit.agencies = list(
            session.scalars(sa.select(Agency).where(Agency.id.in_(data.agency_ids)))
        )
        # Pseudonymised case references: the audit reference and a sequence number only.
        number = 0
        voice_left = data.child_voice_count
        for grade in AUDIT_GRADES:
            for _ in range(data.grade_counts.get(grade, 0)):
                number += 1
                audit.cases.append(
                    AuditCase(
                        case_ref=f"C{number:03d}", grade=grade, child_voice_evidenced=voice_left > 0
                    )
                )
                voice_left -= 1
        finding_rows = [
            AuditFinding(
                kind=f.kind,
                text=f.text.strip(),
                cases_seen=f.cases_seen,
                cases_sampled=f.cases_sampled,
            )
            for f in data.findings
        ]
        audit.findings.extend(finding_rows)
        session.add(audit)
        session.flush()
        for action in data.actions:
            index = action.finding_index
            linked = finding_rows[index] if index is not None else None
            audit.actions.append(
                AuditAction(
                    description=action.description.strip(),
                    owner_agency_id=action.owner_agency_id,
                    due_date=action.due_date,
                    finding_id=linked.id if linked is not None else None,
                    status="open",
                )
            )
        session.flush()
        audit_log.record(
            session,
            username=username,
            event="audit_added",
            page=PAGE,
            detail=(
                f"audit {reference}: {data.sample_size} cases, {len(data.findings)} findings, "
                f"{len(data.actions)} actions"
            ),
        )
        return audit.id


def update_action_status(
    *,
    engine: sa.Engine,
    action_id: int,
    status: str,
    evidence: str,
    username: str,
    today: dt.date | None = None,
) -> None:
    """Change an action's status with the evidence for it, keeping the change in its history.

    Raises ValidationError (nothing saved) when the action does not exist, the status is not
    allowed or the evidence is missing or too long.
    """
    today = today or dt.date.today()
    problems: list[str] = []
    text = (evidence or "").strip()
    if status not in ACTION_STATUSES:
        problems.append("Choose the action's new status.")
    if not text:
        problems.append("Describe the evidence for this update.")
    elif len(text) > MAX_TEXT_CHARS:
        problems.append(f"The evidence must be at most {MAX_TEXT_CHARS} characters.")
    if not username:
        problems.append("You must be signed in to update an action.")
    with session_scope(engine) as session:
        action = session.get(AuditAction, action_id)
        if action is None:
            problems.append("That action does not exist.")
        if problems:
            raise ValidationError(problems)
        assert action is not None
        previous = action.status
        action.status = status
        action.evidence = text
        action.completed_on = today if status == "complete" else None
        action.updated_by = username
        action.updated_at = utc_now()
        session.add(
            AuditActionUpdate(
                action_id=action.id,
                status=status,
                evidence=text,
                updated_by=username,
                updated_at=action.updated_at,
            )
        )
        audit_log.record(
            session,
            username=username,
            event="audit_action_updated",
            page=PAGE,
            detail=f"action {action.id}: {previous} -> {status}",
        )
