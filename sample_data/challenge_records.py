"""Youth council challenges for the sample data, and the agencies' responses to them."""

from __future__ import annotations

import datetime as dt

from sample_data.audit_records import QA_OFFICER
from sample_data.timeline import Timeline, at_time

CHALLENGES = (
    (
        "BHFT",
        3,
        "question",
        "open",
        "How do you make sure young people in the emergency department are asked what they think, "
        "not only their parents?",
        None,
    ),
    (
        "MPOL",
        10,
        "evidence_request",
        "answered",
        "You rated culture of safety green. Can you show us what young people said when you asked "
        "them?",
        "We have shared the results of our 2025 youth survey and the changes we made "
        "after it, including a young people's panel for complaints.",
    ),
    (
        "BSAT",
        4,
        "question",
        "accepted",
        "Do pupils know how to raise a worry about a member of staff? We asked some and they did "
        "not.",
        "Thank you. Every secondary school will put the whistleblowing and worries poster in "
        "pupil toilets and planners by the end of term, and we will ask pupils again in the summer.",
    ),
    (
        "BHOM",
        6,
        "evidence_request",
        "escalated",
        "Your return says information sharing is amber. What are you doing about it, and when?",
        "We are reviewing our policy. The youth council felt this answer had no date or owner and "
        "asked the QA group to follow it up.",
    ),
    (
        "BCS",
        3,
        "question",
        "answered",
        "How do children in care get to say who comes to their review meetings?",
        "Independent reviewing officers now meet each child before the review and the child can "
        "choose who attends part of the meeting.",
    ),
    (
        "BCOL",
        11,
        "question",
        "open",
        "Your return for this cycle is missing. When will you send it?",
        None,
    ),
    (
        "MMHT",
        9,
        "evidence_request",
        "accepted",
        "Can you show us how many staff have done safeguarding training this year?",
        "We have shared our training compliance report: 94% of clinical staff are up to date. We "
        "accept the youth council's point that this should be published on our website.",
    ),
    (
        "BYJS",
        5,
        "question",
        "open",
        "If a young person disagrees with a decision, who do they go to?",
        None,
    ),
)


def build_challenges(
    *,
    timeline: Timeline,
    agency_ids: dict[str, int],
    standard_ids: list[int],
    cycle_id: int,
) -> tuple[list[dict], list[dict]]:
    """About eight youth council challenges, some answered, accepted or escalated, some open."""
    today = timeline.today
    start = max(dt.date(2025, 1, 15), today - dt.timedelta(days=420))
    challenges, responses = [], []
    response_id = 0
    for i, (code, standard, kind, status, text, answer) in enumerate(CHALLENGES, start=1):
        if code not in agency_ids:
            continue
        created = min(today, start + dt.timedelta(days=45 * i))
        challenges.append(
            {
                "id": i,
                "agency_id": agency_ids[code],
                "standard_id": standard_ids[standard - 1],
                "cycle_id": cycle_id,
                "kind": kind,
                "text": text,
                "author": "youth.demo",
                "created_at": at_time(created, 17, 30),
                "status": status,
            }
        )
        if answer:
            response_id += 1
            answered = min(today, created + dt.timedelta(days=21))
            responses.append(
                {
                    "id": response_id,
                    "challenge_id": i,
                    "text": answer,
                    "author": QA_OFFICER,
                    "created_at": at_time(answered, 12),
                    "status_after": status,
                }
            )
    return challenges, responses
