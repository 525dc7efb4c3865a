"""Loading self-assessment returns and the schools and colleges list from spreadsheets, on the
Section 11 and the Schools and colleges audit pages (QA officers and administrators only).

Each expander offers the template, checks the chosen file as soon as it is chosen (a preview of
what will be added, or every problem in plain text), and loads it only on the button.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import cache
from dashboard.components.tables import show_table
from dashboard.navigation import STAFF
from dashboard.session import CurrentUser
from data_access import education_settings_import, self_assessment_cycles, self_assessment_import
from data_access.db import get_engine
from data_access.models import SECTION_11
from data_access.sheet_rows import ImportProblem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLASH_KEY = "self_assessment_import_flash"


def show_flash() -> None:
    """The outcome of the last load, once (after the page reran with the new figures)."""
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))


def _problems(problem: ImportProblem) -> None:
    st.error(f"Nothing can be loaded from this file: {len(problem.problems)} problem(s) to fix.")
    # Plain text: the sentences quote the file's own cells.
    st.text("\n".join(problem.problems[:100]))


def _templates(stem: str, key: str, make: dict[str, bytes]) -> None:
    left, right = st.columns(2)
    left.download_button(
        "Download the template (Excel)",
        data=make["xlsx"],
        file_name=f"{stem}.xlsx",
        mime=XLSX,
        key=f"{key}_template_xlsx",
        on_click="ignore",
    )
    right.download_button(
        "Download the template (CSV)",
        data=make["csv"],
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_template_csv",
        on_click="ignore",
    )


def returns_import(user: CurrentUser, *, framework: str, cycle_name: str, page: str) -> None:
    """'Load returns from a spreadsheet' for the chosen cycle of `framework`."""
    if user.role not in STAFF:
        return
    key = f"{page}_returns"
    who = "agency" if framework == SECTION_11 else "school or college"
    with st.expander("Load returns from a spreadsheet"):
        st.caption(
            f"One row per {who} and standard: the rating (Green, Amber or Red), the evidence "
            f"summary, the improvement action, the date the return was submitted and who signed "
            f"it off. Each return rates every standard. The returns are loaded into {cycle_name} "
            "(the cycle chosen above). A return already held is never overwritten: roll back "
            "the import that brought it to replace it. If any row is wrong nothing is loaded."
        )
        engine = get_engine()
        _templates(
            f"{framework.replace('_', '-')}-returns-template",
            key,
            {
                fmt: self_assessment_import.template_bytes(
                    engine=engine, framework=framework, file_format=fmt
                )
                for fmt in ("xlsx", "csv")
            },
        )
        upload = st.file_uploader(
            "Returns file (.xlsx or .csv)", type=["xlsx", "csv"], key=f"{key}_upload"
        )
        if upload is None:
            return
        try:
            checked = self_assessment_import.check_returns(
                engine=engine,
                data=upload.getvalue(),
                file_name=upload.name,
                framework=framework,
                cycle_name=cycle_name,
            )
        except ImportProblem as problem:
            _problems(problem)
            return
        st.markdown(
            f"**{len(checked.returns)} return(s)** with **{checked.rating_count} ratings** will "
            "be added:"
        )
        show_table(checked.preview(), key=f"{key}_preview")
        if st.button("Load", type="primary", key=f"{key}_load"):
            try:
                loaded = self_assessment_import.load_returns(
                    engine=engine, checked=checked, loaded_by=user.username, page=page
                )
            except ImportProblem as problem:
                _problems(problem)
                return
            cache.clear()
            st.session_state[FLASH_KEY] = loaded.message(framework)
            st.rerun()


def settings_import(user: CurrentUser, *, page: str) -> None:
    """'Load the list of schools and colleges': add new settings, update changed ones."""
    if user.role not in STAFF:
        return
    key = f"{page}_settings"
    with st.expander("Load the list of schools and colleges"):
        st.caption(
            "One row per school or college: its code (URN), name, phase, duty (175 or 157), "
            "locality code and whether it is open. New codes are added and known ones updated. "
            "If any row is wrong nothing is loaded."
        )
        _templates(
            "schools-and-colleges-template",
            key,
            {fmt: education_settings_import.template_bytes(fmt) for fmt in ("xlsx", "csv")},
        )
        upload = st.file_uploader(
            "Schools and colleges file (.xlsx or .csv)", type=["xlsx", "csv"], key=f"{key}_upload"
        )
        if upload is not None and st.button("Load", type="primary", key=f"{key}_load"):
            try:
                loaded = education_settings_import.load_settings(
                    engine=get_engine(),
                    data=upload.getvalue(),
                    file_name=upload.name,
                    loaded_by=user.username,
                    page=page,
                )
            except ImportProblem as problem:
                _problems(problem)
                return
            cache.clear()
            st.session_state[FLASH_KEY] = loaded.message()
            st.rerun()


def cycle_form(user: CurrentUser, *, framework: str, page: str, first: bool) -> None:
    """'Open a new cycle': the round (Section 11) or year (schools' audit) that returns are
    loaded into. Open at once when the framework has none (`first`), since nothing can be
    loaded before it exists."""
    if user.role not in STAFF:
        return
    key = f"{page}_cycle"
    label = "Open the first cycle" if first else "Open a new cycle"
    with st.expander(label, expanded=first):
        st.caption(
            "Name the cycle by the years it covers (2025-26 for a school year's audit, 2025-27 "
            "for a two-year Section 11 round), the day it opens and the day returns are due. "
            "Returns are then loaded into it from a spreadsheet."
        )
        with st.form(f"{key}_form", clear_on_submit=False):
            name = st.text_input("Name", max_chars=7, placeholder="2026-27", key=f"{key}_name")
            left, right = st.columns(2)
            today = dt.date.today()
            opens_on = left.date_input("Opens on", value=today, key=f"{key}_opens")
            due_on = right.date_input(
                "Returns due on", value=today + dt.timedelta(days=90), key=f"{key}_due"
            )
            submitted = st.form_submit_button("Open the cycle", type="primary")
        if not submitted:
            return
        try:
            self_assessment_cycles.open_cycle(
                engine=get_engine(),
                cycle=self_assessment_cycles.NewCycle(framework, name, opens_on, due_on),
                opened_by=user.username,
                page=page,
            )
        except self_assessment_cycles.CycleProblem as problem:
            st.error("The cycle was not opened.")
            st.text("\n".join(problem.problems))
            return
        cache.clear()
        st.session_state[FLASH_KEY] = f"Cycle {name.strip()} opened: load its returns below."
        st.rerun()
