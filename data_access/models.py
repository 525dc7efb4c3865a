"""SQLAlchemy 2.0 typed models: what the partnership keeps, with its rules enforced in the database.

Enumerated values (grades, RAG, statuses) are strings guarded by CHECK constraints rather than
database enums, so the same migration runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access.clock import utc_now

# Constraint names must agree across SQLite and PostgreSQL for Alembic to alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

THEMES = ("early_help", "mash", "neglect", "complex_safeguarding", "training")
SECTORS = ("council", "health", "police", "education", "voluntary", "justice", "housing")
AGENCY_TYPES = ("statutory_partner", "relevant_agency")
UNITS = ("count", "percentage", "rate_per_10k", "days", "score")
POLARITIES = ("higher_is_better", "lower_is_better", "neutral")
COMPARATOR_TYPES = ("england", "statistical_neighbours", "region")
GSS_SYMBOLS = ("c", "k", "u", "x", "z")
# A figure recorded as a bound (">40" = more than 40) rather than an exact value.
QUALIFIERS = ("more than", "less than", "at least", "at most")
FREQUENCIES = ("quarterly", "annual_financial", "annual_academic")
SUMMARY_CATEGORIES = ("working_well", "not_working_well", "next_steps")
AUDIT_GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
AUDIT_TYPES = ("multi_agency", "single_agency")
AUDIT_STATUSES = ("planned", "in_progress", "complete")
FINDING_KINDS = ("strength", "area_for_improvement")
ACTION_STATUSES = ("open", "in_progress", "complete", "cancelled")
RAG_RATINGS = ("red", "amber", "green")
# The self-assessment a standard set and cycle belong to: agencies' Section 11 (Children Act
# 2004) or schools' and colleges' annual safeguarding audit (Education Act 2002 s175 for
# maintained schools and further education, s157 for academies and independent schools).
SELF_ASSESSMENT_FRAMEWORKS = ("section_11", "education_175_157")
SECTION_11 = "section_11"
EDUCATION_175_157 = "education_175_157"
SETTING_PHASES = (
    "primary",
    "secondary",
    "all_through",
    "special",
    "alternative_provision",
    "college",
)
SETTING_DUTIES = ("section_175", "section_157")
CHALLENGE_KINDS = ("question", "evidence_request")
CHALLENGE_STATUSES = ("open", "answered", "accepted", "escalated")
DELIVERY_MODES = ("face_to_face", "virtual", "e_learning")
ROLES = ("executive", "qa_officer", "youth_council", "admin", "agency_submitter")
SUBMISSION_STATUSES = ("loaded", "rolled_back")
RAPID_REVIEW_OUTCOMES = ("pending", "no_further_review", "lcspr", "national_review")
RISK_STATUSES = ("open", "closed")
RISK_TRENDS = ("rising", "steady", "falling")
LEARNING_REVIEW_KINDS = (
    "local_review",
    "national_review",
    "scrutiny",
    "inspection",
    "improvement_plan",
)
DECISION_KINDS = ("decision", "action")
CONTACT_OUTCOMES = (
    "referral_to_social_care",
    "early_help",
    "no_further_action",
    "information_advice",
    "other_agency",
)
CONTACT_SOURCES = (
    "police",
    "schools",
    "health",
    "local_authority",
    "individual",
    "voluntary",
    "other",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(so.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


# --- Reference data ---------------------------------------------------------------------------


class Theme(Base):
    __tablename__ = "theme"
    __table_args__ = (sa.CheckConstraint(_in("code", THEMES), name="known_theme"),)

    code: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    youth_description: so.Mapped[str] = so.mapped_column(sa.Text)
    sort_order: so.Mapped[int] = so.mapped_column(default=0)


class Locality(Base):
    __tablename__ = "locality"
    __table_args__ = (sa.CheckConstraint("child_population >= 0", name="population_non_negative"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100), unique=True)
    child_population: so.Mapped[int] = so.mapped_column(default=0)
    # A retired locality keeps its figures but is offered for no new ones (issue 27).
    active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())


class Agency(Base):
    __tablename__ = "agency"
    __table_args__ = (
        sa.CheckConstraint(_in("sector", SECTORS), name="known_sector"),
        sa.CheckConstraint(_in("agency_type", AGENCY_TYPES), name="known_agency_type"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    sector: so.Mapped[str] = so.mapped_column(sa.String(20))
    agency_type: so.Mapped[str] = so.mapped_column(sa.String(30))
    # Section 175 (schools) rather than Section 11 self-assessment.
    section_175: so.Mapped[bool] = so.mapped_column(default=False)
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # The locality an agency serves, when it serves one (a locality team); blank for most.
    locality_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("locality.id"))


class ReportingPeriod(Base):
    """A reporting period: a financial-year quarter (2024-25 Q1 is April-June 2024), a financial
    year (2024-25, quarter 0) or an academic year (AY 2024/25, quarter 0); see periods.py."""

    __tablename__ = "reporting_period"
    __table_args__ = (
        sa.UniqueConstraint(
            "kind", "fy_start_year", "quarter", name="uq_reporting_period_kind_fy_quarter"
        ),
        sa.CheckConstraint(
            "(kind = 'quarter' AND quarter BETWEEN 1 AND 4) OR "
            "(kind IN ('financial_year', 'academic_year') AND quarter = 0)",
            name="quarter_fits_kind",
        ),
        sa.CheckConstraint("end_date > start_date", name="end_after_start"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(12), unique=True)  # "2024-25 Q1"
    fy_start_year: so.Mapped[int]
    quarter: so.Mapped[int]  # 1-4, or 0 for a whole year
    kind: so.Mapped[str] = so.mapped_column(
        sa.String(20), default="quarter", server_default="quarter"
    )
    start_date: so.Mapped[dt.date]
    end_date: so.Mapped[dt.date]


class Indicator(Base):
    """A row of the indicator catalogue (declared in data_access/catalogue/indicators.yaml)."""

    __tablename__ = "indicator"
    __table_args__ = (
        sa.CheckConstraint(_in("unit", UNITS), name="known_unit"),
        sa.CheckConstraint(_in("polarity", POLARITIES), name="known_polarity"),
        sa.CheckConstraint("rag_tolerance >= 0", name="tolerance_non_negative"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    theme_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("theme.code"), index=True)
    unit: so.Mapped[str] = so.mapped_column(sa.String(20))
    polarity: so.Mapped[str] = so.mapped_column(sa.String(20))
    target: so.Mapped[Optional[float]]
    rag_tolerance: so.Mapped[float] = so.mapped_column(default=0.0)
    definition: so.Mapped[str] = so.mapped_column(sa.Text)
    youth_description: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    source: so.Mapped[str] = so.mapped_column(sa.String(200))
    headline: so.Mapped[bool] = so.mapped_column(default=False)
    scorecard_ref: so.Mapped[Optional[str]] = so.mapped_column(sa.String(20))
    reported_by: so.Mapped[str] = so.mapped_column(sa.String(200), default="partnership")
    sort_order: so.Mapped[int] = so.mapped_column(default=0)
    # quarterly | annual_financial | annual_academic (migration 0006)
    frequency: so.Mapped[str] = so.mapped_column(
        sa.String(20), default="quarterly", server_default="quarterly"
    )


# --- Submissions and values ---------------------------------------------------------------------


class Submission(Base):
    """One file loaded into the store: who loaded it, when, and its checksum."""

    __tablename__ = "submission"
    __table_args__ = (
        sa.CheckConstraint(_in("status", SUBMISSION_STATUSES), name="known_status"),
        sa.CheckConstraint("row_count >= 0", name="row_count_non_negative"),
        # The newest files first, without sorting them all (migration 0012).
        sa.Index("ix_submission_submitted_at", "submitted_at", "id"),
        # Has this agency sent its return for this quarter, and before when? A seek, not a
        # scan; and the files received after a quarter's cut-off, a range (migration 0013).
        sa.Index("ix_submission_agency_period", "agency_id", "period_id", "status", "submitted_at"),
        sa.Index("ix_submission_period_received", "period_id", "status", "submitted_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    file_name: so.Mapped[str] = so.mapped_column(sa.String(255))
    checksum: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)  # sha256 hex
    submitted_by: so.Mapped[str] = so.mapped_column(sa.String(100))
    submitted_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    source: so.Mapped[str] = so.mapped_column(sa.String(20), default="upload")  # upload/cli/sample
    agency_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("agency.id"))
    period_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("reporting_period.id"))
    row_count: so.Mapped[int] = so.mapped_column(default=0)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="loaded")
    rolled_back_at: so.Mapped[Optional[dt.datetime]]
    rolled_back_by: so.Mapped[Optional[str]] = so.mapped_column(sa.String(100))
    notes: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)


class IndicatorValue(Base):
    """A figure for one indicator and quarter, for the partnership or one agency and/or locality.

    A resubmission marks the earlier row `is_current = false` and adds a new one: history is kept,
    and a partial unique index allows only one current row per indicator/period/agency/locality.
    """

    __tablename__ = "indicator_value"
    __table_args__ = (
        sa.CheckConstraint(
            "value IS NOT NULL OR status_symbol IS NOT NULL", name="value_or_symbol"
        ),
        sa.CheckConstraint(
            "status_symbol IS NULL OR " + _in("status_symbol", GSS_SYMBOLS), name="gss_symbol"
        ),
        sa.CheckConstraint("denominator IS NULL OR denominator >= 0", name="denominator_ge_0"),
        sa.CheckConstraint("numerator IS NULL OR numerator >= 0", name="numerator_ge_0"),
        sa.CheckConstraint(
            "numerator IS NULL OR denominator IS NULL OR numerator <= denominator",
            name="numerator_le_denominator",
        ),
        sa.Index(
            "uq_indicator_value_current",
            "indicator_id",
            "period_id",
            sa.text("coalesce(agency_id, 0)"),
            sa.text("coalesce(locality_id, 0)"),
            unique=True,
            sqlite_where=sa.text("is_current = 1"),
            postgresql_where=sa.text("is_current"),
        ),
        sa.Index("ix_indicator_value_lookup", "indicator_id", "is_current", "period_id"),
        # One measure's figures for one quarter by agency or locality (migration 0022). SQLite
        # only: PostgreSQL seeks them through uq_indicator_value_current, whose `is_current`
        # condition SQLite does not match to the queries' `is_current IS 1`.
        sa.Index(
            "ix_indicator_value_breakdown",
            "indicator_id",
            "period_id",
            "is_current",
            "agency_id",
            "locality_id",
        ).ddl_if(dialect="sqlite"),
        sa.Index(
            "ix_indicator_value_scope",
            "agency_id",
            "locality_id",
            "is_current",
            "period_id",
            "indicator_id",
        ),
        # A rollback finds the figures a submission replaced (migration 0011).
        sa.Index(
            "ix_indicator_value_superseded_by",
            "superseded_by_id",
            sqlite_where=sa.text("superseded_by_id IS NOT NULL"),
            postgresql_where=sa.text("superseded_by_id IS NOT NULL"),
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    indicator_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("indicator.id"))
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reporting_period.id"), index=True)
    agency_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("agency.id"))
    locality_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("locality.id"))
    value: so.Mapped[Optional[float]]
    numerator: so.Mapped[Optional[float]]
    denominator: so.Mapped[Optional[float]]
    status_symbol: so.Mapped[Optional[str]] = so.mapped_column(sa.String(1))
    submission_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("submission.id"), index=True
    )
    is_current: so.Mapped[bool] = so.mapped_column(default=True)
    superseded_by_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("indicator_value.id")
    )
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    # Figure qualifiers (migration 0006): the partner's comment on this figure, and a bound
    # ("more than" 40 for ">40") when the figure is a limit rather than an exact value.
    comment: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    qualifier: so.Mapped[Optional[str]] = so.mapped_column(sa.String(20))
    # A figure held as unusual at import and confirmed by an officer (migration 0014): why it
    # was held, who confirmed it and when. Every surface that shows the figure marks it.
    held_reason: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    confirmed_by: so.Mapped[Optional[str]] = so.mapped_column(sa.String(100))
    confirmed_at: so.Mapped[Optional[dt.datetime]]


class ComparatorValue(Base):
    """England, statistical-neighbour or regional figure for an indicator and period."""

    __tablename__ = "comparator_value"
    __table_args__ = (
        sa.UniqueConstraint(
            "indicator_id", "comparator_type", "period_id", name="uq_comparator_value_key"
        ),
        sa.CheckConstraint(_in("comparator_type", COMPARATOR_TYPES), name="known_type"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    indicator_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("indicator.id"))
    comparator_type: so.Mapped[str] = so.mapped_column(sa.String(30))
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reporting_period.id"))
    value: so.Mapped[float]
    source: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))


class MashContact(Base):
    """A pseudonymised front-door contact: received and decided timestamps, source and outcome."""

    __tablename__ = "mash_contact"
    __table_args__ = (
        sa.CheckConstraint(_in("source", CONTACT_SOURCES), name="known_source"),
        sa.CheckConstraint(_in("outcome", CONTACT_OUTCOMES), name="known_outcome"),
        sa.CheckConstraint(
            "decided_at IS NULL OR decided_at >= received_at", name="decided_after_received"
        ),
        sa.Index("ix_mash_contact_period_outcome", "period_id", "outcome"),
        sa.Index(
            "ix_mash_contact_period_source",
            "period_id",
            "source",
            "outcome",
            "decision_within_one_working_day",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    child_ref: so.Mapped[str] = so.mapped_column(sa.String(16))  # pseudonymised
    received_at: so.Mapped[dt.datetime]
    decided_at: so.Mapped[Optional[dt.datetime]]
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reporting_period.id"))
    locality_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("locality.id"))
    source: so.Mapped[str] = so.mapped_column(sa.String(30))
    outcome: so.Mapped[str] = so.mapped_column(sa.String(40))
    decision_within_one_working_day: so.Mapped[Optional[bool]]


# --- Assurance summaries ------------------------------------------------------------------------


class AssuranceSummary(Base):
    """A group's "working well / not working well / next steps" report for a theme and quarter."""

    __tablename__ = "assurance_summary"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    theme_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("theme.code"), index=True)
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reporting_period.id"), index=True)
    group_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    meeting_date: so.Mapped[dt.date]
    author: so.Mapped[str] = so.mapped_column(sa.String(100))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    # An edited summary is a new row; the old one is kept and points at its replacement.
    superseded_by_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("assurance_summary.id")
    )

    items: so.Mapped[list[AssuranceItem]] = so.relationship(
        back_populates="summary", cascade="all, delete-orphan", order_by="AssuranceItem.position"
    )


