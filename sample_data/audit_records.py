"""Case audits for the sample data: the audit topics, their graded cases, findings and actions.

All text is written for this fictional partnership. The audit findings echo the kind of issue seed
000 reports (GPs not told when a child becomes looked after, strategy minutes shared late, most
partners unaware of the self-harm pathway) in our own words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dashboard.metrics import quantity_words
from sample_data.partnership import Partnership
from sample_data.timeline import Timeline, at_time, rng_for

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
        def counted(text: str, position: int, cases: int) -> dict[str, object]:
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
            return {"text": text, "cases_seen": seen, "cases_sampled": sample}

        for position, text in enumerate(strengths):
            finding_id += 1
            rows.findings.append(
                {
                    "id": finding_id,
                    "audit_id": this_id,
                    "kind": "strength",
                    **counted(text, position, good_cases),
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
                    **counted(text, position, weak_cases),
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
