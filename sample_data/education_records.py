"""Schools and colleges for the sample, and their annual safeguarding audit (section 175/157).

One setting for about every 700 children in a locality (72 at scale 1), one year's audit: most
return by the due date, a few late, a few not at all. Drawn from their own random stream, so
nothing else in the sample changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sample_data.partnership import Partnership
from sample_data.timeline import Timeline, rng_for

CHILDREN_PER_SETTING = 700
# The audit opens at the start of the autumn half-term and is due before the spring term ends.
OPENS = (10, 1)
DUE = (1, 30)

_STEMS = (
    "St Mary's CE",
    "Oakfield",
    "Riverside",
    "Hillcrest",
    "Meadowbank",
    "Holy Trinity",
    "Brook Lane",
    "Elmhurst",
    "Kingsway",
    "Fairfield",
    "Ashgrove",
    "Willow Park",
    "St Joseph's Catholic",
    "Millbrook",
    "Greenacres",
    "Longford",
    "Castle View",
    "Beechwood",
    "Northgate",
    "Sandy Hill",
    "Parkside",
    "Lime Tree",
    "Orchard",
    "Fernhill",
    "Hawthorn",
    "Rosebank",
    "St Peter's CE",
    "Bridgewater",
    "Moorside",
    "Highfield",
    "Our Lady's Catholic",
    "Thornbury",
    "Westwood",
    "Foxhill",
    "Harbour",
    "Cedar Grove",
    "Stonebridge",
    "Redhill",
    "Larkspur",
    "Queensway",
)
# phase -> (share of settings, share that are academies or independent, i.e. section 157)
_PHASES = {
    "primary": (0.74, 0.45),
    "secondary": (0.16, 0.85),
    "all_through": (0.03, 1.0),
    "special": (0.04, 0.5),
    "alternative_provision": (0.03, 0.3),
}
_PHASE_NAMES = {
    "primary": "Primary School",
    "secondary": "Academy",
    "all_through": "All-Through School",
    "special": "Special School",
    "alternative_provision": "Learning Centre",
    "college": "College",
}
# The standards schools most often found hard (filtering and monitoring, online safety,
# attendance, teaching, pupil voice): more amber and red.
HARDER_STANDARDS = (6, 7, 8, 12, 13)
_EVIDENCE = {
    "green": (
        "Evidence seen at the governors' safeguarding visit; the policy and records are current.",
        "Checked by the designated safeguarding lead this term; staff could describe the procedure.",
        "Annual report to governors and a dip sample of records support the rating.",
    ),
    "amber": (
        "In place but not yet reviewed against this year's Keeping Children Safe in Education.",
        "Partly met: the arrangement works in most of the school but is not yet consistent.",
    ),
    "red": (
        "Not in place this year; the headteacher has accepted the gap and set an action.",
        "Lapsed when the post holder left; cover is being arranged.",
    ),
}
# The actions schools wrote, by standard number: the words the themes group.
_ACTIONS = {
    1: ("Name a safeguarding governor and add safeguarding to every full governors' meeting.",),
    2: (
        "Train a second deputy designated safeguarding lead to cover absence.",
        "Protect time in the timetable for the designated safeguarding lead.",
    ),
    3: ("Review the child protection policy against this year's guidance and publish it.",),
    4: (
        "Complete the single central record checks and train a second recruiter.",
        "Put a safer recruitment trained person on every interview panel.",
    ),
    5: ("Run refresher training for staff who missed it and record it for every member of staff.",),
    6: (
        "Deliver online safety sessions for parents and carers each term.",
        "Map online safety teaching across every year group.",
    ),
    7: (
        "Review filtering and monitoring against the DfE standards with the IT provider.",
        "Give the designated safeguarding lead access to monitoring reports each week.",
    ),
    8: (
        "Follow up every unexplained absence on the first day.",
        "Report children leaving the roll to the local authority within five days.",
    ),
    9: ("Train staff to start early help assessments and hold Team Around the Family meetings.",),
    10: (
        "Move safeguarding records to the secure electronic system.",
        "Transfer files within five days when a pupil moves school.",
    ),
    11: ("Brief all staff on raising low-level concerns and the role of the LADO.",),
    12: (
        "Review relationships, sex and health education teaching on consent.",
        "Add teaching about child-on-child abuse to the curriculum plan.",
    ),
    13: (
        "Set up a pupil safeguarding group that includes pupils with SEND.",
        "Survey pupils on whom they would tell about a worry and act on the results.",
    ),
}
SIGN_OFF = {
    "section_175": "Headteacher and chair of governors",
    "section_157": "Headteacher and chair of the trust's board",
}


@dataclass
class EducationSample:
    """The rows the sample writes for schools, colleges and their audit."""

    settings: list[dict] = field(default_factory=list)
    cycles: list[dict] = field(default_factory=list)
    returns: list[dict] = field(default_factory=list)
    ratings: list[dict] = field(default_factory=list)


def audit_year(today: dt.date) -> int:
    """The start year of the latest academic year whose audit was due before `today`."""
    year = today.year - 1
    while dt.date(year + 1, *DUE) >= today:
        year -= 1
    return year


def _setting_names(phases: list[str], locality: str, used: set[str]) -> list[str]:
    """A name for each setting: a stem and its phase, the locality added when the name is
    taken, and a number as a last resort."""
    place = locality.split()[-1]
    names = []
    for phase in phases:
        stem = _STEMS[len(used) % len(_STEMS)]
        name = f"{stem} {_PHASE_NAMES[phase]}"
        if name in used:
            name = f"{stem} {_PHASE_NAMES[phase]}, {place}"
        number = 2
        while name in used:
            name = f"{stem} {_PHASE_NAMES[phase]} {number}, {place}"
            number += 1
        used.add(name)
        names.append(name)
    return names


def build_education(
    *,
    seed: int,
    timeline: Timeline,
    partnership: Partnership,
    locality_ids: list[int],
    standard_ids: list[int],
    first_cycle_id: int,
    first_return_id: int,
    first_rating_id: int,
) -> EducationSample:
    """The settings (a college in every other locality), one audit cycle, returns and ratings."""
    rng = rng_for(seed, "education_audit")
    sample = EducationSample()
    used: set[str] = set()
    phase_names = list(_PHASES)
    shares = [share for share, _academies in _PHASES.values()]
    for index, (locality, locality_id) in enumerate(
        zip(partnership.localities, locality_ids, strict=True)
    ):
        count = max(2, round(locality.child_population / CHILDREN_PER_SETTING))
        phases = [phase_names[int(i)] for i in rng.choice(len(phase_names), size=count, p=shares)]
        if index % 2 == 0:
            phases[-1] = "college"
        for phase, name in zip(phases, _setting_names(phases, locality.name, used), strict=True):
            academy_share = 0.0 if phase == "college" else _PHASES[phase][1]
            duty = "section_157" if rng.random() < academy_share else "section_175"
            sample.settings.append(
                {
                    "id": len(sample.settings) + 1,
                    "code": f"{100_001 + len(sample.settings) * 37}",
                    "name": name,
                    "phase": phase,
                    "duty": duty,
                    "locality_id": locality_id,
                    "active": True,
                }
            )

    year = audit_year(timeline.today)
    opens, due = dt.date(year, *OPENS), dt.date(year + 1, *DUE)
    sample.cycles.append(
        {
            "id": first_cycle_id,
            "framework": "education_175_157",
            "name": f"{year}-{(year + 1) % 100:02d}",
            "opens_on": opens,
            "due_on": due,
        }
    )
    return_id, rating_id = first_return_id, first_rating_id
    for setting in sample.settings:
        draw = rng.random()
        if draw < 0.07:
            continue  # not returned
        late = draw < 0.15
        days = int(rng.integers(3, 40)) if late else -int(rng.integers(0, 75))
        submitted = min(due + dt.timedelta(days=days), timeline.today)
        sample.returns.append(
            {
                "id": return_id,
                "agency_id": None,
                "setting_id": setting["id"],
                "cycle_id": first_cycle_id,
                "submitted_on": submitted,
                "signed_off_by_role": SIGN_OFF[setting["duty"]],
            }
        )
        for number, standard_id in enumerate(standard_ids, start=1):
            p = [0.45, 0.42, 0.13] if number in HARDER_STANDARDS else [0.7, 0.25, 0.05]
            rating = ("green", "amber", "red")[int(rng.choice(3, p=p))]
            evidence = _EVIDENCE[rating]
            actions = _ACTIONS[number]
            sample.ratings.append(
                {
                    "id": rating_id,
                    "return_id": return_id,
                    "standard_id": standard_id,
                    "rating": rating,
                    "evidence_summary": evidence[int(rng.integers(len(evidence)))],
                    "improvement_action": None
                    if rating == "green"
                    else actions[int(rng.integers(len(actions)))],
                }
            )
            rating_id += 1
        return_id += 1
    return sample
