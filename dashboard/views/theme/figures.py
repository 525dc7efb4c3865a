"""A theme indicator's figures by agency or locality from the store: counts, largest, a page."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard import cache
from dashboard.components import charts, paging
from dashboard.metrics import rag as ragmod
from dashboard.views.theme.context import ThemeContext
from data_access import catalogue, themes

# A breakdown by agency can run to thousands of rows: its table shows a page of them
# (`paging.ROWS_PER_PAGE`) and its chart the largest; the download has every row.
PLURAL = {"agency": "agencies", "locality": "localities"}


def breakdown_counts(
    ctx: ThemeContext, code: str, dimension: str, period_code: str | None = None
) -> dict[str, int]:
    """How many `dimension` rows `code` has in the quarter (or year), and how many hold a figure."""
    return cache.query(
        themes.breakdown_counts,
        theme_code=ctx.theme_code,
        period_code=period_code or ctx.period_code,
        dimension=dimension,
        indicator_code=code,
    )


def largest_figures(ctx: ThemeContext, code: str, dimension: str) -> pd.DataFrame:
    """The figures a breakdown bar chart draws: the largest `charts.MAX_BARS`."""
    return cache.frame(
        themes.breakdown_largest,
        theme_code=ctx.theme_code,
        period_code=ctx.period_code,
        dimension=dimension,
        indicator_code=code,
        limit=charts.MAX_BARS,
    )


def paged_breakdown_table(
    ctx: ThemeContext,
    *,
    code: str,
    dimension: str,
    total: int,
    build: Callable[[pd.DataFrame], pd.DataFrame],
    label: str,
    key: str,
    file_stem: str,
    period_code: str | None = None,
) -> pd.DataFrame:
    """One page of `code`'s figures by `dimension` as the table `build` makes of them (see
    `paging.paged_table`). Returns the page's rows (as the store gave them)."""
    period = period_code or ctx.period_code
    query = {
        "theme_code": ctx.theme_code,
        "period_code": period,
        "dimension": dimension,
        "indicator_code": code,
    }
    return paging.paged_table(
        total=total,
        noun=PLURAL[dimension],
        order="A to Z by name",
        fetch_page=lambda offset, limit: cache.frame(
            themes.breakdown, offset=offset, limit=limit, **query
        ),
        fetch_all=lambda: cache.frame(themes.breakdown, **query),
        build=build,
        label=label,
        key=key,
        file_stem=file_stem,
        page_key=paging.page_key(f"{key}_page", period, dimension, code),
    )


def breakdown_total_words(
    ctx: ThemeContext, code: str, dimension: str, period_code: str | None = None
) -> str:
    """The total of `code`'s figures across its agencies (or localities), in words, made by the
    catalogue's one rule across them (`themes.breakdown_total`): "Total of the 4 localities:
    3,506, added up." or why there is none."""
    total = cache.query(
        themes.breakdown_total,
        theme_code=ctx.theme_code,
        period_code=period_code or ctx.period_code,
        dimension=dimension,
        indicator_code=code,
    )
    groups = int(total["groups"])
    if not groups:
        return ""
    spec = catalogue.indicator(code)
    noun = dimension if groups == 1 else PLURAL[dimension]
    if total["value"] is None:
        return f"No total of the {groups:,} {noun}: {total['reason']}."
    figure = ragmod.format_value(total["value"], spec.unit)
    return f"Total of the {groups:,} {noun}: {figure}, {total['rule']}."
