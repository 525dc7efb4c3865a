"""Approved plain-words versions for the youth pages: the sample's texts for young people.

Staff texts (assurance summaries, Section 11 evidence) are written for professionals and never
reach the youth pages. These are the separate versions a QA officer wrote and an administrator
approved, so the demo's youth pages read as a real partnership's would. Every one passes the
same checks as the approval form (tests/dashboard/test_youth_reading_ease.py).
"""

from __future__ import annotations

from sample_data.timeline import Timeline, at_time, rng_for

AUTHOR = "qa.demo"
APPROVER = "admin.demo"
# Youth versions exist for the most recent quarters; older quarters were never written up.
QUARTERS_WRITTEN = 8

THEME_POINTS: dict[str, dict[str, tuple[str, ...]]] = {
    "early_help": {
        "working_well": (
            "More families are getting help early, before things get worse.",
            "Schools are doing more to lead the help a family gets, not only social workers.",
            "When social workers stop working with a family, help often carries on in a "
            "lighter way.",
        ),
        "not_working_well": (
            "Some plans list the services a family gets but not what will change for the child.",
            "Meetings to plan help for a family do not always happen quickly enough.",
            "Some families come back for help soon after their help ended.",
        ),
        "next_steps": (
            "Workers will write plans that say what will change for the child.",
            "Schools and health workers will be asked to come to every family meeting.",
        ),
    },
    "mash": {
        "working_well": (
            "The police, health and the council now share what they know more quickly.",
            "More people who call with a worry now say clearly what they are worried about.",
        ),
        "not_working_well": (
            "Some people who call with a worry wait too long to hear what happened next.",
            "Notes from some meetings about a child are not shared soon enough.",
        ),
        "next_steps": (
            "The team will tell people who raise a worry what happened, and do it sooner.",
            "Notes from meetings will be shared within one working day.",
        ),
    },
    "neglect": {
        "working_well": (
            "More workers are using a checklist that helps them spot when a child is not "
            "looked after well at home.",
            "Health visitors and schools are noticing neglect earlier.",
        ),
        "not_working_well": (
            "Some children are helped, then need help again for the same reasons later on.",
            "Not every worker has been trained to use the neglect checklist.",
        ),
        "next_steps": (
            "More workers will be trained to use the neglect checklist this year.",
            "Workers will check back with families after help ends, to see if things stayed "
            "better.",
        ),
    },
    "complex_safeguarding": {
        "working_well": (
            "The police and youth workers now work together to spot young people at risk "
            "outside the home.",
            "Youth workers are meeting more young people where they spend their time.",
        ),
        "not_working_well": (
            "Some young people who go missing again and again are not spotted as at risk soon "
            "enough.",
            "Not every young person at risk has a plan for when they turn eighteen.",
        ),
        "next_steps": (
            "Workers will look at patterns, not one missing time at a time.",
            "Every young person at risk will have a plan for moving on to adult help.",
        ),
    },
    "training": {
        "working_well": (
            "Almost everyone who went on a course said it helped them do their job better.",
            "Staff say they feel more sure about what to do when they are worried about a child.",
        ),
        "not_working_well": (
            "Some staff book a place on a course and then do not turn up.",
            "We do not yet know enough about whether training changes what staff do later.",
        ),
        "next_steps": (
            "Managers will check with staff, a few months after a course, what they now do "
            "differently.",
            "Courses will include what was learned when things went wrong for a child.",
        ),
    },
}

# Points about one measure: said as going well only in a quarter whose brief calls the measure
# going well, and as not going well yet only when the brief says it needs attention (the staff
# pages' verdicts, `dashboard.metrics.youth_verdicts`); left out otherwise. Added after the
# figures are loaded (`measure_points`), so the words can never contradict the numbers.
MEASURE_POINTS: dict[str, dict[str, tuple[str, str]]] = {
    "mash": {
        "MASH_DECISION_1WD": (
            "Most worries about a child are looked at and decided on within one working day.",
            "Too many worries about a child wait more than one working day for a decision.",
        ),
    },
    "complex_safeguarding": {
        "CS_RHI_OFFERED_72H": (
            "Most young people who go missing are offered a chat with someone when they come back.",
            "Not every young person who comes back after going missing is offered a chat soon "
            "enough.",
        ),
    },
}

# The youth version of each staff evidence text and improvement promise in
# sample_data.section11_records (keyed by the staff text, so the two never drift apart silently).
S11_EVIDENCE_YOUTH: dict[str, str] = {
    "Policy in place, reviewed this year, and checked at a dip sample of staff files.": "They have clear rules, checked them this year, and looked at some staff records to "
    "make sure the rules are followed.",
    "Evidence provided and seen by the QA officer; staff could describe the arrangement.": "They showed us proof, and their staff could explain what they do.",
    "Board-level report and annual review submitted with the return.": "Their bosses get a report on this, and they check it every year.",
    "Arrangement in place but not yet reviewed against Working Together 2023.": "They have a plan for this, but have not checked it against the newest government "
    "rules.",
    "Policy exists; staff awareness was mixed in the agency's own survey.": "They have rules for this, but when they asked their staff, not all of them knew "
    "about the rules.",
    "Partly met: evidence covers some services but not all.": "Some of their teams do this well, but not all of them yet.",
    "No current evidence offered; the agency's lead has accepted this gap.": "They could not show proof, and the person in charge agrees they need to fix this.",
    "Arrangement lapsed when the post holder left.": "This stopped when the person who looked after it left their job.",
}
S11_ACTIONS_YOUTH: dict[str, str] = {
    "Review the policy and reissue it to all staff by the end of the next quarter.": "They will check their rules and send them to all staff within the next three months.",
    "Run a staff survey to test awareness and report the results to the QA group.": "They will ask their staff what they know, and tell the partnership what they find.",
    "Add this standard to the agency's safeguarding training and supervision checklist.": "They will add this to their staff training and to the checks managers do with staff.",
    "Appoint a named lead and confirm the arrangement in writing to the partnership.": "They will choose one person to be in charge of this and tell the partnership in "
    "writing.",
}

