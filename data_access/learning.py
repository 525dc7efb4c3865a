"""What the partnership learns and changes (issue 29): serious incident notifications and rapid
reviews, local and national practice reviews, the scrutineer's and inspectors' recommendations,
the improvement plan, their actions, and the risk register.

The rules, in one place:
- a serious incident is notified to the national panel within 5 working days of the incident
  coming to the partnership's notice, and the rapid review completes within 15 working days of
  the notification (working days: Monday to Friday, England's bank holidays excluded);
- a local child safeguarding practice review is published within six months of the decision to
  hold it, or the reason why not is recorded;
- an action is overdue when it is open or in progress after its due date; "complete" needs
  evidence of completion, and "made a difference" needs evidence of impact as well;
- a risk escalates to the executive when its score (likelihood x impact, after the controls where
  they are scored) is above the partnership's threshold (`RISK_ESCALATION_THRESHOLD`, default
  12); its review is overdue when the review date has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd
import sqlalchemy as sa
import sqlalchemy.orm as so
from dateutil.relativedelta import relativedelta

from data_access import audit_log
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import (
    ACTION_STATUSES,
    LEARNING_REVIEW_KINDS,
    RAPID_REVIEW_OUTCOMES,
    RISK_TRENDS,
    THEMES,
    Agency,
    CaseReviewAction,
    LearningReview,
    LearningReviewTheme,
    RapidReview,
    Risk,
    ScrutinyJudgement,
    Theme,
)
from data_access.queries_common import frame

NOTIFY_WITHIN_WORKING_DAYS = 5
RAPID_REVIEW_WITHIN_WORKING_DAYS = 15
PUBLISH_WITHIN_MONTHS = 6
OPEN_STATUSES = ("open", "in_progress")
MAX_TEXT = 4000

OUTCOME_LABELS = {
    "pending": "Not decided yet",
    "no_further_review": "No local review",
    "lcspr": "Local child safeguarding practice review",
    "national_review": "National review",
}
KIND_LABELS = {
    "local_review": "Local practice review",
    "national_review": "National review",
    "scrutiny": "Independent scrutiny",
    "inspection": "Inspection",
    "improvement_plan": "Improvement plan",
}
STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "complete": "Complete",
    "cancelled": "Cancelled",
}
# What an action's state is, in words; "made a difference" only with evidence of impact.
STATE_OVERDUE = "Overdue"
STATE_OPEN = "Open"
STATE_DONE = "Complete, impact not yet shown"
STATE_IMPACT = "Complete, with evidence of impact"
STATE_CANCELLED = "Cancelled"


class LearningError(ValueError):
    """A record that cannot be saved; the message says why, in plain words."""


# --- Working days and the timeliness rules ----------------------------------------------------


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> tuple[dt.date, ...]:
    return tuple(sorted(holidays.country_holidays("GB", subdiv="ENG", years=year)))


def bank_holidays(start: dt.date, end: dt.date) -> list[dt.date]:
    """England's bank holidays from `start` to `end` inclusive."""
    days: list[dt.date] = []
    for year in range(start.year, end.year + 1):
        days.extend(d for d in _bank_holidays(year) if start <= d <= end)
    return days


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after it).

    Monday to Friday, England's bank holidays excluded: notified the next working day is 1.
    """
    if end <= start:
        return 0
    first, last = start + dt.timedelta(days=1), end + dt.timedelta(days=1)
    return int(np.busday_count(first, last, holidays=bank_holidays(first, end)))


def add_working_days(day: dt.date, days: int) -> dt.date:
    """The date `days` working days after `day`."""
    current, remaining = day, days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in _bank_holidays(current.year):
            remaining -= 1
    return current


def notified_in_time(incident_on: dt.date, notified_on: dt.date) -> bool:
    """The national panel was told within 5 working days."""
    return working_days_between(incident_on, notified_on) <= NOTIFY_WITHIN_WORKING_DAYS


def rapid_review_in_time(
    notified_on: dt.date, completed_on: dt.date | None, today: dt.date
) -> bool | None:
    """Completed within 15 working days: True or False; None while it still can be."""
    if completed_on is not None:
        return working_days_between(notified_on, completed_on) <= RAPID_REVIEW_WITHIN_WORKING_DAYS
    if working_days_between(notified_on, today) > RAPID_REVIEW_WITHIN_WORKING_DAYS:
        return False
    return None


def publish_by(decided_on: dt.date) -> dt.date:
    """The last day a local review can be published and be on time."""
    deadline: dt.date = decided_on + relativedelta(months=PUBLISH_WITHIN_MONTHS)
    return deadline


def published_in_time(
    decided_on: dt.date | None, published_on: dt.date | None, today: dt.date
) -> bool | None:
    """Published within six months of the decision; None while it still can be (or no date)."""
    if decided_on is None:
        return None
    deadline = publish_by(decided_on)
    if published_on is not None:
        return published_on <= deadline
    return False if today > deadline else None


def action_state(status: str, due_date: dt.date, impact_evidence: object, today: dt.date) -> str:
    """An action's state in words: overdue, open, complete, or complete with impact."""
    if status == "complete":
        shown = isinstance(impact_evidence, str) and impact_evidence.strip()
        return STATE_IMPACT if shown else STATE_DONE
    if status == "cancelled":
        return STATE_CANCELLED
    return STATE_OVERDUE if due_date < today else STATE_OPEN


