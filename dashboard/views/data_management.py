"""The Load quarterly returns page: templates, upload with checks and preview, history, rollback."""

from __future__ import annotations

import functools

import streamlit as st

from dashboard import cache
from dashboard.components import filters
from dashboard.components.plain import escape_inline, escape_markdown
from dashboard.components.tables import show_table
from dashboard.exports import download_table
from dashboard.navigation import SUBMITTER
from dashboard.session import CurrentUser
from dashboard.views import data_management_import as import_flow
from dashboard.views import data_management_statutory as statutory_flow
from data_access import agency_choice, submissions, templates, user_agencies
from data_access.db import get_engine
from data_access.importer.loading import ImportRefused
from data_access.importer.rollback import RollbackError
from data_access.periods import period_label
from data_access.statutory import StatutoryFileProblem
from data_access.statutory.importing import StatutoryCheck

NO_AGENCY = 0


def render(user: CurrentUser) -> None:
    """Render the Load quarterly returns page for `user` (call after the page's guard)."""
    engine = get_engine()
    state = st.session_state

    st.title("Load quarterly returns")
    st.caption(
        "Send each agency its template, then upload what comes back. Every file is checked row by "
        "row and previewed; nothing is loaded until you press **Load these figures**. A "
        "resubmission replaces earlier figures but keeps them as history, and any submission can "
        "be rolled back."
    )
    flash = state.pop(import_flow.FLASH_STATE, None)
    if flash:
        st.success(escape_markdown(flash))
    # An agency submitter works only with its own agencies: their templates, their returns, and
    # its own submissions (the importer and the rollback check the same on the server).
    own = (
        user_agencies.linked_agencies(engine=engine, username=user.username)
        if user.role == SUBMITTER
        else None
    )
    if own is not None:
        if own.empty:
            st.info(
                "Your account is not linked to an agency yet, so there is no return you can "
                "load. Ask an administrator to link it to your agency on Users and roles."
            )
            st.stop()
        st.caption(
            "You can load returns for: "
            + ", ".join(f"{c} ({n})" for c, n in zip(own["code"], own["name"], strict=True))
            + ". A row for any other agency is refused."
        )

    # --- 1. Templates -----------------------------------------------------------------------------
    st.header("Download a template")
    quarters = templates.recent_quarters()
    if own is None and not cache.query(agency_choice.count_agencies):
        st.info(
            "No agencies have been added yet, so there are no templates. An administrator adds "
            "them on the **Agencies and localities** page (a CSV file, or one at a time), or "
            "from the command line: `qa-dashboard localities load localities.csv --as USER` "
            "(columns code, name, child_population), then `qa-dashboard agencies load "
            "agencies.csv --as USER` (columns code, name, sector, locality_code)."
        )
    else:
        left, right = st.columns(2)
        # The store sends at most filters.MAX_AGENCY_OPTIONS agencies, with a sector and a search
        # box when there are more (thousands at the largest partnerships).
        offered = (
            own
            if own is not None
            else filters.store_agency_options(
                left, key="dm_template", current=st.session_state.get("dm_template_agency")
            )
        )
        labels = {
            int(row.id): f"{row.code} - {row.name}" for row in offered.itertuples(index=False)
        }
        codes = dict(zip(offered["id"], offered["code"], strict=True))
        chosen = left.selectbox(
            "Agency",
            list(labels),
            format_func=lambda option: labels.get(option, option),
            key="dm_template_agency",
        )
        agency = codes.get(chosen)
        kind = right.radio(
            "Template for",
            ["quarter", "year"],
            horizontal=True,
            key="dm_template_kind",
            format_func={"quarter": "A quarter's return", "year": "A year's annual figures"}.get,
            help="Annual figures (the children in need census, the statutory "
            "returns, school-year figures) are returned once a year.",
        )
        if kind == "year":
            quarter = right.selectbox(
                "Year",
                templates.recent_years(),
                key="dm_template_year",
                format_func=period_label,
                help="A financial year (2024-25) or a school year (AY 2024/25) that has ended.",
            )
        else:
            quarter = right.selectbox(
                "Quarter", quarters, key="dm_template_quarter", format_func=period_label
            )
        csv_column, xlsx_column = st.columns(2)
        if agency is None:
            st.info("No agency matches that search: change it to choose an agency.")
        else:
            # The files are made when a button is pressed, not on every run of the page.
            xlsx_column.download_button(
                "Download the Excel template (.xlsx)",
                data=functools.partial(
                    cache.query, templates.template_xlsx, agency_code=agency, period_code=quarter
                ),
                file_name=templates.template_file_name(agency, quarter, "xlsx"),
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key="dm_template_xlsx",
                icon=":material/download:",
                on_click="ignore",
            )
            csv_column.download_button(
                "Download the CSV template",
                data=functools.partial(
                    cache.query, templates.template_csv, agency_code=agency, period_code=quarter
                ),
                file_name=templates.template_file_name(agency, quarter, "csv"),
                mime="text/csv",
                key="dm_template_csv",
                icon=":material/download:",
                on_click="ignore",
            )
        st.caption(
            "The Excel template's Guidance sheet explains each column, the status symbols and "
            "every indicator's definition and unit."
        )

    # --- 2. Upload, check, preview, load ----------------------------------------------------------
    st.header("Upload a return")
    # As for the templates, the store sends at most filters.MAX_AGENCY_OPTIONS agencies.
    chosen_submitter = st.session_state.get("dm_submitter") or None
    submitters = (
        own
        if own is not None
        else filters.store_agency_options(
            st.container(),
            key="dm_submitter",
            current=chosen_submitter,
            sector_label="Sector of the agency whose return it is",
        )
    )
    submitter_codes = dict(zip(submitters["id"], submitters["code"], strict=True))
    submitter_id = st.selectbox(
        "Whose return is this?",
        [*submitter_codes] if own is not None else [NO_AGENCY, *submitter_codes],
        key="dm_submitter",
        format_func=lambda i: (
            "Work it out from the file" if i == NO_AGENCY else submitter_codes.get(i, "")
        ),
        help="Recorded with the submission; rows for other agencies are flagged as warnings.",
    )
    submitter = submitter_codes.get(submitter_id, "")
    upload_round = state.get(import_flow.UPLOAD_ROUND_STATE, 0)
    uploaded = st.file_uploader(
        import_flow.upload_label(),
        type=["csv", "xlsx", "xml", "zip"],
        key=f"dm_upload_{upload_round}",
        help="A children in need census (XML), an SSDA903 set (its CSV tables in one zip) or an "
        "Ofsted Annex A workbook is recognised by its content: its figures are worked out and "
        "shown beside those stored, and nothing about any child is kept.",
    )
    if uploaded is not None:
        upload_id = (uploaded.file_id, submitter)
        if state.get(import_flow.UPLOAD_ID_STATE) != upload_id:
            with st.spinner("Checking the file…"):
                data = uploaded.getvalue()
                # The council's statutory returns are for QA officers; an agency submitter's
                # upload is checked as a return, against its own agencies.
                if user.role != SUBMITTER and statutory_flow.is_statutory(data):
                    state[import_flow.CHECKED_STATE] = statutory_flow.check_statutory(
                        engine=engine, file_name=uploaded.name, data=data
                    )
                else:
                    state[import_flow.CHECKED_STATE] = import_flow.check_upload(
                        engine=engine,
                        file_name=uploaded.name,
                        data=data,
                        agency_code=submitter or None,
                        username=user.username,
                    )
                del data
            state[import_flow.UPLOAD_ID_STATE] = upload_id
    elif state.get(import_flow.UPLOAD_ID_STATE) is not None:
        # The file was removed from the uploader: forget its check.
        state.pop(import_flow.UPLOAD_ID_STATE, None)
        state.pop(import_flow.CHECKED_STATE, None)

    checked = state.get(import_flow.CHECKED_STATE)
    if isinstance(checked, StatutoryFileProblem):
        statutory_flow.render_refused(checked)
    elif isinstance(checked, StatutoryCheck):
        loadable = statutory_flow.render_statutory(checked)
        confirmed = import_flow.render_held(checked.checked) if loadable else False
        already = checked.checked.already_loaded_message() if loadable else None
        if already:
            st.info(escape_markdown(already))
        if st.button(
            "Load these figures",
            type="primary",
            key="dm_load",
            disabled=not loadable or already is not None,
        ):
            try:
                result = statutory_flow.load_statutory(
                    engine=engine,
                    statutory=checked,
                    username=user.username,
                    confirm_outliers=confirmed,
                )
            except ImportRefused as refused:
                st.error(escape_markdown(refused))
            else:
                state[import_flow.FLASH_STATE] = result.message
                state.pop(import_flow.CHECKED_STATE, None)
                state.pop(import_flow.UPLOAD_ID_STATE, None)
                state[import_flow.UPLOAD_ROUND_STATE] = upload_round + 1
                st.rerun()
    elif checked is None:
        st.info(
            "Upload a return to check it. You will see every problem and a preview before "
            "anything is loaded."
        )
    else:
        st.subheader(f"Checks on {escape_inline(checked.file_name)}")
        if checked.file_problem is not None:
            st.error(
                f"**This file cannot be loaded.** {escape_markdown(checked.file_problem.problem)} "
                f"{escape_markdown(checked.file_problem.what_to_do)}"
            )
        else:
            import_flow.render_summary(checked)
            already = checked.already_loaded_message()
            if already:
                st.info(escape_markdown(already))
            import_flow.render_report(checked)
            valid_only = False
            if not checked.can_load_all:
                st.error(
                    f"{checked.summary['rows_with_errors']:,} row(s) have errors, so nothing "
                    "will be loaded. Correct the file and upload it again, or load only the "
                    "rows without errors."
                )
                if checked.can_load_valid_rows:
                    valid_only = st.checkbox(
                        f"Load only the {checked.summary['valid_rows']:,} valid row(s) (listed "
                        "below)",
                        key="dm_valid_only",
                    )
            confirmed = import_flow.render_held(checked)
            import_flow.render_preview(checked, valid_only_chosen=valid_only)
            summary = checked.summary
            something_to_write = summary["new"] + summary["changed"] > 0
            allowed = checked.can_load_all or (valid_only and checked.can_load_valid_rows)
            if allowed and not something_to_write:
                st.caption(
                    "Every figure in this file is already in the store; loading it would "
                    "change nothing."
                )
            if st.button(
                "Load these figures",
                type="primary",
                key="dm_load",
                disabled=not (allowed and something_to_write),
            ):
                try:
                    result = import_flow.load_figures(
                        engine=engine,
                        checked=checked,
                        username=user.username,
                        valid_only=valid_only,
                        confirm_outliers=confirmed,
                    )
                except ImportRefused as refused:
                    st.error(escape_markdown(refused))
                else:
                    state[import_flow.FLASH_STATE] = result.message
                    state.pop(import_flow.CHECKED_STATE, None)
                    state.pop(import_flow.UPLOAD_ID_STATE, None)
                    state[import_flow.UPLOAD_ROUND_STATE] = upload_round + 1
                    st.rerun()

    # --- 3. History and rollback ------------------------------------------------------------------
    st.header("Submission history")
    listing = cache.frame(
        submissions.list_submissions,
        limit=500,
        submitted_by=user.username if own is not None else None,
    )
    if listing.empty:
        st.info("No returns have been loaded yet. Loaded files will be listed here, newest first.")
        st.stop()
    history = import_flow.history_table(listing)
    show_table(import_flow.history_shown(history), key="dm_history_table")
    download_table(
        history,
        label="the submission history",
        file_stem="submission-history",
        key="dm_history_download",
    )

    st.subheader("What a submission changed")
    by_id = {int(r.id): r for r in listing.itertuples(index=False)}
    chosen = st.selectbox(
        "Submission",
        list(by_id),
        key="dm_submission",
        format_func=lambda i: import_flow.submission_choice_label(by_id[i]),
    )
    changes = import_flow.changes_table(
        cache.frame(submissions.submission_changes, submission_id=chosen)
    )
    if changes.empty:
        st.info("This submission wrote no figures.")
    else:
        show_table(changes, key="dm_changes_table")
        download_table(
            changes,
            label="these changes",
            file_stem=f"submission-{chosen}-changes",
            key="dm_changes_download",
        )

    record = by_id[chosen]
    if record.status == "rolled_back":
        st.caption(
            f"Submission {chosen} was rolled back on {record.rolled_back_at:%d %b %Y} by "
            f"{escape_inline(record.rolled_back_by)}."
        )
    else:
        st.markdown(
            f"**Roll back submission {chosen}.** Its figures stop being current and the "
            "figures they replaced become current again. Nothing is deleted."
        )
        confirmed = st.checkbox(
            f"Yes, roll back submission {chosen} ({escape_inline(record.file_name)})",
            key=f"dm_rollback_confirm_{chosen}",
        )
        if st.button("Roll back this submission", key="dm_rollback", disabled=not confirmed):
            try:
                outcome = import_flow.roll_back(
                    engine=engine, submission_id=chosen, username=user.username
                )
            except RollbackError as refused:
                st.error(escape_markdown(refused))
            else:
                state[import_flow.FLASH_STATE] = outcome.message
                st.rerun()
