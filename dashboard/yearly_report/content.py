"""What the yearly report says, built once from the store: the sections Working Together 2023
asks a partnership's yearly report to cover, each filled from the product's own records, with a
space for the partners' own words and a plain-words summary for young people. The PDF and the
Word document render this one object (`render.py`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from dashboard.components.rag import SHORT_RAG
from dashboard.metrics import brief, learning_words
from dashboard.metrics import rag as ragmod
from data_access import (
    assurance,
    audits,
    catalogue,
    challenges,
    learning,
    section11,
    self_assessment,
    themes,
    youth_texts,
)
from data_access.config import risk_escalation_threshold, settings
from data_access.models import EDUCATION_175_157
from data_access.yearly_reports import (
    ReportYear,
    actions_for_year,
    parse_year,
    quarters_of,
    rapid_reviews_in,
    reviews_in,
)

PARTNERS_SPACE = (
    "For the partners to write: what this meant for children and families, in their own words."
)


@dataclass(frozen=True)
class ReportTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty_text: str = "Nothing was recorded for this year."


@dataclass(frozen=True)
class ReportSection:
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    partners_space: bool = True


@dataclass(frozen=True)
class YearlyReportContent:
    partnership_name: str
    year: ReportYear
    generated_by: str
    generated_at: dt.datetime
    sections: tuple[ReportSection, ...]

    @property
    def title(self) -> str:
        return f"{self.partnership_name}: yearly report {self.year.code}"


def _date(value: object) -> str:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def few(count: int) -> str:
    """A count for young people: 1 to 5 become "a few" (a small number can point to a child)."""
    if count == 0:
        return "no"
    return "a few" if count <= 5 else f"{count:,}"


# --- the sections ---------------------------------------------------------------------------------


def _priorities(engine: sa.Engine, quarters: list[str]) -> ReportSection:
    rows = []
    for spec in catalogue.themes():
        latest = pd.DataFrame()
        for quarter in reversed(quarters):
            latest = assurance.summaries(engine=engine, period_code=quarter, theme_code=spec.code)
            if not latest.empty:
                break

        def items(category: str, found: pd.DataFrame = latest) -> str:
            if found.empty:
                return ""
            return " ".join(found[found["category"] == category]["text"].map(str))

        rows.append(
            (
                spec.name,
                items("working_well") or "No summary this year.",
                items("not_working_well"),
                items("next_steps"),
            )
        )
    return ReportSection(
        title="Our priorities and the progress made",
        paragraphs=(
            "Each theme is a priority of the partnership. The assurance groups' latest summary "
            "of the year says what is working well, where there was little progress, and what "
            "happens next.",
        ),
        tables=(
            ReportTable(
                "Progress on each priority",
                ("Priority", "Working well", "Little progress", "Next steps"),
                tuple(rows),
            ),
        ),
    )


def _figures(engine: sa.Engine, quarters: list[str]) -> ReportSection:
    if not quarters:
        return ReportSection(
            "The year's figures",
            ("No quarterly figures for this year are in the store.",),
        )
    last = quarters[-1]
    card = brief.quarter_brief(engine=engine, period_code=last, headline_only=True)

    def comparator(value: object, unit: str) -> str:
        number = ragmod.as_number(value)
        return ragmod.format_value(number, unit) if number is not None else "not published"

    rows = tuple(
        (
            str(row["name"]),
            str(row["display_value"]),
            ragmod.format_value(float(row["target"]), str(row["unit"]))
            if pd.notna(row["target"])
            else "No target",
            SHORT_RAG.get(str(row["rag"]), str(row["rag"])),
            comparator(row["england"], str(row["unit"])),
            comparator(row["stat_neighbours"], str(row["unit"])),
        )
        for _, row in card.iterrows()
    )
    return ReportSection(
        title="The year's figures against England and our neighbours",
        paragraphs=(
            f"The headline measures at the end of the year ({last}), against the partnership's "
            "targets and, where they are published, England and statistical neighbours.",
        ),
        tables=(
            ReportTable(
                f"Headline measures, {last}",
                ("Measure", "Figure", "Target", "RAG", "England", "Statistical neighbours"),
                rows,
            ),
        ),
    )


def _audits(engine: sa.Engine, year: ReportYear) -> ReportSection:
    listed = audits.list_audits(engine=engine)
    if not listed.empty:
        when = pd.to_datetime(listed["audit_date"])
        listed = listed[(when >= pd.Timestamp(year.start)) & (when <= pd.Timestamp(year.end))]
    rows = tuple(
        (
            str(row["reference"]),
            str(row["title"]),
            str(row["theme"]),
            _date(row["audit_date"]),
            str(row["type"]),
            str(row["status"]).replace("_", " "),
        )
        for _, row in listed.iterrows()
    )
    return ReportSection(
        title="Multi-agency audits",
        paragraphs=(f"{len(rows)} audits were held in the year.",),
        tables=(
            ReportTable(
                "Audits in the year",
                ("Audit", "Title", "Theme", "Date", "Type", "Status"),
                rows,
            ),
        ),
    )


def _training(engine: sa.Engine, quarters: list[str]) -> ReportSection:
    if not quarters:
        return ReportSection("Training and its impact", ("No training was recorded.",))
    evaluation = themes.training_evaluation_by_quarter(
        engine=engine, from_period=quarters[0], to_period=quarters[-1]
    )
    learners = sum(
        themes.training_learners_totals(engine=engine, period_code=q)["learners"] for q in quarters
    )
    rows = tuple(
        (
            str(row["period_code"]),
            str(int(row["sessions"])),
            str(int(row["respondents"])),
            f"{float(row['pre_pct']):.0f}%" if pd.notna(row["pre_pct"]) else "",
            f"{float(row['post_pct']):.0f}%" if pd.notna(row["post_pct"]) else "",
            f"{float(row['objectives_met_pct']):.0f}%"
            if pd.notna(row["objectives_met_pct"])
            else "",
        )
        for _, row in evaluation.iterrows()
    )
    return ReportSection(
        title="Training and its impact",
        paragraphs=(
            f"{learners:,} learners from partner agencies attended multi-agency training. "
            "Learners rated their knowledge before and after each course.",
        ),
        tables=(
            ReportTable(
                "Training evaluation by quarter",
                (
                    "Quarter",
                    "Sessions",
                    "Respondents",
                    "Good or better before",
                    "Good or better after",
                    "Objectives met",
                ),
                rows,
            ),
        ),
    )


def _section11(engine: sa.Engine, year: ReportYear) -> ReportSection:
    """Agencies' Section 11 self-assessments and, in the same section, schools' and colleges'
    safeguarding audit (section 175/157): one model, two frameworks."""
    title = "Section 11 self-assessments"
    education = _education_audit(engine, year)
    cycles = section11.list_cycles(engine=engine)
    if cycles.empty:
        return ReportSection(
            title,
            ("No Section 11 cycle is recorded.", *education.paragraphs),
            education.tables,
        )
    opened = cycles[pd.to_datetime(cycles["opens_on"]) <= pd.Timestamp(year.end)]
    cycle = (opened if not opened.empty else cycles).iloc[0]
    shares = section11.green_share_by_sector(engine=engine, cycle_id=int(cycle["id"]))
    rows = tuple(
        (
            str(row["sector"]).capitalize(),
            str(int(row["agencies"])),
            str(int(row["green"])),
            str(int(row["amber"])),
            str(int(row["red"])),
        )
        for _, row in shares.iterrows()
    )
    return ReportSection(
        title=title,
        paragraphs=(
            f"Agencies' self-assessments against the Section 11 standards, cycle {cycle['name']}.",
            *education.paragraphs,
        ),
        tables=(
            ReportTable(
                "Standards rated, by sector",
                ("Sector", "Agencies", "Green", "Amber", "Red"),
                rows,
            ),
            *education.tables,
        ),
    )


@dataclass(frozen=True)
class _Part:
    paragraphs: tuple[str, ...]
    tables: tuple[ReportTable, ...] = ()


def _education_audit(engine: sa.Engine, year: ReportYear) -> _Part:
    """The schools' and colleges' audit whose year had opened by the end of the report's."""
    found = self_assessment.latest_cycle(
        engine=engine, framework=EDUCATION_175_157, opened_by=year.end
    )
    if found is None:
        return _Part(
            ("No schools' and colleges' safeguarding audit (section 175/157) is recorded.",)
        )
    counts = self_assessment.return_counts(engine=engine, cycle_id=found.id)
    paragraphs = [
        f"Schools' and colleges' safeguarding audit (section 175/157), {found.name}: "
        f"{counts.returned} of {counts.expected} schools and colleges returned, "
        f"{counts.on_time} by the due date ({_date(found.due_on)}); "
        f"{counts.not_returned} had not returned."
    ]
    themes = self_assessment.themes(engine=engine, cycle_id=found.id, limit=3)
    if not themes.empty:
        paragraphs.append(
            "The standards schools and colleges most often rated amber or red: "
            + "; ".join(
                f"{row.standard} ({row.not_met} of {row.rated})"
                for row in themes.itertuples(index=False)
            )
            + "."
        )
    ratings = self_assessment.ratings_by_standard(engine=engine, cycle_id=found.id)
    rows = tuple(
        (
            f"{int(row.standard_number)}. {row.standard}",
            str(int(row.green)),
            str(int(row.amber)),
            str(int(row.red)),
            "" if pd.isna(row.green_pct) else f"{float(row.green_pct):.0f}%",
        )
        for row in ratings.itertuples(index=False)
        if row.rated
    )
    table = ReportTable(
        "Schools and colleges: standards rated",
        ("Standard", "Green", "Amber", "Red", "Share green"),
        rows,
        empty_text="No school or college has returned its audit.",
    )
    return _Part(tuple(paragraphs), (table,))


