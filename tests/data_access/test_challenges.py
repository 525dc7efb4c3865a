"""The challenge loop in the store: validated, audit-logged, never deleted."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_access import challenges
from data_access.models import AuditLogEntry
from tests.support.assurance_seed import seed


def log_count(engine: sa.Engine, event: str) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).where(AuditLogEntry.event == event)
            ).scalar_one()
        )


def test_challenge_then_responses_are_all_kept(store: sa.Engine) -> None:
    ids = seed(store)
    challenge_id = challenges.create_challenge(
        engine=store,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[3],
        kind="evidence_request",
        text="  How do you know children feel listened to?  ",
        cycle_id=ids.new_cycle,
    )
    mine = challenges.list_challenges(engine=store, author="youth.demo")
    assert list(mine["id"]) == [challenge_id]
    row = mine.iloc[0]
    assert row["text"] == "How do you know children feel listened to?"  # trimmed
    assert row["status"] == "open" and row["status_label"] == "Waiting for an answer"
    assert row["agency"] == "County Police" and row["standard_number"] == 3
    assert row["kind_label"] == "A request for evidence" and row["responses"] == 0
    assert challenges.list_challenges(engine=store, author="someone.else").empty

    challenges.record_response(
        engine=store,
        username="qa.demo",
        challenge_id=challenge_id,
        text="We ran a survey of 200 young people.",
        status="answered",
    )
    challenges.record_response(
        engine=store,
        username="qa.demo",
        challenge_id=challenge_id,
        text="Survey report shared with the youth council.",
        status="accepted",
    )
    responses = challenges.list_responses(engine=store, author="youth.demo")
    assert list(responses["status_after"]) == ["answered", "accepted"]
    assert list(responses["author"]) == ["qa.demo", "qa.demo"]
    assert responses["created_at"].notna().all()
    after = challenges.list_challenges(engine=store, author="youth.demo").iloc[0]
    assert after["status"] == "accepted" and after["responses"] == 2
    assert challenges.list_challenges(engine=store, status="open").empty
    assert log_count(store, "youth_challenge_created") == 1
    assert log_count(store, "youth_challenge_response") == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": ""}, "Please write your challenge"),
        ({"text": "   \n "}, "Please write your challenge"),
        ({"text": "x" * 2001}, "2,000 characters or fewer"),
        ({"agency_id": 999_999}, "not one we know"),
        ({"agency_id": None}, "Choose which organisation your challenge is for"),
        ({"agency_id": "closed"}, "not one we know"),
        ({"standard_id": 999_999}, "standard from the list"),
        ({"kind": "complaint"}, "question or a request for evidence"),
        ({"username": ""}, "signed in"),
    ],
)
def test_invalid_challenge_is_refused_and_nothing_saved(
    store: sa.Engine, changes: dict, message: str
) -> None:
    ids = seed(store)
    if changes.get("agency_id") == "closed":
        changes = {"agency_id": ids.closed_charity}
    arguments = {
        "username": "youth.demo",
        "agency_id": ids.council,
        "standard_id": ids.standard_ids[1],
        "kind": "question",
        "text": "Who is your senior lead?",
    } | changes
    with pytest.raises(challenges.ValidationError) as error:
        challenges.create_challenge(engine=store, **arguments)
    assert any(message in p for p in error.value.problems), error.value.problems
    assert challenges.challenge_count(engine=store) == 0
    assert log_count(store, "youth_challenge_created") == 0


def test_exactly_2000_characters_is_allowed(store: sa.Engine) -> None:
    ids = seed(store)
    challenges.create_challenge(
        engine=store,
        username="youth.demo",
        agency_id=ids.council,
        standard_id=ids.standard_ids[1],
        kind="question",
        text="y" * 2000,
    )
    assert challenges.challenge_count(engine=store) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": " "}, "Enter the agency's response"),
        ({"text": "r" * 4001}, "the limit is 4,000"),
        ({"status": "open"}, "answered, accepted or escalated"),
        ({"status": "closed"}, "answered, accepted or escalated"),
        ({"challenge_id": 999_999}, "does not exist"),
    ],
)
def test_invalid_response_is_refused_and_nothing_saved(
    store: sa.Engine, changes: dict, message: str
) -> None:
    ids = seed(store)
    challenge_id = challenges.create_challenge(
        engine=store,
        username="youth.demo",
        agency_id=ids.council,
        standard_id=ids.standard_ids[1],
        kind="question",
        text="Who is your senior lead?",
    )
    arguments = {
        "username": "qa.demo",
        "challenge_id": challenge_id,
        "text": "The director.",
        "status": "answered",
    } | changes
    with pytest.raises(challenges.ValidationError) as error:
        challenges.record_response(engine=store, **arguments)
    assert any(message in p for p in error.value.problems), error.value.problems
    assert challenges.response_count(engine=store) == 0
    assert challenges.list_challenges(engine=store).iloc[0]["status"] == "open"


def test_there_is_no_delete() -> None:
    assert not [name for name in dir(challenges) if "delete" in name.lower()]


def _backdate(engine: sa.Engine, challenge_id: int, when: dt.datetime) -> None:
    from data_access.models import YouthChallenge

    with engine.begin() as connection:
        connection.execute(
            sa.update(YouthChallenge)
            .where(YouthChallenge.id == challenge_id)
            .values(created_at=when)
        )


def test_waiting_time_answer_time_and_overdue(store: sa.Engine) -> None:
    ids = seed(store)
    now = dt.datetime(2026, 9, 30, 12, 0)
    late = challenges.create_challenge(
        engine=store,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[1],
        kind="question",
        text="Still waiting?",
    )
    fresh = challenges.create_challenge(
        engine=store,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[2],
        kind="question",
        text="Sent last week.",
    )
    answered = challenges.create_challenge(
        engine=store,
        username="youth.demo",
        agency_id=ids.police,
        standard_id=ids.standard_ids[4],
        kind="question",
        text="Answered late.",
    )
    _backdate(store, late, now - dt.timedelta(days=365))
    _backdate(store, fresh, now - dt.timedelta(days=7))
    _backdate(store, answered, dt.datetime(2026, 1, 1, 9))
    challenges.record_response(
        engine=store,
        username="qa.demo",
        challenge_id=answered,
        text="Here is the answer.",
        status="answered",
    )
    from data_access.models import ChallengeResponse

    with store.begin() as connection:
        connection.execute(
            sa.update(ChallengeResponse).values(created_at=dt.datetime(2026, 2, 12, 15))
        )

    every = challenges.list_challenges(engine=store, now=now).set_index("id")
    assert every.at[late, "waited_days"] == 365 and bool(every.at[late, "overdue"])
    assert every.at[fresh, "waited_days"] == 7 and not bool(every.at[fresh, "overdue"])
    # Answered 42 days after it was sent: it took long, but it is no longer waiting.
    assert every.at[answered, "waited_days"] == 42 and bool(every.at[answered, "answered"])
    assert not bool(every.at[answered, "overdue"])

    overdue = challenges.overdue_challenges(engine=store, now=now)
    assert list(overdue["id"]) == [late]
    # The deadline is the partnership's: with 5 days, last week's challenge is late too.
    shorter = challenges.overdue_challenges(engine=store, now=now, deadline_days=5)
    assert list(shorter["id"]) == [late, fresh]


def test_deadline_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from data_access import config

    monkeypatch.delenv("YOUTH_CHALLENGE_DEADLINE_DAYS", raising=False)
    assert config.challenge_deadline_days() == 28
    monkeypatch.setenv("YOUTH_CHALLENGE_DEADLINE_DAYS", "14")
    assert config.challenge_deadline_days() == 14
    monkeypatch.setenv("YOUTH_CHALLENGE_DEADLINE_DAYS", "soon")
    assert config.challenge_deadline_days() == 28
