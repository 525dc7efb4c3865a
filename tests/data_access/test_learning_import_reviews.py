"""The rapid review, practice review and scrutiny recommendation imports: each template imports
as it is, every wrong row is named with its number and the fix and nothing is written, known
references update, formula cells are refused, and the timeliness figures follow the import."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from data_access import learning, learning_figures
from data_access import learning_import_reviews as reviews
from data_access.learning_import import ImportProblem, Template
from data_access.models import (
    AuditLogEntry,
    CaseReviewAction,
    LearningReview,
    LearningReviewTheme,
    RapidReview,
    ReportingPeriod,
)

IMPORTS = {
    "rapid": (reviews.RAPID_REVIEWS, reviews.import_rapid_reviews),
    "practice": (reviews.PRACTICE_REVIEWS, reviews.import_practice_reviews),
    "scrutiny": (reviews.SCRUTINY, reviews.import_scrutiny),
}


def _agency(engine: sa.Engine) -> None:
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO agency (code, name, sector, agency_type, section_175, active) "
                "VALUES ('ICB', 'Brookvale ICB', 'health', 'statutory_partner', false, true)"
            )
        )


def _csv(template: Template, rows: list[dict[str, str]]) -> bytes:
    return (
        pd.DataFrame(rows, columns=list(template.columns)).fillna("").to_csv(index=False).encode()
    )


def _count(engine: sa.Engine, model: type) -> int:
    with engine.connect() as c:
        return int(c.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def _events(engine: sa.Engine) -> list[str]:
    with engine.connect() as c:
        return list(c.scalars(sa.select(AuditLogEntry.event).order_by(AuditLogEntry.id)))


def _unchanged(engine: sa.Engine) -> bool:
    return all(
        _count(engine, model) == 0
        for model in (RapidReview, LearningReview, CaseReviewAction, AuditLogEntry)
    )


def _refused(engine: sa.Engine, kind: str, rows: list[dict[str, str]]) -> list[str]:
    template, run = IMPORTS[kind]
    with pytest.raises(ImportProblem) as caught:
        run(engine=engine, data=_csv(template, rows), file_name="f.csv", imported_by="qa")
    return caught.value.problems


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", list(IMPORTS))
def test_each_template_imports_as_it_is(store: sa.Engine, kind: str, file_format: str) -> None:
    _agency(store)
    template, run = IMPORTS[kind]
    result = run(
        engine=store,
        data=template.file(file_format),
        file_name=f"t.{file_format}",
        imported_by="qa",
    )
    assert result.added == 1 and result.updated == 0
    if kind == "rapid":
        row = learning.rapid_reviews(engine=store).iloc[0]
        assert (row["reference"], row["outcome"], row["theme_name"]) == (
            "RR-2026-01",
            "lcspr",
            "Neglect",
        )
        assert row["in_time"]  # completed 27 January: 14 working days after 7 January
    elif kind == "practice":
        row = learning.learning_reviews(engine=store).iloc[0]
        assert (row["kind"], row["themes"]) == ("local_review", "Early help, Neglect")
        assert row["published_in_time"]
    else:
        assert result.reports == 1
        action = learning.actions(engine=store).iloc[0]
        assert (action["source"], action["source_kind"], action["state"]) == (
            "JTAI-2026",
            "inspection",
            learning.STATE_IMPACT,
        )
    assert (
        _events(store)[-1]
        == {
            "rapid": "rapid_reviews_imported",
            "practice": "practice_reviews_imported",
            "scrutiny": "scrutiny_recommendations_imported",
        }[kind]
    )


def test_rapid_review_rows_are_named_with_the_fix_and_nothing_is_written(
    store: sa.Engine,
) -> None:
    good = dict(reviews.RAPID_REVIEWS.example)
    problems = _refused(
        store,
        "rapid",
        [
            good,
            {**good, "Reference": "RR-2", "Notified to the national panel": "01/01/2026"},
            {**good, "Reference": "RR-3", "Outcome": "maybe"},
            {**good, "Reference": "RR-4", "Theme": "Weather", "Rapid review completed": "soon"},
            {**good, "Reference": "RR-5", "Incident came to notice": ""},
            {
                **good,
                "Reference": "RR-6",
                "Rapid review completed": "",
                "Outcome": "No local review",
            },
            good,
        ],
    )
    assert problems == [
        "Row 3: The notification cannot be before the incident.",
        "Row 4: the outcome 'maybe' is not one of: Not decided yet; No local review; "
        "Local child safeguarding practice review; National review.",
        "Row 5: 'Weather' is not one of the partnership's themes.",
        "Row 5: the completion date 'soon' is not a date like 31/03/2027.",
        "Row 5: An outcome needs the date the rapid review was completed.",
        "Row 6: give the incident date.",
        "Row 7: An outcome needs the date the rapid review was completed.",
        "Row 8: the reference RR-2026-01 is used twice in the file.",
    ]
    assert _unchanged(store)


def test_a_known_rapid_review_is_updated(store: sa.Engine) -> None:
    pending = {
        **reviews.RAPID_REVIEWS.example,
        "Rapid review completed": "",
        "Outcome": "",
        "National panel's view": "",
    }
    first = reviews.import_rapid_reviews(
        engine=store,
        data=_csv(reviews.RAPID_REVIEWS, [pending]),
        file_name="a.csv",
        imported_by="qa",
    )
    assert (first.added, first.updated) == (1, 0)
    assert learning.rapid_reviews(engine=store).iloc[0]["outcome"] == "pending"
    again = reviews.import_rapid_reviews(
        engine=store,
        data=_csv(reviews.RAPID_REVIEWS, [reviews.RAPID_REVIEWS.example]),
        file_name="b.csv",
        imported_by="qa",
    )
    assert (again.added, again.updated) == (0, 1)
    assert learning.rapid_reviews(engine=store).iloc[0]["outcome"] == "lcspr"
    assert _count(store, RapidReview) == 1
    assert _events(store)[-2:] == ["rapid_review_updated", "rapid_reviews_imported"]


def test_practice_review_rows_are_named_with_the_fix_and_nothing_is_written(
    store: sa.Engine,
) -> None:
    good = dict(reviews.PRACTICE_REVIEWS.example)
    problems = _refused(
        store,
        "practice",
        [
            good,
            {**good, "Reference": "P2", "Kind": "Inspection"},
            {**good, "Reference": "P3", "Published on": "01/01/2026"},
            {**good, "Reference": "P4", "Themes": "Neglect; Housing"},
            {**good, "Reference": "P5", "Decided on": ""},
            {**good, "Reference": "P6", "Title": ""},
        ],
    )
    assert problems == [
        "Row 3: the kind 'Inspection' is not one of: Local practice review; National review.",
        "Row 4: It cannot be published before it was decided.",
        "Row 5: 'Housing' is not one of the partnership's themes.",
        "Row 6: give the date of the decision.",
        "Row 7: Write a title.",
    ]
    assert _unchanged(store) and _count(store, LearningReviewTheme) == 0


def test_a_reference_of_another_kind_is_refused(store: sa.Engine) -> None:
    _agency(store)
    reviews.import_scrutiny(
        engine=store, data=reviews.SCRUTINY.file("csv"), file_name="s.csv", imported_by="qa"
    )
    before = _events(store)
    problems = _refused(
        store, "practice", [{**reviews.PRACTICE_REVIEWS.example, "Reference": "JTAI-2026"}]
    )
    assert problems == [
        "Row 2: the reference JTAI-2026 is already used for another kind of record "
        "(Inspection); give this one its own reference."
    ]
    assert _events(store) == before and _count(store, LearningReview) == 1


def test_scrutiny_rows_name_the_report_and_the_fix_and_nothing_is_written(
    store: sa.Engine,
) -> None:
    _agency(store)
    good = dict(reviews.SCRUTINY.example)
    problems = _refused(
        store,
        "scrutiny",
        [
            good,
            {**good, "Report title": "Another title"},
            {**good, "Report reference": "S2", "Kind": "Local practice review"},
            {**good, "Report reference": "S3", "Owner agency code": "NOPE", "Due date": ""},
            {**good, "Report reference": "S4", "Report date": "31/02/2026"},
        ],
    )
    assert problems == [
        "Row 3: the report JTAI-2026 has another kind, title or date on row 2; make them the same.",
        "Row 4: the kind 'Local practice review' is not one of: Independent scrutiny; "
        "Inspection; Improvement plan.",
        "Row 5: there is no agency with the code 'NOPE'.",
        "Row 5: give the due date.",
        "Row 6: the report's date '31/02/2026' is not a date like 31/03/2027.",
    ]
    assert _unchanged(store)


def test_recommendations_join_one_report_and_a_known_one(store: sa.Engine) -> None:
    _agency(store)
    good = dict(reviews.SCRUTINY.example)
    second = {**good, "Recommendation": "Police share strategy minutes.", "Status": "open"}
    second.update({"Completed on": "", "Evidence of completion": "", "Evidence of impact": ""})
    second["Date of the evidence of impact"] = ""
    result = reviews.import_scrutiny(
        engine=store,
        data=_csv(reviews.SCRUTINY, [good, second]),
        file_name="s.csv",
        imported_by="qa",
    )
    assert (result.added, result.reports) == (2, 1)
    result = reviews.import_scrutiny(
        engine=store, data=_csv(reviews.SCRUTINY, [second]), file_name="t.csv", imported_by="qa"
    )
    assert (result.added, result.reports) == (1, 0)
    assert _count(store, LearningReview) == 1 and _count(store, CaseReviewAction) == 3


def test_formula_cells_are_refused(store: sa.Engine) -> None:
    formula = {**reviews.RAPID_REVIEWS.example, "Learning": '=HYPERLINK("http://x","y")'}
    problems = _refused(store, "rapid", [formula])
    assert problems == [
        "Row 2: the 'Learning' cell holds a formula; type its text or date instead (the "
        "importer takes what is typed, never a formula)."
    ]
    # Text that only starts like a formula is kept as plain text.
    dash = {**reviews.RAPID_REVIEWS.example, "Learning": "- schools share concerns sooner"}
    reviews.import_rapid_reviews(
        engine=store, data=_csv(reviews.RAPID_REVIEWS, [dash]), file_name="d.csv", imported_by="qa"
    )
    assert learning.rapid_reviews(engine=store).iloc[0]["learning_summary"] == dash["Learning"]

    book = Workbook()
    sheet = book.active
    sheet.append(list(reviews.PRACTICE_REVIEWS.columns))
    sheet.append([reviews.PRACTICE_REVIEWS.example[c] for c in reviews.PRACTICE_REVIEWS.columns])
    sheet["D2"] = "=TODAY()"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportProblem) as caught:
        reviews.import_practice_reviews(
            engine=store, data=buffer.getvalue(), file_name="p.xlsx", imported_by="qa"
        )
    assert caught.value.problems[0].startswith("Row 2: the 'Decided on' cell holds a formula")
    assert _count(store, LearningReview) == 0


def test_importing_rapid_reviews_writes_the_timeliness_figure(store: sa.Engine) -> None:
    with store.begin() as c:
        c.execute(
            sa.insert(ReportingPeriod).values(
                code="2025-26 Q4",
                fy_start_year=2025,
                quarter=4,
                kind="quarter",
                start_date=dt.date(2026, 1, 1),
                end_date=dt.date(2026, 3, 31),
            )
        )
    late = {
        **reviews.RAPID_REVIEWS.example,
        "Reference": "RR-2026-02",
        "Rapid review completed": "30/01/2026",  # 17 working days after 7 January
    }
    reviews.import_rapid_reviews(
        engine=store,
        data=_csv(reviews.RAPID_REVIEWS, [reviews.RAPID_REVIEWS.example, late]),
        file_name="r.csv",
        imported_by="qa",
    )
    stored = learning_figures.stored(engine=store).set_index("code")
    assert stored.loc[learning_figures.RAPID, "value"] == 50.0
    assert stored.loc[learning_figures.RAPID, "denominator"] == 2
