"""The Data quality page: missing and late returns, unusual figures, each theme's completeness."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.published import differences_section as published_differences
from dashboard.components.tables import show_table
from dashboard.exports import download_table
from dashboard.metrics import rag as ragmod
from dashboard.session import CurrentUser
from data_access import data_quality as dq
from data_access import figure_outliers as outliers

UNUSUAL_ROWS_SHOWN = 500


def render(user: CurrentUser) -> None:
    """Render the Data quality page for `user` (call after the page's guard)."""
    st.title("Data quality")
    st.caption(
        "Checks on the figures partners have returned: who has not sent a return, who sent one "
        "late, which figures moved further than they ever have, which are far from their own "
        "history, and how complete each theme is."
    )
    quarters = st.selectbox(
        "Quarters to check",
        [1, 2, 4, 8],
        index=2,
        key="dq_quarters",
        format_func=lambda n: (
            f"The last {n} ended quarter(s)" if n > 1 else "The last ended quarter"
        ),
    )

    st.header("Returns not received")
    missing = cache.frame(dq.missing_submissions, quarters=quarters)
    if missing.empty:
        st.success("Every agency expected to return figures has done so for these quarters.")
    else:
        st.markdown(
            f"**{len(missing):,}** expected return(s) have not been received. An agency is "
            "expected to return figures when its sector reports any indicator."
        )
        table = missing.rename(
            columns={
                "agency_code": "Agency",
                "agency_name": "Name",
                "sector": "Sector",
                "period_code": "Quarter",
                "quarter_ended": "Quarter ended",
                "days_since_quarter_end": "Days since quarter end",
            }
        )
        show_table(table, key="dq_missing_table")
        download_table(
            table,
            label="the missing returns",
            file_stem="missing-returns",
            key="dq_missing_download",
        )

    st.header("Late returns")
    late = cache.frame(dq.late_submissions, quarters=max(quarters, 4))
    st.caption(
        f"A return is late when it arrives more than {dq.LATE_AFTER_DAYS} days after the "
        "quarter ends (the first submission counts, not later corrections)."
    )
    if late.empty:
        st.success("No late returns in these quarters.")
    else:
        table = late.rename(
            columns={
                "agency_code": "Agency",
                "agency_name": "Name",
                "period_code": "Quarter",
                "quarter_ended": "Quarter ended",
                "first_submitted_at": "First received",
                "days_after_quarter_end": "Days after quarter end",
                "days_late": "Days late",
            }
        )
        show_table(table, key="dq_late_table")
        download_table(
            table, label="the late returns", file_stem="late-returns", key="dq_late_download"
        )

    st.header("Figures that moved implausibly far")
    st.caption(
        "The latest quarter-on-quarter change of each series is compared with its earlier changes "
        "using a robust score (modified z-score from the median and the median absolute "
        f"deviation); scores beyond {outliers.OUTLIER_Z} are listed. A listed figure may be right - "
        f"check it with the agency before it goes to the board. At least {outliers.OUTLIER_MIN_HISTORY} "
        "earlier changes are needed."
    )
    scope = st.radio(
        "Series",
        ["Partnership figures", "All series (agencies and localities too)"],
        horizontal=True,
        key="dq_outlier_scope",
    )
    moves = cache.frame(
        outliers.implausible_movements, partnership_only=scope == "Partnership figures"
    )
    if moves.empty:
        st.success("No figure moved further than its history makes plausible.")
    else:
        table = moves.assign(
            agency_code=moves["agency_code"].fillna("partnership"),
            locality_code=moves["locality_code"].fillna("all"),
            direction=moves["change"].map(lambda c: "up" if c > 0 else "down"),
        ).rename(
            columns={
                "theme_code": "Theme",
                "indicator_code": "Indicator",
                "indicator_name": "Name",
                "agency_code": "Agency",
                "locality_code": "Locality",
                "period_code": "Quarter",
                "previous_value": "Previous",
                "latest_value": "Latest",
                "change": "Change",
                "direction": "Direction",
                "typical_change": "Typical change",
                "modified_z": "Score",
            }
        )
        show_table(table, key="dq_outlier_table")
        download_table(
            table,
            label="the implausible movements",
            file_stem="implausible-movements",
            key="dq_outlier_download",
        )

    st.header("Unusual figures")
    st.caption(
        f"A figure at least {outliers.UNUSUAL_FACTOR:g} times (or at most a tenth of) the usual level of "
        "its own series - the middle value of that series' other figures - or outside the range "
        "expected for the indicator. A decimal comma read as thousands or a slipped digit looks "
        "like this. The upload holds such figures until an officer confirms them; this list shows "
        "the ones in the store (confirmed, or loaded before the check existed) so they stay "
        "visible. A listed figure may be right: check it with the agency before it goes to the "
        "board."
    )
    unusual_scope = st.radio(
        "Series",
        ["Partnership figures", "All series (agencies and localities too)"],
        horizontal=True,
        key="dq_unusual_scope",
    )
    unusual = cache.frame(
        outliers.unusual_figures, partnership_only=unusual_scope == "Partnership figures"
    )
    if unusual.empty:
        st.success(
            "No figure in the store is far from its own history or outside the range "
            "expected for its indicator."
        )
    else:
        st.markdown(f"**{len(unusual):,}** figure(s) look unusual.")
        table = unusual.assign(
            agency_code=unusual["agency_code"].fillna("partnership"),
            locality_code=unusual["locality_code"].fillna("all"),
        ).rename(
            columns={
                "theme_code": "Theme",
                "indicator_code": "Indicator",
                "indicator_name": "Name",
                "agency_code": "Agency",
                "locality_code": "Locality",
                "period_code": "Period",
                "value": "Figure",
                "usual_level": "Usual level",
                "times_usual": "Times the usual level",
                "reason": "Why it is listed",
            }
        )
        if len(table) > UNUSUAL_ROWS_SHOWN:
            st.caption(
                f"Showing the first {UNUSUAL_ROWS_SHOWN:,} of {len(table):,}; the download "
                "has them all."
            )
        show_table(table.head(UNUSUAL_ROWS_SHOWN), key="dq_unusual_table")
        download_table(
            table,
            label="the unusual figures",
            file_stem="unusual-figures",
            key="dq_unusual_download",
        )

    _annual_against_quarters()
    published_differences()

    st.header("Completeness by theme")
    completeness = cache.frame(dq.theme_completeness, quarters=quarters)
    if completeness.empty or (completeness["expected"] == 0).all():
        st.info(
            "No quarter has ended with figures in the store yet, so completeness cannot be "
            "measured. Load partners' returns on the Load quarterly returns page."
        )
    else:
        st.caption(
            "The share of each theme's indicator-and-quarter cells that hold a current "
            "partnership-level figure (or a status symbol such as c for suppressed)."
        )
        for row in completeness.itertuples(index=False):
            share = 0.0 if row.completeness_pct != row.completeness_pct else row.completeness_pct
            st.progress(
                min(1.0, share / 100),
                text=f"{row.theme_name}: {share:.1f}% complete "
                f"({row.present} of {row.expected} figures)",
            )
        table = completeness.rename(
            columns={
                "theme_code": "Theme code",
                "theme_name": "Theme",
                "indicators": "Indicators",
                "quarters": "Quarters",
                "expected": "Figures expected",
                "present": "Figures present",
                "completeness_pct": "Complete (%)",
            }
        )
        show_table(table, key="dq_completeness_table")
        download_table(
            table,
            label="completeness by theme",
            file_stem="theme-completeness",
            key="dq_completeness_download",
        )
        gaps = cache.frame(dq.indicator_completeness, quarters=quarters)
        with st.expander(f"Indicators with gaps ({len(gaps)})"):
            if gaps.empty:
                st.write("Every indicator has a figure for every quarter checked.")
            else:
                gap_table = gaps.rename(
                    columns={
                        "theme_code": "Theme",
                        "indicator_code": "Indicator",
                        "indicator_name": "Name",
                        "quarters_missing": "Quarters missing",
                        "missing_periods": "Missing quarters",
                    }
                )
                show_table(gap_table, key="dq_gaps_table")
                download_table(
                    gap_table,
                    label="the indicators with gaps",
                    file_stem="indicator-gaps",
                    key="dq_gaps_download",
                )


def _with_parts(value: object, numerator: object, denominator: object, unit: str) -> str:
    figure = ragmod.format_value(value, unit)
    num, den = ragmod.as_number(numerator), ragmod.as_number(denominator)
    if num is not None and den is not None:
        return f"{figure} ({num:,.0f} of {den:,.0f})"
    return figure


def _annual_against_quarters() -> None:
    """Yearly figures (annual returns) that differ from their quarterly returns rolled up."""
    st.header("Yearly figures that differ from their quarters")
    st.caption(
        "Where the partnership's yearly figure (from an annual return) and its quarterly "
        "returns rolled up to the same year measure the same thing, they should agree. A "
        "difference is a different basis to name (plans open at 31 March against plans started "
        "in the year, say) or a figure to correct: reconcile each below."
    )
    rows = cache.frame(dq.annual_quarter_differences)
    if rows.empty:
        st.success("Every yearly figure agrees with its quarters rolled up to the year.")
        return
    table = pd.DataFrame(
        {
            "Year": rows["year_code"].astype(str),
            "Yearly figure": rows["name"].astype(str),
            "From the annual return": [
                _with_parts(v, n, d, str(u))
                for v, n, d, u in zip(
                    rows["value"], rows["numerator"], rows["denominator"], rows["unit"], strict=True
                )
            ],
            "Quarterly measure": rows["quarterly_name"].astype(str),
            "From the four quarters": [
                _with_parts(v, n, d, str(u))
                for v, n, d, u in zip(
                    rows["quarters_value"],
                    rows["quarters_numerator"],
                    rows["quarters_denominator"],
                    rows["unit"],
                    strict=True,
                )
            ],
            "How the quarters roll up": rows["rule_words"].astype(str),
        }
    )
    st.markdown(f"**{len(table):,}** yearly figure(s) to reconcile with their quarters.")
    show_table(table, key="dq_annual_quarters_table")
    download_table(
        table,
        label="the yearly figures to reconcile",
        file_stem="yearly-against-quarters",
        key="dq_annual_quarters_download",
    )
