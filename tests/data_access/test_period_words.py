"""Issue 26: periods and files are named in words people use, not codes ("2026-27 q2 (CSV)")."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from dashboard.views import data_management_import as import_flow
from data_access.periods import file_words, period_file_label, period_label


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("2026-27 Q2", "Q2 2026-27 (July to September 2026)"),
        ("2025-26 Q4", "Q4 2025-26 (January to March 2026)"),
        ("2025-26", "2025-26 (April 2025 to March 2026)"),
        ("AY 2024/25", "AY 2024/25 (September 2024 to August 2025)"),
        ("not a period", "not a period"),
    ],
)
def test_period_words(code: str, words: str) -> None:
    assert period_label(code) == words


def test_file_words() -> None:
    assert file_words("csv") == "CSV file"
    assert file_words("police-return.XLSX") == "Excel file"
    assert file_words("pptx") == "PowerPoint file"
    assert period_file_label("2026-27 Q2", "x.csv") == (
        "Q2 2026-27 (July to September 2026), CSV file"
    )
    assert period_file_label(None, "x.xlsx") == "Several periods, Excel file"


def test_submission_history_and_chooser_name_periods_in_words() -> None:
    listing = pd.DataFrame(
        {
            "id": [12, 13],
            "submitted_at": [dt.datetime(2026, 12, 7, 14, 5), dt.datetime(2026, 12, 7, 15, 0)],
            "file_name": ["police.csv", "many.xlsx"],
            "submitted_by": ["qa.demo", "qa.demo"],
            "source": ["upload", "upload"],
            "agency_code": ["POLICE", None],
            "period_code": ["2026-27 Q2", None],
            "row_count": [5, 9],
            "current_figures": [5, 9],
            "status": ["loaded", "rolled_back"],
            "rolled_back_at": [None, dt.datetime(2026, 12, 7, 16, 0)],
            "rolled_back_by": [None, "admin.demo"],
            "checksum": ["a" * 64, "b" * 64],
        }
    )
    history = import_flow.history_table(listing)
    assert list(history["Period"]) == ["Q2 2026-27 (July to September 2026)", "Several periods"]
    row = SimpleNamespace(**listing.iloc[0].to_dict())
    assert import_flow.submission_choice_label(row) == (
        "12: police.csv: Q2 2026-27 (July to September 2026), CSV file, loaded 7 Dec 2026 by "
        "qa.demo"
    )
    changes = pd.DataFrame(
        {
            "indicator_code": ["MASH_CONTACTS"],
            "period_code": ["2026-27 Q2"],
            "agency_code": ["POLICE"],
            "locality_code": [None],
            "old_value": [None],
            "old_symbol": [None],
            "new_value": [900.0],
            "new_symbol": [None],
            "change": ["new"],
            "still_current": [True],
        }
    )
    assert list(import_flow.changes_table(changes)["Period"]) == [
        "Q2 2026-27 (July to September 2026)"
    ]
