"""Texts for young people: plain-words versions of staff texts, approved by a second person.

Staff write summaries and Section 11 evidence for staff. The youth pages never show those; they
show only a version written for young people, which a second member of staff approves. Before a
text can be saved or approved it is checked (`check_text`): no digits 1 to 5 (a small number can
point to a child), no name-like words, "Child X" labels or ages, none of the professional terms
in `PLAIN_WORDS` (each has a plain alternative), and a Flesch reading ease of at least 60.
The same check runs in the test suite over every fixed youth text the product ships.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
import textstat

from data_access import audit_log
from data_access.clock import utc_now
from data_access.db import session_scope
from data_access.models import (
    YOUTH_TEXT_SUBJECTS,
    Agency,
    Locality,
    S11Standard,
    Theme,
    YouthText,
)
from data_access.queries_common import frame

MAX_TEXT_CHARS = 2000
# Flesch reading ease: 60-70 is "plain English", read easily by 13 to 15 year olds.
MIN_READING_EASE = 60.0
# The formula is unstable on a few words ("Answer accepted" scores below 40), so it is applied
# to texts of at least this many words; shorter texts still get every other check.
READING_EASE_MIN_WORDS = 10
WHO_READS = "Young people on the youth council will read this."

# Professional terms young people should not meet, each with the plain words to use instead.
# Lower case; matched as whole words or phrases, ignoring case.
PLAIN_WORDS: dict[str, str] = {
    "lead practitioner": "the main worker for the family",
    "stepped down": "moved to lighter support",
    "step down": "move to lighter support",
    "step-down": "move to lighter support",
    "stepped up": "moved to more support",
    "statutory": "required by law",
    "cohort": "group",
    "county lines": "gangs using young people to carry drugs",
    "dip sample": "a check of some records",
    "multi-agency": "different organisations together",
    "mash": "the team that first looks at worries about a child",
    "strategy discussion": "a meeting to plan how to keep a child safe",
    "strategy meeting": "a meeting to plan how to keep a child safe",
    "threshold": "the level of worry needed for help",
    "safeguarding partners": "the council, police and NHS working together",
    "designated safeguarding lead": "the person in charge of keeping children safe",
    "dsl": "the person in charge of keeping children safe",
    "section 47": "a check on whether a child is at risk of harm",
    "child protection plan": "a plan to keep a child safe from harm",
    "cse": "sexual exploitation",
    "cce": "criminal exploitation",
    "extra-familial harm": "harm from people outside the family",
    "escalation": "raising a worry with someone more senior",
    "kpi": "measure",
    "caseload": "number of children each worker helps",
    "eha": "early help plan",
    "taf": "family support meeting",
    "rag": "rating",
    "compliance": "following the rules",
    "practitioner": "worker",
    "practitioners": "workers",
    "assurance": "checking",
    "qa officer": "the partnership's checking officer",
    "working together 2023": "the government's rules for keeping children safe",
    "re-referral": "asked for help again",
    "re-referrals": "asked for help again",
}

# Capitalised words that are not names: places, organisations, standards and the like.
# The store adds every agency, locality, theme and standard word (`known_words`).
BASE_KNOWN_WORDS = frozenset(
    w.lower()
    for w in (
        "I",
        "NHS",
        "England",
        "English",
        "Brookvale",
        "Section",
        "Standard",
        "Standards",
        "Council",
        "Police",
        "Partnership",
        "Youth",
        "Team",
        "Around",
        "Family",
        "School",
        "Schools",
        "Early",
        "Help",
        "Children's",
        "Services",
        "Social",
        "Care",
        "Health",
        "Internet",
        "Ofsted",
        "GP",
        "GPs",
        "A&E",
        "OK",
        "UK",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    )
)

_SENTENCE_BREAK = re.compile(r"(?:^|[.!?:;]\s+|\n\s*[-*•]?\s*)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’&-]*")
_SMALL_DIGIT = re.compile(r"(?<![\d.,])[1-5](?![\d]|[.,]\d)")
_AGE = re.compile(
    r"\baged?\s+\d{1,2}\b|\b\d{1,2}[- ]?(?:years?[- ]old|yrs?\b|yo\b)|\bage\s+of\s+\d{1,2}\b",
    re.IGNORECASE,
)
# A figure a text states: a number of any size, with its decimals and a per cent sign.
_FIGURE = re.compile(r"(?<![\w.,-])\d[\d,]*(?:\.\d+)?(?:-\d+)?%?(?![\w])")
# A year or a financial year ("2025", "2025-26") says when, not how many.
_YEAR = re.compile(r"^(?:19|20)\d\d(?:-\d\d)?$")
_CHILD_LABEL = re.compile(
    r"\b(?i:child|young person|baby|sibling|family|mother|father|mum|dad|boy|girl|case)"
    r"\s+[A-Z]\b"
)


class YouthTextError(ValueError):
    """The text cannot be saved or approved; `problems` says why, one sentence each."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class Flag:
    """One reason a text is not ready for young people."""

    kind: str  # small_number, figure, age, child_label, name, term, reading_ease
    message: str


