"""Section 11 self-assessments for the sample data: the cycles, returns and their ratings."""

from __future__ import annotations

import datetime as dt

from sample_data.partnership import MISSING_LATEST_S11, Partnership
from sample_data.timeline import Timeline, rng_for

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
