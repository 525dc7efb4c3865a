"""The sample partnership: deterministic, complete, consistent, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import pytest
import sqlalchemy as sa

from data_access import catalogue, learning_figures, migrate
from data_access.db import engine_for, session_scope
from data_access.models import (
    ROLES,
    Agency,
    AssuranceItem,
    AssuranceSummary,
    Audit,
    AuditAction,
    AuditActionUpdate,
    AuditCase,
    Base,
    ChallengeResponse,
    ComparatorValue,
    Indicator,
    IndicatorValue,
    Locality,
    MashContact,
    ReportingPeriod,
    Risk,
    S11Cycle,
    S11Rating,
    S11Return,
    Submission,
    TrainingEvaluation,
    User,
    YouthChallenge,
)
from data_access.periods import latest_complete_quarter
from data_access.reference import sync_catalogue
from sample_data.demo_accounts import DEMO_ACCOUNTS
from sample_data.generator import build_sample, store_has_data
from sample_data.partnership import MISSING_LATEST_RETURN, MISSING_LATEST_S11, build_partnership

TODAY = dt.date(2026, 11, 23)
SEED = 2019


def _fresh_sqlite(path: Path) -> sa.Engine:
    engine = engine_for(f"sqlite:///{path.as_posix()}")
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        sync_catalogue(session)
    return engine


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sa.Engine, object]]:
    """The scale-1 sample with a fixed `today`, built once for this module."""
    engine = _fresh_sqlite(tmp_path_factory.mktemp("sample") / "sample.db")
    summary = build_sample(engine, scale=1.0, seed=SEED, today=TODAY)
    yield engine, summary
    engine.dispose()


@pytest.fixture
def engine(built: tuple[sa.Engine, object]) -> sa.Engine:
    return built[0]


def _rows(engine: sa.Engine, stmt: sa.Select) -> list[sa.Row]:
    with engine.connect() as connection:
        return list(connection.execute(stmt))


def _table_counts(engine: sa.Engine) -> dict[str, int]:
    counts = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
    return counts


def _partnership_values(engine: sa.Engine) -> list[sa.Row]:
    return _rows(
        engine,
        sa.select(
            Indicator.code,
            Indicator.unit,
            Indicator.polarity,
            Indicator.target,
            Indicator.rag_tolerance,
            ReportingPeriod.code.label("period"),
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
        .where(
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            IndicatorValue.locality_id.is_(None),
        ),
    )


# --- determinism and replacement -----------------------------------------------------------------


def _snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of the tables the generator writes, except the (salted) password hashes."""
    out = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in ("app_user", "audit_log", "alembic_version", "data_version"):
                continue
            order = [c for c in table.primary_key.columns]
            out[table.name] = [
                tuple(r) for r in connection.execute(sa.select(table).order_by(*order))
            ]
    return out


def test_same_seed_and_today_give_identical_rows(tmp_path: Path) -> None:
    first = _fresh_sqlite(tmp_path / "a.db")
    second = _fresh_sqlite(tmp_path / "b.db")
    build_sample(first, scale=0.2, seed=7, today=TODAY)
    build_sample(second, scale=0.2, seed=7, today=TODAY)
    a, b = _snapshot(first), _snapshot(second)
    assert a["indicator_value"], "the build wrote no indicator values"
    assert a == b


def test_rebuilding_replaces_rather_than_adds(tmp_path: Path) -> None:
    engine = _fresh_sqlite(tmp_path / "store.db")
    build_sample(engine, scale=0.2, seed=7, today=TODAY)
    before = _snapshot(engine)
    build_sample(engine, scale=0.2, seed=7, today=TODAY)
    assert _snapshot(engine) == before
    assert len(_rows(engine, sa.select(User).where(User.is_demo.is_(True)))) == len(DEMO_ACCOUNTS)


def test_a_different_seed_gives_different_figures(tmp_path: Path) -> None:
    first = _fresh_sqlite(tmp_path / "a.db")
    second = _fresh_sqlite(tmp_path / "b.db")
    build_sample(first, scale=0.2, seed=1, today=TODAY)
    build_sample(second, scale=0.2, seed=2, today=TODAY)
    assert _snapshot(first)["indicator_value"] != _snapshot(second)["indicator_value"]


def test_summary_reports_counts_per_table(built: tuple[sa.Engine, object]) -> None:
    engine, summary = built
    text = str(summary)
    assert "indicator_value" in text and "mash_contact" in text and "Finished in" in text
    counts = _table_counts(engine)
    for table, written in summary.counts.items():
        if table not in ("app_user", "audit_log"):
            assert counts[table] == written, table


