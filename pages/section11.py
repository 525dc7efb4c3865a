"""Section 11 / Section 175 self-assessments: the agencies x standards matrix for a cycle, with
the change since the previous cycle, an agency's return, green share by sector, and non-returners.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import cache
from dashboard.components import charts, paging
from dashboard.components.plain import escape_inline
from dashboard.components.tables import (
    days_overdue,
    days_overdue_text,
    highlight_overdue,
    show_table,
)
from dashboard.exports import download_built, download_table
from dashboard.guard import require_page
from dashboard.views import section11 as section11_views
from data_access import section11

user = require_page("section11")
st.title("Section 11 self-assessments")
st.caption(
    "Each agency rates itself against the Section 11 standards (Section 175 for schools): "
    "Green, Amber or Red. Change compares each rating with the agency's previous cycle."
)

cycles = cache.frame(section11.list_cycles)
if cycles.empty:
    st.info(
        "No Section 11 cycle has been recorded yet. Once agencies' self-assessments are loaded, "
        "the matrix, sector shares and missing returns appear here."
    )
    st.stop()

cycle_names = dict(zip(cycles["id"], cycles["name"], strict=True))
cycle_id = st.selectbox("Cycle", list(cycle_names), key="s11_cycle", format_func=cycle_names.get)
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
        [section11_views.ALL_SECTORS, *sectors],
        key="s11_sector",
        format_func=lambda s: s if s == section11_views.ALL_SECTORS else s.capitalize(),
    )
    sector_filter = None if sector == section11_views.ALL_SECTORS else sector
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
    # The store sends one page of agencies: thousands of rows are neither read nor quick to send.
    page = paging.choose_page(
        st.container(),
        matching,
        per_page=section11_views.AGENCIES_PER_PAGE,
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
        wide = section11_views.matrix_table(shown)
        st.markdown("Standards: " + section11_views.standards_key(wide))
        section11_views.show_matrix(wide)
    download_built(
        lambda: section11_views.matrix_export(
            cache.frame(
                section11.rating_matrix, cycle_id=int(cycle_id), sector=sector_filter, search=search
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
            f"{row.sector.capitalize()}: {row.green_pct:.1f}% green ({row.green} of {row.ratings})"
            for row in best.itertuples(index=False)
        )
        + "."
    )
    st.altair_chart(
        charts.bar_breakdown(
            shares,
            category="sector",
            value="green_pct",
            title="Standards rated green (%), by sector",
            unit="percentage",
            category_title="Sector",
        ),
        width="stretch",
        theme=None,
        alt=share_words,
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
    st.markdown(
        f"**{len(missing)}** active agencies have not returned for "
        f"{escape_inline(cycle_names[cycle_id])}"
        + (f"; **{late_count} of them are late**, the latest first." if late_count else ".")
    )
    missing_table = late.assign(
        overdue=late["days_late"].map(days_overdue_text),
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
    agency_id = st.selectbox("Agency", list(names), key="s11_agency", format_func=names.get)
    detail = cache.frame(section11.agency_detail, cycle_id=int(cycle_id), agency_id=int(agency_id))
    counts = detail["rating"].value_counts()
    st.markdown(
        f"**{escape_inline(names[agency_id])}** rated itself Green on "
        f"{counts.get('green', 0)}, Amber on "
        f"{counts.get('amber', 0)} and Red on {counts.get('red', 0)} of {len(detail)} standards."
    )
    table = section11_views.detail_table(detail)
    show_table(table)
    download_table(
        table, label="agency return", file_stem=f"section11-agency-{agency_id}", key="dl_s11_agency"
    )
