"""How agencies keep you safe: Section 11 for the youth council, in plain words, with challenges.

No case-level data and no staff names; counts from 1 to 5 are shown as `c` with secondary
suppression, and the explanation is on the page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import youth
from dashboard.components.plain import escape_inline, escape_markdown
from dashboard.guard import require_page
from dashboard.metrics.suppression import suppress_table
from data_access import audits, challenges, section11
from data_access.db import get_engine

user = require_page("youth_section11")
youth.inject_youth_styles()

st.title("How agencies keep you safe")
st.markdown(
    "Every organisation that works with children has to check how well it keeps them safe. "
    "This is called a **Section 11 self-check**. Each one tells us, for 11 standards, whether "
    "it thinks it is doing well, partly doing it, or needs to improve. You can read what they "
    "said, and ask them a question or for proof."
)

cycles = cache.frame(section11.list_cycles)
standards = cache.frame(section11.list_standards)
standard_names = {
    int(row.id): f"{row.number}. {row.title}" for row in standards.itertuples(index=False)
}

if cycles.empty:
    st.info("No organisation has sent in its self-check yet. Come back later to see what they "
            "said.")
    cycle_id = None
else:
    cycle_names = dict(zip(cycles["id"], cycles["name"], strict=True))
    cycle_id = int(st.selectbox("Which round of self-checks", list(cycle_names), key="ys_cycle",
                                format_func=cycle_names.get))

    st.header("How many organisations said each thing")
    counts = cache.frame(section11.rating_counts_by_standard, cycle_id=cycle_id)
    if counts.empty:
        st.info("No organisation has sent in its self-check for this round yet.")
    else:
        table = pd.DataFrame(
            {
                "Doing well": counts["green"].tolist(),
                "Partly": counts["amber"].tolist(),
                "Need to improve": counts["red"].tolist(),
                "All organisations": counts["total"].tolist(),
            },
            index=[f"Standard {n}: {t}" for n, t in zip(counts["standard_number"],
                                                        counts["standard"], strict=True)],
            dtype=object,
        )
        table.loc["All standards"] = [int(counts[c].sum()) for c in
                                      ("green", "amber", "red", "total")]
        shown = suppress_table(table, total_row="All standards", total_column="All organisations")
        shown.index.name = "Standard"
        st.table(shown.reset_index())
        youth.suppression_note()

    st.header("What organisations said about each standard")
    view = cache.frame(section11.youth_view, cycle_id=cycle_id)
    if view.empty:
        st.info("Nothing to show for this round yet.")
    else:
        chosen = int(st.selectbox("Choose a standard", list(standard_names), key="ys_standard",
                                  format_func=standard_names.get))
        about = view[view["standard_id"] == chosen]
        spec = standards[standards["id"] == chosen].iloc[0]
        st.subheader(f"Standard {spec['number']}: {spec['title']}")
        st.markdown(f"**In plain words:** {spec['youth_description']}")
        if about.empty:
            st.info("No organisation rated itself on this standard in this round.")
        for _, row in about.iterrows():
            youth.agency_said_card(row, heading_level=4)

st.header("Challenge an organisation")
agencies = cache.frame(audits.list_agencies)
agency_names = dict(zip(agencies["id"], agencies["name"], strict=True))
if not agency_names:
    st.info("There are no organisations to challenge yet.")
else:
    st.markdown(
        "Ask an organisation a question, or ask it to show proof of what it said. The "
        "partnership's quality assurance officer passes it on and records the answer here."
    )
    with st.form("youth_challenge"):
        agency_id = st.selectbox("Which organisation?", list(agency_names), key="yc_agency",
                                 format_func=agency_names.get)
        standard_id = st.selectbox("Which standard?", list(standard_names), key="yc_standard",
                                   format_func=standard_names.get)
        kind = st.radio("What are you sending?", list(challenges.KIND_LABELS), key="yc_kind",
                        format_func=challenges.KIND_LABELS.get, horizontal=True)
        text = st.text_area(
            "Your challenge", key="yc_text", height=160,
            help=f"Up to {challenges.MAX_CHALLENGE_CHARS:,} characters. Please do not include "
                 "names or details of any child or family.",
        )
        send = st.form_submit_button("Send my challenge", type="primary", key="yc_send")
    if send:
        try:
            challenges.create_challenge(
                engine=get_engine(), username=user.username, agency_id=agency_id,
                standard_id=standard_id, kind=kind, text=text, cycle_id=cycle_id,
            )
        except challenges.ValidationError as error:
            st.error("Your challenge was not sent. " + " ".join(error.problems))
        else:
            cache.clear()
            st.success("Thank you. Your challenge has been sent. You will see the answer below.")

st.header("Your challenges")
mine = cache.frame(challenges.list_challenges, author=user.username)
answers = cache.frame(challenges.list_responses, author=user.username)
if mine.empty:
    st.info("You have not sent any challenges yet.")
for row in mine.itertuples(index=False):
    with st.container(border=True):
        st.subheader(f"To {escape_inline(row.agency)}: standard {row.standard_number}, "
                     f"{escape_inline(row.standard)}")
        st.markdown(f"**{row.kind_label}, sent on {youth.date_words(row.created_at)}:** "
                    f"{escape_markdown(row.text)}")
        st.markdown(f"**Status:** {row.status_label}")
        replies = answers[answers["challenge_id"] == row.id]
        if replies.empty:
            st.markdown("No answer yet.")
        for reply in replies.itertuples(index=False):
            # The answer is the organisation's; the officer who typed it in is not named here.
            st.markdown(f"**Answer from {escape_inline(row.agency)}, recorded on "
                        f"{youth.date_words(reply.created_at)} ({reply.status_label}):** "
                        f"{escape_markdown(reply.text)}")