def test_store_has_data(tmp_path: Path, engine: sa.Engine) -> None:
    empty = _fresh_sqlite(tmp_path / "empty.db")
    assert store_has_data(empty) is False
    assert store_has_data(engine) is True
    bare = engine_for(f"sqlite:///{(tmp_path / 'bare.db').as_posix()}")
    assert store_has_data(bare) is False


def test_today_before_the_first_quarter_is_refused(tmp_path: Path) -> None:
    engine = _fresh_sqlite(tmp_path / "store.db")
    with pytest.raises(ValueError, match="before the end of the first sample quarter"):
        build_sample(engine, today=dt.date(2019, 5, 1))
    with pytest.raises(ValueError, match="scale"):
        build_sample(engine, scale=0, today=TODAY)


# --- completeness ------------------------------------------------------------------------------


def test_every_indicator_has_a_partnership_value_every_quarter(engine: sa.Engine) -> None:
    periods = [
        r.code
        for r in _rows(
            engine, sa.select(ReportingPeriod.code).where(ReportingPeriod.kind == "quarter")
        )
    ]
    assert periods[0] == "2019-20 Q1"
    assert len(periods) == 30 and latest_complete_quarter(TODAY).code in periods
    have = {(r.code, r.period) for r in _partnership_values(engine)}
    missing = [
        (spec.code, p)
        for spec in catalogue.indicators()
        for p in periods
        if not spec.is_annual
        and spec.code not in learning_figures.CODES
        and (spec.code, p) not in have
    ]
    assert missing == []
    # The timeliness figures, worked out from the learning records, run without a gap from the
    # first quarter anything fell due in to the latest.
    for code in learning_figures.CODES:
        quarters = [p for p in periods if (code, p) in have]
        assert quarters == periods[periods.index(quarters[0]) :], code
        assert quarters[-1] == periods[-1]


def test_the_timeliness_figures_are_the_learning_records_own(engine: sa.Engine) -> None:
    """Written by the rule from the sample's reviews and actions, not drawn like a return."""
    with session_scope(engine) as session:
        assert learning_figures.refresh(session, today=TODAY) == 0


def test_every_annual_indicator_has_a_value_every_complete_year(engine: sa.Engine) -> None:
    years = {r.kind: [] for r in _rows(engine, sa.select(ReportingPeriod.kind))}
    for code, kind in _rows(
        engine,
        sa.select(ReportingPeriod.code, ReportingPeriod.kind).order_by(ReportingPeriod.start_date),
    ):
        years[kind].append(code)
    # April 2019 to the last quarter before TODAY: financial years 2019-20 on, academic from 2019.
    assert years["financial_year"][0] == "2019-20"
    assert years["academic_year"][0] == "AY 2019/20"
    have = {(r.code, r.period) for r in _partnership_values(engine)}
    kind_of = {"annual_financial": "financial_year", "annual_academic": "academic_year"}
    missing = [
        (spec.code, p)
        for spec in catalogue.indicators()
        if spec.is_annual
        for p in years[kind_of[spec.frequency]]
        if (spec.code, p) not in have
    ]
    assert missing == []


