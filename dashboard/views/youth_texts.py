"""The Texts for young people page: write plain-words versions of staff texts; approve them."""

from __future__ import annotations

import streamlit as st

from dashboard import cache
from dashboard.components import filters
from dashboard.components.plain import escape_inline, escape_markdown
from dashboard.components.tables import show_table, status_words
from dashboard.session import CurrentUser
from data_access import agency_choice, assurance, catalogue, learning, section11, youth_texts
from data_access.db import get_engine
from data_access.indicators import list_periods
from data_access.periods import Quarter

PAGE = "youth_texts"

SAVED_KEY = "youth_texts_saved"

SUBJECT_LABELS = {
    "theme_point": "A theme's summary: what is going well, what is not, what happens next",
    "s11_evidence": "Section 11: what an organisation told us",
    "s11_action": "Section 11: what an organisation says it will do",
    "learning": "What the partnership learned from a review and changed",
}

CATEGORY_WORDS = {
    "working_well": "What is going well",
    "not_working_well": "What is not going well yet",
    "next_steps": "What happens next",
}


def show_flags(text: str) -> bool:
    """Show why a text is not ready for young people; True when it is ready."""
    known = cache.query(
        youth_texts.known_words, words=tuple(sorted(youth_texts.name_candidates(text)))
    )
    flags = youth_texts.check_text(text, known=known)
    for flag in flags:
        st.warning(escape_markdown(flag.message))
    return not flags


