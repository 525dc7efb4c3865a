"""Case audits: the list, grade distribution, child's voice, findings, action tracker, re-audits.

Read functions take the same filters (`theme`, `year`, `agency_id`, `audit_id`) so a page can
show one audit or a filtered set. Adding an audit and updating an action are in
`data_access.audit_entry`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access.models import (
    AUDIT_GRADES,
    Agency,
    Audit,
    AuditAction,
    AuditActionUpdate,
    AuditCase,
    AuditFinding,
    Theme,
    audit_agency,
)
from data_access.queries_common import frame

GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
FINDING_LABELS = {"strength": "Strength", "area_for_improvement": "Area for improvement"}
ACTION_STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "complete": "Complete",
    "cancelled": "Cancelled",
}
AUDIT_TYPE_LABELS = {"multi_agency": "Multi-agency", "single_agency": "Single-agency"}
# Actions still to do: these can be overdue.
LIVE_ACTION_STATUSES = ("open", "in_progress")


class ValidationError(ValueError):
    """Input that cannot be saved; `problems` lists every reason in words a person understands."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- Filters shared by the read functions -------------------------------------------------------


def _audit_filter(
    *,
    theme: str | None,
    year: int | None,
    agency_id: int | None,
    audit_id: int | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if start is not None:
        conditions.append(Audit.audit_date >= start)
    if end is not None:
        conditions.append(Audit.audit_date <= end)
    if audit_id is not None:
        conditions.append(Audit.id == audit_id)
    if theme:
        conditions.append(Audit.theme_code == theme)
    if year is not None:
        conditions.append(Audit.audit_date >= dt.date(year, 1, 1))
        conditions.append(Audit.audit_date <= dt.date(year, 12, 31))
    if agency_id is not None:
        involved = (
            sa.select(audit_agency.c.audit_id)
            .where(audit_agency.c.agency_id == agency_id)
            .scalar_subquery()
        )
        conditions.append(sa.or_(Audit.id.in_(involved), Audit.lead_agency_id == agency_id))
    return conditions


def _filtered_ids(
    *,
    theme: str | None,
    year: int | None,
    agency_id: int | None,
    audit_id: int | None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> sa.ScalarSelect[int]:
    return (
        sa.select(Audit.id)
        .where(
            *_audit_filter(
                theme=theme,
                year=year,
                agency_id=agency_id,
                audit_id=audit_id,
                start=start,
                end=end,
            )
        )
        .scalar_subquery()
    )


# --- Reads --------------------------------------------------------------------------------------


def list_agencies(*, engine: sa.Engine, active_only: bool = True) -> pd.DataFrame:
    """Agencies for pick lists: id, code, name, sector, active, in name order."""
    stmt = sa.select(Agency.id, Agency.code, Agency.name, Agency.sector, Agency.active).order_by(
        Agency.name
    )
    if active_only:
        stmt = stmt.where(Agency.active.is_(True))
    return frame(engine, stmt)


def audited_agencies(*, engine: sa.Engine) -> pd.DataFrame:
    """Agencies that took part in at least one audit (the only ones an audit filter can find):
    id, name, in name order. A few dozen, where the partnership may have thousands of agencies."""
    stmt = (
        sa.select(Agency.id, Agency.name)
        .where(Agency.id.in_(sa.select(audit_agency.c.agency_id)))
        .order_by(Agency.name)
    )
    return frame(engine, stmt)


def audit_years(*, engine: sa.Engine) -> list[int]:
    """Calendar years that have at least one audit, newest first."""
    with engine.connect() as connection:
        dates = connection.execute(sa.select(Audit.audit_date)).scalars().all()
    return sorted({d.year for d in dates}, reverse=True)


def list_audits(
    *,
    engine: sa.Engine,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
) -> pd.DataFrame:
    """Audits matching the filters, newest first.

    Columns: id, reference, title, theme_code, theme, audit_type, type, audit_date, sample_size,
    cases_graded, status, lead_agency, agencies (names, comma separated), reaudit_of_id,
    reaudit_of, reaudit_due.
    """
    lead = so.aliased(Agency)
    original = so.aliased(Audit)
    agency_names = (
        sa.select(
            audit_agency.c.audit_id.label("audit_id"),
            sa.func.aggregate_strings(Agency.name, ", ").label("agencies"),
        )
        .join(Agency, Agency.id == audit_agency.c.agency_id)
        .group_by(audit_agency.c.audit_id)
        .subquery()
    )
    case_counts = (
        sa.select(AuditCase.audit_id.label("audit_id"), sa.func.count().label("cases_graded"))
        .group_by(AuditCase.audit_id)
        .subquery()
    )
    stmt = (
        sa.select(
            Audit.id,
            Audit.reference,
            Audit.title,
            Audit.theme_code,
            Theme.name.label("theme"),
            Audit.audit_type,
            Audit.audit_date,
            Audit.sample_size,
            sa.func.coalesce(case_counts.c.cases_graded, 0).label("cases_graded"),
            Audit.status,
            lead.name.label("lead_agency"),
            sa.func.coalesce(agency_names.c.agencies, "").label("agencies"),
            Audit.reaudit_of_id,
            original.reference.label("reaudit_of"),
            Audit.reaudit_due,
        )
        .join(Theme, Theme.code == Audit.theme_code)
        .outerjoin(lead, lead.id == Audit.lead_agency_id)
        .outerjoin(original, original.id == Audit.reaudit_of_id)
        .outerjoin(agency_names, agency_names.c.audit_id == Audit.id)
        .outerjoin(case_counts, case_counts.c.audit_id == Audit.id)
        .where(*_audit_filter(theme=theme, year=year, agency_id=agency_id, audit_id=audit_id))
        .order_by(Audit.audit_date.desc(), Audit.reference)
    )
    audits = frame(engine, stmt)
    audits.insert(
        audits.columns.get_loc("audit_type") + 1,
        "type",
        audits["audit_type"].map(AUDIT_TYPE_LABELS),
    )
    return audits


def grade_distribution(
    *,
    engine: sa.Engine,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
) -> pd.DataFrame:
    """Cases by grade for the matching audits: grade, label, cases, share_pct (all four grades)."""
    ids = _filtered_ids(theme=theme, year=year, agency_id=agency_id, audit_id=audit_id)
    stmt = (
        sa.select(AuditCase.grade, sa.func.count().label("cases"))
        .where(AuditCase.audit_id.in_(ids))
        .group_by(AuditCase.grade)
    )
    counts = frame(engine, stmt).set_index("grade")["cases"]
    result = pd.DataFrame({"grade": list(AUDIT_GRADES)})
    result["label"] = result["grade"].map(GRADE_LABELS)
    result["cases"] = result["grade"].map(counts).fillna(0).astype(int)
    total = int(result["cases"].sum())
    result["share_pct"] = [audit_share(int(n), total) or 0.0 for n in result["cases"]]
    return result


CHILD_VOICE_CODE = "STAT_CHILD_VOICE_AUDITS"
CHILD_VOICE_DEFINITION = (
    "Share of audited cases (every case graded in the case audits in scope, multi- and "
    "single-agency) in which the child's voice was evidenced."
)


def audit_share(part: int, whole: int) -> float | None:
    """Every audit percentage (child's voice, a grade's share, "Good or better"): 100 x part /
    whole to one decimal, None when there are no cases. The one rounding rule."""
    return round(100 * part / whole, 1) if whole else None


def child_voice_statement(
    *,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> sa.Select[Any]:
    """THE child's voice count (`CHILD_VOICE_DEFINITION`): cases graded and cases with the
    child's voice evidenced, in the audits matching the filters (`start`/`end` bound the audit
    date, e.g. a financial year). The page, the pack's annual figure and the sample's annual
    return all count with this statement."""
    ids = _filtered_ids(
        theme=theme, year=year, agency_id=agency_id, audit_id=audit_id, start=start, end=end
    )
    return sa.select(
        sa.func.count().label("cases"),
        sa.func.coalesce(
            sa.func.sum(sa.case((AuditCase.child_voice_evidenced.is_(True), 1), else_=0)), 0
        ).label("evidenced"),
    ).where(AuditCase.audit_id.in_(ids))


def child_voice_counts(
    connection: sa.Connection | so.Session, statement: sa.Select[Any]
) -> dict[str, float | int | None]:
    """Run `child_voice_statement` on an open connection or session: cases, evidenced,
    share_pct (`audit_share`)."""
    row = connection.execute(statement).one()
    cases, evidenced = int(row[0]), int(row[1])
    return {"cases": cases, "evidenced": evidenced, "share_pct": audit_share(evidenced, cases)}


def child_voice(
    *,
    engine: sa.Engine,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> dict[str, float | int | None]:
    """Cases graded, cases with the child's voice evidenced, and the share (None if no cases).

    One definition (`CHILD_VOICE_DEFINITION`, `child_voice_statement`) for every surface.
    """
    statement = child_voice_statement(
        theme=theme, year=year, agency_id=agency_id, audit_id=audit_id, start=start, end=end
    )
    with engine.connect() as connection:
        return child_voice_counts(connection, statement)


def findings(
    *,
    engine: sa.Engine,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
) -> pd.DataFrame:
    """Findings of the matching audits, strengths first: id, audit_reference, kind, kind_label,
    text, cases_seen, cases_sampled (the counts are empty for a finding recorded without them)."""
    stmt = (
        sa.select(
            AuditFinding.id,
            Audit.reference.label("audit_reference"),
            AuditFinding.kind,
            AuditFinding.text,
            AuditFinding.cases_seen,
            AuditFinding.cases_sampled,
        )
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .where(*_audit_filter(theme=theme, year=year, agency_id=agency_id, audit_id=audit_id))
        .order_by(AuditFinding.kind.desc(), Audit.audit_date.desc(), AuditFinding.id)
    )
    result = frame(engine, stmt)
    result.insert(3, "kind_label", result["kind"].map(FINDING_LABELS))
    return result


def finding_counts(
    *,
    engine: sa.Engine,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
) -> dict[str, int]:
    """How many findings of each kind (`FINDING_LABELS`' keys) the matching audits recorded."""
    stmt = (
        sa.select(AuditFinding.kind, sa.func.count())
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .where(*_audit_filter(theme=theme, year=year, agency_id=agency_id, audit_id=audit_id))
        .group_by(AuditFinding.kind)
    )
    with engine.connect() as connection:
        counted = {str(kind): int(n) for kind, n in connection.execute(stmt)}
    return {kind: counted.get(kind, 0) for kind in FINDING_LABELS}


def findings_page(
    *,
    engine: sa.Engine,
    kind: str,
    offset: int,
    limit: int,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
) -> pd.DataFrame:
    """One page of one kind of finding, newest audit first: `limit` rows from `offset` (the query
    fetches only those). Columns: id, audit_reference, audit_date, kind, kind_label, text,
    cases_seen, cases_sampled."""
    stmt = (
        sa.select(
            AuditFinding.id,
            Audit.reference.label("audit_reference"),
            Audit.audit_date,
            AuditFinding.kind,
            AuditFinding.text,
            AuditFinding.cases_seen,
            AuditFinding.cases_sampled,
        )
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .where(
            AuditFinding.kind == kind,
            *_audit_filter(theme=theme, year=year, agency_id=agency_id, audit_id=audit_id),
        )
        .order_by(Audit.audit_date.desc(), Audit.reference.desc(), AuditFinding.id.desc())
        .offset(max(0, int(offset)))
        .limit(max(0, int(limit)))
    )
    result = frame(engine, stmt)
    result.insert(4, "kind_label", result["kind"].map(FINDING_LABELS))
    return result


def action_tracker(
    *,
    engine: sa.Engine,
    today: dt.date,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
    owner_agency_id: int | None = None,
) -> pd.DataFrame:
    """Actions of the matching audits, overdue first (most days overdue first), then by due date.

    Columns: id, audit_reference, description, owner_agency_id, owner_agency, due_date, status,
    status_label, completed_on, evidence, updated_by, updated_at, overdue, days_overdue
    (0 unless the action is open or in progress and past its due date on `today`).
    """
    stmt = (
        sa.select(
            AuditAction.id,
            Audit.reference.label("audit_reference"),
            AuditAction.description,
            AuditAction.owner_agency_id,
            Agency.name.label("owner_agency"),
            AuditAction.due_date,
            AuditAction.status,
            AuditAction.completed_on,
            AuditAction.evidence,
            AuditAction.updated_by,
            AuditAction.updated_at,
        )
        .join(Audit, Audit.id == AuditAction.audit_id)
        .join(Agency, Agency.id == AuditAction.owner_agency_id)
        .where(*_audit_filter(theme=theme, year=year, agency_id=agency_id, audit_id=audit_id))
    )
    if owner_agency_id is not None:
        stmt = stmt.where(AuditAction.owner_agency_id == owner_agency_id)
    actions = frame(engine, stmt)
    actions.insert(7, "status_label", actions["status"].map(ACTION_STATUS_LABELS))
    due = pd.to_datetime(actions["due_date"])
    late_by = (pd.Timestamp(today) - due).dt.days
    live = actions["status"].isin(LIVE_ACTION_STATUSES)
    actions["days_overdue"] = late_by.where(live & (late_by > 0), 0).fillna(0).astype(int)
    actions["overdue"] = actions["days_overdue"] > 0
    return actions.sort_values(
        ["overdue", "days_overdue", "due_date", "id"], ascending=[False, False, True, True]
    ).reset_index(drop=True)


def action_history(*, engine: sa.Engine, action_id: int) -> pd.DataFrame:
    """Every status change of one action, newest first: status, evidence, updated_by, updated_at."""
    stmt = (
        sa.select(
            AuditActionUpdate.status,
            AuditActionUpdate.evidence,
            AuditActionUpdate.updated_by,
            AuditActionUpdate.updated_at,
        )
        .where(AuditActionUpdate.action_id == action_id)
        .order_by(AuditActionUpdate.updated_at.desc(), AuditActionUpdate.id.desc())
    )
    return frame(engine, stmt)


def _case_profile(engine: sa.Engine) -> pd.DataFrame:
    """Per audit: cases, cases per grade and cases with the child's voice (GROUP BY in SQL)."""
    grade_columns = [
        sa.func.sum(sa.case((AuditCase.grade == grade, 1), else_=0)).label(grade)
        for grade in AUDIT_GRADES
    ]
    stmt = sa.select(
        AuditCase.audit_id,
        sa.func.count().label("cases"),
        *grade_columns,
        sa.func.sum(sa.case((AuditCase.child_voice_evidenced.is_(True), 1), else_=0)).label(
            "voice"
        ),
    ).group_by(AuditCase.audit_id)
    return frame(engine, stmt).set_index("audit_id")


def reaudit_comparisons(
    *,
    engine: sa.Engine,
    theme: str | None = None,
    year: int | None = None,
    agency_id: int | None = None,
    audit_id: int | None = None,
) -> pd.DataFrame:
    """Before and after, side by side, for every re-audit among the matching audits.

    A pair matches when either the re-audit or the audit it repeats matches the filters.
    One row per pair and measure (the four grades, "Good or better" and "Child's voice
    evidenced"): before_reference, after_reference, before_date, after_date, theme, measure,
    before_cases, after_cases, before_pct, after_pct, change_pts.
    """
    original = so.aliased(Audit)
    ids = _filtered_ids(theme=theme, year=year, agency_id=agency_id, audit_id=audit_id)
    stmt = (
        sa.select(
            original.id.label("before_id"),
            Audit.id.label("after_id"),
            original.reference.label("before_reference"),
            Audit.reference.label("after_reference"),
            original.audit_date.label("before_date"),
            Audit.audit_date.label("after_date"),
            Theme.name.label("theme"),
        )
        .join(original, original.id == Audit.reaudit_of_id)
        .join(Theme, Theme.code == Audit.theme_code)
        .where(sa.or_(Audit.id.in_(ids), original.id.in_(ids)))
        .order_by(Audit.audit_date.desc())
    )
    pairs = frame(engine, stmt)
    columns = [
        "before_reference",
        "after_reference",
        "before_date",
        "after_date",
        "theme",
        "measure",
        "before_cases",
        "after_cases",
        "before_pct",
        "after_pct",
        "change_pts",
    ]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    profile = _case_profile(engine)
    measures = [(GRADE_LABELS[g], [g]) for g in AUDIT_GRADES]
    measures.append(("Good or better", ["outstanding", "good"]))
    measures.append(("Child's voice evidenced", ["voice"]))
    rows = []
    for pair in pairs.itertuples(index=False):
        before = profile.loc[pair.before_id] if pair.before_id in profile.index else None
        after = profile.loc[pair.after_id] if pair.after_id in profile.index else None
        for measure, parts in measures:
            before_pct = _share(before, parts)
            after_pct = _share(after, parts)
            change = (
                round(after_pct - before_pct, 1)
                if before_pct is not None and after_pct is not None
                else None
            )
            rows.append(
                {
                    "before_reference": pair.before_reference,
                    "after_reference": pair.after_reference,
                    "before_date": pair.before_date,
                    "after_date": pair.after_date,
                    "theme": pair.theme,
                    "measure": measure,
                    "before_cases": int(before["cases"]) if before is not None else 0,
                    "after_cases": int(after["cases"]) if after is not None else 0,
                    "before_pct": before_pct,
                    "after_pct": after_pct,
                    "change_pts": change,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def _share(profile_row: pd.Series | None, parts: list[str]) -> float | None:
    if profile_row is None or not profile_row["cases"]:
        return None
    return audit_share(int(sum(profile_row[p] for p in parts)), int(profile_row["cases"]))