def reading_ease(text: str) -> float:
    """Flesch reading ease of `text` (higher is easier; 60 or more is plain English)."""
    return float(textstat.flesch_reading_ease(text))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def banned_terms(text: str) -> list[str]:
    """The professional terms from `PLAIN_WORDS` that `text` uses (as whole words)."""
    lowered = text.lower()
    found = [
        term for term in PLAIN_WORDS if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", lowered)
    ]
    # "practitioner" inside "lead practitioner" is one problem, not two.
    return [t for t in found if not any(t != other and t in other for other in found)]


def _capitalised_words(text: str) -> list[tuple[str, str]]:
    """(word, bare lower-case form) of each capitalised word not at the start of a sentence."""
    starts = {m.end() for m in _SENTENCE_BREAK.finditer(text)}
    found: list[tuple[str, str]] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper() or match.start() in starts:
            continue
        bare = word.strip("'’-").lower()
        for suffix in ("'s", "’s"):
            bare = bare.removesuffix(suffix)
        found.append((word, bare))
    return found


def _name_like(text: str, known: frozenset[str]) -> list[str]:
    """Capitalised words that are not at the start of a sentence and not known place,
    organisation or standard words: they may be a person's name."""
    found: list[str] = []
    for word, bare in _capitalised_words(text):
        if bare in known or word.lower() in known or bare in PLAIN_WORDS:
            continue
        if word not in found:
            found.append(word)
    return found


def name_candidates(text: str) -> frozenset[str]:
    """The words of `text` the store may know as agency, locality, theme or standard words:
    the lower-case forms (whole and bare) of the capitalised words the fixed lists do not
    know. `known_words` looks up only these, so checking a text never reads every name."""
    words: set[str] = set()
    for word, bare in _capitalised_words((text or "").strip()):
        forms = {word.lower(), bare}
        if forms & BASE_KNOWN_WORDS or bare in PLAIN_WORDS:
            continue
        words |= {form for form in forms if form}
    return frozenset(words)


def check_text(text: str, *, known: Iterable[str] = ()) -> list[Flag]:
    """Every reason `text` is not ready for young people (empty list: ready).

    `known` adds words that are not names (agency, locality, standard and theme words).
    """
    body = (text or "").strip()
    flags: list[Flag] = []
    known_words = BASE_KNOWN_WORDS | {w.lower() for w in known}
    digits = sorted(set(_SMALL_DIGIT.findall(body)))
    if digits:
        flags.append(
            Flag(
                "small_number",
                (
                    f"It has the number {', '.join(digits)}. A number from 1 to 5 can point to a "
                    'child; write "a few" or leave the number out.'
                ),
            )
        )
    # A youth text is tied to a theme and a quarter, not to a measure, so a figure it states
    # cannot be checked against the data (issue 26): it is refused. Numbers 1 to 5 and ages
    # have their own messages; years are dates, not figures.
    ages = [m.span() for m in _AGE.finditer(body)]
    figures = [
        m.group(0)
        for m in _FIGURE.finditer(body)
        if not _YEAR.match(m.group(0))
        and not _SMALL_DIGIT.fullmatch(m.group(0))
        and not any(start <= m.start() < end for start, end in ages)
    ]
    if figures:
        flags.append(
            Flag(
                "figure",
                (
                    f"It states a figure ({', '.join(dict.fromkeys(figures))}). A text for young "
                    "people is not tied to a measure, so its figures cannot be checked against "
                    'the data: say what it means in words ("more families than last year") and '
                    "leave the figures to the page, which shows each measure's own."
                ),
            )
        )
    for age in _AGE.findall(body):
        flags.append(Flag("age", f'It gives an age ("{age}"). Leave ages out.'))
    for label in _CHILD_LABEL.findall(body):
        flags.append(
            Flag("child_label", (f'It names a case ("{label}"). Leave out labels like Child X.'))
        )
    names = _name_like(body, frozenset(known_words))
    if names:
        flags.append(
            Flag(
                "name",
                (
                    "These words look like names: " + ", ".join(names) + ". Leave out the names of "
                    "people and small places; say what happened instead."
                ),
            )
        )
    for term in banned_terms(body):
        flags.append(
            Flag("term", (f'"{term}" is a professional term. Say "{PLAIN_WORDS[term]}" instead.'))
        )
    if word_count(body) >= READING_EASE_MIN_WORDS:
        score = reading_ease(body)
        if score < MIN_READING_EASE:
            flags.append(
                Flag(
                    "reading_ease",
                    (
                        f"It is hard to read (reading ease {score:.0f}; it needs {MIN_READING_EASE:.0f} "
                        "or more). Use shorter sentences and shorter words."
                    ),
                )
            )
    return flags


