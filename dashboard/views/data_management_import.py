"""The steps of the Load quarterly returns page: check, report, preview, load, history, rollback.

The page (`dashboard.views.data_management`) calls these; tests call them too.

Nothing is written until `load_figures` is called (the "Load these figures" button); both writes
(`load_figures`, `roll_back`) clear the shared query cache afterwards.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from dashboard import cache
from dashboard.components.tables import show_table
from dashboard.exports import download_table
from data_access import user_agencies
from data_access.importer import (
    MAX_DATA_ROWS,
    MAX_FILE_BYTES,
    CheckedFile,
    check_file,
    load_checked,
    rollback_submission,
)
from data_access.importer.loading import LoadResult
from data_access.importer.rollback import RollbackResult
from data_access.periods import period_file_label, period_label

PAGE_KEY = "data_management"
CHECKED_STATE = "dm_checked"  # the CheckedFile of the current upload
UPLOAD_ID_STATE = "dm_upload_id"  # which upload (file id, agency) CHECKED_STATE belongs to
UPLOAD_ROUND_STATE = "dm_upload_round"  # bumped after a load, giving a fresh, empty uploader
FLASH_STATE = "dm_flash"  # a message to show after the rerun that follows a load or rollback
PREVIEW_ROWS_SHOWN = 1000
ERRORS_IN_WORDS = 5  # the first errors, also written out above the report table
# The one upload limit, in megabytes: the uploader's label, the importer's own check
# (MAX_FILE_BYTES) and the server's `server.maxUploadSize` in .streamlit/config.toml all use it.
UPLOAD_LIMIT_MB = MAX_FILE_BYTES // (1024 * 1024)

SUMMARY_LABELS = {
    "rows": "Rows read",
    "valid_rows": "Rows without errors",
    "rows_with_errors": "Rows with errors",
    "not_given": "Not given",
    "warnings": "Warnings",
    "indicators": "Indicators",
    "agencies": "Agencies",
    "partnership_level_rows": "Partnership-wide rows",
    "periods": "Periods",
    "new": "New figures",
    "changed": "Changed figures",
    "unchanged": "Unchanged figures",
}
CHANGE_LABELS = {"new": "New", "changed": "Changed", "unchanged": "Unchanged"}


def upload_label() -> str:
    """The uploader's label: what may be uploaded, and how much."""
    return (
        f"Return file: CSV or Excel (.xlsx), at most {UPLOAD_LIMIT_MB} MB and "
        f"{MAX_DATA_ROWS:,} rows; or a children in need census (.xml), SSDA903 tables (.zip) "
        "or an Annex A workbook"
    )


def check_upload(
    *,
    engine: sa.Engine,
    file_name: str,
    data: bytes,
    agency_code: str | None,
    username: str | None = None,
) -> CheckedFile:
    """Read, validate and preview an uploaded file against the store (writes nothing); for an
    agency submitter (`username`), a row for an agency it is not linked to is an error."""
    scope = user_agencies.scope_of(engine=engine, username=username) if username else None
    return check_file(
        engine=engine,
        file_name=file_name,
        data=data,
        submitting_agency=agency_code or None,
        scope=scope,
    )


def load_figures(
    *,
    engine: sa.Engine,
    checked: CheckedFile,
    username: str,
    valid_only: bool,
    confirm_outliers: bool = False,
) -> LoadResult:
    """Load a checked file (one transaction, audit-logged), then forget cached query results."""
    result = load_checked(
        engine=engine,
        checked=checked,
        username=username,
        source="upload",
        valid_only=valid_only,
        confirm_outliers=confirm_outliers,
        page=PAGE_KEY,
    )
    cache.clear()
    return result


def roll_back(*, engine: sa.Engine, submission_id: int, username: str) -> RollbackResult:
    """Roll a submission back (all or nothing, audit-logged), then forget cached results."""
    result = rollback_submission(
        engine=engine, submission_id=submission_id, username=username, page=PAGE_KEY
    )
    cache.clear()
    return result


def render_summary(checked: CheckedFile) -> None:
    """The preview's counts as labelled figures, in two rows of six."""
    summary = checked.summary
    keys = list(SUMMARY_LABELS)
    for row_keys in (keys[:6], keys[6:]):
        for column, key in zip(st.columns(len(row_keys)), row_keys, strict=True):
            column.metric(SUMMARY_LABELS[key], f"{summary[key]:,}")


