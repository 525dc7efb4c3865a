"""The Section 11 page: the agencies x standards matrix, sector shares, non-returners, a return.

The matrix is a table in which every cell says its rating in words, with a colour as well, and
the change since the agency's previous cycle.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard import cache
from dashboard.components import charts, paging
from dashboard.components.chart_display import show_chart
from dashboard.components.plain import escape_inline
from dashboard.components.self_assessment_import import cycle_form, returns_import, show_flash
from dashboard.components.tables import (
    days_overdue,
    due_text,
    highlight_overdue,
    plural,
    sector_words,
    show_table,
)
from dashboard.exports import download_built, download_table
from dashboard.session import CurrentUser
from data_access import section11
from data_access.models import SECTION_11

# (symbol + word, background, text colour): each pair has contrast of at least 4.5:1.
RATING_CELL = {
    "green": ("✔ Green", "#00703c", "#ffffff"),
    "amber": ("▲ Amber", "#ffdd00", "#0b0c0c"),
    "red": ("✖ Red", "#d4351c", "#ffffff"),
}
CHANGE_TEXT = {
    "improved": "↑ improved",
    "declined": "↓ declined",
    "same": "= same",
    "new": "new",
}
NOT_RATED = "–"


# The matrix's cells say the change with a mark only (the key above the matrix gives the words),
# so that all eleven standards fit across the page at 1440 px.
CHANGE_MARK = {"improved": "↑", "declined": "↓", "same": "=", "new": "new"}


def late_sentence(missing: int, late: int, cycle: str) -> str:
    """'**1** active agency has not returned for 2025-26; **it is late**.' with every plural
    agreeing with its count (never "1 active agencies ... 1 of them are late")."""
    has = "has" if missing == 1 else "have"
    text = (
        f"**{plural(missing, 'active agency', 'active agencies')}** {has} not returned for {cycle}"
    )
    if not late:
        return text + "."
    if missing == 1:
        return text + "; **it is late**."
    if late == missing:
        return text + f"; **{'both' if late == 2 else 'all'} of them are late**, the latest first."
    verb = "is" if late == 1 else "are"
    return text + f"; **{late:,} of them {verb} late**, the latest first."


def cell_text(rating: str | None, change: str | None) -> str:
    """'✔ Green ↑': the rating in words and the change since the previous cycle as a mark."""
    if not rating or rating not in RATING_CELL:
        return NOT_RATED
    text = RATING_CELL[rating][0]
    return f"{text} {CHANGE_MARK.get(change or '', change or '')}" if change else text


def matrix_column_config(wide: pd.DataFrame) -> dict[str, object]:
    """Short headers ('S1') for the standards, the full name as the header's help text."""
    return {
        column: st.column_config.Column(column.split(" ", 1)[0], help=column)
        for column in wide.columns
        if column != "Agency"
    }


def standards_key(wide: pd.DataFrame) -> str:
    """'S1: Senior lead for safeguarding; S2: ...' for the line above the matrix."""
    return (
        "; ".join(
            f"**{c.split(' ', 1)[0]}** {c.split(' ', 1)[1]}" for c in wide.columns if c != "Agency"
        )
        + "."
    )


