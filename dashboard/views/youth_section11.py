"""How agencies keep you safe: Section 11 for the youth council, in plain words, with challenges.

Agencies are named with their own ratings: disclosure control protects children, not
organisations, so counts of organisations are shown as they are. Only approved plain-words texts
appear (data_access.youth_texts); staff evidence never does. Staff see a read-only preview.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import cache
from dashboard.components import filters, youth
from dashboard.components.plain import escape_inline
from dashboard.metrics.suppression import symbols_in
from dashboard.session import CurrentUser
from dashboard.views import youth_section11_summary as youth_summary
from data_access import agency_choice, challenges, section11
from data_access.db import get_engine

PAGE = "youth_section11"
# The card whose challenge form is open, as (agency id, standard id); none is open at first.
CARD_OPEN_KEY = "yc_card_open"
# A challenge sent from a card: (agency id, standard id), shown as "sent" on that card once.
CARD_SENT_KEY = "yc_card_sent"
AGENCY_PLACEHOLDER = "Choose an organisation"
STANDARD_PLACEHOLDER = "Choose a standard"


def _open_card(target: tuple[int, int]) -> None:
    st.session_state[CARD_OPEN_KEY] = target
    st.session_state.pop(CARD_SENT_KEY, None)


def _close_card() -> None:
    st.session_state.pop(CARD_OPEN_KEY, None)


def send_challenge(
    user: CurrentUser,
    *,
    agency_id: int | None,
    standard_id: int | None,
    kind: str,
    text: str,
    cycle_id: int | None,
) -> bool:
    """Save a challenge, or say plainly why nothing was sent (no organisation chosen, no text,
    ...). True when it was saved."""
    try:
        challenges.create_challenge(
            engine=get_engine(),
            username=user.username,
            agency_id=agency_id,
            standard_id=standard_id,
            kind=kind,
            text=text,
            cycle_id=cycle_id,
        )
    except challenges.ValidationError as error:
        st.error("Your challenge was not sent. " + " ".join(error.problems))
        return False
    cache.clear()
    return True


def card_challenge(
    row: pd.Series, *, user: CurrentUser, viewer: youth.YouthViewer, cycle_id: int | None
) -> None:
    """Inside an organisation's card: a "Challenge <organisation>" button, and once it is pressed
    the challenge form for that organisation and the card's standard, right there (on a phone the
    form at the end of the page is thousands of pixels away)."""
    target = (int(row["agency_id"]), int(row["standard_id"]))
    name = str(row["agency"])
    if st.session_state.get(CARD_SENT_KEY) == target:
        st.success(
            f"Thank you. Your challenge to {escape_inline(name)} has been sent. You will see the "
            "answer under Your challenges."
        )
    if st.session_state.get(CARD_OPEN_KEY) != target:
        st.button(
            f"Challenge {name}",
            key=f"yc_card_{target[0]}_{target[1]}",
            on_click=_open_card,
            args=(target,),
            disabled=viewer.preview,
            icon=":material/forum:",
            help=None
            if not viewer.preview
            else "Preview: young people can send a challenge from here.",
        )
        return
    with st.form("youth_card_challenge"):
        st.markdown(
            f"**Your challenge to {escape_inline(name)}, about standard "
            f"{int(row['standard_number'])}: {escape_inline(str(row['standard']))}**"
        )
        kind = st.radio(
            "What are you sending?",
            list(challenges.KIND_LABELS),
            key="ycc_kind",
            format_func=challenges.KIND_LABELS.get,
            horizontal=True,
        )
        text = st.text_area(
            "Your challenge",
            key="ycc_text",
            height=160,
            help=f"Up to {challenges.MAX_CHALLENGE_CHARS:,} characters. Please do not include "
            "names or details of any child or family.",
        )
        send = st.form_submit_button("Send my challenge", type="primary", key="ycc_send")
    if send and viewer.can_send:
        sent = send_challenge(
            user,
            agency_id=target[0],
            standard_id=target[1],
            kind=kind,
            text=text,
            cycle_id=cycle_id,
        )
        if sent:
            st.session_state.pop(CARD_OPEN_KEY, None)
            st.session_state[CARD_SENT_KEY] = target
            st.session_state.pop("ycc_text", None)
            st.rerun()
    st.button("Close without sending", key="ycc_close", on_click=_close_card)


def counts_table_html(
    rows: list[dict[str, object]],
    columns: list[tuple[str, str]],
    *,
    caption: str,
    label_column: str,
) -> str:
    """A narrow, accessible HTML table (caption, th scope) that fits a phone without sideways
    scrolling. `columns` are (key, heading); the first is the row heading; values are escaped."""
    number_class = ' class="num"'
    head = "".join(
        f'<th scope="col"{number_class if key != label_column else ""}>{html.escape(title)}</th>'
        for key, title in columns
    )
    body = []
    for row in rows:
        cells = []
        for key, _title in columns:
            value = html.escape(str(row.get(key, "")))
            if key == label_column:
                cells.append(f'<th scope="row">{value}</th>')
            else:
                cells.append(f'<td class="num">{value}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="youth-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def render(user: CurrentUser) -> None:
    """Render the How agencies keep you safe page for `user` (call after the page's guard)."""
    youth.inject_youth_styles()
    viewer = youth.youth_viewer(user, PAGE, cache.frame(challenges.youth_members))

    st.title("How agencies keep you safe")
    st.markdown(
        "Every organisation that works with children has to check how well it keeps them safe. "
        "This is called a **Section 11 self-check**. For each of 11 standards, the organisation "
        "says if it is doing well, partly doing it, or needs to improve. You can read what each "
        "one said, and ask it a question or for proof."
    )

    cycles = cache.frame(section11.list_cycles)
    standards = cache.frame(section11.list_standards)
    standard_names = {
        int(row.id): f"{row.number}. {row.title}" for row in standards.itertuples(index=False)
    }
    ratings_shown: set[str] = set()
    symbols_shown: list[str] = []

    if cycles.empty:
        st.info(
            "No organisation has sent in its self-check yet. Come back later to see what they said."
        )
        cycle_id = None
    else:
        cycle_names = {
            int(row.id): youth_summary.cycle_words(row.opens_on)
            for row in cycles.itertuples(index=False)
        }
        cycle_id = int(
            st.selectbox(
                "Which round of self-checks",
                list(cycle_names),
                key="ys_cycle",
                format_func=lambda option: cycle_names.get(option, option),
            )
        )
        # Counted in the store: the page never fetches every organisation's rating to count them.
        groups = cache.frame(section11.youth_rating_groups, cycle_id=cycle_id)
        counts = youth_summary.counts_from_groups(groups)
        submitted = not groups.empty

        st.header("How many organisations said each thing")
        if not submitted:
            st.info("No organisation has sent in its self-check for this round yet.")
        else:
            st.markdown(
                "These numbers count organisations, not children, so we show every one. Each one "
                f"rated itself on each standard. {int(groups['organisations'].iloc[0])} "
                "organisations sent in "
                "a self-check this time."
            )
            rows = counts.to_dict("records")
            st.markdown(
                counts_table_html(
                    rows,
                    youth_summary.COUNT_COLUMNS,
                    label_column="standard",
                    caption="How many organisations said each thing, for each standard",
                ),
                unsafe_allow_html=True,
            )
            ratings_shown |= {"green", "amber", "red"}
            symbols_shown = symbols_in(
                [str(r[k]) for r in rows for k, _ in youth_summary.COUNT_COLUMNS[1:]]
            )

        st.header("What each organisation said")
        if not submitted:
            st.info("Nothing to show for this round yet.")
        else:
            chosen = int(
                st.selectbox(
                    "Choose a standard",
                    list(standard_names),
                    key="ys_standard",
                    format_func=lambda option: standard_names.get(option, option),
                )
            )
            spec = standards[standards["id"] == chosen].iloc[0]
            st.subheader(f"Standard {spec['number']}: {spec['title']}")
            st.markdown(f"**In plain words:** {spec['youth_description']}")
            # A card per organisation, a page of them at a time, fetched a page at a time:
            # thousands of cards on every rerun would make the page slow for everyone.
            card_pages = cache.frame(
                section11.youth_card_pages,
                cycle_id=cycle_id,
                standard_id=chosen,
                per_page=youth.CARDS_PER_PAGE,
            )
            offset = youth.card_page_offset(card_pages, key=f"ys_card_page_{chosen}")
            about = cache.frame(
                section11.youth_view,
                cycle_id=cycle_id,
                standard_id=chosen,
                offset=offset,
                limit=youth.CARDS_PER_PAGE,
            )
            if about.empty:
                st.info("None of them rated themselves on this standard this time.")
            for _, row in about.iterrows():
                youth.agency_card(
                    row,
                    heading_level=4,
                    action=lambda r: card_challenge(r, user=user, viewer=viewer, cycle_id=cycle_id),
                )
            ratings_shown |= set(about["rating"])

        st.header("What the symbols mean")
        youth.legend(symbols_shown, ratings=ratings_shown)

        if submitted:
            st.header("Take it away")
            st.markdown(
                "A one-page summary of this round in plain words, for the youth council's own "
                "report."
            )
            # Every organisation's rating is read only when a summary is asked for.
            summary_of = youth_summary.lazy_summary(
                lambda: section11.youth_view(engine=get_engine(), cycle_id=cycle_id),
                cycle_names[cycle_id],
                cache.frame(challenges.list_challenges),
            )
            left, right = st.columns(2)
            # The files are made when a button is pressed (the PDF takes seconds), not on every run.
            left.download_button(
                "Download the summary (web page)",
                lambda: youth_summary.summary_html(summary_of()),
                file_name=f"section-11-summary-{cycle_id}.html",
                mime="text/html",
                key="ys_summary_html",
                on_click="ignore",
            )
            right.download_button(
                "Download the summary (PDF)",
                lambda: youth_summary.summary_pdf(summary_of()),
                file_name=f"section-11-summary-{cycle_id}.pdf",
                mime="application/pdf",
                key="ys_summary_pdf",
                on_click="ignore",
            )

    st.header("Challenge an organisation")
    has_agencies = bool(cache.query(agency_choice.count_agencies))
    if not has_agencies:
        st.info("There are no organisations to challenge yet.")
    else:
        st.markdown(
            "Ask an organisation a question, or ask it to show proof of what it said. The "
            "partnership's checking officer passes it on and writes the answer here. You can "
            "also press **Challenge** on an organisation's card above."
        )
        if viewer.preview:
            st.caption("Preview: the form is shown as young people see it, but it cannot be sent.")
        # The agency the sender chose, read before the list is rebuilt: if it has closed since the
        # form was drawn it is still listed (and refused when sent), so the challenge never goes
        # silently to another agency.
        requested_agency = st.session_state.get("yc_agency")
        # Thousands of organisations are too many for one list: above filters.MAX_AGENCY_OPTIONS
        # a kind of organisation and a search box (outside the form, so they narrow the list at
        # once) come first, and the store sends at most that many.
        offered_agencies = filters.store_agency_options(
            st.container(),
            key="yc",
            sector_label="Which kind of organisation?",
            search_label="Find an organisation",
            nouns=("organisation", "organisations"),
            current=requested_agency,
        )
        agency_names = dict(zip(offered_agencies["id"], offered_agencies["name"], strict=True))
        offered = list(agency_names)
        with st.form("youth_challenge"):
            # No organisation or standard is chosen for the sender: a challenge must never go
            # to the first one in the list because nobody changed it.
            agency_id = st.selectbox(
                "Which organisation?",
                offered,
                index=None,
                placeholder=AGENCY_PLACEHOLDER,
                key="yc_agency",
                format_func=lambda option: agency_names.get(option, option),
                disabled=viewer.preview,
            )
            standard_id = st.selectbox(
                "Which standard?",
                list(standard_names),
                index=None,
                placeholder=STANDARD_PLACEHOLDER,
                key="yc_standard",
                format_func=lambda option: standard_names.get(option, option),
                disabled=viewer.preview,
            )
            kind = st.radio(
                "What are you sending?",
                list(challenges.KIND_LABELS),
                key="yc_kind",
                format_func=challenges.KIND_LABELS.get,
                horizontal=True,
                disabled=viewer.preview,
            )
            text = st.text_area(
                "Your challenge",
                key="yc_text",
                height=160,
                disabled=viewer.preview,
                help=f"Up to {challenges.MAX_CHALLENGE_CHARS:,} characters. Please do not include "
                "names or details of any child or family.",
            )
            send = st.form_submit_button(
                "Send my challenge", type="primary", key="yc_send", disabled=viewer.preview
            )
        if (
            send
            and viewer.can_send
            and send_challenge(
                user,
                agency_id=None if agency_id is None else int(agency_id),
                standard_id=None if standard_id is None else int(standard_id),
                kind=kind,
                text=text,
                cycle_id=cycle_id,
            )
        ):
            st.success("Thank you. Your challenge has been sent. You will see the answer below.")

    st.header("Your challenges")
    mine = (
        cache.frame(challenges.list_challenges, author=viewer.as_username)
        if viewer.as_username
        else None
    )
    answers = (
        cache.frame(challenges.list_responses, author=viewer.as_username)
        if viewer.as_username
        else None
    )
    if mine is None or mine.empty:
        st.info("You have not sent any challenges yet.")
    else:
        assert answers is not None  # read with `mine`, for the same viewer
        for row in mine.itertuples(index=False):
            with st.container(border=True):
                st.subheader(
                    f"To {escape_inline(row.agency)}: standard {row.standard_number}, "
                    f"{escape_inline(row.standard)}"
                )
                youth.labelled_text(
                    f"{row.kind_label}, sent on {youth.date_words(row.created_at)}:", row.text
                )
                st.markdown(f"**Status:** {row.status_label}. {youth.waiting_words(row)}")
                replies = answers[answers["challenge_id"] == row.id]
                for reply in replies.itertuples(index=False):
                    # The answer is the organisation's; the officer who typed it in is not named.
                    youth.labelled_text(
                        f"Answer from {row.agency}, written on "
                        f"{youth.date_words(reply.created_at)} ({reply.status_label}):",
                        reply.text,
                    )
