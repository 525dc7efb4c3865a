"""Data-quality checks: missing and late returns, implausible movements, completeness."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import data_quality as dq
from data_access import figure_outliers as outliers
from data_access.db import session_scope
from data_access.models import Agency, Indicator, IndicatorValue, Submission
from data_access.periods import Quarter, quarters_between
from data_access.reference import ensure_periods
from tests.support.import_corpus import TODAY, seed_reference

QUARTERS = quarters_between(Quarter(2024, 1), Quarter(2025, 4))  # 8 ended quarters
CONTACTS = [1000, 1010, 1000, 1015, 1005, 1012, 1003, 2000]  # the last jump is implausible
REFERRALS = [300, 310, 305, 312, 300, 309, 301, 311]  # ordinary noise


@pytest.fixture
def dq_store(store: sa.Engine) -> sa.Engine:
    """Eight quarters of returns: police missing the last one, the council late once."""
    seed_reference(store)
    with session_scope(store) as session:
        period_ids = ensure_periods(session, QUARTERS)
        agencies = dict(session.execute(sa.select(Agency.code, Agency.id)).all())
        indicators = dict(session.execute(sa.select(Indicator.code, Indicator.id)).all())
        for q_index, quarter in enumerate(QUARTERS):
            for code, agency_id in agencies.items():
                if code == "POLICE" and q_index == len(QUARTERS) - 1:
                    continue
                days = 60 if (code == "LA" and q_index == 6) else 20
                submission = Submission(
                    file_name=f"{code}-{quarter.code}.csv",
                    checksum="0" * 64,
                    submitted_by="test",
                    source="sample",
                    agency_id=agency_id,
                    period_id=period_ids[quarter.code],
                    submitted_at=dt.datetime.combine(
                        quarter.end_date + dt.timedelta(days=days), dt.time(10)
                    ),
                )
                session.add(submission)
                session.flush()
                if code == "LA":
                    for indicator, series in (
                        ("MASH_CONTACTS", CONTACTS),
                        ("MASH_REFERRALS", REFERRALS),
                    ):
                        session.add(
                            IndicatorValue(
                                indicator_id=indicators[indicator],
                                period_id=period_ids[quarter.code],
                                value=series[q_index],
                                submission_id=submission.id,
                            )
                        )
    return store


def test_missing_submissions(dq_store: sa.Engine) -> None:
    missing = dq.missing_submissions(engine=dq_store, today=TODAY, quarters=4)
    assert list(zip(missing["agency_code"], missing["period_code"], strict=True)) == [
        ("POLICE", "2025-26 Q4")
    ]
    assert missing["days_since_quarter_end"].iloc[0] == (TODAY - dt.date(2026, 3, 31)).days


def _roll_back_every_submission_of(store: sa.Engine, agency_code: str) -> None:
    with session_scope(store) as session:
        agency = session.scalar(sa.select(Agency.id).where(Agency.code == agency_code))
        for submission in session.scalars(
            sa.select(Submission).where(Submission.agency_id == agency)
        ):
            submission.status = "rolled_back"


def test_rolled_back_submissions_do_not_count(dq_store: sa.Engine) -> None:
    _roll_back_every_submission_of(dq_store, "ICB")
    missing = dq.missing_submissions(engine=dq_store, today=TODAY, quarters=2)
    assert set(missing["agency_code"]) == {"POLICE", "ICB"}


def test_missing_returns_are_the_same_however_many_agencies_each_query_checks(
    dq_store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second step checks the candidate agencies a chunk at a time: one agency a statement
    gives the same list, in the same order, as all of them in one."""
    _roll_back_every_submission_of(dq_store, "ICB")
    together = dq.missing_submissions(engine=dq_store, today=TODAY, quarters=4)
    monkeypatch.setattr(dq, "_CANDIDATES_PER_QUERY", 1)
    one_at_a_time = dq.missing_submissions(engine=dq_store, today=TODAY, quarters=4)
    assert len(together) > 2 and set(together["agency_code"]) == {"POLICE", "ICB"}
    pd.testing.assert_frame_equal(one_at_a_time, together)


def test_late_submissions(dq_store: sa.Engine) -> None:
    late = dq.late_submissions(engine=dq_store, today=TODAY)
    assert list(late["agency_code"]) == ["LA"]
    assert late["period_code"].iloc[0] == QUARTERS[6].code
    assert late["days_after_quarter_end"].iloc[0] == 60
    assert late["days_late"].iloc[0] == 60 - dq.LATE_AFTER_DAYS
    assert dq.late_submissions(engine=dq_store, today=TODAY, late_after_days=60).empty
    # The edge, decided in the store: 60 days after is one day late against 59.
    edge = dq.late_submissions(engine=dq_store, today=TODAY, late_after_days=59)
    assert list(edge["agency_code"]) == ["LA"] and list(edge["days_late"]) == [1]


