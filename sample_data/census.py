"""Synthetic children in need census files: hand-written records, or thousands at random.

No child here is real: identifiers are ``SYN`` + a number, dates are drawn from a seeded
generator. ``census_xml`` writes records in the DfE's XML shape for the reference date's year
(``GenderCurrent`` to 2023-24, ``Sex`` from 2024-25, ``PreProceedingsandFGDM`` from 2025-26);
``random_children`` draws a realistic mix (re-referrals, assessments either side of 45 working
days, section 47 enquiries, plans of every category, repeat plans, reviews late and on time,
pre-proceedings) for tests, the benchmark and the sample partnership's own census.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import sqlalchemy as sa

from data_access.db import session_scope
from data_access.models import Indicator, IndicatorValue, ReportingPeriod
from data_access.periods import FinancialYear, Quarter

CATEGORIES = ("NEG", "EMO", "PHY", "SAB", "MUL")
SEX_FROM = dt.date(2025, 3, 31)
PRE_PROCEEDINGS_FROM = dt.date(2026, 3, 31)


@dataclass
class PlanSpec:
    start: dt.date
    end: dt.date | None = None
    initial: str = "NEG"
    latest: str | None = None
    previous: int = 0
    reviews: list[dt.date] = field(default_factory=list)


@dataclass
class EpisodeSpec:
    referral: dt.date
    closure: dt.date | None = None
    nfa: bool = False
    # (AssessmentActualStartDate, AssessmentAuthorisationDate or None)
    assessments: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    # (S47ActualStartDate, DateOfInitialCPC or None, ICPCnotRequired)
    s47: list[tuple[dt.date, dt.date | None, bool]] = field(default_factory=list)
    plans: list[PlanSpec] = field(default_factory=list)
    # (LBPSentDate, FGDMMeetingOffer)
    pre_proceedings: list[tuple[dt.date, bool]] = field(default_factory=list)


@dataclass
class ChildSpec:
    child_id: str
    birth: dt.date
    episodes: list[EpisodeSpec]
    upn: str | None = None
    postcode: str | None = None  # not a census element; kept only to test it never leaks


def _d(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def _child_xml(child: ChildSpec, reference: dt.date) -> Iterator[str]:
    gender = "Sex" if reference >= SEX_FROM else "GenderCurrent"
    gender_value = "M" if gender == "Sex" else "1"
    yield "<Child><ChildIdentifiers>"
    yield f"<LAchildID>{escape(child.child_id)}</LAchildID>"
    if child.upn:
        yield f"<UPN>{escape(child.upn)}</UPN>"
    yield f"<PersonBirthDate>{_d(child.birth)}</PersonBirthDate>"
    yield f"<{gender}>{gender_value}</{gender}></ChildIdentifiers>"
    yield "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
    for e in child.episodes:
        yield f"<CINdetails><CINreferralDate>{_d(e.referral)}</CINreferralDate>"
        yield "<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
        if e.closure:
            yield f"<CINclosureDate>{_d(e.closure)}</CINclosureDate>"
            yield "<ReasonForClosure>RC8</ReasonForClosure>"
        for start, done in e.assessments:
            yield "<Assessments>"
            yield f"<AssessmentActualStartDate>{_d(start)}</AssessmentActualStartDate>"
            if done:
                yield f"<AssessmentAuthorisationDate>{_d(done)}</AssessmentAuthorisationDate>"
            yield "<FactorsIdentifiedAtAssessment><AssessmentFactors>1C</AssessmentFactors>"
            yield "</FactorsIdentifiedAtAssessment></Assessments>"
        for start, icpc, not_required in e.s47:
            yield f"<Section47><S47ActualStartDate>{_d(start)}</S47ActualStartDate>"
            if icpc:
                yield f"<DateOfInitialCPC>{_d(icpc)}</DateOfInitialCPC>"
            yield f"<ICPCnotRequired>{'true' if not_required else 'false'}</ICPCnotRequired>"
            yield "</Section47>"
        yield f"<ReferralNFA>{'true' if e.nfa else 'false'}</ReferralNFA>"
        for p in e.plans:
            yield f"<ChildProtectionPlans><CPPstartDate>{_d(p.start)}</CPPstartDate>"
            if p.end:
                yield f"<CPPendDate>{_d(p.end)}</CPPendDate>"
            yield f"<InitialCategoryOfAbuse>{p.initial}</InitialCategoryOfAbuse>"
            yield f"<LatestCategoryOfAbuse>{p.latest or p.initial}</LatestCategoryOfAbuse>"
            yield f"<NumberOfPreviousCPP>{p.previous}</NumberOfPreviousCPP>"
            if p.reviews:
                yield "<Reviews>"
                yield "".join(f"<CPPreviewDate>{_d(r)}</CPPreviewDate>" for r in p.reviews)
                yield "</Reviews>"
            yield "</ChildProtectionPlans>"
        if reference >= PRE_PROCEEDINGS_FROM:
            for sent, offered in e.pre_proceedings:
                yield "<PreProceedingsandFGDM>"
                yield f"<PPStartDate>{_d(sent)}</PPStartDate><LBPSentDate>{_d(sent)}</LBPSentDate>"
                yield f"<FGDMMeetingOffer>{1 if offered else 0}</FGDMMeetingOffer>"
                yield "</PreProceedingsandFGDM>"
        yield "</CINdetails>"
    yield "</Child>\n"


def census_chunks(
    children: Iterable[ChildSpec], reference: dt.date, *, la_code: str = "999"
) -> Iterator[str]:
    """The census XML in pieces (a 30,000-child file is written without holding it twice)."""
    yield '<?xml version="1.0" encoding="utf-8"?>\n<Message><Header><CollectionDetails>'
    yield f"<Collection>CIN</Collection><Year>{reference.year}</Year>"
    yield f"<ReferenceDate>{_d(reference)}</ReferenceDate></CollectionDetails>"
    yield f"<Source><SourceLevel>L</SourceLevel><LEA>{la_code}</LEA>"
    yield "<SoftwareCode>sample_data.census</SoftwareCode><Release>1</Release>"
    yield "<SerialNo>001</SerialNo><DateTime>2026-05-01T09:00:00</DateTime></Source>"
    yield "</Header>\n<Children>\n"
    for child in children:
        yield "".join(_child_xml(child, reference))
    yield "</Children></Message>\n"


def census_xml(children: Iterable[ChildSpec], reference: dt.date) -> bytes:
    return "".join(census_chunks(children, reference)).encode("utf-8")


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def random_children(
    count: int, reference: dt.date, *, seed: int = 28, history: bool = True
) -> Iterator[ChildSpec]:
    """`count` synthetic children for the census with this reference date (31 March).

    With `history`, a fifth of the children also carry an episode closed before the year (as a
    history extract does), so re-referrals can be counted.
    """
    rng = random.Random(seed)
    year_start = dt.date(reference.year - 1, 4, 1)
    for number in range(1, count + 1):
        birth = _day(
            rng, reference - dt.timedelta(days=17 * 365), reference - dt.timedelta(days=30)
        )
        episodes = []
        if history and rng.random() < 0.2:
            old = _day(rng, year_start - dt.timedelta(days=540), year_start - dt.timedelta(days=60))
            episodes.append(EpisodeSpec(old, old + dt.timedelta(days=rng.randint(1, 50))))
        referral = _day(rng, max(birth, year_start - dt.timedelta(days=700)), reference)
        closure = None
        if rng.random() < 0.55:
            closure = _day(rng, referral, reference + dt.timedelta(days=200))
            if closure > reference:
                closure = None
        nfa = rng.random() < 0.08
        episode = EpisodeSpec(referral, closure, nfa)
        if not nfa and rng.random() < 0.85 and referral < reference:
            done = referral + dt.timedelta(days=rng.randint(5, 90))
            episode.assessments.append(
                (referral + dt.timedelta(days=1), done if done <= reference else None)
            )
        if not nfa and rng.random() < 0.3:
            start = referral + dt.timedelta(days=rng.randint(0, 20))
            if start <= reference:
                icpc = start + dt.timedelta(days=rng.randint(5, 35))
                required = rng.random() < 0.6
                episode.s47.append(
                    (start, icpc if required and icpc <= reference else None, not required)
                )
                if required and icpc <= reference:
                    plan_end = None
                    if rng.random() < 0.5:
                        plan_end = icpc + dt.timedelta(days=rng.randint(60, 900))
                        if plan_end > reference:
                            plan_end = None
                    reviews = []
                    due = icpc + dt.timedelta(days=rng.choice((80, 85, 100)))
                    while due <= (plan_end or reference):
                        reviews.append(due)
                        due = due + dt.timedelta(days=rng.choice((170, 175, 200)))
                    episode.plans.append(
                        PlanSpec(
                            icpc,
                            plan_end,
                            rng.choice(CATEGORIES),
                            previous=rng.choice((0, 0, 0, 1, 2)),
                            reviews=reviews,
                        )
                    )
                    if rng.random() < 0.2:
                        sent = _day(rng, icpc, reference)
                        episode.pre_proceedings.append((sent, rng.random() < 0.7))
        episodes.append(episode)
        yield ChildSpec(
            f"SYN{number:07d}",
            birth,
            episodes,
            upn=f"Z{number:012d}",
            postcode=f"ZZ{number % 90 + 10} 9ZZ",
        )


# --- The sample partnership's own census -------------------------------------------------------

# The figures a census is built to reproduce: the year's snapshot at 31 March, section 47
# enquiries, plans started and ended, and each quarter's referrals, re-referrals, assessments
# and initial conferences.
PARTNERSHIP_CODES = (
    "STAT_CIN_COUNT",
    "STAT_CP_COUNT",
    "STAT_CP_NEGLECT",
    "STAT_CP_EMOTIONAL",
    "STAT_CP_PHYSICAL",
    "STAT_CP_SEXUAL",
    "STAT_CP_MULTIPLE",
    "STAT_CP_SECOND_PLAN",
    "STAT_S47_RATE",
    "STAT_CP_ENDED_2Y",
    "MASH_REFERRALS",
    "MASH_REREFERRALS",
    "MASH_ASSESSMENTS_45WD",
    "MASH_ICPC_15WD",
)
_CATEGORY_CODES = {
    "STAT_CP_NEGLECT": "NEG",
    "STAT_CP_EMOTIONAL": "EMO",
    "STAT_CP_PHYSICAL": "PHY",
    "STAT_CP_SEXUAL": "SAB",
    "STAT_CP_MULTIPLE": "MUL",
}


@dataclass(frozen=True)
class QuarterCounts:
    start: dt.date
    referrals: int
    rereferrals: int
    assessments: int
    assessments_45wd: int
    icpc: int
    icpc_15wd: int


@dataclass(frozen=True)
class PartnershipCounts:
    """What the partnership's census must give, read from its store."""

    reference: dt.date
    quarters: tuple[QuarterCounts, ...]
    children_in_need: int
    plans_by_category: dict[str, int]
    plans_started: int
    plans_second: int
    s47_started: int
    plans_ended: int
    plans_ended_two_years: int