def _practice_reviews(engine: sa.Engine, year: ReportYear, today: dt.date) -> ReportSection:
    rr = rapid_reviews_in(engine=engine, year=year, today=today)
    reviews = reviews_in(engine=engine, year=year, today=today)
    local = reviews[reviews["kind"] == "local_review"] if not reviews.empty else reviews
    national = reviews[reviews["kind"] == "national_review"] if not reviews.empty else reviews
    acts = actions_for_year(engine=engine, year=year, today=today)
    acts = (
        acts[acts["source_kind"].isin(("rapid_review", "local_review", "national_review"))]
        if not acts.empty
        else acts
    )
    judged = rr[rr["in_time"].notna()] if not rr.empty else rr
    lcspr = int((rr["outcome"] == "lcspr").sum()) if not rr.empty else 0
    paragraphs = [
        f"{len(rr)} serious incidents were notified to the national panel; "
        f"{int(rr['notified_in_time'].sum()) if not rr.empty else 0} within 5 working days.",
        f"{int(judged['in_time'].sum()) if not judged.empty else 0} of {len(judged)} rapid "
        f"reviews were completed within 15 working days; {lcspr} led to a local child "
        "safeguarding practice review.",
        f"{len(local)} local reviews and {len(national)} national reviews were decided or "
        "published in the year.",
    ]
    impact = acts[acts["state"] == learning.STATE_IMPACT] if not acts.empty else acts
    return ReportSection(
        title="Local and national child safeguarding practice reviews",
        paragraphs=tuple(paragraphs),
        tables=(
            ReportTable(
                "Reviews decided or published",
                ("Review", "Kind", "Decided", "Published", "Within six months"),
                tuple(
                    (
                        str(row["reference"]),
                        str(row["kind_label"]),
                        _date(row["decided_on"]),
                        _date(row["published_on"]),
                        {True: "Yes", False: "No"}.get(row["published_in_time"], ""),
                    )
                    for _, row in pd.concat([local, national]).iterrows()
                )
                if not reviews.empty
                else (),
            ),
            ReportTable(
                "Actions on the reviews' recommendations",
                ("From", "Recommendation", "Owner agency", "Due", "Where it stands"),
                tuple(
                    (
                        str(row["source"]),
                        str(row["recommendation"]),
                        str(row["owner_agency"]),
                        _date(row["due_date"]),
                        str(row["state"]),
                    )
                    for _, row in acts.iterrows()
                ),
            ),
            ReportTable(
                "What improved: evidence of impact",
                ("From", "Recommendation", "Evidence of impact"),
                tuple(
                    (
                        str(row["source"]),
                        str(row["recommendation"]),
                        _text(row["impact_evidence"]),
                    )
                    for _, row in impact.iterrows()
                ),
                empty_text="No action on the reviews has evidence of impact recorded yet.",
            ),
        ),
    )


