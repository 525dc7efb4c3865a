"""Texts for young people: written by one person, approved by another, checked before either."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from data_access import youth_texts
from data_access.models import AuditLogEntry, YouthText

KEY = youth_texts.theme_point_key("neglect", "2026-27 Q2", "working_well")
PLAIN = "More workers now spot early when a child is not looked after well at home."


def submit(store: sa.Engine, text: str = PLAIN, username: str = "qa.demo") -> int:
    return youth_texts.submit_text(
        engine=store,
        username=username,
        subject="theme_point",
        subject_key=KEY,
        purpose="Neglect: what is going well",
        text=text,
    )


def events(store: sa.Engine) -> list[str]:
    with store.connect() as connection:
        return list(connection.scalars(sa.select(AuditLogEntry.event).order_by(AuditLogEntry.id)))


def test_written_then_approved_by_someone_else(store: sa.Engine) -> None:
    first = submit(store)
    assert youth_texts.approved_texts(engine=store, subject="theme_point").empty
    with pytest.raises(youth_texts.YouthTextError, match="someone else must approve"):
        youth_texts.approve_text(engine=store, username="qa.demo", text_id=first)
    youth_texts.approve_text(engine=store, username="admin.demo", text_id=first)
    shown = youth_texts.approved_texts(engine=store, subject="theme_point")
    assert list(shown["text"]) == [PLAIN] and list(shown["approver"]) == ["admin.demo"]

    # A newer approved version replaces it; the old one is kept as superseded.
    second = submit(store, "Health visitors and schools now notice neglect sooner than before.")
    youth_texts.approve_text(engine=store, username="admin.demo", text_id=second)
    every = youth_texts.list_texts(engine=store).set_index("id")
    assert every.at[first, "status"] == "superseded" and every.at[second, "status"] == "approved"
    assert len(youth_texts.approved_texts(engine=store, subject="theme_point")) == 1
    assert events(store) == [
        "youth_text_written",
        "youth_text_approved",
        "youth_text_written",
        "youth_text_approved",
    ]


def test_database_refuses_self_approval(store: sa.Engine) -> None:
    text_id = submit(store)
    with pytest.raises(IntegrityError), store.begin() as connection:
        connection.execute(
            sa.update(YouthText)
            .where(YouthText.id == text_id)
            .values(status="approved", approver="qa.demo", approved_at=sa.func.current_timestamp())
        )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Learning from Child Q was shared with the whole team this month.", "child_label"),
        ("A girl aged 14 told us she felt safer after the new plan was made.", "age"),
        ("We spoke to 3 young people about what they thought of the service.", "small_number"),
        ("Workers in Northfield say families now get help sooner than last year.", "name"),
        ("This year 870 families got early help from a worker they trust.", "figure"),
        ("Most calls, 79.1% of them, got an answer within a day this time.", "figure"),
        ("Support carried on when the statutory case closed for the family.", "term"),
        (
            "Multi-agency practitioners' contemporaneous documentation demonstrated "
            "inconsistent implementation of organisational safeguarding responsibilities.",
            "reading_ease",
        ),
    ],
)
def test_flags_stop_saving(store: sa.Engine, text: str, kind: str) -> None:
    assert kind in {f.kind for f in youth_texts.check_text(text)}
    with pytest.raises(youth_texts.YouthTextError):
        submit(store, text)
    assert youth_texts.list_texts(engine=store).empty


def test_store_words_are_not_names(store: sa.Engine) -> None:
    from data_access.db import session_scope
    from data_access.models import Agency, Locality

    with session_scope(store) as session:
        session.add(Locality(code="N", name="Northfield", child_population=1000))
        session.add(
            Agency(
                code="POL", name="County Police", sector="police", agency_type="statutory_partner"
            )
        )
    text = "Families in Northfield and County Police now talk more."
    known = youth_texts.known_words(engine=store, words=youth_texts.name_candidates(text))
    assert not youth_texts.check_text(text, known=known)
    assert submit(store, text)


def test_known_words_are_whole_words_found_past_a_page_of_near_misses(store: sa.Engine) -> None:
    """'Smith' is inside 'Smithfield': only a whole word counts, however far down it is."""
    from data_access.db import session_scope
    from data_access.models import Agency

    with session_scope(store) as session:
        session.add_all(
            Agency(
                code=f"SF{n:03}",
                name=f"Smithfield Academy {n}",
                sector="education",
                agency_type="relevant_agency",
            )
            for n in range(130)
        )
        session.add(
            Agency(
                code="SMH",
                name="Smith House Nursery",
                sector="education",
                agency_type="relevant_agency",
            )
        )
    assert youth_texts.name_candidates("We met Smith and Jones at the Academy.") == {
        "smith",
        "jones",
        "academy",
    }
    assert youth_texts.known_words(engine=store, words={"smith", "jones", "academy"}) == {
        "smith",
        "academy",
    }
    assert youth_texts.known_words(engine=store, words={"jones"}) == frozenset()


def test_return_with_note(store: sa.Engine) -> None:
    text_id = submit(store)
    with pytest.raises(youth_texts.YouthTextError, match="Say what"):
        youth_texts.return_text(engine=store, username="admin.demo", text_id=text_id, note=" ")
    youth_texts.return_text(
        engine=store, username="admin.demo", text_id=text_id, note="Say which workers."
    )
    row = youth_texts.list_texts(engine=store).iloc[0]
    assert row["status"] == "returned" and row["note"] == "Say which workers."
    with pytest.raises(youth_texts.YouthTextError, match="not waiting"):
        youth_texts.approve_text(engine=store, username="admin.demo", text_id=text_id)


def test_a_figure_with_no_measure_is_refused_at_approval(store: sa.Engine) -> None:
    """A text already waiting (written before the rule, or put in the store some other way)
    that states a figure is refused when someone tries to approve it, and stays unapproved."""
    text = "Calls about a worry got an answer within a day 79.1% of the time."
    with store.begin() as connection:
        connection.execute(
            sa.insert(YouthText).values(
                subject="theme_point",
                subject_key=KEY,
                purpose="MASH: what is going well",
                text=text,
                author="qa.demo",
                created_at=sa.func.current_timestamp(),
                status="waiting",
            )
        )
        text_id = connection.scalar(sa.select(sa.func.max(YouthText.id)))
    with pytest.raises(youth_texts.YouthTextError, match=r"It states a figure \(79\.1%\)"):
        youth_texts.approve_text(engine=store, username="admin.demo", text_id=text_id)
    assert youth_texts.approved_texts(engine=store, subject="theme_point").empty


@pytest.mark.parametrize(
    "text",
    [
        "Since 2025 more families get help before things get worse at home.",
        "In 2025-26 more families got help before things got worse at home.",
    ],
)
def test_years_are_not_figures(text: str) -> None:
    assert "figure" not in {f.kind for f in youth_texts.check_text(text)}
