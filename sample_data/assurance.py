"""Quarterly assurance summaries: what is working well, what is not, what needs to happen next.

Each theme's partnership group reports to the executive every quarter. The items are written in the
partnership's own plain register (modelled on the assurance exercises in seed 000, not copied from
it) and draw on that quarter's figures, so the words and the charts tell the same story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from data_access.periods import Quarter
from sample_data.series import Context, IndicatorSeries
from sample_data.timeline import rng_for

GROUPS = {
    "early_help": ("Early Help Strategic Group", "Head of Early Help"),
    "mash": ("MASH Steering Group", "MASH Strategic Manager"),
    "neglect": ("Neglect Sub-group", "Designated Nurse for Safeguarding (chair)"),
    "complex_safeguarding": (
        "Complex Safeguarding Sub-group",
        "Detective Chief Inspector, Public Protection (chair)",
    ),
    "training": ("Learning and Development Sub-group", "Partnership Training Organiser"),
}


@dataclass(frozen=True)
class Facts:
    """The figures one quarter's sentences may quote, looked up by indicator code."""

    ctx: Context
    t: int
    series: dict[str, IndicatorSeries]

    def value(self, code: str, back: int = 0) -> float | None:
        s = self.series.get(code)
        i = self.t - back
        if s is None or i < 0:
            return None
        return s.partnership[i].value

    def fmt(self, code: str, back: int = 0) -> str:
        v = self.value(code, back)
        if v is None:
            return "not known"
        if float(v).is_integer():
            return f"{int(v):,}"
        return f"{v:.1f}"

    def change(self, code: str, back: int = 4) -> float:
        now, before = self.value(code), self.value(code, back)
        if now is None or before is None:
            return 0.0
        return now - before

    @property
    def quarter(self) -> Quarter:
        return self.ctx.timeline.quarters[self.t]

    @property
    def season(self) -> str:
        return {1: "spring and early summer", 2: "summer holidays", 3: "autumn term", 4: "winter"}[
            self.quarter.quarter
        ]


Item = tuple[Callable[[Facts], bool], Callable[[Facts], str]]


def _always(_f: Facts) -> bool:
    return True


def _t(text: str) -> Callable[[Facts], str]:
    return lambda f: text


_SUMMER_NOTE = " (the summer holidays account for part of the dip)"

# --- Early help --------------------------------------------------------------------------------

EARLY_HELP: dict[str, list[Item]] = {
    "working_well": [
        (
            lambda f: f.change("EH_OPEN_ASSESSMENTS") > 0,
            lambda f: (
                f"Open early help assessments reached {f.fmt('EH_OPEN_ASSESSMENTS')} at quarter "
                f"end, up from {f.fmt('EH_OPEN_ASSESSMENTS', 4)} a year ago: more families are "
                "getting help before problems escalate."
            ),
        ),
        (
            lambda f: f.change("EH_SCHOOL_LED_PCT") > 0,
            lambda f: (
                f"Schools now lead {f.fmt('EH_SCHOOL_LED_PCT')}% of open assessments. Partners, "
                "not only children's services, are taking the lead practitioner role."
            ),
        ),
        (
            lambda f: (f.value("EH_OUTCOMES_ACHIEVED") or 0) >= 75,
            lambda f: (
                f"{f.fmt('EH_OUTCOMES_ACHIEVED')}% of families whose early help ended this "
                "quarter achieved the outcomes in their plan."
            ),
        ),
        (
            lambda f: (f.value("EH_STEP_DOWN") or 0) >= 100,
            lambda f: (
                f"{f.fmt('EH_STEP_DOWN')} children stepped down from social care to early help, "
                "so support carried on when the statutory case closed."
            ),
        ),
        (
            _always,
            _t(
                "The Early Help Access Point and the MASH are working closely together; "
                "families are being directed to the right door more often."
            ),
        ),
        (
            _always,
            _t(
                "More planned work is starting at the earliest opportunity, with Team Around "
                "the Family meetings held in schools and children's centres."
            ),
        ),
    ],
    "not_working_well": [
        (
            _always,
            _t(
                "The quality of early help assessments is still variable: the group's dip "
                "sample found plans that list services rather than what will change for the "
                "child."
            ),
        ),
        (
            lambda f: (f.value("EH_TAF_TIMELY") or 100) < 85,
            lambda f: (
                f"Only {f.fmt('EH_TAF_TIMELY')}% of first Team Around the Family meetings were "
                "held within 20 working days, short of the 85% the partnership expects."
            ),
        ),
        (
            _always,
            _t(
                "Attendance from health and children's social care at Team Around the School "
                "meetings is not consistent across the localities."
            ),
        ),
        (
            lambda f: (f.value("EH_SCHOOLS_TAS") or 99) < 60,
            lambda f: (
                f"Only {f.fmt('EH_SCHOOLS_TAS')} schools held a Team Around the School meeting "
                f"this quarter{_SUMMER_NOTE if f.quarter.quarter == 2 else ''}."
            ),
        ),
        (
            _always,
            _t(
                "Agencies still apply different thresholds for closing cases when a family "
                "does not engage with early help."
            ),
        ),
        (
            lambda f: (f.value("EH_REOPENED_12M") or 0) > 12,
            lambda f: (
                f"{f.fmt('EH_REOPENED_12M')}% of new episodes were for families whose early "
                "help closed less than a year ago; some cases may be closing too soon."
            ),
        ),
    ],
    "next_steps": [
        (
            _always,
            _t(
                "Deliver refresher early help assessment training for school staff, focused "
                "on writing outcomes the family understands."
            ),
        ),
        (
            _always,
            _t(
                "Education colleagues to give targeted support to schools that are not yet "
                "engaging, using a RAG rating of each school's engagement."
            ),
        ),
        (
            _always,
            _t(
                "Agree a single closure and non-engagement protocol across agencies and "
                "report back to the executive."
            ),
        ),
        (
            _always,
            _t(
                "Ask health and social care leads to name a consistent attendee for each "
                "locality's Team Around the School meeting."
            ),
        ),
        (
            lambda f: (f.value("EH_REOPENED_12M") or 0) > 11,
            _t("Dip-sample re-opened early help cases to learn why families come back."),
        ),
    ],
}

