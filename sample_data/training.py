"""Multi-agency training: courses, sessions, attendance, evaluations and 3-6 month follow-ups.

The training indicators (learners, knowledge uplift, objectives met, places filled, practice
changed, follow-up response) are computed from these rows, so the page's figures and its tables
agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from data_access.periods import Quarter
from sample_data.partnership import Partnership
from sample_data.timeline import Timeline, rng_for

# code, title, theme, delivery, sessions per quarter at scale 1
COURSES: tuple[tuple[str, str, str | None, str, int], ...] = (
    ("MA-INTRO", "Working Together: multi-agency safeguarding essentials", None, "face_to_face", 5),
    ("MA-EHA", "Early help assessment and Team Around the Family", "early_help", "face_to_face", 3),
    ("MA-THRESH", "Applying the continuum of need (thresholds)", "mash", "virtual", 3),
    ("MA-STRAT", "Strategy discussions and section 47 enquiries", "mash", "virtual", 2),
    ("MA-DA", "Domestic abuse: recognising and responding", "mash", "face_to_face", 2),
    ("MA-GCP2", "Graded Care Profile 2 practitioner training", "neglect", "face_to_face", 2),
    (
        "MA-NEGL",
        "Neglect: the screening tool and lived experience of the child",
        "neglect",
        "virtual",
        2,
    ),
    ("MA-EXPL", "Child exploitation and county lines", "complex_safeguarding", "face_to_face", 2),
    (
        "MA-MISS",
        "Missing children and return home interviews",
        "complex_safeguarding",
        "virtual",
        1,
    ),
    ("MA-SELFH", "Self-harm: the early response pathway", None, "virtual", 1),
    ("MA-LEARN", "Learning from local case reviews (7-minute briefings)", None, "virtual", 2),
    ("EL-BASIC", "Safeguarding children: e-learning foundation module", None, "e_learning", 0),
)

FOLLOW_UP_EXAMPLES = (
    "I now complete the neglect screening tool before I ring the front door.",
    "We now hold Team Around the Family meetings in school rather than waiting for social care.",
    "I record the child's own words in my notes and share them at strategy discussions.",
    "I ask about who the young person spends time with outside home and school.",
    "I use the escalation policy when I disagree with a decision, and I have done so twice.",
    "Our team now checks that the GP has been told when a child becomes looked after.",
    "I offer a return home interview the same day the young person comes back.",
    "I use the Graded Care Profile with families instead of a general checklist.",
    "Supervision now includes a question about the child's lived experience.",
    "I understood the thresholds better and my contacts to the MASH are more focused.",
)


@dataclass
class QuarterTraining:
    """What the training indicators need from one quarter's rows."""

    learners: int = 0
    capacity: int = 0
    respondents: int = 0
    pre_good: int = 0
    post_good: int = 0
    objectives_met: int = 0
    follow_up_respondents: int = 0
    follow_up_contacted: int = 0
    follow_up_impact: int = 0
    learners_by_agency: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class TrainingRows:
    courses: list[dict]
    sessions: list[dict]
    attendance: list[dict]
    evaluations: list[dict]
    follow_ups: list[dict]
    by_quarter: list[QuarterTraining]


