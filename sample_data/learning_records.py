"""Issue 29 sample records: practice reviews and their learning, the scrutineer's and the
inspectors' recommendations with the partners' responses, the improvement plan, and the evidence
of completion and of impact on actions; the risk register's full entries.

Uses random streams of its own, so the older records (rapid reviews, risks) are unchanged.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from sample_data.timeline import Timeline, add_working_days, at_time, rng_for

PANEL_VIEWS = {
    "lcspr": "The national panel agreed that a local child safeguarding practice review is needed.",
    "national_review": "The national panel will consider the case within its national review.",
    "no_further_review": "The national panel agreed that the rapid review captured the learning.",
}
COMPLETION_EVIDENCE = (
    "Procedure updated and issued to all staff; briefing delivered at team meetings.",
    "Policy agreed by the executive and published on the partnership website.",
    "Training module revised and delivered to three cohorts.",
)
IMPACT_EVIDENCE = (
    "Re-audit of 20 cases six months later found the new practice in 17.",
    "Use of the escalation policy rose from two to nine a quarter on the scorecard.",
    "Dip sample of front-door decisions showed GP information present in most cases.",
)
PROGRESS = {
    "open": "Not yet started; the owner will report at the next practice review panel.",
    "in_progress": "Under way; the owner reported progress at the last panel.",
    "complete": "Done, with evidence given to the practice review panel.",
    "cancelled": "Overtaken by a later recommendation.",
}
NATIONAL_REVIEWS = (
    (
        "NR-2022-01",
        "Child Protection in England: the national review into the murders of two children",
        dt.date(2022, 5, 26),
        ("mash", "neglect"),
        "Multi-agency child protection units; information held by one agency must reach the "
        "decision.",
    ),
    (
        "NR-2024-01",
        "National review of safeguarding children with disabilities in residential settings",
        dt.date(2024, 4, 25),
        ("complex_safeguarding",),
        "Hear the voice of children who do not use words; visit placements unannounced.",
    ),
)
SCRUTINY_RECOMMENDATIONS = (
    (
        "BCS",
        "Show the difference the partnership's work makes to children, not only what it did.",
        "Agreed. The yearly report will set impact against each priority.",
    ),
    (
        "ICB",
        "Make sure health partners attend every practice review panel.",
        "Agreed. The ICB designated nurse now chairs alternate panels.",
    ),
    (
        "MPOL",
        "Involve the youth council in choosing the partnership's priorities.",
        "Agreed in part: the youth council will comment on the priorities each spring.",
    ),
)
INSPECTION_RECOMMENDATIONS = (
    (
        "BCS",
        "Strategy discussions for children at risk of exploitation include all partners.",
        "Accepted. The exploitation panel now holds strategy discussions jointly.",
    ),
    (
        "MPOL",
        "Timely sharing of police information with the front door.",
        "Accepted. Police information now reaches the front door within one working day.",
    ),
)
IMPROVEMENT_ACTIONS = (
    ("BCS", "Recruit permanent MASH managers to end reliance on agency staff."),
    ("BCHS", "Audit the use of the Graded Care Profile in health visiting."),
)
RISK_DETAIL = (
    # owner role, cause, consequence, likelihood/impact after controls, further actions, trend
    (
        "Head of MASH",
        "Vacancies and sickness",
        "Children wait for decisions",
        3,
        3,
        "Permanent recruitment",
        "steady",
    ),
    (
        "Partnership business manager",
        "Partners' budgets are cut",
        "The business unit cannot run",
        3,
        4,
        "Agree the formula",
        "rising",
    ),
    (
        "Police exploitation lead",
        "Episodes seen one at a time",
        "Exploitation is missed",
        3,
        4,
        "Audit the trigger",
        "falling",
    ),
    (
        "Designated nurse",
        "Champions leave",
        "Neglect is not assessed",
        2,
        3,
        "Add champions",
        "steady",
    ),
    ("Designated doctor", "GP capacity", "Decisions lack health information", 2, 4, "", "falling"),
    ("Head of education", "School capacity", "Step-down is delayed", 2, 2, "", "steady"),
    ("Training manager", "Late cancellation", "Places are wasted", 1, 2, "", "falling"),
    (
        "Director of children's services",
        "No adult service at 18",
        "Young adults remain at risk",
        4,
        4,
        "Transitions panel",
        "rising",
    ),
    ("Head of performance", "New system", "Returns are late", 2, 2, "", "steady"),
    ("Youth participation lead", "Members move on", "Scrutiny stops", 2, 2, "", "steady"),
    (
        "Head of children's social care",
        "Caseloads",
        "Children live with neglect for longer",
        3,
        3,
        "Review plans",
        "steady",
    ),
)


def enrich_reviews(reviews: list[dict]) -> None:
    """Give each decided rapid review the national panel's view."""
    for review in reviews:
        review["panel_view"] = PANEL_VIEWS.get(review["outcome"]) if review["decided_on"] else None