def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Agencies as rows and 'S1 Senior lead…' standards as columns, each cell `cell_text`."""
    if matrix.empty:
        return pd.DataFrame()
    frame = matrix[["agency", "standard_number", "standard", "rating", "change"]].copy()
    # A few standards, many agencies: name each standard once, then look the names up.
    standards = frame[["standard_number", "standard"]].drop_duplicates()
    names = {
        (n, t): f"S{n} {t}"
        for n, t in zip(standards["standard_number"], standards["standard"], strict=True)
    }
    # Built column-wise: mapping a MultiIndex of every rating was most of the warm page.
    frame["column"] = (
        "S" + frame["standard_number"].astype(int).astype(str) + " " + frame["standard"].astype(str)
    )
    # cell_text for every row at once (a matrix can hold tens of thousands of ratings).
    words = frame["rating"].map({r: cell[0] for r, cell in RATING_CELL.items()})
    change = frame["change"].fillna("").astype(str)
    marks = change.map(CHANGE_MARK).fillna(change)
    with_change = words + " " + marks
    frame["cell"] = with_change.where(change != "", words).where(words.notna(), NOT_RATED)
    order = [names[key] for key in sorted(names, key=lambda k: k[0])]
    wide = frame.pivot(index="agency", columns="column", values="cell").reindex(columns=order)
    return wide.fillna(NOT_RATED).reset_index().rename(columns={"agency": "Agency"})


def _cell_style(value: object) -> str:
    for _rating, (text, background, colour) in RATING_CELL.items():
        if isinstance(value, str) and value.startswith(text):
            return f"background-color: {background}; color: {colour}"
    return ""


def styled_matrix(wide: pd.DataFrame) -> Styler:
    """The wide matrix with each rating cell coloured (the words are already in the cell)."""
    return wide.style.map(_cell_style)


ALL_SECTORS = "All sectors"
# The matrix shows this many agencies at a time (the store pages): a page fits on the screen
# without a scroll box of its own, and colouring its cells (pandas Styler) stays quick.
AGENCIES_PER_PAGE = 50


def show_matrix(wide: pd.DataFrame) -> None:
    """A page of the wide matrix as a table, each rating cell coloured as well as worded."""
    from dashboard.components.tables import show_table

    show_table(
        styled_matrix(wide), data=wide, key="s11_matrix", column_config=matrix_column_config(wide)
    )


def matrix_export(matrix: pd.DataFrame) -> pd.DataFrame:
    """The long-form matrix as the CSV download gives it."""
    return matrix[
        [
            "agency",
            "sector",
            "standard_number",
            "standard",
            "rating_label",
            "previous_label",
            "change",
        ]
    ].rename(
        columns={
            "agency": "Agency",
            "sector": "Sector",
            "standard_number": "Standard number",
            "standard": "Standard",
            "rating_label": "Rating",
            "previous_label": "Previous rating",
            "change": "Change",
        }
    )


def detail_table(detail: pd.DataFrame) -> pd.DataFrame:
    """An agency's return as a readable table."""
    return pd.DataFrame(
        {
            "Standard": [
                f"{n}. {t}"
                for n, t in zip(detail["standard_number"], detail["standard"], strict=True)
            ],
            "Rating": [RATING_CELL.get(r, (NOT_RATED,))[0] for r in detail["rating"]],
            "Change since last cycle": [CHANGE_TEXT.get(c, c) for c in detail["change"]],
            "Previous rating": detail["previous_label"].fillna("–"),
            "Evidence summary": detail["evidence_summary"],
            "Improvement action": detail["improvement_action"].fillna("–"),
        }
    )


