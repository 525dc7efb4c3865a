"""Qualitative records: audits and their actions, Section 11 returns, youth challenges, rapid
reviews, the risk register, scrutiny judgements and executive decisions.

All text is written for this fictional partnership. The audit findings echo the kind of issue seed
000 reports (GPs not told when a child becomes looked after, strategy minutes shared late, most
partners unaware of the self-harm pathway) in our own words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dashboard.metrics import quantity_words
from sample_data.partnership import MISSING_LATEST_S11, Partnership
from sample_data.timeline import Timeline, add_working_days, at_time, rng_for

QA_OFFICER = "qa.demo"


@dataclass(frozen=True)
class AuditTopic:
    key: str
    title: str
    theme: str
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]  # (owner agency code, action)
    evidence: tuple[str, ...]
    # What a re-audit found improved (only for topics that are re-audited).
    improved: str = "Practice has improved since the first audit."


TOPICS: tuple[AuditTopic, ...] = (
    AuditTopic(
        "gp_lac",
        "GP notification when children become looked after",
        "mash",
        (
            "Social workers recorded health needs clearly once the GP's information was received.",
            "Looked-after children's initial health assessments were requested promptly.",
        ),
        (
            "GPs were not routinely told when a child became looked after, so assessments and plans "
            "missed health information and GPs did not know the child's vulnerabilities.",
            "There is no single point in the case recording system that prompts the notification.",
        ),
        (
            (
                "BCS",
                "Brief all social work teams on notifying the GP of every change in a child's "
                "looked-after status, and add a prompt to the case recording system.",
            ),
            (
                "ICB",
                "Ask GP practices to code looked-after status on the child's record and report "
                "any notifications not received.",
            ),
        ),
        (
            "Briefings delivered to all five social work teams; prompt live in the case system.",
            "GP coding checked in a sample of practices: notifications now received in most cases.",
        ),
        "GPs were told promptly when the child became looked after, and health information "
        "appeared in the plan.",
    ),
    AuditTopic(
        "strategy_minutes",
        "Strategy discussions: timeliness and sharing of minutes",
        "mash",
        (
            "Strategy discussions were convened quickly once risk of significant harm was identified.",
            "Police, health and social care attended nearly every discussion sampled.",
        ),
        (
            "Minutes of strategy discussions were not shared with partners in a timely way, so some "
            "agencies acted without a record of what was agreed.",
            "Some discussions were held that did not need to be, which adds to delay.",
        ),
        (
            (
                "BCS",
                "Record strategy discussion minutes around actions and owners, and share them "
                "within one working day.",
            ),
            (
                "MPOL",
                "Confirm receipt of minutes and raise missing minutes with the MASH team "
                "manager the same day.",
            ),
        ),
        (
            "New action-focused minute template in use; sharing within one working day now tracked "
            "weekly.",
            "Threshold briefings delivered to partners; fewer unnecessary discussions.",
        ),
        "Minutes focused on actions reached partners within a working day in most cases.",
    ),
    AuditTopic(
        "self_harm",
        "Self-harm: the early response pathway",
        "complex_safeguarding",
        (
            "Where the pathway was used, young people were seen by CAMHS quickly.",
            "School staff responded to disclosures with care and recorded the young person's words.",
        ),
        (
            "About three in four practitioners audited did not know the self-harm referral pathway "
            "and were not confident giving an early response.",
            "Safety plans were rarely shared with the young person's school.",
        ),
        (
            (
                "MMHT",
                "Relaunch the self-harm pathway with a one-page guide and short virtual "
                "sessions for schools and GPs.",
            ),
            (
                "BSAT",
                "Make sure each secondary school's designated safeguarding lead has briefed "
                "staff on the pathway.",
            ),
        ),
        (
            "Pathway relaunched; guide sent to every school and GP practice.",
            "Designated safeguarding leads confirmed staff briefings at their network meeting.",
        ),
        "Most practitioners now knew the self-harm pathway and used it to get an early response.",
    ),
    AuditTopic(
        "gcp2",
        "Neglect: use of the Graded Care Profile in child protection plans",
        "neglect",
        (
            "Where a Graded Care Profile was completed, plans were specific about the child's daily "
            "care.",
            "Health visitors contributed detailed observations of home conditions.",
        ),
        (
            "Few children on a plan for neglect had a Graded Care Profile, so progress was hard to "
            "measure.",
            "Plans repeated actions from one review to the next without a clear change "
            "for the child.",
        ),
        (
            (
                "BCS",
                "Add the Graded Care Profile to the conference checklist for every neglect case.",
            ),
            (
                "BCHS",
                "Train all health visitors in the Graded Care Profile and name a champion in "
                "each team.",
            ),
        ),
        (
            "Checklist updated and in use at every initial conference.",
            "All health visiting teams trained; champions named.",
        ),
    ),
    AuditTopic(
        "eha_quality",
        "Early help assessments: quality of plans and outcomes",
        "early_help",
        (
            "Families said they felt listened to and knew who their lead practitioner was.",
            "Team Around the Family meetings were well attended by schools.",
        ),
        (
            "Plans listed services rather than what would change for the child.",
            "Case closure for non-engagement was decided differently by different agencies.",
        ),
        (
            ("BCS", "Run early help assessment workshops on writing outcome-focused plans."),
            (
                "BPSP",
                "Agree the partnership's closure and non-engagement protocol with all "
                "primary schools.",
            ),
        ),
        (
            "Workshops delivered in each locality; plans in the follow-up sample were clearer.",
            "Protocol signed off by the Early Help Strategic Group.",
        ),
    ),
    AuditTopic(
        "missing",
        "Missing children: return home interviews and information sharing",
        "complex_safeguarding",
        (
            "Return home interviews were offered quickly and young people's own accounts were "
            "recorded.",
            "The police missing-person coordinator shared patterns with the panel.",
        ),
        (
            "Information from return home interviews did not always reach the social worker or "
            "the school.",
            "Repeat missing episodes did not always trigger a strategy discussion.",
        ),
        (
            (
                "SRET",
                "Share every completed return home interview with the social worker and "
                "school within two working days.",
            ),
            (
                "MPOL",
                "Refer any child missing three times in 90 days to the complex safeguarding panel.",
            ),
        ),
        (
            "Sharing now tracked in the provider's monthly report.",
            "Panel referral rule in place; repeat-missing list reviewed monthly.",
        ),
    ),
    AuditTopic(
        "da_schools",
        "Domestic abuse notifications and the school response",
        "mash",
        (
            "Notifications reached schools before the next school day in almost every case.",
            "Designated safeguarding leads offered a trusted adult to the child.",
        ),
        (
            "Schools did not always record what support they offered after a notification.",
            "Notifications over the school holidays were not always followed up in September.",
        ),
        (
            ("BSAT", "Add a record of support offered to each notification log."),
            ("BCS", "Re-send holiday notifications to schools at the start of term."),
        ),
        (
            "Logs checked at a sample of schools: support now recorded.",
            "Start-of-term re-send built into the MASH calendar.",
        ),
    ),
    AuditTopic(
        "transitions",
        "Child exploitation: moving to adult services at 18",
        "complex_safeguarding",
        (
            "Young people's plans named the adults they trusted.",
            "Youth justice and children's social care planned jointly for young people in both "
            "services.",
        ),
        (
            "Transition planning started too late for several young people still at risk.",
            "Adult social care and probation were not invited to the final reviews.",
        ),
        (
            (
                "BCS",
                "Start transition planning at 17 for every young person at high or medium risk.",
            ),
            ("PROB", "Attend the complex safeguarding panel for young people turning 18."),
        ),
        ("Transition tracker in place from age 17.", "Probation attending panel monthly."),
    ),
    AuditTopic(
        "voice",
        "The child's voice in multi-agency plans",
        "early_help",
        (
            "Most plans quoted the child or described how they communicate.",
            "Younger children's views were gathered through play and observation.",
        ),
        (
            "Plans for disabled children rarely recorded how the child's views were sought.",
            "The child's words were not carried into the conference report.",
        ),
        (
            ("BCS", "Add a 'what the child told us' section to every plan template."),
            ("BCVS", "Offer advocacy to children in plans through the voluntary sector."),
        ),
        (
            "Template updated across early help and social care.",
            "Advocacy offer published and used by schools.",
        ),
    ),
    AuditTopic(
        "thresholds",
        "Applying the continuum of need at the front door",
        "training",
        (
            "Partners who had attended threshold training made well-evidenced contacts.",
            "Consent was discussed with families before most contacts.",
        ),
        (
            "Some contacts asked for a service rather than describing the worry about the child.",
            "Feedback to referrers on the outcome of their contact was inconsistent.",
        ),
        (
            (
                "BCS",
                "Tell every professional referrer the outcome of their contact within three "
                "working days.",
            ),
            ("BCVS", "Run threshold briefings for voluntary sector staff."),
        ),
        (
            "Outcome letters now sent automatically from the case system.",
            "Briefings delivered; voluntary sector contacts better evidenced.",
        ),
    ),
)

SINGLE_AGENCY_TOPICS = (
    ("BHFT", "Emergency department: safeguarding questions for children attending", "mash"),
    ("BCHS", "Health visiting: recording of home conditions", "neglect"),
    ("MPOL", "Police: voice of the child in domestic abuse reports", "mash"),
    ("BSAT", "Schools: recording of safeguarding concerns", "early_help"),
    ("BYJS", "Youth justice: exploitation screening at first contact", "complex_safeguarding"),
    ("BHOM", "Housing: referrals of families in temporary accommodation", "neglect"),
)

# Seed 000's three findings are each re-audited 6-9 months later.
REAUDITED_TOPICS = ("gp_lac", "strategy_minutes", "self_harm")

GRADES = ("outstanding", "good", "requires_improvement", "inadequate")


def _case_grades(rng: np.random.Generator, n: int, better: bool) -> list[str]:
    p = [0.1, 0.55, 0.3, 0.05] if better else [0.05, 0.42, 0.41, 0.12]
    return [GRADES[i] for i in rng.choice(4, size=n, p=p)]


@dataclass
class AuditRows:
    audits: list[dict]
    audit_agencies: list[dict]
    cases: list[dict]
    findings: list[dict]
    actions: list[dict]
    updates: list[dict]


def build_audits(
    *,
    seed: int,
    timeline: Timeline,
    partnership: Partnership,
    agency_ids: dict[str, int],
    locality_ids: list[int],
) -> AuditRows:
    """Multi- and single-agency audits, with cases, findings, actions, updates and re-audits."""
    rng = rng_for(seed, "audits")
    today = timeline.today
    rows = AuditRows([], [], [], [], [], [])
    core_codes = [a.code for a in partnership.agencies[:15]]
    first = timeline.quarters[0].start_date
    last_end = timeline.latest.end_date

    # Schedule: the multi-agency programme works through the topics, 3-4 a year; single-agency
    # audits twice a year; the first three topics are re-audited 6-9 months later.
    plan: list[tuple[dt.date, str, object, int | None]] = []
    day = first + dt.timedelta(days=40)
    topic_cycle = 0
    while day <= last_end + dt.timedelta(days=60):
        topic: object = TOPICS[topic_cycle % len(TOPICS)]
        plan.append((day, "multi_agency", topic, None))
        topic_cycle += 1
        day += dt.timedelta(days=int(rng.integers(95, 125)))
    day = first + dt.timedelta(days=100)
    single_i = 0
    while day <= last_end:
        plan.append((day, "single_agency", SINGLE_AGENCY_TOPICS[single_i % 6], None))
        single_i += 1
        day += dt.timedelta(days=int(rng.integers(170, 200)))
    plan.sort(key=lambda p: (p[0], p[1]))

    audit_id = case_id = finding_id = action_id = update_id = 0
    reaudit_of: dict[str, int] = {}
    pending_reaudits: list[tuple[dt.date, AuditTopic, int]] = []
    multi_count = 0

    def add_audit(day: dt.date, kind: str, topic: object, original: int | None) -> None:
        nonlocal audit_id, case_id, finding_id, action_id, update_id, multi_count
        audit_id += 1
        this_id = audit_id
        future = day > today
        in_progress = not future and (today - day).days < 45
        status = "planned" if future else ("in_progress" if in_progress else "complete")
        if kind == "multi_agency":
            assert isinstance(topic, AuditTopic)
            title, theme = topic.title, topic.theme
            owners = [code for code, _ in topic.actions]
            extra = [
                c for c in rng.choice(core_codes, size=4, replace=False).tolist() if c not in owners
            ]
            involved = owners + extra[: int(rng.integers(1, 4))]
            lead = owners[0]
        else:
            lead, title, theme = topic  # type: ignore[misc]
            involved = [lead]
        reaudit = original is not None
        if reaudit:
            title = f"Re-audit: {title}"
        sample = 0 if future else int(rng.integers(6, 13))
        ref_prefix = "MAA" if kind == "multi_agency" else "SAA"
        reaudit_due = None
        if kind == "multi_agency" and not reaudit:
            multi_count += 1
            reaudit_due = day + dt.timedelta(days=int(rng.integers(180, 270)))
        rows.audits.append(
            {
                "id": this_id,
                "reference": f"{ref_prefix}-{day.year}-{this_id:03d}",
                "title": title,
                "theme_code": theme,
                "audit_type": kind,
                "audit_date": day,
                "sample_size": sample,
                "status": status,
                "lead_agency_id": agency_ids[lead],
                "reaudit_of_id": original,
                "reaudit_due": reaudit_due,
                "summary": _audit_summary(kind, title, sample, reaudit, status),
                "created_by": QA_OFFICER,
                "created_at": at_time(min(day, today), 10),
            }
        )
        for code in dict.fromkeys(involved):
            rows.audit_agencies.append({"audit_id": this_id, "agency_id": agency_ids[code]})
        if future:
            return
        voice_p = float(rng.uniform(0.72, 0.88) if reaudit else rng.uniform(0.52, 0.72))
        grades = _case_grades(rng, sample, reaudit)
        good_cases = sum(1 for g in grades if g in ("outstanding", "good"))
        weak_cases = sample - good_cases
        for i, grade in enumerate(grades):
            case_id += 1
            rows.cases.append(
                {
                    "id": case_id,
                    "audit_id": this_id,
                    "case_ref": f"K{this_id:03d}-{int(rng.integers(0, 16**5)):05X}{i}",
                    "grade": grade,
                    "child_voice_evidenced": bool(rng.random() < voice_p),
                    "locality_id": locality_ids[int(rng.integers(len(locality_ids)))],
                }
            )
        if status != "complete":
            return
        if kind == "multi_agency":
            assert isinstance(topic, AuditTopic)
            strengths = list(topic.strengths)
            improvements = list(topic.improvements)
            actions = list(topic.actions)
            evidence = list(topic.evidence)
            if reaudit:
                strengths = [topic.improved, strengths[0]]
                improvements = [improvements[1]]
                actions = actions[1:]
                evidence = evidence[1:]
        else:
            strengths = [
                "Records were up to date and the agency's safeguarding lead was "
                "consulted appropriately."
            ]
            improvements = ["The child's own words were not always recorded."]
            actions = [
                (lead, "Remind staff to record the child's words and check this in supervision.")
            ]
            evidence = ["Supervision checklist updated; spot checks show improvement."]

        # Each finding says how many of the sampled cases it rests on, and the count fits the
        # finding's own quantity words ("nearly every", "about three in four"): the counts are
        # drawn from those that fit (dashboard.metrics.quantity_words, the product's one rule).
        def counted(text: str, position: int, cases: int) -> str:
            seen = max(1, cases) if position == 0 else int(rng.integers(1, max(2, cases + 1)))
            seen = min(seen, sample)
            words = quantity_words.find_quantity_words(text)
            if words and not all(quantity_words.word_fits(w, seen, sample) for w in words):
                fitting = [
                    n
                    for n in range(1, sample + 1)
                    if all(quantity_words.word_fits(w, n, sample) for w in words)
                ]
                if fitting:
                    seen = int(rng.choice(fitting))
            return f"{text.rstrip('.')} (seen in {seen} of {sample} cases)."

        for position, text in enumerate(strengths):
            finding_id += 1
            rows.findings.append(
                {
                    "id": finding_id,
                    "audit_id": this_id,
                    "kind": "strength",
                    "text": counted(text, position, good_cases),
                }
            )
        finding_ids = []
        for position, text in enumerate(improvements):
            finding_id += 1
            finding_ids.append(finding_id)
            rows.findings.append(
                {
                    "id": finding_id,
                    "audit_id": this_id,
                    "kind": "area_for_improvement",
                    "text": counted(text, position, weak_cases),
                }
            )
        for i, (owner, text) in enumerate(actions):
            action_id += 1
            due = day + dt.timedelta(days=int(rng.integers(60, 150)))
            age = (today - due).days
            roll = rng.random()
            # Old actions are mostly done; the last year's leave a tail of overdue ones to chase.
            if age > 365:
                status_a = "complete" if roll < 0.9 else ("cancelled" if roll < 0.95 else "open")
            elif age > 120:
                status_a = "complete" if roll < 0.55 else ("in_progress" if roll < 0.75 else "open")
            elif age > 0:
                status_a = "complete" if roll < 0.35 else ("in_progress" if roll < 0.7 else "open")
            else:
                status_a = "in_progress" if roll < 0.5 else "open"
            completed_on = None
            action_evidence = None
            if status_a == "complete":
                completed_on = min(today, due + dt.timedelta(days=int(rng.integers(-40, 25))))
                completed_on = max(completed_on, day + dt.timedelta(days=14))
                action_evidence = evidence[i % len(evidence)]
            last_update = completed_on or min(today, day + dt.timedelta(days=30))
            rows.actions.append(
                {
                    "id": action_id,
                    "audit_id": this_id,
                    "finding_id": finding_ids[i % len(finding_ids)],
                    "description": text,
                    "owner_agency_id": agency_ids[owner],
                    "due_date": due,
                    "status": status_a,
                    "completed_on": completed_on,
                    "evidence": action_evidence,
                    "updated_by": QA_OFFICER,
                    "updated_at": at_time(last_update, 15),
                }
            )
            history: list[tuple[str, dt.date, str | None]] = [
                ("open", day + dt.timedelta(days=7), None)
            ]
            if status_a in ("in_progress", "complete"):
                history.append(
                    (
                        "in_progress",
                        min(today, day + dt.timedelta(days=30)),
                        "Work started; owner has confirmed a lead.",
                    )
                )
            if status_a == "complete":
                assert completed_on is not None
                history.append(("complete", completed_on, action_evidence))
            if status_a == "cancelled":
                history.append(
                    (
                        "cancelled",
                        min(today, due),
                        "Superseded by the revised partnership procedure.",
                    )
                )
            for st, when, ev in history:
                update_id += 1
                rows.updates.append(
                    {
                        "id": update_id,
                        "action_id": action_id,
                        "status": st,
                        "evidence": ev,
                        "updated_by": QA_OFFICER,
                        "updated_at": at_time(min(when, today), 11),
                    }
                )
        if kind == "multi_agency" and not reaudit:
            assert isinstance(topic, AuditTopic)
            if topic.key in REAUDITED_TOPICS and topic.key not in reaudit_of:
                reaudit_of[topic.key] = this_id
                due_on = rows.audits[this_id - 1]["reaudit_due"]
                pending_reaudits.append((due_on, topic, this_id))

    for day, kind, topic, _ in plan:
        while pending_reaudits and pending_reaudits[0][0] <= day:
            due_on, r_topic, original = pending_reaudits.pop(0)
            add_audit(due_on, "multi_agency", r_topic, original)
        add_audit(day, kind, topic, None)
    for due_on, r_topic, original in pending_reaudits:
        add_audit(due_on, "multi_agency", r_topic, original)
    return rows


def _audit_summary(kind: str, title: str, sample: int, reaudit: bool, status: str) -> str:
    if status == "planned":
        return (
            f"Planned {kind.replace('_', '-')} audit: {title.lower()}. Cases will be selected "
            "a month before the audit day."
        )
    who = "Partners" if kind == "multi_agency" else "The agency"
    if reaudit:
        return (
            f"{who} re-audited {sample} cases to test whether the first audit's actions "
            "have changed practice."
        )
    return f"{who} audited {sample} cases together, graded each one and agreed actions."


# --- Section 11 --------------------------------------------------------------------------------

S11_CYCLES = (
    ("2022-24", dt.date(2022, 9, 1), dt.date(2022, 12, 16)),
    ("2024-26", dt.date(2024, 9, 2), dt.date(2024, 12, 13)),
)

SIGN_OFF = {
    "council": "Director of Children's Services",
    "health": "Chief Nurse",
    "police": "Detective Superintendent, Public Protection",
    "education": "Headteacher and Designated Safeguarding Lead",
    "voluntary": "Chief Executive",
    "justice": "Head of Service",
    "housing": "Director of Housing Services",
}

S11_EVIDENCE = {
    "green": (
        "Policy in place, reviewed this year, and checked at a dip sample of staff files.",
        "Evidence provided and seen by the QA officer; staff could describe the arrangement.",
        "Board-level report and annual review submitted with the return.",
    ),
    "amber": (
        "Arrangement in place but not yet reviewed against Working Together 2023.",
        "Policy exists; staff awareness was mixed in the agency's own survey.",
        "Partly met: evidence covers some services but not all.",
    ),
    "red": (
        "No current evidence offered; the agency's lead has accepted this gap.",
        "Arrangement lapsed when the post holder left.",
    ),
}
S11_ACTIONS = (
    "Review the policy and reissue it to all staff by the end of the next quarter.",
    "Run a staff survey to test awareness and report the results to the QA group.",
    "Add this standard to the agency's safeguarding training and supervision checklist.",
    "Appoint a named lead and confirm the arrangement in writing to the partnership.",
)


def build_section11(
    *,
    seed: int,
    timeline: Timeline,
    partnership: Partnership,
    agency_ids: dict[str, int],
    standard_ids: list[int],
) -> tuple[list[dict], list[dict], list[dict]]:
    """Two cycles of self-assessments: every agency in the first, all but one in the second."""
    rng = rng_for(seed, "section11")
    today = timeline.today
    cycles, returns, ratings = [], [], []
    return_id = rating_id = 0
    previous: dict[tuple[str, int], str] = {}
    for c, (name, opens, due) in enumerate(S11_CYCLES, start=1):
        cycles.append({"id": c, "name": name, "opens_on": opens, "due_on": due})
        for agency in partnership.agencies:
            if c == len(S11_CYCLES) and agency.code == MISSING_LATEST_S11:
                continue
            submitted = due + dt.timedelta(days=int(rng.integers(-25, 30)))
            submitted = min(submitted, today)
            if submitted < opens:
                continue
            return_id += 1
            returns.append(
                {
                    "id": return_id,
                    "agency_id": agency_ids[agency.code],
                    "cycle_id": c,
                    "submitted_on": submitted,
                    "signed_off_by_role": SIGN_OFF[agency.sector],
                }
            )
            for number, standard_id in enumerate(standard_ids, start=1):
                before = previous.get((agency.code, number))
                if before is None:
                    p = [0.52, 0.37, 0.11]
                elif before == "red":
                    p = [0.3, 0.6, 0.1]
                elif before == "amber":
                    p = [0.6, 0.36, 0.04]
                else:
                    p = [0.9, 0.09, 0.01]
                rating = ("green", "amber", "red")[int(rng.choice(3, p=p))]
                previous[(agency.code, number)] = rating
                rating_id += 1
                texts = S11_EVIDENCE[rating]
                ratings.append(
                    {
                        "id": rating_id,
                        "return_id": return_id,
                        "standard_id": standard_id,
                        "rating": rating,
                        "evidence_summary": texts[int(rng.integers(len(texts)))],
                        "improvement_action": None
                        if rating == "green"
                        else S11_ACTIONS[int(rng.integers(len(S11_ACTIONS)))],
                    }
                )
    return cycles, returns, ratings


# --- Youth council challenges -------------------------------------------------------------------

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


# --- Rapid reviews and case review actions -----------------------------------------------------

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


# --- Risk register, scrutiny, decisions ---------------------------------------------------------

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
