"""Downloads of every table, safe to open in a spreadsheet, and each one written to the audit log.

Record-level views (the rows behind a figure) are logged here too (`log_record_view`), so the
audit log says who saw or took away which records.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from data_access import audit_log
from data_access.db import get_engine
from data_access.spreadsheet_safety import (  # noqa: F401 - re-exported for callers
    FORMULA_PREFIXES,
    neutralise_cell,
    spreadsheet_safe,
)

# Set by dashboard.guard.require_page: the page key the current run is rendering.
CURRENT_PAGE_STATE = "_current_page"
# The record-level views already logged in this session, so a rerun does not log them again.
_VIEWS_LOGGED_STATE = "_record_views_logged"


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    return spreadsheet_safe(df).to_csv(index=False).encode("utf-8-sig")


def _who_and_where() -> tuple[str | None, str | None]:
    state = st.session_state
    return state.get("username"), state.get(CURRENT_PAGE_STATE)


def logged_download(
    produce: Callable[[], bytes],
    *,
    what: str | Callable[[], str],
    engine: sa.Engine | None = None,
    username: str | None = None,
    page: str | None = None,
) -> Callable[[], bytes]:
    """`produce`, wrapped so that fetching the file writes an `export` entry to the audit log.

    Pass the result as `st.download_button(data=...)`: Streamlit calls it when the button is
    pressed, so the entry records a download that happened, not a button that was drawn. If the
    entry cannot be written the download fails: no export goes unrecorded. `what` may be a
    function, asked after `produce` has run, for a description only the made file can give.
    """
    if username is None and page is None:
        username, page = _who_and_where()
    target = engine if engine is not None else get_engine()

    def _fetch() -> bytes:
        data = produce()
        audit_log.record_event(
            engine=target,
            username=username,
            event="export",
            page=page,
            detail=what() if callable(what) else what,
        )
        return data

    return _fetch


def download_table(df: pd.DataFrame, *, label: str, file_stem: str, key: str) -> None:
    """A CSV download button for a table shown on the page (audit-logged when pressed)."""
    file_name = f"{file_stem}.csv"
    rows = len(df)
    st.download_button(
        label=f"Download {label} (CSV)",
        data=logged_download(lambda: to_csv_bytes(df), what=f"{file_name}: {label}, {rows:,} rows"),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        disabled=df.empty,
        on_click="ignore",
    )


def download_built(
    build: Callable[[], pd.DataFrame], *, label: str, file_stem: str, key: str, rows: int
) -> None:
    """A CSV download of a table longer than the page shows (every page of it), made when the
    button is pressed rather than on every rerun, and audit-logged like `download_table`.

    `rows` is the size the page gives for the whole table (its rows, or its agencies where a
    row per agency and standard is downloaded); 0 disables the button. The audit entry counts
    the rows of the file actually made.
    """
    file_name = f"{file_stem}.csv"
    made_rows: list[int] = []

    def produce() -> bytes:
        table = build()
        made_rows.append(len(table))
        return to_csv_bytes(table)

    st.download_button(
        label=f"Download {label} (CSV)",
        data=logged_download(produce, what=lambda: f"{file_name}: {label}, {made_rows[-1]:,} rows"),
        file_name=file_name,
        mime="text/csv",
        key=key,
        icon=":material/download:",
        disabled=rows == 0,
        on_click="ignore",
    )


def log_record_view(what: str, *, rows: int) -> None:
    """Write a `record_view` entry for record-level rows shown on the page, once per session.

    A rerun (any widget change) redraws the same rows; only a view of different rows is logged
    again.
    """
    username, page = _who_and_where()
    logged = st.session_state.setdefault(_VIEWS_LOGGED_STATE, set())
    marker = (page, what)
    if marker in logged:
        return
    audit_log.record_event(
        engine=get_engine(),
        username=username,
        event="record_view",
        page=page,
        detail=f"{what}: {rows:,} rows",
    )
    logged.add(marker)