def _feedback(engine: sa.Engine, year: ReportYear) -> ReportSection:
    listed = challenges.list_challenges(engine=engine)
    if not listed.empty:
        when = pd.to_datetime(listed["created_at"])
        listed = listed[
            (when >= pd.Timestamp(year.start))
            & (when < pd.Timestamp(year.end) + pd.Timedelta(days=1))
        ]
    answers = challenges.list_responses(engine=engine)
    last_answer = (
        answers.groupby("challenge_id")["text"].last() if not answers.empty else pd.Series()
    )
    rows = tuple(
        (
            str(row["agency"]),
            str(row["text"]),
            str(row["status_label"]),
            _text(last_answer.get(row["id"])),
        )
        for _, row in listed.iterrows()
    )
    answered = int(listed["answered"].sum()) if not listed.empty else 0
    return ReportSection(
        title="Feedback from children, young people and families",
        paragraphs=(
            f"The youth council put {len(rows)} challenges to agencies about their Section 11 "
            f"self-assessments; {answered} were answered.",
        ),
        tables=(
            ReportTable(
                "The youth council's challenges and the answers",
                ("Agency", "Challenge", "Status", "Answer"),
                rows,
            ),
        ),
    )


def _scrutiny(engine: sa.Engine, year: ReportYear, today: dt.date) -> ReportSection:
    judgements = learning.scrutiny_judgements(engine=engine)
    mine = (
        judgements[judgements["year"] == year.fy_start_year] if not judgements.empty else judgements
    )
    acts = actions_for_year(engine=engine, year=year, today=today)
    acts = (
        acts[acts["source_kind"].isin(("scrutiny", "inspection", "improvement_plan"))]
        if not acts.empty
        else acts
    )
    return ReportSection(
        title="The independent scrutineer's view",
        paragraphs=(
            "The independent scrutineer judged the arrangements against the nine Wood criteria "
            "and made recommendations; the partners' responses and actions follow.",
        ),
        tables=(
            ReportTable(
                "Judgements",
                ("Criterion", "Judgement", "Commentary"),
                tuple(
                    (
                        f"{int(row['criterion_number'])}. {row['criterion']}",
                        SHORT_RAG.get(str(row["rating"]), str(row["rating"])),
                        str(row["commentary"]),
                    )
                    for _, row in mine.iterrows()
                ),
                empty_text="The scrutineer's judgements for this year are not recorded yet.",
            ),
            ReportTable(
                "Recommendations, responses and actions",
                ("From", "Recommendation", "Partners' response", "Where it stands"),
                tuple(
                    (
                        str(row["source"]),
                        str(row["recommendation"]),
                        _text(row["response"]),
                        str(row["state"]),
                    )
                    for _, row in acts.iterrows()
                ),
            ),
        ),
    )