def test_implausible_movements(dq_store: sa.Engine) -> None:
    flagged = outliers.implausible_movements(engine=dq_store, today=TODAY)
    assert list(flagged["indicator_code"]) == ["MASH_CONTACTS"]
    row = flagged.iloc[0]
    assert (row["previous_value"], row["latest_value"], row["change"]) == (1003, 2000, 997)
    assert row["modified_z"] > outliers.OUTLIER_Z


def test_modified_z_score() -> None:
    assert outliers.modified_z_of_latest(np.array([1.0, 2.0, 3.0])) is None  # too little history
    z, median, mad = outliers.modified_z_of_latest(np.array([10.0, -10.0, 12.0, -8.0, 11.0]))
    assert median == 1.0 and mad == 10.0 and z == pytest.approx(0.6745)
    # MAD of 0 (most earlier changes identical): fall back to the mean absolute deviation.
    z, _, _ = outliers.modified_z_of_latest(np.array([0.0, 0.0, 0.0, 4.0, 40.0]))
    assert z == pytest.approx(0.7979 * 40 / 1.0)
    z, _, _ = outliers.modified_z_of_latest(np.array([5.0, 5.0, 5.0, 5.0, 6.0]))
    assert z == np.inf
    assert outliers.modified_z_of_latest(np.array([5.0, 5.0, 5.0, 5.0, 5.0]))[0] == 0.0


def test_theme_completeness(dq_store: sa.Engine) -> None:
    completeness = dq.theme_completeness(engine=dq_store, today=TODAY, quarters=4)
    mash = completeness.set_index("theme_code").loc["mash"]
    assert mash["quarters"] == 4 and mash["present"] == 8
    assert mash["expected"] == 4 * mash["indicators"]
    assert mash["completeness_pct"] == round(100 * 8 / mash["expected"], 1)
    early = completeness.set_index("theme_code").loc["early_help"]
    assert early["present"] == 0 and early["completeness_pct"] == 0.0
    detail = dq.indicator_completeness(engine=dq_store, today=TODAY, quarters=4)
    assert "MASH_CONTACTS" not in set(detail["indicator_code"])
    assert "EH_OPEN_ASSESSMENTS" in set(detail["indicator_code"])


def test_empty_store_gives_empty_answers(store: sa.Engine) -> None:
    assert dq.missing_submissions(engine=store, today=TODAY).empty
    assert dq.late_submissions(engine=store, today=TODAY).empty
    assert outliers.implausible_movements(engine=store, today=TODAY).empty
    assert dq.indicator_completeness(engine=store, today=TODAY).empty
    assert (dq.theme_completeness(engine=store, today=TODAY)["expected"] == 0).all()


def test_sample_store_shows_its_missing_latest_returns(sample_store: sa.Engine) -> None:
    missing = dq.missing_submissions(engine=sample_store, quarters=1)
    assert {"BCOL", "BHOM"} <= set(missing["agency_code"])
    completeness = dq.theme_completeness(engine=sample_store)
    assert (completeness["completeness_pct"] > 50).all()


def _rows_fetched(engine: sa.Engine, call) -> int:
    """How many rows the SELECTs sent while `call` runs return (replayed on one connection)."""
    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    rows = 0
    with engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        for statement, parameters in sent:
            cursor = dbapi.cursor()
            cursor.execute(statement, parameters)
            rows += len(cursor.fetchall())
            cursor.close()
        connection.rollback()
    return rows


