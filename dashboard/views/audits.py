"""The Audit findings page: audits, case grades, child's voice, findings, actions, re-audits.

Quality assurance officers and administrators also get the forms to add an audit and to update
an action's status with evidence (`dashboard.views.audits_forms`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components.chart_display import show_chart
from dashboard.components.paging import choose_page, page_key
from dashboard.components.plain import escape_inline
from dashboard.components.tables import (
    days_overdue_text,
    highlight_overdue,
    show_table,
    status_words,
)
from dashboard.exports import download_built, download_table
from dashboard.navigation import STAFF
from dashboard.session import CurrentUser
from dashboard.views import audits_forms, audits_parts
from data_access import audits, catalogue

ALL = "all"
# Findings shown at a time in each column (strengths, areas for improvement); the rest are a page
# choice away, and the download has every finding.
FINDINGS_PER_PAGE = 10


def findings_section(scope: dict, scope_words: str) -> None:
    """Strengths and areas for improvement side by side, a page at a time, newest audit first.

    The store counts the findings and fetches only the page shown (`audits.findings_page`); the
    download is made from every finding when it is asked for.
    """
    counts = cache.query(audits.finding_counts, **scope)
    total = sum(counts.values())
    if total == 0:
        st.info(f"No findings recorded for {scope_words}.")
        return
    page_scope = "_".join(str(scope[k]) for k in sorted(scope))
    columns = st.columns(2)
    for column, kind, heading in (
        (columns[0], "strength", "Strengths"),
        (columns[1], "area_for_improvement", "Areas for improvement"),
    ):
        with column:
            st.subheader(heading)
            count = counts.get(kind, 0)
            if count == 0:
                st.caption("None recorded.")
                continue
            noun = heading.lower()
            page = choose_page(
                st.container(),
                count,
                per_page=FINDINGS_PER_PAGE,
                key=page_key("audit_findings", kind, page_scope),
                noun=noun,
            )
            points = cache.frame(
                audits.findings_page, kind=kind, offset=page.offset, limit=page.limit, **scope
            )
            st.caption(
                f"{heading} {page.first_row:,} to {page.last_row:,} of {count:,}, newest audit "
                "first." + (" The download below has all of them." if page.count > 1 else "")
            )
            for point in points.itertuples(index=False):
                # The product writes its own words for the counts; staff wording that
                # contradicts them is flagged for the QA officer.
                body, seen, note = audits_parts.finding_parts(
                    point.text, point.cases_seen, point.cases_sampled
                )
                where = f"{escape_inline(point.audit_reference)}, {point.audit_date:%b %Y}"
                line = (
                    f"- {escape_inline(body)} *({seen}; {where})*"
                    if seen
                    else f"- {escape_inline(body)} *({where})*"
                )
                if note:
                    line += f"  \n  :warning: **Check the wording:** {escape_inline(note)}"
                st.markdown(line)

    def every_finding() -> pd.DataFrame:
        found = cache.frame(audits.findings, **scope)
        parts = [
            audits_parts.finding_parts(text, seen, sampled)
            for text, seen, sampled in zip(
                found["text"], found["cases_seen"], found["cases_sampled"], strict=True
            )
        ]
        found = found.assign(seen=[p[1] for p in parts], check=[p[2] for p in parts])
        return found.rename(
            columns={
                "audit_reference": "Audit",
                "kind_label": "Finding type",
                "text": "Finding",
                "seen": "Seen in",
                "check": "Wording check",
            }
        )[["Audit", "Finding type", "Finding", "Seen in", "Wording check"]]

    download_built(
        every_finding, label="findings", file_stem="audit-findings", key="dl_findings", rows=total
    )


def render(user: CurrentUser) -> None:
    """Render the Audit findings page for `user` (call after the page's guard)."""
    st.title("Audit findings")
    st.caption(
        "Multi-agency and single-agency case audits: how cases were graded, whether the child's "
        "voice was heard, what auditors found, and whether the actions agreed are done."
    )

    today = dt.date.today()
    theme_names = {t.code: t.name for t in catalogue.themes()}
    years = cache.query(audits.audit_years)

    # --- Filters ----------------------------------------------------------------------------------
    left, middle, right = st.columns(3)
    theme = left.selectbox(
        "Theme",
        [ALL, *theme_names],
        key="audits_theme",
        format_func=lambda c: "All themes" if c == ALL else theme_names[c],
    )
    year = middle.selectbox(
        "Year of audit",
        [ALL, *years],
        key="audits_year",
        format_func=lambda y: "All years" if y == ALL else str(y),
    )
    # Only agencies that took part in an audit can narrow the list (not every agency there is).
    audited = cache.frame(audits.audited_agencies)
    audited_names = dict(zip(audited["id"], audited["name"], strict=True))
    agency = right.selectbox(
        "Agency taking part",
        [ALL, *audited_names],
        key="audits_agency",
        format_func=lambda a: "All agencies" if a == ALL else audited_names[a],
    )
    filters = {
        "theme": None if theme == ALL else theme,
        "year": None if year == ALL else int(year),
        "agency_id": None if agency == ALL else int(agency),
    }

    listing = cache.frame(audits.list_audits, **filters)

    st.header("Audits")
    if listing.empty:
        st.info(
            "No audits match these filters. Try another theme, year or agency"
            + (
                ", or add an audit with the form at the end of this page."
                if user.role in STAFF
                else "."
            )
        )
    else:
        shown = listing.rename(
            columns={
                "reference": "Reference",
                "title": "Title",
                "theme": "Theme",
                "type": "Type",
                "audit_date": "Date",
                "sample_size": "Sample size",
                "agencies": "Agencies",
                "status": "Status",
                "reaudit_of": "Re-audit of",
                "reaudit_due": "Re-audit due",
            }
        )[
            [
                "Reference",
                "Title",
                "Theme",
                "Type",
                "Date",
                "Sample size",
                "Agencies",
                "Status",
                "Re-audit of",
                "Re-audit due",
            ]
        ]
        shown["Status"] = shown["Status"].map(status_words)
        show_table(shown)
        download_table(shown, label="audit list", file_stem="audits", key="dl_audits")

        # --- One audit or the whole filtered set --------------------------------------------------
        labels = dict(
            zip(listing["id"], listing["reference"] + " — " + listing["title"], strict=True)
        )
        chosen = st.selectbox(
            "Show results for",
            [ALL, *labels],
            key="audits_focus",
            format_func=lambda a: (
                f"All {len(labels)} audits listed above" if a == ALL else labels[a]
            ),
        )
        scope = dict(filters, audit_id=None if chosen == ALL else int(chosen))
        scope_words = "the audits listed above" if chosen == ALL else escape_inline(labels[chosen])

        st.header("How cases were graded")
        grades = cache.frame(audits.grade_distribution, **scope)
        voice = cache.query(audits.child_voice, **scope)
        if int(grades["cases"].sum()) == 0:
            st.info(f"No cases have been graded yet for {scope_words}.")
        else:
            chart_col, text_col = st.columns([3, 2])
            with chart_col:
                show_chart(
                    audits_parts.grade_chart(grades), audits_parts.grade_text(grades), caption=False
                )
            with text_col:
                st.markdown(audits_parts.grade_text(grades))
                st.metric(
                    "Cases with the child's voice evidenced",
                    f"{voice['share_pct']:.1f}%",
                    help="Share of audited cases where the child's wishes and feelings were "
                    "recorded and taken into account.",
                )
                st.caption(
                    f"{voice['evidenced']} of {voice['cases']} cases graded in {scope_words}. "
                    "The same definition gives the yearly figure in the board pack, counted "
                    "over the audits of one financial year."
                )
            table = grades.rename(
                columns={"label": "Grade", "cases": "Cases", "share_pct": "Share of cases (%)"}
            )
            table = table[["Grade", "Cases", "Share of cases (%)"]]
            download_table(
                table, label="grade distribution", file_stem="audit-grades", key="dl_grades"
            )

        st.header("Findings")
        findings_section(scope, scope_words)

        st.header("Action tracker")
        actions = cache.frame(audits.action_tracker, today=today, **scope)
        if actions.empty:
            st.info(f"No actions recorded for {scope_words}.")
        else:
            overdue = int(actions["overdue"].sum())
            st.markdown(
                f"**{overdue} overdue** of {len(actions)} actions (overdue first, most overdue at "
                "the top)."
                if overdue
                else f"None of the {len(actions)} actions is overdue."
            )
            tracker = pd.DataFrame(
                {
                    "Overdue": actions["days_overdue"].map(days_overdue_text),
                    "Audit": actions["audit_reference"],
                    "Action": actions["description"],
                    "Owner agency": actions["owner_agency"],
                    "Due date": actions["due_date"],
                    "Status": actions["status_label"],
                    "Completed on": actions["completed_on"],
                    "Latest evidence": actions["evidence"].fillna(""),
                }
            )
            show_table(highlight_overdue(tracker, "Overdue"), data=tracker, key="audit_actions")
            download_table(
                tracker, label="action tracker", file_stem="audit-actions", key="dl_actions"
            )

        st.header("Re-audit impact")
        comparison = cache.frame(audits.reaudit_comparisons, **scope)
        if comparison.empty:
            st.info(
                "None of these audits has been repeated yet. A re-audit shows whether the actions "
                "changed practice."
            )
        else:
            for (before_ref, after_ref), pair in comparison.groupby(
                ["before_reference", "after_reference"], sort=False
            ):
                st.subheader(f"{escape_inline(before_ref)} → {escape_inline(after_ref)}")
                first = pair.iloc[0]
                st.caption(
                    f"{first['theme']}: first audit {first['before_date']} "
                    f"({first['before_cases']} cases), re-audit {first['after_date']} "
                    f"({first['after_cases']} cases)."
                )
                show_chart(
                    audits_parts.reaudit_chart(pair, title=f"{before_ref} before and after"),
                    audits_parts.comparison_text(pair),
                    caption=False,
                )
                st.markdown(audits_parts.comparison_text(pair))
            table = comparison.rename(
                columns={
                    "before_reference": "First audit",
                    "after_reference": "Re-audit",
                    "before_date": "First audit date",
                    "after_date": "Re-audit date",
                    "theme": "Theme",
                    "measure": "Measure",
                    "before_cases": "Cases before",
                    "after_cases": "Cases after",
                    "before_pct": "Before (%)",
                    "after_pct": "After (%)",
                    "change_pts": "Change (points)",
                }
            )
            show_table(table)
            download_table(
                table, label="re-audit comparison", file_stem="reaudit-impact", key="dl_reaudit"
            )

    # --- Forms (QA officers and administrators) ----------------------------------------------
    if user.role not in STAFF:
        st.stop()

    audits_forms.render_forms(user, today=today, theme_names=theme_names)
