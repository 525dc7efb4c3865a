"""The Practice reviews page: serious incident notifications and rapid reviews, local and national
practice reviews, their recommendations and actions, and how timely each step was."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import charts
from dashboard.components import learning as parts
from dashboard.components.chart_display import show_chart
from dashboard.components.plain import escape_inline
from dashboard.components.tables import show_table
from dashboard.exports import download_table
from dashboard.metrics import brief, spc
from dashboard.navigation import STAFF
from dashboard.session import CurrentUser
from dashboard.views.theme.scorecard import scorecard_table
from data_access import catalogue, learning, learning_figures
from data_access.db import get_engine
from data_access.models import RAPID_REVIEW_OUTCOMES

PAGE = "practice_reviews"
FLASH_KEY = "practice_reviews_flash"
KINDS = ("rapid_review", "local_review", "national_review")
NO_THEME = "none"
# The theme the catalogue lists the timeliness indicators under.
THEME = catalogue.indicator(learning_figures.RAPID).theme


def render(user: CurrentUser) -> None:
    """Render the Practice reviews page for `user` (call after the page's guard)."""
    st.title("Practice reviews")
    st.caption(
        "Serious incidents notified to the national panel (within 5 working days), rapid reviews "
        "(within 15 working days), local practice reviews (published within six months of the "
        "decision) and learning from national reviews, with the actions agreed. Working days "
        "leave out weekends and England's bank holidays."
    )
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))

    figures = cache.query(learning.timeliness)
    a, b, c = st.columns(3)
    for column, key, label in (
        (a, "rapid_reviews_in_time", "Rapid reviews within 15 working days"),
        (b, "reviews_published_in_time", "Local reviews published within six months"),
        (c, "actions_overdue", "Open actions overdue"),
    ):
        met, total = figures[key]
        column.metric(label, f"{met} of {total}" if total else "None yet")

    _timeliness_charts()

    st.header("Rapid reviews")
    reviews = cache.frame(learning.rapid_reviews)
    if reviews.empty:
        st.info("No serious incident notifications have been recorded yet.")
    else:
        table = parts.rapid_review_table(reviews)
        show_table(table, key="rapid_reviews_table")
        download_table(
            table, label="rapid reviews", file_stem="rapid-reviews", key="rapid_reviews_csv"
        )

    st.header("Local and national reviews")
    local = cache.frame(learning.learning_reviews, kinds=("local_review", "national_review"))
    if local.empty:
        st.info("No local or national reviews have been recorded yet.")
    else:
        table = parts.review_table(local, local=True)
        show_table(table, key="practice_reviews_table")
        download_table(
            table, label="practice reviews", file_stem="practice-reviews", key="reviews_csv"
        )

    st.header("Recommendations and actions")
    st.caption(
        "Complete means the action was done, with evidence of completion; evidence of impact "
        "(a re-audit, a measure that moved) shows it made a difference."
    )
    parts.show_actions(
        cache.frame(learning.actions, source_kinds=KINDS),
        key="review_actions",
        label="review actions",
    )

    if user.role not in STAFF:
        st.caption("Quality assurance officers and administrators record and update reviews.")
        return
    _rapid_review_forms(user)
    parts.learning_review_form(
        user,
        kinds=("local_review", "national_review"),
        page=PAGE,
        flash_key=FLASH_KEY,
        heading="Record a local or national review",
    )
    parts.action_forms(user, kinds=KINDS, page=PAGE, flash_key=FLASH_KEY)
    for offer in (
        parts.RAPID_REVIEW_IMPORT,
        parts.PRACTICE_REVIEW_IMPORT,
        parts.action_import_offer(PAGE),
    ):
        parts.import_form(user, offer, flash_key=FLASH_KEY)


