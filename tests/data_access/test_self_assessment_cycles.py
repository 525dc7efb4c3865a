"""Opening a self-assessment cycle (issue 29): a new partnership has none, and no return can be
loaded before one exists. Each problem is a sentence; a refused cycle writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import section11
from data_access.models import AuditLogEntry, S11Cycle
from data_access.self_assessment_cycles import CycleProblem, NewCycle, cycle_problems, open_cycle

EDU = "education_175_157"


def _cycles(engine: sa.Engine) -> int:
    with engine.connect() as c:
        return int(c.scalar(sa.select(sa.func.count()).select_from(S11Cycle)) or 0)


def test_a_cycle_is_opened_in_its_framework_with_an_audit_line(store: sa.Engine) -> None:
    before = _cycles(store)
    cycle = NewCycle(EDU, " 2026-27 ", dt.date(2026, 9, 1), dt.date(2027, 1, 29))
    cycle_id = open_cycle(engine=store, cycle=cycle, opened_by="quinn.qa", page="education_audit")
    assert _cycles(store) == before + 1
    listed = section11.list_cycles(engine=store, framework=EDU)
    assert list(listed.loc[listed["id"] == cycle_id, "name"]) == ["2026-27"]
    # The same name is free in the other framework: names are unique within one.
    open_cycle(
        engine=store,
        cycle=NewCycle("section_11", "2026-27", dt.date(2026, 9, 1), dt.date(2027, 1, 29)),
        opened_by="quinn.qa",
        page="section11",
    )
    with store.connect() as c:
        details = c.scalars(
            sa.select(AuditLogEntry.detail).where(
                AuditLogEntry.event == "self_assessment_cycle_opened"
            )
        ).all()
    assert (
        "schools' and colleges' safeguarding audit 2026-27: opens 2026-09-01, due 2027-01-29"
        in (details)
    )


def test_a_second_cycle_of_the_same_name_is_refused_and_nothing_written(store: sa.Engine) -> None:
    cycle = NewCycle(EDU, "2026-27", dt.date(2026, 9, 1), dt.date(2027, 1, 29))
    open_cycle(engine=store, cycle=cycle, opened_by="quinn.qa", page=None)
    before = _cycles(store)
    with pytest.raises(CycleProblem) as refused:
        open_cycle(engine=store, cycle=cycle, opened_by="quinn.qa", page=None)
    assert refused.value.problems == [
        "The schools' and colleges' safeguarding audit already has a cycle called 2026-27 "
        "(opened 01 September 2026): choose it on the page, or give the new one another name."
    ]
    assert _cycles(store) == before


@pytest.mark.parametrize(
    ("name", "opens", "due", "problem"),
    [
        ("2026", "2026-09-01", "2027-01-29", "Name the cycle by the years it covers"),
        ("2026-29", "2026-09-01", "2027-01-29", "should cover one or two years"),
        ("2026-27", "2026-09-01", "2026-09-01", "must come after the cycle opens"),
        ("2026-27", "2026-09-01", "2026-06-30", "The due date (30 June 2026) must come after"),
    ],
)
def test_a_wrong_cycle_is_refused_with_a_sentence(
    name: str, opens: str, due: str, problem: str
) -> None:
    cycle = NewCycle(EDU, name, dt.date.fromisoformat(opens), dt.date.fromisoformat(due))
    found = cycle_problems(cycle)
    assert len(found) == 1 and problem in found[0], found


def test_years_that_cross_a_century_are_one_year_apart() -> None:
    cycle = NewCycle("section_11", "2099-00", dt.date(2099, 4, 1), dt.date(2100, 3, 31))
    assert cycle_problems(cycle) == []
    assert (
        "not a self-assessment"
        in cycle_problems(NewCycle("ofsted", "2026-27", dt.date(2026, 9, 1), dt.date(2027, 1, 29)))[
            0
        ]
    )
