"""Opening a self-assessment cycle: the Section 11 round or the year's schools' and colleges'
audit that returns are loaded into. A new partnership has none, and without one no return can
be loaded, so QA officers and administrators open it from the page or the command line.

A cycle's name is unique within its framework ("2025-27" for a two-year Section 11 round,
"2026-27" for a school year's audit); its due date comes after it opens. Each problem is a
sentence saying what to change, and nothing is written unless the whole cycle is right.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa

from data_access import audit_log
from data_access.db import session_scope
from data_access.models import EDUCATION_175_157, SECTION_11, S11Cycle

FRAMEWORK_NAMES = {
    SECTION_11: "Section 11 self-assessment",
    EDUCATION_175_157: "schools' and colleges' safeguarding audit",
}
# "2025-26" or "2025-27": the years the cycle covers (the second a year or two after the first).
_NAME = re.compile(r"(\d{4})-(\d{2})")


class CycleProblem(ValueError):
    """A cycle that cannot be opened, with every reason in a sentence."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class NewCycle:
    framework: str
    name: str
    opens_on: dt.date
    due_on: dt.date


def cycle_problems(cycle: NewCycle) -> list[str]:
    """What is wrong with `cycle` on its own (the store is not asked)."""
    problems = []
    if cycle.framework not in FRAMEWORK_NAMES:
        problems.append(
            f"'{cycle.framework}' is not a self-assessment: choose {' or '.join(FRAMEWORK_NAMES)}."
        )
    match = _NAME.fullmatch(cycle.name.strip())
    if match is None:
        problems.append(
            f"Name the cycle by the years it covers, like 2025-26 or 2025-27, not '{cycle.name}'."
        )
    else:
        first, last = int(match[1]), int(match[2])
        if (last - first % 100) % 100 not in (1, 2):
            problems.append(
                f"The cycle '{cycle.name}' should cover one or two years: the second year comes "
                "one or two after the first (2025-26 or 2025-27)."
            )
    if cycle.due_on <= cycle.opens_on:
        problems.append(
            f"The due date ({cycle.due_on:%d %B %Y}) must come after the cycle opens "
            f"({cycle.opens_on:%d %B %Y})."
        )
    return problems


def open_cycle(*, engine: sa.Engine, cycle: NewCycle, opened_by: str, page: str | None) -> int:
    """Record `cycle` and an audit line in one transaction; its id. CycleProblem if it is wrong
    or its framework already has a cycle of that name."""
    problems = cycle_problems(cycle)
    if problems:
        raise CycleProblem(problems)
    name = cycle.name.strip()
    with session_scope(engine) as session:
        held = session.scalar(
            sa.select(S11Cycle.opens_on).where(
                S11Cycle.framework == cycle.framework, S11Cycle.name == name
            )
        )
        if held is not None:
            raise CycleProblem(
                [
                    f"The {FRAMEWORK_NAMES[cycle.framework]} already has a cycle called {name} "
                    f"(opened {held:%d %B %Y}): choose it on the page, or give the new one "
                    "another name."
                ]
            )
        record = S11Cycle(
            framework=cycle.framework, name=name, opens_on=cycle.opens_on, due_on=cycle.due_on
        )
        session.add(record)
        session.flush()
        audit_log.record(
            session,
            username=opened_by,
            event="self_assessment_cycle_opened",
            page=page,
            detail=(
                f"{FRAMEWORK_NAMES[cycle.framework]} {name}: opens {cycle.opens_on.isoformat()}, "
                f"due {cycle.due_on.isoformat()}"
            ),
        )
        return int(record.id)