def report_table(checked: CheckedFile) -> pd.DataFrame:
    """The validation report with headings a person reads."""
    report = checked.report.copy()
    report["row"] = report["row"].astype("string").fillna("whole file")
    report["severity"] = report["severity"].map({"error": "Error", "warning": "Warning"})
    return report.rename(
        columns={
            "row": "Row",
            "column": "Column",
            "value": "Value found",
            "severity": "Severity",
            "problem": "Problem",
            "what_to_do": "What to do",
        }
    )


def render_report(checked: CheckedFile) -> None:
    """Every problem, row by row, with a CSV download of the full report."""
    table = report_table(checked)
    if table.empty:
        st.success("No problems found: every row can be loaded.")
        return
    errors = int((table["Severity"] == "Error").sum())
    warnings = len(table) - errors
    st.markdown(
        f"**{errors:,} error(s)** and **{warnings:,} warning(s)**. Errors stop a row "
        "from loading; warnings do not. Row numbers are those in your spreadsheet."
    )
    # The first errors in words too, so the rows at fault are read without opening the table
    # (plain text: a file's codes are shown as written).
    first = table[table["Severity"] == "Error"].head(ERRORS_IN_WORDS)
    if not first.empty:
        st.text(
            "\n".join(
                f"Row {r.Row}: {r.Problem}" if r.Row != "whole file" else f"The file: {r.Problem}"
                for r in first.itertuples(index=False)
            )
        )
    show_table(table, key="dm_report_table")
    download_table(
        table,
        label="the validation report",
        file_stem="validation-report",
        key="dm_report_download",
    )


def preview_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows as they will be loaded, with the figure each one replaces."""
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "Row",
                "Indicator",
                "Period",
                "Agency",
                "Locality",
                "Value",
                "Numerator",
                "Denominator",
                "Symbol",
                "Change",
                "Value now in the store",
            ]
        )
    table = pd.DataFrame(
        {
            "Row": rows["row"],
            "Indicator": rows["indicator_code"],
            "Period": rows["period_code"],
            "Agency": rows["agency_code"].fillna("partnership"),
            "Locality": rows["locality_code"].fillna("all"),
            "Value": rows["value"],
            "Numerator": rows["numerator"],
            "Denominator": rows["denominator"],
            "Symbol": rows["status_symbol"].fillna(""),
            "Change": rows["change"].map(CHANGE_LABELS) if "change" in rows else "",
        }
    )
    if "old_value" in rows:
        old = rows["old_value"].map(lambda v: "" if pd.isna(v) else f"{v:g}")
        symbol = rows["old_status_symbol"].fillna("")
        table["Value now in the store"] = (old + " " + symbol).str.strip()
    return table


def render_held(checked: CheckedFile) -> bool:
    """Unusual figures held for confirmation, and the box that confirms them; True if ticked.

    Nothing held is loaded unless the officer ticks the box (or chooses to load only the other
    rows), so a slipped digit is never loaded silently.
    """
    held = checked.held_rows
    if held.empty:
        return False
    st.warning(
        f"{len(held):,} figure(s) look unusual (outside the range expected for the "
        "indicator, or ten times / a tenth of their own history) and are held until you "
        "confirm them."
    )
    table = pd.DataFrame(
        {
            "Row": held["row"],
            "Indicator": held["indicator_code"],
            "Period": held["period_code"],
            "Agency": held["agency_code"].fillna("partnership"),
            "Locality": held["locality_code"].fillna("all"),
            "Value": held["value"],
            "Why it is held": held["hold_reason"],
        }
    )
    show_table(table, key="dm_held_table")
    return st.checkbox("These unusual figures are right: load them too", key="dm_confirm_held")


def render_preview(checked: CheckedFile, *, valid_only_chosen: bool) -> None:
    """The rows that would be loaded, filterable by new / changed / unchanged."""
    table = preview_table(checked.preview)
    if table.empty:
        st.info("No row is free of errors, so there is nothing to preview.")
        return
    heading = (
        "The valid rows that will be loaded" if valid_only_chosen else "Preview of the figures"
    )
    st.subheader(heading)
    shown = st.multiselect(
        "Show", list(CHANGE_LABELS.values()), default=["New", "Changed"], key="dm_preview_filter"
    )
    filtered = table[table["Change"].isin(shown)] if shown else table
    if len(filtered) > PREVIEW_ROWS_SHOWN:
        st.caption(
            f"Showing the first {PREVIEW_ROWS_SHOWN:,} of {len(filtered):,} rows; the "
            "download has them all."
        )
    show_table(filtered.head(PREVIEW_ROWS_SHOWN), key="dm_preview_table")
    download_table(
        filtered, label="the preview", file_stem="import-preview", key="dm_preview_download"
    )


def submission_choice_label(row: Any) -> str:
    """A submission as the chooser lists it: '12: police.csv: Q2 2026-27 (July to September
    2026), CSV file, loaded 7 Dec 2026 by qa.demo' (and '(rolled back)')."""
    period = row.period_code if isinstance(row.period_code, str) and row.period_code else None
    when = pd.Timestamp(row.submitted_at)
    return (
        f"{row.id}: {row.file_name}: {period_file_label(period, str(row.file_name))}, loaded "
        f"{when.day} {when:%b %Y} by {row.submitted_by}"
        + (" (rolled back)" if row.status == "rolled_back" else "")
    )


