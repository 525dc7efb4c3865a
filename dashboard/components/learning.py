"""What the partnership learns and changes (issue 29): the tables of reviews, actions and risks
as people read them, the 5x5 risk heat map, and the forms that record and update actions.

Every text a person typed (recommendations, responses, evidence, risk titles) is shown in data
grids or as escaped HTML; never as Markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from dashboard import cache
from dashboard.components.plain import escape_html, escape_inline
from dashboard.components.tables import days_overdue_text, highlight_overdue, show_table
from dashboard.exports import download_table
from dashboard.metrics import learning_words
from dashboard.navigation import STAFF
from dashboard.session import CurrentUser
from data_access import catalogue, config, learning, learning_import, learning_import_reviews
from data_access.db import get_engine
from data_access.models import ACTION_STATUSES

Saved = TypeVar("Saved")


def save_and_rerun(
    save: Callable[[], Saved], *, flash_key: str, done: Callable[[Saved], str]
) -> None:
    """Run one of a form's writes: a refusal is shown as a sentence (nothing was saved); a
    success empties the cache, leaves `done(result)` to be shown after the rerun, and reruns."""
    try:
        result = save()
    except learning.LearningError as exc:
        st.error(f"Nothing was saved. {escape_inline(exc)}")
        return
    cache.clear()
    st.session_state[flash_key] = done(result)
    st.rerun()


def date_words(value: object) -> str:
    """'7 Dec 2026', or '' for no date."""
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


def yes_no(value: object, *, pending: str = "Not yet") -> str:
    if value is None or (not isinstance(value, bool) and pd.isna(value)):
        return pending
    return "Yes" if bool(value) else "No"


def text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def rapid_review_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Reference": rows["reference"],
            "Theme": rows["theme_name"].map(text),
            "Incident": rows["incident_on"].map(date_words),
            "Notified": rows["notified_on"].map(date_words),
            "Working days to notify": rows["working_days_to_notify"].astype(int),
            "Notified within 5 working days": rows["notified_in_time"].map(yes_no),
            "Rapid review completed": rows["decided_on"].map(date_words),
            "Working days to complete": rows["working_days_to_decide"].map(
                lambda v: "" if v is None or pd.isna(v) else str(int(v))
            ),
            "Within 15 working days": rows["in_time"].map(yes_no),
            "Outcome": rows["outcome_label"],
            "National panel's view": rows["panel_view"].map(text),
            "Learning": rows["learning_summary"].map(text),
            "Open actions": rows["open_actions"].astype(int),
            "Overdue actions": rows["overdue_actions"].astype(int),
        }
    )


def review_table(rows: pd.DataFrame, *, local: bool) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "Reference": rows["reference"],
            "Kind": rows["kind_label"],
            "Title": rows["title"],
            "Themes": rows["themes"],
            "Decided or dated": rows["decided_on"].map(date_words),
            "Publish by": rows["publish_by"].map(date_words),
            "Published": rows["published_on"].map(date_words),
            "Published within six months": rows["published_in_time"].map(yes_no),
            "Why not within six months": rows["delay_reason"].map(text),
            "Learning": rows["summary"].map(text),
            "Open actions": rows["open_actions"].astype(int),
            "Overdue actions": rows["overdue_actions"].astype(int),
        }
    )
    if not local:
        table = table.drop(
            columns=["Publish by", "Published within six months", "Why not within six months"]
        )
    return table


def action_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Recommendations and actions: overdue said in the state, "complete" and "complete with
    evidence of impact" told apart."""

    def state(row: pd.Series) -> str:
        if bool(row["overdue"]):
            return f"{days_overdue_text(row['days_overdue'])} ({row['status_label'].lower()})"
        return str(row["state"])

    return pd.DataFrame(
        {
            "Number": rows["id"].astype(int),
            "From": rows["source"] + " (" + rows["source_label"] + ")",
            "Recommendation": rows["recommendation"],
            "Partners' response": rows["response"].map(text),
            "Action agreed": rows["action"].map(text),
            "Owner": rows["owner_agency"],
            "Due": rows["due_date"].map(date_words),
            "State": [state(row) for _, row in rows.iterrows()],
            "Progress in words": rows["progress"].map(text),
            "Completed": rows["completed_on"].map(date_words),
            "Evidence of completion": rows["completion_evidence"].map(text),
            "Evidence of impact": rows["impact_evidence"].map(text),
        }
    )


