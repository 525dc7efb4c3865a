"""The statutory-return steps of the Load quarterly returns page: a census, 903 or Annex A.

An uploaded children in need census, SSDA903 zip or Annex A workbook is recognised by its
content (``data_access.statutory.importing``). The page shows each figure computed, its
definition, the figure stored now for the year and the difference, and loads the year's
figures on the button. Problems may name a child's position and the council's identifier so
the file can be fixed: they are shown here and never stored.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from dashboard import cache
from dashboard.components.plain import escape_inline, escape_markdown
from dashboard.components.tables import show_table
from data_access.importer.loading import LoadResult
from data_access.statutory import StatutoryFileProblem, importing
from data_access.statutory.importing import StatutoryCheck

PAGE_KEY = "data_management"


def is_statutory(data: bytes) -> bool:
    return importing.recognise(data) is not None


def check_statutory(
    *, engine: sa.Engine, file_name: str, data: bytes
) -> StatutoryCheck | StatutoryFileProblem:
    """Read a statutory return and compare its figures with the store (writes nothing)."""
    try:
        return importing.check(engine=engine, file_name=file_name, data=data)
    except StatutoryFileProblem as problem:
        return problem


def figures_table(statutory: StatutoryCheck) -> pd.DataFrame:
    """Each figure beside the one stored now, with its definition, in words a person reads."""
    frame = statutory.comparison

    def number(value: object) -> str:
        return "" if value is None or pd.isna(value) else f"{float(str(value)):,g}"

    return pd.DataFrame(
        {
            "Figure": frame["figure"],
            "Period": frame["period"],
            "From the file": [
                number(v) or (note or "-")
                for v, note in zip(frame["value"], frame["note"], strict=True)
            ],
            "Stored now": [number(v) or "-" for v in frame["stored"]],
            "Difference": [number(v) for v in frame["difference"]],
            "Stored as": frame["stored_as"],
            "Definition": frame["definition"],
        }
    )


def load_statutory(
    *, engine: sa.Engine, statutory: StatutoryCheck, username: str, confirm_outliers: bool
) -> LoadResult:
    result = importing.load(
        engine=engine,
        statutory=statutory,
        username=username,
        source="upload",
        confirm_outliers=confirm_outliers,
        page=PAGE_KEY,
    )
    cache.clear()
    return result


def render_refused(problem: StatutoryFileProblem) -> None:
    st.error("**This statutory return cannot be read, so nothing can be loaded.**")
    lines = list(problem.problems)
    if problem.more:
        lines.append(f"... and {problem.more} more problem(s) of the same kinds.")
    show_table(pd.DataFrame({"Problem and what to do": lines}), key="dm_statutory_refused")


def render_statutory(statutory: StatutoryCheck) -> bool:
    """The figures, notes and problems of a statutory return; True when it can be loaded."""
    year = statutory.year_code or "no financial year"
    st.subheader(
        f"The {statutory.collection_name} for {year}: {escape_inline(statutory.file_name)}"
    )
    st.caption(
        f"{statutory.children:,} children in the file. Only the figures below are kept: no "
        "identifier, date of birth, postcode or any row about a child is stored."
    )
    for note in statutory.notes:
        st.info(escape_markdown(note))
    if statutory.problems:
        st.error(
            f"**{len(statutory.problems):,} problem(s) in the file.** Nothing can be loaded "
            "until they are corrected in the case management system. The figures below are "
            "counted without the records in error, for information."
        )
        show_table(
            pd.DataFrame({"Problem and what to do": statutory.problems}),
            key="dm_statutory_problems",
        )
    show_table(figures_table(statutory), key="dm_statutory_figures")
    refusal = statutory.refusal()
    if refusal and not statutory.problems:
        st.warning(escape_markdown(refusal))
    return refusal is None
