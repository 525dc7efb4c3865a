"""Import the review spreadsheets a partnership keeps today (issue 29): its serious incident
notifications with their rapid reviews, its local and national practice reviews, and its
scrutiny and inspection recommendations (each with the report it comes from and the action
agreed).

The same shape as the risk and action imports (`data_access.learning_import`): a template per
kind, every row checked with a sentence naming the row and the fix, nothing written unless every
row is right, one transaction with an audit line per record and one for the file. Rapid reviews
and practice reviews are matched by reference (a new reference adds, a known one updates);
recommendations are added to the report their row names, the report recorded from the row when
it is new. The timeliness indicators are written again in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so

from data_access import audit_log
from data_access.db import session_scope
from data_access.learning import (
    KIND_LABELS,
    OUTCOME_LABELS,
    LearningError,
    NewLearningReview,
    NewRapidReview,
    apply_learning_review,
    apply_rapid_review,
    learning_review_problems,
    rapid_review_problems,
    refresh_figures,
)
from data_access.learning_import import (
    ACTION_COLUMNS,
    ACTION_EXAMPLE,
    ActionRow,
    ImportProblem,
    ImportResult,
    Template,
    action_cells,
    add_action,
    agency_ids,
    cell_date,
    sheet_rows,
    theme_codes,
)
from data_access.models import LearningReview, RapidReview

RAPID_REVIEWS = Template(
    columns=(
        "Reference",
        "Incident came to notice",
        "Notified to the national panel",
        "Theme",
        "Rapid review completed",
        "Outcome",
        "National panel's view",
        "Learning",
    ),
    required=("Reference", "Incident came to notice", "Notified to the national panel"),
    example={
        "Reference": "RR-2026-01",
        "Incident came to notice": "05/01/2026",
        "Notified to the national panel": "07/01/2026",
        "Theme": "Neglect",
        "Rapid review completed": "27/01/2026",
        "Outcome": "Local child safeguarding practice review",
        "National panel's view": "Agreed with the decision to hold a local review.",
        "Learning": "Health visitors and schools did not share concerns about home conditions.",
    },
    sheet_name="Rapid reviews",
)
PRACTICE_REVIEWS = Template(
    columns=(
        "Reference",
        "Kind",
        "Title",
        "Decided on",
        "Published on",
        "Why not published within six months",
        "Learning",
        "Themes",
    ),
    required=("Reference", "Kind", "Title", "Decided on"),
    example={
        "Reference": "LCSPR-2026-01",
        "Kind": "Local practice review",
        "Title": "Child D: neglect in a large family",
        "Decided on": "27/01/2026",
        "Published on": "20/07/2026",
        "Why not published within six months": "",
        "Learning": "Chronologies across agencies would have shown the pattern sooner.",
        "Themes": "Neglect; Early help",
    },
    sheet_name="Practice reviews",
)
REPORT_COLUMNS = ("Report reference", "Kind", "Report title", "Report date")
SCRUTINY = Template(
    columns=(*REPORT_COLUMNS, *(c for c in ACTION_COLUMNS if c != "From")),
    required=(*REPORT_COLUMNS, "Recommendation", "Owner agency code", "Due date"),
    example={
        "Report reference": "JTAI-2026",
        "Kind": "Inspection",
        "Report title": "Joint targeted area inspection: the front door",
        "Report date": "15/03/2026",
        **{k: v for k, v in ACTION_EXAMPLE.items() if k != "From"},
    },
    sheet_name="Recommendations",
)
PRACTICE_KINDS = ("local_review", "national_review")
SCRUTINY_KINDS = ("scrutiny", "inspection", "improvement_plan")
THEME_SEPARATORS = (";", ",")


def _words(labels: dict[str, str], codes: tuple[str, ...]) -> dict[str, str]:
    """A code by its label or its code, in lower case, with spaces or underscores."""
    out: dict[str, str] = {}
    for code in codes:
        for word in (labels.get(code, code), code, code.replace("_", " ")):
            out[word.lower()] = code
    return out


OUTCOME_WORDS = {
    **_words(OUTCOME_LABELS, tuple(OUTCOME_LABELS)),
    "lcspr": "lcspr",
    "local review": "lcspr",
    "": "pending",
}
PRACTICE_KIND_WORDS = {**_words(KIND_LABELS, PRACTICE_KINDS), "local review": "local_review"}
SCRUTINY_KIND_WORDS = {**_words(KIND_LABELS, SCRUTINY_KINDS), "scrutiny report": "scrutiny"}


def _choice(
    text: str, words: dict[str, str], labels: dict[str, str], row: int, what: str, found: list[str]
) -> str | None:
    """The code `text` names; else a sentence listing the words the column takes."""
    code = words.get(text.lower())
    if code is None:
        allowed = "; ".join(labels[c] for c in dict.fromkeys(words.values()))
        found.append(f"Row {row}: the {what} '{text}' is not one of: {allowed}.")
    return code


def _required_date(text: str, row: int, what: str, found: list[str]) -> dt.date | None:
    if not text:
        found.append(f"Row {row}: give the {what}.")
        return None
    return cell_date(text, row, found, what)


def _duplicate(reference: str, seen: set[str], row: int, found: list[str]) -> None:
    if reference and reference in seen:
        found.append(f"Row {row}: the reference {reference} is used twice in the file.")
    seen.add(reference)


def check_rapid_reviews(
    *, engine: sa.Engine, table: pd.DataFrame
) -> tuple[list[NewRapidReview], list[str]]:
    """The notifications a table holds, and every problem with it (row numbers as in the sheet)."""
    themes = theme_codes(engine)
    entries: list[NewRapidReview] = []
    problems: list[str] = []
    seen: set[str] = set()
    for row, cell in sheet_rows(table):
        found: list[str] = []
        reference = cell("Reference")
        _duplicate(reference, seen, row, found)
        incident = _required_date(cell("Incident came to notice"), row, "incident date", found)
        notified = _required_date(
            cell("Notified to the national panel"), row, "notification date", found
        )
        theme_text = cell("Theme")
        theme = themes.get(theme_text.lower()) if theme_text else None
        if theme_text and theme is None:
            found.append(f"Row {row}: '{theme_text}' is not one of the partnership's themes.")
        outcome = _choice(cell("Outcome"), OUTCOME_WORDS, OUTCOME_LABELS, row, "outcome", found)
        decided = cell_date(cell("Rapid review completed"), row, found, "completion date")
        if incident is None or notified is None or outcome is None:
            problems += found
            continue
        entry = NewRapidReview(
            reference=reference,
            incident_on=incident,
            notified_on=notified,
            theme_code=theme,
            decided_on=decided,
            outcome=outcome,
            panel_view=cell("National panel's view") or None,
            learning_summary=cell("Learning") or None,
        )
        found += [f"Row {row}: {p}" for p in rapid_review_problems(entry)]
        problems += found
        if not found:
            entries.append(entry)
    return entries, problems


def _themes(text: str, themes: dict[str, str], row: int, found: list[str]) -> tuple[str, ...]:
    names = [text]
    for separator in THEME_SEPARATORS:
        names = [part for name in names for part in name.split(separator)]
    codes = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        code = themes.get(name.lower())
        if code is None:
            found.append(f"Row {row}: '{name}' is not one of the partnership's themes.")
        else:
            codes.append(code)
    return tuple(codes)


def check_practice_reviews(
    *, engine: sa.Engine, table: pd.DataFrame
) -> tuple[list[NewLearningReview], list[str]]:
    """The local and national reviews a table holds, and every problem with it."""
    themes = theme_codes(engine)
    known = _known_kinds(engine)
    entries: list[NewLearningReview] = []
    problems: list[str] = []
    seen: set[str] = set()
    for row, cell in sheet_rows(table):
        found: list[str] = []
        reference = cell("Reference")
        _duplicate(reference, seen, row, found)
        kind = _choice(cell("Kind"), PRACTICE_KIND_WORDS, KIND_LABELS, row, "kind", found)
        entry = NewLearningReview(
            reference=reference,
            kind=kind or "local_review",
            title=cell("Title"),
            decided_on=_required_date(cell("Decided on"), row, "date of the decision", found),
            published_on=cell_date(cell("Published on"), row, found, "publication date"),
            delay_reason=cell("Why not published within six months") or None,
            summary=cell("Learning") or None,
            theme_codes=_themes(cell("Themes"), themes, row, found),
        )
        if entry.decided_on is not None:  # a missing date is said once, above
            found += [f"Row {row}: {p}" for p in learning_review_problems(entry)]
        _other_kind(reference, known, PRACTICE_KINDS, row, found)
        problems += found
        if not found:
            entries.append(entry)
    return entries, problems


def _known_kinds(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return dict(
            connection.execute(sa.select(LearningReview.reference, LearningReview.kind))
            .tuples()
            .all()
        )


def _other_kind(
    reference: str, known: dict[str, str], kinds: tuple[str, ...], row: int, found: list[str]
) -> None:
    """A reference the store holds for another kind of review cannot be imported here."""
    stored = known.get(reference)
    if stored is not None and stored not in kinds:
        found.append(
            f"Row {row}: the reference {reference} is already used for another kind of record "
            f"({KIND_LABELS[stored]}); give this one its own reference."
        )


@dataclass(frozen=True)
class Recommendation:
    report: NewLearningReview
    row: int
    action: ActionRow


def check_scrutiny(
    *, engine: sa.Engine, table: pd.DataFrame
) -> tuple[list[Recommendation], list[str]]:
    """The scrutiny and inspection recommendations a table holds, and every problem with it: a
    report named on several rows must be the same report each time, and a report already in the
    store must be a scrutiny report, an inspection or a plan."""
    agencies = agency_ids(engine)
    known = _known_kinds(engine)
    first: dict[str, tuple[int, NewLearningReview]] = {}
    items: list[Recommendation] = []
    problems: list[str] = []
    for row, cell in sheet_rows(table):
        found: list[str] = []
        reference = cell("Report reference")
        kind = _choice(cell("Kind"), SCRUTINY_KIND_WORDS, KIND_LABELS, row, "kind", found)
        report = NewLearningReview(
            reference=reference,
            kind=kind or "scrutiny",
            title=cell("Report title"),
            decided_on=_required_date(cell("Report date"), row, "report's date", found),
        )
        if report.decided_on is not None:
            found += [f"Row {row}: {p}" for p in learning_review_problems(report)]
        _other_kind(reference, known, SCRUTINY_KINDS, row, found)
        earlier = first.setdefault(reference, (row, report))
        if earlier[1] != report and not found:
            found.append(
                f"Row {row}: the report {reference} has another kind, title or date on row "
                f"{earlier[0]}; make them the same."
            )
        action = action_cells(row, cell, agencies, found)
        problems += found
        if action is not None and not found:
            items.append(Recommendation(report=report, row=row, action=action))
    return items, problems


def _import(
    *,
    engine: sa.Engine,
    template: Template,
    data: bytes,
    file_name: str,
    check: Callable[..., tuple[list[Any], list[str]]],
    nothing: str,
    write: Callable[..., ImportResult],
    imported_by: str,
    event: str,
    page: str,
) -> ImportResult:
    """Read, check and write one file all or nothing; the file's audit line and the timeliness
    figures in the same transaction."""
    table = template.read(data, file_name)
    items, problems = check(engine=engine, table=table)
    if problems:
        raise ImportProblem(problems)
    if not items:
        raise ImportProblem([nothing])
    try:
        with session_scope(engine) as session:
            result = write(session, items)
            audit_log.record(
                session,
                username=imported_by,
                event=event,
                page=page,
                detail=f"{file_name}: {result.words()}",
            )
            refresh_figures(session)
    except LearningError as exc:
        raise ImportProblem([str(exc)]) from exc
    return result


def _add_or_update(
    session: so.Session,
    model: type[RapidReview] | type[LearningReview],
    entries: Sequence[NewRapidReview | NewLearningReview],
    apply: Callable[[Any, int | None], int],
) -> ImportResult:
    """Write each entry: a new reference adds a record, a known one updates it."""
    known = dict(session.execute(sa.select(model.reference, model.id)).tuples().all())
    for entry in entries:
        apply(entry, known.get(entry.reference.strip()))
    updated = sum(entry.reference.strip() in known for entry in entries)
    return ImportResult(added=len(entries) - updated, updated=updated)


def import_rapid_reviews(
    *, engine: sa.Engine, data: bytes, file_name: str, imported_by: str
) -> ImportResult:
    """Check and import notifications and rapid reviews; a known reference is updated."""

    def write(session: so.Session, entries: list[NewRapidReview]) -> ImportResult:
        return _add_or_update(
            session,
            RapidReview,
            entries,
            lambda entry, known_id: apply_rapid_review(
                session, entry=entry, recorded_by=imported_by, review_id=known_id
            ),
        )

    return _import(
        engine=engine,
        template=RAPID_REVIEWS,
        data=data,
        file_name=file_name,
        check=check_rapid_reviews,
        nothing="The file has no notifications in it.",
        write=write,
        imported_by=imported_by,
        event="rapid_reviews_imported",
        page="practice_reviews",
    )


def import_practice_reviews(
    *, engine: sa.Engine, data: bytes, file_name: str, imported_by: str
) -> ImportResult:
    """Check and import local and national reviews; a known reference is updated."""

    def write(session: so.Session, entries: list[NewLearningReview]) -> ImportResult:
        return _add_or_update(
            session,
            LearningReview,
            entries,
            lambda entry, known_id: apply_learning_review(
                session,
                entry=entry,
                recorded_by=imported_by,
                page="practice_reviews",
                review_id=known_id,
            ),
        )

    return _import(
        engine=engine,
        template=PRACTICE_REVIEWS,
        data=data,
        file_name=file_name,
        check=check_practice_reviews,
        nothing="The file has no reviews in it.",
        write=write,
        imported_by=imported_by,
        event="practice_reviews_imported",
        page="practice_reviews",
    )


def import_scrutiny(
    *, engine: sa.Engine, data: bytes, file_name: str, imported_by: str
) -> ImportResult:
    """Check and import scrutiny and inspection recommendations with their actions; a report not
    yet in the store is recorded from its first row. `added` counts the recommendations,
    `reports` the reports recorded."""

    def write(session: so.Session, items: list[Recommendation]) -> ImportResult:
        ids = dict(session.execute(sa.select(LearningReview.reference, LearningReview.id)).all())
        reports = 0
        for item in items:
            reference = item.report.reference
            if reference not in ids:
                ids[reference] = apply_learning_review(
                    session, entry=item.report, recorded_by=imported_by, page="scrutiny"
                )
                reports += 1
            action = replace(item.action, review_id=ids[reference])
            add_action(
                session, action, imported_by=imported_by, file_name=file_name, page="scrutiny"
            )
        return ImportResult(added=len(items), updated=0, reports=reports)

    return _import(
        engine=engine,
        template=SCRUTINY,
        data=data,
        file_name=file_name,
        check=check_scrutiny,
        nothing="The file has no recommendations in it.",
        write=write,
        imported_by=imported_by,
        event="scrutiny_recommendations_imported",
        page="scrutiny",
    )