# --- MASH / front door ------------------------------------------------------------------------

MASH: dict[str, list[Item]] = {
    "working_well": [
        (
            lambda f: f.change("MASH_REFERRALS") < 0,
            lambda f: (
                f"Referrals to children's social care were {f.fmt('MASH_REFERRALS')} this "
                f"quarter against {f.fmt('MASH_REFERRALS', 4)} a year earlier, as partners "
                "apply thresholds more consistently and use early help."
            ),
        ),
        (
            lambda f: (f.value("MASH_DECISION_1WD") or 0) >= 90,
            lambda f: (
                f"{f.fmt('MASH_DECISION_1WD')}% of contacts had a decision within one working "
                "day, above the 90% standard."
            ),
        ),
        (
            _always,
            _t(
                "A more permanent staffing team in the MASH has brought a more consistent "
                "approach to managing contacts and management decisions."
            ),
        ),
        (
            _always,
            _t(
                "Domestic abuse notifications reach schools before the start of the next "
                "school day in almost every case."
            ),
        ),
        (
            lambda f: (f.value("MASH_ASSESSMENTS_45WD") or 0) >= 85,
            lambda f: (
                f"{f.fmt('MASH_ASSESSMENTS_45WD')}% of assessments were completed within 45 "
                "working days."
            ),
        ),
        (
            _always,
            _t(
                "Individual supervision has improved, and team meetings now discuss learning "
                "from local case reviews."
            ),
        ),
    ],
    "not_working_well": [
        (
            lambda f: (f.value("MASH_DECISION_1WD") or 100) < 90,
            lambda f: (
                f"Only {f.fmt('MASH_DECISION_1WD')}% of contacts were decided within one "
                "working day. Vacancies and sickness in the hub have caused drift and delay."
            ),
        ),
        (
            lambda f: (f.value("MASH_STRATEGY_MINUTES_SHARED") or 100) < 90,
            lambda f: (
                f"Strategy discussion minutes reached all agencies within a working day in "
                f"{f.fmt('MASH_STRATEGY_MINUTES_SHARED')}% of cases; partners cannot act on "
                "what they have not seen."
            ),
        ),
        (
            lambda f: (f.value("MASH_REREFERRALS") or 0) > 20,
            lambda f: (
                f"Re-referrals within 12 months were {f.fmt('MASH_REREFERRALS')}%, above the "
                "20% target: some children are coming back to the front door too quickly."
            ),
        ),
        (
            _always,
            _t(
                "Too many strategy discussions are convened that do not need to be, which "
                "adds to the pressure on timeliness."
            ),
        ),
        (
            lambda f: f.quarter.quarter == 2,
            _t(
                "Contacts from schools fell over the summer holidays, as they do every year; the hub "
                "expects a rise in September."
            ),
        ),
        (
            _always,
            _t("Information from GPs does not always reach the hub in time for the decision."),
        ),
    ],
    "next_steps": [
        (
            lambda f: (f.value("MASH_DECISION_1WD") or 100) < 90,
            _t(
                "Agree a recovery plan for decision timeliness, with weekly reporting to the MASH "
                "Steering Group until the 90% standard is met again."
            ),
        ),
        (
            _always,
            _t(
                "The out-of-hours manager and the MASH team manager to meet GP practice leads "
                "to build better working relationships."
            ),
        ),
        (
            _always,
            _t("Run threshold briefings for partners on managing risk safely without a referral."),
        ),
        (
            lambda f: (f.value("MASH_REREFERRALS") or 0) > 20,
            _t(
                "Audit a sample of re-referred children to find out whether the first response "
                "closed too early."
            ),
        ),
        (
            _always,
            _t(
                "Record strategy discussion minutes around actions, so they can be shared the "
                "same day."
            ),
        ),
    ],
}