class AssuranceItem(Base):
    __tablename__ = "assurance_item"
    __table_args__ = (
        sa.CheckConstraint(_in("category", SUMMARY_CATEGORIES), name="known_category"),
        sa.CheckConstraint("length(text) > 0", name="text_not_empty"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    summary_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("assurance_summary.id", ondelete="CASCADE"), index=True
    )
    category: so.Mapped[str] = so.mapped_column(sa.String(20))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    position: so.Mapped[int] = so.mapped_column(default=0)

    summary: so.Mapped[AssuranceSummary] = so.relationship(back_populates="items")


# --- Audits -------------------------------------------------------------------------------------

audit_agency = sa.Table(
    "audit_agency",
    Base.metadata,
    sa.Column("audit_id", sa.ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("agency_id", sa.ForeignKey("agency.id"), primary_key=True),
)


class Audit(Base):
    __tablename__ = "audit"
    __table_args__ = (
        sa.CheckConstraint(_in("audit_type", AUDIT_TYPES), name="known_type"),
        sa.CheckConstraint(_in("status", AUDIT_STATUSES), name="known_status"),
        sa.CheckConstraint("sample_size >= 0", name="sample_size_non_negative"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    reference: so.Mapped[str] = so.mapped_column(sa.String(30), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    theme_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("theme.code"), index=True)
    audit_type: so.Mapped[str] = so.mapped_column(sa.String(20))
    audit_date: so.Mapped[dt.date]
    sample_size: so.Mapped[int] = so.mapped_column(default=0)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="complete")
    lead_agency_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("agency.id"))
    # A re-audit points at the audit it repeats, so before/after can be compared.
    reaudit_of_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("audit.id"))
    reaudit_due: so.Mapped[Optional[dt.date]]
    summary: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    created_by: so.Mapped[str] = so.mapped_column(sa.String(100), default="system")
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)

    cases: so.Mapped[list[AuditCase]] = so.relationship(cascade="all, delete-orphan")
    findings: so.Mapped[list[AuditFinding]] = so.relationship(cascade="all, delete-orphan")
    actions: so.Mapped[list[AuditAction]] = so.relationship(cascade="all, delete-orphan")
    agencies: so.Mapped[list[Agency]] = so.relationship(secondary=audit_agency)


