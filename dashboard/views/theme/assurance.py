"""What partners and auditors say about the theme: the quarter's summaries, audit findings, actions."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import cache
from dashboard.components.summary import summary_panel
from dashboard.components.tables import due_text, status_words, table_with_download
from dashboard.views import audits_parts
from dashboard.views.theme.context import ThemeContext
from data_access import assurance, themes


def summaries_section(ctx: ThemeContext) -> None:
    st.header("What's working well, what isn't, what needs to happen next")
    items = cache.frame(assurance.summaries, period_code=ctx.period_code, theme_code=ctx.theme_code)
    summary_panel(items, period_code=ctx.period_code, heading_level=3)


def audits_section(ctx: ThemeContext) -> None:
    st.header("Audit findings and open actions")
    actions = cache.frame(themes.theme_actions, theme_code=ctx.theme_code)
    findings = cache.frame(themes.theme_findings, theme_code=ctx.theme_code)
    overdue = int((actions["days_overdue"] > 0).sum()) if not actions.empty else 0
    c1, c2 = st.columns(2)
    c1.metric("Open actions", len(actions))
    c2.metric("Overdue actions", overdue)
    st.subheader("Open actions (overdue first)")
    if actions.empty:
        st.info("No open actions from this theme's audits.")
    else:
        today = dt.date.today()
        table = actions.rename(
            columns={
                "audit_reference": "Audit",
                "action": "Action",
                "owner_agency": "Owner",
                "due_date": "Due",
                "status": "Status",
            }
        )
        table["Status"] = table["Status"].map(status_words)
        # "Days overdue 0" for a date still to come read as a mistake: say when it falls due.
        table["When"] = [due_text(due, today) for due in table["Due"]]
        table = table[["Audit", "Action", "Owner", "Due", "Status", "When"]]
        table_with_download(
            table, label="open actions", key="actions", file_stem=f"{ctx.theme_code}_open_actions"
        )
    st.subheader("Findings")
    if findings.empty:
        st.info("No audit findings recorded for this theme yet.")
    else:
        # The counts are the finding's own columns; the product writes their words after the
        # staff's ("... (seen in 4 of 8 cases: about half)"), in the same column so it fits.
        worded = []
        for text, n, of in zip(
            findings["finding"], findings["cases_seen"], findings["cases_sampled"], strict=True
        ):
            body, seen, _ = audits_parts.finding_parts(text, n, of)
            worded.append(f"{body} ({seen})" if seen else body)
        table = findings.assign(finding=worded).drop(columns=["cases_seen", "cases_sampled"])
        table = table.rename(
            columns={
                "audit_reference": "Audit",
                "audit_title": "Title",
                "audit_date": "Date",
                "kind": "Kind",
                "finding": "Finding",
            }
        )
        table["Kind"] = table["Kind"].map(
            {"strength": "Strength", "area_for_improvement": "Area for improvement"}
        )
        table_with_download(
            table, label="audit findings", key="findings", file_stem=f"{ctx.theme_code}_findings"
        )