def show_actions(rows: pd.DataFrame, *, key: str, label: str) -> None:
    """The actions with counts, overdue flagged, and their CSV download."""
    if rows.empty:
        st.info("No recommendations or actions have been recorded here yet.")
        return
    a, b, c, d = st.columns(4)
    a.metric("Actions", len(rows))
    b.metric("Overdue", int(rows["overdue"].sum()))
    c.metric("Complete", int((rows["status"] == "complete").sum()))
    d.metric("With evidence of impact", int((rows["state"] == learning.STATE_IMPACT).sum()))
    table = action_table(rows)
    show_table(highlight_overdue(table, "State"), data=table, key=f"{key}_table")
    download_table(table, label=label, file_stem=key.replace("_", "-"), key=f"{key}_csv")


# --- The risk heat map --------------------------------------------------------------------------

# Pale backgrounds with dark text (contrast above 7:1); each cell also says its band in words.
BANDS = {
    "high": ("#fbe3df", "#7a1f10", "High"),
    "medium": ("#fff4ce", "#4d3900", "Medium"),
    "low": ("#e3f1e6", "#1d4a26", "Low"),
}


def band(score: int, threshold: int) -> str:
    if learning.escalates(score, threshold):
        return "high"
    return "medium" if score >= 6 else "low"