def enrich_actions(actions: list[dict], *, seed: int, timeline: Timeline) -> None:
    """Completed actions get a date and evidence; about half also evidence of impact."""
    rng = rng_for(seed, "learning_action_evidence")
    for action in actions:
        _evidence(action, rng=rng, today=timeline.today)


def _evidence(action: dict, *, rng: np.random.Generator, today: dt.date) -> None:
    status = action["status"]
    action.setdefault("progress", PROGRESS[status])
    if status == "complete":
        done = min(action["due_date"] - dt.timedelta(days=int(rng.integers(0, 40))), today)
        action["completed_on"] = done
        action["completion_evidence"] = COMPLETION_EVIDENCE[int(rng.integers(3))]
        if rng.random() < 0.5 and done + dt.timedelta(days=90) <= today:
            action["impact_evidence"] = IMPACT_EVIDENCE[int(rng.integers(3))]
            action["impact_on"] = done + dt.timedelta(days=90)


def build_learning_reviews(
    *,
    seed: int,
    timeline: Timeline,
    agency_ids: dict[str, int],
    reviews: list[dict],
    first_action_id: int,
) -> tuple[list[dict], list[dict], list[dict]]:
    """Local reviews for rapid reviews that chose one, national reviews, the scrutineer's yearly
    reports, a joint targeted area inspection and the improvement plan: (reviews, theme tags,
    actions)."""
    rng = rng_for(seed, "learning_reviews")
    today = timeline.today
    out: list[dict] = []
    tags: list[dict] = []
    actions: list[dict] = []
    next_action = first_action_id

    def add(row: dict, themes: tuple[str, ...]) -> int:
        row["id"] = len(out) + 1
        row.setdefault("rapid_review_id", None)
        row.setdefault("delay_reason", None)
        row.setdefault("published_on", None)
        row.setdefault("recorded_by", "qa.demo")
        row["recorded_at"] = at_time(row["decided_on"], 15)
        out.append(row)
        tags.extend({"review_id": row["id"], "theme_code": code} for code in themes)
        return row["id"]

    def act(review_id: int, owner: str, text: str, response: str | None, decided: dt.date) -> None:
        nonlocal next_action
        due = decided + dt.timedelta(days=int(rng.integers(120, 270)))
        if due < today - dt.timedelta(days=60):
            status = "complete" if rng.random() < 0.8 else "in_progress"
        elif due < today:
            status = "in_progress"
        else:
            status = str(rng.choice(["open", "in_progress"]))
        action = {
            "id": next_action,
            "rapid_review_id": None,
            "review_id": review_id,
            "recommendation": text,
            "response": response,
            "action": response,
            "owner_agency_id": agency_ids[owner],
            "due_date": due,
            "status": status,
        }
        _evidence(action, rng=rng, today=today)
        actions.append(action)
        next_action += 1

    for review in reviews:
        if review["outcome"] != "lcspr" or review["decided_on"] is None:
            continue
        decided = review["decided_on"]
        months = int(rng.integers(4, 9))
        published: dt.date | None = decided + dt.timedelta(days=30 * months)
        delay = None
        if published is not None and published > today:
            published = None
        if published is not None and months > 6:
            delay = "Publication was delayed until criminal proceedings ended."
        add(
            {
                "reference": review["reference"].replace("RR", "LCSPR"),
                "kind": "local_review",
                "title": f"Local child safeguarding practice review after {review['reference']}",
                "rapid_review_id": review["id"],
                "decided_on": decided,
                "published_on": published,
                "delay_reason": delay,
                "summary": review["learning_summary"],
            },
            (review["theme_code"],),
        )
    for reference, title, published, themes, learning in NATIONAL_REVIEWS:
        if published > today or published < timeline.quarters[0].start_date:
            continue
        review_id = add(
            {
                "reference": reference,
                "kind": "national_review",
                "title": title,
                "decided_on": published,
                "published_on": published,
                "summary": learning,
            },
            themes,
        )
        act(
            review_id,
            "BCS",
            "Check the partnership's practice against the national review's findings.",
            "A partnership audit against the findings was agreed.",
            published,
        )
    year = timeline.quarters[0].fy_start_year
    while dt.date(year + 1, 6, 20) <= today:
        judged = dt.date(year + 1, 6, 20)
        review_id = add(
            {
                "reference": f"SCR-{year}-{(year + 1) % 100:02d}",
                "kind": "scrutiny",
                "title": f"Independent scrutineer's report {year}-{(year + 1) % 100:02d}",
                "decided_on": judged,
                "published_on": judged,
                "summary": "The scrutineer's view of the arrangements against the Wood criteria.",
            },
            (),
        )
        owner, text, response = SCRUTINY_RECOMMENDATIONS[(year - 2019) % 3]
        act(review_id, owner, text, response, judged)
        year += 1
    jtai = dt.date(2024, 3, 15)
    if timeline.quarters[0].start_date <= jtai <= today:
        review_id = add(
            {
                "reference": "JTAI-2024",
                "kind": "inspection",
                "title": "Joint targeted area inspection: children at risk of exploitation",
                "decided_on": jtai,
                "published_on": jtai + dt.timedelta(days=42),
                "summary": "Inspectors found strong joint work at the front door and delays in "
                "strategy discussions for children at risk of exploitation.",
            },
            ("complex_safeguarding", "mash"),
        )
        for owner, text, response in INSPECTION_RECOMMENDATIONS:
            act(review_id, owner, text, response, jtai)
        plan_id = add(
            {
                "reference": "PLAN-2024",
                "kind": "improvement_plan",
                "title": "The partnership's improvement plan after the inspection",
                "decided_on": jtai + dt.timedelta(days=70),
                "summary": "The actions the partners agreed after the inspection.",
            },
            ("mash", "neglect"),
        )
        for owner, text in IMPROVEMENT_ACTIONS:
            act(plan_id, owner, text, None, jtai + dt.timedelta(days=70))
    return out, tags, actions


ACTION_KEYS = (
    "rapid_review_id",
    "review_id",
    "response",
    "action",
    "progress",
    "completed_on",
    "completion_evidence",
    "impact_evidence",
    "impact_on",
)


def same_keys(rows: list[dict], keys: tuple[str, ...] = ACTION_KEYS) -> list[dict]:
    """Every row with every key (a bulk insert takes its columns from the first row)."""
    for row in rows:
        for key in keys:
            row.setdefault(key, None)
    return rows


def enrich_risks(risks: list[dict], *, timeline: Timeline) -> None:
    """The register's full entries; one risk's review is overdue."""
    for risk, detail in zip(risks, RISK_DETAIL, strict=False):
        owner, cause, consequence, likelihood, impact, further, trend = detail
        risk.update(
            owner=owner,
            cause=cause,
            consequence=consequence,
            likelihood_after=min(likelihood, risk["likelihood"]),
            impact_after=min(impact, risk["impact"]),
            further_actions=further or None,
            trend=trend,
        )
    # A review date that passed: the register flags it.
    for risk in risks:
        if risk["status"] == "open":
            risk["review_on"] = add_working_days(timeline.today, -10)
            break