def test_breakdowns_have_agency_and_locality_rows(engine: sa.Engine) -> None:
    localities = len(_rows(engine, sa.select(Locality.id)))
    assert localities == 4
    rows = _rows(
        engine,
        sa.select(Indicator.code, IndicatorValue.agency_id, IndicatorValue.locality_id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(IndicatorValue.is_current.is_(True)),
    )
    by_code: dict[str, set[str]] = {}
    for code, agency_id, locality_id in rows:
        kind = "agency" if agency_id else "locality" if locality_id else "partnership"
        by_code.setdefault(code, set()).add(kind)
    for spec in catalogue.indicators():
        for breakdown in spec.breakdowns:
            assert breakdown in by_code[spec.code], (spec.code, breakdown)
        if not spec.breakdowns:
            assert by_code[spec.code] == {"partnership"}, spec.code


def test_numerators_never_exceed_denominators_and_values_match(engine: sa.Engine) -> None:
    rows = _rows(
        engine,
        sa.select(
            Indicator.code,
            Indicator.unit,
            IndicatorValue.value,
            IndicatorValue.numerator,
            IndicatorValue.denominator,
        ).join(Indicator, Indicator.id == IndicatorValue.indicator_id),
    )
    checked = 0
    for code, unit, value, num, den in rows:
        if num is None or den is None:
            continue
        assert 0 <= num <= den, code
        if unit == "percentage" and den:
            assert value == pytest.approx(100 * num / den, abs=0.051), code
            checked += 1
        if unit == "rate_per_10k" and den:
            assert value == pytest.approx(10_000 * num / den, abs=0.051), code
    assert checked > 500
    percentages = [r for r in rows if r.unit == "percentage"]
    assert all(r.numerator is not None for r in percentages if r.code != "TR_KNOWLEDGE_UPLIFT")
    counts = [r.value for r in rows if r.unit == "count" and r.code != "MASH_SW_CASELOAD"]
    assert all(float(v).is_integer() and v >= 0 for v in counts)


def test_count_totals_equal_the_sum_of_their_localities(engine: sa.Engine) -> None:
    rows = _rows(
        engine,
        sa.select(
            Indicator.code,
            IndicatorValue.period_id,
            IndicatorValue.locality_id,
            IndicatorValue.value,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
            Indicator.unit == "count",
        ),
    )
    totals, sums = {}, {}
    for code, period, locality, value in rows:
        if locality is None:
            totals[(code, period)] = value
        else:
            sums[(code, period)] = sums.get((code, period), 0) + value
    assert sums, "no locality counts"
    assert all(sums[key] == totals[key] for key in sums)


def _rag(value: float, polarity: str, target: float, tolerance: float) -> str:
    gap = value - target if polarity == "higher_is_better" else target - value
    return "green" if gap >= 0 else "amber" if gap >= -tolerance else "red"


def test_latest_quarter_has_green_amber_and_red(engine: sa.Engine) -> None:
    latest = latest_complete_quarter(TODAY).code
    rags = {
        r.code: _rag(r.value, r.polarity, r.target, r.rag_tolerance)
        for r in _partnership_values(engine)
        if r.period == latest and r.target is not None and r.polarity != "neutral"
    }
    assert {"green", "amber", "red"} <= set(rags.values())
    assert rags["MASH_DECISION_1WD"] == "red"


def test_planted_shifts_are_there(engine: sa.Engine) -> None:
    values: dict[str, list[float]] = {}
    for r in sorted(_partnership_values(engine), key=lambda r: r.period):
        values.setdefault(r.code, []).append(r.value)
    decided = values["MASH_DECISION_1WD"]
    assert all(v < 82 for v in decided[-4:]) and all(v > 88 for v in decided[:-4])
    missing = values["CS_MISSING_EPISODES"]
    assert min(missing[-6:]) > max(missing[8:-6])
    rereferrals = values["MASH_REREFERRALS"]
    centre = sum(rereferrals) / len(rereferrals)
    assert all(v > centre for v in rereferrals[-8:])
    # Seed 000's direction of travel.
    open_eha = values["EH_OPEN_ASSESSMENTS"]
    assert 620 <= open_eha[0] <= 700 and open_eha[-1] >= 820
    referrals = values["MASH_REFERRALS"]
    assert 3_300 <= sum(referrals[:4]) <= 3_900 and 2_400 <= sum(referrals[-4:]) <= 2_900
    assert all(35 <= v <= 52 for v in values["NEG_CP_NEGLECT_PCT"])
    assert values["NEG_GCP2_ON_PLANS_PCT"][0] < 5 < 40 < values["NEG_GCP2_ON_PLANS_PCT"][-1]


# --- events and their indicators ------------------------------------------------------------------


def test_mash_contacts_indicator_equals_the_events(engine: sa.Engine) -> None:
    events = {
        (p, loc): n
        for p, loc, n in _rows(
            engine,
            sa.select(MashContact.period_id, MashContact.locality_id, sa.func.count()).group_by(
                MashContact.period_id, MashContact.locality_id
            ),
        )
    }
    indicator = _rows(
        engine,
        sa.select(IndicatorValue.period_id, IndicatorValue.locality_id, IndicatorValue.value)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            Indicator.code == "MASH_CONTACTS",
            IndicatorValue.is_current.is_(True),
            IndicatorValue.agency_id.is_(None),
        ),
    )
    per_period: dict[int, int] = {}
    for (period, _loc), n in events.items():
        per_period[period] = per_period.get(period, 0) + n
    assert len(indicator) == 30 * 5
    for period, locality, value in indicator:
        expected = per_period[period] if locality is None else events[(period, locality)]
        assert value == expected
    assert all(3_000 <= n <= 4_000 for n in per_period.values())