def test_partnership_scope_never_fetches_agency_figures(dq_store: sa.Engine) -> None:
    with session_scope(dq_store) as session:
        police = session.scalar(sa.select(Agency.id).where(Agency.code == "POLICE"))
        contacts = session.scalar(sa.select(Indicator.id).where(Indicator.code == "MASH_CONTACTS"))
        periods = session.execute(sa.select(IndicatorValue.period_id).distinct()).scalars().all()
        for period_id in periods:  # 8 agency-level figures per quarter the page must not load
            session.add(
                IndicatorValue(
                    indicator_id=contacts, period_id=period_id, agency_id=police, value=50
                )
            )
        session.flush()
        for code in ("EH_ASSESSMENTS_STARTED", "EH_OPEN_ASSESSMENTS", "MASH_REFERRALS"):
            indicator = session.scalar(sa.select(Indicator.id).where(Indicator.code == code))
            for period_id in periods:
                session.add(
                    IndicatorValue(
                        indicator_id=indicator, period_id=period_id, agency_id=police, value=7
                    )
                )
    scoped = _rows_fetched(
        dq_store,
        lambda: outliers.implausible_movements(engine=dq_store, today=TODAY, partnership_only=True),
    )
    everything = _rows_fetched(
        dq_store,
        lambda: outliers.implausible_movements(
            engine=dq_store, today=TODAY, partnership_only=False
        ),
    )
    agency_rows = 4 * len(QUARTERS)
    # The 16 partnership figures plus the quarters and the flagged series' names, nothing more.
    assert scoped < 2 * len(QUARTERS) + 3 * len(QUARTERS)
    assert everything >= scoped + agency_rows
    flagged = outliers.implausible_movements(engine=dq_store, today=TODAY, partnership_only=True)
    assert list(flagged["indicator_code"]) == ["MASH_CONTACTS"]
    assert flagged["agency_code"].isna().all()


def test_vectorised_scores_match_the_single_series_rule() -> None:
    rng = np.random.default_rng(7)
    rows, expected = [], {}
    for index in range(60):
        length = int(rng.integers(3, 12))
        numbers = rng.integers(0, 40, size=length).astype(float)
        if index % 5 == 0:
            numbers[:-1] = 10.0  # flat history: the MAD and mean-AD fallbacks
        if index % 7 == 0:
            numbers[-1] = numbers[-2] + 500.0
        # A third of the series belong to a locality, not an agency (agency empty).
        agency, locality = (None, index) if index % 3 == 0 else (index, None)
        for period, number in enumerate(numbers):
            # Period ids run backwards in time, so order must follow start dates, not ids.
            rows.append((index % 4 + 1, agency, locality, 100 - period, number))
        if length >= outliers.OUTLIER_MIN_HISTORY + 2:
            scored = outliers.modified_z_of_latest(np.diff(numbers))
            key = (index % 4 + 1, agency or 0, locality or 0)
            expected[key] = (scored, numbers[-2], numbers[-1], 100 - length + 1)
    periods = pd.DataFrame(
        {
            "period_id": [100 - p for p in range(12)],
            "start_date": pd.date_range("2020-01-01", periods=12, freq="QS"),
        }
    )
    values = pd.DataFrame(
        rows, columns=["indicator_id", "agency_id", "locality_id", "period_id", "value"]
    ).sample(frac=1, random_state=3)
    scored = outliers._score_latest_changes(values, periods).set_index(
        ["indicator_id", "agency_id", "locality_id"]
    )
    assert len(scored) == len(expected)
    assert any(np.isinf(z) for (z, _m, _s), *_ in expected.values())
    for key, ((z, median, _scale), previous, latest, period_id) in expected.items():
        row = scored.loc[key]
        assert row["modified_z"] == pytest.approx(z)
        assert row["typical_change"] == pytest.approx(median)
        assert (row["previous_value"], row["latest_value"]) == (previous, latest)
        assert row["period_id"] == period_id


def test_unusual_figures_are_listed(store: sa.Engine) -> None:
    """A decimal comma once turned 17.5 into 175: a figure ten times its history is listed."""
    import datetime as dt

    from data_access.importer import check_file, load_checked
    from tests.support.import_corpus import csv_bytes

    rows = [
        ["MASH_SW_CASELOAD", q, "", "", v, "", "", "", ""]
        for q, v in (
            ("2024-25 Q1", 17.5),
            ("2024-25 Q2", 18),
            ("2024-25 Q3", 17),
            ("2024-25 Q4", 175),
        )
    ]
    rows.append(["CHILD_POPULATION", "2024-25", "", "", 40, "", "", "", ""])
    checked = check_file(
        engine=store, file_name="r.csv", data=csv_bytes(rows), today=dt.date(2026, 1, 1)
    )
    load_checked(engine=store, checked=checked, username="qa", confirm_outliers=True)
    unusual = outliers.unusual_figures(engine=store, today=dt.date(2026, 1, 1))
    by_code = unusual.set_index("indicator_code")
    assert sorted(unusual["indicator_code"]) == ["CHILD_POPULATION", "MASH_SW_CASELOAD"]
    caseload = by_code.loc["MASH_SW_CASELOAD"]
    assert caseload["period_code"] == "2024-25 Q4"
    assert caseload["usual_level"] == 17.5 and caseload["times_usual"] == 10.0
    assert "usual level" in caseload["reason"]
    assert by_code.loc["CHILD_POPULATION", "reason"] == (
        "outside the range expected for this indicator"
    )