D2010 = dt.date(2010, 6, 1)


class _Numbers:
    """Identifiers BRK0000001, BRK0000002, ... in the order children are written."""

    def __init__(self) -> None:
        self.number = 0

    def next(self) -> str:
        self.number += 1
        return f"BRK{self.number:07d}"


def _take_category(pool: dict[str, int]) -> str:
    """A category of abuse from those still to be given out (the one with most left)."""
    category = max(pool, key=lambda c: pool[c])
    if pool[category] <= 0:
        raise ValueError("more plans open at 31 March than children on a plan")
    pool[category] -= 1
    return category


def _reviews(start: dt.date, until: dt.date) -> list[dt.date]:
    """Reviews on time: the first 80 days after the plan's start, then every 170 days."""
    reviews = []
    due = start + dt.timedelta(days=80)
    while due <= until:
        reviews.append(due)
        due += dt.timedelta(days=170)
    return reviews


def partnership_children(counts: PartnershipCounts) -> list[ChildSpec]:
    """Children whose census gives exactly `counts` (every date laid out by rule, no chance).

    In each quarter, referrals fall on its first 41 days; a re-referral's child had a referral
    10 days before the year began (within 12 months of any of them), closed before the year; an
    assessment inside 45 working days is authorised 21 days after its referral, one outside 80
    days after a referral on the quarter's first 10 days; an initial conference 14 days after
    its section 47 enquiry (inside 15 working days) or 35 days (outside). Section 47 enquiries
    beyond the conferences are enquiries that needed none (ICPCnotRequired), on referrals
    without a conference; when the year has fewer enquiries than conferences, the first
    quarter's first conferences follow enquiries begun in the last days of the year before. Of
    the plans started in the year, those the year's ended plans need end 10 days after their
    conference; the rest are still open at 31 March. The other plans open at 31 March started
    before the year, on children referred before it; plans that ended in the year after two
    years or more (and any more the year's ended plans need) started before the year too.
    """
    year_start = dt.date(counts.reference.year - 1, 4, 1)
    ids = _Numbers()
    conferences = sum(q.icpc for q in counts.quarters)
    # Conferences in the year that followed an enquiry begun before it, and enquiries in the
    # year that needed no conference: one of the two is 0.
    carried = max(0, conferences - counts.s47_started)
    without_conference = max(0, counts.s47_started - conferences)
    first = counts.quarters[0]
    carried_in_time = min(carried, first.icpc_15wd)
    if carried - carried_in_time > first.icpc - first.icpc_15wd:
        raise ValueError("more conferences than section 47 enquiries before and in the year")
    # Plans ended in the year: those lasting under two years are, first, plans started in it.
    ended_short = counts.plans_ended - counts.plans_ended_two_years
    if ended_short < 0:
        raise ValueError("more plans ended after two years than plans ended")
    in_year_ended = min(counts.plans_started, ended_short)
    pool = dict(counts.plans_by_category)

    plans_given = 0
    second_left = counts.plans_second
    in_year: list[ChildSpec] = []
    open_in_year: list[ChildSpec] = []  # children on a plan started in the year, open at 31 March
    for index, quarter in enumerate(counts.quarters):
        if quarter.assessments > quarter.referrals or quarter.icpc > quarter.referrals:
            raise ValueError("more assessments or conferences in a quarter than referrals")
        outside = quarter.assessments - quarter.assessments_45wd
        icpc = quarter.icpc - (carried if index == 0 else 0)
        icpc_in_time = quarter.icpc_15wd - (carried_in_time if index == 0 else 0)
        no_conference = min(without_conference, quarter.referrals - icpc)
        without_conference -= no_conference
        for i in range(quarter.referrals):
            late = i < outside
            day = i % 10 if late else i % 41
            referral = quarter.start + dt.timedelta(days=day)
            episodes = []
            if i >= quarter.referrals - quarter.rereferrals:
                prior = year_start - dt.timedelta(days=10)
                episodes.append(EpisodeSpec(prior, prior + dt.timedelta(days=3)))
            episode = EpisodeSpec(referral)
            if late:
                episode.assessments.append((referral, referral + dt.timedelta(days=80)))
            elif i < outside + quarter.assessments_45wd:
                episode.assessments.append((referral, referral + dt.timedelta(days=21)))
            on_open_plan = False
            s47 = referral + dt.timedelta(days=1)
            if i < icpc:
                conference = s47 + dt.timedelta(days=14 if i < icpc_in_time else 35)
                episode.s47.append((s47, conference, False))
                if plans_given < counts.plans_started:
                    previous = 1 if second_left > 0 else 0
                    second_left -= previous
                    if plans_given < in_year_ended:
                        plan = PlanSpec(
                            conference, conference + dt.timedelta(days=10), "NEG", previous=previous
                        )
                    else:
                        plan = PlanSpec(
                            conference,
                            None,
                            _take_category(pool),
                            previous=previous,
                            reviews=_reviews(conference, counts.reference),
                        )
                        on_open_plan = True
                    plans_given += 1
                    episode.plans.append(plan)
            elif i < icpc + no_conference:
                episode.s47.append((s47, None, True))
            episodes.append(episode)
            child = ChildSpec(ids.next(), referral - dt.timedelta(days=3000), episodes)
            (open_in_year if on_open_plan else in_year).append(child)
    if plans_given < counts.plans_started or second_left:
        raise ValueError("more plans started than initial conferences in the year")
    if without_conference:
        raise ValueError("more section 47 enquiries than referrals to hold them")
    children: list[ChildSpec] = []
    # Conferences early in the year on enquiries begun in the days before it (referred the day
    # before the enquiry; closed the day after the conference).
    for j in range(carried):
        conference = year_start + dt.timedelta(days=j % 10)
        s47 = conference - dt.timedelta(days=14 if j < carried_in_time else 35)
        episode = EpisodeSpec(s47 - dt.timedelta(days=1), conference + dt.timedelta(days=1))
        episode.s47.append((s47, conference, False))
        children.append(ChildSpec(ids.next(), D2010, [episode]))
    # Plans that ended in the year, started before it: two years or more, then any more the
    # year's ended plans need beyond those started in the year (each after its own conference).
    two_years = [True] * counts.plans_ended_two_years + [False] * (ended_short - in_year_ended)
    for j, long in enumerate(two_years):
        end = year_start + dt.timedelta(days=30 + (7 * j) % 300)
        # 800 days is more than two years; 100 days before the year, under two years at its end.
        start = end - dt.timedelta(days=800) if long else year_start - dt.timedelta(days=100)
        episode = EpisodeSpec(start - dt.timedelta(days=14), end + dt.timedelta(days=1))
        episode.s47.append((start - dt.timedelta(days=10), start, False))
        episode.plans.append(PlanSpec(start, end, "NEG", reviews=_reviews(start, end)))
        children.append(ChildSpec(ids.next(), D2010, [episode]))
    # Children on a plan at 31 March since before the year: referred before it too.
    old_referral = year_start - dt.timedelta(days=300)
    on_plan_before = 0
    for category, how_many in pool.items():
        for _ in range(how_many):
            start = year_start - dt.timedelta(days=200)
            plan = PlanSpec(start, None, category, reviews=_reviews(start, counts.reference))
            children.append(ChildSpec(ids.next(), D2010, [EpisodeSpec(old_referral, plans=[plan])]))
            on_plan_before += 1
    # The rest of the children in need at 31 March: every child on a plan started in the year,
    # then the first other in-year children stay open; the others closed the day after their
    # last event (none after the reference date).
    open_needed = counts.children_in_need - on_plan_before - len(open_in_year)
    if open_needed < 0:
        raise ValueError("more children on a plan than children in need")
    for index, child in enumerate(in_year):
        episode = child.episodes[-1]
        if index >= open_needed:
            last = max(
                [episode.referral]
                + [d for _s, d in episode.assessments if d]
                + [s for s, _i, _n in episode.s47]
                + [i for _s, i, _n in episode.s47 if i]
                + [p.end for p in episode.plans if p.end]
            )
            episode.closure = min(last + dt.timedelta(days=1), counts.reference)
    for _ in range(max(0, open_needed - len(in_year))):
        children.append(ChildSpec(ids.next(), D2010, [EpisodeSpec(old_referral)]))
    return in_year + open_in_year + children


