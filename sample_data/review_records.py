"""Rapid reviews for the sample data, with their learning, recommendations and actions."""

from __future__ import annotations

import datetime as dt

from sample_data.timeline import Timeline, add_working_days, rng_for

REVIEW_LEARNING = (
    (
        "neglect",
        "Professionals saw the home conditions but did not put them together over time; "
        "the Graded Care Profile was not used.",
    ),
    (
        "mash",
        "Information held by the GP and the school was not shared with the front door "
        "before the decision was made.",
    ),
    (
        "complex_safeguarding",
        "Repeated missing episodes were treated one at a time rather than as "
        "a pattern of exploitation.",
    ),
    (
        "early_help",
        "Early help closed when the family stopped engaging, without a conversation "
        "with the lead practitioner.",
    ),
    ("mash", "Escalation was not used when partners disagreed with the threshold decision."),
)
REVIEW_RECOMMENDATIONS = (
    (
        "BCS",
        "Use the escalation policy whenever a partner disagrees with a threshold decision, and "
        "report its use quarterly.",
    ),
    (
        "ICB",
        "GP practices to share relevant information with the MASH within one working day of "
        "a request.",
    ),
    (
        "BCHS",
        "Health visitors to complete a Graded Care Profile where home conditions are a "
        "concern on two visits.",
    ),
    ("MPOL", "Treat three missing episodes in 90 days as a trigger for a strategy discussion."),
    (
        "BSAT",
        "Designated safeguarding leads to review chronologies of children with repeated absence.",
    ),
    (
        "BHFT",
        "Ask about the child's home circumstances for every under-2 attending with an injury.",
    ),
)


def build_reviews(
    *,
    seed: int,
    timeline: Timeline,
    agency_ids: dict[str, int],
) -> tuple[list[dict], list[dict]]:
    """About six rapid reviews a year, mostly decided within 15 working days, and their actions."""
    rng = rng_for(seed, "rapid_reviews")
    today = timeline.today
    reviews, actions = [], []
    review_id = action_id = 0
    day = timeline.quarters[0].start_date + dt.timedelta(days=20)
    last = timeline.latest.end_date + dt.timedelta(days=30)
    year_counts: dict[int, int] = {}
    while day <= min(last, today - dt.timedelta(days=3)):
        review_id += 1
        year_counts[day.year] = year_counts.get(day.year, 0) + 1
        notified = add_working_days(day, int(rng.integers(1, 6)))
        late = rng.random() < 0.12
        decided: dt.date | None = add_working_days(
            notified, int(rng.integers(16, 22)) if late else int(rng.integers(8, 16))
        )
        outcome = str(
            rng.choice(["no_further_review", "lcspr", "national_review"], p=[0.62, 0.32, 0.06])
        )
        if decided is not None and decided > today:
            decided, outcome = None, "pending"
        theme, learning = REVIEW_LEARNING[int(rng.integers(len(REVIEW_LEARNING)))]
        reviews.append(
            {
                "id": review_id,
                "reference": f"RR-{day.year}-{year_counts[day.year]:02d}",
                "incident_on": day,
                "notified_on": notified,
                "decided_on": decided,
                "outcome": outcome,
                "theme_code": theme,
                "learning_summary": learning if decided else None,
            }
        )
        if outcome in ("lcspr", "national_review"):
            picks = rng.choice(
                len(REVIEW_RECOMMENDATIONS), size=int(rng.integers(2, 5)), replace=False
            )
            for pick in picks.tolist():
                owner, text = REVIEW_RECOMMENDATIONS[pick]
                action_id += 1
                due = (decided or day) + dt.timedelta(days=int(rng.integers(120, 300)))
                if due < today - dt.timedelta(days=90):
                    status = "complete" if rng.random() < 0.85 else "in_progress"
                elif due < today:
                    status = "in_progress" if rng.random() < 0.6 else "open"
                else:
                    status = "open" if rng.random() < 0.5 else "in_progress"
                actions.append(
                    {
                        "id": action_id,
                        "rapid_review_id": review_id,
                        "recommendation": text,
                        "owner_agency_id": agency_ids[owner],
                        "due_date": due,
                        "status": status,
                    }
                )
        day += dt.timedelta(days=int(rng.integers(40, 80)))
    return reviews, actions
