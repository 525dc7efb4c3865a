"""Build the fictional Brookvale partnership into a store: deterministic, seeded, any size.

`build_sample(engine)` replaces every non-catalogue row (agencies, localities, periods, values,
contacts, audits, Section 11, training, reviews, risks...) with the sample partnership. The same
seed, scale and `today` always give the same rows. It writes with Core bulk inserts in batches, and
streams front-door contacts and indicator values, so a benchmark-sized build keeps memory bounded.

Scale: 1 is the demo (about 50,000 children, 4 localities, 15 agencies). Below 1 the same borough
with fewer children (smaller volumes, for quick tests). Above 1 the borough grows: about 4 x scale
localities and 140 more agencies per unit of scale. The benchmark store is `--scale 60`: with 30
quarters (April 2019 to September 2026) it holds about 1.3 million indicator values and 6.4 million
contacts. Measured on SQLite (2 shared cores): scale 1 in about 2-3 s, a 16 MB file; scale 60 in
about 150 s, a 1.1 GB file, peak memory about 750 MB.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import bcrypt
import numpy as np
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log, catalogue, learning_figures, statistics
from data_access import audits as audit_reads
from data_access.catalogue import IndicatorSpec
from data_access.db import session_scope
from data_access.models import (
    EDUCATION_175_157,
    SECTION_11,
    Agency,
    AssuranceItem,
    AssuranceSummary,
    Audit,
    AuditAction,
    AuditActionUpdate,
    AuditCase,
    AuditFinding,
    AuditLogEntry,
    Base,
    CaseReviewAction,
    ChallengeResponse,
    ComparatorValue,
    DataVersion,
    EducationSetting,
    Indicator,
    IndicatorValue,
    LearningReview,
    LearningReviewTheme,
    Locality,
    MashContact,
    MeetingDecision,
    RapidReview,
    ReportingPeriod,
    Risk,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Standard,
    ScrutinyJudgement,
    Submission,
    Theme,
    TrainingAttendance,
    TrainingCourse,
    TrainingEvaluation,
    TrainingFollowUp,
    TrainingSession,
    User,
    UserAgency,
    YouthChallenge,
    YouthText,
    audit_agency,
)
from data_access.reference import sync_catalogue
from sample_data import (
    annual,
    assurance,
    audit_records,
    challenge_records,
    education_records,
    governance_records,
    learning_records,
    review_records,
    section11_records,
    youth_texts,
)
from sample_data.comparators import build_comparators
from sample_data.contacts import QuarterContacts, generate_contacts
from sample_data.demo_accounts import DEMO_ACCOUNTS
from sample_data.partnership import (
    LEAD_AGENCY_BY_SECTOR,
    MISSING_LATEST_RETURN,
    Partnership,
    build_partnership,
)
from sample_data.series import Context, Figure, IndicatorSeries, build_series
from sample_data.timeline import Timeline, at_time, rng_for
from sample_data.training import build_training

INSERT_BATCH = 20_000
SUBMITTED_BY = "sample-data"
# Catalogue tables (kept) and tables whose rows are history the sample must not erase.
KEEP_TABLES = {
    Theme.__tablename__,
    Indicator.__tablename__,
    S11Standard.__tablename__,
    AuditLogEntry.__tablename__,
    User.__tablename__,
    # The store's data-version counter is not data: deleting its one row stopped the version
    # moving, so other processes' caches never saw a later change (issue 31).
    DataVersion.__tablename__,
}


BCRYPT_ROUNDS = 10
# One row for a bulk insert: column name -> value.
Row = dict[str, Any]


@dataclass
class SampleSummary:
    """What a build wrote: rows per table and how long it took."""

    scale: float
    seed: int
    first_period: str
    latest_period: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        width = max((len(name) for name in self.counts), default=10)
        lines = [
            f"Sample partnership (Brookvale) built: scale {self.scale:g}, seed {self.seed}, "
            f"{self.first_period} to {self.latest_period}",
        ]
        lines += [f"  {name:<{width}}  {count:>12,}" for name, count in self.counts.items()]
        lines.append(f"  {'total':<{width}}  {self.total_rows:>12,}")
        lines.append(f"Finished in {self.seconds:.1f} s")
        return "\n".join(lines)


def store_has_data(engine: sa.Engine) -> bool:
    """True if the store holds any indicator values (so the sample should not overwrite it)."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(IndicatorValue.__tablename__):
            return False
        return connection.execute(sa.select(IndicatorValue.id).limit(1)).first() is not None