def history_table(listing: pd.DataFrame) -> pd.DataFrame:
    """The submissions list with headings a person reads."""
    table = listing.copy()
    table["status"] = table["status"].map({"loaded": "Loaded", "rolled_back": "Rolled back"})
    table["checksum"] = table["checksum"].str[:12]
    table["agency_code"] = table["agency_code"].fillna("")
    # Periods in words ("Q2 2026-27 (July to September 2026)"), not codes.
    table["period_code"] = [
        period_label(str(code)) if isinstance(code, str) and code else "Several periods"
        for code in table["period_code"]
    ]
    return table.rename(
        columns={
            "id": "Submission",
            "submitted_at": "Loaded at (UTC)",
            "file_name": "File",
            "submitted_by": "Loaded by",
            "source": "How",
            "agency_code": "Agency",
            "period_code": "Period",
            "row_count": "Figures written",
            "current_figures": "Still current",
            "status": "Status",
            "rolled_back_at": "Rolled back at",
            "rolled_back_by": "Rolled back by",
            "checksum": "Checksum (SHA-256, start)",
        }
    )


def history_shown(history: pd.DataFrame) -> pd.DataFrame:
    """The submission history as the page shows it (the CSV keeps every column): the checksum
    left out, and a roll-back told in the status ("Rolled back 7 Dec 2026, 14:05 by qa.demo")."""
    shown = history.drop(columns=["Checksum (SHA-256, start)"], errors="ignore")
    if {"Rolled back at", "Rolled back by", "Status"} <= set(shown.columns):

        def status(row: pd.Series) -> str:
            when, who = row["Rolled back at"], row["Rolled back by"]
            if row["Status"] != "Rolled back" or when is None or pd.isna(when):
                return str(row["Status"])
            text = f"Rolled back {pd.Timestamp(when):%d %b %Y, %H:%M}"
            return text + (f" by {who}" if isinstance(who, str) and who else "")

        shown = shown.assign(Status=[status(row) for _, row in shown.iterrows()])
        shown = shown.drop(columns=["Rolled back at", "Rolled back by"])
    return shown


def changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """What one submission changed: old value -> new value per figure."""

    def show(value: object, symbol: object) -> str:
        text = "" if value is None or pd.isna(value) else f"{value:g}"
        mark = "" if symbol is None or pd.isna(symbol) else str(symbol)
        return (text + " " + mark).strip() or "-"

    if changes.empty:
        return pd.DataFrame(
            columns=[
                "Indicator",
                "Period",
                "Agency",
                "Locality",
                "Before",
                "After",
                "Change",
                "Still current",
            ]
        )
    return pd.DataFrame(
        {
            "Indicator": changes["indicator_code"],
            "Period": changes["period_code"].map(lambda code: period_label(str(code))),
            "Agency": changes["agency_code"].fillna("partnership"),
            "Locality": changes["locality_code"].fillna("all"),
            "Before": [
                show(v, s) if c == "changed" else "(none)"
                for v, s, c in zip(
                    changes["old_value"], changes["old_symbol"], changes["change"], strict=True
                )
            ],
            "After": [
                show(v, s) for v, s in zip(changes["new_value"], changes["new_symbol"], strict=True)
            ],
            "Change": changes["change"].map({"new": "New", "changed": "Changed"}),
            "Still current": changes["still_current"].map({True: "Yes", False: "No"}),
        }
    )