def test_contact_timestamps_and_decision_flags_agree(engine: sa.Engine) -> None:
    rows = _rows(
        engine,
        sa.select(
            MashContact.received_at,
            MashContact.decided_at,
            MashContact.decision_within_one_working_day,
            MashContact.source,
            MashContact.child_ref,
            ReportingPeriod.start_date,
            ReportingPeriod.end_date,
        )
        .join(ReportingPeriod, ReportingPeriod.id == MashContact.period_id)
        .limit(20_000),
    )
    sources: dict[str, int] = {}
    for received, decided, in_time, source, ref, start, end in rows:
        assert start <= received.date() <= end
        assert decided >= received
        hours = (decided - received).total_seconds() / 3600
        if in_time:
            assert hours <= 24
        else:
            assert hours > 24
        assert len(ref) == 9 and ref.startswith("C")
        sources[source] = sources.get(source, 0) + 1
    assert max(sources, key=sources.get) == "police"
    weekend = sum(1 for r in rows if r.received_at.weekday() >= 5)
    assert weekend < 0.15 * len(rows)


def test_training_evaluations_show_about_29_points_uplift(engine: sa.Engine) -> None:
    respondents, pre, post, met = _rows(
        engine,
        sa.select(
            sa.func.sum(TrainingEvaluation.respondents),
            sa.func.sum(TrainingEvaluation.pre_good_or_better),
            sa.func.sum(TrainingEvaluation.post_good_or_better),
            sa.func.sum(TrainingEvaluation.objectives_met),
        ),
    )[0]
    assert 26 <= 100 * (post - pre) / respondents <= 32
    assert met / respondents >= 0.97


# --- submissions and history ----------------------------------------------------------------------


def test_every_value_is_linked_to_a_submission(engine: sa.Engine) -> None:
    # Every figure but the timeliness ones, which the product works out from its own records.
    unlinked = _rows(
        engine,
        sa.select(IndicatorValue.id)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .where(
            IndicatorValue.submission_id.is_(None),
            Indicator.code.not_in(learning_figures.CODES),
        ),
    )
    assert unlinked == []
    subs = _rows(
        engine,
        sa.select(
            Submission.source, Submission.submitted_by, Submission.checksum, Submission.submitted_at
        ),
    )
    assert {s.source for s in subs} == {"sample"}
    assert all(len(s.checksum) == 64 for s in subs)
    assert all(s.submitted_at.date() < TODAY for s in subs)


def test_latest_quarter_has_missing_returns(engine: sa.Engine) -> None:
    latest = latest_complete_quarter(TODAY).code
    returned = {
        code
        for (code,) in _rows(
            engine,
            sa.select(Agency.code)
            .join(Submission, Submission.agency_id == Agency.id)
            .join(ReportingPeriod, ReportingPeriod.id == Submission.period_id)
            .where(ReportingPeriod.code == latest),
        )
    }
    all_codes = {code for (code,) in _rows(engine, sa.select(Agency.code))}
    assert all_codes - returned == set(MISSING_LATEST_RETURN)


def test_resubmissions_keep_history(engine: sa.Engine) -> None:
    old = _rows(engine, sa.select(IndicatorValue).where(IndicatorValue.is_current.is_(False)))
    assert len(old) >= 6
    current_ids = {
        i
        for (i,) in _rows(
            engine, sa.select(IndicatorValue.id).where(IndicatorValue.is_current.is_(True))
        )
    }
    assert all(row.superseded_by_id in current_ids for row in old)


def test_comparators_for_national_measures(engine: sa.Engine) -> None:
    rows = _rows(
        engine,
        sa.select(Indicator.code, ComparatorValue.comparator_type, sa.func.count())
        .join(Indicator, Indicator.id == ComparatorValue.indicator_id)
        .group_by(Indicator.code, ComparatorValue.comparator_type),
    )
    kinds = {(code, kind): n for code, kind, n in rows}
    assert kinds[("MASH_REREFERRALS", "england")] == 30
    assert kinds[("NEG_CP_RATE", "statistical_neighbours")] == 30
    assert ("NEG_CP_RATE", "region") in kinds


# --- qualitative records ------------------------------------------------------------------------