class _Writer:
    """Bulk inserts in batches, counting rows per table."""

    def __init__(self, session: so.Session) -> None:
        self.session = session
        self.counts: dict[str, int] = {}

    def insert(self, table: sa.Table | type[Base], rows: Iterable[Row]) -> int:
        tbl = table if isinstance(table, sa.Table) else cast(sa.Table, table.__table__)
        batch: list[Row] = []
        written = 0
        for row in rows:
            batch.append(row)
            if len(batch) >= INSERT_BATCH:
                self.session.execute(sa.insert(tbl), batch)
                written += len(batch)
                batch = []
        if batch:
            self.session.execute(sa.insert(tbl), batch)
            written += len(batch)
        self.counts[tbl.name] = self.counts.get(tbl.name, 0) + written
        return written


def _clear(session: so.Session) -> None:
    """Delete every non-catalogue row, children before parents; demo users are replaced too."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in KEEP_TABLES:
            continue
        session.execute(sa.delete(table))
    session.execute(sa.delete(User).where(User.is_demo.is_(True)))


def _reset_sequences(session: so.Session) -> None:
    """On PostgreSQL, move each id sequence past the ids written explicitly here."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c or table.name in KEEP_TABLES:
            continue
        highest = session.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
        session.execute(
            sa.text("SELECT setval(pg_get_serial_sequence(:name, 'id'), :value, :called)"),
            {"name": table.name, "value": max(highest, 1), "called": highest > 0},
        )


def build_sample(
    engine: sa.Engine,
    *,
    scale: float = 1.0,
    seed: int = 2019,
    today: dt.date | None = None,
    force: bool = False,
) -> SampleSummary:
    """Replace all non-catalogue data with the fictional Brookvale partnership; return a summary.

    Refuses (StoreNotDisposable) a store holding real data or named by DATABASE_URL unless
    `force`: see sample_data.safety.
    """
    from sample_data.safety import check_disposable

    check_disposable(engine, force=force)
    started = time.perf_counter()
    today = today or dt.date.today()
    timeline = Timeline.until(today)
    partnership = build_partnership(scale, seed)
    summary = SampleSummary(scale, seed, timeline.quarters[0].code, timeline.latest.code)

    with session_scope(engine) as session:
        sync_catalogue(session)
        _clear(session)
        writer = _Writer(session)
        _load(session, writer, timeline, partnership, seed)
        audit_log.record(
            session,
            username=SUBMITTED_BY,
            event="sample_loaded",
            page="sample_data",
            detail=f"Brookvale sample: scale {scale:g}, seed {seed}, "
            f"{timeline.quarters[0].code} to {timeline.latest.code}",
        )
        _reset_sequences(session)
        # After the ids written explicitly: the timeliness indicators from the learning records.
        written = learning_figures.refresh(
            session,
            today=timeline.today,
            now=dt.datetime.combine(timeline.today, dt.time()),
        )
        writer.counts["indicator_value"] = writer.counts.get("indicator_value", 0) + written
    # Every table was rewritten: give the planner statistics for what it now holds.
    statistics.analyze(engine)
    _youth_measure_points(engine, timeline)
    summary.counts = writer.counts
    summary.seconds = time.perf_counter() - started
    return summary