def _unusual_by_brute_force(engine: sa.Engine, today: dt.date) -> set[tuple]:
    """Every current figure checked against every other figure of its series, in Python."""
    from data_access import catalogue
    from data_access.models import ReportingPeriod

    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                Indicator.code,
                IndicatorValue.agency_id,
                IndicatorValue.locality_id,
                ReportingPeriod.code,
                IndicatorValue.value,
            )
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
            .where(
                IndicatorValue.is_current.is_(True),
                IndicatorValue.value.is_not(None),
                ReportingPeriod.end_date < today,
            )
        ).all()
    series: dict[tuple, list[tuple[str, float]]] = {}
    for code, agency, locality, period, value in rows:
        series.setdefault((code, agency, locality), []).append((period, float(value)))
    out = set()
    for (code, agency, locality), figures in series.items():
        spec = catalogue.indicator(code)
        for i, (period, value) in enumerate(figures):
            others = [v for j, (_, v) in enumerate(figures) if j != i]
            level = float(np.median(others)) if others else float("nan")
            far = level >= outliers.UNUSUAL_MIN_LEVEL and (
                value >= outliers.UNUSUAL_FACTOR * level or value <= level / outliers.UNUSUAL_FACTOR
            )
            outside = (spec.plausible_min is not None and value < spec.plausible_min) or (
                spec.plausible_max is not None and value > spec.plausible_max
            )
            if far or outside:
                out.add((code, period, agency is not None, locality is not None, value))
    return out


def test_unusual_figures_read_only_candidate_series_yet_miss_none(store: sa.Engine) -> None:
    """The SQL choice of series to read never drops a figure the full check would list."""
    from data_access.models import Locality

    seed_reference(store)
    rng = np.random.default_rng(11)
    with session_scope(store) as session:
        period_ids = ensure_periods(session, QUARTERS)
        agency_ids = [None, *session.scalars(sa.select(Agency.id))]
        locality_ids = [None, *session.scalars(sa.select(Locality.id))]
        indicators = dict(session.execute(sa.select(Indicator.code, Indicator.id)).all())
        codes = ["MASH_CONTACTS", "MASH_SW_CASELOAD", "MASH_DECISION_1WD", "TR_LEARNERS"]
        for code in codes:
            for agency_id in agency_ids:
                for locality_id in locality_ids:
                    level = float(rng.choice([0.5, 3, 8, 40, 900]))
                    for quarter in QUARTERS[: int(rng.integers(1, len(QUARTERS) + 1))]:
                        value = level * float(rng.uniform(0.8, 1.2))
                        draw = rng.random()
                        if draw < 0.08:
                            value *= 10
                        elif draw < 0.16:
                            value /= 10
                        elif draw < 0.22:
                            value = 0.0
                        elif draw < 0.25:
                            value = 150.0  # beyond a percentage's plausible range
                        session.add(
                            IndicatorValue(
                                indicator_id=indicators[code],
                                period_id=period_ids[quarter.code],
                                agency_id=agency_id,
                                locality_id=locality_id,
                                value=round(value, 1),
                            )
                        )
    listed = outliers.unusual_figures(engine=store, today=TODAY)
    found = {
        (
            r.indicator_code,
            r.period_code,
            r.agency_code is not None,
            r.locality_code is not None,
            float(r.value),
        )
        for r in listed.itertuples()
    }
    expected = _unusual_by_brute_force(store, TODAY)
    assert len(expected) > 20  # the data do hold unusual figures of every kind
    assert found == expected
    partnership = outliers.unusual_figures(engine=store, today=TODAY, partnership_only=True)
    assert {
        (r.indicator_code, r.period_code, False, False, float(r.value))
        for r in partnership.itertuples()
    } == {f for f in expected if not f[2] and not f[3]}
    assert not partnership.empty


def test_unusual_figures_do_not_read_ordinary_series(dq_store: sa.Engine) -> None:
    """Series with no figure near ten times another are never fetched from the store."""
    read = outliers._unusual_candidates(dq_store, TODAY, outliers.UNUSUAL_FACTOR)
    assert read.empty
    assert outliers.unusual_figures(engine=dq_store, today=TODAY).empty
