"""Theme queries on a hand-made store (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import catalogue, themes  # noqa: E402
from tests.support.theme_seed import LATEST, QUARTERS, TODAY, seed_themes


@pytest.fixture
def seeded(store: sa.Engine) -> sa.Engine:
    seed_themes(store)
    return store


def test_history_is_partnership_level_by_default(seeded: sa.Engine) -> None:
    history = themes.indicator_history(engine=seeded, theme_code="mash")
    assert set(history["code"]) == {i.code for i in catalogue.indicators("mash")}
    decisions = history[history["code"] == "MASH_DECISION_1WD"]
    assert list(decisions["period_code"]) == [q.code for q in QUARTERS]
    assert decisions["value"].iloc[-1] == 78.0
    contacts = history[history["code"] == "MASH_CONTACTS"]
    assert len(contacts) == len(QUARTERS)  # agency and locality rows are not mixed in


def test_history_scopes_and_range(seeded: sa.Engine) -> None:
    police = themes.indicator_history(
        engine=seeded,
        theme_code="mash",
        agency_code="POL",
        from_period=QUARTERS[-4].code,
        to_period=LATEST,
    )
    contacts = police[police["code"] == "MASH_CONTACTS"]
    assert len(contacts) == 4
    assert contacts["value"].iloc[-1] == round(120 * 0.3)
    # An indicator with no agency figures still appears once, with no value.
    decisions = police[police["code"] == "MASH_DECISION_1WD"]
    assert len(decisions) == 1 and decisions["value"].isna().all()
    north = themes.indicator_history(engine=seeded, theme_code="mash", locality_code="N")
    assert north[north["code"] == "MASH_CONTACTS"]["value"].iloc[-1] == round(120 * 0.6)


def test_headline_only_and_comparators(seeded: sa.Engine) -> None:
    headline = themes.indicator_history(engine=seeded, headline_only=True)
    assert set(headline["code"]) == {i.code for i in catalogue.indicators() if i.headline}
    comparators = themes.comparator_series(engine=seeded, theme_code="mash")
    assert set(comparators["comparator_type"]) == {"england"}
    assert "MASH_CONTACTS" not in set(comparators["code"])  # no target, no comparator seeded


def test_breakdown_by_agency_and_locality(seeded: sa.Engine) -> None:
    by_agency = themes.breakdown(
        engine=seeded, theme_code="mash", period_code=LATEST, dimension="agency"
    )
    contacts = by_agency[by_agency["code"] == "MASH_CONTACTS"]
    assert dict(zip(contacts["group_name"], contacts["value"], strict=True)) == {
        "Borough Council": 84.0,
        "Shire Police": 36.0,
    }
    by_locality = themes.breakdown(
        engine=seeded, theme_code="mash", period_code=LATEST, dimension="locality"
    )
    assert set(by_locality["group_code"]) == {"N", "S"}
    # One indicator's figures alone: the same rows as the whole theme's, filtered.
    one = themes.breakdown(
        engine=seeded,
        theme_code="mash",
        period_code=LATEST,
        dimension="agency",
        indicator_code="MASH_CONTACTS",
    )
    assert set(one["code"]) == {"MASH_CONTACTS"}
    pd.testing.assert_frame_equal(one, contacts.reset_index(drop=True))
    with pytest.raises(ValueError):
        themes.breakdown(engine=seeded, theme_code="mash", period_code=LATEST, dimension="school")


def test_breakdown_pages_counts_and_largest_agree_with_the_whole(seeded: sa.Engine) -> None:
    """A page of the breakdown, its counts and the chart's largest figures are cut from the same
    rows as the whole breakdown."""
    args = {
        "engine": seeded,
        "theme_code": "mash",
        "period_code": LATEST,
        "indicator_code": "MASH_CONTACTS",
    }
    for dimension in ("agency", "locality"):
        whole = themes.breakdown(dimension=dimension, **args)
        assert len(whole) == 2
        pages = [
            themes.breakdown(dimension=dimension, offset=offset, limit=1, **args)
            for offset in (0, 1, 2)
        ]
        assert [len(page) for page in pages] == [1, 1, 0]
        pd.testing.assert_frame_equal(pd.concat(pages[:2], ignore_index=True), whole)
        assert themes.breakdown_counts(dimension=dimension, **args) == {
            "rows": len(whole),
            "figures": int(whole["value"].notna().sum()),
        }
        largest = themes.breakdown_largest(dimension=dimension, limit=1, **args)
        assert list(largest["group_code"]) == [
            whole.sort_values("value", ascending=False)["group_code"].iloc[0]
        ]


def test_drilldown_rows_include_submission_and_history(seeded: sa.Engine) -> None:
    rows = themes.drilldown_rows(engine=seeded, indicator_code="MASH_CONTACTS", period_code=LATEST)
    assert len(rows) == 5  # partnership, 2 agencies, 2 localities
    assert set(rows["submission_file"]) == {"q4_return.xlsx"}
    council = themes.drilldown_rows(
        engine=seeded,
        indicator_code="MASH_CONTACTS",
        period_code=LATEST,
        agency_code="LA",
        include_superseded=True,
    )
    assert sorted(council["is_current"].tolist()) == [False, True]


def test_actions_overdue_first(seeded: sa.Engine) -> None:
    actions = themes.theme_actions(engine=seeded, theme_code="mash", today=TODAY)
    assert list(actions["action"]) == [
        "Share minutes within 1 working day",
        "Re-audit strategy discussions",
    ]
    assert list(actions["days_overdue"]) == [(TODAY - dt.date(2025, 3, 1)).days, 0]
    assert themes.theme_actions(engine=seeded, theme_code="neglect", today=TODAY).empty
    findings = themes.theme_findings(engine=seeded, theme_code="mash")
    assert set(findings["kind"]) == {"strength", "area_for_improvement"}


def test_mash_contacts_grouped_in_sql(seeded: sa.Engine) -> None:
    contacts = themes.mash_contacts_by_source(engine=seeded, period_code=LATEST)
    police = contacts[contacts["source"] == "police"]
    assert police["contacts"].sum() == 2
    assert contacts["contacts"].sum() == 4
    assert contacts["decided_within_1wd"].sum() == 3
    assert themes.mash_contacts_by_source(engine=seeded, period_code=QUARTERS[0].code).empty


def test_training_aggregates(seeded: sa.Engine) -> None:
    learners = themes.training_learners_by_agency(engine=seeded, period_code=LATEST)
    assert dict(zip(learners["agency"], learners["learners"], strict=True)) == {
        "Borough Council": 12,
        "Shire Police": 8,
    }
    evaluation = themes.training_evaluation_by_quarter(engine=seeded)
    assert list(evaluation["uplift_pct"]) == [50.0, 50.0]
    assert list(evaluation["objectives_met_pct"]) == [95.0, 95.0]
    levels = themes.kirkpatrick_levels(engine=seeded, period_code=LATEST)
    assert list(levels["level"]) == [1, 2, 3, 4]
    assert levels.set_index("level").loc[3, "respondents"] == 20
    assert levels.set_index("level").loc[3, "impact_pct"] == 70.0


def test_training_learners_pages_and_totals_agree_with_the_whole(seeded: sa.Engine) -> None:
    from data_access.db import session_scope
    from data_access.models import TrainingAttendance, TrainingSession
    from tests.support.many_agencies import add_agencies

    add_agencies(seeded, 7)
    with session_scope(seeded) as session:
        latest = session.scalar(
            sa.select(TrainingSession.id).order_by(TrainingSession.session_date.desc()).limit(1)
        )
        extra = (
            session.execute(sa.text("SELECT id FROM agency WHERE code LIKE 'VC%' ORDER BY code"))
            .scalars()
            .all()
        )
        # Two agencies tie on 5 learners: the name settles their order.
        session.add_all(
            TrainingAttendance(
                session_id=latest, agency_id=agency_id, learners=[5, 5, 30, 1, 9, 2, 7][n]
            )
            for n, agency_id in enumerate(extra)
        )
    whole = themes.training_learners_by_agency(engine=seeded, period_code=LATEST)
    assert list(whole["learners"]) == sorted(whole["learners"], reverse=True)
    assert list(whole["agency"][:3]) == ["Village Club 002", "Borough Council", "Village Club 004"]
    pages = pd.concat(
        themes.training_learners_by_agency(engine=seeded, period_code=LATEST, offset=o, limit=4)
        for o in (0, 4, 8)
    )
    assert pages.reset_index(drop=True).equals(whole)
    totals = themes.training_learners_totals(engine=seeded, period_code=LATEST)
    assert totals == {"agencies": 9, "learners": 20 + 59}
    assert themes.training_learners_totals(engine=seeded, period_code="1999-00 Q1") == {
        "agencies": 0,
        "learners": 0,
    }
    assert themes.training_learners_by_agency(engine=seeded, period_code="1999-00 Q1").empty


def test_empty_store_returns_empty_frames(store: sa.Engine) -> None:
    history = themes.indicator_history(engine=store, theme_code="neglect")
    assert history["value"].isna().all()
    assert len(history) == len(catalogue.indicators("neglect"))
    assert themes.breakdown(
        engine=store, theme_code="neglect", period_code="2024-25 Q1", dimension="agency"
    ).empty
    assert themes.theme_actions(engine=store, theme_code="neglect").empty
    assert (
        themes.kirkpatrick_levels(engine=store, period_code="2024-25 Q1")["follow_ups"].sum() == 0
    )
    assert themes.training_evaluation_by_quarter(engine=store).empty


def test_history_to_quarter_has_every_earlier_quarter_and_nothing_later(seeded: sa.Engine) -> None:
    """The quarter brief's input: no "from" quarter, so no display window can shorten it."""
    quarter = QUARTERS[-3].code
    history = themes.history_to_quarter(engine=seeded, period_code=quarter, theme_code="mash")
    decisions = history[history["code"] == "MASH_DECISION_1WD"]
    assert list(decisions["period_code"]) == [q.code for q in QUARTERS[:-2]]
    contacts = history[history["code"] == "MASH_CONTACTS"]
    assert len(contacts) == len(QUARTERS) - 2  # partnership rows only, not agency or locality
    police = themes.history_to_quarter(
        engine=seeded, period_code=LATEST, theme_code="mash", agency_code="POL"
    )
    police_contacts = police[police["code"] == "MASH_CONTACTS"]
    assert len(police_contacts) == len(QUARTERS)
    assert police_contacts["value"].iloc[-1] == round(120 * 0.3)
    with pytest.raises(ValueError):
        themes.history_to_quarter(engine=seeded, period_code="not a quarter")