def is_overdue(status: str, due_date: dt.date, today: dt.date) -> bool:
    return status in OPEN_STATUSES and due_date < today


def risk_score(likelihood: int, impact: int) -> int:
    return likelihood * impact


def escalates(score: int, threshold: int) -> bool:
    """The partnership's rule: a score above the threshold goes to the executive."""
    return score > threshold


def review_overdue(status: str, review_on: dt.date | None, today: dt.date) -> bool:
    return status == "open" and review_on is not None and review_on < today


# --- Reading ----------------------------------------------------------------------------------


def rapid_reviews(*, engine: sa.Engine, today: dt.date | None = None) -> pd.DataFrame:
    """Serious incident notifications and their rapid reviews, newest first, with timeliness.

    Columns: id, reference, theme_code, theme_name, incident_on, notified_on, working_days_to_notify,
    notified_in_time, decided_on, working_days_to_decide, in_time (True/False/None), outcome,
    outcome_label, panel_view, learning_summary, open_actions, overdue_actions.
    """
    today = today or dt.date.today()
    stmt = (
        sa.select(
            RapidReview.id,
            RapidReview.reference,
            RapidReview.theme_code,
            Theme.name.label("theme_name"),
            RapidReview.incident_on,
            RapidReview.notified_on,
            RapidReview.decided_on,
            RapidReview.outcome,
            RapidReview.panel_view,
            RapidReview.learning_summary,
        )
        .outerjoin(Theme, Theme.code == RapidReview.theme_code)
        .order_by(RapidReview.notified_on.desc(), RapidReview.id.desc())
    )
    df = frame(engine, stmt)
    columns = [
        "id",
        "reference",
        "theme_code",
        "theme_name",
        "incident_on",
        "notified_on",
        "working_days_to_notify",
        "notified_in_time",
        "decided_on",
        "working_days_to_decide",
        "in_time",
        "outcome",
        "outcome_label",
        "panel_view",
        "learning_summary",
        "open_actions",
        "overdue_actions",
    ]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df["working_days_to_notify"] = [
        working_days_between(a, b)
        for a, b in zip(df["incident_on"], df["notified_on"], strict=True)
    ]
    df["notified_in_time"] = df["working_days_to_notify"] <= NOTIFY_WITHIN_WORKING_DAYS
    df["working_days_to_decide"] = [
        working_days_between(n, d) if as_date(d) else None
        for n, d in zip(df["notified_on"], df["decided_on"], strict=True)
    ]
    df["in_time"] = [
        rapid_review_in_time(n, as_date(d), today)
        for n, d in zip(df["notified_on"], df["decided_on"], strict=True)
    ]
    df["outcome_label"] = df["outcome"].map(OUTCOME_LABELS)
    counts = _action_counts(engine, "rapid_review_id", today)
    df = df.merge(counts, how="left", left_on="id", right_index=True)
    df[["open_actions", "overdue_actions"]] = (
        df[["open_actions", "overdue_actions"]].fillna(0).astype(int)
    )
    return df[columns]


def learning_reviews(
    *, engine: sa.Engine, kinds: tuple[str, ...] | None = None, today: dt.date | None = None
) -> pd.DataFrame:
    """Local and national reviews, scrutiny reports, inspections and improvement plans.

    Columns: id, reference, kind, kind_label, title, themes (names, comma-separated), decided_on,
    publish_by, published_on, published_in_time (local reviews; True/False/None), delay_reason,
    summary, open_actions, overdue_actions.
    """
    today = today or dt.date.today()
    stmt = sa.select(
        LearningReview.id,
        LearningReview.reference,
        LearningReview.kind,
        LearningReview.title,
        LearningReview.decided_on,
        LearningReview.published_on,
        LearningReview.delay_reason,
        LearningReview.summary,
    ).order_by(LearningReview.decided_on.desc(), LearningReview.id.desc())
    if kinds:
        stmt = stmt.where(LearningReview.kind.in_(kinds))
    df = frame(engine, stmt)
    columns = [
        "id",
        "reference",
        "kind",
        "kind_label",
        "title",
        "themes",
        "decided_on",
        "publish_by",
        "published_on",
        "published_in_time",
        "delay_reason",
        "summary",
        "open_actions",
        "overdue_actions",
    ]
    if df.empty:
        return pd.DataFrame(columns=columns)
    tags = frame(
        engine,
        sa.select(LearningReviewTheme.review_id, Theme.name)
        .join(Theme, Theme.code == LearningReviewTheme.theme_code)
        .order_by(Theme.sort_order),
    )
    names = tags.groupby("review_id")["name"].agg(", ".join) if not tags.empty else pd.Series()
    df["themes"] = df["id"].map(names).fillna("")
    df["kind_label"] = df["kind"].map(KIND_LABELS)
    local = df["kind"] == "local_review"
    df["publish_by"] = [
        publish_by(d) if is_local and as_date(d) else None
        for d, is_local in zip(df["decided_on"], local, strict=True)
    ]
    df["published_in_time"] = [
        published_in_time(as_date(d), as_date(p), today) if is_local else None
        for d, p, is_local in zip(df["decided_on"], df["published_on"], local, strict=True)
    ]
    counts = _action_counts(engine, "review_id", today)
    df = df.merge(counts, how="left", left_on="id", right_index=True)
    df[["open_actions", "overdue_actions"]] = (
        df[["open_actions", "overdue_actions"]].fillna(0).astype(int)
    )
    return df[columns]