def _load(
    session: so.Session, writer: _Writer, timeline: Timeline, partnership: Partnership, seed: int
) -> None:
    # Reference rows: localities, agencies, periods.
    # The localities' child populations are the latest year's, the same figures as that
    # year's CHILD_POPULATION return and its rates' denominators (one rule, in partnership.py).
    populations = partnership.locality_populations(timeline.latest.fy_start_year)
    writer.insert(
        Locality,
        (
            {"id": i, "code": loc.code, "name": loc.name, "child_population": population}
            for i, (loc, population) in enumerate(
                zip(partnership.localities, populations, strict=True), start=1
            )
        ),
    )
    writer.insert(
        Agency,
        (
            {
                "id": i,
                "code": a.code,
                "name": a.name,
                "sector": a.sector,
                "agency_type": a.agency_type,
                "section_175": a.section_175,
                "active": True,
            }
            for i, a in enumerate(partnership.agencies, start=1)
        ),
    )
    writer.insert(
        ReportingPeriod,
        (
            {
                "id": i,
                "code": q.code,
                "fy_start_year": q.fy_start_year,
                "quarter": q.quarter,
                "start_date": q.start_date,
                "end_date": q.end_date,
            }
            for i, q in enumerate(timeline.quarters, start=1)
        ),
    )
    locality_ids = list(range(1, len(partnership.localities) + 1))
    agency_ids = {a.code: i for i, a in enumerate(partnership.agencies, start=1)}
    period_ids = list(range(1, timeline.n + 1))
    indicator_ids = dict(session.execute(sa.select(Indicator.code, Indicator.id)).tuples().all())
    standard_ids = list(
        session.scalars(
            sa.select(S11Standard.id)
            .where(S11Standard.framework == SECTION_11)
            .order_by(S11Standard.number)
        )
    )

    # Front-door contacts, streamed; their counts feed the MASH indicators.
    contact_aggs: list[QuarterContacts] = [QuarterContacts() for _ in timeline.quarters]

    def contact_rows() -> Iterable[Row]:
        for t, agg, rows in generate_contacts(
            seed=seed,
            timeline=timeline,
            partnership=partnership,
            period_ids=period_ids,
            locality_ids=locality_ids,
            first_id=1,
        ):
            contact_aggs[t] = agg
            yield from rows

    writer.insert(MashContact, contact_rows())

    training = build_training(
        seed=seed,
        timeline=timeline,
        partnership=partnership,
        period_ids=period_ids,
        agency_ids=agency_ids,
    )
    writer.insert(TrainingCourse, training.courses)
    writer.insert(TrainingSession, training.sessions)
    writer.insert(TrainingAttendance, training.attendance)
    writer.insert(TrainingEvaluation, training.evaluations)
    writer.insert(TrainingFollowUp, training.follow_ups)

    ctx = Context(seed, timeline, partnership, contact_aggs, training.by_quarter)
    declared = [s for s in catalogue.indicators() if s.code in indicator_ids]
    # The timeliness indicators are worked out from the learning records, written below.
    specs = [s for s in declared if not s.is_annual and s.code not in learning_figures.CODES]
    series = {spec.code: build_series(ctx, spec) for spec in specs}

    _write_values(
        writer,
        timeline,
        partnership,
        seed,
        specs,
        series,
        indicator_ids,
        agency_ids,
        locality_ids,
        period_ids,
    )
    _write_annual_values(
        session,
        writer,
        timeline,
        partnership,
        seed,
        [s for s in declared if s.is_annual],
        series,
        indicator_ids,
        agency_ids,
        locality_ids,
    )
    # The financial years just written: the annual statutory indicators' published comparators.
    year_ids = dict(
        session.execute(
            sa.select(ReportingPeriod.code, ReportingPeriod.id).where(
                ReportingPeriod.kind == "financial_year"
            )
        ).all()
    )
    writer.insert(
        ComparatorValue,
        build_comparators(
            seed, timeline, specs, series, indicator_ids, period_ids, year_ids=year_ids
        ),
    )

    summaries, items = assurance.build_summaries(ctx, series, period_ids)
    writer.insert(AssuranceSummary, summaries)
    writer.insert(AssuranceItem, items)

    audits = audit_records.build_audits(
        seed=seed,
        timeline=timeline,
        partnership=partnership,
        agency_ids=agency_ids,
        locality_ids=locality_ids,
    )
    writer.insert(Audit, audits.audits)
    writer.insert(audit_agency, audits.audit_agencies)
    writer.insert(AuditCase, audits.cases)
    writer.insert(AuditFinding, audits.findings)
    writer.insert(AuditAction, audits.actions)
    writer.insert(AuditActionUpdate, audits.updates)
    _child_voice_annual(session, indicator_ids)

    cycles, returns, ratings = section11_records.build_section11(
        seed=seed,
        timeline=timeline,
        partnership=partnership,
        agency_ids=agency_ids,
        standard_ids=standard_ids,
    )
    writer.insert(S11Cycle, cycles)
    writer.insert(S11Return, returns)
    writer.insert(S11Rating, ratings)
    education = education_records.build_education(
        seed=seed,
        timeline=timeline,
        partnership=partnership,
        locality_ids=locality_ids,
        standard_ids=list(
            session.scalars(
                sa.select(S11Standard.id)
                .where(S11Standard.framework == EDUCATION_175_157)
                .order_by(S11Standard.number)
            )
        ),
        first_cycle_id=len(cycles) + 1,
        first_return_id=len(returns) + 1,
        first_rating_id=len(ratings) + 1,
    )
    writer.insert(EducationSetting, education.settings)
    writer.insert(S11Cycle, education.cycles)
    writer.insert(S11Return, education.returns)
    writer.insert(S11Rating, education.ratings)
    challenges, responses = challenge_records.build_challenges(
        timeline=timeline,
        agency_ids=agency_ids,
        standard_ids=standard_ids,
        cycle_id=cycles[-1]["id"],
    )
    writer.insert(YouthChallenge, challenges)
    writer.insert(ChallengeResponse, responses)
    writer.insert(
        YouthText,
        youth_texts.build_youth_texts(
            seed=seed,
            timeline=timeline,
            cycles=cycles,
            returns=returns,
            ratings=ratings,
            agency_codes={
                i: a.code for a, i in zip(partnership.agencies, agency_ids.values(), strict=True)
            },
            agency_names={
                i: a.name for a, i in zip(partnership.agencies, agency_ids.values(), strict=True)
            },
            standard_numbers={sid: n for n, sid in enumerate(standard_ids, start=1)},
        ),
    )

    reviews, review_actions = review_records.build_reviews(
        seed=seed, timeline=timeline, agency_ids=agency_ids
    )
    learning_records.enrich_reviews(reviews)
    learning_records.enrich_actions(review_actions, seed=seed, timeline=timeline)
    learning, learning_tags, learning_actions = learning_records.build_learning_reviews(
        seed=seed,
        timeline=timeline,
        agency_ids=agency_ids,
        reviews=reviews,
        first_action_id=len(review_actions) + 1,
    )
    writer.insert(RapidReview, reviews)
    writer.insert(LearningReview, learning)
    writer.insert(LearningReviewTheme, learning_tags)
    writer.insert(
        CaseReviewAction, learning_records.same_keys([*review_actions, *learning_actions])
    )
    risks = governance_records.build_risks(timeline=timeline, agency_ids=agency_ids)
    learning_records.enrich_risks(risks, timeline=timeline)
    writer.insert(Risk, risks)
    writer.insert(
        ScrutinyJudgement, governance_records.build_scrutiny(seed=seed, timeline=timeline)
    )
    writer.insert(MeetingDecision, governance_records.build_decisions(seed=seed, timeline=timeline))
    writer.insert(User, _demo_users(timeline.today))
    writer.insert(UserAgency, _demo_user_agencies(writer.session, agency_ids))


