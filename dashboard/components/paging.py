"""One page of a long list at a time: the store fetches a page, the user chooses which.

A table of thousands of agencies is neither read nor quick to send; the page asks the store for
`per_page` rows from an offset and shows a "Page 2 of 166" choice when there is more than one page.
`paged_table` puts the choice, the page's rows and a download of every row together.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.components.tables import show_table
from dashboard.exports import download_built

# A table from the store can run to thousands of rows (a breakdown by agency, learners by agency):
# `paged_table` shows this many at a time; its download has every row.
ROWS_PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    """Which rows to fetch (`offset`, `limit`) and how to describe them."""

    number: int  # from 1
    count: int  # how many pages there are (at least 1)
    offset: int
    limit: int
    total: int

    @property
    def first_row(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last_row(self) -> int:
        return min(self.offset + self.limit, self.total)


def page_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def choose_page(
    container: DeltaGenerator, total: int, *, per_page: int, key: str, noun: str = "rows"
) -> Page:
    """A "Page n of N" choice when `total` rows need more than one page, and the page chosen.

    `key` should change when the list does (another filter or search): the choice then starts
    again at page 1 instead of pointing past the end of a shorter list.
    """
    count = page_count(total, per_page)
    number = 1
    if count > 1:
        number = container.selectbox(
            "Page",
            list(range(1, count + 1)),
            key=key,
            format_func=lambda n: (
                f"Page {n} of {count} ({noun} {(n - 1) * per_page + 1:,} to "
                f"{min(n * per_page, total):,})"
            ),
            help=f"{total:,} {noun} in all, {per_page} to a page.",
        )
    return Page(
        number=number, count=count, offset=(number - 1) * per_page, limit=per_page, total=total
    )


def page_key(prefix: str, *parts: object) -> str:
    """A widget key that changes with the filters the list depends on."""
    return "_".join([prefix, *(str(p) for p in parts)])


def paged_table(
    *,
    total: int,
    noun: str,
    order: str,
    fetch_page: Callable[[int, int], pd.DataFrame],
    fetch_all: Callable[[], pd.DataFrame],
    build: Callable[[pd.DataFrame], pd.DataFrame],
    label: str,
    key: str,
    page_key: str,
    file_stem: str,
) -> pd.DataFrame:
    """A table of `total` rows shown `ROWS_PER_PAGE` at a time: a page choice when there is more
    than one page, the rows `fetch_page(offset, limit)` gives as `build` lays them out, and a
    download of every row (`fetch_all`) made when it is asked for. `order` says how the rows are
    sorted ("A to Z by name"). Returns the page's rows as fetched."""
    page = choose_page(st.container(), total, per_page=ROWS_PER_PAGE, noun=noun, key=page_key)
    rows = fetch_page(page.offset, page.limit)
    if page.count > 1:
        st.caption(
            f"{noun.capitalize()} {page.first_row:,} to {page.last_row:,} of {total:,}, "
            f"{order}. The download has all of them."
        )
    show_table(build(rows), key=f"{key}_df")
    download_built(
        lambda: build(fetch_all()), label=label, file_stem=file_stem, key=f"{key}_csv", rows=total
    )
    return rows
