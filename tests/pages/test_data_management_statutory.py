"""The Load quarterly returns page with a statutory return: a census's figures beside the
stored ones with their definitions, loaded on the button; a bad census's problems shown and
nothing loadable; a refused file explained.

As in test_data_management.py, AppTest cannot upload a file, so the function the page calls
on an upload (`statutory_flow.check_statutory`) is run and its result put where the page keeps it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard.views import data_management_import as import_flow
from dashboard.views import data_management_statutory as statutory_flow
from data_access.models import IndicatorValue
from data_access.statutory import StatutoryFileProblem
from sample_data.census import ChildSpec, EpisodeSpec, PlanSpec, census_xml
from tests.support.data_management_page import open_as, texts

REF = dt.date(2025, 3, 31)


def _census(category: str = "NEG") -> bytes:
    return census_xml(
        [
            ChildSpec(
                "PAGE001",
                dt.date(2015, 1, 1),
                [
                    EpisodeSpec(
                        dt.date(2024, 6, 3), plans=[PlanSpec(dt.date(2024, 7, 1), None, category)]
                    )
                ],
            ),
            ChildSpec("PAGE002", dt.date(2014, 1, 1), [EpisodeSpec(dt.date(2024, 9, 9))]),
        ],
        REF,
    )


@pytest.fixture
def page_store(sqlite_store: sa.Engine, use_store) -> sa.Engine:
    return use_store(sqlite_store)


def _figures(at):
    for frame in at.dataframe:
        if "Definition" in frame.value.columns:
            return frame.value
    raise AssertionError("no figures table")


def test_a_census_shows_each_figure_with_its_definition_then_loads(page_store) -> None:
    checked = statutory_flow.check_statutory(engine=page_store, file_name="cin.xml", data=_census())
    assert not isinstance(checked, StatutoryFileProblem)
    at = open_as("qa_officer", {import_flow.CHECKED_STATE: checked})
    assert not at.exception
    table = _figures(at).set_index(["Figure", "Period"])
    assert table.loc[("Referrals received", "2024-25"), "From the file"] == "2"
    assert (
        table.loc[("Children on a child protection plan at 31 March", "2024-25"), "Stored now"]
        == "-"
    )
    assert (
        "CPPstartDate"
        in table.loc[("Children on a child protection plan at 31 March", "2024-25"), "Definition"]
    )
    assert (
        "Needs the child population"
        in table.loc[("Referral rate per 10,000 children", "2024-25"), "From the file"]
    )
    assert "no identifier, date of birth, postcode" in texts(at)
    load = at.button(key="dm_load")
    assert not load.disabled
    load.click().run()
    assert not at.exception
    assert "Loaded submission" in at.success[0].value
    with page_store.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) > 0


def test_a_census_with_problems_lists_them_and_loads_nothing(page_store) -> None:
    checked = statutory_flow.check_statutory(
        engine=page_store, file_name="bad.xml", data=_census("HIT")
    )
    at = open_as("qa_officer", {import_flow.CHECKED_STATE: checked})
    assert not at.exception
    assert "problem(s) in the file" in at.error[0].value
    problems = next(f.value for f in at.dataframe if "Problem and what to do" in f.value.columns)
    assert "LAchildID PAGE001" in problems.iloc[0, 0] and "'HIT'" in problems.iloc[0, 0]
    assert at.button(key="dm_load").disabled


def test_a_refused_file_is_explained(page_store) -> None:
    refused = statutory_flow.check_statutory(
        engine=page_store, file_name="bomb.xml", data=b'<!DOCTYPE m [<!ENTITY a "b">]><m>&a;</m>'
    )
    assert isinstance(refused, StatutoryFileProblem)
    at = open_as("qa_officer", {import_flow.CHECKED_STATE: refused})
    assert not at.exception
    assert "cannot be read" in at.error[0].value
    assert not [b for b in at.button if b.key == "dm_load"]
