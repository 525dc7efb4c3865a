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
