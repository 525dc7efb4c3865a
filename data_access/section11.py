"""Section 11 / Section 175 self-assessments: the matrix, an agency's detail, sector shares.

Each agency rates itself red, amber or green against each standard, once per cycle. "Change"
compares a rating with the same agency's rating for the same standard in the previous cycle
(the cycle that opened before the selected one).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from data_access import agency_choice, youth_texts
from data_access.models import (
    SECTION_11,
    Agency,
    S11Cycle,
    S11Rating,
    S11Return,
    S11Standard,
)
from data_access.queries_common import frame

RATING_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}
# What an agency said about itself, in words a young person would use.
YOUTH_RATING_LABELS = {
    "green": "We think we're doing well",
    "amber": "We think we're partly doing this",
    "red": "We think we need to improve",
}
RATING_ORDER = {"red": 0, "amber": 1, "green": 2}
CHANGE_LABELS = ("improved", "declined", "same", "new")


def list_cycles(*, engine: sa.Engine, framework: str = SECTION_11) -> pd.DataFrame:
    """A framework's cycles (Section 11 unless named), newest first: id, name, opens_on,
    due_on."""
    stmt = (
        sa.select(S11Cycle.id, S11Cycle.name, S11Cycle.opens_on, S11Cycle.due_on)
        .where(S11Cycle.framework == framework)
        .order_by(S11Cycle.opens_on.desc())
    )
    return frame(engine, stmt)


def list_standards(*, engine: sa.Engine, framework: str = SECTION_11) -> pd.DataFrame:
    """A framework's standards (Section 11 unless named) in number order: id, number, title,
    description, youth_description."""
    stmt = (
        sa.select(
            S11Standard.id,
            S11Standard.number,
            S11Standard.title,
            S11Standard.description,
            S11Standard.youth_description,
        )
        .where(S11Standard.framework == framework)
        .order_by(S11Standard.number)
    )
    return frame(engine, stmt)


def previous_cycle_id(*, engine: sa.Engine, cycle_id: int) -> int | None:
    """The cycle of the same framework that opened just before `cycle_id`, or None."""
    current = sa.select(S11Cycle.opens_on).where(S11Cycle.id == cycle_id).scalar_subquery()
    framework = sa.select(S11Cycle.framework).where(S11Cycle.id == cycle_id).scalar_subquery()
    stmt = (
        sa.select(S11Cycle.id)
        .where(S11Cycle.opens_on < current, S11Cycle.framework == framework)
        .order_by(S11Cycle.opens_on.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        return connection.execute(stmt).scalar_one_or_none()


def _with_previous_rating(
    stmt: sa.Select[*tuple[Any, ...]], previous_id: int | None
) -> sa.Select[*tuple[Any, ...]]:
    """`stmt` (rows of agency and standard) with each pair's rating in the previous cycle
    (`previous_rating`, NULL without a previous cycle or rating).

    A correlated lookup per row (two unique-index seeks: the agency's return for the previous
    cycle, then its rating on the standard), so a page of 50 agencies reads 550 earlier ratings,
    not every rating of the previous cycle joined and then thrown away.
    """
    if previous_id is None:
        return stmt.add_columns(sa.null().label("previous_rating"))
    earlier_return = aliased(S11Return, name="earlier_return")
    earlier_rating = aliased(S11Rating, name="earlier_rating")
    previous = (
        sa.select(earlier_rating.rating)
        .join(earlier_return, earlier_return.id == earlier_rating.return_id)
        .where(
            earlier_return.agency_id == Agency.id,
            earlier_return.cycle_id == previous_id,
            earlier_return.submitted_on.is_not(None),
            earlier_rating.standard_id == S11Standard.id,
        )
        .correlate(Agency, S11Standard)
        .scalar_subquery()
    )
    return stmt.add_columns(previous.label("previous_rating"))


def _ratings(
    engine: sa.Engine,
    cycle_id: int,
    agency_id: int | None = None,
    *,
    with_text: bool = True,
    agencies: sa.Select[*tuple[Any, ...]] | None = None,
) -> pd.DataFrame:
    """The cycle's submitted ratings with the same agency's rating in the previous cycle, in one
    query (the earlier cycle is joined in the store, not fetched whole and merged). `agencies`:
    a select of agency ids to keep (a page of the matrix)."""
    columns: list[sa.SQLColumnExpression[object]] = [
        Agency.id.label("agency_id"),
        Agency.name.label("agency"),
        Agency.sector,
        Agency.section_175,
        S11Standard.id.label("standard_id"),
        S11Standard.number.label("standard_number"),
        S11Standard.title.label("standard"),
        S11Rating.rating,
    ]
    if with_text:
        columns += [S11Rating.evidence_summary, S11Rating.improvement_action]
    columns.append(S11Return.submitted_on)
    previous_id = previous_cycle_id(engine=engine, cycle_id=cycle_id)
    stmt: sa.Select[*tuple[Any, ...]] = (
        sa.select(*columns)
        .join(S11Return, S11Return.agency_id == Agency.id)
        .join(S11Rating, S11Rating.return_id == S11Return.id)
        .join(S11Standard, S11Standard.id == S11Rating.standard_id)
        .where(S11Return.cycle_id == cycle_id, S11Return.submitted_on.is_not(None))
        .order_by(Agency.name, S11Standard.number)
    )
    stmt = _with_previous_rating(stmt, previous_id)
    if agency_id is not None:
        stmt = stmt.where(Agency.id == agency_id)
    if agencies is not None:
        stmt = stmt.where(Agency.id.in_(agencies.scalar_subquery()))
    return frame(engine, stmt)


def rating_change(now_ratings: pd.Series, before_ratings: pd.Series) -> pd.Series:
    """improved / declined / same, or new where there is no earlier rating."""
    now = now_ratings.map(RATING_ORDER)
    before = before_ratings.map(RATING_ORDER)
    change = pd.Series("same", index=now_ratings.index, dtype=object)
    change[now > before] = "improved"
    change[now < before] = "declined"
    change[before.isna()] = "new"
    return change


def _with_change(ratings: pd.DataFrame) -> pd.DataFrame:
    ratings["change"] = rating_change(ratings["rating"], ratings["previous_rating"])
    ratings["rating_label"] = ratings["rating"].map(RATING_LABELS)
    ratings["previous_label"] = ratings["previous_rating"].map(RATING_LABELS)
    return ratings


def _returned(cycle_id: int, sector: str | None, search: str | None) -> sa.Select[*tuple[Any, ...]]:
    """Agencies with a submitted return in the cycle, in `sector`, whose name or code contains
    `search` (any case): a select of (id, name, code, sector)."""
    stmt = (
        sa.select(Agency.id, Agency.name, Agency.code, Agency.sector)
        .join(S11Return, S11Return.agency_id == Agency.id)
        .where(S11Return.cycle_id == cycle_id, S11Return.submitted_on.is_not(None))
    )
    if sector:
        stmt = stmt.where(Agency.sector == sector)
    found = agency_choice.name_or_code_contains(search)
    return stmt if found is None else stmt.where(found)


def returned_sectors(*, engine: sa.Engine, cycle_id: int) -> list[str]:
    """The sectors of the agencies that returned in the cycle, A to Z."""
    returned = _returned(cycle_id, None, None).subquery()
    stmt = (
        sa.select(returned.c.sector)
        .where(returned.c.sector.is_not(None))
        .distinct()
        .order_by(returned.c.sector)
    )
    with engine.connect() as connection:
        return list(connection.execute(stmt).scalars())


def returned_agency_count(
    *, engine: sa.Engine, cycle_id: int, sector: str | None = None, search: str | None = None
) -> int:
    """How many agencies returned in the cycle (in `sector`, matching `search`)."""
    returned = _returned(cycle_id, sector, search).subquery()
    with engine.connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.count()).select_from(returned)).scalar_one()
        )


def rating_matrix(
    *,
    engine: sa.Engine,
    cycle_id: int,
    sector: str | None = None,
    search: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> pd.DataFrame:
    """Returned ratings in the cycle, long form, with the change since the previous cycle.

    `sector` and `search` (part of an agency's name or code) narrow the agencies; `offset` and
    `limit` take one page of them in name order (the store pages, so a page of 50 agencies
    fetches 50 agencies' ratings however many returned). Columns: agency_id, agency, sector,
    section_175, standard_id, standard_number, standard, rating, submitted_on,
    previous_rating, change (improved / declined / same / new), rating_label, previous_label.
    The evidence and improvement texts are left out (the matrix does not show them;
    `agency_detail` has them for one agency).
    """
    agencies = None
    if sector or (search or "").strip() or offset or limit is not None:
        returned = _returned(cycle_id, sector, search).subquery()
        agencies = (
            sa.select(returned.c.id)
            .order_by(returned.c.name, returned.c.id)
            .offset(offset)
            .limit(limit)
        )
    return _with_change(_ratings(engine, cycle_id, with_text=False, agencies=agencies))


def agency_detail(*, engine: sa.Engine, cycle_id: int, agency_id: int) -> pd.DataFrame:
    """One agency's ratings for the cycle with evidence, improvement actions and change."""
    return _with_change(_ratings(engine, cycle_id, agency_id))


def green_share_by_sector(*, engine: sa.Engine, cycle_id: int) -> pd.DataFrame:
    """Share of standards rated green, by sector: sector, agencies, ratings, green, amber, red,
    green_pct (GROUP BY in SQL).

    The ratings are counted per return first and the returns then per sector: the agency (and
    its sector) is looked up once a return, not once a rating.
    """

    def count_of(value: str) -> sa.Label[int]:
        return sa.func.sum(sa.case((S11Rating.rating == value, 1), else_=0)).label(value)

    per_return = (
        sa.select(
            S11Return.agency_id,
            sa.func.count().label("ratings"),
            count_of("green"),
            count_of("amber"),
            count_of("red"),
        )
        .join(S11Rating, S11Rating.return_id == S11Return.id)
        .where(S11Return.cycle_id == cycle_id, S11Return.submitted_on.is_not(None))
        .group_by(S11Return.id, S11Return.agency_id)
        .subquery("per_return")
    )
    stmt = (
        sa.select(
            Agency.sector,
            sa.func.count(sa.distinct(Agency.id)).label("agencies"),
            *(
                sa.func.sum(per_return.c[name]).label(name)
                for name in ("ratings", "green", "amber", "red")
            ),
        )
        .join(per_return, per_return.c.agency_id == Agency.id)
        .group_by(Agency.sector)
        .order_by(Agency.sector)
    )
    shares = frame(engine, stmt)
    for column in ("agencies", "ratings", "green", "amber", "red"):
        shares[column] = shares[column].astype(int)
    shares["green_pct"] = (100 * shares["green"] / shares["ratings"]).round(1)
    return shares


def agencies_not_returned(*, engine: sa.Engine, cycle_id: int) -> pd.DataFrame:
    """Active agencies with no submitted return for the cycle: id, name, sector, section_175,
    due_on."""
    returned = (
        sa.select(S11Return.agency_id)
        .where(S11Return.cycle_id == cycle_id, S11Return.submitted_on.is_not(None))
        .scalar_subquery()
    )
    due = sa.select(S11Cycle.due_on).where(S11Cycle.id == cycle_id).scalar_subquery()
    stmt = (
        sa.select(Agency.id, Agency.name, Agency.sector, Agency.section_175, due.label("due_on"))
        .where(Agency.active.is_(True), Agency.id.not_in(returned))
        .order_by(Agency.name)
    )
    return frame(engine, stmt)


def rating_counts_by_standard(*, engine: sa.Engine, cycle_id: int) -> pd.DataFrame:
    """How many agencies rated themselves green, amber and red on each standard.

    Columns: standard_number, standard, green, amber, red, total (raw counts: suppress them
    before showing them to young people or the public).
    """

    def count_of(value: str) -> sa.Label[int]:
        return sa.func.sum(sa.case((S11Rating.rating == value, 1), else_=0)).label(value)

    stmt = (
        sa.select(
            S11Standard.number.label("standard_number"),
            S11Standard.title.label("standard"),
            count_of("green"),
            count_of("amber"),
            count_of("red"),
            sa.func.count(S11Rating.id).label("total"),
        )
        .join(S11Rating, S11Rating.standard_id == S11Standard.id)
        .join(S11Return, S11Return.id == S11Rating.return_id)
        .where(S11Return.cycle_id == cycle_id, S11Return.submitted_on.is_not(None))
        .group_by(S11Standard.number, S11Standard.title)
        .order_by(S11Standard.number)
    )
    counts = frame(engine, stmt)
    for column in ("green", "amber", "red", "total"):
        counts[column] = counts[column].astype(int)
    return counts


# The change since the last round, in words a young person would use.
YOUTH_CHANGE_WORDS = {
    "improved": "Better than last time",
    "declined": "Worse than last time",
    "same": "The same as last time",
    "new": "Not rated last time",
}


def youth_rating_groups(*, engine: sa.Engine, cycle_id: int) -> pd.DataFrame:
    """The youth page's counts, grouped in the store: how many organisations gave each rating
    on each standard.

    Columns: standard_number, standard, rating, organisations_rating (how many gave it),
    organisations (how many sent in a self-check this round, the same on every row). At most
    standards x 3 rows, whatever the number of organisations;
    `dashboard.views.youth_section11_summary.counts_from_groups` turns them into the table. The
    ratings are grouped by standard id before the titles are joined, so the store sorts small keys
    once.
    """
    submitted = sa.and_(S11Return.cycle_id == cycle_id, S11Return.submitted_on.is_not(None))
    rated = sa.exists().where(S11Rating.return_id == S11Return.id)
    organisations = (
        sa.select(sa.func.count()).select_from(S11Return).where(submitted, rated).scalar_subquery()
    )
    grouped = (
        sa.select(
            S11Rating.standard_id, S11Rating.rating, sa.func.count().label("organisations_rating")
        )
        .join(S11Return, S11Return.id == S11Rating.return_id)
        .where(submitted)
        .group_by(S11Rating.standard_id, S11Rating.rating)
        .subquery("grouped")
    )
    stmt = (
        sa.select(
            S11Standard.number.label("standard_number"),
            S11Standard.title.label("standard"),
            grouped.c.rating,
            grouped.c.organisations_rating,
            organisations.label("organisations"),
        )
        .join(grouped, grouped.c.standard_id == S11Standard.id)
        .order_by(S11Standard.number, grouped.c.rating)
    )
    return frame(engine, stmt)


def _rated_on(cycle_id: int, standard_id: int) -> sa.Select[*tuple[Any, ...]]:
    """(agency id, name) of the agencies that rated themselves on one standard in the cycle."""
    return (
        sa.select(Agency.id, Agency.name)
        .join(S11Return, S11Return.agency_id == Agency.id)
        .join(S11Rating, S11Rating.return_id == S11Return.id)
        .where(
            S11Return.cycle_id == cycle_id,
            S11Return.submitted_on.is_not(None),
            S11Rating.standard_id == standard_id,
        )
    )


def youth_card_pages(
    *, engine: sa.Engine, cycle_id: int, standard_id: int, per_page: int
) -> pd.DataFrame:
    """The pages of one standard's cards, A to Z, `per_page` organisations each, named by their
    first and last organisation: page (from 1), first_row, last_row (from 1), first, last.

    Numbered in the store (ROW_NUMBER), which sends two names a page, not every name.
    """
    rated = _rated_on(cycle_id, standard_id).subquery()
    numbered = sa.select(
        rated.c.name,
        sa.func.row_number().over(order_by=(rated.c.name, rated.c.id)).label("row"),
        sa.func.count().over().label("total"),
    ).subquery()
    stmt = (
        sa.select(numbered.c.row, numbered.c.name, numbered.c.total)
        .where(
            sa.or_(
                (numbered.c.row - 1) % per_page == 0,
                numbered.c.row % per_page == 0,
                numbered.c.row == numbered.c.total,
            )
        )
        .order_by(numbered.c.row)
    )
    edges = frame(engine, stmt)
    columns = ["page", "first_row", "last_row", "first", "last"]
    if edges.empty:
        return pd.DataFrame(columns=columns)
    edges["page"] = (edges["row"] - 1) // per_page + 1
    pages = (
        edges.groupby("page", sort=True)
        .agg(
            first_row=("row", "min"),
            last_row=("row", "max"),
            first=("name", "first"),
            last=("name", "last"),
        )
        .reset_index()
    )
    return pages[columns]


def youth_view(
    *,
    engine: sa.Engine,
    cycle_id: int,
    standard_id: int | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> pd.DataFrame:
    """What each agency said about itself, for the youth council, by name: no case data, no
    staff names and no staff text. `standard_id`: one standard's rows only (the cards the page
    shows), not every standard's; with it, `offset` and `limit` take one page of organisations
    A to Z (`youth_card_pages` names the pages), and only their texts are read.

    Columns: standard_id, standard_number, standard, youth_description, agency_id, agency,
    agency_code, rating, youth_rating, previous_rating, previous_youth_rating, change,
    change_words, told_us, will_do. `told_us` and `will_do` are the approved plain-words
    versions (data_access.youth_texts) of the agency's evidence and improvement action, or
    None when nobody has written and approved one; the staff evidence itself is never here.
    Organisations are not people: their ratings are not suppressed.
    """
    stmt = (
        sa.select(
            S11Standard.id.label("standard_id"),
            S11Standard.number.label("standard_number"),
            S11Standard.title.label("standard"),
            S11Standard.youth_description,
            Agency.id.label("agency_id"),
            Agency.name.label("agency"),
            Agency.code.label("agency_code"),
            S11Rating.rating,
        )
        .join(S11Rating, S11Rating.standard_id == S11Standard.id)
        .join(S11Return, S11Return.id == S11Rating.return_id)
        .join(Agency, Agency.id == S11Return.agency_id)
        .where(S11Return.cycle_id == cycle_id, S11Return.submitted_on.is_not(None))
        .order_by(S11Standard.number, Agency.name)
    )
    if standard_id is not None:
        stmt = stmt.where(S11Standard.id == standard_id)
        if offset or limit is not None:
            rated = _rated_on(cycle_id, standard_id).subquery()
            page = (
                sa.select(rated.c.id).order_by(rated.c.name, rated.c.id).offset(offset).limit(limit)
            )
            stmt = stmt.where(Agency.id.in_(page.scalar_subquery()))
    previous_id = previous_cycle_id(engine=engine, cycle_id=cycle_id)
    stmt = _with_previous_rating(stmt, previous_id)
    view = frame(engine, stmt)
    view["youth_rating"] = view["rating"].map(YOUTH_RATING_LABELS)
    view["previous_youth_rating"] = view["previous_rating"].map(YOUTH_RATING_LABELS)
    change = rating_change(view["rating"], view["previous_rating"])
    view["change"] = change
    view["change_words"] = change.map(YOUTH_CHANGE_WORDS)

    with engine.connect() as connection:
        cycle_name = connection.execute(
            sa.select(S11Cycle.name).where(S11Cycle.id == cycle_id)
        ).scalar_one_or_none()
    keys = [
        youth_texts.s11_key(cycle_name or "", code, number)
        for code, number in zip(view["agency_code"], view["standard_number"], strict=True)
    ]
    # One standard's cards need that standard's texts only (keys end "|<number>"), and one
    # page of cards only its organisations' texts (the keys themselves).
    numbers = set(view["standard_number"])
    suffix = f"|{int(numbers.pop())}" if standard_id is not None and len(numbers) == 1 else None
    exact = keys if standard_id is not None and limit is not None else None
    for subject, column in (("s11_evidence", "told_us"), ("s11_action", "will_do")):
        approved = youth_texts.approved_texts(
            engine=engine,
            subject=subject,
            key_prefix=f"{cycle_name}|",
            key_suffix=suffix,
            keys=exact,
        )
        texts = dict(zip(approved["subject_key"], approved["text"], strict=True))
        view[column] = [texts.get(key) for key in keys]
    return view
