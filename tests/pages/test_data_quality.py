"""The data-quality page: roles, empty store, and the sample partnership's known gaps."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.signed_in import signed_in_app


def open_as(role: str) -> AppTest:
    return signed_in_app("data_quality", role, username=f"{role}.tester", name="Tester").run()


def table_with(at: AppTest, heading: str):
    for frame in at.dataframe:
        if heading in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with the heading {heading!r}")


@pytest.mark.parametrize("role", ["qa_officer", "admin"])
def test_empty_store_renders_helpful_states(sqlite_store, use_store, role) -> None:
    use_store(sqlite_store)
    at = open_as(role)
    assert not at.exception
    assert [h.value for h in at.header] == [
        "Returns not received",
        "Late returns",
        "Figures that moved implausibly far",
        "Unusual figures",
        "Yearly figures that differ from their quarters",  # issue 26: to reconcile
        "Figures that differ from the DfE's published figures",  # issue 27
        "Completeness by theme",
    ]
    assert "completeness cannot be measured" in at.info[0].value
    assert any("No figure in the store is far from its own history" in s.value for s in at.success)


@pytest.mark.parametrize("role", ["executive", "youth_council"])
def test_other_roles_are_refused(sqlite_store, use_store, role) -> None:
    use_store(sqlite_store)
    at = open_as(role)
    assert not at.exception
    assert "does not have access" in at.error[0].value
    assert not at.header


@pytest.mark.parametrize("role", ["qa_officer", "admin"])
def test_sample_store_shows_missing_returns_and_completeness(sample_store, use_store, role) -> None:
    use_store(sample_store)
    at = open_as(role)
    assert not at.exception
    at.selectbox(key="dq_quarters").select(1).run()
    missing = table_with(at, "Days since quarter end")
    assert {"BCOL", "BHOM"} <= set(missing["Agency"])
    completeness = table_with(at, "Complete (%)")
    assert len(completeness) == 5
    # Progress bars carry their figure as text, not colour alone.
    bars = at.get("progress")
    assert len(bars) == 5 and all("% complete" in bar.proto.text for bar in bars)
    download_labels = [b.label for b in at.get("download_button")]
    assert "Download the missing returns (CSV)" in download_labels
    assert "Download completeness by theme (CSV)" in download_labels


def test_outlier_scope_can_widen(sample_store, use_store) -> None:
    use_store(sample_store)
    at = open_as("qa_officer")
    at.radio(key="dq_outlier_scope").set_value("All series (agencies and localities too)").run()
    assert not at.exception


def test_unusual_figures_are_listed_with_a_download(store, use_store) -> None:
    """A figure ten times its own history is listed, explained and downloadable."""
    import datetime as dt

    from data_access.importer import check_file, load_checked
    from tests.support.import_corpus import csv_bytes, seed_reference

    seed_reference(store)
    rows = [
        ["MASH_SW_CASELOAD", q, "", "", v, "", "", "", ""]
        for q, v in (
            ("2024-25 Q1", 17.5),
            ("2024-25 Q2", 18),
            ("2024-25 Q3", 17),
            ("2024-25 Q4", 175),
        )
    ]
    checked = check_file(
        engine=store, file_name="r.csv", data=csv_bytes(rows), today=dt.date(2026, 1, 1)
    )
    load_checked(engine=store, checked=checked, username="qa", confirm_outliers=True)
    use_store(store)
    at = open_as("qa_officer")
    assert not at.exception
    table = table_with(at, "Times the usual level")
    assert list(table["Period"]) == ["2024-25 Q4"]
    assert list(table["Figure"]) == [175.0] and list(table["Times the usual level"]) == [10.0]
    assert list(table["Agency"]) == ["partnership"]
    assert "usual level" in table["Why it is listed"].iloc[0]
    assert any("look unusual" in m.value for m in at.markdown)
    assert "Download the unusual figures (CSV)" in [b.label for b in at.get("download_button")]
    at.radio(key="dq_unusual_scope").set_value("All series (agencies and localities too)").run()
    assert not at.exception
    assert list(table_with(at, "Times the usual level")["Period"]) == ["2024-25 Q4"]
