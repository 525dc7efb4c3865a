"""The Scrutiny page: the independent scrutineer's judgements and recommendations, inspection
recommendations and the improvement plan, each with the partners' response and actions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import learning as parts
from dashboard.components.rag import rag_label
from dashboard.components.tables import show_table
from dashboard.exports import download_table
from dashboard.session import CurrentUser
from data_access import learning

PAGE = "scrutiny"
FLASH_KEY = "scrutiny_flash"
KINDS = ("scrutiny", "inspection", "improvement_plan")


def render(user: CurrentUser) -> None:
    """Render the Scrutiny page for `user` (call after the page's guard)."""
    st.title("Independent scrutiny and the improvement plan")
    st.caption(
        "The independent scrutineer's view of the arrangements, inspection recommendations and "
        "the improvement plan: each recommendation with the partners' response and the action "
        "agreed, tracked like the actions from practice reviews."
    )
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))

    st.header("The scrutineer's judgements")
    judgements = cache.frame(learning.scrutiny_judgements)
    if judgements.empty:
        st.info("No judgements from the independent scrutineer have been recorded yet.")
    else:
        years = sorted(judgements["year"].unique(), reverse=True)
        year = st.selectbox(
            "Year", years, format_func=lambda y: f"{y}-{(int(y) + 1) % 100:02d}", key="scr_year"
        )
        shown = judgements[judgements["year"] == year]
        table = pd.DataFrame(
            {
                "Criterion": shown["criterion_number"].astype(int),
                "What is judged": shown["criterion"],
                "Judgement": shown["rating"].map(rag_label),
                "Commentary": shown["commentary"],
                "Judged on": shown["judged_on"].map(parts.date_words),
            }
        )
        show_table(table, key="scrutiny_judgements_table")
        download_table(
            table,
            label="scrutiny judgements",
            file_stem="scrutiny-judgements",
            key="scrutiny_judgements_csv",
        )

    st.header("Reports, inspections and the plan")
    reviews = cache.frame(learning.learning_reviews, kinds=KINDS)
    if reviews.empty:
        st.info("No scrutiny reports, inspections or improvement plans have been recorded yet.")
    else:
        table = parts.review_table(reviews, local=False)
        show_table(table, key="scrutiny_reviews_table")
        download_table(
            table,
            label="scrutiny reports, inspections and plans",
            file_stem="scrutiny-reports",
            key="scrutiny_reviews_csv",
        )

    st.header("Recommendations, responses and actions")
    parts.show_actions(
        cache.frame(learning.actions, source_kinds=KINDS),
        key="scrutiny_actions",
        label="scrutiny and inspection actions",
    )
    parts.learning_review_form(
        user,
        kinds=KINDS,
        page=PAGE,
        flash_key=FLASH_KEY,
        heading="Record a scrutiny report, an inspection or a plan",
    )
    parts.action_forms(user, kinds=KINDS, page=PAGE, flash_key=FLASH_KEY)
    for offer in (parts.SCRUTINY_IMPORT, parts.action_import_offer(PAGE)):
        parts.import_form(user, offer, flash_key=FLASH_KEY)