# --- Neglect ----------------------------------------------------------------------------------

NEGLECT: dict[str, list[Item]] = {
    "working_well": [
        (
            lambda f: f.change("NEG_GCP2_ON_PLANS_PCT") > 0,
            lambda f: (
                f"{f.fmt('NEG_GCP2_ON_PLANS_PCT')}% of children on a plan for neglect now have "
                f"a Graded Care Profile, up from {f.fmt('NEG_GCP2_ON_PLANS_PCT', 4)}% a year "
                "ago."
            ),
        ),
        (
            lambda f: (f.value("NEG_GCP2_COMPLETED") or 0) >= 50,
            lambda f: (
                f"Practitioners completed {f.fmt('NEG_GCP2_COMPLETED')} Graded Care Profile "
                "assessments this quarter, across health, schools and social care."
            ),
        ),
        (
            lambda f: (f.value("NEG_SCREENING_TOOL") or 0) >= 100,
            lambda f: (
                f"The neglect screening tool was used {f.fmt('NEG_SCREENING_TOOL')} times; it "
                "is becoming part of everyday practice."
            ),
        ),
        (
            _always,
            _t(
                "Practitioners who have used the Graded Care Profile say it helps parents see "
                "their child's daily experience."
            ),
        ),
        (
            _always,
            _t(
                "Health visitors and school nurses are raising neglect concerns earlier, with "
                "clearer descriptions of the child's day."
            ),
        ),
        (
            _always,
            _t(
                "The neglect champions network met this quarter and shared examples of plans "
                "that changed a child's daily care."
            ),
        ),
        (
            lambda f: (f.value("NEG_CP_REVIEWS_TIMELY") or 0) >= 95,
            lambda f: (
                f"{f.fmt('NEG_CP_REVIEWS_TIMELY')}% of child protection reviews were held on time."
            ),
        ),
    ],
    "not_working_well": [
        (
            _always,
            lambda f: (
                f"Neglect remains the main reason for child protection plans "
                f"({f.fmt('NEG_CP_NEGLECT_PCT')}% of children on a plan)."
            ),
        ),
        (
            lambda f: (f.value("NEG_GCP2_ON_PLANS_PCT") or 100) < 50,
            lambda f: (
                f"Most neglect plans still lack a Graded Care Profile "
                f"({f.fmt('NEG_GCP2_ON_PLANS_PCT')}% have one), so change is hard to measure."
            ),
        ),
        (
            lambda f: (f.value("NEG_CP_SECOND_TIME") or 0) > 18,
            lambda f: (
                f"{f.fmt('NEG_CP_SECOND_TIME')}% of children starting a plan had been on one "
                "before; chronic neglect is not always tackled the first time."
            ),
        ),
        (
            _always,
            _t(
                "Some plans drift: actions repeat from one review to the next without a clear "
                "sense of what must change for the child."
            ),
        ),
        (_always, _t("Use of the screening tool by housing and voluntary sector staff is low.")),
    ],
    "next_steps": [
        (
            _always,
            _t(
                "Offer Graded Care Profile training to every locality team, with a named "
                "champion in each agency."
            ),
        ),
        (
            _always,
            _t(
                "Add the Graded Care Profile to the child protection conference checklist "
                "for every neglect case."
            ),
        ),
        (_always, _t("Audit plans for children on a second or later plan for neglect.")),
        (
            _always,
            _t(
                "Refresh the neglect strategy with the lived experience of the child at its "
                "centre, and share a 7-minute briefing."
            ),
        ),
    ],
}