class AuditCase(Base):
    """One pseudonymised case in an audit sample, with its grade."""

    __tablename__ = "audit_case"
    __table_args__ = (
        sa.UniqueConstraint("audit_id", "case_ref", name="uq_audit_case_ref"),
        sa.CheckConstraint(_in("grade", AUDIT_GRADES), name="known_grade"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    audit_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("audit.id", ondelete="CASCADE"), index=True
    )
    case_ref: so.Mapped[str] = so.mapped_column(sa.String(20))
    grade: so.Mapped[str] = so.mapped_column(sa.String(30))
    child_voice_evidenced: so.Mapped[bool]
    locality_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("locality.id"))


class AuditFinding(Base):
    __tablename__ = "audit_finding"
    __table_args__ = (sa.CheckConstraint(_in("kind", FINDING_KINDS), name="known_kind"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    audit_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("audit.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(30))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    # How many of the audit's sampled cases the finding was seen in (issue 26): the product
    # writes its own quantity words from these and checks the staff's words against them. Both
    # empty for a finding recorded without counts.
    cases_seen: so.Mapped[Optional[int]]
    cases_sampled: so.Mapped[Optional[int]]


class AuditAction(Base):
    __tablename__ = "audit_action"
    __table_args__ = (
        sa.CheckConstraint(_in("status", ACTION_STATUSES), name="known_status"),
        sa.CheckConstraint(
            "status <> 'complete' OR completed_on IS NOT NULL", name="complete_has_date"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    audit_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("audit.id", ondelete="CASCADE"), index=True
    )
    finding_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("audit_finding.id"))
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    owner_agency_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("agency.id"))
    due_date: so.Mapped[dt.date]
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="open")
    completed_on: so.Mapped[Optional[dt.date]]
    evidence: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    updated_by: so.Mapped[Optional[str]] = so.mapped_column(sa.String(100))
    updated_at: so.Mapped[Optional[dt.datetime]]


class AuditActionUpdate(Base):
    """History of an action's status changes, with the evidence offered each time."""

    __tablename__ = "audit_action_update"
    __table_args__ = (sa.CheckConstraint(_in("status", ACTION_STATUSES), name="known_status"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    action_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("audit_action.id", ondelete="CASCADE"), index=True
    )
    status: so.Mapped[str] = so.mapped_column(sa.String(20))
    evidence: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    updated_by: so.Mapped[str] = so.mapped_column(sa.String(100))
    updated_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)


# --- Section 11 ---------------------------------------------------------------------------------


class EducationSetting(Base):
    """A school or college that returns the annual safeguarding audit (section 175/157).

    Kept apart from `Agency`: a borough has dozens of settings, each answering one audit a year,
    while agencies are the partnership's members that load figures, own actions and answer
    challenges; listing every school wherever an agency is chosen would bury them.
    """

    __tablename__ = "education_setting"
    __table_args__ = (
        sa.CheckConstraint(_in("phase", SETTING_PHASES), name="known_phase"),
        sa.CheckConstraint(_in("duty", SETTING_DUTIES), name="known_duty"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # The DfE unique reference number (URN) or the partnership's own code.
    code: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    phase: so.Mapped[str] = so.mapped_column(sa.String(30))
    # section_175: maintained schools and further education; section_157: academies, free
    # schools and independent schools.
    duty: so.Mapped[str] = so.mapped_column(sa.String(20))
    locality_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("locality.id"))
    active: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())


class S11Standard(Base):
    """A standard of a self-assessment framework (Section 11 or the education audit)."""

    __tablename__ = "s11_standard"
    __table_args__ = (
        sa.UniqueConstraint("framework", "number", name="uq_s11_standard_framework"),
        sa.CheckConstraint(_in("framework", SELF_ASSESSMENT_FRAMEWORKS), name="known_framework"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    framework: so.Mapped[str] = so.mapped_column(
        sa.String(30), default=SECTION_11, server_default=SECTION_11
    )
    number: so.Mapped[int]
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    youth_description: so.Mapped[str] = so.mapped_column(sa.Text)


class S11Cycle(Base):
    """A round of one framework's self-assessments, with the date returns are due."""

    __tablename__ = "s11_cycle"
    __table_args__ = (
        sa.UniqueConstraint("framework", "name", name="uq_s11_cycle_framework"),
        sa.CheckConstraint(_in("framework", SELF_ASSESSMENT_FRAMEWORKS), name="known_framework"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    framework: so.Mapped[str] = so.mapped_column(
        sa.String(30), default=SECTION_11, server_default=SECTION_11
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(40))  # "2023-25"
    opens_on: so.Mapped[dt.date]
    due_on: so.Mapped[dt.date]


class S11Return(Base):
    """One respondent's self-assessment for one cycle: an agency's Section 11 return or a
    school's or college's safeguarding audit (exactly one of the two is set)."""

    __tablename__ = "s11_return"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "cycle_id", name="uq_s11_return_agency"),
        sa.UniqueConstraint("setting_id", "cycle_id", name="uq_s11_return_setting"),
        sa.CheckConstraint(
            "(agency_id IS NULL AND setting_id IS NOT NULL) "
            "OR (agency_id IS NOT NULL AND setting_id IS NULL)",
            name="one_respondent",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    agency_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("agency.id"))
    setting_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("education_setting.id"))
    cycle_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("s11_cycle.id"))
    submitted_on: so.Mapped[Optional[dt.date]]
    signed_off_by_role: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    # The file it was loaded from (None for one recorded otherwise): rolling back that file
    # withdraws the returns it brought.
    submission_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("submission.id"), index=True
    )

    ratings: so.Mapped[list[S11Rating]] = so.relationship(cascade="all, delete-orphan")


class S11Rating(Base):
    __tablename__ = "s11_rating"
    __table_args__ = (
        sa.UniqueConstraint("return_id", "standard_id", name="uq_s11_rating_standard"),
        sa.CheckConstraint(_in("rating", RAG_RATINGS), name="known_rating"),
        # A return's ratings counted from the index alone (migration 0013).
        sa.Index("ix_s11_rating_return_rating", "return_id", "standard_id", "rating"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    return_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("s11_return.id", ondelete="CASCADE"), index=True
    )
    standard_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("s11_standard.id"))
    rating: so.Mapped[str] = so.mapped_column(sa.String(10))
    evidence_summary: so.Mapped[str] = so.mapped_column(sa.Text)
    improvement_action: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)


