"""Downloads of every table, safe to open in a spreadsheet."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise_cell(value: object) -> object:
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe.

    Plain negative numbers stored as text ("-3.5") are left alone: they are data, not formulas.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _NUMERIC.match(value):
        return value
    return "'" + value


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells cannot run as spreadsheet formulas."""
    safe = df.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_cell)
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    return spreadsheet_safe(df).to_csv(index=False).encode("utf-8-sig")


def download_table(df: pd.DataFrame, *, label: str, file_stem: str, key: str) -> None:
    """A CSV download button for a table shown on the page."""
    st.download_button(
        label=f"Download {label} (CSV)",
        data=to_csv_bytes(df),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
        disabled=df.empty,
    )