# --- Complex safeguarding ---------------------------------------------------------------------

COMPLEX: dict[str, list[Item]] = {
    "working_well": [
        (
            lambda f: (f.value("CS_RHI_OFFERED_72H") or 0) >= 90,
            lambda f: (
                f"Return home interviews were offered within 72 hours after "
                f"{f.fmt('CS_RHI_OFFERED_72H')}% of missing episodes."
            ),
        ),
        (
            _always,
            _t(
                "Police and children's services share intelligence on exploitation at the "
                "weekly complex safeguarding panel, and hotspot locations are mapped."
            ),
        ),
        (
            lambda f: (f.value("CS_CAWN_ISSUED") or 0) >= 6,
            lambda f: (
                f"{f.fmt('CS_CAWN_ISSUED')} Child Abduction Warning Notices were served, "
                "disrupting adults who pose a risk to young people."
            ),
        ),
        (
            _always,
            _t(
                "Young people at high risk each have a named lead professional and a "
                "multi-agency plan."
            ),
        ),
        (
            lambda f: (f.value("CS_TRANSITION_PLANS") or 0) >= 85,
            lambda f: (
                f"{f.fmt('CS_TRANSITION_PLANS')}% of young people at risk who turned 18 had a "
                "transition plan agreed with adult services."
            ),
        ),
    ],
    "not_working_well": [
        (
            lambda f: (f.value("CS_MISSING_EPISODES") or 0) > 330,
            lambda f: (
                f"Missing episodes stayed high at {f.fmt('CS_MISSING_EPISODES')} this quarter, "
                f"against {f.fmt('CS_MISSING_EPISODES', 8)} two years ago; a small group of "
                "young people go missing repeatedly."
            ),
        ),
        (
            lambda f: (f.value("CS_RHI_OFFERED_72H") or 100) < 90,
            lambda f: (
                f"Return home interviews offered within 72 hours fell to "
                f"{f.fmt('CS_RHI_OFFERED_72H')}%; the process is being mapped to make it "
                "quicker."
            ),
        ),
        (
            _always,
            _t(
                "Information from return home interviews does not always reach the "
                "social worker or the school."
            ),
        ),
        (
            _always,
            _t(
                "Transition to adult services at 18 is uneven for young people still at risk "
                "of exploitation."
            ),
        ),
        (
            lambda f: (f.value("CS_COUNTY_LINES") or 0) > 25,
            lambda f: (
                f"{f.fmt('CS_COUNTY_LINES')} children are known to be linked to county lines."
            ),
        ),
    ],
    "next_steps": [
        (
            _always,
            _t(
                "Review the repeat-missing cohort at panel each month, with the police "
                "missing-person coordinator."
            ),
        ),
        (
            _always,
            _t(
                "Make sure every return home interview is shared with the child's school "
                "within two working days."
            ),
        ),
        (_always, _t("Agree a transitions protocol with adult social care and probation.")),
        (
            _always,
            _t(
                "Extend exploitation awareness sessions to taxi drivers, hotels and fast-food "
                "outlets in the hotspot areas."
            ),
        ),
    ],
}

# --- Training impact --------------------------------------------------------------------------

