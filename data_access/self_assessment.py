"""Self-assessments by framework: ratings per standard, who has not returned, and the themes.

One model serves both frameworks (`models.SELF_ASSESSMENT_FRAMEWORKS`): agencies' Section 11
self-assessment and schools' and colleges' annual safeguarding audit (section 175/157). A cycle
belongs to one framework; its respondents are agencies (Section 11) or education settings (the
schools' audit). Counts are made in the store (GROUP BY); shares are worked out here from those
counts, so a share and its parts never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa

from data_access.models import (
    EDUCATION_175_157,
    RAG_RATINGS,
    SECTION_11,
    Agency,
    EducationSetting,
    Locality,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Standard,
)
from data_access.queries_common import frame

FRAMEWORK_NAMES = {
    SECTION_11: "Section 11 self-assessment",
    EDUCATION_175_157: "Schools and colleges safeguarding audit (section 175/157)",
}
PHASE_WORDS = {
    "primary": "Primary school",
    "secondary": "Secondary school",
    "all_through": "All-through school",
    "special": "Special school",
    "alternative_provision": "Alternative provision",
    "college": "College",
}
DUTY_WORDS = {
    "section_175": "Section 175 (maintained school or college)",
    "section_157": "Section 157 (academy or independent school)",
}
# Amber and red: the ratings that say a standard is not yet fully met.
NOT_MET = ("amber", "red")


@dataclass(frozen=True)
class Cycle:
    id: int
    framework: str
    name: str
    opens_on: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class ReturnCounts:
    """How a cycle's expected respondents stand: on time, late, or not returned."""

    expected: int
    on_time: int
    late: int
    not_returned: int

    @property
    def returned(self) -> int:
        return self.on_time + self.late

    @property
    def missed_due_date(self) -> int:
        """Respondents with no return by the due date (late or still missing)."""
        return self.late + self.not_returned


def cycle(*, engine: sa.Engine, cycle_id: int) -> Cycle | None:
    """One cycle with its framework, or None."""
    stmt = sa.select(
        S11Cycle.id, S11Cycle.framework, S11Cycle.name, S11Cycle.opens_on, S11Cycle.due_on
    ).where(S11Cycle.id == cycle_id)
    with engine.connect() as connection:
        row = connection.execute(stmt).one_or_none()
    return None if row is None else Cycle(*row)


def latest_cycle(
    *, engine: sa.Engine, framework: str, opened_by: dt.date | None = None
) -> Cycle | None:
    """The framework's newest cycle (that opened on or before `opened_by`, when given); if none
    opened by then, its earliest; None when it has no cycle."""
    base = sa.select(
        S11Cycle.id, S11Cycle.framework, S11Cycle.name, S11Cycle.opens_on, S11Cycle.due_on
    ).where(S11Cycle.framework == framework)
    with engine.connect() as connection:
        if opened_by is not None:
            row = connection.execute(
                base.where(S11Cycle.opens_on <= opened_by)
                .order_by(S11Cycle.opens_on.desc())
                .limit(1)
            ).one_or_none()
            if row is None:
                row = connection.execute(base.order_by(S11Cycle.opens_on).limit(1)).one_or_none()
        else:
            row = connection.execute(base.order_by(S11Cycle.opens_on.desc()).limit(1)).one_or_none()
    return None if row is None else Cycle(*row)


def _submitted_in(cycle_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(S11Return.cycle_id == cycle_id, S11Return.submitted_on.is_not(None))


def _count_of(value: str) -> sa.Label[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((S11Rating.rating == value, 1), else_=0)), 0).label(
        value
    )


