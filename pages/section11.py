"""Section 11 / Section 175 self-assessments: the agencies x standards matrix for a cycle, with
the change since the previous cycle, an agency's return, green share by sector, and non-returners.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.components import charts, section11_views
from dashboard.components.plain import escape_inline
from dashboard.exports import download_table
from dashboard.guard import require_page
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
cycle_id = st.selectbox("Cycle", list(cycle_names), key="s11_cycle",
                        format_func=cycle_names.get)
previous_id = cache.query(section11.previous_cycle_id, cycle_id=int(cycle_id))
comparison_words = (
    f"compared with {escape_inline(cycle_names.get(previous_id, 'the previous cycle'))}"
    if previous_id is not None else "no earlier cycle to compare with"
)

matrix = cache.frame(section11.rating_matrix, cycle_id=int(cycle_id))

st.header("Agencies and standards")
if matrix.empty:
    st.info(f"No agency has returned its self-assessment for "
            f"{escape_inline(cycle_names[cycle_id])} yet.")
else:
    st.markdown(
        f"Each cell gives the rating in words and the change since the last cycle "
        f"({comparison_words}): **↑ improved**, **↓ declined**, **= same**, or **new** "
        "where there is no earlier rating. **–** means not rated."
    )
    wide = section11_views.matrix_table(matrix)
    st.dataframe(section11_views.styled_matrix(wide), hide_index=True, width="stretch")
    export = matrix[["agency", "sector", "standard_number", "standard", "rating_label",
                     "previous_label", "change"]].rename(columns={
        "agency": "Agency", "sector": "Sector", "standard_number": "Standard number",
        "standard": "Standard", "rating_label": "Rating", "previous_label": "Previous rating",
        "change": "Change",
    })
    download_table(export, label="matrix", file_stem=f"section11-{cycle_names[cycle_id]}",
                   key="dl_s11_matrix")

    st.header("Share of standards rated green, by sector")
    shares = cache.frame(section11.green_share_by_sector, cycle_id=int(cycle_id))
    st.altair_chart(
        charts.bar_breakdown(shares, category="sector", value="green_pct",
                             title="Standards rated green (%)", unit="percentage",
                             category_title="Sector"),
        width="stretch",
    )
    best = shares.sort_values("green_pct", ascending=False)
    st.markdown("; ".join(
        f"{row.sector.capitalize()}: {row.green_pct:.1f}% green ({row.green} of {row.ratings})"
        for row in best.itertuples(index=False)
    ) + ".")
    share_table = shares.rename(columns={
        "sector": "Sector", "agencies": "Agencies returned", "ratings": "Ratings",
        "green": "Green", "amber": "Amber", "red": "Red", "green_pct": "Green (%)",
    })
    st.dataframe(share_table, hide_index=True, width="stretch")
    download_table(share_table, label="sector shares", file_stem="section11-sectors",
                   key="dl_s11_sectors")

st.header("Agencies that have not returned")
missing = cache.frame(section11.agencies_not_returned, cycle_id=int(cycle_id))
if missing.empty:
    st.success("Every active agency has returned its self-assessment for "
               f"{escape_inline(cycle_names[cycle_id])}.")
else:
    st.markdown(f"**{len(missing)}** active agencies have not returned for "
                f"{escape_inline(cycle_names[cycle_id])}.")
    missing_table = missing.rename(columns={
        "name": "Agency", "sector": "Sector", "section_175": "Section 175 (school)",
        "due_on": "Due on",
    })[["Agency", "Sector", "Section 175 (school)", "Due on"]]
    st.dataframe(missing_table, hide_index=True, width="stretch")
    download_table(missing_table, label="agencies not returned",
                   file_stem="section11-not-returned", key="dl_s11_missing")

if not matrix.empty:
    st.header("An agency's return")
    returned = matrix.drop_duplicates("agency_id").sort_values("agency")
    names = dict(zip(returned["agency_id"], returned["agency"], strict=True))
    agency_id = st.selectbox("Agency", list(names), key="s11_agency", format_func=names.get)
    detail = cache.frame(section11.agency_detail, cycle_id=int(cycle_id),
                         agency_id=int(agency_id))
    counts = detail["rating"].value_counts()
    st.markdown(
        f"**{escape_inline(names[agency_id])}** rated itself Green on "
        f"{counts.get('green', 0)}, Amber on "
        f"{counts.get('amber', 0)} and Red on {counts.get('red', 0)} of {len(detail)} standards."
    )
    table = section11_views.detail_table(detail)
    st.dataframe(table, hide_index=True, width="stretch")
    download_table(table, label="agency return", file_stem=f"section11-agency-{agency_id}",
                   key="dl_s11_agency")