def _demo_user_agencies(session: so.Session, agency_ids: dict[str, int]) -> list[Row]:
    """The demo agency submitter's links to the agencies it loads returns for."""
    user_ids = {name: id_ for name, id_ in session.execute(sa.select(User.username, User.id))}
    return [
        {"user_id": user_ids[account.username], "agency_id": agency_ids[code]}
        for account in DEMO_ACCOUNTS
        for code in account.agencies
    ]


def _demo_users(today: dt.date) -> list[Row]:
    created = at_time(today, 0)
    return [
        {
            "username": account.username,
            "display_name": account.display_name,
            "email": None,
            "password_hash": bcrypt.hashpw(
                account.password.encode(), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)
            ).decode(),
            "role": account.role,
            "active": True,
            "failed_attempts": 0,
            "locked_until": None,
            "is_demo": True,
            "created_at": created,
        }
        for account in DEMO_ACCOUNTS
    ]


# --- submissions and indicator values ------------------------------------------------------------

# (agency code, quarter index from the start) pairs that were resubmitted with corrections.
RESUBMISSIONS = (("BCS", 6), ("BCS", 15), ("BHFT", 9), ("BPSP", 12), ("MPOL", 18), ("BCHS", 21))


def _checksum(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _submitted_at(
    rng: np.random.Generator, quarter_end: dt.date, today: dt.date, late: bool
) -> dt.datetime:
    days = int(rng.integers(58, 80)) if late else int(rng.integers(21, 43))
    day = quarter_end + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    if day >= today:
        day = max(quarter_end + dt.timedelta(days=1), today - dt.timedelta(days=1))
    return dt.datetime(
        day.year, day.month, day.day, int(rng.integers(9, 17)), int(rng.integers(0, 60))
    )


def _value_row(figure: Figure, **keys: object) -> Row:
    return {
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "status_symbol": None,
        **keys,
    }


def _write_values(
    writer: _Writer,
    timeline: Timeline,
    partnership: Partnership,
    seed: int,
    specs: list[IndicatorSpec],
    series: dict[str, IndicatorSeries],
    indicator_ids: dict[str, int],
    agency_ids: dict[str, int],
    locality_ids: list[int],
    period_ids: list[int],
) -> None:
    """One submission per agency per quarter, then every value linked to one, then history."""
    rng = rng_for(seed, "submissions")
    latest = timeline.n - 1
    missing_latest = {code for code in MISSING_LATEST_RETURN if code in agency_ids}

    def reporter_of(spec: IndicatorSpec) -> str:
        for sector in spec.reported_by:
            code = LEAD_AGENCY_BY_SECTOR.get(sector)
            if code is not None and code in agency_ids and code not in missing_latest:
                return code
        return "BCS"

    # Count the rows each (agency, quarter) return will hold.
    row_counts: dict[tuple[str, int], int] = defaultdict(int)
    for spec in specs:
        s = series[spec.code]
        lead = reporter_of(spec)
        for t in range(timeline.n):
            extra = len(s.localities[t]) if s.localities else 0
            row_counts[(lead, t)] += 1 + extra
            if s.agencies:
                for code in s.agencies[t]:
                    if not (t == latest and code in missing_latest):
                        row_counts[(code, t)] += 1

    resubmitted = {(code, t) for code, t in RESUBMISSIONS if code in agency_ids and t < latest}
    submissions: list[Row] = []
    submission_of: dict[tuple[str, int], tuple[int, dt.datetime]] = {}
    original_of: dict[tuple[str, int], tuple[int, dt.datetime]] = {}
    sub_id = 0
    for t, quarter in enumerate(timeline.quarters):
        for agency in partnership.agencies:
            key = (agency.code, t)
            if t == latest and agency.code in missing_latest:
                continue
            late = rng.random() < 0.04
            when = _submitted_at(rng, quarter.end_date, timeline.today, late)
            file_name = f"{agency.code}_{quarter.code.replace(' ', '_')}_return.xlsx"
            if key in resubmitted:
                sub_id += 1
                first = when
                when = first + dt.timedelta(days=int(rng.integers(8, 20)))
                original_of[key] = (sub_id, first)
                submissions.append(
                    {
                        "id": sub_id,
                        "file_name": file_name,
                        "checksum": _checksum(seed, agency.code, quarter.code, 1),
                        "submitted_by": SUBMITTED_BY,
                        "submitted_at": first,
                        "source": "sample",
                        "agency_id": agency_ids[agency.code],
                        "period_id": period_ids[t],
                        "row_count": row_counts.get(key, 0),
                        "status": "loaded",
                        "rolled_back_at": None,
                        "rolled_back_by": None,
                        "notes": "First return; corrected by a later resubmission.",
                    }
                )
                file_name = file_name.replace("_return", "_return_v2")
            sub_id += 1
            submission_of[key] = (sub_id, when)
            submissions.append(
                {
                    "id": sub_id,
                    "file_name": file_name,
                    "checksum": _checksum(
                        seed, agency.code, quarter.code, 2 if key in resubmitted else 1
                    ),
                    "submitted_by": SUBMITTED_BY,
                    "submitted_at": when,
                    "source": "sample",
                    "agency_id": agency_ids[agency.code],
                    "period_id": period_ids[t],
                    "row_count": row_counts.get(key, 0),
                    "status": "loaded",
                    "rolled_back_at": None,
                    "rolled_back_by": None,
                    "notes": "Resubmission correcting the first return."
                    if key in resubmitted
                    else None,
                }
            )
    writer.insert(Submission, submissions)

    superseded: list[Row] = []
    next_id = 1

    def current_rows() -> Iterable[Row]:
        nonlocal next_id
        for spec in specs:
            s = series[spec.code]
            indicator_id = indicator_ids[spec.code]
            lead = reporter_of(spec)
            for t in range(timeline.n):
                sub, when = submission_of[(lead, t)]
                rows = [(lead, _value_row(s.partnership[t], agency_id=None, locality_id=None))]
                if s.localities:
                    rows += [
                        (lead, _value_row(fig, agency_id=None, locality_id=loc_id))
                        for fig, loc_id in zip(s.localities[t], locality_ids, strict=True)
                    ]
                if s.agencies:
                    for code, fig in s.agencies[t].items():
                        if t == latest and code in missing_latest:
                            continue
                        rows.append(
                            (code, _value_row(fig, agency_id=agency_ids[code], locality_id=None))
                        )
                for owner, row in rows:
                    sub, when = submission_of[(owner, t)]
                    row.update(
                        {
                            "id": next_id,
                            "indicator_id": indicator_id,
                            "period_id": period_ids[t],
                            "submission_id": sub,
                            "is_current": True,
                            "superseded_by_id": None,
                            "created_at": when,
                        }
                    )
                    if (owner, t) in original_of:
                        superseded.append(_earlier_version(row, original_of[(owner, t)], spec))
                    next_id += 1
                    yield row

    writer.insert(IndicatorValue, current_rows())
    for row in superseded:
        row["id"] = next_id
        next_id += 1
    writer.insert(IndicatorValue, superseded)


def _youth_measure_points(engine: sa.Engine, timeline: Timeline) -> None:
    """Add the youth points about one measure where the quarter brief's verdict puts them, so a
    youth page never says a red measure is going well (issue 26). Runs once the figures are
    committed, since the brief reads the store."""
    from dashboard.metrics import brief, youth_verdicts

    codes = [c for measures in youth_texts.MEASURE_POINTS.values() for c in measures]
    verdicts: dict[tuple[str, str], str | None] = {}
    for quarter in timeline.quarters[-youth_texts.QUARTERS_WRITTEN :]:
        rows = brief.quarter_brief(engine=engine, period_code=quarter.code, headline_only=True)
        for _, row in rows[rows["code"].isin(codes)].iterrows():
            verdicts[(str(row["code"]), quarter.code)] = youth_verdicts.verdict_of(row)
    lines = youth_texts.measure_points(timeline=timeline, verdicts=verdicts)
    if not lines:
        return
    with session_scope(engine) as session:
        current = session.execute(
            sa.select(YouthText.id, YouthText.subject_key, YouthText.text).where(
                YouthText.subject == "theme_point",
                YouthText.status == "approved",
                YouthText.subject_key.in_(list(lines)),
            )
        ).all()
        for text_id, key, text in current:
            session.execute(
                sa.update(YouthText)
                .where(YouthText.id == text_id)
                .values(text="\n".join([text, *lines[key]]))
            )


def _child_voice_annual(session: so.Session, indicator_ids: dict[str, int]) -> None:
    """The annual return's child's voice figure, counted from the sample's own audit cases by
    THE definition (`data_access.audits.child_voice_statement`), so the audit page, the pack's
    annual figure and the return agree (issue 26: once 62.2% on the page and 95.3% in the pack)."""
    indicator_id = indicator_ids.get(audit_reads.CHILD_VOICE_CODE)
    if indicator_id is None:
        return
    years = session.execute(
        sa.select(ReportingPeriod.id, ReportingPeriod.start_date, ReportingPeriod.end_date)
        .join(IndicatorValue, IndicatorValue.period_id == ReportingPeriod.id)
        .where(IndicatorValue.indicator_id == indicator_id)
        .distinct()
    ).all()
    for period_id, start, end in years:
        counts = audit_reads.child_voice_counts(
            session, audit_reads.child_voice_statement(start=start, end=end)
        )
        if not counts["cases"]:
            continue
        session.execute(
            sa.update(IndicatorValue)
            .where(
                IndicatorValue.indicator_id == indicator_id,
                IndicatorValue.period_id == period_id,
                IndicatorValue.agency_id.is_(None),
                IndicatorValue.locality_id.is_(None),
            )
            .values(
                value=counts["share_pct"],
                numerator=float(counts["evidenced"] or 0),
                denominator=float(counts["cases"]),
            )
        )


def _write_annual_values(
    session: so.Session,
    writer: _Writer,
    timeline: Timeline,
    partnership: Partnership,
    seed: int,
    specs: list[IndicatorSpec],
    series: dict[str, IndicatorSeries],
    indicator_ids: dict[str, int],
    agency_ids: dict[str, int],
    locality_ids: list[int],
) -> None:
    """The statutory annual figures: a year period each, one annual return per year from BCS."""
    if not specs:
        return
    years = annual.annual_periods(timeline)
    first_period = (session.execute(sa.select(sa.func.max(ReportingPeriod.id))).scalar() or 0) + 1
    period_ids = {year.code: first_period + i for i, year in enumerate(years)}
    writer.insert(
        ReportingPeriod,
        (
            {
                "id": period_ids[y.code],
                "code": y.code,
                "fy_start_year": y.fy_start_year,
                "quarter": 0,
                "kind": y.kind,
                "start_date": y.start_date,
                "end_date": y.end_date,
            }
            for y in years
        ),
    )
    first_submission = (session.execute(sa.select(sa.func.max(Submission.id))).scalar() or 0) + 1
    submission_of: dict[str, tuple[int, dt.datetime]] = {}
    submissions = []
    for i, year in enumerate(years):
        when = at_time(
            min(year.end_date + dt.timedelta(days=120), timeline.today - dt.timedelta(days=1)), 10
        )
        submission_of[year.code] = (first_submission + i, when)
        submissions.append(
            {
                "id": first_submission + i,
                "file_name": f"BCS_{year.code.replace(' ', '_').replace('/', '-')}_annual.xlsx",
                "checksum": _checksum(seed, "annual", year.code),
                "submitted_by": SUBMITTED_BY,
                "submitted_at": when,
                "source": "sample",
                "agency_id": agency_ids.get("BCS"),
                "period_id": period_ids[year.code],
                "row_count": 0,
                "status": "loaded",
                "rolled_back_at": None,
                "rolled_back_by": None,
                "notes": "Annual statutory figures (children in need census and LA returns).",
            }
        )
    figures = annual.build_annual(
        seed=seed, timeline=timeline, partnership=partnership, specs=specs, quarterly=series
    )
    for sub in submissions:
        sub["row_count"] = sum(
            1 + len(locs or []) + len(figures.agencies.get((code, p), {}))
            for (code, p), (_, locs) in figures.partnership.items()
            if submission_of[p][0] == sub["id"]
        )
    writer.insert(Submission, submissions)
    first_value = (session.execute(sa.select(sa.func.max(IndicatorValue.id))).scalar() or 0) + 1
    writer.insert(
        IndicatorValue,
        annual.value_rows(
            figures,
            indicator_ids=indicator_ids,
            period_ids=period_ids,
            locality_ids=locality_ids,
            agency_ids=agency_ids,
            submission_of=submission_of,
            first_id=first_value,
        ),
    )


def _earlier_version(row: Row, original: tuple[int, dt.datetime], spec: IndicatorSpec) -> Row:
    """The first-submitted version of a corrected value: a little off, then superseded."""
    sub_id, when = original
    value, num, den = row["value"], row["numerator"], row["denominator"]
    if num is not None and den is not None:
        num = float(max(0, min(den, round(num * 0.93))))
        value = (
            round(10_000 * num / den, 1)
            if spec.unit == "rate_per_10k"
            else (round(100 * num / den, 1) if den else 0.0)
        )
    elif value is not None:
        value = float(round(value * 0.9)) if spec.unit == "count" else round(value * 0.95, 1)
    return {
        "id": None,
        "indicator_id": row["indicator_id"],
        "period_id": row["period_id"],
        "agency_id": row["agency_id"],
        "locality_id": row["locality_id"],
        "value": value,
        "numerator": num,
        "denominator": den,
        "status_symbol": None,
        "submission_id": sub_id,
        "is_current": False,
        "superseded_by_id": row["id"],
        "created_at": when,
    }