def ratings_by_standard(*, engine: sa.Engine, cycle_id: int) -> pd.DataFrame:
    """How many respondents rated each of the cycle's framework's standards green, amber and
    red, with the shares worked out from those counts.

    Every standard of the framework has a row (zero counts and no shares when nobody rated it).
    Columns: standard_id, standard_number, standard, green, amber, red, rated, green_pct,
    amber_pct, red_pct (percentages of `rated`, one decimal; missing when `rated` is 0).
    """
    grouped = (
        sa.select(
            S11Rating.standard_id,
            *(_count_of(value) for value in ("green", "amber", "red")),
            sa.func.count().label("rated"),
        )
        .join(S11Return, S11Return.id == S11Rating.return_id)
        .where(_submitted_in(cycle_id))
        .group_by(S11Rating.standard_id)
        .subquery("grouped")
    )
    framework = sa.select(S11Cycle.framework).where(S11Cycle.id == cycle_id).scalar_subquery()
    stmt = (
        sa.select(
            S11Standard.id.label("standard_id"),
            S11Standard.number.label("standard_number"),
            S11Standard.title.label("standard"),
            *(
                sa.func.coalesce(grouped.c[name], 0).label(name)
                for name in ("green", "amber", "red", "rated")
            ),
        )
        .outerjoin(grouped, grouped.c.standard_id == S11Standard.id)
        .where(S11Standard.framework == framework)
        .order_by(S11Standard.number)
    )
    counts = frame(engine, stmt)
    for column in ("green", "amber", "red", "rated"):
        counts[column] = counts[column].astype(int)
    for rating in RAG_RATINGS:
        counts[f"{rating}_pct"] = [
            round(100 * part / whole, 1) if whole else None
            for part, whole in zip(counts[rating], counts["rated"], strict=True)
        ]
    return counts


def themes(*, engine: sa.Engine, cycle_id: int, limit: int | None = None) -> pd.DataFrame:
    """The standards most often rated amber or red in the cycle, most first (ties by number).

    Columns: standard_number, standard, amber, red, not_met (amber + red), rated, not_met_pct.
    Standards no respondent rated amber or red are left out.
    """
    counts = ratings_by_standard(engine=engine, cycle_id=cycle_id)
    counts["not_met"] = counts["amber"] + counts["red"]
    counts = counts[counts["not_met"] > 0].copy()
    counts["not_met_pct"] = [
        round(100 * part / whole, 1)
        for part, whole in zip(counts["not_met"], counts["rated"], strict=True)
    ]
    ranked = counts.sort_values(
        ["not_met", "red", "standard_number"], ascending=[False, False, True]
    )
    columns = ["standard_number", "standard", "amber", "red", "not_met", "rated", "not_met_pct"]
    ranked = ranked[columns].reset_index(drop=True)
    return ranked if limit is None else ranked.head(limit)


def improvement_actions(*, engine: sa.Engine, cycle_id: int) -> pd.DataFrame:
    """The improvement actions respondents wrote against standards rated amber or red, grouped
    by standard and by the words of the action (GROUP BY in the store).

    Columns: standard_number, standard, action, respondents (how many wrote those words),
    red, amber. In standard order, the most common action first.
    """
    action = sa.func.trim(S11Rating.improvement_action)
    stmt = (
        sa.select(
            S11Standard.number.label("standard_number"),
            S11Standard.title.label("standard"),
            action.label("action"),
            sa.func.count().label("respondents"),
            _count_of("red"),
            _count_of("amber"),
        )
        .join(S11Rating, S11Rating.standard_id == S11Standard.id)
        .join(S11Return, S11Return.id == S11Rating.return_id)
        .where(
            _submitted_in(cycle_id),
            S11Rating.rating.in_(NOT_MET),
            S11Rating.improvement_action.is_not(None),
            action != "",
        )
        .group_by(S11Standard.number, S11Standard.title, action)
        .order_by(S11Standard.number, sa.func.count().desc(), action)
    )
    actions = frame(engine, stmt)
    for column in ("respondents", "red", "amber"):
        actions[column] = actions[column].astype(int)
    return actions


