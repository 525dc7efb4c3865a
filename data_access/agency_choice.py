"""Agencies for a choice box, found in the store: a partnership can have thousands of them, and a
page that offers one should fetch the few it lists, not every agency on every run.

`dashboard.components.filters.store_agency_options` draws the sector and search boxes and calls
these; `bounded_agency_options` does the same for a list a page already holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import sqlalchemy as sa

from data_access.models import Agency
from data_access.queries_common import frame


def name_or_code_contains(search: str | None) -> sa.ColumnElement[bool] | None:
    """The condition "the agency's name or code contains `search`, in any case", or None when
    there is nothing to search for."""
    wanted = (search or "").strip().lower()
    if not wanted:
        return None
    # lower() on both sides (SQLite's LIKE ignores case for ASCII only, PostgreSQL's not at
    # all); autoescape keeps % and _ in the search plain characters.
    return sa.or_(
        sa.func.lower(Agency.name).contains(wanted, autoescape=True),
        sa.func.lower(Agency.code).contains(wanted, autoescape=True),
    )


def _matching(
    *, sector: str | None, search: str | None, active_only: bool
) -> sa.Select[*tuple[Any, ...]]:
    stmt = sa.select(Agency.id, Agency.code, Agency.name, Agency.sector)
    if active_only:
        stmt = stmt.where(Agency.active.is_(True))
    if sector:
        stmt = stmt.where(Agency.sector == sector)
    found = name_or_code_contains(search)
    return stmt if found is None else stmt.where(found)


def agency_sectors(*, engine: sa.Engine, active_only: bool = True) -> list[str]:
    """The sectors agencies belong to, A to Z."""
    agencies = _matching(sector=None, search=None, active_only=active_only).subquery()
    stmt = (
        sa.select(agencies.c.sector)
        .where(agencies.c.sector.is_not(None))
        .distinct()
        .order_by(agencies.c.sector)
    )
    with engine.connect() as connection:
        return list(connection.execute(stmt).scalars())


def count_agencies(
    *,
    engine: sa.Engine,
    sector: str | None = None,
    search: str | None = None,
    active_only: bool = True,
) -> int:
    """How many agencies match (in `sector`, name or code containing `search`, any case)."""
    agencies = _matching(sector=sector, search=search, active_only=active_only).subquery()
    with engine.connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.count()).select_from(agencies)).scalar_one()
        )


def find_agencies(
    *,
    engine: sa.Engine,
    sector: str | None = None,
    search: str | None = None,
    active_only: bool = True,
    limit: int = 200,
    keep_ids: Iterable[int] = (),
) -> pd.DataFrame:
    """The first `limit` matching agencies A to Z: id, code, name, sector. `keep_ids` (agencies
    already chosen) that do not match are added first, so a choice never jumps to another
    agency behind the user's back; they are returned whether or not still active, so a form
    can say one has closed."""
    stmt = (
        _matching(sector=sector, search=search, active_only=active_only)
        .order_by(Agency.name, Agency.id)
        .limit(limit)
    )
    found = frame(engine, stmt)
    missing = [int(a) for a in dict.fromkeys(keep_ids) if int(a) not in set(found["id"])]
    if missing:
        kept = frame(
            engine,
            sa.select(Agency.id, Agency.code, Agency.name, Agency.sector).where(
                Agency.id.in_(missing)
            ),
        )
        kept = kept.set_index("id").reindex(missing).dropna(how="all").reset_index()
        found = pd.concat([kept, found.iloc[: max(limit - len(kept), 0)]], ignore_index=True)
    return found


def agency_by_code(
    *, engine: sa.Engine, code: str, active_only: bool = True
) -> dict[str, object] | None:
    """The agency with this code (id, code, name, sector), or None when there is none (a stale
    or mistyped code in a shared link)."""
    stmt = _matching(sector=None, search=None, active_only=active_only).where(Agency.code == code)
    with engine.connect() as connection:
        row = connection.execute(stmt).mappings().first()
    return dict(row) if row is not None else None
