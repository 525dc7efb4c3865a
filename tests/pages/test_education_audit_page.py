"""AppTest: the schools and colleges safeguarding audit page (section 175/157) for each role."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.education_seed import seed_education
from tests.support.signed_in import signed_in_app


def open_page(role: str) -> AppTest:
    return signed_in_app("education_audit", role, timeout=60).run()


@pytest.fixture
def seeded(sqlite_store, use_store):
    use_store(sqlite_store)
    return sqlite_store, seed_education(sqlite_store)


def _frame(element):
    value = element.value
    return value.data if hasattr(value, "data") else value


@pytest.mark.parametrize("role", ["executive", "qa_officer", "admin"])
def test_ratings_themes_and_non_returners(seeded, role: str) -> None:
    at = open_page(role)
    assert not at.exception
    assert [h.value for h in at.header] == [
        "Returns",
        "Ratings per standard",
        "Themes",
        "No return by the due date",
    ]
    text = "\n".join(m.value for m in at.markdown)
    assert r"**3 of 5 schools and colleges** have returned their audit for 2025\-26" in text
    assert "**2** by the due date (30 Jan 2026)" in text
    assert (
        "Most often rated amber or red: S3 Safeguarding and child protection policy "
        "(2 of 3, 66.7%); S2 Designated safeguarding lead (2 of 3, 66.7%); "
        "S1 Leadership and governance (1 of 3, 33.3%)." in text
    )
    assert "**2 schools and colleges** have not returned; **1** returned after the due date" in (
        text
    )
    ratings = _frame(at.dataframe[0]).set_index("Standard")
    assert ratings.loc["S1 Leadership and governance", "Green"] == 2
    assert ratings.loc["S1 Leadership and governance", "Green (%)"] == "66.7%"
    assert ratings.loc["S4 Safer recruitment", "Rated"] == 0
    actions = _frame(at.dataframe[2])
    assert list(actions["Improvement action"]) == [
        "Name a governor",
        "Train a deputy",
        "Review the policy",
    ]
    missing = _frame(at.dataframe[3])
    assert list(missing["School or college"]) == [
        "Daisy Special School",
        "Elm Primary School",
        "Cedar College",
    ]
    assert "overdue" in missing.iloc[0]["Status"]
    assert missing.iloc[2]["Status"] == "Returned late on 14 Feb 2026"
    # One chart, drawn by the shared component (its words are its alt text and the table).
    assert len(at.get("vega_lite_chart")) == 1


def test_youth_member_is_refused(seeded) -> None:
    at = open_page("youth_council")
    assert at.error and "does not have access" in at.error[0].value
    assert not at.dataframe


def test_empty_store_says_what_will_appear(sqlite_store, use_store) -> None:
    use_store(sqlite_store)
    at = open_page("qa_officer")
    assert not at.exception
    assert "No schools' and colleges' audit has been recorded yet" in at.info[0].value
    assert not at.dataframe


def test_a_qa_officer_opens_the_first_audit_year_on_an_empty_store(sqlite_store, use_store) -> None:
    """Day one: no cycle, so the form to open one is open; a wrong one is refused in words and
    the right one becomes the page's year. An executive is not offered the form."""
    use_store(sqlite_store)
    assert not open_page("executive").get("expandable")
    at = open_page("qa_officer")
    at.text_input(key="education_audit_cycle_name").input("2026")
    at.button[0].click().run()  # the form's submit button is the page's only button
    assert at.error and at.error[0].value == "The cycle was not opened."
    assert "Name the cycle by the years it covers" in at.text[0].value
    assert "No schools' and colleges' audit has been recorded yet" in at.info[0].value
    at.text_input(key="education_audit_cycle_name").input("2026-27")
    at.button[0].click().run()
    assert not at.exception
    assert at.success and "Cycle 2026-27 opened" in at.success[0].value
    assert at.selectbox(key="edu_cycle").value is not None
    assert "2026-27" in at.selectbox(key="edu_cycle").options


def test_a_year_with_no_returns_lists_every_setting_as_missing(seeded) -> None:
    import datetime as dt

    from data_access.db import session_scope
    from data_access.models import S11Cycle

    engine, _ = seeded
    with session_scope(engine) as session:
        session.add(
            S11Cycle(
                framework="education_175_157",
                name="2026-27",
                opens_on=dt.date(2026, 10, 1),
                due_on=dt.date(2027, 1, 29),
            )
        )
    at = open_page("executive")
    assert not at.exception
    assert at.selectbox(key="edu_cycle").format_func(at.selectbox(key="edu_cycle").value) == (
        "2026-27"
    )
    assert r"No school or college has returned its audit for 2026\-27 yet" in at.info[0].value
    assert [h.value for h in at.header] == ["Returns", "No return by the due date"]
    missing = _frame(at.dataframe[0])
    assert len(missing) == 5


def _returns_csv(code: str) -> bytes:
    rows = [
        {
            "School or college code": code,
            "Standard": str(n),
            "Rating": "Amber" if n == 4 else "Green",
            "Evidence summary": f"Evidence {n}",
            "Improvement action": "Check references" if n == 4 else "",
            "Submitted on": "20/01/2026",
            "Signed off by": "Headteacher",
        }
        for n in range(1, 14)
    ]
    header = list(rows[0])
    lines = [",".join(header), *(",".join(row[h] for h in header) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def test_qa_officer_loads_a_returns_file_and_the_counts_change(seeded) -> None:
    at = open_page("qa_officer")
    assert [e.label for e in at.expander] == [
        "Load the list of schools and colleges",
        "Open a new cycle",
        "Load returns from a spreadsheet",
    ]
    at.file_uploader(key="education_audit_returns_upload").set_value(
        ("returns.csv", _returns_csv("1004"), "text/csv")
    ).run()
    assert not at.exception and not at.error
    preview = next(
        frame
        for frame in (_frame(d) for d in at.dataframe)
        if "School or college" in frame.columns and "Signed off by" in frame.columns
    )
    assert preview.iloc[0]["School or college"] == "Daisy Special School (1004)"
    assert (preview.iloc[0]["Green"], preview.iloc[0]["Amber"]) == (12, 1)
    at.button(key="education_audit_returns_load").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Loaded 1 return(s) (13 ratings) as submission")
    text = "\n".join(m.value for m in at.markdown)
    assert r"**4 of 5 schools and colleges** have returned their audit for 2025\-26" in text
    assert "**3** by the due date" in text


def test_a_return_already_held_is_refused_on_the_page(seeded) -> None:
    at = open_page("admin")
    at.file_uploader(key="education_audit_returns_upload").set_value(
        ("returns.csv", _returns_csv("1001"), "text/csv")
    ).run()
    assert "Nothing can be loaded from this file" in at.error[0].value
    assert "already held (submitted on 10 Jan 2026)" in at.text[0].value
    assert "education_audit_returns_load" not in [b.key for b in at.button]
    text = "\n".join(m.value for m in at.markdown)
    assert r"**3 of 5 schools and colleges**" in text


def test_an_executive_sees_no_import(seeded) -> None:
    at = open_page("executive")
    assert not at.expander
    assert not at.get("file_uploader")