ACTION_COLUMNS = [
    "id",
    "source",
    "source_kind",
    "source_label",
    "recommendation",
    "response",
    "action",
    "owner_agency",
    "due_date",
    "status",
    "status_label",
    "progress",
    "completed_on",
    "completion_evidence",
    "impact_evidence",
    "impact_on",
    "state",
    "overdue",
    "days_overdue",
]


def actions(
    *,
    engine: sa.Engine,
    source_kinds: tuple[str, ...] | None = None,
    theme_code: str | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Recommendations and their actions, overdue first then by due date.

    `source_kinds` filters by where they came from: "rapid_review" or a learning review kind.
    Columns: see ACTION_COLUMNS; `source` is the review's reference, `state` the words of
    `action_state`, `overdue` a bool.
    """
    today = today or dt.date.today()
    stmt = (
        sa.select(
            CaseReviewAction.id,
            sa.func.coalesce(RapidReview.reference, LearningReview.reference).label("source"),
            sa.func.coalesce(LearningReview.kind, sa.literal("rapid_review")).label("source_kind"),
            CaseReviewAction.recommendation,
            CaseReviewAction.response,
            CaseReviewAction.action,
            Agency.name.label("owner_agency"),
            CaseReviewAction.due_date,
            CaseReviewAction.status,
            CaseReviewAction.progress,
            CaseReviewAction.completed_on,
            CaseReviewAction.completion_evidence,
            CaseReviewAction.impact_evidence,
            CaseReviewAction.impact_on,
        )
        .join(Agency, Agency.id == CaseReviewAction.owner_agency_id)
        .outerjoin(RapidReview, RapidReview.id == CaseReviewAction.rapid_review_id)
        .outerjoin(LearningReview, LearningReview.id == CaseReviewAction.review_id)
        .order_by(CaseReviewAction.due_date, CaseReviewAction.id)
    )
    if source_kinds:
        conditions = []
        if "rapid_review" in source_kinds:
            conditions.append(CaseReviewAction.rapid_review_id.is_not(None))
        learning_kinds = [k for k in source_kinds if k != "rapid_review"]
        if learning_kinds:
            conditions.append(LearningReview.kind.in_(learning_kinds))
        stmt = stmt.where(sa.or_(*conditions))
    if theme_code is not None:
        tagged = sa.select(LearningReviewTheme.review_id).where(
            LearningReviewTheme.theme_code == theme_code
        )
        stmt = stmt.where(
            sa.or_(RapidReview.theme_code == theme_code, CaseReviewAction.review_id.in_(tagged))
        )
    df = frame(engine, stmt)
    if df.empty:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    df["source_label"] = df["source_kind"].map({"rapid_review": "Rapid review", **KIND_LABELS})
    df["status_label"] = df["status"].map(STATUS_LABELS)
    df["state"] = [
        action_state(s, as_date(d) or today, e, today)
        for s, d, e in zip(df["status"], df["due_date"], df["impact_evidence"], strict=True)
    ]
    df["overdue"] = df["state"] == STATE_OVERDUE
    df["days_overdue"] = [
        (today - as_date(d)).days if o else 0  # type: ignore[operator]
        for d, o in zip(df["due_date"], df["overdue"], strict=True)
    ]
    df = df.sort_values(["overdue", "due_date"], ascending=[False, True], kind="stable")
    return df[ACTION_COLUMNS].reset_index(drop=True)


def _action_counts(engine: sa.Engine, key: str, today: dt.date) -> pd.DataFrame:
    column = getattr(CaseReviewAction, key)
    is_open = CaseReviewAction.status.in_(OPEN_STATUSES)
    stmt = (
        sa.select(
            column.label("key"),
            sa.func.sum(sa.case((is_open, 1), else_=0)).label("open_actions"),
            sa.func.sum(
                sa.case((sa.and_(is_open, CaseReviewAction.due_date < today), 1), else_=0)
            ).label("overdue_actions"),
        )
        .where(column.is_not(None))
        .group_by(column)
    )
    return frame(engine, stmt).set_index("key")


RISK_COLUMNS = [
    "id",
    "reference",
    "title",
    "theme_name",
    "owner_agency",
    "owner",
    "cause",
    "consequence",
    "likelihood",
    "impact",
    "score_before",
    "likelihood_after",
    "impact_after",
    "score_after",
    "score",
    "controls",
    "further_actions",
    "review_on",
    "review_overdue",
    "trend",
    "escalated",
    "status",
]


def risks(
    *,
    engine: sa.Engine,
    threshold: int,
    include_closed: bool = False,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """The risk register, highest current score first.

    `score` is the score after the controls where they are scored, else before; `escalated` is
    `escalates(score, threshold)`; `review_overdue` flags an open risk past its review date.
    """
    today = today or dt.date.today()
    stmt = (
        sa.select(
            Risk.id,
            Risk.reference,
            Risk.title,
            Theme.name.label("theme_name"),
            Agency.name.label("owner_agency"),
            Risk.owner,
            Risk.cause,
            Risk.consequence,
            Risk.likelihood,
            Risk.impact,
            Risk.likelihood_after,
            Risk.impact_after,
            Risk.mitigation.label("controls"),
            Risk.further_actions,
            Risk.review_on,
            Risk.trend,
            Risk.status,
        )
        .outerjoin(Theme, Theme.code == Risk.theme_code)
        .outerjoin(Agency, Agency.id == Risk.owner_agency_id)
        .order_by(Risk.reference)
    )
    if not include_closed:
        stmt = stmt.where(Risk.status == "open")
    df = frame(engine, stmt)
    if df.empty:
        return pd.DataFrame(columns=RISK_COLUMNS)
    df["score_before"] = df["likelihood"] * df["impact"]
    after = df["likelihood_after"].notna() & df["impact_after"].notna()
    df["score_after"] = (df["likelihood_after"] * df["impact_after"]).where(after)
    df["score"] = df["score_after"].where(after, df["score_before"]).astype(int)
    df["score_after"] = df["score_after"].astype("Int64")
    df["likelihood_after"] = df["likelihood_after"].astype("Int64")
    df["impact_after"] = df["impact_after"].astype("Int64")
    df["escalated"] = df["score"].map(lambda s: escalates(int(s), threshold))
    df["review_overdue"] = [
        review_overdue(s, as_date(r), today)
        for s, r in zip(df["status"], df["review_on"], strict=True)
    ]
    df = df.sort_values(["score", "reference"], ascending=[False, True], kind="stable")
    return df[RISK_COLUMNS].reset_index(drop=True)


def heat_map(register: pd.DataFrame) -> pd.DataFrame:
    """A 5x5 grid of the register: likelihood (rows 5 to 1) by impact (columns 1 to 5), each cell
    the references of the risks there (current scores), in a frame of strings."""
    grid = pd.DataFrame(
        "", index=pd.Index(range(5, 0, -1), name="likelihood"), columns=range(1, 6), dtype=object
    )
    for _, row in register.iterrows():
        after = pd.notna(row["likelihood_after"]) and pd.notna(row["impact_after"])
        likelihood = int(row["likelihood_after"] if after else row["likelihood"])
        impact = int(row["impact_after"] if after else row["impact"])
        cell = grid.at[likelihood, impact]
        grid.at[likelihood, impact] = f"{cell}, {row['reference']}" if cell else row["reference"]
    return grid


def scrutiny_judgements(*, engine: sa.Engine) -> pd.DataFrame:
    """The scrutineer's RAG judgement per Wood criterion and year, newest year first."""
    stmt = sa.select(
        ScrutinyJudgement.year,
        ScrutinyJudgement.criterion_number,
        ScrutinyJudgement.criterion,
        ScrutinyJudgement.rating,
        ScrutinyJudgement.commentary,
        ScrutinyJudgement.judged_on,
    ).order_by(ScrutinyJudgement.year.desc(), ScrutinyJudgement.criterion_number)
    return frame(engine, stmt)


def timeliness(*, engine: sa.Engine, today: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """The three timeliness figures as (meeting the rule, out of): rapid reviews completed within
    15 working days (decided ones, or already late), local reviews published within six months
    (published ones, or already late), and actions overdue (out of those still open)."""
    today = today or dt.date.today()
    rr = rapid_reviews(engine=engine, today=today)
    judged = rr[rr["in_time"].notna()]
    lr = learning_reviews(engine=engine, kinds=("local_review",), today=today)
    published = lr[lr["published_in_time"].notna()]
    acts = actions(engine=engine, today=today)
    open_acts = acts[acts["status"].isin(OPEN_STATUSES)]
    return {
        "rapid_reviews_in_time": (int(judged["in_time"].sum()), len(judged)),
        "reviews_published_in_time": (int(published["published_in_time"].sum()), len(published)),
        "actions_overdue": (int(open_acts["overdue"].sum()), len(open_acts)),
    }


def overdue_summary(
    *, engine: sa.Engine, threshold: int, today: dt.date | None = None
) -> dict[str, int]:
    """What the overview and meeting mode flag: overdue actions (all sources), risks past their
    review date, and risks above the escalation threshold."""
    today = today or dt.date.today()
    acts = actions(engine=engine, today=today)
    register = risks(engine=engine, threshold=threshold, today=today)
    return {
        "actions_overdue": int(acts["overdue"].sum()),
        "risk_reviews_overdue": int(register["review_overdue"].sum()),
        "risks_escalated": int(register["escalated"].sum()),
    }


def themed_learning(*, engine: sa.Engine, theme_code: str) -> pd.DataFrame:
    """The learning tagged to a theme: rapid reviews' and learning reviews' summaries.

    Columns: reference, kind_label, date, learning.
    """
    rr = frame(
        engine,
        sa.select(
            RapidReview.reference,
            sa.literal("Rapid review").label("kind_label"),
            RapidReview.decided_on.label("date"),
            RapidReview.learning_summary.label("learning"),
        ).where(RapidReview.theme_code == theme_code, RapidReview.learning_summary.is_not(None)),
    )
    tagged = sa.select(LearningReviewTheme.review_id).where(
        LearningReviewTheme.theme_code == theme_code
    )
    lr = frame(
        engine,
        sa.select(
            LearningReview.reference,
            LearningReview.kind,
            LearningReview.decided_on.label("date"),
            LearningReview.summary.label("learning"),
        ).where(LearningReview.id.in_(tagged), LearningReview.summary.is_not(None)),
    )
    if not lr.empty:
        lr["kind_label"] = lr["kind"].map(KIND_LABELS)
        lr = lr.drop(columns="kind")
    parts = [d for d in (rr, lr) if not d.empty]
    if not parts:
        return pd.DataFrame(columns=["reference", "kind_label", "date", "learning"])
    both = pd.concat(parts, ignore_index=True)
    both["date"] = pd.to_datetime(both["date"])
    return both.sort_values("date", ascending=False).reset_index(drop=True)


def source_choices(*, engine: sa.Engine) -> dict[str, str]:
    """Every review an action can belong to: key "rr:ID" or "lr:ID" -> "REFERENCE: words"."""
    with engine.connect() as c:
        rr = c.execute(
            sa.select(RapidReview.id, RapidReview.reference).order_by(RapidReview.reference)
        ).all()
        lr = c.execute(
            sa.select(LearningReview.id, LearningReview.reference, LearningReview.title).order_by(
                LearningReview.reference
            )
        ).all()
    out = {f"rr:{i}": f"{ref}: rapid review" for i, ref in rr}
    out.update({f"lr:{i}": f"{ref}: {title}" for i, ref, title in lr})
    return out


def agency_choices(*, engine: sa.Engine) -> dict[int, str]:
    with engine.connect() as c:
        rows = c.execute(
            sa.select(Agency.id, Agency.name).where(Agency.active.is_(True)).order_by(Agency.name)
        ).all()
    return {int(i): str(n) for i, n in rows}


def as_date(value: object) -> dt.date | None:
    """A date from what a DataFrame cell holds (date, datetime, Timestamp, text); None if none."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # pd.Timestamp is a datetime too
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) or str(value) in ("NaT", "nan", "None", ""):
        return None
    stamp = pd.Timestamp(str(value))
    return dt.date(stamp.year, stamp.month, stamp.day)


# --- Writing: every change validated, all or nothing, audit-logged ------------------------------
def refresh_figures(session: so.Session) -> None:
    """Write the timeliness indicators again from the records, in the caller's transaction."""
    # Imported here: the figures' module reads this module's rules (working days, deadlines).
    from data_access import learning_figures

    learning_figures.refresh(session)


def _text(
    value: str | None, what: str, problems: list[str], *, required: bool = False
) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            problems.append(f"Write {what}.")
        return None
    if len(text) > MAX_TEXT:
        problems.append(f"Keep {what} to {MAX_TEXT:,} characters or fewer.")
    return text


@dataclass(frozen=True)
class NewRapidReview:
    reference: str
    incident_on: dt.date
    notified_on: dt.date
    theme_code: str | None = None
    decided_on: dt.date | None = None
    outcome: str = "pending"
    panel_view: str | None = None
    learning_summary: str | None = None


def rapid_review_problems(entry: NewRapidReview) -> list[str]:
    """Every problem with a serious incident notification and its rapid review, in sentences."""
    problems: list[str] = []
    reference = _text(entry.reference, "a reference", problems, required=True)
    if reference and len(reference) > 30:
        problems.append("Keep the reference to 30 characters or fewer.")
    if entry.notified_on < entry.incident_on:
        problems.append("The notification cannot be before the incident.")
    if entry.decided_on is not None and entry.decided_on < entry.notified_on:
        problems.append("The rapid review cannot be completed before the notification.")
    if entry.outcome not in RAPID_REVIEW_OUTCOMES:
        problems.append("Choose the rapid review's outcome.")
    elif entry.outcome != "pending" and entry.decided_on is None:
        problems.append("An outcome needs the date the rapid review was completed.")
    if entry.theme_code is not None and entry.theme_code not in THEMES:
        problems.append("Choose one of the partnership's themes.")
    _text(entry.panel_view, "the national panel's view", problems)
    _text(entry.learning_summary, "the learning", problems)
    return problems


def record_rapid_review(*, engine: sa.Engine, entry: NewRapidReview, recorded_by: str) -> int:
    """Record a serious incident notification (and its rapid review when decided)."""
    problems = rapid_review_problems(entry)
    if problems:
        raise LearningError(" ".join(problems))
    with session_scope(engine) as session:
        new_id = apply_rapid_review(session, entry=entry, recorded_by=recorded_by)
        refresh_figures(session)
        return new_id


def apply_rapid_review(
    session: so.Session,
    *,
    entry: NewRapidReview,
    recorded_by: str,
    review_id: int | None = None,
    page: str = "practice_reviews",
) -> int:
    """Write one checked rapid review (a new one, or `review_id` updated) with its audit line, in
    the caller's transaction; the caller refreshes the timeliness figures."""
    reference = entry.reference.strip()
    clash = session.scalar(sa.select(RapidReview.id).where(RapidReview.reference == reference))
    if clash is not None and clash != review_id:
        raise LearningError(f"There is already a rapid review {reference}.")
    row = (
        RapidReview(reference=reference)
        if review_id is None
        else session.get(RapidReview, review_id)
    )
    if row is None:
        raise LearningError(f"There is no rapid review number {review_id}.")
    row.reference = reference
    row.incident_on, row.notified_on = entry.incident_on, entry.notified_on
    row.decided_on, row.outcome = entry.decided_on, entry.outcome
    row.theme_code = entry.theme_code
    row.panel_view = (entry.panel_view or "").strip() or None
    row.learning_summary = (entry.learning_summary or "").strip() or None
    session.add(row)
    session.flush()
    audit_log.record(
        session,
        username=recorded_by,
        event="rapid_review_recorded" if review_id is None else "rapid_review_updated",
        page=page,
        detail=f"rapid review {row.id} ({reference}), outcome {entry.outcome}",
    )
    return row.id


def complete_rapid_review(
    *,
    engine: sa.Engine,
    review_id: int,
    decided_on: dt.date,
    outcome: str,
    panel_view: str | None,
    learning_summary: str | None,
    updated_by: str,
) -> None:
    """Record a rapid review's completion: date, outcome, the panel's view and the learning."""
    problems: list[str] = []
    if outcome not in RAPID_REVIEW_OUTCOMES or outcome == "pending":
        problems.append("Choose the rapid review's outcome.")
    panel = _text(panel_view, "the national panel's view", problems)
    learning = _text(learning_summary, "the learning", problems)
    if problems:
        raise LearningError(" ".join(problems))
    with session_scope(engine) as session:
        row = session.get(RapidReview, review_id)
        if row is None:
            raise LearningError(f"There is no rapid review number {review_id}.")
        if decided_on < row.notified_on:
            raise LearningError("The rapid review cannot be completed before the notification.")
        row.decided_on, row.outcome = decided_on, outcome
        row.panel_view, row.learning_summary = panel, learning
        audit_log.record(
            session,
            username=updated_by,
            event="rapid_review_completed",
            page="practice_reviews",
            detail=f"rapid review {row.id} ({row.reference}): {outcome} on {decided_on:%Y-%m-%d}",
        )
        refresh_figures(session)


@dataclass(frozen=True)
class NewLearningReview:
    reference: str
    kind: str
    title: str
    decided_on: dt.date | None = None
    published_on: dt.date | None = None
    delay_reason: str | None = None
    summary: str | None = None
    theme_codes: tuple[str, ...] = ()


def learning_review_problems(entry: NewLearningReview) -> list[str]:
    """Every problem with a review, report, inspection or plan, in sentences."""
    problems: list[str] = []
    reference = _text(entry.reference, "a reference", problems, required=True)
    if reference and len(reference) > 30:
        problems.append("Keep the reference to 30 characters or fewer.")
    title = _text(entry.title, "a title", problems, required=True)
    if title and len(title) > 300:
        problems.append("Keep the title to 300 characters or fewer.")
    if entry.kind not in LEARNING_REVIEW_KINDS:
        problems.append("Choose what kind of review this is.")
    if entry.decided_on is None:
        problems.append("Give the date of the decision (or of the report).")
    elif entry.published_on is not None and entry.published_on < entry.decided_on:
        problems.append("It cannot be published before it was decided.")
    _text(entry.delay_reason, "the reason for the delay", problems)
    _text(entry.summary, "the learning", problems)
    if any(c not in THEMES for c in entry.theme_codes):
        problems.append("Choose themes from the partnership's list.")
    return problems


def record_learning_review(
    *, engine: sa.Engine, entry: NewLearningReview, recorded_by: str, page: str
) -> int:
    """Record a local or national review, a scrutiny report, an inspection or a plan."""
    problems = learning_review_problems(entry)
    if problems:
        raise LearningError(" ".join(problems))
    with session_scope(engine) as session:
        new_id = apply_learning_review(session, entry=entry, recorded_by=recorded_by, page=page)
        refresh_figures(session)
        return new_id


def apply_learning_review(
    session: so.Session,
    *,
    entry: NewLearningReview,
    recorded_by: str,
    page: str,
    review_id: int | None = None,
) -> int:
    """Write one checked review (a new one, or `review_id` updated, its themes replaced) with its
    audit line, in the caller's transaction; the caller refreshes the timeliness figures."""
    reference = entry.reference.strip()
    clash = session.scalar(
        sa.select(LearningReview.id).where(LearningReview.reference == reference)
    )
    if clash is not None and clash != review_id:
        raise LearningError(f"There is already a review {reference}.")
    row = (
        LearningReview(reference=reference, recorded_by=recorded_by)
        if review_id is None
        else session.get(LearningReview, review_id)
    )
    if row is None:
        raise LearningError(f"There is no review number {review_id}.")
    row.reference, row.kind, row.title = reference, entry.kind, entry.title.strip()
    row.decided_on, row.published_on = entry.decided_on, entry.published_on
    row.delay_reason = (entry.delay_reason or "").strip() or None
    row.summary = (entry.summary or "").strip() or None
    session.add(row)
    session.flush()
    session.execute(sa.delete(LearningReviewTheme).where(LearningReviewTheme.review_id == row.id))
    for code in dict.fromkeys(entry.theme_codes):
        session.add(LearningReviewTheme(review_id=row.id, theme_code=code))
    audit_log.record(
        session,
        username=recorded_by,
        event="learning_review_recorded" if review_id is None else "learning_review_updated",
        page=page,
        detail=f"{entry.kind} {row.id} ({reference})",
    )
    return row.id


@dataclass(frozen=True)
class NewAction:
    source: str  # "rr:ID" (a rapid review) or "lr:ID" (a learning review)
    recommendation: str
    owner_agency_id: int
    due_date: dt.date
    response: str | None = None
    action: str | None = None


def record_action(*, engine: sa.Engine, entry: NewAction, recorded_by: str, page: str) -> int:
    """Record a recommendation, the partners' response and the action agreed on it."""
    problems: list[str] = []
    recommendation = _text(entry.recommendation, "the recommendation", problems, required=True)
    response = _text(entry.response, "the partners' response", problems)
    action = _text(entry.action, "the action agreed", problems)
    kind, _, number = entry.source.partition(":")
    if kind not in ("rr", "lr") or not number.isdigit():
        problems.append("Choose the review the recommendation comes from.")
    if problems:
        raise LearningError(" ".join(problems))
    with session_scope(engine) as session:
        parent: RapidReview | LearningReview | None = (
            session.get(RapidReview, int(number))
            if kind == "rr"
            else session.get(LearningReview, int(number))
        )
        if parent is None:
            raise LearningError("That review is not in the store.")
        if session.get(Agency, entry.owner_agency_id) is None:
            raise LearningError("Choose the agency that owns the action.")
        row = CaseReviewAction(
            rapid_review_id=int(number) if kind == "rr" else None,
            review_id=int(number) if kind == "lr" else None,
            recommendation=recommendation,
            response=response,
            action=action,
            owner_agency_id=entry.owner_agency_id,
            due_date=entry.due_date,
            status="open",
            updated_by=recorded_by,
            updated_at=utc_now(),
        )
        session.add(row)
        session.flush()
        audit_log.record(
            session,
            username=recorded_by,
            event="learning_action_recorded",
            page=page,
            detail=f"action {row.id} for {parent.reference}, due {entry.due_date:%Y-%m-%d}",
        )
        refresh_figures(session)
        return row.id


@dataclass(frozen=True)
class ActionUpdate:
    action_id: int
    status: str
    progress: str | None = None
    completed_on: dt.date | None = None
    completion_evidence: str | None = None
    impact_evidence: str | None = None
    impact_on: dt.date | None = None


def action_update_problems(update: ActionUpdate) -> list[str]:
    """Every problem with an action's status and evidence (empty when it can be saved)."""
    problems: list[str] = []
    if update.status not in ACTION_STATUSES:
        problems.append("Choose a status.")
    _text(update.progress, "the status in words", problems)
    completion = _text(update.completion_evidence, "the evidence of completion", problems)
    impact = _text(update.impact_evidence, "the evidence of impact", problems)
    if update.status == "complete":
        if update.completed_on is None:
            problems.append("Give the date the action was completed.")
        if completion is None:
            problems.append("Give the evidence that the action was completed.")
    if impact is not None and update.status != "complete":
        problems.append("Evidence of impact can only be recorded for a completed action.")
    if impact is not None and update.impact_on is None:
        problems.append("Give the date of the evidence of impact.")
    return problems


def update_action(*, engine: sa.Engine, update: ActionUpdate, updated_by: str, page: str) -> None:
    """Update an action's status, its status in words and its evidence.

    Complete needs a date and evidence of completion; evidence of impact only on a complete
    action (it is what shows the action made a difference)."""
    problems = action_update_problems(update)
    if problems:
        raise LearningError(" ".join(problems))
    progress = (update.progress or "").strip() or None
    completion = (update.completion_evidence or "").strip() or None
    impact = (update.impact_evidence or "").strip() or None
    with session_scope(engine) as session:
        row = session.get(CaseReviewAction, update.action_id)
        if row is None:
            raise LearningError(f"There is no action number {update.action_id}.")
        previous = row.status
        row.status = update.status
        row.progress = progress
        row.completed_on = update.completed_on if update.status == "complete" else None
        row.completion_evidence = completion
        row.impact_evidence = impact
        row.impact_on = update.impact_on if impact else None
        row.updated_by, row.updated_at = updated_by, utc_now()
        audit_log.record(
            session,
            username=updated_by,
            event="learning_action_updated",
            page=page,
            detail=f"action {row.id}: {previous} -> {update.status}"
            + ("; evidence of impact recorded" if impact else ""),
        )
        refresh_figures(session)


@dataclass(frozen=True)
class RiskEntry:
    reference: str
    title: str
    likelihood: int
    impact: int
    owner_agency_id: int | None = None
    owner: str | None = None
    theme_code: str | None = None
    cause: str | None = None
    consequence: str | None = None
    controls: str | None = None
    likelihood_after: int | None = None
    impact_after: int | None = None
    further_actions: str | None = None
    review_on: dt.date | None = None
    trend: str | None = None
    status: str = "open"


def _risk_problems(entry: RiskEntry) -> list[str]:
    problems: list[str] = []
    reference = (entry.reference or "").strip()
    if not reference:
        problems.append("Write a reference.")
    elif len(reference) > 20:
        problems.append("Keep the reference to 20 characters or fewer.")
    title = (entry.title or "").strip()
    if not title:
        problems.append("Write what the risk is.")
    elif len(title) > 300:
        problems.append("Keep the risk's title to 300 characters or fewer.")
    for score, what in ((entry.likelihood, "likelihood"), (entry.impact, "impact")):
        if not 1 <= score <= 5:
            problems.append(f"The {what} is scored from 1 to 5.")
    after = (entry.likelihood_after, entry.impact_after)
    if (after[0] is None) != (after[1] is None):
        problems.append("Score both likelihood and impact after the controls, or neither.")
    for scored in after:
        if scored is not None and not 1 <= scored <= 5:
            problems.append("Scores after the controls are from 1 to 5.")
            break
    if entry.trend is not None and entry.trend not in RISK_TRENDS:
        problems.append("Choose the trend: rising, steady or falling.")
    if entry.theme_code is not None and entry.theme_code not in THEMES:
        problems.append("Choose one of the partnership's themes.")
    if entry.status not in ("open", "closed"):
        problems.append("A risk is open or closed.")
    if entry.status == "open" and entry.review_on is None:
        problems.append("An open risk needs a review date.")
    for value, what in (
        (entry.owner, "the owner"),
        (entry.cause, "the cause"),
        (entry.consequence, "the consequence"),
        (entry.controls, "the controls"),
        (entry.further_actions, "the further actions"),
    ):
        _text(value, what, problems)
    if entry.owner and len(entry.owner.strip()) > 200:
        problems.append("Keep the owner to 200 characters or fewer.")
    return problems


def save_risk(
    *, engine: sa.Engine, entry: RiskEntry, saved_by: str, risk_id: int | None = None
) -> int:
    """Add a risk (risk_id None) or update one; all or nothing, audit-logged."""
    problems = _risk_problems(entry)
    if problems:
        raise LearningError(" ".join(problems))
    with session_scope(engine) as session:
        return apply_risk(session, entry=entry, saved_by=saved_by, risk_id=risk_id)


def apply_risk(
    session: so.Session,
    *,
    entry: RiskEntry,
    saved_by: str,
    risk_id: int | None = None,
    page: str = "risk_register",
) -> int:
    """Write one checked risk in the caller's transaction, with its audit-log line."""
    reference = entry.reference.strip()
    clash = session.scalar(sa.select(Risk.id).where(Risk.reference == reference))
    if clash is not None and clash != risk_id:
        raise LearningError(f"There is already a risk {reference}.")
    if entry.owner_agency_id is not None and session.get(Agency, entry.owner_agency_id) is None:
        raise LearningError("Choose the agency that owns the risk.")
    before: tuple[int, str] | None = None
    if risk_id is None:
        row = Risk(reference=reference)
    else:
        found = session.get(Risk, risk_id)
        if found is None:
            raise LearningError(f"There is no risk number {risk_id}.")
        row = found
        before = (row.likelihood * row.impact, row.status)

    def clean(value: str | None) -> str | None:
        return (value or "").strip() or None

    row.reference = reference
    row.title = entry.title.strip()
    row.likelihood, row.impact = entry.likelihood, entry.impact
    row.likelihood_after, row.impact_after = entry.likelihood_after, entry.impact_after
    row.owner_agency_id, row.owner = entry.owner_agency_id, clean(entry.owner)
    row.theme_code = entry.theme_code
    row.cause, row.consequence = clean(entry.cause), clean(entry.consequence)
    row.mitigation, row.further_actions = clean(entry.controls), clean(entry.further_actions)
    row.review_on, row.trend, row.status = entry.review_on, entry.trend, entry.status
    row.updated_by, row.updated_at = saved_by, utc_now()
    session.add(row)
    session.flush()
    audit_log.record(
        session,
        username=saved_by,
        event="risk_recorded" if before is None else "risk_updated",
        page=page,
        detail=f"risk {row.id} ({reference}): score {entry.likelihood * entry.impact}"
        + ("" if before is None else f" (was {before[0]}, {before[1]})")
        + f", {entry.status}",
    )
    return row.id


def risk_problems(entry: RiskEntry) -> list[str]:
    """Every problem with a risk entry, in sentences (empty when it can be saved)."""
    return _risk_problems(entry)


def learning_for_young_people(*, engine: sa.Engine) -> pd.DataFrame:
    """Every review young people may hear about, with its youth-text key and themes.

    Columns: key ("RR|reference" or "LR|reference"), reference, label, learning (the staff
    text: for writers of youth texts only, never for the youth pages), theme_codes (tuple).
    Only reviews with learning recorded; rapid reviews by their own theme, learning reviews by
    their tags.
    """
    rr = frame(
        engine,
        sa.select(
            RapidReview.reference, RapidReview.theme_code, RapidReview.learning_summary
        ).where(RapidReview.learning_summary.is_not(None)),
    )
    lr = frame(
        engine,
        sa.select(
            LearningReview.id,
            LearningReview.reference,
            LearningReview.kind,
            LearningReview.title,
            LearningReview.summary,
        ).where(LearningReview.summary.is_not(None)),
    )
    tags = frame(engine, sa.select(LearningReviewTheme.review_id, LearningReviewTheme.theme_code))
    by_review = tags.groupby("review_id")["theme_code"].agg(tuple) if not tags.empty else {}
    rows = [
        {
            "key": f"RR|{r.reference}",
            "reference": r.reference,
            "label": f"{r.reference}: rapid review",
            "learning": r.learning_summary,
            "theme_codes": (r.theme_code,) if r.theme_code else (),
        }
        for r in rr.itertuples(index=False)
    ]
    rows += [
        {
            "key": f"LR|{r.reference}",
            "reference": r.reference,
            "label": f"{r.reference}: {r.title}",
            "learning": r.summary,
            "theme_codes": tuple(by_review.get(r.id, ())),
        }
        for r in lr.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=["key", "reference", "label", "learning", "theme_codes"])
