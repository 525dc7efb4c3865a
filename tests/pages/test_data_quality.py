"""The data-quality page: roles, empty store, and the sample partnership's known gaps."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.signed_in import signed_in_app


def open_as(role: str) -> AppTest:
    return signed_in_app("data_quality", role, username=f"{role}.tester", name="Tester").run()


def table_with(at: AppTest, heading: str):  # type: ignore[no-untyped-def]
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
        "Returns not received", "Late returns", "Figures that moved implausibly far",
        "Completeness by theme",
    ]
    assert "completeness cannot be measured" in at.info[0].value


@pytest.mark.parametrize("role", ["executive", "youth_council"])
def test_other_roles_are_refused(sqlite_store, use_store, role) -> None:
    use_store(sqlite_store)
    at = open_as(role)
    assert not at.exception
    assert "does not have access" in at.error[0].value
    assert not at.header


@pytest.mark.parametrize("role", ["qa_officer", "admin"])
def test_sample_store_shows_missing_returns_and_completeness(sample_store, use_store,
                                                             role) -> None:
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
