"""Readable text, plain-language cards and the staff preview for the youth council's pages."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.components.plain import escape_html, escape_inline
from dashboard.metrics.suppression import SYMBOL_SENTENCES
from dashboard.session import CurrentUser
from data_access import audit_log
from data_access.db import get_engine

# Modest and scoped to the main area: larger base text, generous line height, dark text on white
# (contrast well above 4.5:1; the focus ring is the app's own, dashboard/components/app_styles.py),
# and nothing wider than the screen on a phone (long words wrap; tables scroll inside themselves
# only as a last resort).
YOUTH_CSS = """
<style>
[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] .stMarkdown li,
[data-testid="stMain"] label p, [data-testid="stMain"] [data-testid="stCaptionContainer"] p,
[data-testid="stMain"] .youth-text {
  font-size: 1.2rem; line-height: 1.6; overflow-wrap: anywhere;
}
[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] .stMarkdown li,
[data-testid="stMain"] .youth-text { color: #0b0c0c; }
[data-testid="stMain"] textarea, [data-testid="stMain"] input { font-size: 1.15rem; }
[data-testid="stMain"] [data-testid="stTable"] td,
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td p {
  font-size: 1.1rem; color: #0b0c0c; overflow-wrap: anywhere;
}
[data-testid="stMain"] h1 { font-size: 2.4rem; }
[data-testid="stMain"] h2 { font-size: 1.9rem; margin-top: 1.2rem; }
[data-testid="stMain"] h3 { font-size: 1.45rem; }
[data-testid="stMain"] button { min-height: 44px; }
/* Streamlit's 16 px "link to heading" icons are too small to tap and mean nothing here. */
[data-testid="stMain"] [data-testid="stHeaderActionElements"] { display: none; }
.youth-rating { display: inline-block; font-weight: 700; padding: 0.1rem 0.6rem;
  border-radius: 0.3rem; border: 2px solid #0b0c0c; background: #ffffff; color: #0b0c0c; }
.youth-text { margin: 0 0 1rem 0; }
/* Automatic layout: number columns shrink to their widest word, so headings wrap between
   words ("Need / to / improve"), never inside one, and the standard's name takes the rest. */
.youth-table { border-collapse: collapse; width: 100%; }
.youth-table th, .youth-table td { border-bottom: 1px solid #b1b4b6; padding: 0.4rem 0.3rem;
  text-align: left; vertical-align: top; color: #0b0c0c; overflow-wrap: break-word; }
.youth-table td.num, .youth-table th.num { text-align: right; width: 1%; }
.youth-table th.num { white-space: nowrap; }
.youth-table caption { text-align: left; font-weight: 700; padding-bottom: 0.3rem;
  color: #0b0c0c; }
@media (max-width: 480px) {
  [data-testid="stMain"] h1 { font-size: 1.9rem; }
  [data-testid="stMain"] h2 { font-size: 1.5rem; }
  [data-testid="stMain"] h3 { font-size: 1.25rem; }
  .youth-table th, .youth-table td { font-size: 1rem; padding: 0.4rem 0.2rem; }
  .youth-table th.num { white-space: normal; }
}
</style>
"""

# A symbol and words for each self-rating (never colour alone).
RATING_SYMBOLS = {"green": "✔", "amber": "◐", "red": "✖"}
RATING_SENTENCES = {
    "green": "✔ means the organisation thinks it is doing well.",
    "amber": "◐ means the organisation thinks it is partly doing this.",
    "red": "✖ means the organisation thinks it needs to improve.",
}
PREVIEW_STATE_KEY = "youth_preview_logged"


def inject_youth_styles() -> None:
    """Add the youth pages' larger-text CSS (once per run, before any content)."""
    st.markdown(YOUTH_CSS, unsafe_allow_html=True)


def labelled_text(label: str, text: object) -> None:
    """A bold label (the code's words) followed by someone's text, in one block.

    The text is escaped and its line breaks become <br>: an HTML block ends at a blank line,
    after which Markdown would apply again, so the block has none and nothing is read as
    Markdown or HTML.
    """
    body = escape_html(str(text or "").strip()).splitlines()
    st.markdown(
        f'<div class="youth-text"><strong>{html.escape(label)}</strong> '
        + "<br>".join(body)
        + "</div>",
        unsafe_allow_html=True,
    )


def rating_html(rating: str, words: str) -> str:
    """The self-rating as a bordered label: a symbol (hidden from screen readers) and words."""
    symbol = RATING_SYMBOLS.get(rating, "")
    return (
        f'<span class="youth-rating"><span aria-hidden="true">{symbol}</span> '
        f"{html.escape(words)}</span>"
    )


def date_words(value: object) -> str:
    """'3 March 2025' from a date or timestamp ('' when missing)."""
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%B %Y}"


def duration_words(days: int) -> str:
    """A length of time as a young person would say it: 'today', '1 day', '3 weeks',
    '4 months', '1 year and 2 months'."""
    days = max(0, int(days))
    if days == 0:
        return "less than a day"
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 61:
        weeks = days // 7
        return f"{weeks} weeks"
    months = days * 12 // 365
    if months < 12:
        return f"{months} months"
    years, rest = divmod(months, 12)
    year_words = f"{years} year{'s' if years != 1 else ''}"
    if rest == 0:
        return year_words
    return f"{year_words} and {rest} month{'s' if rest != 1 else ''}"


def waiting_words(row: object) -> str:
    """How long a challenge waited, or how long its answer took (one rule for every page)."""
    days = int(
        getattr(row, "waited_days", 0) if not isinstance(row, pd.Series) else row["waited_days"]
    )
    answered = bool(
        getattr(row, "answered", False) if not isinstance(row, pd.Series) else row["answered"]
    )
    if answered:
        return f"The answer took {duration_words(days)}."
    return f"It has been waiting for {duration_words(days)}."


# Organisations' cards shown at once; the rest are a choice of page away.
CARDS_PER_PAGE = 20


def card_page_offset(pages: pd.DataFrame, *, key: str) -> int:
    """Where the page of cards the reader chose starts (0 for the first), from the pages the store
    numbered (`data_access.section11.youth_card_pages`); a choice only when there is more than
    one page.

    The choice names the organisations on each page ("1-20: Aston Academy to Bright Start"), so a
    reader looking for one organisation can find its page without counting.
    """
    if len(pages) <= 1:
        return 0
    # Numbered, so two pages never share a label even when organisations share a name.
    labels = {
        f"{row.first_row}-{row.last_row}: {row.first} to {row.last}": int(row.first_row) - 1
        for row in pages.itertuples(index=False)
    }
    total = int(pages["last_row"].iloc[-1])
    st.markdown(
        f"{total:,} groups marked how well they do on this. You can see "
        f"{CARDS_PER_PAGE} at a time, A to Z."
    )
    choice = st.selectbox("Which organisations to show", list(labels), key=key)
    return labels.get(choice, 0)


def agency_card(
    row: pd.Series,
    *,
    heading_level: int = 4,
    action: Callable[[pd.Series], None] | None = None,
) -> None:
    """What one agency said about itself for one standard, what changed, and what it will do.

    Only approved plain-words versions are shown; without one, the card says so rather than
    showing the staff text. `action(row)`, when given, draws inside the card after the text (the
    "Challenge ..." button, or the challenge form once it is pressed).
    """
    marker = "#" * heading_level
    with st.container(border=True):
        st.markdown(f"{marker} {escape_inline(row['agency'])}")
        st.markdown(rating_html(row["rating"], row["youth_rating"]), unsafe_allow_html=True)
        change = row["change_words"]
        before = row.get("previous_youth_rating")
        if row["change"] in ("improved", "declined") and isinstance(before, str):
            change = f"{change}. Last time they said: “{before}”."
        elif row["change"] == "same":
            change = f"{change}."
        else:
            change = f"{change}."
        st.markdown(f"**Since last time:** {html.escape(change)}", unsafe_allow_html=True)
        told = row.get("told_us")
        labelled_text(
            "What they told us:",
            told
            if isinstance(told, str) and told.strip()
            else "This has not been written in plain words yet.",
        )
        promise = row.get("will_do")
        if isinstance(promise, str) and promise.strip():
            labelled_text("What they say they will do:", promise)
        elif row["rating"] == "green":
            labelled_text(
                "What they say they will do:",
                "They did not say they needed to change anything for this standard.",
            )
        else:
            labelled_text(
                "What they say they will do:", "This has not been written in plain words yet."
            )
        if action is not None:
            action(row)


def legend(symbols: Iterable[str], *, ratings: Iterable[str] = ()) -> None:
    """Explain only the symbols the page shows, one sentence each (nothing when there are none).

    `symbols` are GSS symbols and 0 as shown (see suppression.symbols_in); `ratings` the
    self-ratings whose symbols the page shows.
    """
    lines = [RATING_SENTENCES[r] for r in RATING_SYMBOLS if r in set(ratings)]
    lines += [SYMBOL_SENTENCES[s] for s in SYMBOL_SENTENCES if s in set(symbols)]
    if lines:
        st.markdown("\n".join(f"- {line}" for line in lines))


@dataclass(frozen=True)
class YouthViewer:
    """Who a youth page is for: a youth council member, or staff previewing read-only."""

    user: CurrentUser
    as_username: str  # whose challenges the page shows
    preview: bool

    @property
    def can_send(self) -> bool:
        return not self.preview


def youth_viewer(user: CurrentUser, page_key: str, youth_members: pd.DataFrame) -> YouthViewer:
    """The youth council member sees their own page; staff see a read-only preview of a member's
    page, chosen from `youth_members` (username, display_name), and the preview is logged once
    per page and member in the session."""
    if user.role == "youth_council":
        return YouthViewer(user, user.username, preview=False)
    st.info(
        "Preview: this is the page exactly as a youth council member sees it. It is read-only: "
        "you cannot send a challenge from here. Opening it is written to the audit log.",
        icon=":material/visibility:",
    )
    names = dict(
        zip(youth_members.get("username", []), youth_members.get("display_name", []), strict=True)
    )
    as_username = ""
    if names:
        as_username = st.selectbox(
            "See the page as",
            list(names),
            key=f"{page_key}_preview_as",
            format_func=lambda u: f"{names[u]} ({u})",
        )
    logged: set[tuple[str, str]] = st.session_state.setdefault(PREVIEW_STATE_KEY, set())
    if (page_key, as_username) not in logged:
        audit_log.record_event(
            engine=get_engine(),
            username=user.username,
            event="youth_preview",
            page=page_key,
            detail=f"previewed {page_key} as the youth council sees it"
            + (f" (as {as_username})" if as_username else ""),
        )
        logged.add((page_key, as_username))
    return YouthViewer(user, as_username, preview=True)


def overdue_challenges_notice(
    user: CurrentUser | None = None,
    *,
    overdue: pd.DataFrame | None = None,
    deadline_days: int | None = None,
) -> None:
    """Tell staff which youth challenges are past the partnership's deadline, with their age.

    Reads data_access.challenges.overdue_challenges() unless `overdue` is given; shows nothing
    when none is late. A link to the challenge queue is added for roles that may open it.
    """
    from dashboard import cache, navigation
    from data_access import challenges
    from data_access.config import challenge_deadline_days

    deadline = deadline_days if deadline_days is not None else challenge_deadline_days()
    if overdue is None:
        overdue = cache.frame(challenges.overdue_challenges, deadline_days=deadline)
    if overdue.empty:
        return
    count = len(overdue)
    lines = [
        f"- {escape_inline(row.agency)}, standard {int(row.standard_number)}: sent "
        f"{date_words(row.created_at)}, waiting {duration_words(int(row.waited_days))}"
        for row in overdue.head(10).itertuples(index=False)
    ]
    more = f"\n- and {count - 10} more" if count > 10 else ""
    with st.container(key="overdue_challenges"):
        st.warning(
            f"**{count} youth council challenge{'s are' if count != 1 else ' is'} past the "
            f"{deadline}-day deadline for an answer.**\n" + "\n".join(lines) + more,
            icon=":material/schedule:",
        )
        spec = navigation.page("youth_challenges")
        if user is not None and user.role in spec.roles:
            from streamlit.errors import StreamlitAPIException

            try:
                st.page_link(
                    str(spec.path), label="Open the challenge queue", icon=spec.icon or None
                )
            except StreamlitAPIException:  # the page runs alone (AppTest): a plain link
                st.markdown(f"[Open the challenge queue](/{spec.url_path})")