def partnership_counts(engine: sa.Engine, year_code: str) -> PartnershipCounts:
    """The counts the sample partnership's census for `year_code` ('2024-25') must give."""
    year = FinancialYear(int(year_code[:4]))
    codes = [year.code] + [Quarter(year.fy_start_year, n).code for n in (1, 2, 3, 4)]
    with session_scope(engine) as session:
        rows = session.execute(
            sa.select(
                Indicator.code,
                ReportingPeriod.code,
                IndicatorValue.value,
                IndicatorValue.numerator,
                IndicatorValue.denominator,
            )
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .join(ReportingPeriod, ReportingPeriod.id == IndicatorValue.period_id)
            .where(
                IndicatorValue.is_current.is_(True),
                IndicatorValue.agency_id.is_(None),
                IndicatorValue.locality_id.is_(None),
                Indicator.code.in_(PARTNERSHIP_CODES),
                ReportingPeriod.code.in_(codes),
            )
        ).all()
    got = {(code, period): (value, top, bottom) for code, period, value, top, bottom in rows}

    def whole(value: object) -> int:
        return int(round(float(str(value))))

    quarters = []
    for n in (1, 2, 3, 4):
        q = Quarter(year.fy_start_year, n)
        referrals = whole(got[("MASH_REFERRALS", q.code)][0])
        rereferrals = whole(got[("MASH_REREFERRALS", q.code)][1])
        _v, assessed_in, assessed = got[("MASH_ASSESSMENTS_45WD", q.code)]
        _v, icpc_in, icpc = got[("MASH_ICPC_15WD", q.code)]
        quarters.append(
            QuarterCounts(
                q.start_date,
                referrals,
                rereferrals,
                whole(assessed),
                whole(assessed_in),
                whole(icpc),
                whole(icpc_in),
            )
        )
    _v, second, started = got[("STAT_CP_SECOND_PLAN", year.code)]
    _v, enquiries, _population = got[("STAT_S47_RATE", year.code)]
    _v, two_years, ended = got[("STAT_CP_ENDED_2Y", year.code)]
    return PartnershipCounts(
        reference=year.end_date,
        quarters=tuple(quarters),
        children_in_need=whole(got[("STAT_CIN_COUNT", year.code)][0]),
        plans_by_category={
            category: whole(got[(code, year.code)][0]) for code, category in _CATEGORY_CODES.items()
        },
        plans_started=whole(started),
        plans_second=whole(second),
        s47_started=whole(enquiries),
        plans_ended=whole(ended),
        plans_ended_two_years=whole(two_years),
    )


def partnership_census(engine: sa.Engine, year_code: str) -> bytes:
    """The sample partnership's children in need census for a financial year, as XML."""
    counts = partnership_counts(engine, year_code)
    return census_xml(partnership_children(counts), counts.reference)


def main(argv: list[str] | None = None) -> int:
    """`python -m sample_data.census --year 2024-25 -o census.xml [--database-url URL]`."""
    import argparse
    from pathlib import Path

    from data_access.config import settings
    from data_access.db import engine_for

    parser = argparse.ArgumentParser(
        prog="python -m sample_data.census",
        description="Write the sample partnership's own children in need census for a year.",
    )
    parser.add_argument("--year", required=True, help="a financial year, e.g. 2024-25")
    parser.add_argument("-o", "--output", required=True, help="the XML file to write")
    parser.add_argument("--database-url", help="overrides DATABASE_URL for this command")
    args = parser.parse_args(argv)
    engine = engine_for(args.database_url or settings().database_url)
    try:
        data = partnership_census(engine, args.year)
    except KeyError as missing:
        print(f"The store has no figure {missing} for {args.year}: build the sample first.")
        return 2
    Path(args.output).write_bytes(data)
    print(f"Wrote {args.output}: the sample partnership's census for {args.year}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