class YouthChallenge(Base):
    """A youth council member's challenge to an agency about a standard. Never deleted."""

    __tablename__ = "youth_challenge"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", CHALLENGE_KINDS), name="known_kind"),
        sa.CheckConstraint(_in("status", CHALLENGE_STATUSES), name="known_status"),
        sa.CheckConstraint("length(text) BETWEEN 1 AND 2000", name="text_length"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    agency_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("agency.id"), index=True)
    standard_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("s11_standard.id"))
    cycle_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("s11_cycle.id"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    author: so.Mapped[str] = so.mapped_column(sa.String(100))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="open")


class ChallengeResponse(Base):
    """An agency's answer to a challenge, recorded by a QA officer. Never deleted."""

    __tablename__ = "challenge_response"
    __table_args__ = (
        sa.CheckConstraint(_in("status_after", CHALLENGE_STATUSES), name="known_status"),
        sa.CheckConstraint("length(text) BETWEEN 1 AND 4000", name="text_length"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    challenge_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("youth_challenge.id"), index=True)
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    author: so.Mapped[str] = so.mapped_column(sa.String(100))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    status_after: so.Mapped[str] = so.mapped_column(sa.String(20))


# --- Training -----------------------------------------------------------------------------------


class TrainingCourse(Base):
    __tablename__ = "training_course"
    __table_args__ = (sa.CheckConstraint(_in("delivery", DELIVERY_MODES), name="known_delivery"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    theme_code: so.Mapped[Optional[str]] = so.mapped_column(sa.ForeignKey("theme.code"))
    delivery: so.Mapped[str] = so.mapped_column(sa.String(20))


class TrainingSession(Base):
    __tablename__ = "training_session"
    __table_args__ = (sa.CheckConstraint("capacity > 0", name="capacity_positive"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    course_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("training_course.id"), index=True)
    session_date: so.Mapped[dt.date]
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reporting_period.id"), index=True)
    capacity: so.Mapped[int] = so.mapped_column(default=30)


class TrainingAttendance(Base):
    __tablename__ = "training_attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "agency_id", name="uq_training_attendance_agency"),
        sa.CheckConstraint("learners >= 0", name="learners_non_negative"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    session_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    agency_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("agency.id"))
    learners: so.Mapped[int]


class TrainingEvaluation(Base):
    """Pre/post self-rated knowledge for one session (counts rating 'good' or 'significant')."""

    __tablename__ = "training_evaluation"
    __table_args__ = (
        sa.UniqueConstraint("session_id", name="uq_training_evaluation_session"),
        sa.CheckConstraint("respondents >= 0", name="respondents_non_negative"),
        sa.CheckConstraint("pre_good_or_better <= respondents", name="pre_le_respondents"),
        sa.CheckConstraint("post_good_or_better <= respondents", name="post_le_respondents"),
        sa.CheckConstraint("objectives_met <= respondents", name="objectives_le_respondents"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    session_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("training_session.id", ondelete="CASCADE")
    )
    respondents: so.Mapped[int]
    pre_good_or_better: so.Mapped[int]
    post_good_or_better: so.Mapped[int]
    objectives_met: so.Mapped[int]


class TrainingFollowUp(Base):
    """A 3-6 month impact follow-up, classified by Kirkpatrick level (1 reaction ... 4 results)."""

    __tablename__ = "training_follow_up"
    __table_args__ = (
        sa.CheckConstraint("kirkpatrick_level BETWEEN 1 AND 4", name="kirkpatrick_1_to_4"),
        sa.CheckConstraint("reporting_impact <= respondents", name="impact_le_respondents"),
        # A year's follow-ups by level, read from the index alone (migration 0022).
        sa.Index(
            "ix_training_follow_up_date_level",
            "followed_up_on",
            "kirkpatrick_level",
            "respondents",
            "reporting_impact",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    session_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("training_session.id", ondelete="CASCADE"), index=True
    )
    followed_up_on: so.Mapped[dt.date]
    kirkpatrick_level: so.Mapped[int]
    respondents: so.Mapped[int]
    reporting_impact: so.Mapped[int]
    example: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)


# --- Reviews, risks, scrutiny -------------------------------------------------------------------


class RapidReview(Base):
    __tablename__ = "rapid_review"
    __table_args__ = (
        sa.CheckConstraint(_in("outcome", RAPID_REVIEW_OUTCOMES), name="known_outcome"),
        sa.CheckConstraint(
            "decided_on IS NULL OR decided_on >= notified_on", name="decided_after_notified"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    reference: so.Mapped[str] = so.mapped_column(sa.String(30), unique=True)
    incident_on: so.Mapped[dt.date]
    notified_on: so.Mapped[dt.date]
    decided_on: so.Mapped[Optional[dt.date]]
    outcome: so.Mapped[str] = so.mapped_column(sa.String(30), default="pending")
    theme_code: so.Mapped[Optional[str]] = so.mapped_column(sa.ForeignKey("theme.code"))
    learning_summary: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    panel_view: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)  # the national panel's view


class CaseReviewAction(Base):
    """A recommendation and the action agreed on it, from a rapid review or a learning review
    (local or national practice review, scrutiny, inspection, improvement plan; issue 29).

    "Complete" (with evidence of completion) and "made a difference" (evidence of impact: a
    re-audit, a measure that moved) are different things, kept in different columns.
    """

    __tablename__ = "case_review_action"
    __table_args__ = (
        sa.CheckConstraint(_in("status", ACTION_STATUSES), name="known_status"),
        sa.CheckConstraint("(rapid_review_id IS NULL) <> (review_id IS NULL)", name="one_source"),
        sa.CheckConstraint(
            "status <> 'complete' OR completed_on IS NOT NULL", name="complete_has_date"
        ),
        sa.CheckConstraint(
            "impact_evidence IS NULL OR status = 'complete'", name="impact_after_completion"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    rapid_review_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("rapid_review.id"), index=True
    )
    review_id: so.Mapped[Optional[int]] = so.mapped_column(
        sa.ForeignKey("learning_review.id"), index=True
    )
    recommendation: so.Mapped[str] = so.mapped_column(sa.Text)
    owner_agency_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("agency.id"))
    due_date: so.Mapped[dt.date]
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="open")
    response: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)  # the partners' response
    action: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)  # what was agreed
    progress: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)  # status in words
    completed_on: so.Mapped[Optional[dt.date]]
    completion_evidence: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    impact_evidence: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    impact_on: so.Mapped[Optional[dt.date]]
    updated_by: so.Mapped[Optional[str]] = so.mapped_column(sa.String(100))
    updated_at: so.Mapped[Optional[dt.datetime]]


class Risk(Base):
    """Partnership risk register entry; scores above 12 (likelihood x impact) escalate."""

    __tablename__ = "risk"
    __table_args__ = (
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_1_to_5"),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name="impact_1_to_5"),
        sa.CheckConstraint(_in("status", RISK_STATUSES), name="known_status"),
        sa.CheckConstraint(
            "likelihood_after IS NULL OR likelihood_after BETWEEN 1 AND 5",
            name="likelihood_after_1_to_5",
        ),
        sa.CheckConstraint(
            "impact_after IS NULL OR impact_after BETWEEN 1 AND 5", name="impact_after_1_to_5"
        ),
        sa.CheckConstraint("trend IS NULL OR " + _in("trend", RISK_TRENDS), name="known_trend"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    reference: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    theme_code: so.Mapped[Optional[str]] = so.mapped_column(sa.ForeignKey("theme.code"))
    likelihood: so.Mapped[int]
    impact: so.Mapped[int]
    owner_agency_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("agency.id"))
    mitigation: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)  # the controls in place
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default="open")
    review_on: so.Mapped[Optional[dt.date]]
    # Issue 29: the register's full entry.
    owner: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))  # a person or role
    cause: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    consequence: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    likelihood_after: so.Mapped[Optional[int]]  # after the controls
    impact_after: so.Mapped[Optional[int]]
    further_actions: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    trend: so.Mapped[Optional[str]] = so.mapped_column(sa.String(10))
    updated_by: so.Mapped[Optional[str]] = so.mapped_column(sa.String(100))
    updated_at: so.Mapped[Optional[dt.datetime]]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class ScrutinyJudgement(Base):
    """The independent scrutineer's RAG judgement against one of the nine Wood criteria."""

    __tablename__ = "scrutiny_judgement"
    __table_args__ = (
        sa.UniqueConstraint("criterion_number", "year", name="uq_scrutiny_judgement_year"),
        sa.CheckConstraint("criterion_number BETWEEN 1 AND 9", name="criterion_1_to_9"),
        sa.CheckConstraint(_in("rating", RAG_RATINGS), name="known_rating"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    criterion_number: so.Mapped[int]
    criterion: so.Mapped[str] = so.mapped_column(sa.String(300))
    year: so.Mapped[int]  # financial year start
    rating: so.Mapped[str] = so.mapped_column(sa.String(10))
    commentary: so.Mapped[str] = so.mapped_column(sa.Text)
    judged_on: so.Mapped[dt.date]


# --- People, the audit log, meetings and board packs -------------------------------------------


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (
        sa.CheckConstraint(_in("role", ROLES), name="known_role"),
        sa.CheckConstraint("failed_attempts >= 0", name="failed_attempts_non_negative"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    display_name: so.Mapped[str] = so.mapped_column(sa.String(120))
    email: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(100))  # bcrypt only
    role: so.Mapped[str] = so.mapped_column(sa.String(20))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    failed_attempts: so.Mapped[int] = so.mapped_column(default=0)
    locked_until: so.Mapped[Optional[dt.datetime]]
    is_demo: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    # The second factor (issue 30; data_access/second_factor.py): the authenticator app's
    # base32 secret once enrolled, when, and the last time-step a code was accepted for (a code
    # of that step or an earlier one is a replay).
    totp_secret: so.Mapped[Optional[str]] = so.mapped_column(sa.String(64))
    totp_enrolled_at: so.Mapped[Optional[dt.datetime]]
    totp_last_step: so.Mapped[Optional[int]] = so.mapped_column(sa.BigInteger)


class AuditLogEntry(Base):
    """Sign-ins, failures, lockouts, sign-outs and every data change made through the app."""

    __tablename__ = "audit_log"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    occurred_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now, index=True)
    username: so.Mapped[Optional[str]] = so.mapped_column(sa.String(60), index=True)
    event: so.Mapped[str] = so.mapped_column(sa.String(40), index=True)
    page: so.Mapped[Optional[str]] = so.mapped_column(sa.String(100))
    detail: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    # The hash chain (data_access.audit_log): the previous entry's hash and this entry's own.
    # Nullable only because `record` sets them after the INSERT that assigns the id.
    prev_hash: so.Mapped[Optional[str]] = so.mapped_column(sa.String(64))
    entry_hash: so.Mapped[Optional[str]] = so.mapped_column(sa.String(64))


class MeetingDecision(Base):
    """A chair's decision or action from an executive meeting, shown on the theme pages."""

    __tablename__ = "meeting_decision"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", DECISION_KINDS), name="known_kind"),
        sa.CheckConstraint(_in("status", ACTION_STATUSES), name="known_status"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_date: so.Mapped[dt.date]
    theme_code: so.Mapped[Optional[str]] = so.mapped_column(sa.ForeignKey("theme.code"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(10))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    owner: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    due_date: so.Mapped[Optional[dt.date]]
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="open")
    recorded_by: so.Mapped[str] = so.mapped_column(sa.String(100))
    recorded_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)


class BoardPack(Base):
    """A generated board pack, frozen "as presented": the file itself and its checksum."""

    __tablename__ = "board_pack"
    __table_args__ = (sa.CheckConstraint("file_format IN ('pdf', 'pptx')", name="known_format"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    period_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reporting_period.id"))
    file_format: so.Mapped[str] = so.mapped_column(sa.String(10))
    file_name: so.Mapped[str] = so.mapped_column(sa.String(255))
    checksum: so.Mapped[str] = so.mapped_column(sa.String(64))
    content: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary, deferred=True)
    size_bytes: so.Mapped[int]
    data_cutoff: so.Mapped[dt.datetime]
    submission_ids: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    generated_by: so.Mapped[str] = so.mapped_column(sa.String(100))
    generated_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    # The store's data version the pack was made from (None for packs kept before issue 31): a
    # later request for the same quarter and data reuses the pack instead of building it again.
    data_version: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)


# --- Performance: the data version every server process checks -------------------------------


class DataVersion(Base):
    """One row whose version moves with every change to the data (see data_access.data_version)."""

    __tablename__ = "data_version"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)


# --- SPC: recorded changes in a process (control-chart rebasing) -----------------------------


class SpcProcessChange(Base):
    """A change in the process behind an indicator (a new service, a changed definition), from
    `period_code` on: its control chart starts new limits there. Withdrawn rows are kept, so the
    history of who rebased what and why survives a correction."""

    __tablename__ = "spc_process_change"
    __table_args__ = (
        sa.CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
        sa.CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawn_by IS NULL)", name="withdrawn_by_and_at"
        ),
        # One live change per indicator and quarter; a withdrawn one may be recorded again.
        sa.Index(
            "uq_spc_process_change_live",
            "indicator_code",
            "period_code",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    indicator_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("indicator.code"), index=True)
    period_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("reporting_period.code"))
    reason: so.Mapped[str] = so.mapped_column(sa.Text)
    recorded_by: so.Mapped[str] = so.mapped_column(sa.String(100))
    recorded_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    withdrawn_by: so.Mapped[Optional[str]] = so.mapped_column(sa.String(100))
    withdrawn_at: so.Mapped[Optional[dt.datetime]]
    withdrawal_reason: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)