# Names read per query while looking for a word (see `known_words`).
_KNOWN_WORD_PAGE = 50


def known_words(*, engine: sa.Engine, words: Iterable[str]) -> frozenset[str]:
    """Which of `words` (lower case, from `name_candidates`) are words of an agency, locality,
    theme or standard name: capitalised in a text, but not people's names.

    Only names containing a word are read, a page at a time, until one has it as a whole
    word ("Smith" is inside "Smithfield Academy" but is not one of its words): a text's check
    reads a handful of rows however many agencies the store holds.
    """
    with engine.connect() as connection:
        return _known_in(connection, words)


def _known_in(connection: sa.Connection, words: Iterable[str]) -> frozenset[str]:
    columns = (Agency.name, Locality.name, Theme.name, S11Standard.title)
    known: set[str] = set()
    for word in sorted(set(words)):
        if not _WORD.fullmatch(word or ""):
            continue
        if any(_name_has_word(connection, column, word) for column in columns):
            known.add(word)
    return frozenset(known)


def _name_has_word(connection: sa.Connection, column: Any, word: str) -> bool:
    key = sa.inspect(column.class_).primary_key[0]  # paged on the key: id, or a theme's code
    stmt = (
        sa.select(key, column)
        .where(sa.func.lower(column).contains(word, autoescape=True))
        .order_by(key)
        .limit(_KNOWN_WORD_PAGE)
    )
    after: int | None = None
    while True:
        rows = connection.execute(stmt if after is None else stmt.where(key > after)).all()
        if any(word in {w.lower() for w in _WORD.findall(name or "")} for _, name in rows):
            return True
        if len(rows) < _KNOWN_WORD_PAGE:
            return False
        after = rows[-1][0]


def theme_point_key(theme_code: str, period_code: str, category: str) -> str:
    return f"{theme_code}|{period_code}|{category}"


def learning_key(source: str, reference: str) -> str:
    """The key of a text about a review's learning: source "RR" (rapid review) or "LR"."""
    return f"{source}|{reference}"


def s11_key(cycle_name: str, agency_code: str, standard_number: int) -> str:
    return f"{cycle_name}|{agency_code}|{int(standard_number)}"


def submit_text(
    *,
    engine: sa.Engine,
    username: str,
    subject: str,
    subject_key: str,
    purpose: str,
    text: str,
    page: str = "youth_texts",
) -> int:
    """Save a text for young people, waiting for a second person's approval; return its id.

    Raises YouthTextError (nothing saved) when the text is empty, too long, or fails
    `check_text`.
    """
    body = (text or "").strip()
    problems: list[str] = []
    if not username:
        problems.append("You must be signed in to write a text for young people.")
    if subject not in YOUTH_TEXT_SUBJECTS:
        problems.append("Choose what the text is for.")
    if not (subject_key or "").strip() or not (purpose or "").strip():
        problems.append("Choose what the text is for.")
    if not body:
        problems.append("Write the text before saving it.")
    elif len(body) > MAX_TEXT_CHARS:
        problems.append(
            f"The text is {len(body):,} characters long; the limit is {MAX_TEXT_CHARS:,}."
        )
    if problems:
        raise YouthTextError(problems)
    flags = check_text(body, known=known_words(engine=engine, words=name_candidates(body)))
    if flags:
        raise YouthTextError(f.message for f in flags)
    with session_scope(engine) as session:
        item = YouthText(
            subject=subject,
            subject_key=subject_key.strip(),
            purpose=purpose.strip()[:300],
            text=body,
            author=username,
            created_at=utc_now(),
            status="waiting",
        )
        session.add(item)
        session.flush()
        audit_log.record(
            session,
            username=username,
            event="youth_text_written",
            page=page,
            detail=f"youth text {item.id} for {subject} {subject_key}",
        )
        return item.id