THEME_NAMES = {
    "early_help": "Early help",
    "mash": "The front door",
    "neglect": "Neglect",
    "complex_safeguarding": "Harm outside the home",
    "training": "Training",
}
CATEGORY_WORDS = {
    "working_well": "what is going well",
    "not_working_well": "what is not going well yet",
    "next_steps": "what happens next",
}


def build_youth_texts(
    *,
    seed: int,
    timeline: Timeline,
    cycles: list[dict],
    returns: list[dict],
    ratings: list[dict],
    agency_codes: dict[int, str],
    agency_names: dict[int, str],
    standard_numbers: dict[int, int],
) -> list[dict]:
    """Approved youth texts: theme points for recent quarters, and every Section 11 rating's
    evidence and promise in plain words. Two are left waiting for approval, for the demo."""
    rows: list[dict] = []
    written = at_time(timeline.today, 9)
    approved = at_time(timeline.today, 11)

    def add(subject: str, key: str, purpose: str, text: str, status: str = "approved") -> None:
        rows.append(
            {
                "id": len(rows) + 1,
                "subject": subject,
                "subject_key": key,
                "purpose": purpose[:300],
                "text": text,
                "author": AUTHOR,
                "created_at": written,
                "status": status,
                "approver": APPROVER if status == "approved" else None,
                "approved_at": approved if status == "approved" else None,
                "note": None,
            }
        )

    for quarter in timeline.quarters[-QUARTERS_WRITTEN:]:
        for theme, categories in THEME_POINTS.items():
            rng = rng_for(seed, "youth_texts", theme, quarter.code)
            for category, pool in categories.items():
                order = rng.permutation(len(pool)).tolist()
                chosen = [pool[i] for i in sorted(order[:2])]
                add(
                    "theme_point",
                    f"{theme}|{quarter.code}|{category}",
                    f"{THEME_NAMES[theme]}, {quarter.months_label()}: {CATEGORY_WORDS[category]}",
                    "\n".join(chosen),
                )

    cycle_names = {c["id"]: c["name"] for c in cycles}
    by_return = {r["id"]: r for r in returns}
    for rating in ratings:
        ret = by_return[rating["return_id"]]
        cycle = cycle_names[ret["cycle_id"]]
        code = agency_codes[ret["agency_id"]]
        number = standard_numbers[rating["standard_id"]]
        key = f"{cycle}|{code}|{number}"
        who = f"{agency_names[ret['agency_id']]}, standard {number}, {cycle} round"
        add(
            "s11_evidence",
            key,
            f"What {who} told us",
            S11_EVIDENCE_YOUTH[rating["evidence_summary"]],
        )
        if rating["improvement_action"]:
            add(
                "s11_action",
                key,
                f"What {who} will do",
                S11_ACTIONS_YOUTH[rating["improvement_action"]],
            )

    # Two new versions waiting for a second person, so the approval page has work to show.
    latest = timeline.quarters[-1]
    add(
        "theme_point",
        f"training|{latest.code}|working_well",
        f"{THEME_NAMES['training']}, {latest.months_label()}: {CATEGORY_WORDS['working_well']}",
        "More staff from schools and the police came to training this time.",
        status="waiting",
    )
    add(
        "theme_point",
        f"mash|{latest.code}|next_steps",
        f"{THEME_NAMES['mash']}, {latest.months_label()}: {CATEGORY_WORDS['next_steps']}",
        "The team will explain its decisions to families in plain words.",
        status="waiting",
    )
    return rows


def measure_points(
    *, timeline: Timeline, verdicts: dict[tuple[str, str], str | None]
) -> dict[str, list[str]]:
    """{theme point key: lines to add} for the measure points (`MEASURE_POINTS`) of the
    quarters the youth texts cover, each placed by `verdicts` {(indicator code, quarter code):
    "working_well" / "not_working_well" / None} (from the quarter brief); a measure with no
    verdict (amber without a concern, no figure) gets no line. The lines are added to the
    approved text of that theme, quarter and category (one text per key)."""
    lines: dict[str, list[str]] = {}
    for quarter in timeline.quarters[-QUARTERS_WRITTEN:]:
        for theme, measures in MEASURE_POINTS.items():
            for code, (going_well, not_yet) in measures.items():
                verdict = verdicts.get((code, quarter.code))
                if verdict not in ("working_well", "not_working_well"):
                    continue
                key = f"{theme}|{quarter.code}|{verdict}"
                lines.setdefault(key, []).append(
                    going_well if verdict == "working_well" else not_yet
                )
    return lines