def heat_map_html(grid: pd.DataFrame, threshold: int) -> str:
    """The 5x5 grid as an HTML table with row and column headers, every cell's score, band and
    risks in text (colour is never the only signal). Risk references are escaped."""
    head = "".join(f'<th scope="col">Impact {i}</th>' for i in grid.columns)
    body = []
    for likelihood, row in grid.iterrows():
        cells = []
        for impact, refs in row.items():
            score = int(likelihood) * int(impact)
            background, colour, word = BANDS[band(score, threshold)]
            refs_html = f"<br><strong>{escape_html(refs)}</strong>" if refs else ""
            cells.append(
                f'<td style="background:{background};color:{colour};padding:6px;'
                f'border:1px solid #767676;text-align:center">{word} {score}{refs_html}</td>'
            )
        body.append(f'<tr><th scope="row">Likelihood {likelihood}</th>{"".join(cells)}</tr>')
    return (
        '<table style="border-collapse:collapse;width:100%">'
        "<caption>Open risks by likelihood and impact after the controls "
        f"(score above {threshold} goes to the executive)</caption>"
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


# --- Forms: record a recommendation and action; update an action --------------------------------


def action_forms(user: CurrentUser, *, kinds: tuple[str, ...], page: str, flash_key: str) -> None:
    """QA officers and administrators record recommendations and actions and update them."""
    if user.role not in STAFF:
        st.caption("Quality assurance officers and administrators record and update actions.")
        return
    engine = get_engine()
    sources = {
        key: words
        for key, words in cache.query(learning.source_choices).items()
        if _source_kind(key, kinds)
    }
    agencies = cache.query(learning.agency_choices)
    st.header("Record a recommendation and its action")
    if not sources:
        st.caption("Record the review first; its recommendations are recorded here.")
    else:
        with st.form(f"{page}_new_action"):
            source = st.selectbox(
                "From *",
                list(sources),
                format_func=lambda o: str(sources.get(o, o)),
                key=f"{page}_action_source",
            )
            recommendation = st.text_area(
                "Recommendation *", key=f"{page}_action_recommendation", max_chars=4000
            )
            response = st.text_area(
                "The partners' response", key=f"{page}_action_response", max_chars=4000
            )
            agreed = st.text_area("Action agreed", key=f"{page}_action_agreed", max_chars=4000)
            left, right = st.columns(2)
            owner = left.selectbox(
                "Owner agency *",
                list(agencies),
                format_func=lambda o: str(agencies.get(o, o)),
                key=f"{page}_owner",
            )
            due = right.date_input(
                "Due date *", value=None, key=f"{page}_action_due", format="DD/MM/YYYY"
            )
            saved = st.form_submit_button("Save the action", type="primary", key=f"{page}_save")
        if saved:
            if due is None or owner is None:
                st.error("Nothing was saved. An action needs an owner agency and a due date.")
            else:
                save_and_rerun(
                    lambda: learning.record_action(
                        engine=engine,
                        entry=learning.NewAction(
                            source=str(source),
                            recommendation=recommendation or "",
                            owner_agency_id=int(owner),
                            due_date=due,
                            response=response,
                            action=agreed,
                        ),
                        recorded_by=user.username,
                        page=page,
                    ),
                    flash_key=flash_key,
                    done=lambda new_id: f"Action {new_id} recorded.",
                )

    st.header("Update an action")
    rows = cache.frame(learning.actions, source_kinds=kinds)
    if rows.empty:
        st.caption("Once an action is recorded, its progress is updated here.")
        return
    labels = {
        int(r["id"]): f"{int(r['id'])}: {str(r['recommendation'])[:70]} ({r['state']})"
        for _, r in rows.iterrows()
    }
    chosen = st.selectbox(
        "Action", list(labels), format_func=lambda o: str(labels.get(o, o)), key=f"{page}_update_id"
    )
    current = rows.set_index("id").loc[int(str(chosen))]
    with st.form(f"{page}_update_action"):
        status = st.selectbox(
            "Status *",
            ACTION_STATUSES,
            index=ACTION_STATUSES.index(str(current["status"])),
            format_func=lambda o: str(learning.STATUS_LABELS.get(o, o)),
            key=f"{page}_update_status",
        )
        progress = st.text_area(
            "Progress in words", value=text(current["progress"]), key=f"{page}_update_progress"
        )
        left, right = st.columns(2)
        completed = left.date_input(
            "Completed on (for a complete action)",
            value=learning.as_date(current["completed_on"]),
            key=f"{page}_update_completed",
            format="DD/MM/YYYY",
        )
        impact_on = right.date_input(
            "Date of the evidence of impact",
            value=learning.as_date(current["impact_on"]),
            key=f"{page}_update_impact_on",
            format="DD/MM/YYYY",
        )
        completion = st.text_area(
            "Evidence of completion (what shows it was done)",
            value=text(current["completion_evidence"]),
            key=f"{page}_update_completion",
        )
        impact = st.text_area(
            "Evidence of impact (what shows it made a difference: a re-audit, a measure that "
            "moved)",
            value=text(current["impact_evidence"]),
            key=f"{page}_update_impact",
        )
        saved = st.form_submit_button("Save the update", type="primary", key=f"{page}_update")
    if saved:
        save_and_rerun(
            lambda: learning.update_action(
                engine=engine,
                update=learning.ActionUpdate(
                    action_id=int(str(chosen)),
                    status=str(status),
                    progress=progress,
                    completed_on=completed if isinstance(completed, dt.date) else None,
                    completion_evidence=completion,
                    impact_evidence=impact,
                    impact_on=impact_on if isinstance(impact_on, dt.date) else None,
                ),
                updated_by=user.username,
                page=page,
            ),
            flash_key=flash_key,
            done=lambda _: f"Action {chosen} updated.",
        )


@dataclass(frozen=True)
class ImportOffer:
    """One kind of spreadsheet a page imports: its words, its template and its importer (given
    the engine, the file's bytes and name and the user's name; it returns what it added and
    updated, or raises `learning_import.ImportProblem`)."""

    key: str
    heading: str
    caption: str
    what: str  # "actions", "risks": in the buttons and the uploader's label
    template: learning_import.Template
    file_stem: str
    run: Callable[[sa.Engine, bytes, str, str], learning_import.ImportResult]


def import_form(user: CurrentUser, offer: ImportOffer, *, flash_key: str) -> None:
    """Template downloads, an upload and its import: all or nothing, each problem a sentence."""
    if user.role not in STAFF:
        return
    st.header(offer.heading)
    st.caption(
        f"{offer.caption} Every row is checked first; if any row is wrong nothing is imported."
    )
    left, right = st.columns(2)
    left.download_button(
        f"Download the {offer.what} template (Excel)",
        data=offer.template.file("xlsx"),
        file_name=f"{offer.file_stem}-template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{offer.key}_template_xlsx",
        on_click="ignore",
    )
    right.download_button(
        f"Download the {offer.what} template (CSV)",
        data=offer.template.file("csv"),
        file_name=f"{offer.file_stem}-template.csv",
        mime="text/csv",
        key=f"{offer.key}_template_csv",
        on_click="ignore",
    )
    upload = st.file_uploader(
        f"{offer.what.capitalize()} file (.xlsx or .csv)",
        type=["xlsx", "csv"],
        key=f"{offer.key}_upload",
    )
    if upload is not None and st.button(
        f"Import the {offer.what}", type="primary", key=f"{offer.key}_import"
    ):
        try:
            result = offer.run(get_engine(), upload.getvalue(), upload.name, user.username)
        except learning_import.ImportProblem as problem:
            st.error("Nothing was imported. Please fix the file:")
            st.text("\n".join(problem.problems[:50]))
        else:
            cache.clear()
            st.session_state[flash_key] = f"Imported {offer.what}: {result.words()}."
            st.rerun()


def action_import_offer(page: str) -> ImportOffer:
    """Recommendations and actions for the reviews already recorded, by their reference."""

    def run(engine: sa.Engine, data: bytes, name: str, by: str) -> learning_import.ImportResult:
        added = learning_import.import_actions(
            engine=engine, data=data, file_name=name, imported_by=by, page=page
        )
        return learning_import.ImportResult(added=added, updated=0)

    return ImportOffer(
        key=f"{page}_actions",
        heading="Import recommendations and actions",
        caption="Start from the template (one row per action; 'From' is the review's reference).",
        what="actions",
        template=learning_import.ACTIONS,
        file_stem="actions",
        run=run,
    )


RAPID_REVIEW_IMPORT = ImportOffer(
    key="rapid_reviews",
    heading="Import serious incident notifications and rapid reviews",
    caption="Start from the template (one row per notification). A new reference adds a "
    "notification, a known one updates it.",
    what="rapid reviews",
    template=learning_import_reviews.RAPID_REVIEWS,
    file_stem="rapid-reviews",
    run=lambda engine, data, name, by: learning_import_reviews.import_rapid_reviews(
        engine=engine, data=data, file_name=name, imported_by=by
    ),
)
PRACTICE_REVIEW_IMPORT = ImportOffer(
    key="practice_reviews",
    heading="Import local and national reviews",
    caption="Start from the template (one row per review; themes separated by semicolons). A "
    "new reference adds a review, a known one updates it.",
    what="reviews",
    template=learning_import_reviews.PRACTICE_REVIEWS,
    file_stem="practice-reviews",
    run=lambda engine, data, name, by: learning_import_reviews.import_practice_reviews(
        engine=engine, data=data, file_name=name, imported_by=by
    ),
)
SCRUTINY_IMPORT = ImportOffer(
    key="scrutiny_recommendations",
    heading="Import scrutiny and inspection recommendations",
    caption="Start from the template (one row per recommendation, with the report it comes "
    "from and the action agreed). A report not yet recorded is recorded from its first row.",
    what="recommendations",
    template=learning_import_reviews.SCRUTINY,
    file_stem="scrutiny-recommendations",
    run=lambda engine, data, name, by: learning_import_reviews.import_scrutiny(
        engine=engine, data=data, file_name=name, imported_by=by
    ),
)
RISK_IMPORT = ImportOffer(
    key="risk",
    heading="Import a risk register",
    caption="Start from the template (one row per risk). A new reference adds a risk, a known "
    "one updates it.",
    what="risks",
    template=learning_import.RISKS,
    file_stem="risk-register",
    run=lambda engine, data, name, by: learning_import.import_risks(
        engine=engine, data=data, file_name=name, imported_by=by
    ),
)


def _source_kind(key: str, kinds: tuple[str, ...]) -> bool:
    return (
        True
        if not kinds
        else (key.startswith("rr:") and "rapid_review" in kinds)
        or (key.startswith("lr:") and any(k != "rapid_review" for k in kinds))
    )


def learning_review_form(
    user: CurrentUser, *, kinds: tuple[str, ...], page: str, flash_key: str, heading: str
) -> None:
    """Record a review (local or national), a scrutiny report, an inspection or a plan."""
    if user.role not in STAFF:
        return
    theme_names = {t.code: t.name for t in catalogue.themes()}
    st.header(heading)
    with st.form(f"{page}_new_review"):
        left, right = st.columns(2)
        reference = left.text_input("Reference *", key=f"{page}_review_ref", max_chars=30)
        kind = right.selectbox(
            "Kind *",
            kinds,
            format_func=lambda o: str(learning.KIND_LABELS.get(o, o)),
            key=f"{page}_review_kind",
        )
        title = st.text_input("Title *", key=f"{page}_review_title", max_chars=300)
        left, right = st.columns(2)
        decided = left.date_input(
            "Decided on (or the report's date) *",
            value=None,
            key=f"{page}_review_decided",
            format="DD/MM/YYYY",
        )
        published = right.date_input(
            "Published on", value=None, key=f"{page}_review_published", format="DD/MM/YYYY"
        )
        delay = st.text_area(
            "Why it was not published within six months (local reviews)",
            key=f"{page}_review_delay",
        )
        summary = st.text_area("The learning, for staff", key=f"{page}_review_summary")
        themes = st.multiselect(
            "Themes it concerns",
            list(theme_names),
            format_func=lambda o: str(theme_names.get(o, o)),
            key=f"{page}_review_themes",
        )
        saved = st.form_submit_button("Save", type="primary", key=f"{page}_review_save")
    if saved:
        save_and_rerun(
            lambda: learning.record_learning_review(
                engine=get_engine(),
                entry=learning.NewLearningReview(
                    reference=reference or "",
                    kind=str(kind),
                    title=title or "",
                    decided_on=decided if isinstance(decided, dt.date) else None,
                    published_on=published if isinstance(published, dt.date) else None,
                    delay_reason=delay,
                    summary=summary,
                    theme_codes=tuple(themes),
                ),
                recorded_by=user.username,
                page=page,
            ),
            flash_key=flash_key,
            done=lambda new_id: f"Review {new_id} recorded.",
        )


def render_theme_learning(theme_code: str) -> None:
    """A theme page's short section: the learning from reviews tagged to the theme."""
    rows = cache.frame(learning.themed_learning, theme_code=theme_code)
    st.header("Learning from reviews")
    if rows.empty:
        st.caption("No review's learning is tagged to this theme yet.")
        return
    table = pd.DataFrame(
        {
            "Reference": rows["reference"],
            "Kind": rows["kind_label"],
            "Date": rows["date"].map(date_words),
            "Learning": rows["learning"].map(text),
        }
    ).head(6)
    show_table(table, key=f"theme_learning_{theme_code}")
    st.caption("The most recent six; the Practice reviews page has them all.")


def render_learning_attention(*, heading: str | None = "Learning and risk") -> None:
    """Overdue actions, overdue risk reviews and escalated risks, for the overview and meeting
    mode (the board pack says the same through `learning_words`)."""
    threshold = config.risk_escalation_threshold()
    summary = cache.query(learning.overdue_summary, threshold=threshold)
    if heading:
        st.header(heading)
    sentence = learning_words.overdue_sentence(summary, threshold)
    if learning_words.needs_attention(summary):
        st.warning(sentence)
    else:
        st.success(sentence)
    overdue = cache.frame(learning.actions)
    overdue = overdue[overdue["overdue"]]
    if not overdue.empty:
        table = action_table(overdue)[["From", "Recommendation", "Owner", "Due", "State"]]
        show_table(highlight_overdue(table, "State"), data=table, key="learning_overdue_table")