def build_training(
    *,
    seed: int,
    timeline: Timeline,
    partnership: Partnership,
    period_ids: list[int],
    agency_ids: dict[str, int],
) -> TrainingRows:
    """Courses, sessions each quarter, attendance by agency, evaluations and follow-ups."""
    rng = rng_for(seed, "training")
    courses = [
        {"id": i + 1, "code": code, "title": title, "theme_code": theme, "delivery": delivery}
        for i, (code, title, theme, delivery, _n) in enumerate(COURSES)
    ]
    agencies = list(partnership.agencies)
    sizes = np.array([a.size for a in agencies], dtype=float)
    # Health, education and council staff make up most learners.
    sector_boost = {
        "council": 1.4,
        "health": 1.3,
        "education": 1.3,
        "police": 1.0,
        "voluntary": 0.9,
        "justice": 0.8,
        "housing": 0.6,
    }
    weights = sizes * np.array([sector_boost[a.sector] for a in agencies])
    weights = weights / weights.sum()
    by_quarter = [QuarterTraining() for _ in timeline.quarters]
    sessions, attendance, evaluations, follow_ups = [], [], [], []
    session_id = attendance_id = follow_up_id = 0
    quarter_of = {q: i for i, q in enumerate(timeline.quarters)}
    latest_end = timeline.latest.end_date
    volume = max(partnership.volume, 0.05)

    for t, quarter in enumerate(timeline.quarters):
        lockdown = timeline.is_lockdown(t)
        for course_index, (_code, _title, _theme, delivery, per_quarter) in enumerate(COURSES):
            if per_quarter == 0:
                continue
            expected = per_quarter * volume
            if quarter.quarter == 2:
                expected *= 0.8  # fewer sessions over the summer holidays
            if lockdown and delivery == "face_to_face":
                expected = 0.0  # face-to-face courses paused; virtual ones carried on
            # The programme is planned, so counts are steady; small partnerships run some courses
            # only in some quarters.
            count = round(expected) if expected >= 1 else int(rng.random() < expected)
            for _ in range(count):
                session_id += 1
                day = quarter.start_date + dt.timedelta(days=int(rng.integers(3, 85)))
                while day.weekday() >= 5:
                    day += dt.timedelta(days=1)
                capacity = 40 if delivery == "virtual" else int(rng.choice([20, 24, 25, 30]))
                fill = float(np.clip(rng.normal(0.87, 0.07), 0.45, 1.0))
                learners = max(4, min(capacity, int(round(capacity * fill))))
                sessions.append(
                    {
                        "id": session_id,
                        "course_id": course_index + 1,
                        "session_date": day,
                        "period_id": period_ids[t],
                        "capacity": capacity,
                    }
                )
                # Attendance: a handful of agencies per session.
                k = min(len(agencies), int(rng.integers(3, 8)))
                chosen = rng.choice(len(agencies), size=k, replace=False, p=weights)
                split = rng.multinomial(learners, weights[chosen] / weights[chosen].sum())
                agg = by_quarter[t]
                for agency_index, n_learners in zip(chosen.tolist(), split.tolist(), strict=True):
                    if n_learners == 0:
                        continue
                    attendance_id += 1
                    code = agencies[agency_index].code
                    attendance.append(
                        {
                            "id": attendance_id,
                            "session_id": session_id,
                            "agency_id": agency_ids[code],
                            "learners": n_learners,
                        }
                    )
                    agg.learners_by_agency[code] += n_learners
                agg.learners += learners
                agg.capacity += capacity
                # Evaluation: about 29 points more rate their knowledge good or better afterwards.
                respondents = int(rng.binomial(learners, 0.82))
                pre = int(rng.binomial(respondents, float(np.clip(rng.normal(0.41, 0.05), 0, 1))))
                uplift = float(np.clip(rng.normal(0.29, 0.04), 0.1, 0.5))
                post = min(respondents, max(pre, int(round(pre + respondents * uplift))))
                met = int(rng.binomial(respondents, 0.99))
                evaluations.append(
                    {
                        "id": session_id,
                        "session_id": session_id,
                        "respondents": respondents,
                        "pre_good_or_better": pre,
                        "post_good_or_better": post,
                        "objectives_met": met,
                    }
                )
                agg.respondents += respondents
                agg.pre_good += pre
                agg.post_good += post
                agg.objectives_met += met
                # Follow-up 3-6 months later, if that has happened by the end of the data.
                follow_day = day + dt.timedelta(days=int(rng.integers(91, 183)))
                if follow_day <= latest_end:
                    follow_up_id += 1
                    contacted = learners
                    answered = int(
                        rng.binomial(
                            contacted,
                            float(
                                np.clip(rng.normal(timeline.ramp(t, 0.33, 0.43), 0.05), 0.1, 0.8)
                            ),
                        )
                    )
                    impact = int(
                        rng.binomial(
                            answered,
                            float(
                                np.clip(rng.normal(timeline.ramp(t, 0.64, 0.74), 0.04), 0.2, 0.95)
                            ),
                        )
                    )
                    level = int(rng.choice([1, 2, 3, 4], p=[0.1, 0.25, 0.45, 0.2]))
                    example = (
                        FOLLOW_UP_EXAMPLES[int(rng.integers(len(FOLLOW_UP_EXAMPLES)))]
                        if level >= 3 and impact
                        else None
                    )
                    follow_ups.append(
                        {
                            "id": follow_up_id,
                            "session_id": session_id,
                            "followed_up_on": follow_day,
                            "kirkpatrick_level": level,
                            "respondents": answered,
                            "reporting_impact": impact,
                            "example": example,
                        }
                    )
                    fq = quarter_of.get(Quarter.containing(follow_day))
                    if fq is not None:
                        by_quarter[fq].follow_up_contacted += contacted
                        by_quarter[fq].follow_up_respondents += answered
                        by_quarter[fq].follow_up_impact += impact
    return TrainingRows(courses, sessions, attendance, evaluations, follow_ups, by_quarter)