def render(user: CurrentUser) -> None:
    """Render the Section 11 page for `user` (call after the page's guard)."""
    st.title("Section 11 self-assessments")
    st.caption(
        "Each agency rates itself against the Section 11 standards: Green, Amber or Red. Change "
        "compares each rating with the agency's previous cycle. Schools' and colleges' own "
        "annual audit (section 175/157) is on the Schools and colleges audit page."
    )

    show_flash()
    cycles = cache.frame(section11.list_cycles)
    cycle_form(user, framework=SECTION_11, page="section11", first=cycles.empty)
    if cycles.empty:
        st.info(
            "No Section 11 cycle has been recorded yet. Once a cycle is opened and agencies' "
            "self-assessments are loaded into it, the matrix, sector shares and missing returns appear here."
        )
        st.stop()

    cycle_names = dict(zip(cycles["id"], cycles["name"], strict=True))
    cycle_id = st.selectbox(
        "Cycle",
        list(cycle_names),
        key="s11_cycle",
        format_func=lambda option: cycle_names.get(option, option),
    )
    returns_import(
        user, framework=SECTION_11, cycle_name=str(cycle_names[cycle_id]), page="section11"
    )
    previous_id = cache.query(section11.previous_cycle_id, cycle_id=int(cycle_id))
    comparison_words = (
        f"compared with {escape_inline(cycle_names.get(previous_id, 'the previous cycle'))}"
        if previous_id is not None
        else "no earlier cycle to compare with"
    )

    returned_total = cache.query(section11.returned_agency_count, cycle_id=int(cycle_id))

    st.header("Agencies and standards")
    if not returned_total:
        st.info(
            f"No agency has returned its self-assessment for "
            f"{escape_inline(cycle_names[cycle_id])} yet."
        )
    else:
        st.markdown(
            f"Each cell gives the rating in words and the change since the last cycle "
            f"({comparison_words}): **↑ improved**, **↓ declined**, **= same**, or **new** "
            "where there is no earlier rating. **–** means not rated."
        )
        sectors = cache.query(section11.returned_sectors, cycle_id=int(cycle_id))
        sector = st.selectbox(
            "Sector",
            [ALL_SECTORS, *sectors],
            key="s11_sector",
            format_func=lambda s: s if s == ALL_SECTORS else s.capitalize(),
        )
        sector_filter = None if sector == ALL_SECTORS else sector
        search = st.text_input(
            "Find an agency",
            key="s11_search",
            placeholder="Part of its name or code",
            help="Narrows the matrix and the choice of agency below.",
        ).strip()
        matching = (
            returned_total
            if sector_filter is None and not search
            else cache.query(
                section11.returned_agency_count,
                cycle_id=int(cycle_id),
                sector=sector_filter,
                search=search,
            )
        )
        # The store sends one page of agencies: thousands of rows are neither read nor quick to
        # send.
        page = paging.choose_page(
            st.container(),
            matching,
            per_page=AGENCIES_PER_PAGE,
            noun="agencies",
            key=paging.page_key("s11_page", cycle_id, sector_filter, search),
        )
        shown = cache.frame(
            section11.rating_matrix,
            cycle_id=int(cycle_id),
            sector=sector_filter,
            search=search,
            offset=page.offset,
            limit=page.limit,
        )
        if shown.empty:
            st.info(
                "No agency that returned matches that search"
                + (f" in the {sector_filter} sector." if sector_filter else ".")
            )
        else:
            if page.count > 1:
                st.caption(
                    f"Agencies {page.first_row:,} to {page.last_row:,} of {matching:,}, "
                    "A to Z by name. The download has all of them."
                )
            wide = matrix_table(shown)
            st.markdown("Standards: " + standards_key(wide))
            show_matrix(wide)
        download_built(
            lambda: matrix_export(
                cache.frame(
                    section11.rating_matrix,
                    cycle_id=int(cycle_id),
                    sector=sector_filter,
                    search=search,
                )
            ),
            label="matrix",
            file_stem=f"section11-{cycle_names[cycle_id]}",
            key="dl_s11_matrix",
            rows=matching,
        )

        st.header("Share of standards rated green, by sector")
        shares = cache.frame(section11.green_share_by_sector, cycle_id=int(cycle_id))
        best = shares.sort_values("green_pct", ascending=False)
        share_words = (
            "; ".join(
                f"{row.sector.capitalize()}: {row.green_pct:.1f}% green ({row.green} of "
                f"{row.ratings})"
                for row in best.itertuples(index=False)
            )
            + "."
        )
        show_chart(
            charts.bar_breakdown(
                shares,
                category="sector",
                value="green_pct",
                title="Standards rated green (%), by sector",
                unit="percentage",
                category_title="Sector",
            ),
            share_words,
            caption=False,
        )
        st.markdown(share_words)
        share_table = shares.rename(
            columns={
                "sector": "Sector",
                "agencies": "Agencies returned",
                "ratings": "Ratings",
                "green": "Green",
                "amber": "Amber",
                "red": "Red",
                "green_pct": "Green (%)",
            }
        )
        show_table(share_table)
        download_table(
            share_table, label="sector shares", file_stem="section11-sectors", key="dl_s11_sectors"
        )

    st.header("Agencies that have not returned")
    missing = cache.frame(section11.agencies_not_returned, cycle_id=int(cycle_id))
    if missing.empty:
        st.success(
            "Every active agency has returned its self-assessment for "
            f"{escape_inline(cycle_names[cycle_id])}."
        )
    else:
        today = dt.date.today()
        late = missing.assign(days_late=[days_overdue(d, today) for d in missing["due_on"]])
        late = late.sort_values(["days_late", "name"], ascending=[False, True])
        late_count = int((late["days_late"] > 0).sum())
        st.markdown(late_sentence(len(missing), late_count, escape_inline(cycle_names[cycle_id])))
        missing_table = late.assign(
            overdue=[due_text(due, today) for due in late["due_on"]],
            sector=late["sector"].map(sector_words),
            section_175=late["section_175"].map(lambda v: "Yes" if v else "No"),
        ).rename(
            columns={
                "name": "Agency",
                "sector": "Sector",
                "section_175": "Section 175 (school)",
                "due_on": "Due on",
                "overdue": "Overdue",
            }
        )[["Agency", "Overdue", "Sector", "Section 175 (school)", "Due on"]]
        show_table(
            highlight_overdue(missing_table, "Overdue"), data=missing_table, key="s11_missing_table"
        )
        download_table(
            missing_table,
            label="agencies not returned",
            file_stem="section11-not-returned",
            key="dl_s11_missing",
        )

    if returned_total and not shown.empty:
        st.header("An agency's return")
        st.caption(
            "The agencies in the matrix above"
            + (f" (page {page.number} of {page.count})" if page.count > 1 else "")
            + ": choose a sector, search or page there to reach another."
        )
        returned = shown.drop_duplicates("agency_id")
        names = dict(zip(returned["agency_id"], returned["agency"], strict=True))
        agency_id = st.selectbox(
            "Agency",
            list(names),
            key="s11_agency",
            format_func=lambda option: names.get(option, option),
        )
        detail = cache.frame(
            section11.agency_detail, cycle_id=int(cycle_id), agency_id=int(agency_id)
        )
        counts = detail["rating"].value_counts()
        st.markdown(
            f"**{escape_inline(names[agency_id])}** rated itself Green on "
            f"{counts.get('green', 0)}, Amber on {counts.get('amber', 0)} and Red on "
            f"{counts.get('red', 0)} of {len(detail)} standards."
        )
        table = detail_table(detail)
        show_table(table)
        download_table(
            table,
            label="agency return",
            file_stem=f"section11-agency-{agency_id}",
            key="dl_s11_agency",
        )