def _rapid_review_forms(user: CurrentUser) -> None:
    theme_names = {t.code: t.name for t in catalogue.themes()}
    st.header("Record a serious incident notification")
    with st.form("new_rapid_review"):
        left, middle, right = st.columns(3)
        reference = left.text_input("Reference *", key="rr_reference", max_chars=30)
        incident = middle.date_input(
            "Incident came to notice *", value=None, key="rr_incident", format="DD/MM/YYYY"
        )
        notified = right.date_input(
            "Notified to the national panel *", value=None, key="rr_notified", format="DD/MM/YYYY"
        )
        theme = st.selectbox(
            "Theme",
            [NO_THEME, *theme_names],
            format_func=lambda c: "Not about one theme" if c == NO_THEME else theme_names[c],
            key="rr_theme",
        )
        saved = st.form_submit_button("Save the notification", type="primary", key="rr_save")
    if saved:
        if incident is None or notified is None:
            st.error("Nothing was saved. Give the date of the incident and of the notification.")
        else:
            parts.save_and_rerun(
                lambda: learning.record_rapid_review(
                    engine=get_engine(),
                    entry=learning.NewRapidReview(
                        reference=reference or "",
                        incident_on=incident,
                        notified_on=notified,
                        theme_code=None if theme == NO_THEME else str(theme),
                    ),
                    recorded_by=user.username,
                ),
                flash_key=FLASH_KEY,
                done=lambda new_id: f"Notification {new_id} recorded.",
            )

    pending = cache.frame(learning.rapid_reviews)
    pending = pending[pending["outcome"] == "pending"]
    st.header("Record a rapid review's outcome")
    if pending.empty:
        st.caption("Every notified incident has its rapid review recorded.")
        return
    labels = {int(r["id"]): str(r["reference"]) for _, r in pending.iterrows()}
    with st.form("complete_rapid_review"):
        chosen = st.selectbox(
            "Rapid review", list(labels), format_func=lambda o: str(labels.get(o, o)), key="rr_id"
        )
        decided = st.date_input(
            "Completed on *", value=dt.date.today(), key="rr_decided", format="DD/MM/YYYY"
        )
        outcome = st.selectbox(
            "Outcome *",
            [o for o in RAPID_REVIEW_OUTCOMES if o != "pending"],
            format_func=lambda o: str(learning.OUTCOME_LABELS.get(o, o)),
            key="rr_outcome",
        )
        panel = st.text_area("The national panel's view", key="rr_panel")
        summary = st.text_area("The learning", key="rr_learning")
        saved = st.form_submit_button("Save the outcome", type="primary", key="rr_complete")
    if saved:
        parts.save_and_rerun(
            lambda: learning.complete_rapid_review(
                engine=get_engine(),
                review_id=int(str(chosen)),
                decided_on=decided,
                outcome=str(outcome),
                panel_view=panel,
                learning_summary=summary,
                updated_by=user.username,
            ),
            flash_key=FLASH_KEY,
            done=lambda _: f"Rapid review {escape_inline(labels[int(str(chosen))])} completed.",
        )


def _timeliness_charts() -> None:
    """The timeliness indicators as the scorecard judges them: the stored quarterly figures, their
    verdicts and control charts from the quarter brief (the overview, export and pack show the
    same rows)."""
    st.header("Timeliness over time")
    quarter = cache.query(learning_figures.latest_quarter)
    if quarter is None:
        st.caption("The timeliness figures start with the first quarter anything fell due in.")
        return
    card = cache.frame(brief.quarter_brief, period_code=quarter, theme_code=THEME)
    card = card[card["code"].isin(learning_figures.CODES)]
    st.caption(
        f"Quarter by quarter, counted by deadline, to {quarter}: the same figures as the "
        "overview's scorecard and the board pack."
    )
    table = scorecard_table(card)
    show_table(table, key="timeliness_table")
    for _, row in card.iterrows():
        result = row["spc_chart"]
        if not isinstance(result, spc.XmRResult) or not result.enough_data:
            continue
        target = float(row["target"]) if pd.notna(row["target"]) else None
        chart = charts.spc_chart(
            result,
            name=str(row["name"]),
            unit=str(row["unit"]),
            polarity=str(row["polarity"]),
            target=target,
        )
        show_chart(
            chart, f"{row['name']}: {spc.describe(result)}", key=f"timeliness_{row['code']}_chart"
        )
    parts_table = cache.frame(learning_figures.stored).rename(
        columns={
            "period_code": "Quarter",
            "code": "Indicator code",
            "value": "Percentage",
            "numerator": "Numerator",
            "denominator": "Denominator",
            "status_symbol": "Symbol",
        }
    )
    download_table(
        parts_table,
        label="timeliness by quarter",
        file_stem="timeliness-by-quarter",
        key="timeliness_csv",
    )
