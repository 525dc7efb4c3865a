"""The Audit findings page's forms for staff: add an audit, update an action's status."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import cache
from dashboard.components import filters as agency_filters
from dashboard.components.plain import escape_inline
from dashboard.components.tables import show_table
from dashboard.exports import download_table
from dashboard.session import CurrentUser
from dashboard.views import audits_parts
from data_access import audit_entry, audits
from data_access.db import get_engine
from data_access.models import ACTION_STATUSES, AUDIT_STATUSES, AUDIT_TYPES

ACTION_ROWS = 3  # actions that can be entered with a new audit at once


def _show_problems(error: audits.ValidationError) -> None:
    st.error(
        "Nothing was saved. Please fix the following:\n\n"
        + "\n".join(f"- {escape_inline(p)}" for p in error.problems)
    )


def render_forms(user: CurrentUser, *, today: dt.date, theme_names: dict[str, str]) -> None:
    """The forms for quality assurance officers and administrators (call only for staff)."""
    st.header("Record audits and actions")
    add_tab, update_tab = st.tabs(["Add an audit", "Update an action"])

    with add_tab:
        all_audits = cache.frame(audits.list_audits)
        previous = dict(zip(all_audits["id"], all_audits["reference"], strict=True))
        # The agencies come first and outside the form: a partnership can have thousands, so the
        # store sends at most filters.MAX_AGENCY_OPTIONS (with a sector and a search box when there
        # are more), and a choice outside a form is kept while the list is narrowed again. The lead
        # agency and the action owners are chosen from the agencies taking part.
        st.markdown(
            "Fields marked * are required. Choose the agencies first: the lead agency and "
            "the owner of each action are chosen from the agencies taking part."
        )
        chosen = [int(a) for a in st.session_state.get("new_agencies") or []]
        offered = agency_filters.store_agency_options(
            st.container(),
            key="new_audit",
            current=chosen,
            search_label="Find an agency taking part",
        )
        offered_names = {
            int(a): name for a, name in zip(offered["id"], offered["name"], strict=True)
        }
        taking_part = st.multiselect(
            "Agencies taking part *",
            list(offered_names),
            key="new_agencies",
            format_func=lambda option: offered_names.get(option, option),
        )
        part_names = {a: offered_names[a] for a in taking_part}
        # An agency taken off the list is no longer the lead or an action's owner.
        for owner_key in (
            "new_lead",
            *(f"new_action_owner_{n}" for n in range(1, ACTION_ROWS + 1)),
        ):
            if st.session_state.get(owner_key) not in (None, *part_names):
                st.session_state[owner_key] = None
        lead = st.selectbox(
            "Lead agency",
            [None, *part_names],
            key="new_lead",
            format_func=lambda a: "None" if a is None else part_names[a],
        )
        with st.form("add_audit", clear_on_submit=False):
            st.markdown("Grade counts must add up to the sample size.")
            a, b = st.columns(2)
            reference = a.text_input("Reference *", key="new_reference", max_chars=30)
            title = b.text_input("Title *", key="new_title", max_chars=200)
            c, d, e = st.columns(3)
            new_theme = c.selectbox(
                "Theme *",
                list(theme_names),
                key="new_theme",
                format_func=lambda option: theme_names.get(option, option),
            )
            new_type = d.selectbox(
                "Type *",
                list(AUDIT_TYPES),
                key="new_type",
                format_func=lambda option: audits.AUDIT_TYPE_LABELS.get(option, option),
            )
            new_status = e.selectbox(
                "Status *",
                list(AUDIT_STATUSES),
                index=2,
                key="new_status",
                format_func=lambda s: s.replace("_", " ").capitalize(),
            )
            f, g, h = st.columns(3)
            audit_date = f.date_input(
                "Audit date *", value=None, key="new_date", format="DD/MM/YYYY"
            )
            sample_size = g.number_input(
                "Sample size (cases) *", min_value=0, step=1, value=0, key="new_sample"
            )
            reaudit_due = h.date_input(
                "Re-audit due (optional)", value=None, key="new_reaudit_due", format="DD/MM/YYYY"
            )
            st.markdown("**Cases by grade**")
            grade_cols = st.columns(4)
            grade_counts = {
                grade: int(
                    col.number_input(label, min_value=0, step=1, value=0, key=f"new_grade_{grade}")
                )
                for col, (grade, label) in zip(grade_cols, audits.GRADE_LABELS.items(), strict=True)
            }
            voice_count = st.number_input(
                "Cases with the child's voice evidenced",
                min_value=0,
                step=1,
                value=0,
                key="new_voice",
            )
            repeats = st.selectbox(
                "Repeats an earlier audit",
                [None, *previous],
                key="new_repeats",
                format_func=lambda a: "No (first audit)" if a is None else previous[a],
            )
            summary = st.text_area("Summary (optional)", key="new_summary")
            counts_help = (
                'End a finding with the cases it was seen in, e.g. "(seen in 4 of 8 cases)" '
                'or "(4 of 8)": the page writes its own words for the counts and refuses a '
                'quantity word ("nearly every", "most") that the counts contradict.'
            )
            strengths = st.text_area(
                "Strengths (one per line)", key="new_strengths", help=counts_help
            )
            areas = st.text_area(
                "Areas for improvement (one per line)", key="new_areas", help=counts_help
            )
            st.markdown(f"**Actions** (up to {ACTION_ROWS}; leave a row empty to skip it)")
            action_inputs = []
            for n in range(1, ACTION_ROWS + 1):
                p, q, r = st.columns([3, 2, 1])
                text = p.text_input(f"Action {n}", key=f"new_action_{n}")
                owner = q.selectbox(
                    f"Action {n} owner agency",
                    [None, *part_names],
                    key=f"new_action_owner_{n}",
                    format_func=lambda a: "Choose…" if a is None else part_names[a],
                )
                due = r.date_input(
                    f"Action {n} due", value=None, key=f"new_action_due_{n}", format="DD/MM/YYYY"
                )
                action_inputs.append((text, owner, due))
            submitted = st.form_submit_button("Save the audit", type="primary", key="save_audit")
        if submitted:
            findings = tuple(
                audit_entry.finding_from_line(kind, line)
                for kind, block in (("strength", strengths), ("area_for_improvement", areas))
                for line in (block or "").splitlines()
                if line.strip()
            )
            # Staff words that contradict their own counts are refused before anything is saved.
            wording = [
                f"Finding {number}: {note}"
                for number, finding in enumerate(findings, start=1)
                if (
                    note := audits_parts.finding_parts(
                        finding.text, finding.cases_seen, finding.cases_sampled
                    )[2]
                )
            ]
            new_actions = tuple(
                audit_entry.NewAction(text.strip(), owner, due)
                for text, owner, due in action_inputs
                if (text or "").strip() or owner is not None or due is not None
            )
            data = audit_entry.NewAudit(
                reference=reference,
                title=title,
                theme_code=new_theme,
                audit_type=new_type,
                audit_date=audit_date,
                sample_size=int(sample_size),
                grade_counts=grade_counts,
                child_voice_count=int(voice_count),
                agency_ids=tuple(int(a) for a in taking_part),
                lead_agency_id=lead,
                status=new_status,
                reaudit_of_id=repeats,
                reaudit_due=reaudit_due,
                summary=summary,
                findings=findings,
                actions=new_actions,
            )
            try:
                if wording:
                    raise audits.ValidationError(wording)
                audit_entry.add_audit(engine=get_engine(), data=data, username=user.username)
            except audits.ValidationError as error:
                _show_problems(error)
            else:
                cache.clear()
                st.success(
                    f"Audit {escape_inline(reference)} saved with {len(findings)} findings and "
                    f"{len(new_actions)} actions."
                )

    with update_tab:
        every_action = cache.frame(audits.action_tracker, today=today)
        if every_action.empty:
            st.info("There are no actions to update yet.")
        else:
            action_labels = {
                int(row.id): (
                    f"{row.audit_reference}: {row.description} — {row.owner_agency} "
                    f"({row.status_label}{', overdue' if row.overdue else ''})"
                )
                for row in every_action.itertuples(index=False)
            }
            with st.form("update_action"):
                action_id = st.selectbox(
                    "Action *",
                    list(action_labels),
                    key="upd_action",
                    format_func=lambda option: action_labels.get(option, option),
                )
                new_action_status = st.selectbox(
                    "New status *",
                    list(ACTION_STATUSES),
                    key="upd_status",
                    format_func=lambda option: audits.ACTION_STATUS_LABELS.get(option, option),
                )
                evidence = st.text_area(
                    "Evidence for this update *",
                    key="upd_evidence",
                    help="What shows the change, e.g. a revised procedure or "
                    "a re-audit sample. Up to 4,000 characters.",
                )
                update = st.form_submit_button("Save the update", type="primary", key="save_update")
            if update:
                try:
                    audit_entry.update_action_status(
                        engine=get_engine(),
                        action_id=int(action_id),
                        status=new_action_status,
                        evidence=evidence,
                        username=user.username,
                        today=today,
                    )
                except audits.ValidationError as error:
                    _show_problems(error)
                else:
                    cache.clear()
                    st.success(
                        f"Action updated to {audits.ACTION_STATUS_LABELS[new_action_status]}."
                    )
            history = cache.frame(audits.action_history, action_id=int(action_id))
            if not history.empty:
                st.subheader("This action's history")
                history = history.rename(
                    columns={
                        "status": "Status",
                        "evidence": "Evidence",
                        "updated_by": "Updated by",
                        "updated_at": "Updated at",
                    }
                )
                show_table(history)
                download_table(
                    history, label="action history", file_stem="action-history", key="dl_history"
                )