# --- Texts for young people (youth council pages) ------------------------------------------------

# "learning": what the partnership learned from a review and changed (issue 29), key "RR|RR-2025-01"
# or "LR|LCSPR-2025-01" (a rapid review's or a learning review's reference).
YOUTH_TEXT_SUBJECTS = ("theme_point", "s11_evidence", "s11_action", "learning")
YOUTH_TEXT_STATUSES = ("waiting", "approved", "returned", "superseded")


class YouthText(Base):
    """A plain-words version of a staff text, written for young people and approved by a second
    person before the youth pages show it. Staff texts never reach the youth pages themselves.

    `subject` and `subject_key` say what it is for with natural keys that survive a reload:
    theme_point "early_help|2026-27 Q2|working_well"; s11_evidence / s11_action
    "2024-26|MPOL|3" (cycle name, agency code, standard number). Never deleted: a newer approved
    version marks the older one superseded.
    """

    __tablename__ = "youth_text"
    __table_args__ = (
        sa.CheckConstraint(_in("subject", YOUTH_TEXT_SUBJECTS), name="known_subject"),
        sa.CheckConstraint(_in("status", YOUTH_TEXT_STATUSES), name="known_status"),
        sa.CheckConstraint("length(text) BETWEEN 1 AND 2000", name="text_length"),
        # The second pair of eyes is enforced by the database, not only by the form.
        sa.CheckConstraint("approver IS NULL OR approver <> author", name="approver_not_author"),
        sa.CheckConstraint(
            "status NOT IN ('approved', 'superseded') OR "
            "(approver IS NOT NULL AND approved_at IS NOT NULL)",
            name="approved_has_approver",
        ),
        sa.Index("ix_youth_text_subject_key", "subject", "subject_key"),
        # The newest texts first, all or by status, without sorting them all (migration 0012).
        sa.Index("ix_youth_text_created_at", "created_at", "id"),
        sa.Index("ix_youth_text_status_created_at", "status", "created_at", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    subject: so.Mapped[str] = so.mapped_column(sa.String(20))
    subject_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    purpose: so.Mapped[str] = so.mapped_column(sa.String(300))  # what it is for, in words
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    author: so.Mapped[str] = so.mapped_column(sa.String(100))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="waiting")
    approver: so.Mapped[Optional[str]] = so.mapped_column(sa.String(100))
    approved_at: so.Mapped[Optional[dt.datetime]]
    note: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)  # why it was sent back


