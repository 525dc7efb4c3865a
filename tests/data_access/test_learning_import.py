"""The risk register import: the template round-trips, every wrong row is named with its row
number and nothing is written, a good file adds and updates risks by reference in one
transaction with audit lines."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import learning, learning_import
from data_access.models import AuditLogEntry, Risk


def _agency(engine: sa.Engine) -> None:
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO agency (code, name, sector, agency_type, section_175, active) "
                "VALUES ('BCS', 'Brookvale Council', 'council', 'statutory_partner', false, true)"
            )
        )


def _csv(rows: list[dict]) -> bytes:
    table = pd.DataFrame(rows, columns=list(learning_import.RISK_COLUMNS)).fillna("")
    return table.to_csv(index=False).encode()


def _count(engine: sa.Engine, model) -> int:
    with engine.connect() as c:
        return int(c.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_imports_as_it_is(store: sa.Engine, file_format: str) -> None:
    _agency(store)
    data = learning_import.template_bytes(file_format)
    result = learning_import.import_risks(
        engine=store, data=data, file_name=f"t.{file_format}", imported_by="qa"
    )
    assert (result.added, result.updated) == (1, 0)
    register = learning.risks(engine=store, threshold=12).set_index("reference")
    assert register.loc["R01", "score_before"] == 16 and register.loc["R01", "score_after"] == 9
    assert register.loc["R01", "theme_name"] == "MASH (front door)"


def test_every_wrong_row_is_named_and_nothing_is_written(store: sa.Engine) -> None:
    _agency(store)
    good = dict(learning_import.EXAMPLE)
    rows = [
        good,
        {**good, "Reference": "R02", "Likelihood": "7"},
        {**good, "Reference": "R03", "Owner agency code": "NOPE", "Review date": "soon"},
        {**good, "Reference": "R01"},
    ]
    with pytest.raises(learning_import.ImportProblem) as caught:
        learning_import.import_risks(
            engine=store, data=_csv(rows), file_name="r.csv", imported_by="qa"
        )
    problems = caught.value.problems
    assert any(p.startswith("Row 3: The likelihood is scored from 1 to 5") for p in problems)
    assert any(p.startswith("Row 4: there is no agency with the code 'NOPE'") for p in problems)
    assert any(p.startswith("Row 4: the review date 'soon'") for p in problems)
    assert any(p.startswith("Row 5: the reference R01 is used twice") for p in problems)
    assert _count(store, Risk) == 0 and _count(store, AuditLogEntry) == 0


def test_a_known_reference_updates_and_a_new_one_adds(store: sa.Engine) -> None:
    _agency(store)
    learning_import.import_risks(
        engine=store, data=_csv([learning_import.EXAMPLE]), file_name="a.csv", imported_by="qa"
    )
    rows = [
        {**learning_import.EXAMPLE, "Likelihood": "5"},
        {**learning_import.EXAMPLE, "Reference": "R02", "Risk": "Funding"},
    ]
    result = learning_import.import_risks(
        engine=store, data=_csv(rows), file_name="b.csv", imported_by="qa"
    )
    assert (result.added, result.updated) == (1, 1)
    register = learning.risks(engine=store, threshold=12).set_index("reference")
    assert register.loc["R01", "score_before"] == 20 and len(register) == 2
    with store.connect() as c:
        events = list(c.scalars(sa.select(AuditLogEntry.event).order_by(AuditLogEntry.id)))
    assert events[-3:] == ["risk_updated", "risk_recorded", "risks_imported"]


def test_files_that_are_not_the_template_are_refused(store: sa.Engine) -> None:
    with pytest.raises(learning_import.ImportProblem, match="no column 'Reference'"):
        learning_import.read_table(b"a,b\n1,2\n", "x.csv")
    with pytest.raises(learning_import.ImportProblem, match=".csv or .xlsx"):
        learning_import.read_table(b"x", "x.txt")
    with pytest.raises(learning_import.ImportProblem, match="could not be read"):
        learning_import.read_table(io.BytesIO(b"not a zip").getvalue(), "x.xlsx")


def _actions_csv(rows: list[dict]) -> bytes:
    table = pd.DataFrame(rows, columns=list(learning_import.ACTION_COLUMNS)).fillna("")
    return table.to_csv(index=False).encode()


def test_actions_import_keeps_done_and_impact_apart(writable_sample_store) -> None:
    engine = writable_sample_store
    before = learning.actions(engine=engine)
    example = dict(learning_import.ACTION_EXAMPLE)
    rows = [
        example,
        {**example, "From": "JTAI-2024", "Evidence of impact": "", "Status": "Completed"},
        {**example, "From": "SCR-2024-25", "Status": "in progress", "Completed on": ""},
    ]
    # The third row has evidence of impact on an action not complete: refused, nothing written.
    with pytest.raises(learning_import.ImportProblem) as caught:
        learning_import.import_actions(
            engine=engine, data=_actions_csv(rows), file_name="a.csv", imported_by="qa", page="p"
        )
    assert caught.value.problems == [
        "Row 4: Evidence of impact can only be recorded for a completed action."
    ]
    assert len(learning.actions(engine=engine)) == len(before)
    rows[2] = {**rows[2], "Evidence of impact": "", "Date of the evidence of impact": ""}
    added = learning_import.import_actions(
        engine=engine, data=_actions_csv(rows), file_name="a.csv", imported_by="qa", page="p"
    )
    assert added == 3
    after = learning.actions(engine=engine)
    new = after[~after["id"].isin(before["id"])].set_index("source")
    assert new.loc["RR-2025-01", "state"] == learning.STATE_IMPACT
    assert new.loc["JTAI-2024", "state"] == learning.STATE_DONE
    assert new.loc["SCR-2024-25", "status"] == "in_progress"


def test_actions_import_names_unknown_reviews_and_agencies(writable_sample_store) -> None:
    rows = [{**learning_import.ACTION_EXAMPLE, "From": "RR-1999-01", "Owner agency code": "X"}]
    with pytest.raises(learning_import.ImportProblem) as caught:
        learning_import.import_actions(
            engine=writable_sample_store,
            data=_actions_csv(rows),
            file_name="a.csv",
            imported_by="qa",
            page="p",
        )
    assert caught.value.problems[:2] == [
        "Row 2: there is no review with the reference 'RR-1999-01'.",
        "Row 2: there is no agency with the code 'X'.",
    ]