def approve_text(
    *, engine: sa.Engine, username: str, text_id: int, page: str = "youth_texts"
) -> None:
    """Approve a waiting text: the youth pages show it from now on.

    The approver must not be its author; the text is checked again (names and places may have
    been added to the store since). An earlier approved text for the same purpose is marked
    superseded in the same transaction.
    """
    with session_scope(engine) as session:
        item = session.get(YouthText, text_id)
        if item is None:
            raise YouthTextError(["That text does not exist."])
        problems: list[str] = []
        if item.status != "waiting":
            problems.append(f"That text is {item.status}, not waiting for approval.")
        if item.author == username:
            problems.append("You wrote this text, so someone else must approve it.")
        known = _known_in(session.connection(), name_candidates(item.text))
        problems += [f.message for f in check_text(item.text, known=known)]
        if problems:
            raise YouthTextError(problems)
        earlier = session.scalars(
            sa.select(YouthText).where(
                YouthText.subject == item.subject,
                YouthText.subject_key == item.subject_key,
                YouthText.status == "approved",
            )
        ).all()
        for old in earlier:
            old.status = "superseded"
        item.status = "approved"
        item.approver = username
        item.approved_at = utc_now()
        audit_log.record(
            session,
            username=username,
            event="youth_text_approved",
            page=page,
            detail=f"youth text {item.id} for {item.subject} {item.subject_key}",
        )


def return_text(
    *, engine: sa.Engine, username: str, text_id: int, note: str, page: str = "youth_texts"
) -> None:
    """Send a waiting text back to its author with a note saying what to change."""
    reason = (note or "").strip()
    with session_scope(engine) as session:
        item = session.get(YouthText, text_id)
        problems: list[str] = []
        if item is None:
            raise YouthTextError(["That text does not exist."])
        if item.status != "waiting":
            problems.append(f"That text is {item.status}, not waiting for approval.")
        if not reason:
            problems.append("Say what the author should change.")
        if problems:
            raise YouthTextError(problems)
        item.status = "returned"
        item.note = reason[:2000]
        audit_log.record(
            session,
            username=username,
            event="youth_text_returned",
            page=page,
            detail=f"youth text {item.id} for {item.subject} {item.subject_key}",
        )


def approved_texts(
    *,
    engine: sa.Engine,
    subject: str,
    key_prefix: str | None = None,
    key_suffix: str | None = None,
    keys: list[str] | None = None,
) -> pd.DataFrame:
    """The approved (current) texts for a subject: subject_key, text, author, approver,
    approved_at. `key_prefix` narrows to keys that start with it (a cycle or a theme),
    `key_suffix` to keys that end with it (one Section 11 standard: "|3"), `keys` to those
    keys exactly (a page of cards, one text being written)."""
    stmt = (
        sa.select(
            YouthText.subject_key,
            YouthText.text,
            YouthText.author,
            YouthText.approver,
            YouthText.approved_at,
        )
        .where(YouthText.subject == subject, YouthText.status == "approved")
        .order_by(YouthText.subject_key)
    )
    if key_prefix:
        stmt = stmt.where(YouthText.subject_key.startswith(key_prefix, autoescape=True))
    if key_suffix:
        stmt = stmt.where(YouthText.subject_key.endswith(key_suffix, autoescape=True))
    if keys is not None:
        stmt = stmt.where(YouthText.subject_key.in_(list(keys)))
    return frame(engine, stmt)


def list_texts(*, engine: sa.Engine, status: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Texts for young people, newest first: id, subject, subject_key, purpose, text, author,
    created_at, status, approver, approved_at, note."""
    stmt = (
        sa.select(
            YouthText.id,
            YouthText.subject,
            YouthText.subject_key,
            YouthText.purpose,
            YouthText.text,
            YouthText.author,
            YouthText.created_at,
            YouthText.status,
            YouthText.approver,
            YouthText.approved_at,
            YouthText.note,
        )
        .order_by(YouthText.created_at.desc(), YouthText.id.desc())
        .limit(limit)
    )
    if status:
        stmt = stmt.where(YouthText.status == status)
    return frame(engine, stmt)