TRAINING: dict[str, list[Item]] = {
    "working_well": [
        (
            lambda f: (f.value("TR_KNOWLEDGE_UPLIFT") or 0) >= 25,
            lambda f: (
                f"Learners rating their knowledge good or better rose by "
                f"{f.fmt('TR_KNOWLEDGE_UPLIFT')} percentage points from before to after the "
                "course."
            ),
        ),
        (
            lambda f: (f.value("TR_OBJECTIVES_MET") or 0) >= 95,
            lambda f: (
                f"{f.fmt('TR_OBJECTIVES_MET')}% of learners said the course met its objectives."
            ),
        ),
        (
            lambda f: (f.value("TR_LEARNERS") or 0) > 0,
            lambda f: (
                f"{f.fmt('TR_LEARNERS')} practitioners from across the partnership attended "
                "multi-agency training this quarter."
            ),
        ),
        (
            _always,
            _t(
                "Virtual sessions have widened access for GPs and school staff who cannot "
                "leave their setting for a full day."
            ),
        ),
        (
            _always,
            _t(
                "Course content now draws on local case reviews, and learners say the local "
                "examples make it real."
            ),
        ),
        (
            lambda f: (f.value("TR_PRACTICE_CHANGED") or 0) >= 70,
            lambda f: (
                f"Three to six months on, {f.fmt('TR_PRACTICE_CHANGED')}% of those who replied "
                "described a change in their practice."
            ),
        ),
    ],
    "not_working_well": [
        (
            lambda f: (f.value("TR_FOLLOWUP_RESPONSE") or 100) < 40,
            lambda f: (
                f"Only {f.fmt('TR_FOLLOWUP_RESPONSE')}% of learners answered the impact "
                "follow-up, so the evidence of changed practice is thin."
            ),
        ),
        (
            lambda f: (f.value("TR_PLACES_FILLED") or 100) < 85,
            lambda f: (
                f"{f.fmt('TR_PLACES_FILLED')}% of places were filled; late cancellations waste "
                "places others could use."
            ),
        ),
        (_always, _t("Police and housing staff are under-represented on multi-agency courses.")),
        (
            lambda f: f.ctx.timeline.is_lockdown(f.t),
            _t("Face-to-face courses were paused during lockdown; only virtual sessions ran."),
        ),
        (
            _always,
            _t("Evaluation tells us what learners think, less often what changed for children."),
        ),
    ],
    "next_steps": [
        (
            _always,
            _t(
                "Ask line managers to confirm changes in practice at supervision three months "
                "after training."
            ),
        ),
        (_always, _t("Introduce a charge for non-attendance without notice.")),
        (
            _always,
            _t("Link each course to learning from local case reviews through 7-minute briefings."),
        ),
        (_always, _t("Work with police and housing leads to book places for their staff.")),
    ],
}

LIBRARY = {
    "early_help": EARLY_HELP,
    "mash": MASH,
    "neglect": NEGLECT,
    "complex_safeguarding": COMPLEX,
    "training": TRAINING,
}


def _choose(rng: np.random.Generator, items: list[Item], facts: Facts) -> list[str]:
    """2-4 items: the figure-driven ones that apply first, then a varied pick of the rest."""
    applicable = [(cond, text) for cond, text in items if cond(facts)]
    data_led = [text for cond, text in applicable if cond is not _always]
    general = [text for cond, text in applicable if cond is _always]
    want = int(rng.integers(2, 5))
    order = rng.permutation(len(general)).tolist()
    chosen = data_led[:want] + [general[i] for i in order][: max(0, want - len(data_led))]
    return [make(facts) for make in chosen]


def meeting_date(quarter_end: dt.date, today: dt.date, weeks: int = 6) -> dt.date:
    """About `weeks` after quarter end, on a Wednesday, and never after `today`."""
    day = quarter_end + dt.timedelta(weeks=weeks)
    day += dt.timedelta(days=(2 - day.weekday()) % 7)
    if day > today:
        day = max(quarter_end + dt.timedelta(days=1), today)
    return day


def build_summaries(
    ctx: Context, series: dict[str, IndicatorSeries], period_ids: list[int]
) -> tuple[list[dict], list[dict]]:
    """Summary and item rows for every theme and quarter."""
    summaries, items = [], []
    summary_id = item_id = 0
    for t, quarter in enumerate(ctx.timeline.quarters):
        facts = Facts(ctx, t, series)
        for theme, library in LIBRARY.items():
            rng = rng_for(ctx.seed, "assurance", theme, quarter.code)
            group, author = GROUPS[theme]
            summary_id += 1
            met = meeting_date(quarter.end_date, ctx.timeline.today)
            summaries.append(
                {
                    "id": summary_id,
                    "theme_code": theme,
                    "period_id": period_ids[t],
                    "group_name": group,
                    "meeting_date": met,
                    "author": author,
                    "created_at": dt.datetime(met.year, met.month, met.day, 16, 0),
                    "superseded_by_id": None,
                }
            )
            for category in ("working_well", "not_working_well", "next_steps"):
                for position, text in enumerate(_choose(rng, library[category], facts)):
                    item_id += 1
                    items.append(
                        {
                            "id": item_id,
                            "summary_id": summary_id,
                            "category": category,
                            "text": text,
                            "position": position,
                        }
                    )
    return summaries, items
