"""A partner's return as partners send it: blank template rows are figures not given, and an
unusual figure is judged by the store's history of its series, not by the file it arrives in."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from data_access.importer import check_file, load_checked
from data_access.periods import Quarter, quarters_between
from data_access.templates import template_csv, template_frame, template_xlsx
from tests.support.import_corpus import PERIOD, TODAY, csv_bytes, seed_reference, snapshot

QUARTERS = [q.code for q in quarters_between(Quarter(2018, 1), Quarter(2025, 2))]  # 30 quarters


@pytest.fixture
def ready_store(store: sa.Engine) -> sa.Engine:
    seed_reference(store)
    return store


def _filled_csv(engine: sa.Engine) -> tuple[bytes, list[int], int]:
    """The police template for PERIOD with three rows given a value: two of its own agency rows
    and one partnership-wide row. Returns the file, the filled rows' numbers and the row count."""
    frame = template_frame(engine=engine, agency_code="POLICE", period_code=PERIOD)
    own = [i for i in range(len(frame)) if frame["agency_code"].iat[i] == "POLICE"][:2]
    wide = [i for i in range(len(frame)) if frame["agency_code"].iat[i] == ""][:1]
    filled = sorted(own + wide)
    frame["value"] = [12 if i in filled else None for i in range(len(frame))]
    return frame.to_csv(index=False).encode("utf-8-sig"), [i + 2 for i in filled], len(frame)


def test_a_partial_template_loads_its_filled_rows_without_ticking_anything(
    ready_store: sa.Engine,
) -> None:
    data, filled, total = _filled_csv(ready_store)
    assert total > 10 and len(filled) == 3
    checked = check_file(engine=ready_store, file_name="police.csv", data=data, today=TODAY)
    assert checked.report.empty, checked.report.to_dict("records")
    assert checked.can_load_all
    summary = checked.summary
    assert (summary["rows"], summary["valid_rows"], summary["rows_with_errors"]) == (3, 3, 0)
    assert summary["not_given"] == total - 3
    assert (summary["agencies"], summary["partnership_level_rows"]) == (1, 1)
    assert summary["new"] == 3
    # Every other row of the template (heading in row 1) is counted as not given.
    assert checked.validation is not None
    assert checked.validation.not_given == [r for r in range(2, total + 2) if r not in filled]
    assert list(checked.preview["row"]) == filled
    result = load_checked(engine=ready_store, checked=checked, username="qa.one")
    assert (result.new, result.changed) == (3, 0)


def test_blank_rows_of_the_excel_template_are_not_given_either(ready_store: sa.Engine) -> None:
    workbook = load_workbook(
        io.BytesIO(template_xlsx(engine=ready_store, agency_code="POLICE", period_code=PERIOD))
    )
    sheet = workbook["Return"]
    sheet.cell(row=2, column=5).value = 7
    out = io.BytesIO()
    workbook.save(out)
    checked = check_file(engine=ready_store, file_name="p.xlsx", data=out.getvalue(), today=TODAY)
    assert checked.can_load_all, checked.report.to_dict("records")
    assert checked.summary["valid_rows"] == 1
    assert checked.summary["not_given"] == sheet.max_row - 2


def test_a_row_with_only_a_comment_is_still_missing_its_value(ready_store: sa.Engine) -> None:
    rows = [["MASH_CONTACTS", PERIOD, "", "", "", "", "", "", "figure to follow"]]
    checked = check_file(engine=ready_store, file_name="r.csv", data=csv_bytes(rows), today=TODAY)
    assert list(checked.report["problem"]) == ["No value."]
    assert checked.summary["not_given"] == 0


def test_a_template_with_nothing_filled_in_is_refused_in_a_sentence(
    ready_store: sa.Engine,
) -> None:
    data = template_csv(engine=ready_store, agency_code="POLICE", period_code=PERIOD)
    before = snapshot(ready_store)
    checked = check_file(engine=ready_store, file_name="police.csv", data=data, today=TODAY)
    assert checked.file_problem is not None
    assert "No figures were given" in checked.file_problem.problem
    assert "Fill in the value" in checked.file_problem.what_to_do
    assert not checked.can_load_all
    assert snapshot(ready_store) == before


def _history(scale: float) -> bytes:
    return csv_bytes(
        [
            ["MASH_CONTACTS", q, "", "NORTH", round(800 * scale) + i, "", "", "", ""]
            for i, q in enumerate(QUARTERS)
        ]
    )


def test_a_resent_history_at_a_hundredth_of_the_stored_figures_is_held(
    ready_store: sa.Engine,
) -> None:
    first = check_file(engine=ready_store, file_name="h.csv", data=_history(1), today=TODAY)
    assert first.summary["held"] == 0
    load_checked(engine=ready_store, checked=first, username="qa.one")
    before = snapshot(ready_store)
    resent = [
        ["MASH_CONTACTS", q, "", "NORTH", 8 + i / 100, "", "", "", ""]
        for i, q in enumerate(QUARTERS)
    ]
    checked = check_file(
        engine=ready_store, file_name="h2.csv", data=csv_bytes(resent), today=TODAY
    )
    assert checked.summary["changed"] == len(QUARTERS)
    assert checked.summary["held"] == len(QUARTERS)
    reasons = set(checked.held_rows["hold_reason"])
    assert all("less than a tenth of" in r and "figure(s) stored for it" in r for r in reasons)
    with pytest.raises(Exception, match="unusual"):
        load_checked(engine=ready_store, checked=checked, username="qa.one")
    assert snapshot(ready_store) == before


def test_a_resent_history_at_the_stored_level_is_not_held(ready_store: sa.Engine) -> None:
    first = check_file(engine=ready_store, file_name="h.csv", data=_history(1), today=TODAY)
    load_checked(engine=ready_store, checked=first, username="qa.one")
    checked = check_file(engine=ready_store, file_name="h2.csv", data=_history(1.5), today=TODAY)
    assert checked.summary["changed"] == len(QUARTERS)
    assert checked.summary["held"] == 0


def test_a_first_back_fill_is_judged_by_its_own_other_periods(ready_store: sa.Engine) -> None:
    rows = [["MASH_CONTACTS", q, "", "SOUTH", 700, "", "", "", ""] for q in QUARTERS[:8]]
    rows[5][4] = 7000
    checked = check_file(engine=ready_store, file_name="b.csv", data=csv_bytes(rows), today=TODAY)
    held = checked.held_rows
    assert list(held["period_code"]) == [QUARTERS[5]]
    assert "this file's other periods" in held["hold_reason"].iat[0]


def test_a_new_quarter_far_from_the_stored_series_is_held(ready_store: sa.Engine) -> None:
    first = check_file(engine=ready_store, file_name="h.csv", data=_history(1), today=TODAY)
    load_checked(engine=ready_store, checked=first, username="qa.one")
    rows = [["MASH_CONTACTS", q, "", "NORTH", 9000, "", "", "", ""] for q in ("2025-26 Q3",)]
    checked = check_file(engine=ready_store, file_name="n.csv", data=csv_bytes(rows), today=TODAY)
    assert checked.summary["held"] == 1
    assert "times the usual level" in checked.held_rows["hold_reason"].iat[0]
