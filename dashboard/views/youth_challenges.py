"""The Youth council challenges page: the queue a QA officer answers for the agencies."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import youth
from dashboard.components.plain import escape_inline
from dashboard.components.tables import show_table
from dashboard.exports import download_table
from dashboard.session import CurrentUser
from data_access import challenges
from data_access.db import get_engine
from data_access.models import CHALLENGE_STATUSES

ALL = "all"


def render(user: CurrentUser) -> None:
    """Render the Youth council challenges page for `user` (call after the page's guard)."""
    st.title("Youth council challenges")
    st.caption(
        "Questions and requests for evidence that youth council members have sent to agencies "
        "about their Section 11 self-assessments. Record the agency's answer and the challenge's "
        "status; the young person sees the answer on their page."
    )

    youth.overdue_challenges_notice()

    status = st.selectbox(
        "Show",
        ["open", ALL, *[s for s in CHALLENGE_STATUSES if s != "open"]],
        key="yq_filter",
        format_func=lambda s: "All challenges" if s == ALL else challenges.STATUS_LABELS[s],
    )
    queue = cache.frame(challenges.list_challenges, status=None if status == ALL else status)

    st.header("Challenges")
    if queue.empty:
        st.info(
            "No challenges here. "
            + ("Nothing is waiting for an answer." if status == "open" else "Try another status.")
        )
        st.stop()

    table = pd.DataFrame(
        {
            "Sent": queue["created_at"],
            "From": queue["author"],
            "Agency": queue["agency"],
            "Standard": queue["standard_number"].astype(str) + ". " + queue["standard"],
            "Type": queue["kind_label"],
            "Challenge": queue["text"],
            "Status": queue["status_label"],
            "Waiting": [youth.waiting_words(row) for _, row in queue.iterrows()],
            "Past deadline": queue["overdue"].map({True: "Yes", False: ""}),
            "Responses": queue["responses"],
        }
    )
    show_table(table, key="challenges_df")
    download_table(table, label="challenges", file_stem="youth-challenges", key="dl_challenges")

    st.header("Record an agency's response")
    labels = {
        int(row.id): f"#{row.id} {row.agency} — standard {row.standard_number} ({row.status_label})"
        for row in queue.itertuples(index=False)
    }
    challenge_id = int(
        st.selectbox(
            "Challenge",
            list(labels),
            key="yq_challenge",
            format_func=lambda option: labels.get(option, option),
        )
    )
    chosen = queue[queue["id"] == challenge_id].iloc[0]
    with st.container(border=True):
        st.markdown(
            f"**{chosen['kind_label']}** from {escape_inline(chosen['author'])} to "
            f"**{escape_inline(chosen['agency'])}** "
            f"on {chosen['created_at']:%d %b %Y %H:%M} about standard "
            f"{chosen['standard_number']}, {escape_inline(chosen['standard'])}. "
            f"{youth.waiting_words(chosen)}"
        )
        # The young person's words, as plain text (never Markdown).
        st.text(chosen["text"])

    history = cache.frame(challenges.list_responses, challenge_id=challenge_id)
    if not history.empty:
        st.subheader("Responses so far")
        earlier = history.rename(
            columns={
                "created_at": "Recorded",
                "author": "Recorded by",
                "text": "Response",
                "status_label": "Status after",
            }
        )[["Recorded", "Recorded by", "Response", "Status after"]]
        show_table(earlier, key="responses_df")
        download_table(
            earlier,
            label="responses",
            file_stem=f"challenge-{challenge_id}-responses",
            key="dl_responses",
        )

    with st.form("challenge_response"):
        response = st.text_area(
            "The agency's response *",
            key="yq_text",
            height=160,
            help=f"In words a young person will understand. Up to "
            f"{challenges.MAX_RESPONSE_CHARS:,} characters; no names of children or staff.",
        )
        new_status = st.radio(
            "Status after this response *",
            list(challenges.RESPONSE_STATUSES),
            key="yq_status",
            format_func=challenges.STATUS_LABELS.get,
            horizontal=True,
        )
        save = st.form_submit_button("Save the response", type="primary", key="yq_save")
    if save:
        try:
            challenges.record_response(
                engine=get_engine(),
                username=user.username,
                challenge_id=challenge_id,
                text=response,
                status=new_status,
            )
        except challenges.ValidationError as error:
            st.error("Nothing was saved. " + " ".join(error.problems))
        else:
            cache.clear()
            st.success(
                f"Response saved; challenge #{challenge_id} is now "
                f"{challenges.STATUS_LABELS[new_status].lower()}."
            )