def _risks(engine: sa.Engine, today: dt.date) -> ReportSection:
    threshold = risk_escalation_threshold()
    register = learning.risks(engine=engine, threshold=threshold, today=today)
    summary = learning.overdue_summary(engine=engine, threshold=threshold, today=today)
    return ReportSection(
        title="Risks to the partnership's work",
        paragraphs=(learning_words.overdue_sentence(summary, threshold),),
        tables=(
            ReportTable(
                "The risk register",
                ("Risk", "What could happen", "Before controls", "After controls", "Trend"),
                tuple(
                    (
                        str(row["reference"]),
                        str(row["title"]),
                        str(int(row["score_before"])),
                        str(int(row["score_after"])) if pd.notna(row["score_after"]) else "",
                        _text(row["trend"]).capitalize(),
                    )
                    for _, row in register.iterrows()
                ),
            ),
        ),
    )


def young_peoples_summary(engine: sa.Engine, year: ReportYear, today: dt.date) -> ReportSection:
    """Plain words for young people: counts from 1 to 5 said as "a few", no case detail, and
    the approved texts for young people from the year (the youth text workflow)."""
    rr = rapid_reviews_in(engine=engine, year=year, today=today)
    acts = actions_for_year(engine=engine, year=year, today=today)
    done = int((acts["status"] == "complete").sum()) if not acts.empty else 0
    listed = challenges.list_challenges(engine=engine)
    if not listed.empty:
        when = pd.to_datetime(listed["created_at"])
        listed = listed[
            (when >= pd.Timestamp(year.start))
            & (when < pd.Timestamp(year.end) + pd.Timedelta(days=1))
        ]
    answered = int(listed["answered"].sum()) if not listed.empty else 0
    paragraphs = [
        f"This year the partnership learned from {few(len(rr))} times when a child was badly "
        "hurt, to find out what should change.",
        f"Staff finished {few(done)} jobs that we said we would do after we learned.",
        f"The youth council asked {few(len(listed))} questions, and {few(answered)} got an "
        "answer from the people in charge.",
    ]
    approved = youth_texts.approved_texts(engine=engine, subject="theme_point")
    if not approved.empty:
        codes = {q for q in quarters_of(engine=engine, year=year)}
        mine = approved[approved["subject_key"].map(lambda k: str(k).split("|")[1] in codes)]
        paragraphs += [str(t) for t in mine["text"].head(6)]
    return ReportSection(
        title="A summary for young people",
        paragraphs=tuple(paragraphs),
        partners_space=False,
    )


def build(
    *,
    engine: sa.Engine,
    year_code: str,
    generated_by: str,
    generated_at: dt.datetime | None = None,
    today: dt.date | None = None,
    partnership_name: str | None = None,
) -> YearlyReportContent:
    """The yearly report for `year_code` ("2025-26"); ReportError for a year it cannot be."""
    year = parse_year(year_code)
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    today = today or generated_at.date()
    quarters = quarters_of(engine=engine, year=year)
    sections = (
        _priorities(engine, quarters),
        _figures(engine, quarters),
        _audits(engine, year),
        _training(engine, quarters),
        _section11(engine, year),
        _practice_reviews(engine, year, today),
        _feedback(engine, year),
        _scrutiny(engine, year, today),
        _risks(engine, today),
        young_peoples_summary(engine, year, today),
    )
    return YearlyReportContent(
        partnership_name=partnership_name or settings().partnership_name,
        year=year,
        generated_by=generated_by,
        generated_at=generated_at,
        sections=sections,
    )
