"""Governance records for the sample data: the risk register, scrutiny judgements and decisions."""

from __future__ import annotations

import datetime as dt

from sample_data.timeline import Timeline, at_time, rng_for

RISKS = (
    (
        "Front-door decisions are delayed by vacancies and sickness in the MASH",
        "mash",
        4,
        4,
        "BCS",
        "Agency staff cover agreed; recovery plan reported weekly to the MASH Steering Group.",
    ),
    (
        "Partners' funding contributions do not cover the business unit's costs from next year",
        None,
        3,
        5,
        "BCS",
        "Statutory partners to agree a funding formula at the executive.",
    ),
    (
        "Repeat missing episodes are not recognised as a sign of exploitation",
        "complex_safeguarding",
        4,
        4,
        "MPOL",
        "Trigger of three episodes in 90 days; monthly panel review.",
    ),
    (
        "Graded Care Profile use stalls when trained champions leave",
        "neglect",
        3,
        3,
        "BCHS",
        "Champion network refreshed each year; training offered quarterly.",
    ),
    (
        "GP information is missing from front-door decisions",
        "mash",
        3,
        4,
        "ICB",
        "Named GP safeguarding leads; response standard of one working day.",
    ),
    (
        "Schools not engaged with early help hold back step-down",
        "early_help",
        2,
        3,
        "BSAT",
        "Targeted support from education colleagues; engagement RAG rating.",
    ),
    (
        "Training places are unfilled through late cancellation",
        "training",
        2,
        2,
        "BCS",
        "Charge for non-attendance; waiting lists.",
    ),
    (
        "Transition at 18 leaves exploited young people without a service",
        "complex_safeguarding",
        4,
        5,
        "BCS",
        "Transitions protocol with adult social care and probation.",
    ),
    (
        "A new case recording system disrupts data returns for two quarters",
        "mash",
        3,
        3,
        "BCS",
        "Parallel reporting during migration; data-quality checks on import.",
    ),
    (
        "Youth council scrutiny stops when trained members move on",
        None,
        3,
        2,
        "BCVS",
        "Recruit and train a new cohort every September.",
    ),
    (
        "Neglect cases drift on child in need plans",
        "neglect",
        3,
        4,
        "BCS",
        "Neglect audit programme; review of plans over 12 months.",
    ),
)


def build_risks(*, timeline: Timeline, agency_ids: dict[str, int]) -> list[dict]:
    """The partnership risk register: about ten risks, several scoring above 12."""
    review_on = timeline.today + dt.timedelta(days=45)
    out = []
    for i, (title, theme, likelihood, impact, owner, mitigation) in enumerate(RISKS, start=1):
        closed = i in (6, 9)
        out.append(
            {
                "id": i,
                "reference": f"R{i:02d}",
                "title": title,
                "theme_code": theme,
                "likelihood": likelihood,
                "impact": impact,
                "owner_agency_id": agency_ids[owner],
                "mitigation": mitigation,
                "status": "closed" if closed else "open",
                "review_on": None if closed else review_on,
            }
        )
    return out


WOOD_CRITERIA = (
    "The geographical area the multi-agency arrangements cover",
    "The authorising vision and the partnership's commitment",
    "The resource framework: the cost of the partnership and agreed initiatives",
    "The strategy for information and data sharing, including early help",
    "The method to assess outcomes of multi-agency practice and intervene when it falters",
    "High-level oversight of workforce planning",
    "The arrangements for learning from serious incidents and case reviews",
    "The voice of children and families in the partnership's work",
    "Independent scrutiny and challenge of the arrangements",
)
WOOD_COMMENTARY = {
    "green": "Met. The scrutineer saw clear evidence and the partners could describe the impact.",
    "amber": "Partly met. The arrangement is in place but the evidence of impact is still "
    "developing.",
    "red": "Not yet met. The partners accept this and have agreed a plan to address it.",
}
_WOOD_START = ("green", "green", "amber", "amber", "amber", "amber", "green", "amber", "red")