def _respondents(framework: str) -> sa.Select[*tuple[Any, ...]]:
    """Every active respondent a framework's cycle expects: id, name, code, kind, duty,
    locality."""
    if framework == EDUCATION_175_157:
        return (
            sa.select(
                EducationSetting.id,
                EducationSetting.name,
                EducationSetting.code,
                EducationSetting.phase.label("kind"),
                EducationSetting.duty,
                Locality.name.label("locality"),
            )
            .outerjoin(Locality, Locality.id == EducationSetting.locality_id)
            .where(EducationSetting.active.is_(True))
        )
    return (
        sa.select(
            Agency.id,
            Agency.name,
            Agency.code,
            Agency.sector.label("kind"),
            sa.null().label("duty"),
            Locality.name.label("locality"),
        )
        .outerjoin(Locality, Locality.id == Agency.locality_id)
        .where(Agency.active.is_(True))
    )


def _respondent_column(framework: str) -> sa.orm.InstrumentedAttribute[int | None]:
    return S11Return.setting_id if framework == EDUCATION_175_157 else S11Return.agency_id


def _with_returns(found: Cycle) -> sa.Subquery:
    """The expected respondents, each with its submitted date (NULL without a return)."""
    respondents = _respondents(found.framework).subquery("respondents")
    submitted = (
        sa.select(
            _respondent_column(found.framework).label("respondent_id"),
            S11Return.submitted_on,
        )
        .where(_submitted_in(found.id))
        .subquery("submitted")
    )
    return (
        sa.select(respondents, submitted.c.submitted_on)
        .outerjoin(submitted, submitted.c.respondent_id == respondents.c.id)
        .subquery("expected")
    )


def non_returners(*, engine: sa.Engine, cycle_id: int) -> pd.DataFrame:
    """The respondents the cycle expected that had no return by its due date: those still
    without one, and those whose return came late.

    Columns: id, name, code, kind (a setting's phase or an agency's sector), duty (settings
    only), locality, due_on, submitted_on (the late date, or None when still not returned).
    Still missing first, then latest return first, each A to Z.
    """
    found = cycle(engine=engine, cycle_id=cycle_id)
    columns = ["id", "name", "code", "kind", "duty", "locality", "due_on", "submitted_on"]
    if found is None:
        return pd.DataFrame(columns=columns)
    expected = _with_returns(found)
    stmt = (
        sa.select(
            expected.c.id,
            expected.c.name,
            expected.c.code,
            expected.c.kind,
            expected.c.duty,
            expected.c.locality,
            sa.literal(found.due_on, sa.Date).label("due_on"),
            expected.c.submitted_on,
        )
        .where(sa.or_(expected.c.submitted_on.is_(None), expected.c.submitted_on > found.due_on))
        .order_by(
            expected.c.submitted_on.is_not(None),
            expected.c.submitted_on.desc(),
            expected.c.name,
        )
    )
    return frame(engine, stmt, columns)


def return_counts(*, engine: sa.Engine, cycle_id: int) -> ReturnCounts:
    """How many respondents the cycle expected and how many returned on time, late or not at all
    (counted in the store)."""
    found = cycle(engine=engine, cycle_id=cycle_id)
    if found is None:
        return ReturnCounts(0, 0, 0, 0)
    expected = _with_returns(found)
    submitted = expected.c.submitted_on

    def count_where(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    stmt = sa.select(
        sa.func.count(),
        count_where(submitted <= found.due_on),
        count_where(submitted > found.due_on),
        count_where(submitted.is_(None)),
    ).select_from(expected)
    with engine.connect() as connection:
        row = connection.execute(stmt).one()
    return ReturnCounts(*(int(value) for value in row))


def list_settings(*, engine: sa.Engine) -> pd.DataFrame:
    """The schools and colleges, A to Z: id, code, name, phase, duty, locality, active."""
    stmt = (
        sa.select(
            EducationSetting.id,
            EducationSetting.code,
            EducationSetting.name,
            EducationSetting.phase,
            EducationSetting.duty,
            Locality.name.label("locality"),
            EducationSetting.active,
        )
        .outerjoin(Locality, Locality.id == EducationSetting.locality_id)
        .order_by(EducationSetting.name)
    )
    return frame(engine, stmt)