# --- Sign-in sessions and single sign-on identities (auth) -------------------------------------

SESSION_METHODS = ("password", "sso")


class UserSession(Base):
    """One signed-in session, checked on every run; the browser holds only its random id.

    Only the SHA-256 of the id is stored, so a copy of this table cannot be replayed as cookies.
    """

    __tablename__ = "user_session"
    __table_args__ = (sa.CheckConstraint(_in("method", SESSION_METHODS), name="known_method"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    method: so.Mapped[str] = so.mapped_column(sa.String(10))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    last_seen_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    expires_at: so.Mapped[dt.datetime]
    ended_at: so.Mapped[Optional[dt.datetime]]
    end_reason: so.Mapped[Optional[str]] = so.mapped_column(sa.String(40))


SSO_KINDS = ("subject", "email")


class SsoIdentity(Base):
    """An identity at one provider (issuer) that signs in as a user (issue 30).

    `kind` "subject": the provider's `sub` claim, compared exactly (case and spaces count).
    `kind` "email": a lower-case email address, matched only when the provider says it is
    verified and the provider is allowed to match emails (SSO_EMAIL_ISSUERS). An issuer of ""
    is a link made before issue 30 whose provider was not recorded: it matches nothing.
    """

    __tablename__ = "sso_identity"
    __table_args__ = (
        sa.UniqueConstraint("issuer", "kind", "identity"),
        sa.CheckConstraint(_in("kind", SSO_KINDS), name="known_kind"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    issuer: so.Mapped[str] = so.mapped_column(sa.String(300))
    kind: so.Mapped[str] = so.mapped_column(sa.String(10))
    identity: so.Mapped[str] = so.mapped_column(sa.String(200))
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)


# --- Issue 27: people belong to agencies -------------------------------------------------------


class UserAgency(Base):
    """An account linked to an agency: an agency submitter loads returns for its agencies only."""

    __tablename__ = "user_agency"

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    agency_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("agency.id"), primary_key=True)


# --- issue 28: statutory returns read directly ------------------------------------------------

STATUTORY_COLLECTIONS = ("cin", "ssda903", "annex_a")


class StatutoryReturn(Base):
    """A statutory return whose figures were loaded: its collection, year and file checksum.

    Only these and the number of children the file held: nothing about any child is kept. The
    figures themselves are the submission's indicator values, rolled back like any return's.
    """

    __tablename__ = "statutory_return"
    __table_args__ = (
        sa.CheckConstraint(_in("collection", STATUTORY_COLLECTIONS), name="known_collection"),
        sa.CheckConstraint("children >= 0", name="children_non_negative"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    submission_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("submission.id", ondelete="CASCADE"), unique=True
    )
    collection: so.Mapped[str] = so.mapped_column(sa.String(20))
    year_code: so.Mapped[str] = so.mapped_column(sa.String(10))
    reference_date: so.Mapped[dt.date]
    checksum: so.Mapped[str] = so.mapped_column(sa.String(64))  # sha256 hex of the file read
    children: so.Mapped[int] = so.mapped_column(default=0)


# --- Issue 27: the DfE's published figures (migration 0016) ------------------------------------


class PartnershipCouncil(Base):
    """A council the partnership covers (`qa-dashboard init-db --council`), by its DfE codes."""

    __tablename__ = "partnership_council"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    old_la_code: so.Mapped[str] = so.mapped_column(sa.String(10), unique=True)  # "356"
    new_la_code: so.Mapped[Optional[str]] = so.mapped_column(sa.String(12))  # "E08000007"
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    region_name: so.Mapped[str] = so.mapped_column(sa.String(60))
    added_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    added_by: so.Mapped[str] = so.mapped_column(sa.String(100))


class PublishedRelease(Base):
    """One release of published figures loaded into the store (the shipped tables, or a later
    file loaded with `qa-dashboard published load`), by name and checksum."""

    __tablename__ = "published_release"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    file_name: so.Mapped[str] = so.mapped_column(sa.String(255))
    checksum: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    loaded_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    loaded_by: so.Mapped[str] = so.mapped_column(sa.String(100))
    figure_count: so.Mapped[int] = so.mapped_column(default=0)


class PublishedFigure(Base):
    """A figure the DfE published for one measure, area (council, region, England) and year.

    `value` is empty where the DfE published none ("-"): a gap, never a zero. A later release
    that revises a figure adds a row and marks the earlier one not current (`revises_id` points
    at it), so every release's figure is kept.
    """

    __tablename__ = "published_figure"
    __table_args__ = (
        sa.UniqueConstraint(
            "measure_code", "area_code", "year", "release_id", name="uq_published_figure_key"
        ),
        sa.Index("ix_published_figure_lookup", "measure_code", "year", "is_current"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    measure_code: so.Mapped[str] = so.mapped_column(sa.String(40))  # the DfE's short name
    area_code: so.Mapped[str] = so.mapped_column(sa.String(10))  # old LA code, 970 England...
    area_name: so.Mapped[str] = so.mapped_column(sa.String(100))
    region_name: so.Mapped[Optional[str]] = so.mapped_column(sa.String(60))
    year: so.Mapped[int]  # the year to 31 March: 2020 is 2019-20
    value: so.Mapped[Optional[float]]
    release_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("published_release.id"), index=True)
    is_current: so.Mapped[bool] = so.mapped_column(default=True)
    revises_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("published_figure.id"))


# --- Issue 29: learning reviews (practice reviews, scrutiny, inspection, improvement plan) -------


class LearningReview(Base):
    """A source of recommendations other than a rapid review: a local child safeguarding practice
    review (decided on, published within six months or the reason why not), learning from a
    national review, the independent scrutineer's report, an inspection, the improvement plan.
    Its recommendations and actions are rows of `case_review_action`."""

    __tablename__ = "learning_review"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", LEARNING_REVIEW_KINDS), name="known_kind"),
        sa.CheckConstraint(
            "published_on IS NULL OR decided_on IS NULL OR published_on >= decided_on",
            name="published_after_decided",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    reference: so.Mapped[str] = so.mapped_column(sa.String(30), unique=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    rapid_review_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("rapid_review.id"))
    decided_on: so.Mapped[Optional[dt.date]]  # the decision to hold it, or the report's date
    published_on: so.Mapped[Optional[dt.date]]
    delay_reason: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    summary: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)  # the learning, for staff
    recorded_by: so.Mapped[str] = so.mapped_column(sa.String(100))
    recorded_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)


class LearningReviewTheme(Base):
    """A theme a learning review concerns; its theme page shows the learning."""

    __tablename__ = "learning_review_theme"

    review_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("learning_review.id", ondelete="CASCADE"), primary_key=True
    )
    theme_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("theme.code"), primary_key=True)


class YearlyReport(Base):
    """A draft of the partnership's yearly report (Working Together 2023), made from the store
    and kept "as made": the file itself and its checksum, like a board pack."""

    __tablename__ = "yearly_report"
    __table_args__ = (sa.CheckConstraint("file_format IN ('pdf', 'docx')", name="known_format"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    year_code: so.Mapped[str] = so.mapped_column(sa.String(10), index=True)  # "2025-26"
    file_format: so.Mapped[str] = so.mapped_column(sa.String(10))
    file_name: so.Mapped[str] = so.mapped_column(sa.String(255))
    checksum: so.Mapped[str] = so.mapped_column(sa.String(64))
    content: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary, deferred=True)
    size_bytes: so.Mapped[int]
    generated_by: so.Mapped[str] = so.mapped_column(sa.String(100))
    generated_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)


# --- issue 30: second factor ---------------------------------------------------------------


class RecoveryCode(Base):
    """A one-use recovery code for the second factor: only its SHA-256 is kept."""

    __tablename__ = "recovery_code"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("app_user.id", ondelete="CASCADE"), index=True
    )
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[dt.datetime] = so.mapped_column(default=utc_now)
    used_at: so.Mapped[Optional[dt.datetime]]
