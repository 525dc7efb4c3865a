"""Assurance summaries: a partnership group's "working well / not working well / next steps"
for a theme and quarter, with the group and the meeting where it was agreed.

Editing a summary adds a new one and marks the earlier one (same theme, quarter and group) as
superseded by it; nothing is deleted, so history can always be read back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log
from data_access.models import (
    SUMMARY_CATEGORIES,
    THEMES,
    AssuranceItem,
    AssuranceSummary,
    ReportingPeriod,
    Theme,
)
from data_access.queries_common import frame

CATEGORY_LABELS = {
    "working_well": "What's working well",
    "not_working_well": "What isn't working well",
    "next_steps": "What needs to happen next",
}
MAX_ITEM_LENGTH = 2000
MAX_GROUP_LENGTH = 200


class SummaryError(ValueError):
    """The summary cannot be saved; the message says why in words a person understands."""


def summaries(
    *, engine: sa.Engine, period_code: str, theme_code: str | None = None
) -> pd.DataFrame:
    """The current (not superseded) summaries for a quarter, one row per item.

    Columns: summary_id, theme_code, theme_name, period_code, group_name, meeting_date, author,
    created_at, category, text, position. Ordered by theme, meeting date (newest first), category.
    """
    stmt = (
        sa.select(
            AssuranceSummary.id.label("summary_id"),
            AssuranceSummary.theme_code,
            Theme.name.label("theme_name"),
            ReportingPeriod.code.label("period_code"),
            AssuranceSummary.group_name,
            AssuranceSummary.meeting_date,
            AssuranceSummary.author,
            AssuranceSummary.created_at,
            AssuranceItem.category,
            AssuranceItem.text,
            AssuranceItem.position,
        )
        .join(Theme, Theme.code == AssuranceSummary.theme_code)
        .join(ReportingPeriod, ReportingPeriod.id == AssuranceSummary.period_id)
        .join(AssuranceItem, AssuranceItem.summary_id == AssuranceSummary.id)
        .where(
            ReportingPeriod.code == period_code,
            AssuranceSummary.superseded_by_id.is_(None),
        )
        .order_by(
            Theme.sort_order,
            AssuranceSummary.meeting_date.desc(),
            AssuranceSummary.id.desc(),
            AssuranceItem.category,
            AssuranceItem.position,
        )
    )
    if theme_code:
        stmt = stmt.where(AssuranceSummary.theme_code == theme_code)
    return frame(engine, stmt)


def summary_history(
    *,
    engine: sa.Engine,
    theme_code: str | None = None,
    period_code: str | None = None,
    limit: int = 200,
) -> pd.DataFrame:
    """Every summary ever written (newest first), current or superseded, with its item count.

    Columns: summary_id, theme_code, period_code, group_name, meeting_date, author, created_at,
    items, status ("current" or "superseded"), superseded_by_id.
    """
    item_count = (
        sa.select(sa.func.count(AssuranceItem.id))
        .where(AssuranceItem.summary_id == AssuranceSummary.id)
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            AssuranceSummary.id.label("summary_id"),
            AssuranceSummary.theme_code,
            ReportingPeriod.code.label("period_code"),
            AssuranceSummary.group_name,
            AssuranceSummary.meeting_date,
            AssuranceSummary.author,
            AssuranceSummary.created_at,
            item_count.label("items"),
            sa.case(
                (AssuranceSummary.superseded_by_id.is_(None), "current"), else_="superseded"
            ).label("status"),
            AssuranceSummary.superseded_by_id,
        )
        .join(ReportingPeriod, ReportingPeriod.id == AssuranceSummary.period_id)
        .order_by(AssuranceSummary.created_at.desc(), AssuranceSummary.id.desc())
        .limit(limit)
    )
    if theme_code:
        stmt = stmt.where(AssuranceSummary.theme_code == theme_code)
    if period_code:
        stmt = stmt.where(ReportingPeriod.code == period_code)
    return frame(engine, stmt)


def _normalise_items(
    items: Mapping[str, Iterable[str]] | Iterable[tuple[str, str]],
) -> list[tuple[str, str]]:
    pairs = (
        [(category, text) for category, texts in items.items() for text in texts]
        if isinstance(items, Mapping)
        else list(items)
    )
    cleaned = []
    for category, text in pairs:
        if category not in SUMMARY_CATEGORIES:
            raise SummaryError(f"'{category}' is not a summary heading.")
        text = (text or "").strip()
        if not text:
            continue
        if len(text) > MAX_ITEM_LENGTH:
            raise SummaryError(
                f"One point under '{CATEGORY_LABELS[category]}' is {len(text)} characters long; "
                f"please keep each point under {MAX_ITEM_LENGTH}."
            )
        cleaned.append((category, text))
    return cleaned


def save_assurance_summary(
    session: so.Session,
    theme_code: str,
    period_code: str,
    group_name: str,
    meeting_date: dt.date,
    author: str,
    items: Mapping[str, Iterable[str]] | Iterable[tuple[str, str]],
    *,
    page: str = "assurance_summaries",
    today: dt.date | None = None,
) -> int:
    """Add a summary in the caller's transaction, supersede the previous one, log it; return its id.

    `items` is {category: [point, ...]} or [(category, point), ...] with categories
    working_well / not_working_well / next_steps; blank points are ignored. Raises SummaryError
    (nothing written) when the theme, quarter, group, date or points are not acceptable.
    """
    if theme_code not in THEMES:
        raise SummaryError(f"'{theme_code}' is not one of the partnership's themes.")
    group = (group_name or "").strip()
    if not group:
        raise SummaryError("Please name the group that agreed this summary.")
    if len(group) > MAX_GROUP_LENGTH:
        raise SummaryError(f"The group name must be under {MAX_GROUP_LENGTH} characters.")
    if not isinstance(meeting_date, dt.date):
        raise SummaryError("Please give the date of the meeting.")
    if meeting_date > (today or dt.date.today()):
        raise SummaryError("The meeting date is in the future; please give the date it was held.")
    if not (author or "").strip():
        raise SummaryError("The summary needs an author.")
    cleaned = _normalise_items(items)
    if not cleaned:
        raise SummaryError("Please write at least one point before saving.")
    period_id = session.scalar(
        sa.select(ReportingPeriod.id).where(ReportingPeriod.code == period_code)
    )
    if period_id is None:
        raise SummaryError(f"There is no reporting period {period_code!r} in the store.")

    summary = AssuranceSummary(
        theme_code=theme_code,
        period_id=period_id,
        group_name=group,
        meeting_date=meeting_date,
        author=author,
    )
    positions: dict[str, int] = {}
    for category, text in cleaned:
        positions[category] = positions.get(category, 0) + 1
        summary.items.append(
            AssuranceItem(category=category, text=text, position=positions[category])
        )
    session.add(summary)
    session.flush()

    earlier = session.scalars(
        sa.select(AssuranceSummary).where(
            AssuranceSummary.theme_code == theme_code,
            AssuranceSummary.period_id == period_id,
            AssuranceSummary.group_name == group,
            AssuranceSummary.superseded_by_id.is_(None),
            AssuranceSummary.id != summary.id,
        )
    ).all()
    for old in earlier:
        old.superseded_by_id = summary.id
    audit_log.record(
        session,
        username=author,
        event="assurance_summary_saved",
        page=page,
        detail=(
            f"summary {summary.id} for {theme_code} {period_code} by {group} "
            f"({len(cleaned)} points; supersedes {[o.id for o in earlier] or 'none'})"
        ),
    )
    session.flush()
    return summary.id