def test_assurance_summaries_for_every_theme_and_quarter(engine: sa.Engine) -> None:
    summaries = _rows(engine, sa.select(AssuranceSummary.id, AssuranceSummary.theme_code))
    assert len(summaries) == 30 * 5
    items = _rows(
        engine, sa.select(AssuranceItem.summary_id, AssuranceItem.category, AssuranceItem.text)
    )
    per: dict[tuple[int, str], int] = {}
    for summary_id, category, _text in items:
        per[(summary_id, category)] = per.get((summary_id, category), 0) + 1
    assert len(per) == 150 * 3
    assert all(2 <= n <= 4 for n in per.values())
    assert len({text for *_rest, text in items}) > 100  # varied, not one template


def test_audits_have_overdue_actions_and_reaudits(engine: sa.Engine) -> None:
    overdue = _rows(
        engine,
        sa.select(AuditAction.id).where(
            AuditAction.due_date < TODAY, AuditAction.status.in_(("open", "in_progress"))
        ),
    )
    assert len(overdue) >= 3
    complete = _rows(engine, sa.select(AuditAction).where(AuditAction.status == "complete"))
    assert complete and all(a.completed_on and a.evidence for a in complete)
    assert len(_rows(engine, sa.select(AuditActionUpdate.id))) > len(complete)

    audits = {a.id: a for a in _rows(engine, sa.select(Audit))}
    reaudits = [a for a in audits.values() if a.reaudit_of_id]
    assert len(reaudits) >= 3
    grades = _rows(
        engine, sa.select(AuditCase.audit_id, AuditCase.grade, AuditCase.child_voice_evidenced)
    )
    good = {"outstanding", "good"}

    def share(audit_ids: set[int], test) -> float:
        chosen = [g for g in grades if g.audit_id in audit_ids]
        return sum(1 for g in chosen if test(g)) / len(chosen)

    after = {a.id for a in reaudits if a.status == "complete"}
    before = {a.reaudit_of_id for a in reaudits if a.status == "complete"}
    assert share(after, lambda g: g.grade in good) > share(before, lambda g: g.grade in good)
    assert share(after, lambda g: g.child_voice_evidenced) > share(
        before, lambda g: g.child_voice_evidenced
    )
    for a in reaudits:
        original = audits[a.reaudit_of_id]
        assert original.reaudit_due is not None and a.audit_date >= original.audit_date
    multi = [a for a in audits.values() if a.audit_type == "multi_agency"]
    single = [a for a in audits.values() if a.audit_type == "single_agency"]
    assert len(multi) >= 20 and len(single) >= 8
    voice = share(set(audits), lambda g: g.child_voice_evidenced)
    assert 0.5 <= voice <= 0.85


def test_section11_two_cycles(engine: sa.Engine) -> None:
    cycles = _rows(
        engine,
        sa.select(S11Cycle).where(S11Cycle.framework == "section_11").order_by(S11Cycle.opens_on),
    )
    assert [c.name for c in cycles] == ["2022-24", "2024-26"]
    agencies = {a.id: a.code for a in _rows(engine, sa.select(Agency))}
    returns = _rows(engine, sa.select(S11Return).where(S11Return.agency_id.is_not(None)))
    first = {agencies[r.agency_id] for r in returns if r.cycle_id == cycles[0].id}
    second = {agencies[r.agency_id] for r in returns if r.cycle_id == cycles[1].id}
    assert first == set(agencies.values())
    assert set(agencies.values()) - second == {MISSING_LATEST_S11}
    ratings = _rows(
        engine,
        sa.select(S11Rating.return_id, S11Rating.rating, S11Rating.improvement_action).where(
            S11Rating.return_id.in_([r.id for r in returns])
        ),
    )
    per_return: dict[int, int] = {}
    for return_id, rating, action in ratings:
        per_return[return_id] = per_return.get(return_id, 0) + 1
        assert (action is None) == (rating == "green")
    assert set(per_return.values()) == {11}
    cycle_of = {r.id: r.cycle_id for r in returns}

    def green_share(cycle_id: int) -> float:
        chosen = [r for r in ratings if cycle_of[r.return_id] == cycle_id]
        return sum(1 for r in chosen if r.rating == "green") / len(chosen)

    assert green_share(cycles[1].id) > green_share(cycles[0].id)


