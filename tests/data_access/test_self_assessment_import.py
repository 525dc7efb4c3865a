"""Self-assessment returns import (issue 29): each check's sentence with the store unchanged, a
good load counted on the audit page's figures, a held return never overwritten, and rollback
withdrawing what a file brought so a corrected file can take its place."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from data_access import self_assessment
from data_access import self_assessment_import as imp
from data_access.importer import rollback_submission
from data_access.models import AuditLogEntry, S11Rating, S11Return, Submission
from tests.support.education_seed import seed_education

EDU = "education_175_157"
TODAY = dt.date(2026, 3, 1)


def _rows(code: str = "1004", submitted: str = "20/01/2026", **change: str) -> list[dict]:
    rows = [
        {
            "School or college code": code,
            "Standard": str(n),
            "Rating": "Red" if n == 4 else "Green",
            "Evidence summary": f"Evidence for standard {n}",
            "Improvement action": "Recruit a governor" if n == 4 else "",
            "Submitted on": submitted,
            "Signed off by": "Headteacher",
            "Cycle": "",
        }
        for n in range(1, 14)
    ]
    for key, value in change.items():
        rows[0][key.replace("_", " ")] = value
    return rows


def _csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode()


def _check(store: sa.Engine, data: bytes, name: str = "returns.csv", cycle: str | None = "2025-26"):
    return imp.check_returns(
        engine=store, data=data, file_name=name, framework=EDU, cycle_name=cycle, today=TODAY
    )


def _snapshot(store: sa.Engine) -> tuple[int, int, int]:
    with store.connect() as c:
        return tuple(  # type: ignore[return-value]
            int(c.scalar(sa.select(sa.func.count()).select_from(m)) or 0)
            for m in (S11Return, S11Rating, Submission)
        )


def _refused(store: sa.Engine, data: bytes, **kwargs) -> list[str]:
    before = _snapshot(store)
    with pytest.raises(imp.ImportProblem) as caught:
        _check(store, data, **kwargs)
    assert _snapshot(store) == before
    return caught.value.problems


@pytest.fixture
def seeded(store: sa.Engine):
    return store, seed_education(store)


def test_a_good_file_adds_the_return_and_the_page_counts_it(seeded) -> None:
    store, seed = seeded
    before = self_assessment.return_counts(engine=store, cycle_id=seed.cycle)
    rows = _rows()
    typed = "**All** staff <b>trained</b> [see](http://example.org)"
    rows[1]["Evidence summary"] = typed
    checked = _check(store, _csv(rows))
    preview = checked.preview()
    assert preview.iloc[0].to_dict() == {
        "School or college": "Daisy Special School (1004)",
        "Cycle": "2025-26",
        "Submitted on": "20 Jan 2026",
        "Signed off by": "Headteacher",
        "Green": 12,
        "Amber": 0,
        "Red": 1,
    }
    loaded = imp.load_returns(engine=store, checked=checked, loaded_by="qa", page="cli")
    assert (loaded.returns, loaded.ratings) == (1, 13)
    after = self_assessment.return_counts(engine=store, cycle_id=seed.cycle)
    assert (after.returned, after.on_time) == (before.returned + 1, before.on_time + 1)
    with store.connect() as c:
        submission = c.execute(sa.select(Submission)).one()
        detail = c.scalar(
            sa.select(AuditLogEntry.detail).where(
                AuditLogEntry.event == "self_assessment_returns_loaded"
            )
        )
    assert submission.source == "self_assessment" and submission.row_count == 13
    assert submission.checksum in str(detail) and "returns.csv" in str(detail)
    with store.connect() as c:
        # Kept as typed: plain text, shown as text, never rendered as Markdown or HTML.
        assert typed in set(c.scalars(sa.select(S11Rating.evidence_summary)))
    actions = self_assessment.improvement_actions(engine=store, cycle_id=seed.cycle)
    assert "Recruit a governor" in set(actions["action"])


def test_the_template_is_a_whole_return(seeded) -> None:
    store, _ = seeded
    for file_format in ("csv", "xlsx"):
        data = imp.template_bytes(engine=store, framework=EDU, file_format=file_format)
        table = (
            pd.read_csv(io.BytesIO(data), dtype=str)
            if file_format == "csv"
            else pd.read_excel(io.BytesIO(data), dtype=str)
        )
        assert list(table.columns) == list(imp.columns(EDU))
        assert sorted(table["Standard"].astype(int)) == list(range(1, 14))


def test_the_excel_template_loads_once_its_code_is_a_school(seeded) -> None:
    store, _ = seeded
    data = imp.template_bytes(engine=store, framework=EDU, file_format="xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert sheet is not None
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.value = 1004  # a URN typed as a number
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = _check(store, buffer.getvalue(), name="returns.xlsx")
    assert [(r.code, r.submitted_on, len(r.ratings)) for r in checked.returns] == [
        ("1004", dt.date(2025, 11, 15), 13)
    ]


def test_unknown_code_standard_and_rating_are_each_named(seeded) -> None:
    store, _ = seeded
    rows = _rows()
    rows[1]["Rating"] = "Blue"
    rows[2]["Standard"] = "14"
    rows.append({**rows[0], "School or college code": "9999"})
    problems = _refused(store, _csv(rows))
    assert "Row 3: the rating is Green, Amber or Red, not 'Blue'." in problems
    assert any(
        p.startswith("Row 4: '14' is not a standard of this framework; use a number from 1 to 13")
        for p in problems
    )
    assert any(
        p.startswith("Row 15: there is no school or college with the code '9999'") for p in problems
    )


def test_a_return_missing_standards_says_which(seeded) -> None:
    store, _ = seeded
    rows = [r for r in _rows() if r["Standard"] not in ("5", "9")]
    problems = _refused(store, _csv(rows))
    assert problems == [
        "Daisy Special School's 2025-26 return (from row 2) does not rate standard(s) 5, 9; "
        "each return rates every standard: add a row for each."
    ]


def test_duplicate_rows_are_refused(seeded) -> None:
    store, _ = seeded
    rows = _rows()
    rows.append(dict(rows[3]))
    problems = _refused(store, _csv(rows))
    assert problems == [
        "Row 15: Daisy Special School rates standard 4 twice in the file; keep one row per "
        "standard."
    ]


def test_one_return_has_one_date_and_one_sign_off(seeded) -> None:
    store, _ = seeded
    rows = _rows()
    rows[2]["Submitted on"] = "21/01/2026"
    rows[3]["Signed off by"] = "Chair of governors"
    problems = _refused(store, _csv(rows))
    assert problems == [
        "Row 4: Daisy Special School's return is dated 20 Jan 2026 on row 2 but 21 Jan 2026 "
        "here; one return has one date.",
        "Row 5: Daisy Special School's return is signed off by Headteacher on row 2 but by "
        "Chair of governors here; one return has one sign-off (give it on every row or only "
        "the first).",
    ]


@pytest.mark.parametrize(
    ("date", "sentence"),
    [
        ("02/03/2026", "Row 2: the return is dated 2 Mar 2026, after today"),
        (
            "01/09/2025",
            "Row 2: the return is dated 1 Sep 2025, before the cycle opened (1 Oct 2025)",
        ),
        ("soon", "Row 2: the submitted date 'soon' is not a date like 15/11/2025."),
    ],
)
def test_dates_outside_sense_are_refused(seeded, date: str, sentence: str) -> None:
    store, _ = seeded
    rows = _rows()
    rows[0]["Submitted on"] = date
    problems = _refused(store, _csv(rows))
    assert any(p.startswith(sentence) for p in problems), problems


def test_formula_cells_are_refused_in_csv_and_xlsx(seeded) -> None:
    store, _ = seeded
    rows = _rows()
    rows[0]["Evidence summary"] = '=HYPERLINK("http://x")'
    problems = _refused(store, _csv(rows))
    assert problems[0].startswith(
        "Row 2: the 'Evidence summary' cell holds a formula or starts with '='"
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(imp.columns(EDU)))
    for row in _rows():
        sheet.append(list(row.values()))
    sheet["D3"] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    problems = _refused(store, buffer.getvalue(), name="returns.xlsx")
    assert problems[0].startswith("Row 3: the 'Evidence summary' cell holds a formula")


def test_a_held_return_is_kept_and_the_file_refused(seeded) -> None:
    store, _ = seeded
    problems = _refused(store, _csv(_rows(code="1001")))
    assert problems == [
        "A 2025-26 return from Ash Primary School is already held (submitted on 10 Jan 2026); "
        "it is kept and this file was not loaded. To replace it, ask an administrator to "
        "withdraw it first (it was not loaded from a file), then load this file again."
    ]


def test_rollback_withdraws_a_loaded_file_so_a_corrected_one_can_replace_it(seeded) -> None:
    store, seed = seeded
    first = imp.load_returns(
        engine=store, checked=_check(store, _csv(_rows())), loaded_by="qa", page=None
    )
    problems = _refused(store, _csv(_rows(submitted="21/01/2026")))
    assert problems == [
        "A 2025-26 return from Daisy Special School is already held (submitted on 20 Jan "
        f"2026); it is kept and this file was not loaded. To replace it, roll back submission "
        f"{first.submission_id} (the import that brought it) first, then load this file again."
    ]
    result = rollback_submission(engine=store, submission_id=first.submission_id, username="qa")
    assert result.withdrawn == 1
    imp.load_returns(
        engine=store,
        checked=_check(store, _csv(_rows(submitted="21/01/2026"))),
        loaded_by="qa",
        page=None,
    )
    missing = self_assessment.non_returners(engine=store, cycle_id=seed.cycle)
    assert "Daisy Special School" not in set(missing["name"])


def test_the_cycle_column_must_agree_with_the_chosen_cycle(seeded) -> None:
    store, _ = seeded
    rows = _rows()
    rows[0]["Cycle"] = "2024-25"
    problems = _refused(store, _csv(rows))
    assert problems[0] == (
        "Row 2: the row says cycle 2024-25 but 2025-26 was chosen; leave the Cycle column "
        "blank or choose that cycle."
    )
    for row in rows:
        row["Cycle"] = "2025-26"
    checked = _check(store, _csv(rows), cycle=None)
    assert checked.returns[0].cycle_name == "2025-26"


def test_a_section_11_return_for_an_agency(seeded) -> None:
    store, seed = seeded
    with store.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO agency (code, name, sector, agency_type, section_175, active) "
                "VALUES ('POL', 'Police', 'police', 'statutory_partner', false, true)"
            )
        )
    rows = [
        {
            "Agency code": "pol",
            "Standard": f"S{n}",
            "Rating": "amber",
            "Evidence summary": "Audit of supervision",
            "Improvement action": "Supervision policy",
            "Submitted on": "2024-12-01",
            "Signed off by": "Chief Constable",
        }
        for n in range(1, 12)
    ]
    checked = imp.check_returns(
        engine=store,
        data=_csv(rows),
        file_name="s11.csv",
        framework="section_11",
        cycle_name="2024-26",
        today=TODAY,
    )
    imp.load_returns(engine=store, checked=checked, loaded_by="qa", page=None)
    counts = self_assessment.return_counts(engine=store, cycle_id=seed.s11_cycle)
    assert counts.returned == 2