def render(user: CurrentUser) -> None:
    """Render the Texts for young people page for `user` (call after the page's guard)."""
    st.title("Texts for young people")
    st.info(
        f"**{youth_texts.WHO_READS}** The youth pages never show what staff wrote for staff: only "
        "the versions written here and approved by a second person. Write in short sentences, "
        "leave out numbers from 1 to 5, names, ages and places smaller than the borough.",
        icon=":material/groups:",
    )
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved:
        st.success(saved)

    st.header("Write a text")
    subject = st.radio(
        "What is it for?",
        list(SUBJECT_LABELS),
        format_func=lambda o: str(SUBJECT_LABELS.get(o, o)),
        key="yt_subject",
    )
    subject_key: str | None = None
    purpose = ""
    staff_text: list[str] = []
    if subject == "theme_point":
        themes = {t.code: t.name for t in catalogue.themes()}
        periods = cache.frame(list_periods)
        if periods.empty:
            st.info("There are no quarters in the store yet.")
        else:
            left, middle, right = st.columns(3)
            theme_code = left.selectbox(
                "Theme",
                list(themes),
                format_func=lambda option: themes.get(option, option),
                key="yt_theme",
            )
            codes = list(reversed(list(periods["code"])))
            period_code = middle.selectbox(
                "Three months",
                codes,
                key="yt_quarter",
                format_func=lambda c: Quarter.parse(c).months_label(),
            )
            category = right.selectbox(
                "Which part",
                list(CATEGORY_WORDS),
                format_func=lambda option: CATEGORY_WORDS.get(option, option),
                key="yt_category",
            )
            subject_key = youth_texts.theme_point_key(theme_code, period_code, category)
            purpose = (
                f"{themes[theme_code]}, {Quarter.parse(period_code).months_label()}: "
                f"{CATEGORY_WORDS[category].lower()}"
            )
            items = cache.frame(assurance.summaries, period_code=period_code, theme_code=theme_code)
            staff_text = list(items[items["category"] == category]["text"])
    elif subject == "learning":
        reviews = cache.frame(learning.learning_for_young_people)
        if reviews.empty:
            st.info("No review's learning has been recorded yet.")
        else:
            labels = dict(zip(reviews["key"], reviews["label"], strict=True))
            subject_key = str(
                st.selectbox(
                    "Review",
                    list(labels),
                    format_func=lambda o: str(labels.get(o, o)),
                    key="yt_learning_review",
                )
            )
            chosen = reviews.set_index("key").loc[subject_key]
            purpose = f"What the partnership learned and changed after {chosen['reference']}"
            staff_text = [str(chosen["learning"])]
    else:
        cycles = cache.frame(section11.list_cycles)
        standards = cache.frame(section11.list_standards)
        if cycles.empty or not cache.query(agency_choice.count_agencies, active_only=False):
            st.info("There are no Section 11 returns in the store yet.")
        else:
            left, middle, right = st.columns(3)
            cycle_names = dict(zip(cycles["id"], cycles["name"], strict=True))
            cycle_id = int(
                left.selectbox(
                    "Round",
                    list(cycle_names),
                    format_func=lambda option: cycle_names.get(option, option),
                    key="yt_cycle",
                )
            )
            # The store sends at most filters.MAX_AGENCY_OPTIONS organisations, with a sector and a
            # search box when there are more.
            agencies = filters.store_agency_options(
                middle,
                key="yt",
                active_only=False,
                current=st.session_state.get("yt_agency"),
                sector_label="Sector",
                search_label="Find an organisation",
                nouns=("organisation", "organisations"),
            )
            agency_names = dict(zip(agencies["id"], agencies["name"], strict=True))
            if agency_names:
                agency_id = int(
                    middle.selectbox(
                        "Organisation",
                        list(agency_names),
                        format_func=lambda option: agency_names.get(option, option),
                        key="yt_agency",
                    )
                )
                standard_titles = dict(
                    zip(
                        standards["number"],
                        standards["number"].astype(str) + ". " + standards["title"],
                        strict=True,
                    )
                )
                number = int(
                    right.selectbox(
                        "Standard",
                        list(standard_titles),
                        format_func=lambda option: standard_titles.get(option, option),
                        key="yt_standard",
                    )
                )
                code = str(agencies.set_index("id").at[agency_id, "code"])
                subject_key = youth_texts.s11_key(cycle_names[cycle_id], code, number)
                what = "told us" if subject == "s11_evidence" else "will do"
                purpose = (
                    f"What {agency_names[agency_id]} {what}, standard {number}, "
                    f"{cycle_names[cycle_id]} round"
                )
                detail = cache.frame(
                    section11.agency_detail, cycle_id=cycle_id, agency_id=agency_id
                )
                detail = detail[detail["standard_number"] == number]
                column = "evidence_summary" if subject == "s11_evidence" else "improvement_action"
                staff_text = [str(t) for t in detail[column].dropna()]

    if subject_key is not None:
        st.markdown("**What staff wrote (young people will not see this):**")
        if staff_text:
            st.text("\n".join(staff_text))
        else:
            st.caption("Staff have not written anything for this yet.")
        current = cache.frame(youth_texts.approved_texts, subject=subject, keys=(subject_key,))
        if not current.empty:
            st.markdown("**The version young people see now:**")
            st.text(current.iloc[0]["text"])

        with st.form("youth_text_form"):
            st.markdown(f"**For:** {escape_inline(purpose)}. {youth_texts.WHO_READS}")
            text = st.text_area(
                "Text for young people",
                key="yt_text",
                height=150,
                max_chars=youth_texts.MAX_TEXT_CHARS,
                help="One point per line. It is checked before it can be saved.",
            )
            submitted = st.form_submit_button(
                "Check and save for approval", type="primary", key="yt_save"
            )
        if submitted:
            try:
                youth_texts.submit_text(
                    engine=get_engine(),
                    username=user.username,
                    subject=subject,
                    subject_key=subject_key,
                    purpose=purpose,
                    text=text,
                    page=PAGE,
                )
            except youth_texts.YouthTextError as error:
                st.error("Not saved yet. Please change the text:")
                for problem in error.problems:
                    st.warning(escape_markdown(problem))
            else:
                cache.clear()
                st.session_state[SAVED_KEY] = (
                    "Saved. Another member of staff must approve it before young people see it."
                )
                st.rerun()

    st.header("Waiting for approval")
    waiting = cache.frame(youth_texts.list_texts, status="waiting")
    if waiting.empty:
        st.info("No texts are waiting for approval.")
    for row in waiting.itertuples(index=False):
        with st.container(border=True, key=f"yt_waiting_{row.id}"):
            st.markdown(
                f"**{escape_inline(row.purpose)}** (written by {escape_inline(row.author)})"
            )
            st.text(row.text)
            ready = show_flags(row.text)
            own = row.author == user.username
            if own:
                st.caption("You wrote this, so someone else must approve it.")
            left, right = st.columns(2)
            if left.button(
                "Approve", key=f"yt_approve_{row.id}", disabled=own or not ready, type="primary"
            ):
                try:
                    youth_texts.approve_text(
                        engine=get_engine(), username=user.username, text_id=int(row.id), page=PAGE
                    )
                except youth_texts.YouthTextError as error:
                    st.error("Not approved. " + " ".join(error.problems))
                else:
                    cache.clear()
                    st.session_state[SAVED_KEY] = "Approved. Young people can now read it."
                    st.rerun()
            with right.popover("Send back"):
                note = st.text_area("What should change?", key=f"yt_note_{row.id}")
                if st.button("Send back to the author", key=f"yt_return_{row.id}"):
                    try:
                        youth_texts.return_text(
                            engine=get_engine(),
                            username=user.username,
                            text_id=int(row.id),
                            note=note,
                            page=PAGE,
                        )
                    except youth_texts.YouthTextError as error:
                        st.error(" ".join(error.problems))
                    else:
                        cache.clear()
                        st.session_state[SAVED_KEY] = "Sent back to the author."
                        st.rerun()

    st.header("All texts")
    history = cache.frame(youth_texts.list_texts)
    if history.empty:
        st.info("No texts for young people have been written yet.")
    else:
        texts = history.assign(status=history["status"].map(status_words))
        show_table(
            texts.rename(
                columns={
                    "purpose": "For",
                    "text": "Text",
                    "author": "Written by",
                    "created_at": "Written",
                    "status": "Status",
                    "approver": "Approved by",
                    "approved_at": "Approved",
                    "note": "Note",
                }
            )[
                [
                    "For",
                    "Text",
                    "Written by",
                    "Written",
                    "Status",
                    "Approved by",
                    "Approved",
                    "Note",
                ]
            ],
            key="youth_texts_df",
        )
