"""Self-assessments by framework (data_access.self_assessment), on both stores, against a
hand-made schools' audit whose answers are worked out below."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from data_access import section11, self_assessment
from data_access.db import session_scope
from data_access.models import S11Return
from tests.support.education_seed import DUE, seed_education


def test_cycles_and_standards_are_kept_per_framework(store: sa.Engine) -> None:
    ids = seed_education(store)
    assert list(section11.list_cycles(engine=store)["name"]) == ["2024-26"]
    assert list(section11.list_cycles(engine=store, framework="education_175_157")["id"]) == [
        ids.cycle
    ]
    assert len(section11.list_standards(engine=store)) == 11
    education = section11.list_standards(engine=store, framework="education_175_157")
    assert list(education["number"]) == list(range(1, 14))
    assert education.iloc[6]["title"] == "Filtering and monitoring"
    # No earlier cycle of the same framework, though a Section 11 cycle opened before it.
    assert section11.previous_cycle_id(engine=store, cycle_id=ids.cycle) is None
    latest = self_assessment.latest_cycle(engine=store, framework="education_175_157")
    assert latest is not None and latest.id == ids.cycle and latest.due_on == DUE


def test_ratings_per_standard_counts_and_shares(store: sa.Engine) -> None:
    ids = seed_education(store)
    counts = self_assessment.ratings_by_standard(engine=store, cycle_id=ids.cycle)
    # Every standard of the framework has a row; only the three submitted returns count.
    assert list(counts["standard_number"]) == list(range(1, 14))
    first = counts.head(3).set_index("standard_number")
    assert first[["green", "amber", "red", "rated"]].values.tolist() == [
        [2, 1, 0, 3],  # Ash, Beech green; Cedar amber
        [1, 2, 0, 3],  # Cedar green; Ash, Beech amber
        [1, 1, 1, 3],  # Cedar green, Beech amber, Ash red
    ]
    assert first.loc[1, "green_pct"] == 66.7 and first.loc[1, "amber_pct"] == 33.3
    assert first.loc[1, "red_pct"] == 0.0
    unrated = counts.set_index("standard_number").loc[4]
    assert unrated["rated"] == 0 and pd.isna(unrated["green_pct"])


def test_themes_rank_amber_and_red_then_group_the_actions(store: sa.Engine) -> None:
    ids = seed_education(store)
    themes = self_assessment.themes(engine=store, cycle_id=ids.cycle)
    # Standards 2 and 3 both have two amber-or-red ratings; 3 has a red, so it comes first.
    assert list(themes["standard_number"]) == [3, 2, 1]
    assert list(themes["not_met"]) == [2, 2, 1]
    assert list(themes["not_met_pct"]) == [66.7, 66.7, 33.3]
    assert list(self_assessment.themes(engine=store, cycle_id=ids.cycle, limit=1)["red"]) == [1]
    actions = self_assessment.improvement_actions(engine=store, cycle_id=ids.cycle)
    assert actions[
        ["standard_number", "action", "respondents", "red", "amber"]
    ].values.tolist() == [
        [1, "Name a governor", 1, 0, 1],
        [2, "Train a deputy", 2, 0, 2],
        [3, "Review the policy", 2, 1, 1],
    ]


def test_non_returners_are_those_without_a_return_by_the_due_date(store: sa.Engine) -> None:
    ids = seed_education(store)
    missing = self_assessment.non_returners(engine=store, cycle_id=ids.cycle)
    # Daisy never opened a return and Elm never submitted one; Cedar came late; Ash and Beech
    # (on the due date itself) were on time; Fir is closed.
    assert list(missing["name"]) == ["Daisy Special School", "Elm Primary School", "Cedar College"]
    assert missing["submitted_on"].tolist()[:2] == [None, None]
    assert missing.iloc[2]["submitted_on"] == dt.date(2026, 2, 14)
    assert set(missing["due_on"]) == {DUE}
    assert list(missing["kind"]) == ["special", "primary", "college"]
    assert list(missing["locality"]) == ["North"] * 3
    counts = self_assessment.return_counts(engine=store, cycle_id=ids.cycle)
    assert counts == self_assessment.ReturnCounts(expected=5, on_time=2, late=1, not_returned=2)
    assert counts.returned == 3 and counts.missed_due_date == 3


def test_section_11_is_untouched_by_the_settings(store: sa.Engine) -> None:
    ids = seed_education(store)
    assert section11.agencies_not_returned(engine=store, cycle_id=ids.s11_cycle).empty
    counts = self_assessment.return_counts(engine=store, cycle_id=ids.s11_cycle)
    assert counts == self_assessment.ReturnCounts(expected=1, on_time=1, late=0, not_returned=0)
    assert list(
        section11.rating_counts_by_standard(engine=store, cycle_id=ids.s11_cycle)["total"]
    ) == [1]


def test_a_return_belongs_to_an_agency_or_a_setting(store: sa.Engine) -> None:
    ids = seed_education(store)
    with pytest.raises(IntegrityError), session_scope(store) as session:
        session.add(S11Return(cycle_id=ids.cycle, submitted_on=DUE))
    with pytest.raises(IntegrityError), session_scope(store) as session:
        session.add(
            S11Return(
                cycle_id=ids.s11_cycle + 100,
                setting_id=ids.settings["ash"],
                agency_id=1,
                submitted_on=DUE,
            )
        )


def test_an_unknown_cycle_has_nothing(store: sa.Engine) -> None:
    assert self_assessment.non_returners(engine=store, cycle_id=999).empty
    assert self_assessment.return_counts(engine=store, cycle_id=999).expected == 0
    assert self_assessment.latest_cycle(engine=store, framework="education_175_157") is None