def build_scrutiny(*, seed: int, timeline: Timeline) -> list[dict]:
    """The scrutineer's RAG judgement against the nine Wood criteria for each completed year."""
    rng = rng_for(seed, "scrutiny")
    out = []
    judgement_id = 0
    ratings = list(_WOOD_START)
    year = timeline.quarters[0].fy_start_year
    while True:
        judged_on = dt.date(year + 1, 6, 20)
        if judged_on > timeline.today:
            break
        for number, criterion in enumerate(WOOD_CRITERIA, start=1):
            judgement_id += 1
            rating = ratings[number - 1]
            out.append(
                {
                    "id": judgement_id,
                    "criterion_number": number,
                    "criterion": criterion,
                    "year": year,
                    "rating": rating,
                    "commentary": WOOD_COMMENTARY[rating],
                    "judged_on": judged_on,
                }
            )
            # Slow improvement, with the odd slip.
            roll = rng.random()
            if rating == "red" and roll < 0.6:
                ratings[number - 1] = "amber"
            elif rating == "amber" and roll < 0.35:
                ratings[number - 1] = "green"
            elif rating == "green" and roll < 0.06:
                ratings[number - 1] = "amber"
        year += 1
    return out


DECISIONS = {
    "early_help": (
        ("decision", "The executive agreed the closure and non-engagement protocol.", None),
        (
            "action",
            "Report school engagement with early help by locality at the next meeting.",
            "Head of Early Help",
        ),
    ),
    "mash": (
        (
            "action",
            "Bring a recovery plan for decision timeliness to the next executive.",
            "Director of Children's Services",
        ),
        (
            "decision",
            "The executive agreed to fund two further MASH social workers for a year.",
            None,
        ),
    ),
    "neglect": (
        (
            "action",
            "Confirm every health visiting team has a Graded Care Profile champion.",
            "Chief Nurse",
        ),
        ("decision", "The refreshed neglect strategy was approved for publication.", None),
    ),
    "complex_safeguarding": (
        (
            "action",
            "Present an analysis of the repeat-missing cohort.",
            "Detective Superintendent, Public Protection",
        ),
        (
            "decision",
            "The transitions protocol was endorsed by all three statutory partners.",
            None,
        ),
    ),
    "training": (
        (
            "action",
            "Ask police and housing leads to book places for their staff.",
            "Partnership Training Organiser",
        ),
        ("decision", "A charge for non-attendance without notice will start next quarter.", None),
    ),
}


def build_decisions(*, seed: int, timeline: Timeline) -> list[dict]:
    """A few chair's decisions and actions each quarter, by theme."""
    rng = rng_for(seed, "decisions")
    today = timeline.today
    out = []
    decision_id = 0
    themes = list(DECISIONS)
    for quarter in timeline.quarters:
        meeting = quarter.end_date + dt.timedelta(weeks=8)
        meeting += dt.timedelta(days=(3 - meeting.weekday()) % 7)
        if meeting > today:
            continue
        chosen = rng.choice(len(themes), size=int(rng.integers(2, 4)), replace=False)
        for theme_index in chosen.tolist():
            theme = themes[theme_index]
            kind, text, owner = DECISIONS[theme][int(rng.integers(2))]
            decision_id += 1
            due = meeting + dt.timedelta(days=84) if kind == "action" else None
            if kind == "decision":
                status = "complete"
            elif due and due < today - dt.timedelta(days=60):
                status = "complete" if rng.random() < 0.85 else "open"
            else:
                status = "in_progress" if rng.random() < 0.5 else "open"
            out.append(
                {
                    "id": decision_id,
                    "meeting_date": meeting,
                    "theme_code": theme,
                    "kind": kind,
                    "text": text,
                    "owner": owner,
                    "due_date": due,
                    "status": status,
                    "recorded_by": "exec.demo",
                    "recorded_at": at_time(meeting, 16),
                }
            )
    return out