def test_schools_and_colleges_return_one_years_audit(engine: sa.Engine) -> None:
    """60-90 schools and colleges across the localities, one year's audit (section 175/157):
    most on time, some late, some not at all; 13 standards rated each; actions for amber and
    red only."""
    from data_access import self_assessment
    from data_access.models import EducationSetting

    settings = _rows(engine, sa.select(EducationSetting))
    assert 60 <= len(settings) <= 90
    assert {s.phase for s in settings} >= {"primary", "secondary", "college"}
    assert {s.duty for s in settings} == {"section_175", "section_157"}
    assert len({s.locality_id for s in settings}) == 4
    cycles = _rows(engine, sa.select(S11Cycle).where(S11Cycle.framework == "education_175_157"))
    assert len(cycles) == 1
    counts = self_assessment.return_counts(engine=engine, cycle_id=cycles[0].id)
    assert counts.expected == len(settings)
    assert counts.on_time > counts.late > 0 and counts.not_returned > 0
    returns = _rows(engine, sa.select(S11Return).where(S11Return.setting_id.is_not(None)))
    assert len(returns) == counts.returned
    ratings = _rows(
        engine,
        sa.select(S11Rating.rating, S11Rating.improvement_action).where(
            S11Rating.return_id.in_([r.id for r in returns])
        ),
    )
    assert len(ratings) == 13 * len(returns)
    assert all((action is None) == (rating == "green") for rating, action in ratings)


def test_youth_challenges_and_risks(engine: sa.Engine) -> None:
    challenges = _rows(engine, sa.select(YouthChallenge.id, YouthChallenge.status))
    statuses = {c.status for c in challenges}
    assert len(challenges) >= 6 and {"open", "answered", "accepted", "escalated"} <= statuses
    responses = _rows(engine, sa.select(ChallengeResponse.challenge_id))
    assert {r.challenge_id for r in responses} == {c.id for c in challenges if c.status != "open"}
    risks = _rows(engine, sa.select(Risk.likelihood, Risk.impact))
    assert len(risks) >= 10 and any(r.likelihood * r.impact > 12 for r in risks)


def test_demo_users_verify(engine: sa.Engine) -> None:
    assert {a.role for a in DEMO_ACCOUNTS} == set(ROLES)
    users = {u.username: u for u in _rows(engine, sa.select(User))}
    for account in DEMO_ACCOUNTS:
        user = users[account.username]
        assert user.is_demo and user.role == account.role
        assert user.password_hash.startswith("$2")
        assert bcrypt.checkpw(account.password.encode(), user.password_hash.encode())


# --- scale and both stores ------------------------------------------------------------------------


def test_larger_scales_grow_localities_and_agencies() -> None:
    demo = build_partnership(1.0, SEED)
    assert len(demo.localities) == 4 and len(demo.agencies) == 15
    assert 49_000 <= demo.child_population <= 51_000
    big = build_partnership(10.0, SEED)
    assert len(big.localities) >= 38 and len(big.agencies) > 1_000
    small = build_partnership(0.2, SEED)
    assert len(small.localities) == 4 and small.child_population == pytest.approx(10_000, rel=0.01)


def test_command_line_builds_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sample_data.__main__ import main

    url = f"sqlite:///{(tmp_path / 'cli.db').as_posix()}"
    assert (
        main(["--database-url", url, "--scale", "0.1", "--seed", "3", "--today", TODAY.isoformat()])
        == 0
    )
    assert "indicator_value" in capsys.readouterr().out
    assert store_has_data(engine_for(url))
    assert main(["--database-url", url, "--today", "2019-05-01"]) == 2
    assert "first sample quarter" in capsys.readouterr().err


def test_sample_loads_into_both_stores_with_the_same_counts(
    store: sa.Engine, built: tuple[sa.Engine, object]
) -> None:
    reference, _summary = built
    build_sample(store, scale=1.0, seed=SEED, today=TODAY)
    expected = _table_counts(reference)
    actual = _table_counts(store)
    for name in ("audit_log",):
        expected.pop(name), actual.pop(name)
    assert actual == expected
    # Not only as many rows: the same figures.
    assert _snapshot(store)["indicator_value"] == _snapshot(reference)["indicator_value"]
    # Ids written explicitly must not block rows added later through the app.
    with session_scope(store) as session:
        session.add(
            Risk(
                reference="R99",
                title="Added after the sample",
                likelihood=1,
                impact=1,
                status="open",
            )
        )


def test_every_assurance_category_has_enough_general_items() -> None:
    """Each theme and category needs two items that always apply, so no summary is thin."""
    from sample_data.assurance import LIBRARY, _always

    for theme, library in LIBRARY.items():
        for category, items in library.items():
            assert sum(1 for cond, _text in items if cond is _always) >= 2, (theme, category)
