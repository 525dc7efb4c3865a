"""One page of a long list at a time: the store fetches a page, the user chooses which.

A table of thousands of agencies is neither read nor quick to send; the page asks the store for
`per_page` rows from an offset and shows a "Page 2 of 166" choice when there is more than one page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from streamlit.delta_generator import DeltaGenerator


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
