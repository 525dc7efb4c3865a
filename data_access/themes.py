"""Queries behind the theme pages and the overview: series, comparators, breakdowns, drill-down,
audit findings and actions, and the theme-specific aggregates (front-door contacts, training).

Every query aggregates or filters in SQL and returns a DataFrame; nothing loads a whole table.
Scope: a figure is for the partnership (no agency, no locality), one agency (no locality), one
locality (no agency), or one agency in one locality; filters pick exactly one of these scopes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from data_access import audits, catalogue, rollup
from data_access.annual_figures import figure_note
from data_access.models import (
    Agency,
    Audit,
    AuditFinding,
    ComparatorValue,
    Indicator,
    IndicatorValue,
    Locality,
    MashContact,
    ReportingPeriod,
    Submission,
    Theme,
    TrainingAttendance,
    TrainingCourse,
    TrainingEvaluation,
    TrainingFollowUp,
    TrainingSession,
)
from data_access.periods import (
    ACADEMIC_YEAR,
    FINANCIAL_YEAR,
    QUARTER,
    Quarter,
    parse_period,
)
from data_access.queries_common import frame

DIMENSIONS = ("agency", "locality")
# Which indicators report for each kind of period (catalogue frequency), and back.
FREQUENCY_OF_KIND = {
    QUARTER: "quarterly",
    FINANCIAL_YEAR: "annual_financial",
    ACADEMIC_YEAR: "annual_academic",
}
KIND_OF_FREQUENCY = {v: k for k, v in FREQUENCY_OF_KIND.items()}


def _indicator_filter(
    theme_code: str | None, headline_only: bool, frequency: str | None = None
) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if theme_code:
        conditions.append(Indicator.theme_code == theme_code)
    if headline_only:
        conditions.append(Indicator.headline.is_(True))
    if frequency:
        conditions.append(Indicator.frequency == frequency)
    return conditions


def _scope(agency_code: str | None, locality_code: str | None) -> list[sa.ColumnElement[bool]]:
    """Conditions choosing exactly one scope of figures (partnership, agency, locality or both)."""
    agency_id = sa.select(Agency.id).where(Agency.code == agency_code).scalar_subquery()
    locality_id = sa.select(Locality.id).where(Locality.code == locality_code).scalar_subquery()
    return [
        IndicatorValue.agency_id == agency_id
        if agency_code
        else IndicatorValue.agency_id.is_(None),
        IndicatorValue.locality_id == locality_id
        if locality_code
        else IndicatorValue.locality_id.is_(None),
    ]


def _period_bounds(from_period: str | None, to_period: str | None) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if from_period:
        conditions.append(ReportingPeriod.start_date >= parse_period(from_period).start_date)
    if to_period:
        conditions.append(ReportingPeriod.start_date <= parse_period(to_period).start_date)
    return conditions


def indicator_history(
    *,
    engine: sa.Engine,
    theme_code: str | None = None,
    headline_only: bool = False,
    agency_code: str | None = None,
    locality_code: str | None = None,
    from_period: str | None = None,
    to_period: str | None = None,
    period_kind: str | None = None,
) -> pd.DataFrame:
    """Current values per indicator and quarter for one scope, in catalogue then date order.

    `period_kind` ("quarter", "financial_year", "academic_year") keeps only the indicators that
    report for that kind of period (their catalogue frequency) and only figures for such periods.

    Columns: code, name, theme_code, theme_name, unit, polarity, target, tolerance, headline,
    sort_order, period_code, start_date, value, numerator, denominator, status_symbol, comment
    (the partner's note on the figure), qualifier (a bound: "more than" for ">40"), confirmed_by
    and confirmed_at (who confirmed a figure held as unusual at import, and when), period_kind
    (quarter, financial_year, academic_year) and frequency (quarterly, annual_financial,
    annual_academic). Indicators with no figure in range appear once with empty period and value
    columns, so the scorecard can say "no data" for them.
    """
    values = (
        sa.select(
            IndicatorValue.indicator_id,
            ReportingPeriod.code.label("period_code"),
            ReportingPeriod.start_date,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.status_symbol,
            IndicatorValue.comment,
            IndicatorValue.qualifier,
            IndicatorValue.confirmed_by,
            IndicatorValue.confirmed_at,
            ReportingPeriod.kind.label("period_kind"),
        )
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(
            IndicatorValue.is_current.is_(True),
            *_scope(agency_code, locality_code),
            *_period_bounds(from_period, to_period),
            *([ReportingPeriod.kind == period_kind] if period_kind else []),
        )
        .subquery()
    )
    stmt = (
        sa.select(
            Indicator.code,
            Indicator.name,
            Indicator.theme_code,
            Theme.name.label("theme_name"),
            Indicator.unit,
            Indicator.polarity,
            Indicator.target,
            Indicator.rag_tolerance.label("tolerance"),
            Indicator.headline,
            Indicator.sort_order,
            values.c.period_code,
            values.c.start_date,
            values.c.value,
            values.c.numerator,
            values.c.denominator,
            values.c.status_symbol,
            values.c.comment,
            values.c.qualifier,
            values.c.confirmed_by,
            values.c.confirmed_at,
            values.c.period_kind,
            Indicator.frequency,
        )
        .join(Theme, Theme.code == Indicator.theme_code)
        .outerjoin(values, values.c.indicator_id == Indicator.id)
        .where(
            *_indicator_filter(
                theme_code, headline_only, FREQUENCY_OF_KIND[period_kind] if period_kind else None
            )
        )
        .order_by(Theme.sort_order, Indicator.sort_order, values.c.start_date)
    )
    return frame(engine, stmt)


def history_to_quarter(
    *,
    engine: sa.Engine,
    period_code: str,
    theme_code: str | None = None,
    headline_only: bool = False,
    agency_code: str | None = None,
    locality_code: str | None = None,
) -> pd.DataFrame:
    """Every period of each indicator's figures up to and including `period_code`, for one scope.

    The input of the brief (`dashboard.metrics.brief`): deliberately without a "from" period, so
    no verdict depends on the periods a chart happens to display. `period_code` is a quarter
    ("2025-26 Q2"), a financial year ("2024-25") or an academic year ("AY 2024/25"): only the
    indicators reported for that kind of period are listed (an annual indicator is never a
    "no data" row of a quarter, nor a quarterly one of a year), with only that kind of period's
    figures. Only the chosen scope's rows are read (partnership-level figures unless an agency
    and/or locality is given), filtered in SQL. Columns as `indicator_history`.
    """
    period = parse_period(period_code)  # a malformed code is an error here, not an empty brief
    return indicator_history(
        engine=engine,
        theme_code=theme_code,
        headline_only=headline_only,
        agency_code=agency_code,
        locality_code=locality_code,
        to_period=period.code,
        period_kind=period.kind,
    )


def annual_periods(*, engine: sa.Engine, theme_code: str | None = None) -> pd.DataFrame:
    """Years (financial and academic) holding a current partnership figure of an annual
    indicator (of one theme, or any), in date order.

    Columns: code, kind (financial_year / academic_year), start_date, end_date, figures (how many
    of the theme's annual indicators have a figure that year).
    """
    stmt = (
        sa.select(
            ReportingPeriod.code,
            ReportingPeriod.kind,
            ReportingPeriod.start_date,
            ReportingPeriod.end_date,
            sa.func.count(sa.distinct(IndicatorValue.indicator_id)).label("figures"),
        )
        .join(IndicatorValue, IndicatorValue.period_id == ReportingPeriod.id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
            ReportingPeriod.kind.in_((FINANCIAL_YEAR, ACADEMIC_YEAR)),
            Indicator.frequency.in_(("annual_financial", "annual_academic")),
            *_indicator_filter(theme_code, False),
        )
        .group_by(
            ReportingPeriod.code,
            ReportingPeriod.kind,
            ReportingPeriod.start_date,
            ReportingPeriod.end_date,
        )
        .order_by(ReportingPeriod.start_date, ReportingPeriod.kind)
    )
    result = frame(engine, stmt)
    result["figures"] = pd.to_numeric(result["figures"]).fillna(0).astype("int64")
    return result


def year_before_or_on(years: pd.DataFrame, period_code: str | None) -> str | None:
    """The latest year in `years` (annual_periods rows of one kind) that has ended by the end of
    `period_code` (a quarter, or None), else the latest year; None when `years` is empty."""
    if years.empty:
        return None
    ordered = years.sort_values("end_date")
    if period_code:
        end = parse_period(period_code).end_date
        ended = ordered[pd.to_datetime(ordered["end_date"]).dt.date <= end]
        if not ended.empty:
            return str(ended["code"].iloc[-1])
    return str(ordered["code"].iloc[-1])


def comparator_series(
    *, engine: sa.Engine, theme_code: str | None = None, headline_only: bool = False
) -> pd.DataFrame:
    """England / statistical-neighbour / regional figures: code, period_code, comparator_type,
    value."""
    stmt = (
        sa.select(
            Indicator.code,
            ReportingPeriod.code.label("period_code"),
            ReportingPeriod.start_date,
            ComparatorValue.comparator_type,
            ComparatorValue.value,
        )
        .join(Indicator, Indicator.id == ComparatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == ComparatorValue.period_id)
        .where(*_indicator_filter(theme_code, headline_only))
        .order_by(Indicator.sort_order, ReportingPeriod.start_date)
    )
    return frame(engine, stmt)


def localities(*, engine: sa.Engine) -> pd.DataFrame:
    """Localities: code, name, child_population."""
    return frame(
        engine,
        sa.select(Locality.code, Locality.name, Locality.child_population).order_by(Locality.name),
    )


def _breakdown_select(
    theme_code: str, period_code: str, dimension: str, indicator_code: str | None
) -> tuple[sa.Select[*tuple[Any, ...]], type[Agency] | type[Locality]]:
    """The current figures per agency (or locality) alone for one quarter, unordered."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}, not {dimension!r}")
    group = Agency if dimension == "agency" else Locality
    own_key = IndicatorValue.agency_id if dimension == "agency" else IndicatorValue.locality_id
    other_key = IndicatorValue.locality_id if dimension == "agency" else IndicatorValue.agency_id
    stmt = (
        sa.select(
            Indicator.code,
            Indicator.name,
            Indicator.unit,
            Indicator.polarity,
            Indicator.target,
            group.code.label("group_code"),
            group.name.label("group_name"),
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.status_symbol,
            IndicatorValue.comment,
            IndicatorValue.qualifier,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(group, group.id == own_key)
        .where(
            Indicator.theme_code == theme_code,
            # The quarter's id, found once: the figures are then a seek on the lookup index.
            IndicatorValue.period_id
            == sa.select(ReportingPeriod.id)
            .where(ReportingPeriod.code == period_code)
            .scalar_subquery(),
            IndicatorValue.is_current.is_(True),
            other_key.is_(None),
        )
    )
    if indicator_code is not None:
        stmt = stmt.where(Indicator.code == indicator_code)
    return stmt, group


def breakdown(
    *,
    engine: sa.Engine,
    theme_code: str,
    period_code: str,
    dimension: str,
    indicator_code: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> pd.DataFrame:
    """Each indicator's current figure per agency (or per locality) for one quarter.

    Columns: code, name, unit, polarity, target, group_code, group_name, value, numerator,
    denominator, status_symbol, comment, qualifier. Only figures for that dimension alone (not
    agency x locality), A to Z by name. With `indicator_code`, that indicator's figures only (a
    page shows one indicator at a time); with `limit`, one page of them from `offset` (a
    partnership of thousands of agencies is not sent whole on every page view).
    """
    stmt, group = _breakdown_select(theme_code, period_code, dimension, indicator_code)
    stmt = stmt.order_by(Indicator.sort_order, group.name, group.id)
    if limit is not None:
        stmt = stmt.offset(offset).limit(limit)
    return frame(engine, stmt)


def across_total(kind: str, unit: str, rows: pd.DataFrame) -> rollup.Rolled:
    """The total of one indicator's figures across agencies or localities (`rows` with value,
    numerator, denominator, as `breakdown` gives them) by the catalogue's one rule
    (`rollup.roll_up(..., over=rollup.ACROSS)`): counts added up (a count on a day too: the same
    day everywhere), a percentage or rate worked out again from the summed parts, a mean weighted
    by what it is a mean of. No value, and the reason, when it cannot be totalled honestly."""
    parts = [
        rollup.part(v, n, d)
        for v, n, d in zip(rows["value"], rows["numerator"], rows["denominator"], strict=True)
    ]
    return rollup.roll_up(kind, unit, parts, over=rollup.ACROSS)


def breakdown_total(
    *,
    engine: sa.Engine,
    theme_code: str,
    period_code: str,
    dimension: str,
    indicator_code: str,
) -> dict[str, Any]:
    """One indicator's total across its agencies (or localities) in a quarter or year.

    Keys: value (None when it cannot be totalled honestly), numerator, denominator, reason
    (why not, in words), groups (how many agencies or localities), rule (how the total is made,
    in words: the catalogue's `across_words`).
    """
    spec = catalogue.indicator(indicator_code)
    rows = breakdown(
        engine=engine,
        theme_code=theme_code,
        period_code=period_code,
        dimension=dimension,
        indicator_code=indicator_code,
    )
    rolled = across_total(spec.aggregation, spec.unit, rows)
    return {
        "value": rolled.value,
        "numerator": rolled.numerator,
        "denominator": rolled.denominator,
        "reason": rolled.reason,
        "groups": len(rows),
        "rule": spec.across_words,
    }


def breakdown_counts(
    *,
    engine: sa.Engine,
    theme_code: str,
    period_code: str,
    dimension: str,
    indicator_code: str,
) -> dict[str, int]:
    """How many rows `breakdown` has for one indicator ("rows") and how many of them hold a
    figure ("figures"; the others are suppressed or missing)."""
    stmt, _ = _breakdown_select(theme_code, period_code, dimension, indicator_code)
    inner = stmt.subquery()
    counts = sa.select(sa.func.count(), sa.func.count(inner.c.value))
    with engine.connect() as connection:
        rows, figures = connection.execute(counts).one()
    return {"rows": int(rows), "figures": int(figures)}


def breakdown_largest(
    *,
    engine: sa.Engine,
    theme_code: str,
    period_code: str,
    dimension: str,
    indicator_code: str,
    limit: int,
) -> pd.DataFrame:
    """The `limit` largest figures of one indicator by agency (or locality), largest first (equal
    figures A to Z): what a bar chart of thousands of agencies draws. Columns as `breakdown`."""
    stmt, group = _breakdown_select(theme_code, period_code, dimension, indicator_code)
    stmt = (
        stmt.where(IndicatorValue.value.is_not(None))
        .order_by(IndicatorValue.value.desc(), group.name, group.id)
        .limit(limit)
    )
    return frame(engine, stmt)


def drilldown_rows(
    *,
    engine: sa.Engine,
    indicator_code: str,
    period_code: str,
    agency_code: str | None = None,
    locality_code: str | None = None,
    include_superseded: bool = False,
    limit: int = 500,
) -> pd.DataFrame:
    """The stored indicator_value rows behind a figure, with the file each came from.

    Columns: value_id, indicator, quarter, agency, locality, value, numerator, denominator,
    status_symbol, qualifier, comment, marked_as, is_current, submission_file, submitted_by,
    submitted_at, created_at (qualifier and comment: the partner's bound and note on the figure;
    marked_as: `annual_figures.figure_note`, the symbol's meaning, the bound and the comment in
    one line, as the scorecard's note on the figure says it).
    Without an agency or locality every row for the indicator and quarter is returned.
    """
    stmt = (
        sa.select(
            IndicatorValue.id.label("value_id"),
            Indicator.code.label("indicator"),
            ReportingPeriod.code.label("quarter"),
            Agency.name.label("agency"),
            Locality.name.label("locality"),
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
            IndicatorValue.status_symbol,
            IndicatorValue.qualifier,
            IndicatorValue.comment,
            IndicatorValue.is_current,
            Submission.file_name.label("submission_file"),
            Submission.submitted_by,
            Submission.submitted_at,
            IndicatorValue.created_at,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .outerjoin(Agency, Agency.id == IndicatorValue.agency_id)
        .outerjoin(Locality, Locality.id == IndicatorValue.locality_id)
        .outerjoin(Submission, Submission.id == IndicatorValue.submission_id)
        .where(Indicator.code == indicator_code, ReportingPeriod.code == period_code)
        .order_by(Agency.name.nulls_first(), Locality.name.nulls_first(), IndicatorValue.id)
        .limit(limit)
    )
    if agency_code:
        stmt = stmt.where(Agency.code == agency_code)
    if locality_code:
        stmt = stmt.where(Locality.code == locality_code)
    if not include_superseded:
        stmt = stmt.where(IndicatorValue.is_current.is_(True))
    rows = frame(engine, stmt)
    notes = [
        figure_note(s, q, c)
        for s, q, c in zip(rows["status_symbol"], rows["qualifier"], rows["comment"], strict=True)
    ]
    rows.insert(rows.columns.get_loc("comment") + 1, "marked_as", pd.Series(notes, dtype=object))
    return rows


def theme_actions(
    *, engine: sa.Engine, theme_code: str, today: dt.date | None = None, open_only: bool = True
) -> pd.DataFrame:
    """Actions from the theme's audits, overdue first (most overdue at the top), then by due date.

    The audit action tracker (`data_access.audits.action_tracker`) owns the overdue rule; this is
    its theme view. Columns: audit_reference, action, owner_agency, due_date, status,
    days_overdue (0 when not overdue).
    """
    actions = audits.action_tracker(engine=engine, today=today or dt.date.today(), theme=theme_code)
    if open_only:
        actions = actions[actions["status"].isin(audits.LIVE_ACTION_STATUSES)]
    columns = [
        "audit_reference",
        "description",
        "owner_agency",
        "due_date",
        "status",
        "days_overdue",
    ]
    return actions[columns].rename(columns={"description": "action"}).reset_index(drop=True)


def theme_findings(*, engine: sa.Engine, theme_code: str, limit: int = 50) -> pd.DataFrame:
    """Findings of the theme's audits, newest audit first: audit_reference, audit_title,
    audit_date, kind (strength / area_for_improvement), finding, cases_seen, cases_sampled."""
    stmt = (
        sa.select(
            Audit.reference.label("audit_reference"),
            Audit.title.label("audit_title"),
            Audit.audit_date,
            AuditFinding.kind,
            AuditFinding.text.label("finding"),
            AuditFinding.cases_seen,
            AuditFinding.cases_sampled,
        )
        .join(Audit, Audit.id == AuditFinding.audit_id)
        .where(Audit.theme_code == theme_code)
        .order_by(Audit.audit_date.desc(), AuditFinding.id)
        .limit(limit)
    )
    return frame(engine, stmt)


# --- Theme-specific aggregates -----------------------------------------------------------------


def mash_contacts_by_source(*, engine: sa.Engine, period_code: str) -> pd.DataFrame:
    """Front-door contacts in a quarter grouped by source and outcome (counted in SQL).

    Columns: source, outcome, contacts, decided_within_1wd.
    """
    within = sa.case((MashContact.decision_within_one_working_day.is_(True), 1), else_=0)
    stmt = (
        sa.select(
            MashContact.source,
            MashContact.outcome,
            sa.func.count().label("contacts"),
            sa.func.sum(within).label("decided_within_1wd"),
        )
        # The quarter's id as a scalar subquery, not a join on its code: joined, PostgreSQL
        # could not tell which quarter's share of the contacts it would read and scanned all
        # of them (6.4 million at scale 60: 565 ms); by id it reads the quarter's from
        # ix_mash_contact_period_* (172 ms).
        .where(
            MashContact.period_id
            == sa.select(ReportingPeriod.id)
            .where(ReportingPeriod.code == period_code)
            .scalar_subquery()
        )
        .group_by(MashContact.source, MashContact.outcome)
        .order_by(MashContact.source, MashContact.outcome)
    )
    result = frame(engine, stmt)
    for column in ("contacts", "decided_within_1wd"):
        result[column] = pd.to_numeric(result[column]).fillna(0).astype("int64")
    return result


def _learners_in_quarter(period_code: str) -> sa.Select[*tuple[Any, ...]]:
    """Attendance rows of the quarter's sessions, found by the quarter's id (one index seek)."""
    period_id = (
        sa.select(ReportingPeriod.id).where(ReportingPeriod.code == period_code).scalar_subquery()
    )
    return (
        sa.select(TrainingAttendance)
        .join(TrainingSession, TrainingSession.id == TrainingAttendance.session_id)
        .where(TrainingSession.period_id == period_id)
    )


def training_learners_by_agency(
    *, engine: sa.Engine, period_code: str, offset: int = 0, limit: int | None = None
) -> pd.DataFrame:
    """Learners attending multi-agency training in a quarter, per agency: agency, sector,
    learners, sessions; most learners first (then by name), `limit` rows from `offset` when
    given (a page of a table, or the bars of a chart)."""
    attended = _learners_in_quarter(period_code).subquery()
    learners = sa.func.sum(attended.c.learners)
    stmt = (
        sa.select(
            Agency.name.label("agency"),
            Agency.sector,
            learners.label("learners"),
            sa.func.count(sa.distinct(attended.c.session_id)).label("sessions"),
        )
        .join(Agency, Agency.id == attended.c.agency_id)
        .group_by(Agency.id, Agency.name, Agency.sector)
        .order_by(learners.desc(), Agency.name, Agency.id)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    result = frame(engine, stmt)
    if result.empty:
        return pd.DataFrame(columns=["agency", "sector", "learners", "sessions"])
    result["learners"] = pd.to_numeric(result["learners"]).fillna(0).astype("int64")
    result["sessions"] = pd.to_numeric(result["sessions"]).astype("int64")
    return result


def training_learners_totals(*, engine: sa.Engine, period_code: str) -> dict[str, int]:
    """How many agencies sent learners to training in a quarter, and how many learners in all."""
    attended = _learners_in_quarter(period_code).subquery()
    stmt = sa.select(
        sa.func.count(sa.distinct(attended.c.agency_id)),
        sa.func.coalesce(sa.func.sum(attended.c.learners), 0),
    )
    with engine.connect() as connection:
        agencies, learners = connection.execute(stmt).one()
    return {"agencies": int(agencies), "learners": int(learners)}


def training_evaluation_by_quarter(
    *, engine: sa.Engine, from_period: str | None = None, to_period: str | None = None
) -> pd.DataFrame:
    """Pre/post knowledge and objectives met per quarter, summed over sessions.

    Columns: period_code, start_date, sessions, respondents, pre_good_or_better,
    post_good_or_better, objectives_met, pre_pct, post_pct, uplift_pct (percentage points),
    objectives_met_pct.
    """
    stmt = (
        sa.select(
            ReportingPeriod.code.label("period_code"),
            ReportingPeriod.start_date,
            sa.func.count(TrainingEvaluation.id).label("sessions"),
            sa.func.sum(TrainingEvaluation.respondents).label("respondents"),
            sa.func.sum(TrainingEvaluation.pre_good_or_better).label("pre_good_or_better"),
            sa.func.sum(TrainingEvaluation.post_good_or_better).label("post_good_or_better"),
            sa.func.sum(TrainingEvaluation.objectives_met).label("objectives_met"),
        )
        .join(TrainingSession, TrainingSession.id == TrainingEvaluation.session_id)
        .join(ReportingPeriod, ReportingPeriod.id == TrainingSession.period_id)
        .where(*_period_bounds(from_period, to_period))
        .group_by(ReportingPeriod.code, ReportingPeriod.start_date)
        .order_by(ReportingPeriod.start_date)
    )
    result = frame(engine, stmt)
    counts = ["respondents", "pre_good_or_better", "post_good_or_better", "objectives_met"]
    for column in counts:
        result[column] = pd.to_numeric(result[column]).fillna(0).astype("int64")
    respondents = result["respondents"].where(result["respondents"] > 0)
    result["pre_pct"] = (result["pre_good_or_better"] / respondents * 100).round(1)
    result["post_pct"] = (result["post_good_or_better"] / respondents * 100).round(1)
    result["uplift_pct"] = (result["post_pct"] - result["pre_pct"]).round(1)
    result["objectives_met_pct"] = (result["objectives_met"] / respondents * 100).round(1)
    return result


def kirkpatrick_levels(*, engine: sa.Engine, period_code: str, quarters: int = 4) -> pd.DataFrame:
    """Follow-ups made in the `quarters` quarters ending with `period_code`, per Kirkpatrick level.

    Columns: level (1-4), level_name, follow_ups, respondents, reporting_impact, impact_pct.
    Every level appears, with zeros when there was no follow-up at that level.
    """
    last = Quarter.parse(period_code)
    first = last
    for _ in range(quarters - 1):
        first = first.previous()
    stmt = (
        sa.select(
            TrainingFollowUp.kirkpatrick_level.label("level"),
            sa.func.count(TrainingFollowUp.id).label("follow_ups"),
            sa.func.sum(TrainingFollowUp.respondents).label("respondents"),
            sa.func.sum(TrainingFollowUp.reporting_impact).label("reporting_impact"),
        )
        .where(TrainingFollowUp.followed_up_on.between(first.start_date, last.end_date))
        .group_by(TrainingFollowUp.kirkpatrick_level)
    )
    found = frame(engine, stmt).set_index("level")
    names = {1: "1 Reaction", 2: "2 Learning", 3: "3 Behaviour", 4: "4 Results"}
    rows = []
    for level, name in names.items():
        hit = found.loc[level] if level in found.index else None
        respondents = int(hit["respondents"] or 0) if hit is not None else 0
        impact = int(hit["reporting_impact"] or 0) if hit is not None else 0
        rows.append(
            {
                "level": level,
                "level_name": name,
                "follow_ups": int(hit["follow_ups"]) if hit is not None else 0,
                "respondents": respondents,
                "reporting_impact": impact,
                "impact_pct": round(impact / respondents * 100, 1) if respondents else None,
            }
        )
    return pd.DataFrame(rows)


def training_courses_count(*, engine: sa.Engine, theme_code: str | None = None) -> int:
    """How many courses are declared (optionally for one theme)."""
    stmt = sa.select(sa.func.count(TrainingCourse.id))
    if theme_code:
        stmt = stmt.where(TrainingCourse.theme_code == theme_code)
    with engine.connect() as connection:
        return int(connection.execute(stmt).scalar_one())
