"""Data-quality checks: missing and late returns, implausible movements, completeness."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import sqlalchemy as sa

from data_access import data_quality as dq
from data_access.db import session_scope
from data_access.models import Agency, Indicator, IndicatorValue, Submission
from data_access.periods import Quarter, quarters_between
from data_access.reference import ensure_periods
from tests.data_access.import_corpus import TODAY, seed_reference

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
                    file_name=f"{code}-{quarter.code}.csv", checksum="0" * 64,
                    submitted_by="test", source="sample", agency_id=agency_id,
                    period_id=period_ids[quarter.code],
                    submitted_at=dt.datetime.combine(quarter.end_date + dt.timedelta(days=days),
                                                     dt.time(10)),
                )
                session.add(submission)
                session.flush()
                if code == "LA":
                    for indicator, series in (("MASH_CONTACTS", CONTACTS),
                                              ("MASH_REFERRALS", REFERRALS)):
                        session.add(IndicatorValue(
                            indicator_id=indicators[indicator],
                            period_id=period_ids[quarter.code], value=series[q_index],
                            submission_id=submission.id,
                        ))
    return store


def test_missing_submissions(dq_store: sa.Engine) -> None:
    missing = dq.missing_submissions(engine=dq_store, today=TODAY, quarters=4)
    assert list(zip(missing["agency_code"], missing["period_code"], strict=True)) == [
        ("POLICE", "2025-26 Q4")
    ]
    assert missing["days_since_quarter_end"].iloc[0] == (TODAY - dt.date(2026, 3, 31)).days


def test_rolled_back_submissions_do_not_count(dq_store: sa.Engine) -> None:
    with session_scope(dq_store) as session:
        icb = session.scalar(sa.select(Agency.id).where(Agency.code == "ICB"))
        for submission in session.scalars(sa.select(Submission)
                                          .where(Submission.agency_id == icb)):
            submission.status = "rolled_back"
    missing = dq.missing_submissions(engine=dq_store, today=TODAY, quarters=2)
    assert set(missing["agency_code"]) == {"POLICE", "ICB"}


def test_late_submissions(dq_store: sa.Engine) -> None:
    late = dq.late_submissions(engine=dq_store, today=TODAY)
    assert list(late["agency_code"]) == ["LA"]
    assert late["period_code"].iloc[0] == QUARTERS[6].code
    assert late["days_after_quarter_end"].iloc[0] == 60
    assert late["days_late"].iloc[0] == 60 - dq.LATE_AFTER_DAYS
    assert dq.late_submissions(engine=dq_store, today=TODAY, late_after_days=60).empty


def test_implausible_movements(dq_store: sa.Engine) -> None:
    flagged = dq.implausible_movements(engine=dq_store, today=TODAY)
    assert list(flagged["indicator_code"]) == ["MASH_CONTACTS"]
    row = flagged.iloc[0]
    assert (row["previous_value"], row["latest_value"], row["change"]) == (1003, 2000, 997)
    assert row["modified_z"] > dq.OUTLIER_Z


def test_modified_z_score() -> None:
    assert dq.modified_z_of_latest(np.array([1.0, 2.0, 3.0])) is None  # too little history
    z, median, mad = dq.modified_z_of_latest(np.array([10.0, -10.0, 12.0, -8.0, 11.0]))
    assert median == 1.0 and mad == 10.0 and z == pytest.approx(0.6745)
    # MAD of 0 (most earlier changes identical): fall back to the mean absolute deviation.
    z, _, _ = dq.modified_z_of_latest(np.array([0.0, 0.0, 0.0, 4.0, 40.0]))
    assert z == pytest.approx(0.7979 * 40 / 1.0)
    z, _, _ = dq.modified_z_of_latest(np.array([5.0, 5.0, 5.0, 5.0, 6.0]))
    assert z == np.inf
    assert dq.modified_z_of_latest(np.array([5.0, 5.0, 5.0, 5.0, 5.0]))[0] == 0.0


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
    assert dq.implausible_movements(engine=store, today=TODAY).empty
    assert dq.indicator_completeness(engine=store, today=TODAY).empty
    assert (dq.theme_completeness(engine=store, today=TODAY)["expected"] == 0).all()


def test_sample_store_shows_its_missing_latest_returns(sample_store: sa.Engine) -> None:
    missing = dq.missing_submissions(engine=sample_store, quarters=1)
    assert {"BCOL", "BHOM"} <= set(missing["agency_code"])
    completeness = dq.theme_completeness(engine=sample_store)
    assert (completeness["completeness_pct"] > 50).all()


def test_unusual_figures_are_listed(store: sa.Engine) -> None:
    """A decimal comma once turned 17.5 into 175: a figure ten times its history is listed."""
    import datetime as dt

    from data_access.importer import check_file, load_checked
    from tests.data_access.import_corpus import csv_bytes

    rows = [["MASH_SW_CASELOAD", q, "", "", v, "", "", "", ""]
            for q, v in (("2024-25 Q1", 17.5), ("2024-25 Q2", 18), ("2024-25 Q3", 17),
                         ("2024-25 Q4", 175))]
    rows.append(["CHILD_POPULATION", "2024-25", "", "", 40, "", "", "", ""])
    checked = check_file(engine=store, file_name="r.csv", data=csv_bytes(rows),
                         today=dt.date(2026, 1, 1))
    load_checked(engine=store, checked=checked, username="qa", confirm_outliers=True)
    unusual = dq.unusual_figures(engine=store, today=dt.date(2026, 1, 1))
    by_code = unusual.set_index("indicator_code")
    assert sorted(unusual["indicator_code"]) == ["CHILD_POPULATION", "MASH_SW_CASELOAD"]
    caseload = by_code.loc["MASH_SW_CASELOAD"]
    assert caseload["period_code"] == "2024-25 Q4"
    assert caseload["usual_level"] == 17.5 and caseload["times_usual"] == 10.0
    assert "usual level" in caseload["reason"]
    assert by_code.loc["CHILD_POPULATION", "reason"] == ("outside the range expected for this "
                                                         "indicator")
